#!/usr/bin/env bash
# Drill: the Celery worker and beat away for a while (issue 9). 20 buyers reserve a
# product (unpaid checkouts through nginx); the worker and beat are stopped; the
# reservations are made to end now (their reserved_until set to the present: 15
# minutes passing, without the wait); nothing releases them while the workers are away
# (checked after --away seconds); then the worker and beat start again and the drill
# waits until every expired reservation is released, its stock back: within a minute
# (beat's interval). Bounded at 90 s of waiting. The worker and beat are running again
# on any exit. About 1.5 minutes.
#
#   bench/drills/worker_down.sh [--away SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=bench/drills/lib.sh
source bench/drills/lib.sh
AWAY=20
ORDERS=20
STOCK=50
while [ $# -gt 0 ]; do
  case $1 in
    --away) AWAY=$2; shift ;;
    -h | --help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done
case $AWAY in '' | *[!0-9]*) echo "--away takes seconds" >&2; exit 2 ;; esac
[ "$AWAY" -le 300 ] || { echo "--away: at most 300 s" >&2; exit 2; }
drill_begin worker-down

read -r EXPO BOOTH PRODUCT <<<"$("$PY" "$DRILL" setup --stock "$STOCK" --run "$RUN")"
"$PY" "$DRILL" reserve "$EXPO" "$BOOTH" "$PRODUCT" --orders "$ORDERS" --run "$RUN" >"$TMP/reserve.json"
"$PY" "$DRILL" reservations --run "$RUN" "$PRODUCT" >"$TMP/reserved.json"
"$TOPOLOGY" stop beat
"$TOPOLOGY" stop worker
BACKDATED=$("$PY" "$DRILL" backdate --run "$RUN")
sleep "$AWAY"
"$PY" "$DRILL" reservations --run "$RUN" "$PRODUCT" >"$TMP/away.json"
START=$(date +%s.%N)
"$TOPOLOGY" start worker >/dev/null
"$TOPOLOGY" start beat >/dev/null
STARTED=$(date +%s.%N)
RELEASED_AFTER=never
for _ in $(seq 180); do
  "$PY" "$DRILL" reservations --run "$RUN" "$PRODUCT" >"$TMP/after.json"
  if [ "$(field "$TMP/after.json" stock)" = "$STOCK" ]; then
    RELEASED_AFTER=$(awk -v a="$STARTED" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    break
  fi
  awk -v a="$STARTED" -v b="$(date +%s.%N)" 'BEGIN { exit !(b - a > 90) }' && break
  sleep 0.5
done

{
  echo "Drill: the Celery worker and beat away for ${AWAY} s with expired reservations, $(date '+%Y-%m-%d %H:%M %Z')"
  echo "topology: Celery worker + beat (expire every ${EXPIRE_RESERVATIONS_EVERY:-60} s), Redis 6380, PostgreSQL 5433; load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  expect "reservations made (201)" "$(field "$TMP/reserve.json" statuses 201)" "$ORDERS"
  row "orders | stock after the reservations" "" "$(field "$TMP/reserved.json" statuses) | stock $(field "$TMP/reserved.json" stock)"
  row "reservations made to end now" "$BACKDATED"
  expect "still awaiting payment after ${AWAY} s without workers" "$(field "$TMP/away.json" statuses awaiting_payment)" "$ORDERS"
  expect "stock while the workers were away" "$(field "$TMP/away.json" stock)" $((STOCK - ORDERS))
  row "worker and beat started in (s)" "$(awk -v a="$START" -v b="$STARTED" 'BEGIN { printf "%.1f", b - a }')"
  expect "released after they started (s)" "$RELEASED_AFTER" "<=60"
  expect "orders expired" "$(field "$TMP/after.json" statuses expired)" "$ORDERS"
  expect "stock after" "$(field "$TMP/after.json" stock)" "$STOCK"
  drill_verdict
} >"$RESULT_FILE"
cat "$RESULT_FILE"
echo "saved to $RESULT_FILE"
exit "$CHECKS_FAILED"
