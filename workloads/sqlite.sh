#!/usr/bin/env bash
# SQLite: an application database with a write-ahead log: bulk load, an index, then a mix of
# point reads, range scans and small updating transactions.
#   triage capture --out sqlite.csv.gz -- workloads/sqlite.sh
. "$(dirname "$0")/lib.sh"
need python3 python3-minimal
workload_dir "${1:-}"
exec python3 - "$(seconds 60)" <<'PY'
import os, random, sqlite3, sys, time
limit = float(sys.argv[1])
rnd = random.Random(11)
db = sqlite3.connect("app.db")
db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA cache_size=-2000")
db.execute("CREATE TABLE IF NOT EXISTS items(id INTEGER PRIMARY KEY, owner INTEGER, name TEXT, body BLOB)")
with db:
    for i in range(200000):
        db.execute("INSERT INTO items(owner, name, body) VALUES (?,?,?)",
                   (rnd.randrange(5000), f"item-{i}", os.urandom(rnd.randint(50, 400))))
db.execute("CREATE INDEX IF NOT EXISTS by_owner ON items(owner)")
db.commit()
start = time.time()
n = 0
while time.time() - start < limit:
    n += 1
    r = rnd.random()
    if r < 0.6:
        db.execute("SELECT body FROM items WHERE id=?", (rnd.randrange(1, 200000),)).fetchall()
    elif r < 0.8:
        db.execute("SELECT count(*), sum(length(body)) FROM items WHERE owner=?", (rnd.randrange(5000),)).fetchall()
    else:
        with db:
            db.execute("UPDATE items SET body=? WHERE id=?", (os.urandom(rnd.randint(50, 400)), rnd.randrange(1, 200000)))
print(f"sqlite: {n} operations", file=sys.stderr)
PY
