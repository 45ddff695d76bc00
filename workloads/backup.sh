#!/usr/bin/env bash
# A backup streaming big files beside interactive work: a few large files (a VM image, media,
# a database dump) are written, then tarred into an archive while an interactive user edits,
# saves (with fsync), lists and greps a small project tree.
#   triage capture --out backup.csv.gz -- workloads/backup.sh
. "$(dirname "$0")/lib.sh"
need python3 python3-minimal
need tar tar
workload_dir "${1:-}"
mkdir -p data project
echo "backup: writing big files" >&2
for f in vm.img media.mkv dump.sql; do
  head -c $((96 * 1024 * 1024)) /dev/urandom > "data/$f"
done
sync
python3 - "$(seconds 60)" <<'PY' &
import os, random, sys, time
limit = float(sys.argv[1])
rnd = random.Random(3)
os.makedirs("project/src", exist_ok=True)
names = [f"project/src/file{i:03d}.txt" for i in range(300)]
for n in names:
    with open(n, "w") as f:
        f.write("line\n" * rnd.randint(5, 400))
start = time.time()
while time.time() - start < limit:
    n = rnd.choice(names)
    with open(n) as f:
        text = f.read()
    if rnd.random() < 0.3:
        tmp = n + ".swp"
        with open(tmp, "w") as f:
            f.write(text + "edit\n")
            f.flush(); os.fsync(f.fileno())
        os.replace(tmp, n)
    if rnd.random() < 0.1:
        sum(1 for _ in os.scandir("project/src"))
    time.sleep(0.02)
PY
interactive=$!
echo "backup: streaming the archive" >&2
tar -cf backup.tar data
wait "$interactive"
rm -f backup.tar
echo "backup: done" >&2
