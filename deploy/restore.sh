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
ENV_FILE=
while [ $# -gt 1 ]; do
  case $1 in
    --env) ENV_FILE=$2; shift ;;
    *) break ;;
  esac
  shift
done
[ $# = 1 ] && [ "${1:0:1}" != - ] || { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
SOURCE=$1
# shellcheck disable=SC1090  # the environment file named on the command line
if [ -n "$ENV_FILE" ]; then set -a; . "$ENV_FILE"; set +a; fi
if [ -z "${DATABASE_URL:-}" ] && [ -n "${DATABASE_URL_FILE:-}" ]; then DATABASE_URL=$(cat "$DATABASE_URL_FILE"); fi
case ${DATABASE_URL:-} in postgres://* | postgresql://*) ;; *) echo "restore: DATABASE_URL must be a PostgreSQL URL" >&2; exit 2 ;; esac
VAR=${GELAR_VAR_DIR:-}
MEDIA=${MEDIA_ROOT:-${VAR:+$VAR/media}}
PRIVATE=${PRIVATE_MEDIA_ROOT:-${VAR:+$VAR/private}}

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
