# shellcheck shell=bash
# Shared by the bench scripts (sourced, not run): installing a missing Debian tool and
# stopping the server they started.

# install_missing COMMAND PACKAGE: apt-get install PACKAGE unless COMMAND is on PATH.
install_missing() {
  command -v "$1" >/dev/null && return 0
  echo "== installing $1 (Debian's $2)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}

SERVER_PID=
stop_server() {
  if [ -n "$SERVER_PID" ]; then
    # granian runs in its own process group (setsid): stop the workers with it.
    kill -TERM -- "-$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
  fi
}
