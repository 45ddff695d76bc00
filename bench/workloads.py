#!/usr/bin/env python3
"""Workloads for bench/record-trace.sh, run inside the mounted ext4 image (deterministic seeds).

sqlite      an OLTP-like SQLite database: 400k rows, then point reads (zipf keys), updates,
            short range scans, commits every 50 operations (rollback journal)
pytree      a source tree: copy of the Python standard library (twice), byte-compile it,
            grep it twice, tar it, delete one copy, untar it back
smallfiles  a file server: 20k files of 1-256 KiB in 200 directories, then reads with
            zipf popularity, overwrites, appends, deletes and creates, stats, fsyncs
"""
import os, random, shutil, sqlite3, subprocess, sys, bisect

def zipf_sampler(n, s, rng):
    w = [1.0 / (i + 1) ** s for i in range(n)]
    c, t = [], 0.0
    for x in w:
        t += x
        c.append(t)
    perm = list(range(n))
    rng.shuffle(perm)
    return lambda: perm[bisect.bisect_left(c, rng.random() * t)]

def sqlite_wl(root):
    rng = random.Random(1)
    db = sqlite3.connect(os.path.join(root, "oltp.db"))
    db.execute("create table acct(id integer primary key, bal integer, name text, pad text)")
    db.execute("create index acct_name on acct(name)")
    n = 400_000
    for start in range(0, n, 10_000):
        db.executemany("insert into acct values(?,?,?,?)",
                       ((i, rng.randrange(10**6), "n%08d" % rng.randrange(10**8), "x" * 400)
                        for i in range(start, start + 10_000)))
        db.commit()
    key = zipf_sampler(n, 0.9, rng)
    for op in range(300_000):
        r = rng.random()
        if r < 0.75:
            db.execute("select bal from acct where id=?", (key(),)).fetchone()
        elif r < 0.93:
            db.execute("update acct set bal=bal+1 where id=?", (key(),))
        elif r < 0.98:
            k = key()
            db.execute("select sum(bal) from acct where id between ? and ?", (k, k + 100)).fetchone()
        else:
            db.execute("select id from acct where name>=? limit 20", ("n%08d" % rng.randrange(10**8),)).fetchall()
        if op % 50 == 49:
            db.commit()
    db.commit()
    db.close()

def pytree_wl(root):
    src = "/usr/lib/python3.11"
    for i in range(2):
        shutil.copytree(src, os.path.join(root, "tree%d" % i), symlinks=True,
                        ignore=shutil.ignore_patterns("__pycache__", "site-packages", "dist-packages"))
    os.sync()
    subprocess.run([sys.executable, "-m", "compileall", "-q", "-j", "1", os.path.join(root, "tree0")],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(2):
        subprocess.run(["grep", "-rq", "zzz_no_such_string", root], stderr=subprocess.DEVNULL)
    subprocess.run(["tar", "cf", os.path.join(root, "tree.tar"), "-C", root, "tree0", "tree1"])
    os.sync()
    shutil.rmtree(os.path.join(root, "tree1"))
    os.sync()
    subprocess.run(["tar", "xf", os.path.join(root, "tree.tar"), "-C", root, "tree1"])
    subprocess.run(["grep", "-rq", "zzz_no_such_string", os.path.join(root, "tree1")], stderr=subprocess.DEVNULL)

def smallfiles_wl(root):
    rng = random.Random(3)
    ndirs, nfiles = 200, 20_000
    for d in range(ndirs):
        os.mkdir(os.path.join(root, "d%03d" % d))
    def size():
        return int(min(256 * 1024, max(1024, rng.lognormvariate(9.0, 1.2))))
    names = []
    for i in range(nfiles):
        p = os.path.join(root, "d%03d" % (i % ndirs), "f%06d" % i)
        with open(p, "wb") as f:
            f.write(os.urandom(size()))
        names.append(p)
    os.sync()
    pick = zipf_sampler(nfiles, 0.8, rng)
    nxt = nfiles
    for op in range(150_000):
        i = pick()
        p = names[i]
        r = rng.random()
        if r < 0.65:
            with open(p, "rb") as f:
                f.read()
        elif r < 0.75:
            os.stat(p)
        elif r < 0.85:
            with open(p, "wb") as f:
                f.write(os.urandom(size()))
        elif r < 0.95:
            with open(p, "ab") as f:
                f.write(os.urandom(4096))
        else:
            os.unlink(p)
            p = os.path.join(root, "d%03d" % (nxt % ndirs), "f%06d" % nxt)
            nxt += 1
            with open(p, "wb") as f:
                f.write(os.urandom(size()))
            names[i] = p
        if op % 100 == 99:
            fd = os.open(p, os.O_RDONLY)
            os.fsync(fd)
            os.close(fd)

if __name__ == "__main__":
    {"sqlite": sqlite_wl, "pytree": pytree_wl, "smallfiles": smallfiles_wl}[sys.argv[1]](sys.argv[2])
