# shellcheck shell=bash
# shellcheck disable=SC2034  # ARGUMENT, MEDIA, PRIVATE: used by the scripts that source this
# Sourced by deploy/backup.sh and deploy/restore.sh (not run): the command line and the
# variables both take. They find it beside themselves (through a symlink too), so the three
# are copied or installed together.

# deploy_env "$@": reads `[--env FILE] ARGUMENT` (anything else: the calling script's
# header comment, its usage, and exit 2), sources FILE, and sets ARGUMENT,
# DATABASE_URL (read from DATABASE_URL_FILE when unset; a PostgreSQL URL or exit 2),
# MEDIA and PRIVATE (MEDIA_ROOT and PRIVATE_MEDIA_ROOT, else media/ and private/ under
# GELAR_VAR_DIR; empty when neither is set).
deploy_env() {
  local env_file='' name
  name=$(basename "$0" .sh)
  while [ $# -gt 1 ]; do
    case $1 in
      --env) env_file=$2; shift ;;
      *) break ;;
    esac
    shift
  done
  if [ $# != 1 ] || [ "${1:0:1}" = - ]; then
    sed -n '2,/^[^#]/p' "$0" | sed -n 's/^# \{0,1\}//p' >&2
    exit 2
  fi
  ARGUMENT=$1
  # shellcheck disable=SC1090  # the environment file named on the command line
  if [ -n "$env_file" ]; then set -a; . "$env_file"; set +a; fi
  if [ -z "${DATABASE_URL:-}" ] && [ -n "${DATABASE_URL_FILE:-}" ]; then DATABASE_URL=$(cat "$DATABASE_URL_FILE"); fi
  case ${DATABASE_URL:-} in
    postgres://* | postgresql://*) ;;
    *) echo "$name: DATABASE_URL must be a PostgreSQL URL" >&2; exit 2 ;;
  esac
  local var=${GELAR_VAR_DIR:-}
  MEDIA=${MEDIA_ROOT:-${var:+$var/media}}
  PRIVATE=${PRIVATE_MEDIA_ROOT:-${var:+$var/private}}
}
