#!/usr/bin/env bash
# The flash-sale bench: 1,000 buyers race for a product of stock 100 through the real
# HTTP checkout (POST /api/v1/expos/{slug}/checkout) under the production server set-up
# (granian WSGI, 2 workers x 2 blocking threads, DEBUG off, persistent connections), on
# a fresh PostgreSQL database gelar_flash; beside it, pgbench's conditional update of
# one hot row in the same PostgreSQL as the baseline. Checks that exactly the stock
# was sold. What it measures and the latest figures: bench/README.md.
#
#   bench/flash_sale.sh [--buyers N] [--stock N] [--connections N] [--topology]
#
#   --buyers       buyers, one checkout of quantity 1 each (default 1000, at most 2000)
#   --stock        the product's stock (default 100)
#   --connections  keep-alive connections of the buyers (default 64)
#   --topology     then the same race through the topology of bench/topology.sh (nginx,
#                  2 page processes, its own PostgreSQL and Redis; started if need be),
#                  printed beside the single server's figures
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
source bench/lib.sh
ROOT=$PWD
PY=$ROOT/.venv/bin/python
GRANIAN=$ROOT/.venv/bin/granian

DB=gelar_flash
BUYERS=1000
STOCK=100
CONNECTIONS=64
TOPOLOGY=0
WORKERS=2
BLOCKING_THREADS=2
REQUEST_TIMEOUT=30
DEADLINE=120
PGBENCH_CLIENTS=8
PGBENCH_THREADS=2
PGBENCH_SECONDS=10

while [ $# -gt 0 ]; do
  case $1 in
    --buyers) BUYERS=$2; shift ;;
    --stock) STOCK=$2; shift ;;
    --connections) CONNECTIONS=$2; shift ;;
    --topology) TOPOLOGY=1 ;;
    -h | --help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
for n in "$BUYERS" "$STOCK" "$CONNECTIONS"; do
  case $n in '' | *[!0-9]* | 0) echo "--buyers, --stock, --connections take a positive number" >&2; exit 2 ;; esac
done
if [ "$BUYERS" -gt 2000 ] || [ "$CONNECTIONS" -gt 256 ]; then
  echo "at most 2000 buyers and 256 connections" >&2
  exit 2
fi

install_missing pgbench postgresql-client
test -x "$GRANIAN" || { echo "no $GRANIAN: run make install first" >&2; exit 1; }

TMP=$(mktemp -d /tmp/gelar-flash.XXXXXX)
STAMP=$(date +%Y%m%d-%H%M%S)
mkdir -p bench/results
cleanup() {
  stop_server
  # The server's log is kept beside the results when it holds more than the access
  # lines, granian's start-up, the warm-up's 404s and the buyers' 409s: the traceback
  # of a 5xx, say.
  if [ -s "$TMP/server.log" ] && grep -qv -e '^ACCESS ' -e '^\[INFO\] ' \
    -e '^Not Found: /api/v1/orders/not-a-token$' \
    -e '^Conflict: /api/v1/expos/[a-z0-9-]*/checkout$' "$TMP/server.log"; then
    grep -v '^ACCESS ' "$TMP/server.log" >"bench/results/flash-sale-$STAMP-server.log" || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bench_environment "$DB"
# The single server measures the checkout, not the per-address budget that 1,000 buyers
# from one address would exhaust (docs/deploy.md, RATELIMIT_ENABLE). The topology keeps
# it on, with the buyers spread over 64 loopback addresses.
export RATELIMIT_ENABLE=0

echo "== database $DB: new, migrated, one booth with one product of stock $STOCK"
fresh_database "$DB"
SALE=$("$PY" bench/flash_sale.py setup --stock "$STOCK")
read -r EXPO BOOTH PRODUCT <<<"$SALE"
echo "   expo $EXPO, booth $BOOTH, product $PRODUCT"
# The baseline's hot row lives in the same database.
"${PSQL[@]}" -d "$DB" -c "CREATE TABLE bench_hot (id integer PRIMARY KEY, stock integer NOT NULL CHECK (stock >= 0))"
"${PSQL[@]}" -d "$DB" -c "INSERT INTO bench_hot VALUES (1, 1000000)"
"${PSQL[@]}" -d "$DB" -c "ANALYZE"
manage collectstatic --noinput -v0

start_wsgi_server "$TMP/server.log" /api/v1/orders/not-a-token

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== $BUYERS buyers, $CONNECTIONS keep-alive connections, one checkout of 1 each (load average $LOAD_BEFORE)"
"$PY" bench/flash_sale.py race "$BASE" "$EXPO" "$BOOTH" "$PRODUCT" --buyers "$BUYERS" \
  --connections "$CONNECTIONS" --timeout "$REQUEST_TIMEOUT" --deadline "$DEADLINE" \
  --run "$STAMP" >"$TMP/race.json"
PG_CONNECTIONS=$("${PSQL[@]}" -d postgres -c \
  "SELECT count(*) FROM pg_stat_activity WHERE datname = '$DB' AND pid <> pg_backend_pid()")
stop_server
SERVER_5XX=$(grep -c '^ACCESS 5' "$TMP/server.log" || true)
SERVER_REQUESTS=$(grep -c '^ACCESS ' "$TMP/server.log" || true)
"$PY" bench/flash_sale.py count "$PRODUCT" --stock "$STOCK" >"$TMP/count.json"

echo "== pgbench: the conditional update of one hot row, -c $PGBENCH_CLIENTS -j $PGBENCH_THREADS -T $PGBENCH_SECONDS"
cat >"$TMP/hot.sql" <<'SQL'
UPDATE bench_hot SET stock = stock - 1 WHERE id = 1 AND stock >= 1;
SQL
(cd "$TMP" && pgbench -h 127.0.0.1 -p 5432 -U postgres -n -f hot.sql -c "$PGBENCH_CLIENTS" \
  -j "$PGBENCH_THREADS" -T "$PGBENCH_SECONDS" -l --log-prefix=pgbench_log "$DB" >pgbench.txt 2>&1) ||
  { cat "$TMP/pgbench.txt" >&2; exit 1; }
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

if [ "$TOPOLOGY" = 1 ]; then
  echo "== the same race through the topology: nginx 127.0.0.1:8080 -> page processes 8101, 8102"
  bench/topology.sh up >"$TMP/topology.log" 2>&1 || { cat "$TMP/topology.log" >&2; exit 1; }
  # The Django steps against the topology's database, in its environment.
  topology_py() (
    set -a
    # shellcheck disable=SC1091
    source var/topology/gelar.env
    set +a
    LOG_LEVEL=WARNING "$PY" bench/flash_sale.py "$@"
  )
  read -r T_EXPO T_BOOTH T_PRODUCT <<<"$(topology_py setup --stock "$STOCK" --suffix="-$STAMP")"
  NGINX_FROM=$(wc -l <var/topology/logs/nginx-access.log)
  # The topology keeps the per-address checkout budget on: the buyers' 64 connections
  # come from 64 loopback addresses, as a crowd's phones would.
  "$PY" bench/flash_sale.py race http://127.0.0.1:8080 "$T_EXPO" "$T_BOOTH" "$T_PRODUCT" \
    --buyers "$BUYERS" --connections "$CONNECTIONS" --sources 64 --timeout "$REQUEST_TIMEOUT" \
    --deadline "$DEADLINE" --run "$STAMP-topology" >"$TMP/topo-race.json"
  TOPO_5XX=$(tail -n +"$((NGINX_FROM + 1))" var/topology/logs/nginx-access.log | grep -c '" 5[0-9][0-9] ' || true)
  topology_py count "$T_PRODUCT" --stock "$STOCK" >"$TMP/topo-count.json"
fi

RESULT_FILE=bench/results/flash-sale-$STAMP.txt
{
  echo "Gelar flash-sale bench, $(date '+%Y-%m-%d %H:%M %Z')"
  echo "commit:     $(git rev-parse --short HEAD 2>/dev/null || echo '?')$([ -z "$(git status --porcelain -- gelar bench 2>/dev/null)" ] || echo " + uncommitted changes")"
  echo "machine:    $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GB", $2 / 1048576}' /proc/meminfo); buyers, server and PostgreSQL share them; load average $LOAD_BEFORE before, $LOAD_AFTER after"
  echo "software:   granian $("$GRANIAN" --version | awk '{print $2}'), Django $("$PY" -c 'import django; print(django.get_version())'), PostgreSQL $("${PSQL[@]}" -d postgres -c 'SHOW server_version' | cut -d' ' -f1)"
  echo "server:     granian --interface wsgi --workers $WORKERS --blocking-threads $BLOCKING_THREADS --no-ws (start_wsgi_server in bench/lib.sh) gelar.wsgi:application"
  echo "            DEBUG=0, DB_CONN_MAX_AGE=600; $PG_CONNECTIONS PostgreSQL connections open at the end;"
  echo "            its access log: $SERVER_REQUESTS requests ($((SERVER_REQUESTS - BUYERS)) readiness probes and warm-up), $SERVER_5XX of them 5xx"
  echo "buyers:     bench/flash_sale.py race: $BUYERS x POST /api/v1/expos/$EXPO/checkout (1 unit, courier, transfer),"
  echo "            $CONNECTIONS HTTP/1.1 keep-alive connections, ${REQUEST_TIMEOUT} s timeout per request, ${DEADLINE} s at most"
  echo "baseline:   pgbench -n -c $PGBENCH_CLIENTS -j $PGBENCH_THREADS -T $PGBENCH_SECONDS: UPDATE bench_hot SET stock = stock - 1 WHERE id = 1 AND stock >= 1"
  echo
  set +e
  "$PY" bench/flash_sale.py report "$TMP/race.json" "$TMP/count.json" "$TMP/pgbench.txt" \
    "$TMP"/pgbench_log.* --stock "$STOCK" --5xx "$SERVER_5XX"
  echo "$?" >"$TMP/report.rc"
  if [ "$TOPOLOGY" = 1 ]; then
    echo
    echo "The same race through the topology (bench/topology.sh): nginx 127.0.0.1:8080 ->"
    echo "granian WSGI on 8101 and 8102 (1 worker x 2 threads each: the single server's 2 x 2),"
    echo "PostgreSQL 5433, Redis cache; buyers from 64 loopback addresses; 5xx from nginx's log."
    echo
    "$PY" bench/flash_sale.py compare "$TMP/race.json" "$TMP/count.json" "$TMP/topo-race.json" \
      "$TMP/topo-count.json" --stock "$STOCK" --5xx "$SERVER_5XX" --topo-5xx "$TOPO_5XX" ||
      echo 1 >"$TMP/report.rc"
  fi
  set -e
} >"$RESULT_FILE"
echo
cat "$RESULT_FILE"
echo
echo "saved to $RESULT_FILE"
exit "$(cat "$TMP/report.rc")"
