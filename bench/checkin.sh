#!/usr/bin/env bash
# The check-in bench: 10,000 tickets on a fresh PostgreSQL database gelar_checkin, the
# gate API (POST /api/v1/gate/scan and /api/v1/gate/sync) under the production server
# set-up (granian WSGI, 2 workers x 2 blocking threads, DEBUG off, persistent
# connections). First four gates scan every ticket online at once (scans/s,
# p50/p95/p99); then, after a reset (a new day), the four gates sync 10,000 queued
# offline scans at once, 5 % of the tickets scanned at two gates: sync time, admissions
# (one per ticket), conflicts (all of them), scans lost (none), a repeated sync. Beside
# it, pgbench's conditional UPDATE of ticket rows in the same PostgreSQL as the
# baseline. What it measures and the latest figures: bench/README.md.
#
#   bench/checkin.sh [--tickets N] [--gates N]
#
#   --tickets   tickets (default 10000, at most 20000)
#   --gates     gate devices scanning at once (default 4, at most 8)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
source bench/lib.sh
ROOT=$PWD
PY=$ROOT/.venv/bin/python
GRANIAN=$ROOT/.venv/bin/granian

DB=gelar_checkin
TICKETS=10000
GATES=4
WORKERS=2
BLOCKING_THREADS=2
PGBENCH_THREADS=2
PGBENCH_SECONDS=10

while [ $# -gt 0 ]; do
  case $1 in
    --tickets) TICKETS=$2; shift ;;
    --gates) GATES=$2; shift ;;
    -h | --help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
for n in "$TICKETS" "$GATES"; do
  case $n in '' | *[!0-9]* | 0) echo "--tickets and --gates take a positive number" >&2; exit 2 ;; esac
done
if [ "$TICKETS" -gt 20000 ] || [ "$GATES" -gt 8 ]; then
  echo "at most 20000 tickets and 8 gates" >&2
  exit 2
fi

install_missing pgbench postgresql-client
test -x "$GRANIAN" || { echo "no $GRANIAN: run make install first" >&2; exit 1; }

TMP=$(mktemp -d /tmp/gelar-checkin.XXXXXX)
STAMP=$(date +%Y%m%d-%H%M%S)
mkdir -p bench/results
cleanup() {
  stop_server
  # The server's log is kept beside the results when it holds more than the access
  # lines and granian's start-up: the traceback of a 5xx, say.
  if [ -s "$TMP/server.log" ] && grep -qv -e '^ACCESS ' -e '^\[INFO\] ' \
    -e '^Unauthorized: /api/v1/gate/tickets$' "$TMP/server.log"; then
    grep -v '^ACCESS ' "$TMP/server.log" >"bench/results/checkin-$STAMP-server.log" || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bench_environment "$DB"
# The bench measures how fast the gate path can go, far past the 600 scans a minute a
# device may send in production (gelar/ops/ratelimits.py: a person a second, with room
# for a rush): the budget is off here (docs/deploy.md, RATELIMIT_ENABLE).
export RATELIMIT_ENABLE=0

echo "== database $DB: new, migrated, $TICKETS tickets in one slot open now, $GATES gate devices"
fresh_database "$DB"
"$PY" bench/checkin.py setup "$TMP" --tickets "$TICKETS" --gates "$GATES" >/dev/null
# The baseline's ticket rows live in the same database: a copy of the tickets' columns
# the gate changes, with the same primary key index.
"${PSQL[@]}" -d "$DB" -c "CREATE TABLE bench_ticket AS SELECT id, status, admitted_at, inside FROM tickets_ticket"
"${PSQL[@]}" -d "$DB" -c "ALTER TABLE bench_ticket ADD PRIMARY KEY (id)"
read -r MIN_ID MAX_ID <<<"$("${PSQL[@]}" -F ' ' -d "$DB" -c "SELECT min(id), max(id) FROM bench_ticket")"
"${PSQL[@]}" -d "$DB" -c "ANALYZE"
manage collectstatic --noinput -v0

start_wsgi_server "$TMP/server.log" /api/v1/gate/tickets

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== online: $GATES gates scan the $TICKETS tickets at once, one request at a time each (load average $LOAD_BEFORE)"
"$PY" bench/checkin.py online "$BASE" "$TMP" >/dev/null
"$PY" bench/checkin.py count "$TMP" online
echo "== offline: reset (a new day), then $GATES gates sync $TICKETS queued scans at once"
"$PY" bench/checkin.py reset
"$PY" bench/checkin.py offline "$BASE" "$TMP" >/dev/null
PG_CONNECTIONS=$("${PSQL[@]}" -d postgres -c \
  "SELECT count(*) FROM pg_stat_activity WHERE datname = '$DB' AND pid <> pg_backend_pid()")
stop_server
SERVER_5XX=$(grep -c '^ACCESS 5' "$TMP/server.log" || true)
SERVER_REQUESTS=$(grep -c '^ACCESS ' "$TMP/server.log" || true)
"$PY" bench/checkin.py count "$TMP" offline

echo "== pgbench: the conditional UPDATE of a random ticket row, -c $GATES -j $PGBENCH_THREADS -T $PGBENCH_SECONDS"
cat >"$TMP/admit.sql" <<SQL
\\set id random($MIN_ID, $MAX_ID)
UPDATE bench_ticket SET admitted_at = now(), inside = NOT inside WHERE id = :id AND status = 'valid';
SQL
(cd "$TMP" && pgbench -h 127.0.0.1 -p 5432 -U postgres -n -f admit.sql -c "$GATES" \
  -j "$PGBENCH_THREADS" -T "$PGBENCH_SECONDS" -l --log-prefix=pgbench_log "$DB" >pgbench.txt 2>&1) ||
  { cat "$TMP/pgbench.txt" >&2; exit 1; }
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

RESULT_FILE=bench/results/checkin-$STAMP.txt
{
  echo "Gelar check-in bench, $(date '+%Y-%m-%d %H:%M %Z')"
  echo "commit:     $(git rev-parse --short HEAD 2>/dev/null || echo '?')$([ -z "$(git status --porcelain -- gelar bench 2>/dev/null)" ] || echo " + uncommitted changes")"
  echo "machine:    $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GB", $2 / 1048576}' /proc/meminfo); gates, server and PostgreSQL share them; load average $LOAD_BEFORE before, $LOAD_AFTER after"
  echo "software:   granian $("$GRANIAN" --version | awk '{print $2}'), Django $("$PY" -c 'import django; print(django.get_version())'), PostgreSQL $("${PSQL[@]}" -d postgres -c 'SHOW server_version' | cut -d' ' -f1)"
  echo "server:     granian --interface wsgi --workers $WORKERS --blocking-threads $BLOCKING_THREADS --no-ws (start_wsgi_server in bench/lib.sh) gelar.wsgi:application"
  echo "            DEBUG=0, DB_CONN_MAX_AGE=600; $PG_CONNECTIONS PostgreSQL connections open at the end;"
  echo "            its access log: $SERVER_REQUESTS requests, $SERVER_5XX of them 5xx"
  echo "gates:      bench/checkin.py: $GATES devices, one HTTP/1.1 keep-alive connection each, one request at a time"
  echo "baseline:   pgbench -n -c $GATES -j $PGBENCH_THREADS -T $PGBENCH_SECONDS: UPDATE bench_ticket SET admitted_at = now(), inside = NOT inside WHERE id = :id AND status = 'valid'"
  echo
  set +e
  "$PY" bench/checkin.py report "$TMP" "$TMP/pgbench.txt" "$TMP"/pgbench_log.* --5xx "$SERVER_5XX"
  echo "$?" >"$TMP/report.rc"
  set -e
} >"$RESULT_FILE"
echo
cat "$RESULT_FILE"
echo
echo "saved to $RESULT_FILE"
exit "$(cat "$TMP/report.rc")"
