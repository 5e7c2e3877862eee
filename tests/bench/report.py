#!/usr/bin/env python3
"""Summarise tests/bench/run.sh runs: medians, spread and ratios per case and library.

Reads the JSONL written by run.sh (one record per run, the bench program's own
JSON line under "result"), checks that all libraries (--lib, in table order:
the references, e.g. librdkafka-2.16 and librdkafka-2.0.2, and kafkars) ran
against the same broker, topic layout and workload and that each run loaded the
library it was meant to, prints a table (kafkars' ratios against each
reference) and one summary line per case for the README, and writes
results.json. Exits 1 if any run failed or a check did not hold.
"""

import argparse
import datetime
import json
import os
import statistics
import sys

KAFKARS = "kafkars"
METRICS = ("msgs_per_s", "mb_per_s", "cpu_s_per_million", "seconds", "cpu_s")


def short(lib):
    """librdkafka-2.16 -> 2.16 (the column and summary label of a reference)."""
    return lib[len("librdkafka-"):] if lib.startswith("librdkafka-") else lib


def rate(v):
    """msgs/s, compact: 812k, 1.23M."""
    if v >= 1e6:
        return "%.2fM" % (v / 1e6)
    if v >= 1e3:
        return "%.0fk" % (v / 1e3)
    return "%.0f" % v


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--lib", action="append", default=[], metavar="NAME=PATH",
                    help="a library run.sh ran (its .so path); in table order; an empty PATH"
                         " means the library was not found and did not run")
    ap.add_argument("--mock-version", default="")
    ap.add_argument("--conf", default="")
    args = ap.parse_args()

    libs = []
    missing = []
    expected_so = {}
    for spec in args.lib:
        name, _, path = spec.partition("=")
        if not path:
            missing.append(name)
            continue
        libs.append(name)
        expected_so[name] = os.path.realpath(path)
    if KAFKARS not in libs:
        ap.error("--lib kafkars=PATH is required")
    refs = [lib for lib in libs if lib != KAFKARS]  # the references kafkars is compared with

    runs = []
    with open(args.runs) as f:
        for line in f:
            line = line.strip()
            if line:
                runs.append(json.loads(line))

    problems = []
    notes = []
    cases = []
    for r in runs:
        if r["case"] not in cases:
            cases.append(r["case"])
        if r["lib_name"] not in libs:
            problems.append("run of unknown library %s (case %s)" % (r["lib_name"], r["case"]))

    summary = {}
    for case in cases:
        per_lib = {}
        layout = {}
        for lib in libs:
            mine = [r for r in runs if r["case"] == case and r["lib_name"] == lib]
            ok = []
            for r in mine:
                res = r.get("result")
                where = "%s/%s round %d" % (case, lib, r["round"])
                if r.get("na"):  # the library lacks this mode (run.sh decided): not a failure
                    continue
                if r["exit"] != 0 or not res:
                    problems.append("%s failed (exit %d)" % (where, r["exit"]))
                    continue
                so = os.path.realpath(res.get("lib_path", ""))
                if so != expected_so[lib]:
                    problems.append("%s loaded %s, expected %s" % (where, so, expected_so[lib]))
                    continue
                if res.get("partitions") not in (-1, r["topic_partitions"]):
                    problems.append("%s: client saw %s partitions, topic has %d"
                                    % (where, res.get("partitions"), r["topic_partitions"]))
                ok.append(r)
                # What must match between the libraries for a fair ratio.
                layout.setdefault(lib, set()).add(
                    (r["bootstrap"], r["topic_partitions"], r["topic_rf"], res["count"], res["size"], res["api"]))
            if ok:
                rates = [r["result"]["msgs_per_s"] for r in ok]
                per_lib[lib] = {
                    "version": ok[0]["result"]["lib"],
                    "so": expected_so[lib],
                    "runs": len(ok),
                    "partitions_used": sorted({r["result"].get("partitions_used", -1) for r in ok}),
                    "msgs_per_s_min": min(rates),
                    "msgs_per_s_max": max(rates),
                }
                for m in METRICS:
                    per_lib[lib][m] = statistics.median(r["result"][m] for r in ok)
        setups = {lib: sorted(v) for lib, v in layout.items()}
        if len({tuple(v) for v in setups.values()}) > 1:
            problems.append("%s: libraries ran different setups: %s" % (case, setups))
        entry = {"libs": per_lib}
        any_layout = next(iter(layout.values()), set())
        if any_layout:
            b, parts, rf, count, size, api = sorted(any_layout)[0]
            entry.update({"bootstrap": b, "partitions": parts, "rf": rf, "count": count, "size": size, "api": api})
        k = per_lib.get(KAFKARS)
        entry["ratio"] = {}
        for ref in refs:
            a = per_lib.get(ref)
            if not (k and a):
                continue
            entry["ratio"][ref] = {
                # > 1: kafkars is faster.
                "throughput": k["msgs_per_s"] / a["msgs_per_s"] if a["msgs_per_s"] else None,
                # < 1: kafkars uses less CPU per message.
                "cpu_per_msg": (k["cpu_s_per_million"] / a["cpu_s_per_million"]
                                if a["cpu_s_per_million"] else None),
            }
        summary[case] = entry

    def fmt(v):
        return "%.2f" % v if v is not None else "?"

    libw = max(len(lib) for lib in libs)
    print()
    cols = "%-5s %-*s %-14s %10s %17s %9s %13s" % (
        "case", libw, "lib", "version", "msgs/s", "spread (min-max)", "MB/s", "CPU s/M msgs")
    for ref in refs:
        cols += " %9s %9s" % ("thr/" + short(ref), "cpu/" + short(ref))
    print(cols)
    print("-" * len(cols))
    for case in cases:
        e = summary[case]
        for lib in libs:
            s = e["libs"].get(lib)
            if not s:
                na = [r["na"] for r in runs if r["case"] == case and r["lib_name"] == lib and r.get("na")]
                print("%-5s %-*s %s" % (case, libw, lib, ("n/a (%s)" % na[0]) if na else "no successful run"))
                continue
            line = "%-5s %-*s %-14s %10.0f %17s %9.1f %13.3f" % (
                case, libw, lib, s["version"][:14], s["msgs_per_s"],
                "%s-%s" % (rate(s["msgs_per_s_min"]), rate(s["msgs_per_s_max"])),
                s["mb_per_s"], s["cpu_s_per_million"])
            if lib == KAFKARS:
                for ref in refs:
                    rr = e["ratio"].get(ref)
                    line += " %9s %9s" % ((fmt(rr["throughput"]), fmt(rr["cpu_per_msg"])) if rr else ("", ""))
            print(line)
    print("medians over the rounds; spread = min-max msgs/s; MB = 10^6 bytes of payload;"
          " thr/X = kafkars/X msgs/s (>1 good), cpu/X = kafkars/X CPU per message (<1 good)")

    # One line per case for the README's benchmark table (markdown after "summary "):
    # case | median msgs/s per library | kafkars/reference ratios (throughput, CPU per message).
    print()
    print("summary | case | %s | %s |" % (
        " | ".join("%s msgs/s" % short(lib) for lib in libs),
        " | ".join("kafkars/%s thr, cpu" % short(ref) for ref in refs)))
    for case in cases:
        e = summary[case]
        cells = ["%s %s B" % ("consume" if case.startswith("c") else "produce", e.get("size", "?"))]
        for lib in libs:
            s = e["libs"].get(lib)
            cells.append(rate(s["msgs_per_s"]) if s else "n/a")
        for ref in refs:
            rr = e["ratio"].get(ref)
            cells.append("%s×, %s×" % (fmt(rr["throughput"]), fmt(rr["cpu_per_msg"])) if rr else "n/a")
        print("summary | %s |" % " | ".join(cells))

    for lib in missing:
        notes.append("%s was not found: not run (ratios against it missing)" % lib)
    for lib in libs:
        for case in cases:
            s = summary[case]["libs"].get(lib)
            if s and lib.startswith("librdkafka-") and not (s["version"] == short(lib) or s["version"].startswith(short(lib) + ".")):
                notes.append("%s reports version %s" % (lib, s["version"]))
                break

    out = {
        "generated": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "mock_cluster": args.mock_version,
        "extra_conf": args.conf,
        "libs": {lib: expected_so[lib] for lib in libs},
        "not_found": missing,
        "cases": summary,
        "runs": runs,
        "problems": problems,
    }
    with open(args.out, "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")
    # Connection setup is inside the timed span; short runs mostly measure it.
    for case in cases:
        for lib in refs:
            s = summary[case]["libs"].get(lib)
            if s and s["seconds"] < 0.5:
                notes.append("%s runs took %.2f s on %s; raise the count for steadier numbers"
                             % (case, s["seconds"], lib))
                break
    for n in notes:
        print("note: %s" % n)
    print("results: %s" % args.out)
    for p in problems:
        print("bench: PROBLEM: %s" % p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
