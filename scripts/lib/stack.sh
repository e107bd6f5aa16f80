# Sourced by scripts/run and scripts/test: start and stop the project-local
# PostgreSQL cluster and Tansu broker on private ports.
# The five services, written once in deploy/services (scripts/check-deploy holds the
# deployment files to it).
mapfile -t SERVICES < "$ASYSTA_ROOT/deploy/services"
# The services' HTTP ports: the base plus 1 (intake) to 5 (reporting), 8081–8085
# unless ASYSTA_PORT_BASE moves them (scripts/api-tests does; asysta-admin's --port-base).
PORT_BASE=${ASYSTA_PORT_BASE:-8080}
declare -A PORT=()
for index in "${!SERVICES[@]}"; do PORT[${SERVICES[$index]}]=$((PORT_BASE + index + 1)); done
STATE=${ASYSTA_STATE:-$ASYSTA_ROOT/.local}
PG_PORT=${ASYSTA_PG_PORT:-55432}
KAFKA_PORT=${ASYSTA_KAFKA_PORT:-59092}
PG_DATA=$STATE/postgres
PG_SOCKET=$STATE/run

# PostgreSQL refuses to run as root: as root, run its commands as the postgres user.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_psql() { psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }

start_postgres() {
  mkdir -p "$STATE" "$PG_SOCKET"
  if [ "$(id -u)" = 0 ]; then chown postgres "$STATE" "$PG_SOCKET"; fi
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$STATE/initdb.log" 2>&1
  fi
  if ! as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -w -l "$STATE/postgres.log" \
      -o "-p $PG_PORT -k $PG_SOCKET -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null
  fi
  echo "postgresql://postgres@127.0.0.1:$PG_PORT" >&2
}

stop_postgres() {
  [ -f "$PG_DATA/PG_VERSION" ] && as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast stop >/dev/null 2>&1 || true
}

# One database and one login role per service, as deployments make them
# (deploy/postgres/service-database.sql): no role may connect to another's database.
create_service_databases() {
  for s in "${SERVICES[@]}"; do create_database "$s"; done
}

create_database() {
  pg_psql -v service="$1" -v password="$1-local" -f "$ASYSTA_ROOT/deploy/postgres/service-database.sql" >/dev/null
}

start_tansu() {
  mkdir -p "$STATE"
  if [ -f "$STATE/tansu.pid" ] && kill -0 "$(cat "$STATE/tansu.pid")" 2>/dev/null; then return; fi
  nohup "$TANSU" broker --listener-url "tcp://127.0.0.1:$KAFKA_PORT" \
    --advertised-listener-url "tcp://127.0.0.1:$KAFKA_PORT" --storage-engine memory://tansu/ \
    >"$STATE/tansu.log" 2>&1 &
  echo $! >"$STATE/tansu.pid"
  # Up to 30 s: a busy 2-core machine (a build beside it) can take more than 10.
  for _ in $(seq 1 300); do
    (exec 3<>"/dev/tcp/127.0.0.1/$KAFKA_PORT") 2>/dev/null && { echo "kafka://127.0.0.1:$KAFKA_PORT" >&2; return; }
    kill -0 "$(cat "$STATE/tansu.pid")" 2>/dev/null || break
    sleep 0.1
  done
  echo "the broker did not start on port $KAFKA_PORT; the end of $STATE/tansu.log:" >&2
  tail -n 20 "$STATE/tansu.log" >&2
  return 1
}

stop_tansu() {
  [ -f "$STATE/tansu.pid" ] && kill "$(cat "$STATE/tansu.pid")" 2>/dev/null || true
  rm -f "$STATE/tansu.pid"
}
