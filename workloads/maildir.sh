#!/usr/bin/env bash
# A Maildir IMAP server (as Dovecot keeps one): 48 mailboxes of 0.5 KiB .. 1 MiB messages
# (about 380 MiB in all, most of them small, a few attachments), then a timed mix of
# deliveries (tmp/ then new/, fsynced, as an MDA does), logins that read a mailbox's index
# file and its newest messages (users by a skewed popularity), index rewrites, full-text
# searches of one mailbox, and expunges of old messages.
#   triage capture --out maildir.csv.gz -- workloads/maildir.sh
. "$(dirname "$0")/lib.sh"
need python3 python3-minimal
workload_dir "${1:-}"
exec python3 - "$(seconds 60)" <<'PY'
import os, random, sys, time
limit = float(sys.argv[1])
rnd = random.Random(11)
users = [f"user{u:02d}" for u in range(48)]
weights = [1.0 / (i + 1) for i in range(len(users))]  # Zipf-like popularity
boxes = {u: [] for u in users}
serial = 0

def size():
    r = rnd.random()
    if r < 0.02:
        return rnd.randint(256 << 10, 1 << 20)   # an attachment
    if r < 0.3:
        return rnd.randint(8 << 10, 64 << 10)
    return rnd.randint(512, 8 << 10)

def deliver(u, sync=True):
    global serial
    serial += 1
    name = f"{serial:08d}.M{rnd.randrange(1 << 20)}.mx"
    tmp, new = f"{u}/tmp/{name}", f"{u}/new/{name}"
    with open(tmp, "wb") as f:
        f.write(b"Received: by mx\n" + os.urandom(size()))
        if sync:
            f.flush(); os.fsync(f.fileno())
    os.rename(tmp, new)
    boxes[u].append(new)

def write_index(u):
    # dovecot.index: a record per message, rewritten whole and fsynced on change
    data = "".join(f"{i} {p}\n" for i, p in enumerate(boxes[u])).encode()
    with open(f"{u}/dovecot.index.tmp", "wb") as f:
        f.write(data); f.flush(); os.fsync(f.fileno())
    os.rename(f"{u}/dovecot.index.tmp", f"{u}/dovecot.index")

def read(p):
    try:
        with open(p, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return b""

for u in users:
    for d in ("tmp", "new", "cur"):
        os.makedirs(f"{u}/{d}", exist_ok=True)
for i in range(14000):
    deliver(rnd.choices(users, weights)[0], sync=False)
for u in users:
    write_index(u)
os.sync()
start = time.time()
ops = {"deliver": 0, "login": 0, "search": 0, "expunge": 0}
while time.time() - start < limit:
    r = rnd.random()
    u = rnd.choices(users, weights)[0]
    if r < 0.40:
        deliver(u); ops["deliver"] += 1
        if rnd.random() < 0.3:
            write_index(u)
    elif r < 0.92:
        # a login: the index, the newest messages, now and then an old one
        ops["login"] += 1
        read(f"{u}/dovecot.index")
        box = boxes[u]
        for p in box[-rnd.randint(1, 10):]:
            read(p)
        if box and rnd.random() < 0.3:
            read(box[int(len(box) * rnd.random() ** 2)])
    elif r < 0.97:
        ops["search"] += 1   # a full-text search reads the whole mailbox
        for p in boxes[u]:
            read(p)
    else:
        ops["expunge"] += 1
        box = boxes[u]
        for p in box[:rnd.randint(1, 20)]:
            try:
                os.unlink(p)
            except FileNotFoundError:
                pass
        del box[:20]
        write_index(u)
print(f"maildir: {ops}, {sum(len(b) for b in boxes.values())} messages", file=sys.stderr)
PY
