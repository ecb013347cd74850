#!/usr/bin/env bash
# Drill: Redis away under traffic (issue 9). 16 readers (pages, API, and the live
# session's polling endpoint that static/js/live.js falls back to) and 4 buyers go
# through nginx for 40 s; at 10 s the topology's Redis (6380: cache, channel layer,
# Celery broker) is shut down, at 25 s started again (redis-server, as bench/topology.sh
# does). While it is away: checkouts keep working (the cache answers as an empty one,
# gelar.common.cache), pages and the poll answer, no 5xx; the live socket fails (that
# is what sends live.js to polling) and opens again once Redis is back; readiness says
# 503 meanwhile. Redis is running again on any exit. About 1 minute.
#
#   bench/drills/redis_down.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=bench/drills/lib.sh
source bench/drills/lib.sh
[ $# = 0 ] || { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0; }
drill_begin redis-down
SESSION=$(psql -h 127.0.0.1 -p 5433 -U postgres -d gelar_topo -qAtX -c \
  "SELECT s.id FROM events_agendasession s JOIN events_expo e ON e.id = s.expo_id WHERE e.status <> 'draft' ORDER BY s.id DESC LIMIT 1")
STOCK=5000
read -r EXPO BOOTH PRODUCT <<<"$("$PY" "$DRILL" setup --stock "$STOCK" --run "$RUN")"
"$PY" "$DRILL" ws-probe "$SESSION" >"$TMP/ws-before.json"

outage_begin 40 --live "$SESSION"
redis-cli -h 127.0.0.1 -p 6380 shutdown nosave >/dev/null 2>&1 || true
sleep 2
READY_DURING=$(curl -s -m 5 -w ' HTTP %{http_code}' http://127.0.0.1:8080/readyz || true)
for n in 1 2 3; do "$PY" "$DRILL" ws-probe "$SESSION" >"$TMP/ws-during-$n.json"; done
sleep 8
outage_end redis --what Redis
for _ in $(seq 10); do
  "$PY" "$DRILL" ws-probe "$SESSION" >"$TMP/ws-after.json"
  [ "$(field "$TMP/ws-after.json" ok)" = True ] && break
  sleep 1
done
READY_AFTER=$(curl -s -m 5 -w ' HTTP %{http_code}' http://127.0.0.1:8080/readyz || true)
WS_DURING_OK=$(cat "$TMP"/ws-during-*.json | grep -c '"ok": true' || true)
# while_away KIND STATUS: the answers of KIND with STATUS while Redis was away (by the
# answers' times).
while_away() {
  "$PY" -c 'import json, sys
run = json.load(open(sys.argv[1]))
kind, status, down, up = sys.argv[2], sys.argv[3], float(sys.argv[4]), float(sys.argv[5])
print(sum(1 for at, k, s in run["events"]
          if k == kind and s == status and down <= run["started_epoch"] + at < up))' \
    "$TMP/traffic.json" "$1" "$2" "$DOWN_AT" "$UP_AT"
}
CHECKOUTS_DURING=$(while_away checkout 201)
POLLS_DURING=$(while_away poll 200)

{
  echo "Drill: Redis shut down for 15 s under traffic, $(date '+%Y-%m-%d %H:%M %Z')"
  echo "topology: nginx 127.0.0.1:8080 -> pages 8101, 8102, live 8111; Redis 6380 (shutdown nosave); load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "answers per second of the run:"
  "$PY" -c 'import json, sys; print("\n".join(json.load(open(sys.argv[1]))["lines"]))' "$TMP/timeline.json"
  echo
  row "answers before | while away | after" "" "$(field "$TMP/timeline.json" before) | $(field "$TMP/timeline.json" during) | $(field "$TMP/timeline.json" after)"
  expect "live socket before: snapshot" "$(field "$TMP/ws-before.json" ok)" True
  expect "checkouts answered 201 while Redis was away" "$CHECKOUTS_DURING" ">=1"
  expect "live polls answered 200 while Redis was away" "$POLLS_DURING" ">=1"
  expect "live sockets opened while Redis was away" "$WS_DURING_OK" 0 "(so live.js polls) $(field "$TMP/ws-during-1.json" detail)"
  row "readiness while away" "" "$READY_DURING"
  expect "5xx answers (500, 502, 503, 504)" "$(( $(field "$TMP/timeline.json" count_500) + $(field "$TMP/timeline.json" count_502_504) + $(field "$TMP/timeline.json" count_503) ))" 0
  expect "connection errors" "$(field "$TMP/timeline.json" connection_errors)" 0
  expect "bad answers at any time" "$(( $(field "$TMP/timeline.json" bad_before) + $(field "$TMP/timeline.json" bad_after) ))" 0 "(not 200, 201, 409, 429)"
  expect "live socket after: snapshot" "$(field "$TMP/ws-after.json" ok)" True
  expect "readiness after" "${READY_AFTER##* }" 200
  expect_books
  drill_verdict
} >"$RESULT_FILE"
drill_show
