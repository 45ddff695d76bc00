#!/usr/bin/env bash
# 4 KiB random read and write IOPS through Triage's FileDevice (O_DIRECT) beside fio's io_uring
# on the same file, in the same run, with the same threads and queue depth.
#
#   bench/device-randio.sh [DIR]          DIR defaults to ./target/bench (must not be tmpfs)
#
# Environment: SIZE=1G THREADS=4 PHASE_SECONDS=10 WARMUP=2 BS=4096 FUA_SECONDS=5 ROUNDS=1 KEEP=0 (keep the file)
# With ROUNDS>1 every phase runs ROUNDS times, interleaved (round 1 of all, then round 2 ...), and the
# table shows the median of each, so that a noisy neighbour hurts every runner alike.
# Phases (each PHASE_SECONDS long after WARMUP), for randread then randwrite:
#   java ffm       FileDevice, pread/pwrite through the FFM API, THREADS threads, 1 request each
#   java channel   FileDevice, FileChannel with ExtendedOpenOption.DIRECT, same
#   fio io_uring   ioengine=io_uring direct=1 numjobs=THREADS iodepth=1   <- the reference
#   fio io_uring qd  ioengine=io_uring direct=1 numjobs=1 iodepth=THREADS (same requests in flight)
#   fio psync      ioengine=psync direct=1 numjobs=THREADS (the same system calls as java)
# then FUA writes, one thread: RWF_DSYNC against write + fdatasync.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/scripts/java-home.sh"
triage_find_java

dir=${1:-$here/target/bench}
SIZE=${SIZE:-1G}
THREADS=${THREADS:-4}
SECONDS_=${PHASE_SECONDS:-10}
WARMUP=${WARMUP:-2}
BS=${BS:-4096}
FUA_SECONDS=${FUA_SECONDS:-5}
ROUNDS=${ROUNDS:-1}

command -v fio >/dev/null || { echo "device-randio: fio is missing; run scripts/install-test-deps.sh" >&2; exit 1; }
command -v python3 >/dev/null || { echo "device-randio: python3 is needed to read fio's JSON" >&2; exit 1; }
mkdir -p "$dir"
fstype=$(df --output=fstype "$dir" | tail -1)
if [ "$fstype" = tmpfs ]; then
  echo "device-randio: $dir is on tmpfs, which has no O_DIRECT; give another directory" >&2
  exit 1
fi
file="$dir/randio.img"

echo "device-randio: building the device module ..." >&2
"$here/build" -q -B -pl device -am package -DskipTests -Denforcer.skip=false >&2
cpfile="$here/device/target/bench-classpath.txt"
"$here/build" -q -B -pl device dependency:build-classpath -Dmdep.outputFile="$cpfile" -Dmdep.includeScope=runtime >&2
jar=$(ls "$here"/device/target/triage-device-*.jar | grep -v -e sources -e tests | head -1)
cp="$jar:$(cat "$cpfile")"

bytes=$(numfmt --from=iec "$SIZE")
if [ ! -f "$file" ] || [ "$(stat -c %s "$file")" != "$bytes" ]; then
  echo "device-randio: writing $SIZE of data to $file (reads of holes would never reach the disk) ..." >&2
  rm -f "$file"
  fio --name=fill --filename="$file" --size="$bytes" --rw=write --bs=1M --direct=1 --ioengine=io_uring \
      --iodepth=8 --output=/dev/null
fi
cleanup() { [ "${KEEP:-0}" = 1 ] || rm -f "$file"; }
trap cleanup EXIT

results=$(mktemp)
java_run() { # mode engine [fua-mode] [threads] [seconds]
  local line
  line=$("$JAVA_HOME/bin/java" -Xmx256m --enable-native-access=ALL-UNNAMED -Dslf4j.internal.verbosity=WARN \
      -cp "$cp" dev.triage.device.bench.RandIoBench --file "$file" --mode "$1" --engine "$2" \
      --fua "${3:-rwf_dsync}" --threads "${4:-$THREADS}" --seconds "${5:-$SECONDS_}" --warmup "$WARMUP" --bs "$BS")
  echo "$line" >&2
  python3 - "$1" "java $2${3:+ fua=$3}" "$line" >>"$results" <<'PY'
import sys
mode, runner, line = sys.argv[1:4]
kv = dict(p.split("=", 1) for p in line.split() if "=" in p)
print("\t".join([mode, runner, kv["iops"], kv["mibps"], kv["lat_p50_us"], kv["lat_p99_us"]]))
PY
}
fio_run() { # mode label engine numjobs iodepth
  local json
  json=$(fio --name=randio --filename="$file" --size="$bytes" --rw="$1" --bs="$BS" --direct=1 \
      --ioengine="$3" --numjobs="$4" --iodepth="$5" --group_reporting --time_based --runtime="$SECONDS_" \
      --ramp_time="$WARMUP" --norandommap --randrepeat=0 --output-format=json)
  python3 - "$1" "$2" "$BS" >>"$results" <<PY
import json, sys
mode, label, bs = sys.argv[1], sys.argv[2], int(sys.argv[3])
job = json.loads('''$json''')["jobs"][0]
if job["error"]:
    sys.exit("fio failed: error %d" % job["error"])
side = job["read" if mode == "randread" else "write"]
pct = side["clat_ns"].get("percentile", {})
print("\t".join([mode, label, "%.0f" % side["iops"], "%.1f" % (side["iops"] * bs / 2**20),
                 "%.1f" % (pct.get("50.000000", 0) / 1e3), "%.1f" % (pct.get("99.000000", 0) / 1e3)]))
PY
  tail -1 "$results" >&2
}

echo "device-randio: $file ($fstype, $SIZE), bs=$BS, $THREADS threads, ${SECONDS_}s per phase after ${WARMUP}s warm-up" >&2
for round in $(seq 1 "$ROUNDS"); do
  echo "device-randio: round $round of $ROUNDS" >&2
  for mode in randread randwrite; do
    java_run "$mode" ffm
    java_run "$mode" channel
    fio_run "$mode" "fio io_uring jobs=$THREADS qd=1" io_uring "$THREADS" 1
    if [ "$THREADS" -gt 1 ]; then
      fio_run "$mode" "fio io_uring jobs=1 qd=$THREADS" io_uring 1 "$THREADS"
    fi
    fio_run "$mode" "fio psync jobs=$THREADS" psync "$THREADS" 1
  done
  java_run randwrite-fua ffm rwf_dsync 1 "$FUA_SECONDS"
  java_run randwrite-fua ffm write_then_fdatasync 1 "$FUA_SECONDS"
done

echo
echo "4 KiB random I/O on $file ($fstype), $THREADS threads, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $ROUNDS round(s) (median), $(date -u +%FT%TZ)"
python3 - "$results" "$THREADS" <<'PY'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
threads = sys.argv[2]
groups = {}
for r in rows:
    groups.setdefault((r[0], r[1]), []).append([float(x) for x in r[2:6]])
med = {k: [statistics.median(col) for col in zip(*v)] for k, v in groups.items()}
ref = {k[0]: v[0] for k, v in med.items() if k[1] == "fio io_uring jobs=%s qd=1" % threads}
print("%-14s %-34s %10s %9s %9s %9s %12s %s" % ("mode", "runner", "IOPS", "MiB/s", "p50 us", "p99 us",
                                               "vs io_uring", "IOPS of each round"))
for (mode, runner), v in med.items():
    ratio = "%.2f" % (v[0] / ref[mode]) if mode in ref else "-"
    each = " ".join("%.0f" % x[0] for x in groups[(mode, runner)])
    print("%-14s %-34s %10.0f %9.1f %9.1f %9.1f %12s %s" % (mode, runner, v[0], v[1], v[2], v[3], ratio, each))
PY
rm -f "$results"
