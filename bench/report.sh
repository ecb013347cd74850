#!/usr/bin/env bash
# The report bench: one million order lines on a fresh PostgreSQL database gelar_report
# (500 exhibitors, 5 expo days, orders in every status, 100,000 booth sale lines,
# visits, booth visits, tickets, live sessions, inquiries, outcomes; a previous expo at
# a tenth of the volume), written in SQL (INSERT ... SELECT generate_series). Then
# expo_report, the console's report page and its live fragment, one exhibitor's report,
# and beside them the main aggregate (omzet per channel per exhibitor) as one raw SQL
# query, taking turns in the same process: p50/p95 and the ratio to the raw query; then
# the XLSX, PDF and CSV exports of the report. What it measures and the latest figures:
# bench/README.md.
#
#   bench/report.sh [--lines N] [--exhibitors N] [--runs N] [--no-load]
#
#   --lines       order lines (default 1000000, at most 2000000)
#   --exhibitors  exhibitors (default 500, at least 30)
#   --runs        timed runs of each step (default 20, at most 100)
#   --no-load     measure what gelar_report holds (skip the drop, create and load)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
source bench/lib.sh
ROOT=$PWD
PY=$ROOT/.venv/bin/python

DB=gelar_report
LINES=1000000
EXHIBITORS=500
POS_LINES=100000
RUNS=20
LOAD=1

while [ $# -gt 0 ]; do
  case $1 in
    --lines) LINES=$2; shift ;;
    --exhibitors) EXHIBITORS=$2; shift ;;
    --runs) RUNS=$2; shift ;;
    --no-load) LOAD=0 ;;
    -h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
for n in "$LINES" "$EXHIBITORS" "$RUNS"; do
  case $n in '' | *[!0-9]* | 0) echo "--lines, --exhibitors and --runs take a positive number" >&2; exit 2 ;; esac
done
if [ "$LINES" -gt 2000000 ] || [ "$EXHIBITORS" -lt 30 ] || [ "$RUNS" -gt 100 ]; then
  echo "at most 2000000 lines and 100 runs; at least 30 exhibitors" >&2
  exit 2
fi

TMP=$(mktemp -d /tmp/gelar-report.XXXXXX)
STAMP=$(date +%Y%m%d-%H%M%S)
mkdir -p bench/results
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

bench_environment "$DB"

if [ "$LOAD" = 1 ]; then
  echo "== database $DB: new, migrated, $LINES order lines of $EXHIBITORS exhibitors over 5 days"
  fresh_database "$DB"
  "$PY" bench/report.py setup --lines "$LINES" --exhibitors "$EXHIBITORS" --pos-lines "$POS_LINES"
else
  echo "== database $DB as it is (--no-load): migrated"
  manage migrate -v0
fi
"${PSQL[@]}" -d "$DB" -c "VACUUM ANALYZE"
manage collectstatic --noinput -v0

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== measuring: $RUNS runs of each step (load average $LOAD_BEFORE)"
"$PY" bench/report.py measure --runs "$RUNS" >"$TMP/measure.txt"
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

RESULT_FILE=bench/results/report-$STAMP.txt
{
  echo "Gelar report bench, $(date '+%Y-%m-%d %H:%M %Z')"
  echo "commit:     $(git rev-parse --short HEAD 2>/dev/null || echo '?')$([ -z "$(git status --porcelain -- gelar bench 2>/dev/null)" ] || echo " + uncommitted changes")"
  echo "machine:    $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GB", $2 / 1048576}' /proc/meminfo); load average $LOAD_BEFORE before, $LOAD_AFTER after"
  echo "software:   Django $("$PY" -c 'import django; print(django.get_version())'), PostgreSQL $("${PSQL[@]}" -d postgres -c 'SHOW server_version' | cut -d' ' -f1), DEBUG=0"
  cat "$TMP/measure.txt"
} >"$RESULT_FILE"
echo
cat "$RESULT_FILE"
echo
echo "saved to $RESULT_FILE"
