#!/usr/bin/env bash
# The production topology on this machine, all on 127.0.0.1 (issue 9; docs/deploy.md):
#
#   nginx :8080 -> pages: granian WSGI :8101, :8102 (one worker x 2 threads each)
#               -> /ws/:  granian ASGI (asginl) :8111
#   PostgreSQL :5433 (its own cluster in var/topology/pg, database gelar_topo)
#   Redis :6380 (cache, channel layer, Celery broker), a Celery worker and Celery beat
#
#   bench/topology.sh up [--scale N] [--fresh]   start what is not running (idempotent)
#   bench/topology.sh down                       stop everything it started
#   bench/topology.sh restart                    the app processes again (new code)
#   bench/topology.sh status                     each part, and /readyz through nginx
#   bench/topology.sh check                      the deployment files (deploy/) are sound
#   bench/topology.sh start|stop PART            one part: pg redis web-8101 web-8102
#                                                live worker beat nginx (for the drills)
#
#   --scale   demo scale of gelar_topo (default: keep what it holds, 1 when new; the
#             page bench uses 10)
#   --fresh   drop gelar_topo and load it again
#
# It never touches the shared PostgreSQL (5432) or Redis (6379). Pids, logs and files
# live in var/topology/; every start waits at most START_TIMEOUT seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
T=$ROOT/var/topology
VENV=$ROOT/.venv/bin
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
PG_PORT=5433
REDIS_PORT=6380
NGINX_PORT=8080
WEB_PORTS=(8101 8102)
LIVE_PORT=8111
DB=gelar_topo
START_TIMEOUT=${START_TIMEOUT:-60}
PARTS=(pg redis web-8101 web-8102 live worker beat nginx)

# shellcheck source=bench/lib.sh
source bench/lib.sh

log() { echo "== $*"; }
die() { echo "topology: $*" >&2; exit 1; }

# wait_for SECONDS DESCRIPTION COMMAND...: run COMMAND every 0.2 s until it succeeds.
wait_for() {
  local seconds=$1 what=$2
  shift 2
  local tries=$((seconds * 5))
  for _ in $(seq "$tries"); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  die "$what did not come up within $seconds s (logs: $T/logs/)"
}

alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# The app's environment: what /etc/gelar/gelar.env holds in production (docs/deploy.md).
app_environment() {
  set -a
  # shellcheck disable=SC1091
  source "$T/gelar.env"
  set +a
}

write_environment() {
  mkdir -p "$T/logs" "$T/run" "$T/prometheus"
  [ -s "$T/secret_key" ] || "$VENV/python" -c "import secrets; print(secrets.token_urlsafe(50))" >"$T/secret_key"
  chmod 600 "$T/secret_key"
  # A sandbox-shaped Midtrans server key of this topology's own: the kill drill signs its
  # payment notifications with it (Midtrans itself cannot be reached from here).
  [ -s "$T/midtrans_server_key" ] || echo "SB-Mid-server-topology-$("$VENV/python" -c "import secrets; print(secrets.token_hex(12))")" >"$T/midtrans_server_key"
  chmod 600 "$T/midtrans_server_key"
  cat >"$T/gelar.env" <<EOF
DEBUG=0
SECRET_KEY_FILE=$T/secret_key
MIDTRANS_SERVER_KEY_FILE=$T/midtrans_server_key
DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/$DB
DB_CONN_MAX_AGE=600
REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
CELERY_BROKER_URL=redis://127.0.0.1:$REDIS_PORT/1
ALLOWED_HOSTS=127.0.0.1,localhost
CSRF_TRUSTED_ORIGINS=http://127.0.0.1:$NGINX_PORT
SITE_URL=http://127.0.0.1:$NGINX_PORT
GELAR_VAR_DIR=$T
SERVE_MEDIA=0
TRUSTED_PROXY_COUNT=1
LOG_LEVEL=INFO
LOG_FORMAT=json
PROMETHEUS_MULTIPROC_DIR=$T/prometheus
BENCH_VIEWS=1
PGOPTIONS=--client-min-messages=warning
EOF
}

psql_topo() { psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qAtX "$@"; }

# --- PostgreSQL: a cluster of its own, owned by the postgres user --------------------

pg_running() { "$PG_BIN/pg_isready" -h 127.0.0.1 -p "$PG_PORT" -q; }

start_pg() {
  if pg_running; then return 0; fi
  [ -n "$PG_BIN" ] || die "PostgreSQL's binaries are not installed"
  if [ ! -s "$T/pg/PG_VERSION" ]; then
    log "PostgreSQL: a new cluster in $T/pg"
    mkdir -p "$T/pg"
    chown postgres: "$T/pg"
    chmod 700 "$T/pg"
    runuser -u postgres -- "$PG_BIN/initdb" -D "$T/pg" -U postgres --auth=trust -E UTF8 \
      --locale=C.UTF-8 >"$T/logs/initdb.log" 2>&1 || { cat "$T/logs/initdb.log" >&2; exit 1; }
    # TCP on 127.0.0.1 only; the socket in var/topology/run; trust is for 127.0.0.1 only.
    cat >>"$T/pg/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$T/run'
max_connections = 100
fsync = on
EOF
    printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' >"$T/pg/pg_hba.conf"
  fi
  chown postgres: "$T/run" "$T/logs"
  touch "$T/logs/postgres.log" && chown postgres: "$T/logs/postgres.log"
  log "PostgreSQL on 127.0.0.1:$PG_PORT"
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$T/pg" -l "$T/logs/postgres.log" \
    -w -t "$START_TIMEOUT" start >/dev/null
  wait_for "$START_TIMEOUT" PostgreSQL pg_running
}

stop_pg() {
  [ -s "$T/pg/postmaster.pid" ] || return 0
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$T/pg" -m fast -w -t "$START_TIMEOUT" stop \
    >/dev/null 2>&1 || true
}

# --- Redis ---------------------------------------------------------------------------

redis_running() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; }

start_redis() {
  if redis_running; then return 0; fi
  log "Redis on 127.0.0.1:$REDIS_PORT"
  mkdir -p "$T/redis"
  # No snapshots: the topology is a rig. Production Redis keeps the broker's queue on
  # disk (appendonly, docs/deploy.md).
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
    --daemonize yes --pidfile "$T/redis.pid" --dir "$T/redis" --logfile "$T/logs/redis.log"
  wait_for "$START_TIMEOUT" Redis redis_running
}

stop_redis() {
  if redis_running; then redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true; fi
  for _ in $(seq 50); do redis_running || break; sleep 0.1; done
  rm -f "$T/redis.pid"
}

# --- the database: migrated, the demo loaded once (again with --fresh or a new scale) --

prepare_database() {
  local scale=$1 fresh=$2 loaded
  app_environment
  loaded=$(psql_topo -d postgres -c "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '$DB'")
  if [ -z "$scale" ]; then
    case $loaded in "demo scale "*) scale=${loaded#demo scale } ;; *) scale=1 ;; esac
  fi
  if [ "$fresh" = 1 ] || [ "$loaded" != "demo scale $scale" ]; then
    log "database $DB: new, migrated, demo at scale $scale"
    psql_topo -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
    psql_topo -d postgres -c "CREATE DATABASE $DB"
    "$VENV/python" manage.py migrate -v0
    "$VENV/python" manage.py load_demo --scale "$scale" >"$T/logs/load_demo.log"
    psql_topo -d "$DB" -c "ANALYZE"
    psql_topo -d postgres -c "COMMENT ON DATABASE $DB IS 'demo scale $scale'"
  else
    "$VENV/python" manage.py migrate -v0
  fi
  "$VENV/python" manage.py collectstatic --noinput -v0
}

# --- the app processes, each in its own process group with a pid file ----------------

# spawn NAME COMMAND...: start COMMAND detached (setsid), log to logs/NAME.log.
spawn() {
  local name=$1
  shift
  app_environment
  setsid "$@" >>"$T/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$T/$name.pid"
}

# The metrics' multi-process directory starts empty (docs/deploy.md), unless an app
# process is still running and writing to it.
clear_metrics() {
  local part
  for part in web-8101 web-8102 live worker beat; do alive "$T/$part.pid" && return 0; done
  rm -rf "${T:?}/prometheus" && mkdir -p "$T/prometheus"
}

http_ok() { [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$1")" = 200 ]; }

start_web() {
  local port=$1 name=web-$1
  if alive "$T/$name.pid"; then return 0; fi
  log "pages: granian WSGI on 127.0.0.1:$port"
  # One worker with two threads per process (docs/adr/0001): two processes make the
  # single server's 2 workers x 2 threads, now behind nginx.
  spawn "$name" "$VENV/granian" --interface wsgi --workers 1 --blocking-threads 2 --no-ws \
    --host 127.0.0.1 --port "$port" --respawn-failed-workers \
    --access-log --access-log-fmt 'ACCESS %(status)d %(method)s %(path)s' \
    gelar.wsgi:application
  wait_for "$START_TIMEOUT" "$name" http_ok "http://127.0.0.1:$port/readyz"
}

start_live() {
  local name=live
  if alive "$T/$name.pid"; then return 0; fi
  log "live sockets: granian ASGI on 127.0.0.1:$LIVE_PORT"
  spawn "$name" "$VENV/granian" --interface asginl --workers 1 --host 127.0.0.1 \
    --port "$LIVE_PORT" --respawn-failed-workers gelar.asgi:application
  wait_for "$START_TIMEOUT" live http_ok "http://127.0.0.1:$LIVE_PORT/readyz"
}

worker_ready() { grep -q "ready\." "$T/logs/worker.log"; }

start_worker() {
  if alive "$T/worker.pid"; then return 0; fi
  log "Celery worker"
  : >"$T/logs/worker.log"
  spawn worker "$VENV/celery" -A gelar worker --concurrency 2 --loglevel INFO \
    --hostname "worker@127.0.0.1" --without-gossip --without-mingle
  wait_for "$START_TIMEOUT" "the Celery worker" worker_ready
}

start_beat() {
  if alive "$T/beat.pid"; then return 0; fi
  log "Celery beat"
  spawn beat "$VENV/celery" -A gelar beat --loglevel INFO --pidfile=
  wait_for "$START_TIMEOUT" "Celery beat" grep -q "beat: Starting" "$T/logs/beat.log"
}

nginx_running() { alive "$T/nginx.pid"; }

write_nginx_conf() {
  mkdir -p "$T/nginx"
  local web_servers="" port
  for port in "${WEB_PORTS[@]}"; do
    web_servers+="    server 127.0.0.1:$port max_fails=1 fail_timeout=5s;"$'\n'
  done
  # The same locations as production (deploy/nginx/gelar-server.conf); only the
  # listener, the paths and the process model differ.
  cat >"$T/nginx.conf" <<EOF
# Written by bench/topology.sh: do not edit (edit deploy/nginx/ instead).
daemon on;
user www-data;
worker_processes 1;
pid $T/nginx.pid;
error_log $T/logs/nginx-error.log warn;
events { worker_connections 4096; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path $T/nginx/body;
    proxy_temp_path $T/nginx/proxy;
    fastcgi_temp_path $T/nginx/fastcgi;
    uwsgi_temp_path $T/nginx/uwsgi;
    scgi_temp_path $T/nginx/scgi;
    sendfile on;
    tcp_nopush on;
    include $ROOT/deploy/nginx/gelar-http.conf;
    access_log $T/logs/nginx-access.log gelar;

    upstream gelar_pages {
$web_servers        keepalive 32;
    }
    upstream gelar_live {
        server 127.0.0.1:$LIVE_PORT max_fails=1 fail_timeout=5s;
    }
    server {
        listen 127.0.0.1:$NGINX_PORT;
        server_name 127.0.0.1 localhost;
        set \$gelar_var $T;
        include $ROOT/deploy/nginx/gelar-server.conf;
    }
}
EOF
}

start_nginx() {
  write_nginx_conf
  nginx -t -q -c "$T/nginx.conf" 2>"$T/logs/nginx-test.log" || { cat "$T/logs/nginx-test.log" >&2; die "nginx refused its configuration"; }
  if nginx_running; then
    nginx -c "$T/nginx.conf" -s reload 2>/dev/null
    return 0
  fi
  log "nginx on 127.0.0.1:$NGINX_PORT"
  nginx -c "$T/nginx.conf"
  wait_for "$START_TIMEOUT" nginx http_ok "http://127.0.0.1:$NGINX_PORT/readyz"
}

# stop_group NAME: TERM the process group of NAME's pid file, KILL after 10 s.
stop_group() {
  local pidfile=$T/$1.pid pid
  [ -s "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$pidfile"
}

stop_nginx() {
  if nginx_running; then
    nginx -c "$T/nginx.conf" -s quit 2>/dev/null || true
    for _ in $(seq 100); do nginx_running || break; sleep 0.1; done
    nginx_running && kill -KILL "$(cat "$T/nginx.pid")" 2>/dev/null || true
  fi
  rm -f "$T/nginx.pid"
}

start_part() {
  case $1 in
    pg) start_pg ;;
    redis) start_redis ;;
    web-*) start_web "${1#web-}" ;;
    live) start_live ;;
    worker) start_worker ;;
    beat) start_beat ;;
    nginx) start_nginx ;;
    *) die "unknown part $1 (${PARTS[*]})" ;;
  esac
}

stop_part() {
  case $1 in
    pg) stop_pg ;;
    redis) stop_redis ;;
    web-* | live | worker | beat) stop_group "$1" ;;
    nginx) stop_nginx ;;
    *) die "unknown part $1 (${PARTS[*]})" ;;
  esac
}

# --- the commands ----------------------------------------------------------------------

up() {
  local scale="" fresh=0
  while [ $# -gt 0 ]; do
    case $1 in
      --scale) scale=$2; shift ;;
      --fresh) fresh=1 ;;
      *) die "unknown option $1 (see --help)" ;;
    esac
    shift
  done
  case $scale in *[!0-9]* | 0) die "--scale takes a positive number" ;; esac
  command -v redis-server >/dev/null || install_missing redis-server redis-server
  install_missing nginx nginx
  test -x "$VENV/celery" || die "no $VENV/celery: run make install first"
  write_environment
  start_pg
  start_redis
  prepare_database "$scale" "$fresh"
  clear_metrics
  local port
  for port in "${WEB_PORTS[@]}"; do start_web "$port"; done
  start_live
  start_worker
  start_beat
  start_nginx
  status
}

down() {
  stop_nginx
  local part
  for part in beat worker live web-8102 web-8101; do stop_group "$part"; done
  stop_redis
  stop_pg
  log "topology stopped"
}

status() {
  local part state failed=0
  for part in "${PARTS[@]}"; do
    case $part in
      pg) pg_running && state="up (127.0.0.1:$PG_PORT, $T/pg)" || state=down ;;
      redis) redis_running && state="up (127.0.0.1:$REDIS_PORT)" || state=down ;;
      nginx) nginx_running && state="up (127.0.0.1:$NGINX_PORT, pid $(cat "$T/nginx.pid"))" || state=down ;;
      *) alive "$T/$part.pid" && state="up (pid $(cat "$T/$part.pid"))" || state=down ;;
    esac
    [ "$state" = down ] && failed=1
    printf '%-9s %s\n' "$part" "$state"
  done
  local ready
  ready=$(curl -s -m 5 -w ' HTTP %{http_code}' "http://127.0.0.1:$NGINX_PORT/readyz") || ready="no answer"
  printf '%-9s %s\n' readyz "$ready"
  case $ready in *"HTTP 200") ;; *) failed=1 ;; esac
  # Nothing of the topology listens beyond 127.0.0.1.
  local open
  open=$(ss -Hltn "( sport = :$NGINX_PORT or sport = :$PG_PORT or sport = :$REDIS_PORT or sport = :${WEB_PORTS[0]} or sport = :${WEB_PORTS[1]} or sport = :$LIVE_PORT )" |
    awk '{print $4}' | grep -v '^127\.0\.0\.1:' || true)
  if [ -n "$open" ]; then
    echo "listening beyond 127.0.0.1: $open"
    failed=1
  fi
  return "$failed"
}

check() {
  "$VENV/python" -m pytest -q -p no:cacheprovider "$ROOT/gelar/common/tests/test_deploy_files.py"
}

case ${1:-} in
  up) shift; up "$@" ;;
  down) down ;;
  status) status ;;
  restart)
    write_environment
    for part in beat worker live web-8102 web-8101; do stop_group "$part"; done
    clear_metrics
    for port in "${WEB_PORTS[@]}"; do start_web "$port"; done
    start_live
    start_worker
    start_beat
    status
    ;;
  check) check ;;
  start) [ $# = 2 ] || die "start PART"; write_environment; start_part "$2" ;;
  stop) [ $# = 2 ] || die "stop PART"; stop_part "$2" ;;
  -h | --help | "") sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) die "unknown command $1 (see --help)" ;;
esac
