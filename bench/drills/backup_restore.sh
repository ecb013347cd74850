#!/usr/bin/env bash
# Drill: back up the topology's database and files with deploy/backup.sh, restore them
# with deploy/restore.sh into a new database (gelar_topo_restored) and a new folder,
# and compare the row counts of the main tables and the files. The site keeps running
# during the backup. About 30 s at scale 1.
#
#   bench/drills/backup_restore.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=bench/drills/lib.sh
source bench/drills/lib.sh
[ $# = 0 ] || { sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0; }
drill_begin backup-restore
RESTORED=gelar_topo_restored
PSQL=(psql -h 127.0.0.1 -p 5433 -U postgres -v ON_ERROR_STOP=1 -qAtX)
TABLES=(events_expo exhibitors_exhibitor exhibitors_participation catalog_product
  catalog_productimage orders_checkout orders_order orders_orderline payments_payment
  tickets_ticket live_chatmessage pos_possale audit_auditentry accounts_user)

BACKUP=$(deploy/backup.sh "$TMP/backups")
"${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $RESTORED WITH (FORCE)"
"${PSQL[@]}" -d postgres -c "CREATE DATABASE $RESTORED"
DATABASE_URL=postgres://postgres@127.0.0.1:5433/$RESTORED GELAR_VAR_DIR=$TMP/restored \
  deploy/restore.sh "$BACKUP" >/dev/null

count() { "${PSQL[@]}" -d "$1" -c "SELECT count(*) FROM $2"; }
files() { (cd "$1" 2>/dev/null && find . -type f | sort | xargs -r sha256sum) | sha256sum | cut -c1-16; }
{
  echo "Drill: backup and restore (deploy/backup.sh, deploy/restore.sh), $(date '+%Y-%m-%d %H:%M %Z')"
  echo "from gelar_topo and $T/{media,private} to $RESTORED and a new folder; backup: $(du -sh "$BACKUP" | cut -f1)"
  echo
  printf '%-28s %12s %12s\n' table gelar_topo "$RESTORED"
  for table in "${TABLES[@]}"; do
    a=$(count gelar_topo "$table")
    b=$(count "$RESTORED" "$table")
    printf '%-28s %12s %12s%s\n' "$table" "$a" "$b" "$([ "$a" = "$b" ] || { echo "  <-- WRONG"; })"
    [ "$a" = "$b" ] || CHECKS_FAILED=1
  done
  echo
  expect "media files: same content" "$(files "$T/media") $(find "$T/media" -type f | wc -l)" "$(files "$TMP/restored/media") $(find "$TMP/restored/media" -type f | wc -l)"
  expect "private files: same content" "$(files "$T/private") $(find "$T/private" -type f 2>/dev/null | wc -l)" "$(files "$TMP/restored/private") $(find "$TMP/restored/private" -type f 2>/dev/null | wc -l)"
  expect "tables in the restored database" "$("${PSQL[@]}" -d "$RESTORED" -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" "$("${PSQL[@]}" -d gelar_topo -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")"
  drill_verdict
} >"$RESULT_FILE"
"${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $RESTORED WITH (FORCE)"
cat "$RESULT_FILE"
echo "saved to $RESULT_FILE"
exit "$CHECKS_FAILED"
