#!/usr/bin/env bash
# The page bench: the public pages and the bare baseline view under the production
# server set-up (granian WSGI, 2 workers, DEBUG off, persistent database connections)
# on the scaled demo in PostgreSQL, driven by wrk on 127.0.0.1. What it measures and
# the latest figures: bench/README.md.
#
#   bench/pages.sh [--reload | --no-load] [--asgi [--rounds N]] [--duration S] [--threads N]
#                  [--topology] [--scale N]
#
#   --reload     recreate gelar_bench and load the demo even if it holds this scale
#   --no-load    bench whatever gelar_bench holds (migrations still run)
#   --asgi       then compare server set-ups on the bare view and the booth page:
#                granian WSGI, ASGI, ASGI with a connection pool, interleaved
#   --rounds     rounds of that comparison (default 3; medians are printed)
#   --duration   seconds measured per URL (default 10; each run follows a 2 s warm-up)
#   --threads    granian WSGI blocking threads per worker (default 2)
#   --scale      the demo's scale (default 10)
#   --topology   then the same pages through the topology of bench/topology.sh (nginx,
#                2 page processes, its own PostgreSQL and Redis), the demo at the same
#                scale in its database; printed beside the single server's figures
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
source bench/lib.sh
ROOT=$PWD
PY=$ROOT/.venv/bin/python
GRANIAN=$ROOT/.venv/bin/granian

SCALE=10
DB=gelar_bench
LOAD=auto
ASGI=0
TOPOLOGY=0
# The processes whose CPU counts as the run's own (cpu_ticks), besides the server's group.
OURS_RE='^postgres$'
ROUNDS=3
DURATION=10
WARMUP=2
WRK_THREADS=2
WRK_CONNECTIONS=32
# A request slower than this counts as an error; slow pages under 32 connections
# queue for several seconds, and a timeout must mean a failure, not a queue.
WRK_TIMEOUT=30
WORKERS=2
POOL_LIB=$ROOT/var/bench/pylib
POOL_VERSION=3.3.3
# Granian's WSGI default is backpressure/2 = 256 threads per worker, each holding its
# own persistent PostgreSQL connection once used. Measured (bench/README.md): 1 or 2
# serve the bare view twice as fast as 4; 2 keep a worker serving while one slow
# request (search: 0.1-0.8 s) runs.
BLOCKING_THREADS=2

while [ $# -gt 0 ]; do
  case $1 in
    --reload) LOAD=always ;;
    --no-load) LOAD=never ;;
    --asgi) ASGI=1 ;;
    --duration) DURATION=$2; shift ;;
    --threads) BLOCKING_THREADS=$2; shift ;;
    --rounds) ROUNDS=$2; shift ;;
    --topology) TOPOLOGY=1 ;;
    --scale) SCALE=$2; shift ;;
    -h | --help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
for n in "$DURATION" "$BLOCKING_THREADS" "$ROUNDS" "$SCALE"; do
  case $n in '' | *[!0-9]* | 0) echo "--duration, --threads, --rounds, --scale take a positive number" >&2; exit 2 ;; esac
done
WARMUP_CONNECTIONS=$((WORKERS * BLOCKING_THREADS))

install_missing wrk wrk
test -x "$GRANIAN" || { echo "no $GRANIAN: run make install first" >&2; exit 1; }

TMP=$(mktemp -d /tmp/gelar-bench.XXXXXX)
STAMP=$(date +%Y%m%d-%H%M%S)
mkdir -p bench/results
cleanup() {
  stop_server
  # Server logs (tracebacks of any 5xx) are kept beside the results.
  for log in "$TMP"/server-*.log; do
    if [ -s "$log" ]; then cp "$log" "bench/results/pages-$STAMP-$(basename "$log")"; fi
  done
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PSQL=(psql -h 127.0.0.1 -p 5432 -U postgres -v ON_ERROR_STOP=1 -qAtX)
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB
# Persistent connections, as in production (start_server says why not under ASGI).
DB_CONN_MAX_AGE=600
export DEBUG=0
SECRET_KEY=$("$PY" -c "import secrets; print(secrets.token_urlsafe(50))")
export SECRET_KEY
export ALLOWED_HOSTS=127.0.0.1
export BENCH_VIEWS=1
export STATIC_ROOT=$TMP/static
# Media of the bench database (demo images, if any) live beside it, apart from make demo's.
export GELAR_VAR_DIR=$ROOT/var/bench
export LOG_LEVEL=WARNING
manage() { "$PY" manage.py "$@"; }

echo "== database $DB"
# The database's comment records what was loaded; a change to the loader or to any
# migration loads it again, into a new database: migrations edited or added out of
# order (a custom user model, say) cannot be applied over the old one.
signature() {
  {
    echo "scale=$SCALE"
    find gelar/demo gelar/*/migrations -name '*.py' -not -path '*/tests/*' | sort | xargs cat
  } | sha256sum | cut -c1-16
}
WANTED="load_demo --scale $SCALE @ $(signature)"
LOADED=$("${PSQL[@]}" -d postgres -c \
  "SELECT coalesce(shobj_description(oid, 'pg_database'), '') FROM pg_database WHERE datname = '$DB'")
create_database() {
  if [ -z "$("${PSQL[@]}" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" ]; then
    "${PSQL[@]}" -d postgres -c "CREATE DATABASE $DB"
  fi
}
if [ "$LOAD" = never ]; then
  create_database
  manage migrate -v0
  DATA_NOTE="--no-load; holds: ${LOADED:-nothing recorded}"
  echo "   $DATA_NOTE"
elif [ ! -f gelar/demo/management/commands/load_demo.py ]; then
  create_database
  manage migrate -v0
  DATA_NOTE="no demo: gelar/demo/management/commands/load_demo.py does not exist"
  echo "   WARNING: $DATA_NOTE"
elif [ "$LOAD" = auto ] && [ "$LOADED" = "$WANTED" ]; then
  manage migrate -v0
  DATA_NOTE="$WANTED, loaded before this run"
  echo "   demo already loaded ($WANTED); --reload loads it again"
else
  echo "   new database, migrations, load_demo --scale $SCALE --reset"
  start=$(date +%s)
  "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
  create_database
  manage migrate -v0
  manage load_demo --scale "$SCALE" --reset
  "${PSQL[@]}" -d postgres -c "COMMENT ON DATABASE $DB IS '$WANTED'"
  DATA_NOTE="$WANTED, loaded by this run in $(($(date +%s) - start)) s"
  echo "   $DATA_NOTE"
fi

# A freshly loaded database has no planner statistics until autovacuum comes round
# (measured: the search page's plan took 790 ms instead of 250 ms without them);
# production tables have them.
"${PSQL[@]}" -d "$DB" -c "ANALYZE"
manage collectstatic --noinput -v0

echo "== URLs"
"$PY" bench/pick_urls.py >"$TMP/urls.tsv"
CATALOGUE=$(sed -n 's/^#\t//p' "$TMP/urls.tsv")
sed -i '/^#/d' "$TMP/urls.tsv"
echo "   catalogue: $CATALOGUE"
while IFS=$'\t' read -r name path note; do
  printf '   %-20s %s%s\n' "$name" "$path" "${note:+  ($note)}"
done <"$TMP/urls.tsv"

RESULT_FILE=bench/results/pages-$STAMP.txt

PORT=$("$PY" -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
BASE=http://127.0.0.1:$PORT

# start_server MODE: serve the app in one of the compared set-ups.
#   wsgi       the production set-up: sync views on granian's blocking threads,
#              persistent connections (one per thread)
#   asgi       the same views through Django's ASGI handler, no persistent connections:
#              Django runs each request's sync view in a thread of its own, so a
#              per-thread connection is never reused, and with DB_CONN_MAX_AGE > 0 each
#              request leaves one open until PostgreSQL refuses clients (measured
#              here: "too many clients" within 3 s); Django's docs say to disable them
#   asgi-pool  as asgi, with psycopg's connection pool (the docs' advice for ASGI)
start_server() {
  local mode=$1 env=() args=()
  case $mode in
    wsgi)
      env=("DB_CONN_MAX_AGE=$DB_CONN_MAX_AGE")
      args=(--interface wsgi --blocking-threads "$BLOCKING_THREADS" gelar.wsgi:application) ;;
    asgi)
      env=(DB_CONN_MAX_AGE=0)
      args=(--interface asgi gelar.asgi:application) ;;
    asgi-pool)
      env=(DB_CONN_MAX_AGE=0 DJANGO_SETTINGS_MODULE=settings_asgi_pool "PYTHONPATH=bench:$POOL_LIB")
      args=(--interface asgi gelar.asgi:application) ;;
  esac
  args=(--workers "$WORKERS" --no-ws --host 127.0.0.1 --port "$PORT" "${args[@]}")
  SERVER_CMD="${env[*]} granian ${args[*]}"
  SERVER_CMD=${SERVER_CMD//$ROOT\//}
  env "${env[@]}" setsid "$GRANIAN" --log-level warning "${args[@]}" >>"$TMP/server-$mode.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 150); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "the server exited; its log:" >&2
      cat "$TMP/server-$mode.log" >&2
      exit 1
    fi
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/bench/bare/")" = 200 ]; then
      return 0
    fi
    sleep 0.2
  done
  echo "the server did not answer 200 on /bench/bare/ within 30 s; its log:" >&2
  cat "$TMP/server-$mode.log" >&2
  exit 1
}

# drain: waits (at most 60 s) until the server answers the bare view at once again,
# so that requests left running by the last wrk do not count against the next URL.
drain() {
  local t
  for _ in $(seq 120); do
    t=$(curl -s -o /dev/null -w '%{time_total}' "$BASE/bench/bare/" || echo 9)
    awk -v t="$t" 'BEGIN { exit !(t < 0.1) }' && return 0
    sleep 0.5
  done
  echo "   WARNING: the server was still busy 60 s after wrk stopped" >&2
}

# cpu_ticks: "total busy ours" in clock ticks since boot, all cores. ours: the server's
# process group, PostgreSQL (exited backends included, through the postmaster) and
# what this script waited for (wrk). busy - ours is other work on the machine,
# whose share of a run is printed in the "other CPU" column.
cpu_ticks() {
  local total_busy
  total_busy=$(awk '/^cpu / { busy = $2 + $3 + $4 + $7 + $8 + $9; print busy + $5 + $6, busy }' /proc/stat)
  echo "$total_busy $(cat /proc/[0-9]*/stat 2>/dev/null | awk -v group="$SERVER_PID" -v me=$$ -v ours_re="$OURS_RE" '
    {
      # The command name sits in parentheses and may hold spaces: split after it.
      end = 0
      while ((i = index(substr($0, end + 1), ")")) > 0) end += i
      comm = substr($0, index($0, "(") + 1, end - index($0, "(") - 1)
      split(substr($0, end + 2), f, " ")
      if (f[3] == group || comm ~ ours_re) ours += f[12] + f[13] + f[14] + f[15]
      else if ($1 == me) ours += f[14] + f[15]
    }
    END { print ours + 0 }')"
}

# bench_url OUT MODE NAME PATH: appends one result row to the file OUT
bench_url() {
  local results=$1 mode=$2 name=$3 path=$4 out line
  if [ "$path" = - ]; then
    printf '%s\t%s\t-\t-\t-\t-\t-\t-\t-\tnot benched: no data\n' "$mode" "$name" >>"$results"
    return
  fi
  local check rps p50 p95 p99 requests non2xx status errors before after other
  check=$(curl -s -o /dev/null -w '%{http_code} %{size_download}' "$BASE$path")
  # The warm-up opens no more connections than the server has threads: requests a
  # closing wrk abandons still run, and 32 of them on a slow page would spill into
  # the measured run.
  wrk -t"$WRK_THREADS" -c"$WARMUP_CONNECTIONS" -d"${WARMUP}s" "$BASE$path" >/dev/null
  drain
  before=$(cpu_ticks)
  out=$(wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"${DURATION}s" --timeout "${WRK_TIMEOUT}s" \
    -s bench/wrk_report.lua "$BASE$path")
  after=$(cpu_ticks)
  other=$(echo "$before $after" | awk '{ printf "%.0f", 100 * (($5 - $2) - ($6 - $3)) / ($4 - $1) }')
  drain
  line=$(grep '^RESULT ' <<<"$out") || { echo "$out" >&2; echo "wrk printed no RESULT" >&2; exit 1; }
  read -r _ rps p50 p95 p99 requests non2xx status errors <<<"$line"
  local note="GET ${check% *}, ${check#* } bytes"
  [ "$non2xx" -gt 0 ] && note="$note; first non-2xx: $status"
  [ "$errors" -gt 0 ] && note="$note; $errors socket errors or timeouts (${WRK_TIMEOUT} s)"
  [ "$requests" -lt 200 ] && note="$note; few requests: rough percentiles"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$mode" "$name" \
    "$rps" "$p50" "$p95" "$p99" "$requests" "$non2xx" "$other" "$note" >>"$results"
  printf '   %-9s %-20s %8s req/s  p99 %8s ms  non-2xx %s  errors %s  other CPU %s %%\n' \
    "$mode" "$name" "$rps" "$p99" "$non2xx" "$errors" "$other"
}

: >"$TMP/results.tsv"
echo "== granian WSGI on $BASE: ${DURATION} s per URL after ${WARMUP} s warm-up, wrk -t$WRK_THREADS -c$WRK_CONNECTIONS"
start_server wsgi
WSGI_CMD=$SERVER_CMD
while IFS=$'\t' read -r name path _; do
  bench_url "$TMP/results.tsv" wsgi "$name" "$path"
done <"$TMP/urls.tsv"
PG_CONNECTIONS=$("${PSQL[@]}" -d postgres -c \
  "SELECT count(*) FROM pg_stat_activity WHERE datname = '$DB' AND pid <> pg_backend_pid()")
stop_server

COMPARE_CMDS=()
: >"$TMP/compare.tsv"
if [ "$ASGI" = 1 ]; then
  if ! PYTHONPATH=$POOL_LIB "$PY" -c "import psycopg_pool" 2>/dev/null; then
    echo "== installing psycopg-pool into $POOL_LIB (for the asgi-pool runs only)"
    "$PY" -m pip install -q --no-deps --target "$POOL_LIB" "psycopg-pool==$POOL_VERSION"
  fi
  # The booth page stands for the pages: a template and a few queries. The set-ups
  # take turns, round after round, so that other work on the machine (load average
  # in the header) falls on all of them alike.
  page=$(awk -F'\t' '$1 == "booth" && $2 != "-" {print $1}' "$TMP/urls.tsv")
  for round in $(seq "$ROUNDS"); do
    for mode in wsgi asgi asgi-pool; do
      echo "== round $round/$ROUNDS: granian $mode on $BASE, bare view and ${page:-expo-list}"
      start_server "$mode"
      [ "$round" = 1 ] && COMPARE_CMDS+=("$SERVER_CMD")
      while IFS=$'\t' read -r name path _; do
        case $name in bare | "${page:-expo-list}") bench_url "$TMP/compare.tsv" "$mode" "$name" "$path" ;; esac
      done <"$TMP/urls.tsv"
      stop_server
    done
  done
fi

if [ "$TOPOLOGY" = 1 ]; then
  echo "== the topology (bench/topology.sh up --scale $SCALE): nginx 127.0.0.1:8080 -> 8101, 8102"
  bench/topology.sh up --scale "$SCALE" >"$TMP/topology.log" 2>&1 || { cat "$TMP/topology.log" >&2; exit 1; }
  (
    set -a
    # shellcheck disable=SC1091
    source var/topology/gelar.env
    set +a
    LOG_LEVEL=WARNING "$PY" bench/pick_urls.py
  ) | sed '/^#/d' >"$TMP/topology-urls.tsv"
  BASE=http://127.0.0.1:8080
  SERVER_PID=
  OURS_RE='^(postgres|granian|nginx|redis-server|celery)$'
  while IFS=$'\t' read -r name path _; do
    bench_url "$TMP/results.tsv" topology "$name" "$path"
  done <"$TMP/topology-urls.tsv"
fi

{
  echo "Gelar page bench, $(date '+%Y-%m-%d %H:%M %Z')"
  echo "commit:     $(git rev-parse --short HEAD 2>/dev/null || echo '?')$([ -z "$(git status --porcelain -- gelar bench 2>/dev/null)" ] || echo " + uncommitted changes")"
  echo "machine:    $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GB", $2 / 1048576}' /proc/meminfo); wrk and the server share them"
  echo "software:   granian $("$GRANIAN" --version | awk '{print $2}'), Django $("$PY" -c 'import django; print(django.get_version())'), PostgreSQL $("${PSQL[@]}" -d postgres -c 'SHOW server_version' | cut -d' ' -f1)"
  echo "data:       $DB: $CATALOGUE ($DATA_NOTE)"
  echo "server:     $WSGI_CMD"
  echo "            DEBUG=0; $PG_CONNECTIONS PostgreSQL connections open at the end of the WSGI runs"
  echo "load:       wrk -t$WRK_THREADS -c$WRK_CONNECTIONS --timeout ${WRK_TIMEOUT}s, ${DURATION} s per URL after a ${WARMUP} s warm-up (-c$WARMUP_CONNECTIONS), keep-alive, 127.0.0.1"
  echo
  "$PY" bench/table.py "$TMP/results.tsv"
  echo
  echo "x bare: req/s of the page over req/s of the bare view in the same mode and run."
  echo "other CPU: share of the machine's CPU that processes other than wrk, the server and"
  echo "PostgreSQL used during the run (tests of other sessions, say); a row with more than a"
  echo "few % measured a machine shared with them and is worth less."
  echo "Under wrk's 32 connections every page is saturated: latency is mostly queueing"
  echo "(p50 is about 32 / req/s); compare req/s and x bare between runs."
  if [ "$TOPOLOGY" = 1 ]; then
    echo
    echo "One server beside the topology (bench/topology.sh: nginx -> granian WSGI on 8101"
    echo "and 8102, 1 worker x 2 threads each; its own PostgreSQL 5433 holding the same demo"
    echo "scale, Redis cache, JSON access logs), req/s:"
    awk -F'\t' '$1 == "wsgi" { one[$2] = $3; order[++n] = $2 } $1 == "topology" { topo[$2] = $3 }
      END {
        printf "  %-20s %10s %10s %8s\n", "page", "one server", "topology", "ratio"
        for (i = 1; i <= n; i++) {
          p = order[i]
          if (one[p] == "-" || topo[p] == "" || topo[p] == "-") continue
          printf "  %-20s %10.1f %10.1f %8.2f\n", p, one[p], topo[p], topo[p] / one[p]
        }
      }' "$TMP/results.tsv"
  fi
  if [ -s "$TMP/compare.tsv" ]; then
    echo
    echo "Server set-ups compared, taking turns for $ROUNDS round(s) (medians):"
    for cmd in "${COMPARE_CMDS[@]}"; do echo "  $cmd"; done
    echo
    "$PY" bench/table.py "$TMP/compare.tsv"
  fi
  echo
  echo "URLs:"
  while IFS=$'\t' read -r name path note; do
    printf '  %-20s %s%s\n' "$name" "$path" "${note:+  ($note)}"
  done <"$TMP/urls.tsv"
} >"$RESULT_FILE"
echo
cat "$RESULT_FILE"
echo
echo "saved to $RESULT_FILE"
