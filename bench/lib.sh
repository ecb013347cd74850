# shellcheck shell=bash
# Shared by the bench scripts (sourced, not run): installing a missing Debian tool, and
# starting, warming up and stopping the production-like page server they measure.

# install_missing COMMAND PACKAGE: apt-get install PACKAGE unless COMMAND is on PATH.
install_missing() {
  command -v "$1" >/dev/null && return 0
  echo "== installing $1 (Debian's $2)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}

SERVER_PID=
stop_server() {
  if [ -n "$SERVER_PID" ]; then
    # granian runs in its own process group (setsid): stop the workers with it.
    kill -TERM -- "-$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
  fi
}

# start_wsgi_server LOG WARM_URL: granian in WSGI mode ($WORKERS workers x
# $BLOCKING_THREADS threads, persistent database connections, an "ACCESS <status>" line
# per request in LOG) on a free port of 127.0.0.1; sets BASE and SERVER_PID, waits until
# /bench/bare/ answers (30 s at most), then warms every thread up with the bare view and
# WARM_URL (a path), as a server that has been up a while has. Needs $PY and $GRANIAN.
start_wsgi_server() {
  local log=$1 warm=$2 port ready=0
  port=$("$PY" -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
  BASE=http://127.0.0.1:$port
  echo "== granian WSGI on $BASE"
  DB_CONN_MAX_AGE=600 setsid "$GRANIAN" --log-level info --interface wsgi \
    --workers "$WORKERS" --blocking-threads "$BLOCKING_THREADS" --no-ws \
    --host 127.0.0.1 --port "$port" --access-log --access-log-fmt 'ACCESS %(status)d %(method)s %(path)s' \
    gelar.wsgi:application >>"$log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 150); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "the server exited; its log:" >&2
      cat "$log" >&2
      exit 1
    fi
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/bench/bare/")" = 200 ]; then ready=1; break; fi
    sleep 0.2
  done
  [ "$ready" = 1 ] || { echo "the server did not answer within 30 s; its log:" >&2; cat "$log" >&2; exit 1; }
  for _ in $(seq 16); do
    curl -s -o /dev/null "$BASE/bench/bare/" &
    curl -s -o /dev/null "$BASE$warm" &
  done
  local job
  for job in $(jobs -p); do [ "$job" = "$SERVER_PID" ] || wait "$job" || true; done
}

# bench_environment DB: the app as production runs it, against PostgreSQL database DB
# (DEBUG off, a throwaway secret key, the bench views, static files under $TMP);
# defines PSQL (an array: psql to 127.0.0.1 as postgres, quiet, unaligned) and
# manage (manage.py with $PY). Needs $PY, $TMP and $ROOT.
bench_environment() {
  export PGOPTIONS='--client-min-messages=warning'
  PSQL=(psql -h 127.0.0.1 -p 5432 -U postgres -v ON_ERROR_STOP=1 -qAtX)
  export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$1
  export DEBUG=0
  SECRET_KEY=$("$PY" -c "import secrets; print(secrets.token_urlsafe(50))")
  export SECRET_KEY
  export ALLOWED_HOSTS=127.0.0.1
  export BENCH_VIEWS=1
  export STATIC_ROOT=$TMP/static
  export GELAR_VAR_DIR=$ROOT/var/bench
  export LOG_LEVEL=WARNING
}
manage() { "$PY" manage.py "$@"; }

# fresh_database DB: drop and create DB, then migrate it.
fresh_database() {
  "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)"
  "${PSQL[@]}" -d postgres -c "CREATE DATABASE $1"
  manage migrate -v0
}
