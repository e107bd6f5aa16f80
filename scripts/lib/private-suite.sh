# Sourced by scripts/api-tests, scripts/browser-tests and scripts/bench-portal:
# the whole suite (scripts/run, the demo loaded) on a state directory and ports
# of its own, so it never meets scripts/run's or another run's.
#   source scripts/lib/private-suite.sh <label>    (before env.sh and stack.sh)
#   start_private_suite                            (stops it when the script exits)
# A temporary state directory is removed at the end unless KEEP_STATE is set; one
# given in ASYSTA_STATE is kept.
private_suite_label=$1
export ASYSTA_STATE=${ASYSTA_STATE:-$(mktemp -d "/tmp/asysta-$private_suite_label.XXXXXX")}
# Ports free now and below the ephemeral range (scripts/lib/free_ports.py); the six of
# ASYSTA_PORT_BASE are the portal's and the five services'.
free_ports() { python3 "$(dirname "${BASH_SOURCE[0]}")/free_ports.py" "$@"; }
export ASYSTA_PG_PORT=${ASYSTA_PG_PORT:-$(free_ports 1 20000 25000)}
export ASYSTA_KAFKA_PORT=${ASYSTA_KAFKA_PORT:-$(free_ports 1 25000 30000)}
export ASYSTA_PORT_BASE=${ASYSTA_PORT_BASE:-$(free_ports 6 30000 32700)}

stop_private_suite() {
  "$ASYSTA_ROOT/scripts/run" stop
  case "$ASYSTA_STATE" in /tmp/asysta-"$private_suite_label".*) [ -n "${KEEP_STATE:-}" ] || rm -rf "$ASYSTA_STATE" ;; esac
}

start_private_suite() {
  trap stop_private_suite EXIT
  mkdir -p "$ASYSTA_STATE"
  "$ASYSTA_ROOT/scripts/run" --detach >"$ASYSTA_STATE/run.log" 2>&1 || { tail -n 40 "$ASYSTA_STATE/run.log" >&2; exit 1; }
}
