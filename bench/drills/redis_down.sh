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
read -r EXPO BOOTH PRODUCT <<<"$("$PY" "$DRILL" setup --stock 5000 --run "$RUN")"
"$PY" "$DRILL" ws-probe "$SESSION" >"$TMP/ws-before.json"

"$PY" "$DRILL" traffic "$EXPO" "$BOOTH" "$PRODUCT" --seconds 40 --run "$RUN" --connections 16 \
  --live "$SESSION" >"$TMP/traffic.json" &
BACKGROUND=$!
sleep 10
DOWN_AT=$(date +%s.%N)
redis-cli -h 127.0.0.1 -p 6380 shutdown nosave >/dev/null 2>&1 || true
sleep 2
READY_DURING=$(curl -s -m 5 -w ' HTTP %{http_code}' http://127.0.0.1:8080/readyz || true)
for n in 1 2 3; do "$PY" "$DRILL" ws-probe "$SESSION" >"$TMP/ws-during-$n.json"; done
sleep 8
"$TOPOLOGY" start redis >/dev/null
UP_AT=$(date +%s.%N)
wait "$BACKGROUND"
BACKGROUND=
for _ in $(seq 10); do
  "$PY" "$DRILL" ws-probe "$SESSION" >"$TMP/ws-after.json"
  [ "$(field "$TMP/ws-after.json" ok)" = True ] && break
  sleep 1
done
READY_AFTER=$(curl -s -m 5 -w ' HTTP %{http_code}' http://127.0.0.1:8080/readyz || true)
"$PY" "$DRILL" timeline "$TMP/traffic.json" --down "$DOWN_AT" --up "$UP_AT" --what Redis >"$TMP/timeline.json"
"$PY" "$DRILL" count "$PRODUCT" --stock 5000 --run "$RUN" --answers "$TMP/traffic.json" >"$TMP/count.json"
WS_DURING_OK=$(cat "$TMP"/ws-during-*.json | grep -c '"ok": true' || true)
# Checkouts answered 201 while Redis was away (by the answers' times).
CHECKOUTS_DURING=$("$PY" -c 'import json, sys
run = json.load(open(sys.argv[1]))
down, up = float(sys.argv[2]), float(sys.argv[3])
print(sum(1 for at, kind, status in run["events"]
          if kind == "checkout" and status == "201" and down <= run["started_epoch"] + at < up))' \
  "$TMP/traffic.json" "$DOWN_AT" "$UP_AT")
POLLS_DURING=$("$PY" -c 'import json, sys
run = json.load(open(sys.argv[1]))
down, up = float(sys.argv[2]), float(sys.argv[3])
print(sum(1 for at, kind, status in run["events"]
          if kind == "poll" and status == "200" and down <= run["started_epoch"] + at < up))' \
  "$TMP/traffic.json" "$DOWN_AT" "$UP_AT")

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
  expect "lost checkouts (201 answer, no checkout)" "$(field "$TMP/count.json" lost)" 0
  expect "checkouts whose buyer never got the 201" "$(field "$TMP/count.json" unanswered)" 0
  expect "oversold" "$(field "$TMP/count.json" oversold)" 0
  expect "sold + left = stock" "$(field "$TMP/count.json" consistent)" True
  row "checkouts (201)" "$(field "$TMP/count.json" answered_201)"
  drill_verdict
} >"$RESULT_FILE"
cat "$RESULT_FILE"
echo "saved to $RESULT_FILE"
exit "$CHECKS_FAILED"
