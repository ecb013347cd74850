# shellcheck shell=bash
# shellcheck disable=SC2034  # DRILL, RUN, RESULT_FILE...: used by the drills that source this
# Shared by the drills (sourced, not run): the topology's environment, a table with
# checks, and putting every part of the topology back on any exit -- PostgreSQL and
# Redis above all. The drills touch only the topology's own PostgreSQL (5433) and
# Redis (6380), never the shared 5432 / 6379.
ROOT=$PWD
PY=$ROOT/.venv/bin/python
T=$ROOT/var/topology
TOPOLOGY=$ROOT/bench/topology.sh
DRILL=$ROOT/bench/drills/drill.py
CHECKS_FAILED=0

# drill_begin NAME: the topology up (idempotent), its environment, a temporary folder,
# the results file, and the exit trap that restores the topology.
drill_begin() {
  NAME=$1
  STAMP=$(date +%Y%m%d-%H%M%S)
  RUN=$(date +%s)$$
  TMP=$(mktemp -d "/tmp/gelar-drill-$NAME.XXXXXX")
  mkdir -p bench/results
  RESULT_FILE=bench/results/drill-$NAME-$STAMP.txt
  trap drill_end EXIT
  trap 'exit 130' INT TERM
  "$TOPOLOGY" up >"$TMP/topology-up.log" 2>&1 || { cat "$TMP/topology-up.log" >&2; exit 1; }
  set -a
  # shellcheck disable=SC1091
  source "$T/gelar.env"
  set +a
  export LOG_LEVEL=WARNING
}

drill_end() {
  local rc=$?
  [ -n "${BACKGROUND:-}" ] && kill "$BACKGROUND" 2>/dev/null || true
  [ -n "${READERS:-}" ] && kill "$READERS" 2>/dev/null || true
  local part
  for part in pg redis web-8101 web-8102 live worker beat nginx; do
    "$TOPOLOGY" start "$part" >>"$TMP/restore.log" 2>&1 || echo "could not restart $part (see $TMP/restore.log)" >&2
  done
  [ "$rc" = 0 ] && rm -rf "$TMP"
  exit "$rc"
}

# field FILE KEY...: one value of a JSON file (keys into nested objects).
field() {
  "$PY" -c 'import json, sys
value = json.load(open(sys.argv[1]))
for key in sys.argv[2:]:
    value = value.get(key, 0) if isinstance(value, dict) else value
print(value)' "$@"
}

# row LABEL VALUE [NOTE]; expect LABEL VALUE WANTED [NOTE]: WANTED is a number (equal)
# or "<=N" / ">=N"; a miss is marked WRONG and fails the drill.
row() { printf '%-46s %14s  %s\n' "$1" "$2" "${3:-}"; }
expect() {
  local label=$1 value=$2 wanted=$3 note=${4:-} ok
  case $wanted in
    "<="* | ">="*) case $value in '' | *[!0-9.]*) wanted="a number $wanted" ;; esac ;;
  esac
  case $wanted in
    "a number"*) ok=0 ;;
    "<="*) ok=$(awk -v v="$value" -v w="${wanted#<=}" 'BEGIN { print (v + 0 <= w + 0) }') ;;
    ">="*) ok=$(awk -v v="$value" -v w="${wanted#>=}" 'BEGIN { print (v + 0 >= w + 0) }') ;;
    *) ok=$([ "$value" = "$wanted" ] && echo 1 || echo 0) ;;
  esac
  if [ "$ok" = 1 ]; then
    row "$label" "$value" "$note"
  else
    row "$label" "$value" "<-- WRONG (expected $wanted) $note"
    CHECKS_FAILED=1
  fi
}

# nginx_lines_since N: the access log's lines after line N.
nginx_lines() { wc -l <"$T/logs/nginx-access.log"; }
nginx_since() { tail -n +"$(($1 + 1))" "$T/logs/nginx-access.log"; }

drill_verdict() {
  echo
  if [ "$CHECKS_FAILED" = 0 ]; then echo "checks: all passed"; else echo "checks: FAILED (see WRONG)"; fi
}

# The outage drills (pg_restart.sh, redis_down.sh): traffic through nginx, a part of the
# topology taken down 10 s in, started again, then the books. Both read EXPO, BOOTH and
# PRODUCT (from drill.py setup), STOCK, RUN and TMP.
#
# outage_begin SECONDS [TRAFFIC OPTION...]: drill.py traffic on 16 connections for
# SECONDS in the background (into $TMP/traffic.json); returns 10 s later with DOWN_AT
# set: the caller takes its part down then.
outage_begin() {
  local seconds=$1
  shift
  "$PY" "$DRILL" traffic "$EXPO" "$BOOTH" "$PRODUCT" --seconds "$seconds" --run "$RUN" \
    --connections 16 "$@" >"$TMP/traffic.json" &
  BACKGROUND=$!
  sleep 10
  DOWN_AT=$(date +%s.%N)
}

# outage_end PART [TIMELINE OPTION...]: PART started again (UP_AT), the traffic awaited,
# its answers per second around the outage into $TMP/timeline.json and its checkouts'
# books into $TMP/count.json.
outage_end() {
  local part=$1
  shift
  "$TOPOLOGY" start "$part" >/dev/null
  UP_AT=$(date +%s.%N)
  wait "$BACKGROUND"
  BACKGROUND=
  "$PY" "$DRILL" timeline "$TMP/traffic.json" --down "$DOWN_AT" --up "$UP_AT" "$@" >"$TMP/timeline.json"
  "$PY" "$DRILL" count "$PRODUCT" --stock "$STOCK" --run "$RUN" --answers "$TMP/traffic.json" >"$TMP/count.json"
}

# expect_books: the checks of the books in $TMP/count.json after an outage: no checkout
# lost, unanswered, duplicated or oversold.
expect_books() {
  expect "lost checkouts (201 answer, no checkout)" "$(field "$TMP/count.json" lost)" 0
  expect "checkouts whose buyer never got the 201" "$(field "$TMP/count.json" unanswered)" 0
  expect "duplicated" "$(field "$TMP/count.json" duplicated)" 0
  expect "oversold" "$(field "$TMP/count.json" oversold)" 0
  expect "sold + left = stock" "$(field "$TMP/count.json" consistent)" True
  row "checkouts (201)" "$(field "$TMP/count.json" answered_201)"
}

# drill_show: the table written to $RESULT_FILE on the screen; exits with the verdict.
drill_show() {
  cat "$RESULT_FILE"
  echo "saved to $RESULT_FILE"
  exit "$CHECKS_FAILED"
}
