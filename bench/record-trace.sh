#!/usr/bin/env bash
# Records a raw block trace of a workload on a fresh ext4 loop image, in the layout of
# shared/traces/devtree-raw (ftrace.txt.gz, dumpe2fs.txt, journal.txt, sizes.txt, dirs.txt),
# then labels it with bench/annotate-raw.py into a hinted CSV v1 trace.
#
#   sudo bench/record-trace.sh WORKLOAD OUTDIR      WORKLOAD: sqlite | pytree | smallfiles
#
# How: a 4 GiB sparse image, mkfs.ext4 (defaults), loop device, mounted; a tracefs instance of
# our own (so other tracers are not disturbed) with block:block_rq_issue and
# ext4:ext4_ext_map_blocks_exit filtered to the loop device; the workload runs in a memory
# cgroup (v1) of MEM (default 128M, processes included) so that the page cache cannot hold the working set and
# reads reach the device. Needs root, tracefs, losetup, mkfs.ext4, debugfs, python3, sqlite3.
set -euo pipefail
wl=${1:?workload: sqlite | pytree | smallfiles}
out=${2:?output directory}
mem=${MEM:-128M}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d /var/tmp/adaptive-rec.XXXXXX)
img=$work/disk.img
mnt=$work/mnt
mkdir -p "$mnt"
truncate -s 4G "$img"
mkfs.ext4 -q -F "$img"
loop=$(losetup -f --show "$img")
tr=$(grep -m1 ' tracefs ' /proc/mounts | awk '{print $2}' || true)
if [ -z "$tr" ]; then tr=$work/tracefs; mkdir -p "$tr"; mount -t tracefs nodev "$tr"; fi
inst=$tr/instances/adaptive_$$
cg=/sys/fs/cgroup/memory/adaptive_$$
cleanup() {
  set +e
  [ -n "${catpid:-}" ] && kill "$catpid" 2>/dev/null
  [ -d "$inst" ] && { echo 0 > "$inst/tracing_on"; rmdir "$inst"; }
  mountpoint -q "$mnt" && umount "$mnt"
  losetup -d "$loop"
  [ -d "$cg" ] && rmdir "$cg"
  rm -rf "$work"
}
trap cleanup EXIT
mount -o noatime "$loop" "$mnt"
read -r maj min < <(stat -c '%t %T' "$loop" | while read a b; do echo $((16#$a)) $((16#$b)); done)
dev=$(( (maj << 20) | min ))
mkdir "$inst"
echo 65536 > "$inst/buffer_size_kb"
echo "dev == $dev" > "$inst/events/block/block_rq_issue/filter"
echo "dev == $dev" > "$inst/events/ext4/ext4_ext_map_blocks_exit/filter"
echo 1 > "$inst/events/block/block_rq_issue/enable"
echo 1 > "$inst/events/ext4/ext4_ext_map_blocks_exit/enable"
mkdir "$cg"
echo "$mem" > "$cg/memory.limit_in_bytes"
sync; echo 3 > /proc/sys/vm/drop_caches
cat "$inst/trace_pipe" > "$work/ftrace.txt" &
catpid=$!
echo 1 > "$inst/tracing_on"
( echo $BASHPID > "$cg/cgroup.procs"; cd "$mnt"; python3 "$here/workloads.py" "$wl" "$mnt" )
sync
umount "$mnt"   # flushes the journal and everything else
echo 0 > "$inst/tracing_on"
sleep 1
kill "$catpid" 2>/dev/null || true
wait "$catpid" 2>/dev/null || true
gzip -1 < "$work/ftrace.txt" > "$out/ftrace.txt.gz"
mount -o ro,noload "$loop" "$mnt"
dumpe2fs "$loop" > "$out/dumpe2fs.txt" 2>/dev/null
debugfs -R 'stat <8>' "$loop" > "$out/journal.txt" 2>/dev/null
find "$mnt" -xdev -type f -printf '%i %s\n' > "$out/sizes.txt"
find "$mnt" -xdev -type d -printf '%i\n' > "$out/dirs.txt"
umount "$mnt"
echo "workload=$wl mem=$mem kernel=$(uname -r) dev=$maj,$min" > "$out/README.txt"
python3 "$here/annotate-raw.py" "$out" "$wl" | gzip -9 > "$out/$wl.csv.gz"
echo "recorded $out/$wl.csv.gz"
