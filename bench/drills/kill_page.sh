#!/usr/bin/env bash
# Drill: kill -9 one page process during a flash sale (issue 9). 1,000 buyers race for a
# product of stock 300 through nginx, each paying online: for every order a buyer is
# told of, "Midtrans" (drill.py, to its documented contract) posts the QRIS settlement
# notification, signed with the topology's server key, and repeats it once. Once 150
# answers are in, the page process on 8101 is killed (SIGKILL, its whole process group:
# no clean shutdown). nginx takes it out and sends new requests to 8102; a checkout or a
# notification in flight on the dead process gets a 502 (nginx never passes a POST on)
# and is repeated -- the checkout with its Idempotency-Key, the notification as Midtrans
# retries. Then the books: every 201 has its checkout and order, every notification
# answered 200 has its order paid (0 lost); one order per checkout, one confirmed payment
# and one stored notification per order (0 duplicated); sold + left = stock (0
# oversold). The process is started again at the end. About 1 minute; bounded at 3.
#
#   bench/drills/kill_page.sh [--buyers N] [--stock N] [--kill-after N]
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=bench/drills/lib.sh
source bench/drills/lib.sh
BUYERS=1000
STOCK=300
KILL_AFTER=150
while [ $# -gt 0 ]; do
  case $1 in
    --buyers) BUYERS=$2; shift ;;
    --stock) STOCK=$2; shift ;;
    --kill-after) KILL_AFTER=$2; shift ;;
    -h | --help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done
drill_begin kill-page

read -r EXPO BOOTH PRODUCT <<<"$("$PY" "$DRILL" setup --stock "$STOCK" --run "$RUN")"
VICTIM=$(cat "$T/web-8101.pid")
NGINX_FROM=$(nginx_lines)
# Readers beside the buyers: their GETs are the requests nginx may pass on.
"$PY" "$DRILL" traffic "$EXPO" "$BOOTH" "$PRODUCT" --seconds 20 --buyers 0 --run "${RUN}r" \
  --connections 8 >"$TMP/readers.json" &
READERS=$!
"$PY" "$DRILL" race "$EXPO" "$BOOTH" "$PRODUCT" --buyers "$BUYERS" --run "$RUN" \
  --connections 64 --progress "$TMP/progress" --pay >"$TMP/race.json" &
BACKGROUND=$!
for _ in $(seq 600); do
  [ "$(cat "$TMP/progress" 2>/dev/null || echo 0)" -ge "$KILL_AFTER" ] && break
  kill -0 "$BACKGROUND" 2>/dev/null || break
  sleep 0.1
done
KILLED_AT=$(cat "$TMP/progress" 2>/dev/null || echo 0)
kill -KILL -- "-$VICTIM"
wait "$BACKGROUND"
BACKGROUND=
wait "$READERS"
READERS=
READERS_BAD=$("$PY" -c 'import json, sys
print(sum(n for status, n in json.load(open(sys.argv[1]))["statuses"].items() if status != "200"))' "$TMP/readers.json")
"$PY" "$DRILL" count "$PRODUCT" --stock "$STOCK" --run "$RUN" --answers "$TMP/race.json" >"$TMP/count.json"
nginx_since "$NGINX_FROM" >"$TMP/nginx.log"
NGINX_502=$(grep -c '" 502 ' "$TMP/nginx.log" || true)
BY_PROCESS=$(awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^up=/) { k = substr($i, 4); sub(/,$/, " then the next", k); n[k]++ } }
  END { for (k in n) printf "%s: %d; ", k, n[k] }' "$TMP/nginx.log")
"$TOPOLOGY" start web-8101 >/dev/null

{
  echo "Drill: kill -9 one page process during a flash sale, $(date '+%Y-%m-%d %H:%M %Z')"
  echo "topology: nginx 127.0.0.1:8080 -> pages 8101, 8102; PostgreSQL 5433; load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  row "buyers | stock" "$BUYERS | $STOCK"
  row "killed (SIGKILL) page process on 8101, after" "$KILLED_AT answers" "pid $VICTIM and its worker"
  row "checkouts: answers, retries included" "" "$(field "$TMP/race.json" by_kind checkout)"
  row "payment notifications: answers, retries included" "" "$(field "$TMP/race.json" by_kind notification)"
  row "buyers' final answers" "" "$(field "$TMP/race.json" outcomes)"
  row "502s from nginx (POST in flight on the dead process)" "$NGINX_502" "each repeated"
  expect "readers' GETs not answered 200" "$READERS_BAD" 0 "of $(field "$TMP/readers.json" statuses 200) + those: nginx passed them on"
  row "requests by page process (nginx)" "" "$BY_PROCESS"
  expect "201 answers" "$(field "$TMP/count.json" answered_201)" "$STOCK"
  expect "lost (201 answer, no such checkout)" "$(field "$TMP/count.json" lost)" 0
  expect "answers disagreeing for one key" "$(field "$TMP/count.json" answers_disagreeing)" 0
  expect "checkouts in the database" "$(field "$TMP/count.json" checkouts)" "$STOCK"
  expect "duplicated (more than one order a checkout)" "$(field "$TMP/count.json" duplicated)" 0
  expect "checkouts whose buyer never got the 201" "$(field "$TMP/count.json" unanswered)" 0
  expect "units sold" "$(field "$TMP/count.json" sold)" "$STOCK"
  expect "oversold" "$(field "$TMP/count.json" oversold)" 0
  expect "sold + left = stock" "$(field "$TMP/count.json" consistent)" True
  expect "payment notifications answered 200" "$(field "$TMP/count.json" payments_answered_200)" "$STOCK"
  row "  of them applied | taken before a lost answer" "$(field "$TMP/count.json" payments_applied) | $(field "$TMP/count.json" payments_applied_before_a_lost_answer)" "the retry of the latter answered \"duplicate\""
  row "notifications never answered 200" "" "$(field "$TMP/race.json" payments_failed)"
  expect "orders paid in the database" "$(field "$TMP/count.json" orders_paid)" "$STOCK"
  expect "paid orders lost (200 to Midtrans, not paid)" "$(field "$TMP/count.json" payments_lost)" 0
  expect "paid orders without a 200 to Midtrans" "$(field "$TMP/count.json" paid_without_a_200)" 0
  expect "paid orders duplicated (2+ confirmed payments)" "$(field "$TMP/count.json" payments_duplicated)" 0
  expect "notifications stored (one per paid order)" "$(field "$TMP/count.json" notifications_stored)" "$STOCK"
  expect "repeated notifications answered duplicate" "$(field "$TMP/race.json" repeats duplicate)" "$STOCK"
  row "latency p50 | p99 ms" "$(printf '%.0f | %.0f' "$(field "$TMP/race.json" p50_ms)" "$(field "$TMP/race.json" p99_ms)")"
  row "race time (s)" "$(printf '%.1f' "$(field "$TMP/race.json" elapsed_s)")"
  drill_verdict
} >"$RESULT_FILE"
cat "$RESULT_FILE"
echo "saved to $RESULT_FILE"
exit "$CHECKS_FAILED"
