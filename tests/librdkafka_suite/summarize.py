#!/usr/bin/env python3
"""Merge results.tsv files written by run.sh into one markdown table.

usage: summarize.py results.tsv [more.tsv ...]   (later files override earlier)
"""
import sys, collections
rows = collections.OrderedDict()
labels = []
for path in sys.argv[1:]:
    for line in open(path):
        f = line.rstrip("\n").split("\t")
        if len(f) < 3 or f[0] == "test":
            continue
        t, lab, res = f[0], f[1], f[2]
        det = f[3] if len(f) > 3 else ""
        if lab not in labels:
            labels.append(lab)
        rows.setdefault(t, {})[lab] = (res, det)
print("| test | " + " | ".join(labels) + " |")
print("|---|" + "---|" * len(labels))
for t in sorted(rows):
    cells = []
    for lab in labels:
        res, det = rows[t].get(lab, ("not run", ""))
        det = det.replace("|", "/")
        cells.append(res if res == "pass" else f"{res}: {det[:300]}")
    print(f"| {t} | " + " | ".join(cells) + " |")
