#!/usr/bin/env bash
# The evaluation table of docs/adaptive-policy.md: every trace given (default: the shared
# traces in ../shared/traces and the recorded ones in bench/traces) through
# `triage compare --csv` at 1%, 5%, 10%, 25% of its distinct blocks, with the classic
# policies, static dss, ucp (utility-based class partitioning), adaptive and OPT; then
# bench/gap-table.py computes the gap closed.
#   bench/adaptive-table.sh [[NAME=]TRACE.csv.gz ...]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${OUT:-$here/bench/out}
mkdir -p "$out"
traces=("$@")
if [ ${#traces[@]} -eq 0 ]; then
  for t in "$here"/../shared/traces/*.csv.gz "$here"/bench/traces/*.csv.gz; do
    [ -f "$t" ] && traces+=("$t")
  done
fi
args=()
for t in "${traces[@]}"; do
  if [[ "$t" == *=* ]]; then name=${t%%=*}; t=${t#*=}; else name=$(basename "$t"); name=${name%%.*}; fi
  "$here/triage" compare --trace "$t" --policies lru,arc,s3fifo,sieve,wtinylfu,dss,ucp,adaptive,opt \
    --cache 1%,5%,10%,25% --csv > "$out/$name.csv"
  args+=("$name=$out/$name.csv")
done
python3 "$here/bench/gap-table.py" "${args[@]}"
