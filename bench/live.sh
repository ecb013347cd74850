#!/usr/bin/env bash
# The live bench: 2,000 viewers hold a WebSocket each on the live session; the host
# pins a product through the console (HTTP) and every viewer's delay to the pinned
# snapshot is measured; then 20 viewers post one chat message each and every socket
# counts what reaches it (40,000 deliveries). Once on 1 app process (granian ASGI,
# in-memory channel layer) and once on 2 processes sharing Redis, on a fresh
# PostgreSQL database gelar_live_bench; beside them, in the same run, a bare
# `websockets` broadcast server (no Django) with the same viewers as the baseline.
# What it measures and the latest figures: bench/README.md.
#
#   bench/live.sh [--viewers N] [--processes 1|2] [--chatters K]
#
#   --viewers    viewer sockets (default 2000, at most 5000)
#   --processes  1 or 2 app processes (default: both, one after the other)
#   --chatters   viewers who post one chat message each (default 20)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
source bench/lib.sh
ROOT=$PWD
PY=$ROOT/.venv/bin/python
GRANIAN=$ROOT/.venv/bin/granian

DB=gelar_live_bench
VIEWERS=2000
PROCESSES="1 2"
CHATTERS=20
# Each viewer is two open files on this machine (the client's end and the server's).
OPEN_FILES=8192

while [ $# -gt 0 ]; do
  case $1 in
    --viewers) VIEWERS=$2; shift ;;
    --processes) PROCESSES=$2; shift ;;
    --chatters) CHATTERS=$2; shift ;;
    -h | --help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
for n in "$VIEWERS" "$CHATTERS"; do
  case $n in '' | *[!0-9]* | 0) echo "--viewers and --chatters take a positive number" >&2; exit 2 ;; esac
done
case $PROCESSES in 1 | 2 | "1 2") ;; *) echo "--processes is 1 or 2" >&2; exit 2 ;; esac
if [ "$VIEWERS" -gt 5000 ] || [ "$CHATTERS" -gt "$VIEWERS" ]; then
  echo "at most 5000 viewers, and no more chatters than viewers" >&2
  exit 2
fi
if [ "$(ulimit -n)" -lt "$OPEN_FILES" ]; then
  ulimit -n "$OPEN_FILES" 2>/dev/null || true
fi
if [ "$(ulimit -n)" -lt $((VIEWERS * 2 + 256)) ]; then
  echo "open files: ulimit -n is $(ulimit -n), $VIEWERS viewers need $((VIEWERS * 2 + 256))" >&2
  exit 1
fi
test -x "$GRANIAN" || { echo "no $GRANIAN: run make install first" >&2; exit 1; }
"$PY" -c "import websockets" 2>/dev/null || { echo "no websockets: run make install first" >&2; exit 1; }
redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || "$PY" -c "import redis; redis.Redis(socket_timeout=2).ping()" ||
  { echo "the two-process run needs Redis on 127.0.0.1:6379" >&2; exit 1; }

TMP=$(mktemp -d /tmp/gelar-live.XXXXXX)
STAMP=$(date +%Y%m%d-%H%M%S)
mkdir -p bench/results
SERVERS=()
REDIS_DB=
stop_servers() {
  # stop_server (bench/lib.sh) stops one process group: each of ours in turn.
  for pid in "${SERVERS[@]}"; do SERVER_PID=$pid; stop_server; done
  SERVERS=()
}
cleanup() {
  trap '' INT TERM  # a second Ctrl-C must not cut the clean-up short
  stop_servers
  [ -z "$REDIS_DB" ] || "$PY" bench/live.py release-redis "$REDIS_DB" || true
  # The servers' logs are kept beside the results when they hold more than granian's
  # start-up lines: the traceback of a consumer, say.
  if grep -hqv -e '^\[INFO\] ' -e '^$' -e '^\[WARNING\] ASGI Lifespan errored' "$TMP"/server-*.log 2>/dev/null; then
    for log in "$TMP"/server-*.log; do echo "--- $(basename "$log")"; cat "$log"; done \
      >"bench/results/live-$STAMP-server.log" || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bench_environment "$DB"
unset REDIS_URL
free_port() { "$PY" -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"; }
json_field() { "$PY" -c "import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$@"; }

echo "== database $DB: new, migrated"
fresh_database "$DB"
manage collectstatic --noinput -v0

# start_app PORT [REDIS_URL]: a granian ASGI server of one worker, in its own process group.
start_app() {
  REDIS_URL=${2:-} DB_CONN_MAX_AGE=600 setsid "$GRANIAN" --interface asgi --workers 1 \
    --host 127.0.0.1 --port "$1" --log-level info gelar.asgi:application \
    >>"$TMP/server-$1.log" 2>&1 &
  SERVERS+=("$!")
}
# wait_ready URL: until it answers (any HTTP status when the second argument is "any").
wait_ready() {
  for _ in $(seq 150); do
    for pid in "${SERVERS[@]}"; do
      kill -0 "$pid" 2>/dev/null || { echo "a server exited; its log:" >&2; cat "$TMP"/server-*.log >&2; exit 1; }
    done
    code=$(curl -s -o /dev/null -w '%{http_code}' "$1" || true)
    if [ "$code" = 200 ] || { [ "${2:-}" = any ] && [ "$code" != 000 ]; }; then return 0; fi
    sleep 0.2
  done
  echo "$1 did not answer within 30 s" >&2
  exit 1
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
RUNS=()
for n in $PROCESSES; do
  "$PY" bench/live.py setup --chatters "$CHATTERS" --suffix "$n" >"$TMP/world-$n.json"
  WS_PATH=$(json_field "$TMP/world-$n.json" ws_path)
  POLL_PATH=$(json_field "$TMP/world-$n.json" poll_path)
  PIN_PATH=$(json_field "$TMP/world-$n.json" pin_path)
  redis_url=
  if [ "$n" = 2 ]; then
    REDIS_DB=$("$PY" bench/live.py claim-redis)
    redis_url=redis://127.0.0.1:6379/$REDIS_DB
    label="2 processes (Redis)"
  else
    label="1 process (in-memory)"
  fi
  ports=()
  for _ in $(seq "$n"); do port=$(free_port); ports+=("$port"); start_app "$port" "$redis_url"; done
  ws_args=()
  for port in "${ports[@]}"; do
    wait_ready "http://127.0.0.1:$port$POLL_PATH"
    ws_args+=(--ws "ws://127.0.0.1:$port$WS_PATH")
  done
  echo "== $label: $VIEWERS viewers on port(s) ${ports[*]}, the pin through ${ports[0]}, $CHATTERS chatters"
  "$PY" bench/live.py viewers "$TMP/world-$n.json" "${ws_args[@]}" --viewers "$VIEWERS" \
    --chatters "$CHATTERS" --pin "http://127.0.0.1:${ports[0]}$PIN_PATH" --label "$label" \
    --snapshot-out "$TMP/pinned.json" >"$TMP/run-$n.json"
  RUNS+=("$TMP/run-$n.json")
  stop_servers
  if [ -n "$REDIS_DB" ]; then "$PY" bench/live.py release-redis "$REDIS_DB"; REDIS_DB=; fi
done

echo "== baseline: a bare websockets broadcast server (one asyncio process, no Django)"
port=$(free_port)
setsid "$PY" bench/live.py baseline-server --port "$port" --snapshot "$TMP/pinned.json" \
  >>"$TMP/server-$port.log" 2>&1 &
SERVERS+=("$!")
wait_ready "http://127.0.0.1:$port/" any
"$PY" bench/live.py viewers "$TMP/world-${PROCESSES%% *}.json" --ws "ws://127.0.0.1:$port/" \
  --viewers "$VIEWERS" --chatters "$CHATTERS" --label "baseline (websockets)" >"$TMP/run-baseline.json"
stop_servers
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

RESULT_FILE=bench/results/live-$STAMP.txt
{
  echo "Gelar live bench, $(date '+%Y-%m-%d %H:%M %Z')"
  echo "commit:     $(git rev-parse --short HEAD 2>/dev/null || echo '?')$([ -z "$(git status --porcelain -- gelar bench 2>/dev/null)" ] || echo " + uncommitted changes")"
  echo "machine:    $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GB", $2 / 1048576}' /proc/meminfo); viewers, servers, Redis and PostgreSQL share them; load average $LOAD_BEFORE before, $LOAD_AFTER after"
  echo "software:   granian $("$GRANIAN" --version | awk '{print $2}'), Django $("$PY" -c 'import django; print(django.get_version())'), channels $("$PY" -c 'import channels; print(channels.__version__)'), websockets $("$PY" -c 'import websockets; print(websockets.__version__)'), PostgreSQL $("${PSQL[@]}" -d postgres -c 'SHOW server_version' | cut -d' ' -f1), Redis $(redis-cli -h 127.0.0.1 info server 2>/dev/null | sed -n 's/^redis_version:\(.*\)\r$/\1/p')"
  echo "app:        granian --interface asgi --workers 1 gelar.asgi:application per process, DEBUG=0,"
  echo "            DB_CONN_MAX_AGE=600; 1 process: in-memory channel layer; 2: channels_redis"
  echo "viewers:    bench/live.py viewers: $VIEWERS WebSockets in one asyncio process (websockets client,"
  echo "            no compression), spread over the processes; the pin: POST of the console's pin form"
  echo "            on process 1 (host session cookie); the chat: $CHATTERS viewers x 1 chat.send frame"
  echo "baseline:   bench/live.py baseline-server: websockets.broadcast() of the same pinned snapshot"
  echo "            and of each chat message to the same $VIEWERS sockets, one asyncio process"
  echo
  set +e
  "$PY" bench/live.py report "${RUNS[@]}" "$TMP/run-baseline.json" --viewers "$VIEWERS"
  echo "$?" >"$TMP/report.rc"
  set -e
} >"$RESULT_FILE"
echo
cat "$RESULT_FILE"
echo
echo "saved to $RESULT_FILE"
exit "$(cat "$TMP/report.rc")"
