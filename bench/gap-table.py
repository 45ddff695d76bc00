#!/usr/bin/env python3
"""Builds the evaluation table of docs/adaptive-policy.md from `triage compare --csv` outputs.

    gap-table.py [--policy NAME] NAME=FILE.csv ...     (NAME: the candidate, default adaptive)

For every trace and cache size: the overall hit ratio (%) of each policy, the best unhinted
policy (lru, arc, s3fifo, sieve, wtinylfu), and for the adaptive policy the fraction of the
gap to OPT it closes, (adaptive - best) / (opt - best). Then the two bars: adaptive never
below the best unhinted policy by more than 1% of its hit ratio, and the mean gap closed over
the cells where opt - best >= 1 point.
"""
import csv, sys

UNHINTED = ["lru", "arc", "s3fifo", "sieve", "wtinylfu"]
args = sys.argv[1:]
CAND = "adaptive"
if args[:1] == ["--policy"]:
    CAND, args = args[1], args[2:]
COLS = UNHINTED + ["dss", "ucp", CAND, "opt"]

rows = []
for arg in args:
    name, path = arg.split("=", 1)
    hits = {}
    for r in csv.DictReader(open(path)):
        if r["class"] == "all":
            hits[(r["policy"], int(r["cache_bytes"]))] = float(r["hit_ratio"]) * 100
    sizes = sorted({c for (_, c) in hits})
    for i, c in enumerate(sizes):
        rows.append((name, c, {p: hits.get((p, c)) for p in COLS}))

share = ["1%", "5%", "10%", "25%"]
print("| trace | cache | " + " | ".join(COLS) + " | best unhinted | gap closed |")
print("|---|---|" + "---|" * (len(COLS) + 2))
worst = None
gaps = []
fails = []
by_trace = {}
for name, c, h in rows:
    by_trace.setdefault(name, []).append(c)
    idx = by_trace[name].index(c)
    label = share[idx] if idx < len(share) else str(c)
    best_p = max(UNHINTED, key=lambda p: h[p] if h[p] is not None else -1)
    best = h[best_p]
    a, o = h[CAND], h["opt"]
    gap = o - best
    closed = (a - best) / gap if gap > 1e-12 else float("nan")
    if gap >= 1.0:
        gaps.append(closed)
    rel = (a - best) / best if best > 0 else 0.0
    if a < best * 0.99 - 1e-9:
        fails.append(f"{name} {label}: {CAND} {a:.3f} < 0.99 x {best_p} {best:.3f}")
    if worst is None or rel < worst[0]:
        worst = (rel, name, label)
    cells = " | ".join("" if h[p] is None else f"{h[p]:.2f}" for p in COLS)
    gc = "n/a" if closed != closed else f"{closed:+.2f}"
    print(f"| {name} | {label} ({c // 4096} blocks) | {cells} | {best_p} | {gc} |")
print()
print(f"Worst {CAND} vs best unhinted: {worst[0] * 100:+.1f}% of its hit ratio ({worst[1]} {worst[2]})"
      if worst else "no rows")
if gaps:
    print(f"Mean gap closed over the {len(gaps)} cells where OPT - best unhinted >= 1 point: "
          f"{sum(gaps) / len(gaps):+.2f}")
print("Bar 1 (never below best unhinted by more than 1% of its hit ratio): "
      + ("met" if not fails else "NOT met: " + "; ".join(fails)))
if gaps:
    print("Bar 2 (mean gap closed >= 0.5): " + ("met" if sum(gaps) / len(gaps) >= 0.5 else "NOT met"))
