#!/usr/bin/env bash
# 4 KiB random read and write IOPS with fio's nbd engine against `triage serve`, `qemu-nbd`
# and `nbdkit file`, one after the other on the same backing file, in one run; prints the
# median IOPS over the rounds and the ratios triage/qemu-nbd and triage/nbdkit.
#
#   bench/nbd-randio.sh [--size 256M] [--runtime 5] [--iodepth 16] [--jobs 2] [--rounds 3]
#   TRIAGE_SERVE_ARGS='--workers 4' TRIAGE_EXPORT_OPTS=',mmap' bench/nbd-randio.sh  (extra options)
#
# Every server listens on a Unix socket in a temporary directory; fio uses one connection per
# job. Phases are short and the servers take turns in every round (triage, qemu-nbd, nbdkit,
# triage, ...) so that a busy neighbour hurts all of them alike; the numbers compare servers on
# the same machine at the same moment, they are not absolute figures (the page cache holds
# the whole file).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
size=256M runtime=5 iodepth=16 jobs=2 rounds=3
while [ $# -gt 0 ]; do
  case "$1" in
    --size) size=$2; shift 2 ;;
    --runtime) runtime=$2; shift 2 ;;
    --iodepth) iodepth=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "nbd-randio: unknown argument $1" >&2; exit 2 ;;
  esac
done
for tool in fio qemu-nbd nbdkit; do
  command -v "$tool" >/dev/null || { echo "nbd-randio: $tool is missing (scripts/install-test-deps.sh)" >&2; exit 1; }
done
. "$here/scripts/java-home.sh"
triage_find_java
jar="$here/tools/target/triage.jar"
[ -f "$jar" ] || "$here/build" -q -B package -DskipTests >&2

work=$(mktemp -d /tmp/nbd-randio.XXXXXX)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
img="$work/disk.img"
fio --name=fill --filename="$img" --rw=write --bs=1M --size="$size" --refill_buffers --output=/dev/null
sock="$work/nbd.sock"

wait_socket() {
  for _ in $(seq 1 100); do [ -S "$sock" ] && return 0; sleep 0.1; done
  echo "nbd-randio: $1 did not create $sock" >&2; exit 1
}

run_fio() { # rw -> IOPS
  fio --name=bench --ioengine=nbd --uri="nbd+unix:///disk?socket=$sock" --rw="$1" --bs=4k \
    --iodepth="$iodepth" --numjobs="$jobs" --size="$size" --runtime="$runtime" --time_based \
    --group_reporting --output-format=json --output="$work/fio.json"
  /usr/bin/python3 -c 'import json,sys; j=json.load(open(sys.argv[1]))["jobs"][0]; print(round(j["read"]["iops"]+j["write"]["iops"]))' "$work/fio.json"
}

declare -A iops
bench() { # name, then the server command
  local name=$1; shift
  rm -f "$sock"
  "$@" >"$work/$name.log" 2>&1 &
  pid=$!
  wait_socket "$name"
  iops[$name,randread]+="$(run_fio randread) "
  iops[$name,randwrite]+="$(run_fio randwrite) "
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
}

for round in $(seq 1 "$rounds"); do
  # shellcheck disable=SC2086 # TRIAGE_SERVE_ARGS is a list of extra options, e.g. "--workers 4"
  bench triage "$JAVA_HOME/bin/java" -XX:+UseParallelGC -jar "$jar" serve --export "disk=$img${TRIAGE_EXPORT_OPTS:-}" --unix "$sock" ${TRIAGE_SERVE_ARGS:-}
  bench qemu-nbd qemu-nbd -f raw -x disk -k "$sock" -t -e 0 --cache=writeback --aio=threads "$img"
  bench nbdkit nbdkit -f -U "$sock" -e disk file "$img"
  echo "round $round: triage ${iops[triage,randread]}/ ${iops[triage,randwrite]}; qemu-nbd ${iops[qemu-nbd,randread]}/ ${iops[qemu-nbd,randwrite]}; nbdkit ${iops[nbdkit,randread]}/ ${iops[nbdkit,randwrite]}" >&2
done
median() { /usr/bin/python3 -c 'import statistics,sys; print(round(statistics.median(map(float, sys.argv[1:]))))' $1; }
for k in "${!iops[@]}"; do iops[$k]=$(median "${iops[$k]}"); done

printf '%-10s %12s %12s   (median of %s rounds)\n' server randread randwrite "$rounds"
for s in triage qemu-nbd nbdkit; do
  printf '%-10s %12s %12s\n' "$s" "${iops[$s,randread]}" "${iops[$s,randwrite]}"
done
ratio() { /usr/bin/python3 -c "print('%.2f' % ($1 / $2))"; }
for other in qemu-nbd nbdkit; do
  printf 'triage/%-8s %6s %12s\n' "$other" "$(ratio "${iops[triage,randread]}" "${iops[$other,randread]}")" \
    "$(ratio "${iops[triage,randwrite]}" "${iops[$other,randwrite]}")"
done
echo "(4 KiB, iodepth $iodepth x $jobs jobs, ${runtime}s per phase, $size file, unix socket, fio nbd engine)"
