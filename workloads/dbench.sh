#!/usr/bin/env bash
# A dbench file server: the NetBench client load (open, read, write, rename, unlink, fsync of
# a Windows file share) from 4 clients.
#   triage capture --out dbench.csv.gz -- workloads/dbench.sh
. "$(dirname "$0")/lib.sh"
need dbench dbench
workload_dir "${1:-}"
loadfile=/usr/share/dbench/client.txt
[ -f "$loadfile" ] || loadfile=$(ls /usr/share/dbench/*.txt | head -1)
dbench -D "$PWD" -c "$loadfile" -t "$(seconds 60)" 4 2>&1 | tail -3 >&2
