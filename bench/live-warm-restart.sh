#!/usr/bin/env bash
# Warm restart of the live cache after a crash, beside no crash and a cold restart (Open CAS).
#
#   bench/live-warm-restart.sh [TRACE]      TRACE defaults to shared/traces/postmark.csv.gz
#
# Environment: POLICY=dss CAPACITY=16384 (4 KiB blocks) WINDOW=5000 (requests) DIRECT=6g (the
# fast FaultyDevice keeps two images in direct memory: about 2 x CAPACITY x 4 KiB)
# Replays half the trace through a write-back LiveCache (fast side: FaultyDevice; the slow side
# keeps no data, hit ratios do not need it), cuts the power (unflushed fast writes dropped or
# torn), recovers with LiveCache.open and
# replays the rest; prints block hit ratios of the first WINDOW and 4*WINDOW requests after the
# restart and of the whole second half, for: no crash / crash + recovery / cold (cache emptied).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
trace=${1:-}
args=(-Dtriage.bench=true "-Dtriage.test.argLine=-Xmx2g -XX:MaxDirectMemorySize=${DIRECT:-6g} --enable-native-access=ALL-UNNAMED" -Dtriage.bench.policy="${POLICY:-dss}" -Dtriage.bench.capacity="${CAPACITY:-16384}"
      -Dtriage.bench.window="${WINDOW:-5000}")
if [ -n "$trace" ]; then
  args+=(-Dtriage.bench.trace="$(cd "$(dirname "$trace")" && pwd)/$(basename "$trace")")
fi
cd "$here"
./build -q -B -pl cache -am test -Dtest=LiveWarmRestartBench -Dsurefire.failIfNoSpecifiedTests=false \
  "${args[@]}" 2>&1 | grep -v ' INFO \| WARN ' | grep -v '^\[main\]'
