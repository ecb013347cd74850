#!/usr/bin/env bash
# Restore a backup made by deploy/backup.sh: the database into DATABASE_URL, which must
# be empty (create it first; the app's processes stopped), and the uploaded files into
# media/ and private/ under GELAR_VAR_DIR. The checksums are verified first.
#
#   deploy/restore.sh [--env FILE] BACKUP_DIR
#
# Reads the same variables as deploy/backup.sh. Then run `manage.py migrate` (a no-op
# unless the code is newer than the backup) and start the services again.
set -euo pipefail
# shellcheck source=deploy/env.sh
. "$(dirname "$(readlink -f "$0")")/env.sh"
deploy_env "$@"
SOURCE=$ARGUMENT

[ -s "$SOURCE/database.dump" ] || { echo "restore: no $SOURCE/database.dump" >&2; exit 1; }
(cd "$SOURCE" && sha256sum --quiet --check SHA256SUMS) || { echo "restore: checksums do not match" >&2; exit 1; }
TABLES=$(psql --dbname="$DATABASE_URL" -qAtX -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
[ "$TABLES" = 0 ] || { echo "restore: the target database has $TABLES tables; restore into an empty one" >&2; exit 1; }
# One transaction: a restore that fails leaves the database empty, not half-full.
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$DATABASE_URL" "$SOURCE/database.dump"
for part in media private; do
  dir=$MEDIA
  [ "$part" = private ] && dir=$PRIVATE
  if [ -s "$SOURCE/$part.tar.gz" ]; then
    [ -n "$dir" ] || { echo "restore: set GELAR_VAR_DIR (or MEDIA_ROOT / PRIVATE_MEDIA_ROOT)" >&2; exit 1; }
    mkdir -p "$dir"
    tar -C "$dir" -xzf "$SOURCE/$part.tar.gz"
  fi
done
echo "restored $SOURCE"
