#!/usr/bin/env bash
# A postmark-like mail server: a pool of small files (512 B .. 16 KiB) in a few folders, then
# transactions that create, delete, read and append to them, with some fsyncs (mail delivery).
#   triage capture --out postmark.csv.gz -- workloads/postmark.sh
. "$(dirname "$0")/lib.sh"
need python3 python3-minimal
workload_dir "${1:-}"
exec python3 - "$(seconds 60)" <<'PY'
import os, random, sys, time
limit = float(sys.argv[1])
rnd = random.Random(7)
dirs = [f"mail{d:02d}" for d in range(20)]
for d in dirs:
    os.makedirs(d, exist_ok=True)
files = []
def create(i):
    p = f"{rnd.choice(dirs)}/msg{i:07d}"
    with open(p, "wb") as f:
        f.write(os.urandom(rnd.randint(512, 16384)))
        if rnd.random() < 0.2:
            f.flush(); os.fsync(f.fileno())
    files.append(p)
n = 0
for _ in range(5000):
    create(n); n += 1
os.sync()
start = time.time()
tx = 0
while time.time() - start < limit and tx < 100000:
    tx += 1
    if rnd.random() < 0.5:
        if rnd.random() < 0.5 or not files:
            create(n); n += 1
        else:
            os.unlink(files.pop(rnd.randrange(len(files))))
    else:
        p = rnd.choice(files)
        if rnd.random() < 0.5:
            with open(p, "rb") as f:
                f.read()
        else:
            with open(p, "ab") as f:
                f.write(os.urandom(rnd.randint(512, 4096)))
print(f"postmark: {tx} transactions, {len(files)} files", file=sys.stderr)
PY
