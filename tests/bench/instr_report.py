#!/usr/bin/env python3
"""Summarise tests/bench/instr.sh runs: marginal instructions per message.

Reads the JSONL written by instr.sh (one record per callgrind run: case, library,
repeat, message count n, per-thread instruction counts, the bench's own JSON line
under "result"). For each case, library and repeat it pairs the run at the smaller
count N1 with the one at the larger count N2 and takes
    (I(N2) - I(N1)) / (N2 - N1)
for the whole process, for valgrind thread 1 (the application thread: produce/poll
or consumer_poll calls, delivery callbacks) and for all other threads (the
library's). Prints per case the median over the repeats and the spread (min-max),
the ratios kafkars/reference of the medians, and one `instr |` line per case for
the README; writes --out (JSON). Exits 1 if a run failed or a check did not hold.
"""

import argparse
import datetime
import json
import os
import statistics
import sys

KAFKARS = "kafkars"
CASE_LABEL = {
    "p100": "produce 100 B",
    "p1k": "produce 1 KiB",
    "lz4": "produce 100 B lz4",
    "zstd": "produce 100 B zstd",
    "idem": "produce 100 B idempotent",
    "c100": "consume 100 B",
    "c1k": "consume 1 KiB",
}
PARTS = ("total", "app", "lib")


def short(lib):
    return lib[len("librdkafka-"):] if lib.startswith("librdkafka-") else lib


def num(v):
    return "{:,.0f}".format(v)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--lib", action="append", default=[], metavar="NAME=PATH",
                    help="a library instr.sh ran (its .so path), in table order; an empty PATH"
                         " means it was not found and did not run")
    ap.add_argument("--mock-version", default="")
    ap.add_argument("--valgrind", default="")
    ap.add_argument("--conf", default="")
    ap.add_argument("--kafkars-build", default="", help="where the kafkars copy came from")
    args = ap.parse_args()

    libs, missing, expected_so = [], [], {}
    for spec in args.lib:
        name, _, path = spec.partition("=")
        if not path:
            missing.append(name)
            continue
        libs.append(name)
        expected_so[name] = os.path.realpath(path)
    if KAFKARS not in libs:
        ap.error("--lib kafkars=PATH is required")
    refs = [lib for lib in libs if lib != KAFKARS]

    runs = []
    with open(args.runs) as f:
        for line in f:
            if line.strip():
                runs.append(json.loads(line))

    problems, notes, cases = [], [], []
    for r in runs:
        if r["case"] not in cases:
            cases.append(r["case"])

    def valid(r):
        where = "%s/%s repeat %d n %d" % (r["case"], r["lib_name"], r["repeat"], r["n"])
        res = r.get("result")
        if r["exit"] != 0 or not res:
            problems.append("%s failed (exit %d)" % (where, r["exit"]))
            return False
        so = os.path.realpath(res.get("lib_path", ""))
        if so != expected_so.get(r["lib_name"]):
            problems.append("%s loaded %s, expected %s" % (where, so, expected_so.get(r["lib_name"])))
            return False
        done = res.get("delivered", res.get("consumed"))
        if done != r["n"]:
            problems.append("%s: %s of %d messages" % (where, done, r["n"]))
            return False
        if res.get("partitions") not in (-1, r["topic_partitions"]):
            problems.append("%s: client saw %s partitions, topic has %d"
                            % (where, res.get("partitions"), r["topic_partitions"]))
        total = sum(r["threads"].values())
        if not total or (r.get("collected") and r["collected"] != total):
            problems.append("%s: per-thread counts sum to %d, valgrind collected %d"
                            % (where, total, r.get("collected", 0)))
            return False
        return True

    summary = {}
    for case in cases:
        entry = {"label": CASE_LABEL.get(case, case), "libs": {}, "ratio": {}}
        for lib in libs:
            mine = [r for r in runs if r["case"] == case and r["lib_name"] == lib]
            na = [r["na"] for r in mine if r.get("na")]
            if na:
                entry["libs"][lib] = {"na": na[0]}
                continue
            by_rep = {}
            for r in mine:
                if valid(r):
                    by_rep.setdefault(r["repeat"], []).append(r)
            samples = []
            for rep, rs in sorted(by_rep.items()):
                rs.sort(key=lambda r: r["n"])
                if len(rs) != 2 or rs[0]["n"] == rs[1]["n"]:
                    continue
                a, b = rs
                dn = b["n"] - a["n"]
                ia, ib = sum(a["threads"].values()), sum(b["threads"].values())
                ma, mb = a["threads"].get("1", 0), b["threads"].get("1", 0)
                samples.append({
                    "repeat": rep, "n1": a["n"], "n2": b["n"], "instr_n1": ia, "instr_n2": ib,
                    "threads_n1": len(a["threads"]), "threads_n2": len(b["threads"]),
                    "total": (ib - ia) / dn, "app": (mb - ma) / dn, "lib": ((ib - mb) - (ia - ma)) / dn,
                    "whole_run_n2": ib / b["n"],
                })
            if not samples:
                continue
            s = {"version": by_rep[samples[0]["repeat"]][0]["result"]["lib"], "so": expected_so[lib],
                 "repeats": len(samples), "samples": samples,
                 "n1": samples[0]["n1"], "n2": samples[0]["n2"]}
            for p in PARTS:
                vals = [x[p] for x in samples]
                s[p] = statistics.median(vals)
                s[p + "_min"] = min(vals)
                s[p + "_max"] = max(vals)
            entry["libs"][lib] = s
            entry["size"] = by_rep[samples[0]["repeat"]][0]["size"]
            entry["mode"] = by_rep[samples[0]["repeat"]][0]["mode"]
        k = entry["libs"].get(KAFKARS)
        for ref in refs:
            a = entry["libs"].get(ref)
            if k and a and "total" in k and "total" in a:
                entry["ratio"][ref] = {p: (k[p] / a[p] if a[p] else None) for p in PARTS}
        ns = {(v["n1"], v["n2"]) for v in entry["libs"].values() if "n1" in v}
        if len(ns) > 1:
            problems.append("%s: libraries ran different message counts: %s" % (case, sorted(ns)))
        summary[case] = entry

    def fmt_ratio(v):
        return "%.2f" % v if v is not None else "?"

    def cell(s, p):
        if not s:
            return "no run"
        if "na" in s:
            return "n/a"
        return "%s (%s-%s)" % (num(s[p]), num(s[p + "_min"]), num(s[p + "_max"]))

    w = 24
    print()
    head = "%-5s %-8s" % ("case", "threads") + "".join(" %*s" % (w, short(lib)) for lib in libs)
    head += "".join(" %9s" % ("k/" + short(ref)) for ref in refs)
    print("instructions per message, marginal (median (min-max) over the repeats)")
    print(head)
    print("-" * len(head))
    for case in cases:
        e = summary[case]
        for p, label in (("total", "all"), ("app", "app"), ("lib", "library")):
            line = "%-5s %-8s" % (case if p == "total" else "", label)
            line += "".join(" %*s" % (w, cell(e["libs"].get(lib), p)) for lib in libs)
            for ref in refs:
                rr = e["ratio"].get(ref)
                line += " %9s" % (fmt_ratio(rr[p]) if rr else "")
            print(line)
    print("all = every thread; app = the application's thread (valgrind thread 1); library ="
          " the other threads; k/X = kafkars/X of the medians (< 1: fewer instructions)")

    print()
    print("instr | case | %s | %s |" % (
        " | ".join("%s instr/msg" % short(lib) for lib in libs),
        " | ".join("kafkars/%s" % short(ref) for ref in refs)))
    for case in cases:
        e = summary[case]
        cells = [e["label"]]
        for lib in libs:
            s = e["libs"].get(lib)
            cells.append("n/a" if not s or "na" in s else
                         "%s (%s-%s)" % (num(s["total"]), num(s["total_min"]), num(s["total_max"])))
        for ref in refs:
            rr = e["ratio"].get(ref)
            cells.append("%s×" % fmt_ratio(rr["total"]) if rr else "n/a")
        print("instr | %s |" % " | ".join(cells))

    for lib in missing:
        notes.append("%s was not found: not run" % lib)
    for case in cases:
        for lib, s in summary[case]["libs"].items():
            if "samples" in s and s["total_min"] > 0 and s["total_max"] / s["total_min"] > 1.15:
                notes.append("%s on %s: spread over %.0f%% (batching under valgrind depends on"
                             " scheduling); more repeats or larger counts steady it"
                             % (case, lib, 100 * (s["total_max"] / s["total_min"] - 1)))

    out = {
        "generated": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "method": "valgrind --tool=callgrind --separate-threads=yes; (I(N2)-I(N1))/(N2-N1) per repeat;"
                  " median and min-max over repeats",
        "valgrind": args.valgrind,
        "mock_cluster": args.mock_version,
        "extra_conf": args.conf,
        "libs": {lib: expected_so[lib] for lib in libs},
        "kafkars_build": args.kafkars_build,
        "not_found": missing,
        "cases": summary,
        "runs": runs,
        "problems": problems,
    }
    with open(args.out, "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")
    for n in notes:
        print("note: %s" % n)
    print("results: %s" % args.out)
    for p in problems:
        print("instr: PROBLEM: %s" % p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
