#!/usr/bin/env bash
# Touches per second of each policy on one trace, one thread, side by side with Caffeine's
# simulator (com.github.ben-manes.caffeine:simulator 3.2.4) on the same touches in the same run.
#
#   bench/replay-speed.sh TRACE [options]
#     --format F        the trace's format when not detected (lirs, cloudphysics, csv, ...)
#     --policies LIST   default lru,arc,s3fifo,wtinylfu,dss,opt ("none": the replay's own floor)
#     --cache SIZE      10% of the distinct blocks (default), BYTES, or blocks:N
#     --rounds N        rounds in one JVM, best kept (default 3)
#     --jar JAR         the triage jar to measure (default tools/target/triage.jar; an older
#                       build's jar gives the "before" figures)
#     --sim             also run the simulator: whole run against whole run (a JVM each), with
#                       hit counts, for the policies it has (lru fifo clock sieve arc 2q s3fifo
#                       wtinylfu opt); the trace is first written as a LIRS trace of its touches
#                       unless it is one already (lirs, cloudphysics). Hits must agree for lru,
#                       fifo, sieve and opt (the simulator's linked.Sieve is run at one entry more:
#                       it keeps at most maximum-size - 1 entries)
#                       Whole runs use every core on both sides (the simulator by default;
#                       triage with -j TRIAGE_THREADS, default nproc: reading the trace overlaps
#                       the policy on a second core).
#     --no-triage-warm  skip the warm in-JVM figures
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$here/scripts/java-home.sh"
triage_find_java
export JAVA_HOME
java="$JAVA_HOME/bin/java"

trace="" format="" policies="lru,arc,s3fifo,wtinylfu,dss,opt" cache="10%" rounds=3
jar="$here/tools/target/triage.jar" sim=0 warm=1
while [ $# -gt 0 ]; do
  case "$1" in
    --format) format=$2; shift 2 ;;
    --policies) policies=$2; shift 2 ;;
    --cache) cache=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --jar) jar=$2; shift 2 ;;
    --sim) sim=1; shift ;;
    --no-triage-warm) warm=0; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    -*) echo "replay-speed: unknown option $1" >&2; exit 2 ;;
    *) trace=$1; shift ;;
  esac
done
[ -n "$trace" ] || { echo "replay-speed: give a trace (see --help)" >&2; exit 2; }
[ -f "$trace" ] || { echo "replay-speed: $trace: no such file" >&2; exit 2; }

if [ ! -f "$here/bench/jmh/target/classes/dev/triage/bench/ReplaySpeed.class" ] || [ ! -f "$here/tools/target/triage.jar" ]; then
  "$here/build" -q -B package -DskipTests >&2
fi
cp="$jar:$here/bench/jmh/target/classes"
fmt=()
[ -n "$format" ] && fmt=(--format "$format")

echo "# $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg) cores: $(nproc)"
if [ "$warm" = 1 ]; then
  "$java" -Xmx2g -XX:+UseParallelGC -cp "$cp" dev.triage.bench.ReplaySpeed --trace "$trace" "${fmt[@]}" \
    --policies "$policies" --cache "$cache" --rounds "$rounds"
fi
[ "$sim" = 1 ] || exit 0

# --- Caffeine's simulator, whole run against whole run ---
simcp=$("$here/bench/caffeine-sim/classpath.sh")
work=$(mktemp -d /tmp/replay-speed.XXXXXX)
trap 'rm -rf "$work"' EXIT
case "$format" in
  lirs) simtrace="lirs:$trace"; ourformat=lirs ;;
  cloudphysics) simtrace="cloud-physics:$trace"; ourformat=cloudphysics ;;
  *)
    "$java" -cp "$cp" dev.triage.bench.LirsExport --trace "$trace" "${fmt[@]}" --out "$work/touches.lirs" >&2
    simtrace="lirs:$work/touches.lirs"; trace="$work/touches.lirs"; ourformat=lirs ;;
esac
blocks=$("$java" -cp "$cp" dev.triage.bench.LirsExport --trace "$trace" --format "$ourformat" --capacity "$cache")
echo "# whole runs (a JVM each, triage -j ${TRIAGE_THREADS:-$(nproc)}), cache $blocks blocks; trace as the simulator reads it: $simtrace"
printf '%-9s %12s %12s %10s %10s %8s %10s %10s %8s\n' policy triage-hits sim-hits triage-cpu sim-cpu speedup triage-wall sim-wall speedup
simname() {
  case "$1" in
    lru) echo linked.Lru ;; fifo) echo linked.Fifo ;; clock) echo linked.Clock ;; sieve) echo linked.Sieve ;;
    arc) echo adaptive.Arc ;; 2q) echo two-queue.TwoQueue ;; s3fifo) echo two-queue.S3Fifo ;;
    wtinylfu) echo sketch.WindowTinyLfu ;; opt) echo opt.Clairvoyant ;; *) echo "" ;;
  esac
}
for p in ${policies//,/ }; do
  [ "$p" = none ] && continue
  s=$(simname "$p")
  simblocks=$blocks
  # linked.Sieve evicts while size + 1 >= maximum-size (simulator 3.2.4): it holds one entry less
  # than its maximum, so it matches a SIEVE of C blocks at maximum-size C + 1
  [ "$p" = sieve ] && simblocks=$((blocks + 1))
  [ -n "$s" ] || { printf '%-9s (not in the simulator)\n' "$p"; continue; }
  # /usr/bin/time: user+sys CPU seconds and wall seconds of the whole JVM
  /usr/bin/time -f "%U %S %e" -o "$work/t1" "$java" -Xmx2g -XX:+UseParallelGC -jar "$jar" replay --trace "$trace" \
    --format "$ourformat" --policy "$p" --cache "$((blocks * 4096))" -j "${TRIAGE_THREADS:-$(nproc)}" --no-progress --csv > "$work/o1"
  ours=$(awk -F, '$3=="all"{print $5}' "$work/o1" | head -1)
  /usr/bin/time -f "%U %S %e" -o "$work/t2" "$java" -Xmx2g -XX:+UseParallelGC -cp "$simcp" \
    -Dcaffeine.simulator.policies.0="$s" -Dcaffeine.simulator.admission.0=Always \
    -Dcaffeine.simulator.maximum-size="$simblocks" -Dcaffeine.simulator.report.format=csv \
    -Dcaffeine.simulator.files.paths.0="$simtrace" com.github.benmanes.caffeine.cache.simulator.Simulator \
    > "$work/o2" 2>/dev/null
  theirs=$(awk -F, 'NR==1{for(i=1;i<=NF;i++) if($i=="Hits") c=i} NR>1{gsub(/[^0-9]/,"",$c); print $c}' "$work/o2" | head -1)
  read -r u1 s1 w1 < "$work/t1"
  read -r u2 s2 w2 < "$work/t2"
  awk -v p="$p" -v o="$ours" -v t="$theirs" -v u1="$u1" -v s1="$s1" -v w1="$w1" -v u2="$u2" -v s2="$s2" -v w2="$w2" \
    'BEGIN{c1=u1+s1; c2=u2+s2; printf "%-9s %12s %12s %10.2f %10.2f %7.2fx %10.2f %10.2f %7.2fx%s\n", p, o, t, c1, c2, c2/c1, w1, w2, w2/w1, (o==t?"":"  HITS DIFFER")}'
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
