# Shared helpers for the workload scripts (sourced, not run).
# Each workload runs inside $TRIAGE_MNT (set by `triage capture`), or in a folder given as $1.
set -euo pipefail

workload_dir() {
  local dir="${TRIAGE_MNT:-${1:-}}"
  if [ -z "$dir" ]; then
    echo "$(basename "$0"): set TRIAGE_MNT (triage capture does) or give a folder" >&2
    exit 2
  fi
  mkdir -p "$dir"
  cd "$dir"
}

# need CMD PACKAGE...: installs the Debian packages when CMD is missing (idempotent).
need() {
  local cmd=$1
  shift
  if command -v "$cmd" >/dev/null 2>&1 || [ -e "$cmd" ]; then
    return 0
  fi
  echo "$(basename "$0"): installing $*" >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  # The install runs outside the capture's small memory cgroup (where the workload runs):
  # inside it, apt and dpkg are killed for memory and leave dpkg half-configured.
  (
    for root in /sys/fs/cgroup/memory /sys/fs/cgroup; do
      if [ -w "$root/cgroup.procs" ]; then echo "$BASHPID" > "$root/cgroup.procs" 2>/dev/null && break; fi
    done
    $sudo dpkg --configure -a >/dev/null 2>&1 || true
    $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1 ||
      { $sudo apt-get update -qq >/dev/null 2>&1 || true; $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null; }
  )
}

# The workload's length in seconds: $WORKLOAD_SECONDS, else the default given.
seconds() {
  echo "${WORKLOAD_SECONDS:-$1}"
}
