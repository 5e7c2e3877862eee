#!/usr/bin/env python3
"""Summarise tests/bench/run.sh runs: medians per case and library, ratios.

Reads the JSONL written by run.sh (one record per run, the bench program's own
JSON line under "result"), checks that both libraries ran against the same
broker, topic layout and workload and that each run loaded the library it was
meant to, prints a table and writes results.json. Exits 1 if any run failed or
a check did not hold.
"""

import argparse
import datetime
import json
import os
import statistics
import sys

LIBS = ("librdkafka", "kafkars")
METRICS = ("msgs_per_s", "mb_per_s", "cpu_s_per_million", "seconds", "cpu_s")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--rdkafka", required=True, help="path of genuine librdkafka.so.1")
    ap.add_argument("--kafkars", required=True, help="path of libkafkars.so")
    ap.add_argument("--mock-version", default="")
    ap.add_argument("--conf", default="")
    args = ap.parse_args()

    expected_so = {
        "librdkafka": os.path.realpath(args.rdkafka),
        "kafkars": os.path.realpath(args.kafkars),
    }
    runs = []
    with open(args.runs) as f:
        for line in f:
            line = line.strip()
            if line:
                runs.append(json.loads(line))

    problems = []
    cases = []
    for r in runs:
        if r["case"] not in cases:
            cases.append(r["case"])

    summary = {}
    for case in cases:
        per_lib = {}
        layout = {}
        for lib in LIBS:
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
                # What must match between the two libraries for a fair ratio.
                layout.setdefault(lib, set()).add(
                    (r["bootstrap"], r["topic_partitions"], r["topic_rf"], res["count"], res["size"], res["api"]))
            if ok:
                per_lib[lib] = {
                    "version": ok[0]["result"]["lib"],
                    "so": expected_so[lib],
                    "runs": len(ok),
                    "partitions_used": sorted({r["result"].get("partitions_used", -1) for r in ok}),
                }
                for m in METRICS:
                    per_lib[lib][m] = statistics.median(r["result"][m] for r in ok)
        if len(layout) == 2 and layout["librdkafka"] != layout["kafkars"]:
            problems.append("%s: libraries ran different setups: %s vs %s"
                            % (case, sorted(layout["librdkafka"]), sorted(layout["kafkars"])))
        entry = {"libs": per_lib}
        any_layout = next(iter(layout.values()), set())
        if any_layout:
            b, parts, rf, count, size, api = sorted(any_layout)[0]
            entry.update({"bootstrap": b, "partitions": parts, "rf": rf, "count": count, "size": size, "api": api})
        if len(per_lib) == 2:
            a, k = per_lib["librdkafka"], per_lib["kafkars"]
            entry["ratio"] = {
                # > 1: kafkars is faster.
                "throughput": k["msgs_per_s"] / a["msgs_per_s"] if a["msgs_per_s"] else None,
                # < 1: kafkars uses less CPU per message.
                "cpu_per_msg": (k["cpu_s_per_million"] / a["cpu_s_per_million"]
                                if a["cpu_s_per_million"] else None),
            }
        summary[case] = entry

    print()
    hdr = "%-5s %-10s %-14s %12s %9s %14s %9s %9s" % (
        "case", "lib", "version", "msgs/s", "MB/s", "CPU s/M msgs", "thr x", "cpu x")
    print(hdr)
    print("-" * len(hdr))
    for case in cases:
        e = summary[case]
        for lib in LIBS:
            s = e["libs"].get(lib)
            if not s:
                na = [r["na"] for r in runs if r["case"] == case and r["lib_name"] == lib and r.get("na")]
                print("%-5s %-10s %s" % (case, lib, ("n/a (%s)" % na[0]) if na else "no successful run"))
                continue
            thr = cpu = ""
            if lib == "kafkars" and "ratio" in e:
                fmt = lambda v: "%.2f" % v if v is not None else "?"  # noqa: E731
                thr, cpu = fmt(e["ratio"]["throughput"]), fmt(e["ratio"]["cpu_per_msg"])
            print("%-5s %-10s %-14s %12.0f %9.1f %14.3f %9s %9s" % (
                case, lib, s["version"][:14], s["msgs_per_s"], s["mb_per_s"], s["cpu_s_per_million"], thr, cpu))
    print("medians; MB = 10^6 bytes of payload; thr x = kafkars/librdkafka msgs/s (>1 good),"
          " cpu x = kafkars/librdkafka CPU per message (<1 good)")

    out = {
        "generated": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "mock_cluster": args.mock_version,
        "extra_conf": args.conf,
        "cases": summary,
        "runs": runs,
        "problems": problems,
    }
    with open(args.out, "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")
    # Connection setup is inside the timed span; short runs mostly measure it.
    for case in cases:
        s = summary[case]["libs"].get("librdkafka")
        if s and s["seconds"] < 0.5:
            print("note: %s runs took %.2f s on librdkafka; raise the count for steadier numbers"
                  % (case, s["seconds"]))
    print("results: %s" % args.out)
    for p in problems:
        print("bench: PROBLEM: %s" % p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
