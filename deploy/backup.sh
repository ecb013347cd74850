#!/usr/bin/env bash
# Back up Gelar: the database (pg_dump, custom format) and the uploaded files (media/
# and private/ under GELAR_VAR_DIR) into DEST/gelar-<date>-<time>/, with a checksum file.
# A restore needs both: orders point at photos, participations at legal documents.
#
#   deploy/backup.sh [--env FILE] DEST
#
#   --env FILE   read the variables from FILE first (production: /etc/gelar/gelar.env)
#
# Reads DATABASE_URL (or DATABASE_URL_FILE) and GELAR_VAR_DIR (or MEDIA_ROOT and
# PRIVATE_MEDIA_ROOT). Safe while the site runs: pg_dump reads one consistent snapshot.
# Restore with deploy/restore.sh; docs/deploy.md, "Backup and restore".
set -euo pipefail
# shellcheck source=deploy/env.sh
. "$(dirname "$(readlink -f "$0")")/env.sh"
deploy_env "$@"
DEST=$ARGUMENT

TARGET=$DEST/gelar-$(date +%Y%m%d-%H%M%S)
mkdir -p "$TARGET"
umask 077  # the dump holds every buyer's name and number
pg_dump --format=custom --no-owner --no-privileges --dbname="$DATABASE_URL" --file="$TARGET/database.dump"
for part in media private; do
  dir=$MEDIA
  [ "$part" = private ] && dir=$PRIVATE
  if [ -n "$dir" ] && [ -d "$dir" ]; then
    tar -C "$dir" -czf "$TARGET/$part.tar.gz" .
  fi
done
(cd "$TARGET" && sha256sum -- * >SHA256SUMS)
echo "$TARGET"
