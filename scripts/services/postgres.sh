#!/usr/bin/env bash
# PostgreSQL 15 for the SOCI repository suites: a throwaway cluster (initdb + pg_ctl, run as the
# `postgres` user: the server refuses root) in STATE_DIR, on a free loopback port chosen at start,
# trust authentication, fsync off (test data is disposable).
#
#   postgres.sh start STATE_DIR   prints on stdout:
#     export CONTENTGEN_TEST_PG_URL=postgresql://postgres@127.0.0.1:PORT/contentgen
#            (a database the suites may use; most suites create their own schema or database in it)
#     export CONTENTGEN_TEST_PG_ADMIN_URL=postgresql://postgres@127.0.0.1:PORT/postgres
#            (superuser on the maintenance database: CREATE/DROP DATABASE, pg_terminate_backend)
#     export CONTENTGEN_TEST_PG_BIN=/usr/lib/postgresql/15/bin
#   postgres.sh stop STATE_DIR    pg_ctl stop -m fast (a no-op when start never got that far)
#
# PG_FSYNC=on keeps fsync on (benchmarks that want durable commits). Logs go to STATE_DIR/log;
# nothing but export lines on stdout.
set -euo pipefail

cmd=${1:?usage: postgres.sh start|stop STATE_DIR}
state=${2:?usage: postgres.sh start|stop STATE_DIR}
mkdir -p "$state"
state=$(cd "$state" && pwd)
bin=${PG_BIN:-/usr/lib/postgresql/15/bin}

log() { echo "postgres.sh: $*" >&2; }
as_postgres() { runuser -u postgres -- "$@"; }

free_port() {
  /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
  if [ ! -x "$bin/initdb" ]; then
    log "PostgreSQL 15 is not installed ($bin/initdb missing); run scripts/lib/deps.sh"
    return 1
  fi
  # The state dir may sit under a root-only mktemp dir: postgres must be able to reach it.
  chmod 755 "$state"
  chown postgres:postgres "$state"
  as_postgres "$bin/initdb" -D "$state/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
    > "$state/initdb.log" 2>&1 || { log "initdb failed"; cat "$state/initdb.log" >&2; return 1; }
  local fsync=${PG_FSYNC:-off} port attempt
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    if as_postgres "$bin/pg_ctl" -D "$state/data" -l "$state/log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $state -c fsync=$fsync -c max_connections=200" \
        start > "$state/pg_ctl.out" 2>&1; then
      echo "$port" > "$state/port"
      break
    fi
    log "start on port $port failed (attempt $attempt)"
    tail -5 "$state/log" >&2 || true
    port=""
  done
  [ -n "$port" ] || { log "could not start PostgreSQL"; return 1; }
  "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres contentgen
  log "PostgreSQL 15 on 127.0.0.1:$port (data $state/data)"
  echo "export CONTENTGEN_TEST_PG_URL=postgresql://postgres@127.0.0.1:$port/contentgen"
  echo "export CONTENTGEN_TEST_PG_ADMIN_URL=postgresql://postgres@127.0.0.1:$port/postgres"
  echo "export CONTENTGEN_TEST_PG_BIN=$bin"
}

stop() {
  [ -f "$state/data/PG_VERSION" ] || return 0
  as_postgres "$bin/pg_ctl" -D "$state/data" -m fast -w -t 60 stop >> "$state/pg_ctl.out" 2>&1 || true
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: postgres.sh start|stop STATE_DIR" >&2; exit 2 ;;
esac
