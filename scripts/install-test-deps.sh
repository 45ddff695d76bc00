#!/usr/bin/env bash
# Installs the Debian packages that the integration tests drive as real peers.
# Idempotent: does nothing when every tool is already there. Needs root (or sudo) to install.
set -euo pipefail
declare -A pkg_of=(
  [qemu-img]=qemu-utils [qemu-io]=qemu-utils [qemu-nbd]=qemu-utils
  [nbdinfo]=libnbd-bin [nbdcopy]=libnbd-bin [nbdkit]=nbdkit
  [fio]=fio [mkfs.ext4]=e2fsprogs [debugfs]=e2fsprogs [zstd]=zstd [openssl]=openssl
)
missing=()
for tool in "${!pkg_of[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("${pkg_of[$tool]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
echo "install-test-deps: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null || echo "install-test-deps: apt-get update failed; trying the install anyway" >&2
if ! $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
  echo "install-test-deps: could not install ${missing[*]}; the tests that need them will be skipped with a message" >&2
fi
