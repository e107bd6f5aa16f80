# Sourced by scripts/api-tests, scripts/browser-tests and scripts/bench-portal:
# the whole suite (scripts/run, the demo loaded) on a state directory and ports
# of its own, so it never meets scripts/run's or another run's.
#   source scripts/lib/private-suite.sh <label>    (before env.sh and stack.sh)
#   start_private_suite                            (stops it when the script exits)
# A temporary state directory is removed at the end unless KEEP_STATE is set; one
# given in ASYSTA_STATE is kept.
private_suite_label=$1
export ASYSTA_STATE=${ASYSTA_STATE:-$(mktemp -d "/tmp/asysta-$private_suite_label.XXXXXX")}
export ASYSTA_PG_PORT=${ASYSTA_PG_PORT:-$((40000 + RANDOM % 10000))}
export ASYSTA_KAFKA_PORT=${ASYSTA_KAFKA_PORT:-$((50000 + RANDOM % 10000))}
export ASYSTA_PORT_BASE=${ASYSTA_PORT_BASE:-$((30000 + RANDOM % 1000 * 10))}

stop_private_suite() {
  "$ASYSTA_ROOT/scripts/run" stop
  case "$ASYSTA_STATE" in /tmp/asysta-"$private_suite_label".*) [ -n "${KEEP_STATE:-}" ] || rm -rf "$ASYSTA_STATE" ;; esac
}

start_private_suite() {
  trap stop_private_suite EXIT
  mkdir -p "$ASYSTA_STATE"
  "$ASYSTA_ROOT/scripts/run" --detach >"$ASYSTA_STATE/run.log" 2>&1 || { tail -n 40 "$ASYSTA_STATE/run.log" >&2; exit 1; }
}
