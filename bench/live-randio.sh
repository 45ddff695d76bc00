#!/usr/bin/env bash
# 4 KiB random write and read IOPS through a CachedPool volume (pool and cache on O_DIRECT files
# in DIR), beside fio's io_uring on a file of the same size in the same directory, in the same run;
# and the metadata heap per GiB written.
#
#   bench/live-randio.sh [DIR]        DIR defaults to ./target/bench (must not be tmpfs)
#
# Environment: SIZE=1G (volume) CACHE=256M THREADS=4 DURATION=10 (seconds per phase) MODE=write-back
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=$(mkdir -p "${1:-$here/target/bench}" && cd "${1:-$here/target/bench}" && pwd)
SIZE=${SIZE:-1G}
CACHE=${CACHE:-256M}
THREADS=${THREADS:-4}
SECONDS_=${DURATION:-10}
command -v fio >/dev/null || { echo "live-randio: fio is missing; run scripts/install-test-deps.sh" >&2; exit 1; }
if [ "$(df --output=fstype "$dir" | tail -1)" = tmpfs ]; then
  echo "live-randio: $dir is on tmpfs, which has no O_DIRECT; give another directory" >&2
  exit 1
fi
bytes=$(numfmt --from=iec "$SIZE")
cache=$(numfmt --from=iec "$CACHE")
cd "$here"
echo "live-randio: triage (CachedPool volume of $SIZE, cache $CACHE, ${MODE:-write-back}, $THREADS threads, ${SECONDS_}s per phase) ..." >&2
./build -q -B -pl cache -am test -Dtest=LiveRandIoBench -Dsurefire.failIfNoSpecifiedTests=false \
  -Dtriage.bench=true -Dtriage.bench.dir="$dir" -Dtriage.bench.size="$bytes" -Dtriage.bench.cache="$cache" \
  -Dtriage.bench.threads="$THREADS" -Dtriage.bench.seconds="$SECONDS_" -Dtriage.bench.mode="${MODE:-write-back}" \
  2>&1 | grep -E '^(mode=|heap_|cache_)' || { echo "live-randio: the Java run failed" >&2; exit 1; }
file="$dir/fio-randio.img"
fio --name=fill --filename="$file" --size="$bytes" --rw=write --bs=1M --direct=1 --ioengine=io_uring \
    --iodepth=8 --output=/dev/null
for mode in randwrite randread; do
  fio --name=randio --filename="$file" --size="$bytes" --rw="$mode" --bs=4096 --direct=1 --ioengine=io_uring \
      --numjobs="$THREADS" --iodepth=1 --group_reporting --time_based --runtime="$SECONDS_" --norandommap \
      --randrepeat=0 --output-format=json | python3 -c "
import json, sys
j = json.load(sys.stdin)['jobs'][0]
side = j['read' if '$mode' == 'randread' else 'write']
print('mode=$mode runner=fio-io_uring-jobs=$THREADS-qd=1 iops=%.0f' % side['iops'])"
done
rm -f "$file"
echo "# $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ), $dir ($(df --output=fstype "$dir" | tail -1))"
