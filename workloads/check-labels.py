#!/usr/bin/env python3
"""Checks the classes of a hinted trace against an independent count on the same image.

    workloads/check-labels.py TRACE.csv.gz fs.img [raw-trace.txt]   (kept by `triage capture --keep`)

For the first block of every request it derives the class with e2fsprogs alone: dumpe2fs for
the static metadata (superblock, group descriptors, bitmaps, inode tables), `debugfs stat <8>`
for the journal, `debugfs icheck` for the owning inode, `debugfs stat` for that inode's type,
size and extent-tree blocks. It prints, per class of the trace, the share of requests whose
class agrees. Blocks no inode owns at the end (files deleted during the run) are counted apart:
only the trace's map_blocks events knew their owner. Given the raw trace, disagreements on
blocks that ext4_ext_map_blocks_exit gave to more than one inode during the run (freed and
reused: the final image only knows the last owner) are counted apart as "reused".
"""
import collections, gzip, re, subprocess, sys, tempfile

def sh(*args):
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout

def size_class(n):
    for limit, name in [(4 << 10, "file_4k"), (16 << 10, "file_16k"), (64 << 10, "file_64k"),
                        (256 << 10, "file_256k"), (1 << 20, "file_1m"), (4 << 20, "file_4m"),
                        (16 << 20, "file_16m"), (64 << 20, "file_64m"), (256 << 20, "file_256m"),
                        (1 << 30, "file_1g")]:
        if n <= limit:
            return name
    return "file_huge"

def debugfs(img, commands):
    with tempfile.NamedTemporaryFile("w", suffix=".debugfs") as f:
        f.write("\n".join(commands) + "\n")
        f.flush()
        return subprocess.run(["debugfs", "-f", f.name, img], capture_output=True, text=True).stdout

def reused_blocks(raw):
    owners = collections.defaultdict(set)
    pat = re.compile(r"ext4_ext_map_blocks_exit: dev \S+ ino (\d+) .*?pblk (\d+) len (\d+) .*?ret (\d+)")
    with open(raw, errors="replace") as f:
        for line in f:
            m = pat.search(line)
            if m and int(m.group(4)) > 0 and int(m.group(2)) > 0:
                ino, p, n = int(m.group(1)), int(m.group(2)), min(int(m.group(3)), int(m.group(4)))
                for b in range(p, p + n):
                    owners[b].add(ino)
    return {b for b, s in owners.items() if len(s) > 1}

def main(trace, img, raw=None):
    reused = reused_blocks(raw) if raw else set()
    dump = sh("dumpe2fs", img)
    bs = int(re.search(r"Block size:\s+(\d+)", dump).group(1))
    static = {}
    names = {"superblock": "superblock", "Group descriptors": "group_desc", "Reserved GDT blocks": "group_desc",
             "Block bitmap": "block_bitmap", "Inode bitmap": "inode_bitmap", "Inode table": "inode"}
    for m in re.finditer(r"(superblock|Group descriptors|Reserved GDT blocks|Block bitmap|Inode bitmap|Inode table) at (\d+)(?:-(\d+))?", dump):
        lo = int(m.group(2)); hi = int(m.group(3) or lo)
        for b in range(lo, hi + 1):
            static[b] = names[m.group(1)]
    journal = set()
    for m in re.finditer(r"\((\d+)(?:-(\d+))?\):(\d+)(?:-(\d+))?", sh("debugfs", "-R", "stat <8>", img)):
        lo = int(m.group(3)); hi = int(m.group(4) or lo)
        journal.update(range(lo, hi + 1))
    rows = []
    with gzip.open(trace, "rt") as f:
        header = None
        for line in f:
            if line.startswith("#"):
                continue
            if header is None:
                header = line.strip().split(",")
                continue
            r = dict(zip(header, line.rstrip("\n").split(",")))
            rows.append((int(r["offset"]) // bs, int(r["length"]), r["class"]))
    todo = sorted({b for b, n, c in rows if n > 0 and b not in static and b not in journal})
    owner = {}
    for i in range(0, len(todo), 1000):
        out = debugfs(img, ["icheck " + " ".join(map(str, todo[i:i + 1000]))])
        for m in re.finditer(r"^(\d+)\t(\d+)$", out, re.M):
            owner[int(m.group(1))] = int(m.group(2))
    inodes = sorted(set(owner.values()))
    info = {}
    for i in range(0, len(inodes), 500):
        out = debugfs(img, ["stat <%d>" % n for n in inodes[i:i + 500]])
        for part in out.split("Inode: ")[1:]:
            n = int(part.split()[0])
            typ = re.search(r"Type: (\w+)", part).group(1)
            size = int(re.search(r"Size: (\d+)", part).group(1))
            etb = {int(x) for x in re.findall(r"\(ETB\d+\):(\d+)", part)}
            info[n] = (typ, size, etb)
    agree = collections.Counter(); total = collections.Counter(); unowned = collections.Counter()
    reuse = collections.Counter()
    confusion = collections.defaultdict(collections.Counter)
    for b, n, c in rows:
        if n == 0:
            want = "none"
        elif b in static:
            want = static[b]
        elif b in journal:
            want = "journal"
        elif b in owner and owner[b] in info:
            typ, size, etb = info[owner[b]]
            want = "extent" if b in etb else "directory" if typ == "directory" else size_class(size)
        else:
            unowned[c] += 1
            continue
        if want != c and b in reused:
            reuse[c] += 1
            continue
        total[c] += 1
        if want == c:
            agree[c] += 1
        else:
            confusion[c][want] += 1
    print("%-14s %9s %9s %7s %9s %7s  %s" % ("class", "checked", "agree", "share", "unowned", "reused", "e2fsprogs says instead"))
    for c in sorted(set(total) | set(unowned) | set(reuse)):
        share = 100.0 * agree[c] / total[c] if total[c] else float("nan")
        print("%-14s %9d %9d %6.1f%% %9d %7d  %s" % (c, total[c], agree[c], share, unowned[c], reuse[c], dict(confusion[c].most_common(3))))
    t = sum(total.values()); a = sum(agree.values())
    print("%-14s %9d %9d %6.1f%% %9d %7d" % ("all", t, a, 100.0 * a / max(1, t), sum(unowned.values()), sum(reuse.values())))

if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    main(*sys.argv[1:])
