#!/usr/bin/env bash
# Drill: PostgreSQL stops and starts again under traffic (issue 9). 16 connections send
# pages, API reads and checkouts through nginx for 40 s; at 10 s the topology's
# PostgreSQL (5433) is stopped (fast shutdown: sessions are cut), 5 s later started
# again. While it is away the app must answer clean 503s with Retry-After -- never a
# 500 or a 502 -- and afterwards recover by itself (persistent connections are checked
# before reuse, CONN_HEALTH_CHECKS). Buyers repeat a checkout that got a 503 with the
# same key; the books must balance. PostgreSQL is running again on any exit.
# About 1 minute.
#
#   bench/drills/pg_restart.sh [--down SECONDS] [--seconds SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=bench/drills/lib.sh
source bench/drills/lib.sh
DOWN=5
SECONDS_TOTAL=40
STOCK=5000
while [ $# -gt 0 ]; do
  case $1 in
    --down) DOWN=$2; shift ;;
    --seconds) SECONDS_TOTAL=$2; shift ;;
    -h | --help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done
[ "$SECONDS_TOTAL" -ge $((DOWN + 20)) ] && [ "$DOWN" -le 60 ] || { echo "--seconds must exceed --down by 20; --down at most 60" >&2; exit 2; }
drill_begin pg-restart
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)

read -r EXPO BOOTH PRODUCT <<<"$("$PY" "$DRILL" setup --stock "$STOCK" --run "$RUN")"
NGINX_FROM=$(nginx_lines)
outage_begin "$SECONDS_TOTAL"
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$T/pg" -m fast -w -t 30 stop >/dev/null
sleep "$DOWN"
outage_end pg
nginx_since "$NGINX_FROM" >"$TMP/nginx.log"
READY=$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8080/readyz)

{
  echo "Drill: PostgreSQL stopped for ${DOWN} s under traffic, $(date '+%Y-%m-%d %H:%M %Z')"
  echo "topology: nginx 127.0.0.1:8080 -> pages 8101, 8102; PostgreSQL 5433 (stopped: pg_ctl -m fast); load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "answers per second of the run:"
  "$PY" -c 'import json, sys; print("\n".join(json.load(open(sys.argv[1]))["lines"]))' "$TMP/timeline.json"
  echo
  row "answers before the stop" "" "$(field "$TMP/timeline.json" before)"
  row "answers from the stop until the first good one" "" "$(field "$TMP/timeline.json" during)"
  row "answers after" "" "$(field "$TMP/timeline.json" after)"
  expect "503 answers (clean, with Retry-After)" "$(field "$TMP/timeline.json" count_503)" ">=1"
  expect "503 answers without Retry-After" "$(field "$TMP/timeline.json" count_503_without_retry_after)" 0
  expect "500 answers" "$(field "$TMP/timeline.json" count_500)" 0
  expect "502 / 504 answers" "$(field "$TMP/timeline.json" count_502_504)" 0
  expect "connection errors" "$(field "$TMP/timeline.json" connection_errors)" 0
  expect "bad answers before the stop" "$(field "$TMP/timeline.json" bad_before)" 0
  expect "recovered: first good answer after start (s)" "$(field "$TMP/timeline.json" recovered_s_after_start)" "<=10"
  expect "bad answers after recovery" "$(field "$TMP/timeline.json" bad_after)" 0 "(not 200, 201, 409, 429)"
  row "429 answers (checkout budget per address)" "$(field "$TMP/timeline.json" count_429)"
  expect "readyz through nginx after" "$READY" 200
  expect_books
  drill_verdict
} >"$RESULT_FILE"
drill_show
