#!/usr/bin/env python3
"""Synthetic hinted traces with class structure, for validating the adaptive policy.

    synth-trace.py KIND SEED > trace.csv

KIND:
  journal-hot-scan  a write-only journal stream (32-block writes, never read), a hot set of
                    small files (single-block reads and some writes, skewed), and a scan class
                    (16-block sequential reads looping over a region 20x the hot set)
  uninformative     the same touches, every request labelled "unclassified" (the hints carry
                    no information: the policy must do as well as an unhinted one)
  shifting          the hot set moves every 100k requests, and the journal's share grows
"""
import random, sys

kind, seed = sys.argv[1], int(sys.argv[2])
r = random.Random(seed)
BS = 4096
HOT = 8000
print("# hinted block trace v1")
print(f"# source=bench/synth-trace.py {kind} {seed}; block_size={BS}")
print("ts_ns,op,offset,length,class,file_size,flags,ioprio,comm")
journal = 1 << 18
scan0 = 1 << 20
scan = scan0
t = 0
hot_base = 0
for i in range(300_000):
    t += 1000
    jshare = 3 if kind != "shifting" else 2 + (i * 4) // 300_000
    if kind == "shifting" and i % 100_000 == 0 and i:
        hot_base += HOT // 2
    p = r.randrange(10)
    if p < jshare:
        op, off, ln, cls, fs = "W", journal * BS, 32 * BS, "journal", ""
        journal += 32
    elif p < 9:
        u = r.random()
        b = hot_base + int(HOT * u * u * u)
        op = "W" if r.randrange(5) == 0 else "R"
        off, ln, cls, fs = b * BS, BS, "file_4k", "4096"
    else:
        op, off, ln, cls, fs = "R", scan * BS, 16 * BS, "file_huge", str(4 << 30)
        scan += 16
        if scan >= scan0 + 20 * HOT:
            scan = scan0
    if kind == "uninformative":
        cls, fs = "unclassified", ""
    print(f"{t},{op},{off},{ln},{cls},{fs},{op},be:0:4,synth")
