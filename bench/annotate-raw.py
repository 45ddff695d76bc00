#!/usr/bin/env python3
"""Labels a raw ftrace block trace (bench/record-trace.sh layout) with DSS classes and prints it
as a hinted CSV v1 trace (shared/docs/trace-format.md).

    annotate-raw.py RAWDIR WORKLOAD > trace.csv

Labels, first match wins, per request from the file system's own structures:
  journal                      the request lies in the journal inode's extents (journal.txt)
  superblock, group_desc, block_bitmap, inode_bitmap, inode
                               the static layout that dumpe2fs.txt lists
  directory                    the owning inode is a directory (dirs.txt)
  file_4k ... file_huge        the owning inode's final size (sizes.txt) by DSS bucket
  extent                       the kernel's RWBS M flag but none of the above
  unclassified                 none of the above (e.g. data of a file deleted before the end)
The owner of a block is taken from ext4_ext_map_blocks_exit events: the last mapping at or
before the request, else the first one after it. Sizes are those at the end of the run.
"""
import bisect, gzip, re, sys

raw, workload = sys.argv[1], sys.argv[2]
BS = 4096

def ranges_of(pattern, text, single=False):
    out = []
    for m in re.finditer(pattern, text):
        a = int(m.group(1))
        b = a if single else int(m.group(2))
        out.append((a, b))
    return out

dump = open(f"{raw}/dumpe2fs.txt").read()
static = []  # (start, end, class)
for a, b in ranges_of(r"uperblock at (\d+)", dump, True):
    static.append((a, b, "superblock"))
for a, b in ranges_of(r"Group descriptors at (\d+)-(\d+)", dump) + ranges_of(r"Reserved GDT blocks at (\d+)-(\d+)", dump):
    static.append((a, b, "group_desc"))
for a, b in ranges_of(r"Block bitmap at (\d+)", dump, True):
    static.append((a, b, "block_bitmap"))
for a, b in ranges_of(r"Inode bitmap at (\d+)", dump, True):
    static.append((a, b, "inode_bitmap"))
for a, b in ranges_of(r"Inode table at (\d+)-(\d+)", dump):
    static.append((a, b, "inode"))
for m in re.finditer(r"\(\d+(?:-\d+)?\):(\d+)(?:-(\d+))?", open(f"{raw}/journal.txt").read()):
    a = int(m.group(1)); b = int(m.group(2) or a)
    static.append((a, b, "journal"))
static.sort()
starts = [s[0] for s in static]

def static_class(blk):
    i = bisect.bisect_right(starts, blk) - 1
    if i >= 0 and static[i][0] <= blk <= static[i][1]:
        return static[i][2]
    return None

sizes = {}
for line in open(f"{raw}/sizes.txt"):
    ino, sz = line.split()
    sizes[int(ino)] = int(sz)
dirs = {int(l) for l in open(f"{raw}/dirs.txt") if l.strip()}

def size_class(sz):
    for limit, name in ((4 << 10, "file_4k"), (16 << 10, "file_16k"), (64 << 10, "file_64k"),
                        (256 << 10, "file_256k"), (1 << 20, "file_1m"), (4 << 20, "file_4m"),
                        (16 << 20, "file_16m"), (64 << 20, "file_64m"), (256 << 20, "file_256m"),
                        (1 << 30, "file_1g")):
        if sz <= limit:
            return name
    return "file_huge"

ISSUE = re.compile(r"\s(\d+\.\d+): block_rq_issue: \d+,\d+ (\S+) (\d+) \(.*?\) (\d+) \+ (\d+) (\w+),(\d+),(\d+) \[(.*)\]")
MAP = re.compile(r"\s(\d+\.\d+): ext4_ext_map_blocks_exit: dev \S+ ino (\d+) flags.*? lblk \d+ pblk (\d+) len (\d+) mflags \S* ret (\d+)")

owners = {}  # block -> [(ts, ino)]
reqs = []
with gzip.open(f"{raw}/ftrace.txt.gz", "rt", errors="replace") as f:
    for line in f:
        m = ISSUE.search(line)
        if m:
            reqs.append(m.groups())
            continue
        m = MAP.search(line)
        if m and int(m.group(5)) > 0 and int(m.group(3)) > 0:
            ts = float(m.group(1)); ino = int(m.group(2)); pb = int(m.group(3))
            for b in range(pb, pb + int(m.group(4))):
                lst = owners.setdefault(b, [])
                if not lst or lst[-1][1] != ino:
                    lst.append((ts, ino))

def owner(blk, ts):
    lst = owners.get(blk)
    if not lst:
        return None
    i = bisect.bisect_right(lst, (ts, float("inf"))) - 1
    return lst[max(i, 0)][1]

print("# hinted block trace v1")
print(f"# source=linux ftrace block_rq_issue on ext4 (loop device), labelled by bench/annotate-raw.py; workload={workload}; block_size={BS}")
print("ts_ns,op,offset,length,class,file_size,flags,ioprio,comm")
t0 = float(reqs[0][0]) if reqs else 0.0
last = 0
for ts, rwbs, nbytes, sector, nsec, pcls, plvl, phint, comm in reqs:
    t = max(last, int(round((float(ts) - t0) * 1e9)))
    last = t
    nsec = int(nsec)
    if "D" in rwbs and nsec:
        op = "D"
    elif "W" in rwbs and nsec:
        op = "W"
    elif "R" in rwbs and nsec:
        op = "R"
    else:
        op = "F"
    off = int(sector) * 512
    length = nsec * 512 if op != "F" else 0
    cls, fsz = "none", ""
    if op != "F":
        blk = off // BS
        cls = static_class(blk)
        if cls is None:
            ino = owner(blk, float(ts))
            if ino is not None and ino in dirs:
                cls = "directory"
            elif ino is not None and ino in sizes:
                cls = size_class(sizes[ino]); fsz = str(sizes[ino])
            elif "M" in rwbs:
                cls = "extent"
            else:
                cls = "unclassified"
    comm = comm.replace(",", "_")
    print(f"{t},{op},{off},{length},{cls},{fsz},{rwbs},{pcls}:{plvl}:{phint},{comm}")
