#!/usr/bin/env python3
"""Summarise tests/bench/run.sh runs: medians, spread and ratios per case and library.

Reads the JSONL written by run.sh (one record per run, the bench program's own
JSON line under "result"), checks that all libraries (--lib, in table order:
the references, e.g. librdkafka-2.16 and librdkafka-2.0.2, and kafkars) ran
against the same broker, topic layout and workload and that each run loaded the
library it was meant to, prints one table per kind of case (kafkars' ratios
against each reference):
  throughput (produce, consume): msgs/s median and spread, MB/s, CPU s per million
    messages, peak RSS;
  latency: produce->delivery p50/p90/p99/p99.9/max ms at a fixed offered rate;
  memory: RSS before and with the messages queued, peak RSS, bytes per message;
the settings the consume runs used (as each library reports them), one summary
line per case for the README, and writes results.json. Exits 1 if any run failed
or a check did not hold.

report.py --line JSON prints one run's JSON line as a short line (run.sh's progress).
"""

import argparse
import datetime
import json
import os
import statistics
import sys

KAFKARS = "kafkars"
# Medians taken per kind of case (from each run's JSON line).
METRICS = {
    "throughput": ("msgs_per_s", "mb_per_s", "cpu_s_per_million", "seconds", "cpu_s", "max_rss_kb"),
    "latency": ("lat_p50_ms", "lat_p90_ms", "lat_p99_ms", "lat_p999_ms", "lat_max_ms", "lat_mean_ms",
                "msgs_per_s", "cpu_s_per_million", "behind_max_ms", "max_rss_kb", "seconds"),
    "memory": ("base_rss_kb", "queued_rss_kb", "max_rss_kb", "bytes_per_msg", "msgs_per_s", "cpu_s"),
}
# The metric whose min-max is the spread.
SPREAD = {"throughput": "msgs_per_s", "latency": "lat_p99_ms", "memory": "max_rss_kb"}


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


def mb(kb):
    return "%.0f" % (kb / 1024.0) if kb is not None and kb >= 0 else "?"


def ms(v):
    return "%.2f" % v if v < 10 else "%.1f" % v


def kind_of(run):
    """produce/consume -> throughput; latency; memory (runs of older run.sh: by case name)."""
    k = run.get("kind") or ((run.get("result") or {}).get("mode")) or ("consume" if run["case"].startswith("c") else "produce")
    return "throughput" if k in ("produce", "consume") else k


def ratio(a, b):
    return a / b if (a is not None and b) else None


def line(res):
    """One run, one short line."""
    m = res.get("mode")
    if m == "latency":
        return "p50 %s  p99 %s  p99.9 %s  max %s ms  at %.0f/s (offered %d)  cpu %.3f s" % (
            ms(res["lat_p50_ms"]), ms(res["lat_p99_ms"]), ms(res["lat_p999_ms"]), ms(res["lat_max_ms"]),
            res["msgs_per_s"], res["rate"], res["cpu_s"])
    if m == "memory":
        return "base %s MB  queued %s MB  peak %s MB  %.0f B/msg  (%d queued)" % (
            mb(res["base_rss_kb"]), mb(res["queued_rss_kb"]), mb(res["max_rss_kb"]), res["bytes_per_msg"],
            res["queued"])
    return "%.0f msgs/s  %.1f MB/s  %.3f s  cpu %.3f s  rss %s MB" % (
        res["msgs_per_s"], res["mb_per_s"], res["seconds"], res["cpu_s"], mb(res.get("max_rss_kb")))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--line", metavar="JSON", help="print one run's result as a short line and exit")
    ap.add_argument("--runs")
    ap.add_argument("--out")
    ap.add_argument("--lib", action="append", default=[], metavar="NAME=PATH",
                    help="a library run.sh ran (its .so path); in table order; an empty PATH"
                         " means the library was not found and did not run")
    ap.add_argument("--mock-version", default="")
    ap.add_argument("--conf", default="")
    args = ap.parse_args()
    if args.line is not None:
        print(line(json.loads(args.line)))
        return 0
    if not (args.runs and args.out):
        ap.error("--runs and --out are required")

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
        for ln in f:
            ln = ln.strip()
            if ln:
                runs.append(json.loads(ln))

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
        case_runs = [r for r in runs if r["case"] == case]
        kind = kind_of(case_runs[0])
        metrics = METRICS[kind]
        per_lib = {}
        layout = {}
        confs = {}
        for lib in libs:
            mine = [r for r in case_runs if r["lib_name"] == lib]
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
                if kind == "latency" and res["msgs_per_s"] < 0.95 * res["rate"]:
                    notes.append("%s: sent %.0f msgs/s of the %d offered (the sender fell behind)"
                                 % (where, res["msgs_per_s"], res["rate"]))
                ok.append(r)
                # What must match between the libraries for a fair ratio.
                layout.setdefault(lib, set()).add(
                    (r["bootstrap"], r["topic_partitions"], r["topic_rf"], res["count"], res["size"], res["api"],
                     res.get("rate", 0)))
                confs.setdefault(lib, json.dumps(res.get("conf", {}), sort_keys=True))
            if ok:
                sp = [r["result"][SPREAD[kind]] for r in ok]
                per_lib[lib] = {
                    "version": ok[0]["result"]["lib"],
                    "so": expected_so[lib],
                    "runs": len(ok),
                    "partitions_used": sorted({r["result"].get("partitions_used", -1) for r in ok}),
                    "spread_metric": SPREAD[kind],
                    "spread_min": min(sp),
                    "spread_max": max(sp),
                    "conf": ok[0]["result"].get("conf", {}),
                }
                for m in metrics:
                    vals = [r["result"][m] for r in ok if r["result"].get(m) is not None]
                    per_lib[lib][m] = statistics.median(vals) if vals else None
        setups = {lib: sorted(v) for lib, v in layout.items()}
        if len({tuple(v) for v in setups.values()}) > 1:
            problems.append("%s: libraries ran different setups: %s" % (case, setups))
        if len(set(confs.values())) > 1:
            notes.append("%s: the libraries report different settings: %s"
                         % (case, "; ".join("%s %s" % (short(lib), c) for lib, c in confs.items())))
        entry = {"kind": kind, "label": case_runs[0].get("label") or case, "libs": per_lib}
        any_layout = next(iter(layout.values()), set())
        if any_layout:
            b, parts, rf, count, size, api, offered = sorted(any_layout)[0]
            entry.update({"bootstrap": b, "partitions": parts, "rf": rf, "count": count, "size": size, "api": api})
            if kind == "latency":
                entry["rate"] = offered
        k = per_lib.get(KAFKARS)
        entry["ratio"] = {}
        for ref in refs:
            a = per_lib.get(ref)
            if not (k and a):
                continue
            if kind == "throughput":
                entry["ratio"][ref] = {
                    # > 1: kafkars is faster.
                    "throughput": ratio(k["msgs_per_s"], a["msgs_per_s"]),
                    # < 1: kafkars uses less CPU per message.
                    "cpu_per_msg": ratio(k["cpu_s_per_million"], a["cpu_s_per_million"]),
                }
            elif kind == "latency":  # < 1: kafkars delivers sooner / uses less CPU
                entry["ratio"][ref] = {
                    "p50": ratio(k["lat_p50_ms"], a["lat_p50_ms"]),
                    "p99": ratio(k["lat_p99_ms"], a["lat_p99_ms"]),
                    "p999": ratio(k["lat_p999_ms"], a["lat_p999_ms"]),
                    "cpu_per_msg": ratio(k["cpu_s_per_million"], a["cpu_s_per_million"]),
                }
            else:  # < 1: kafkars holds the queued messages in less memory
                entry["ratio"][ref] = {
                    "peak_rss": ratio(k["max_rss_kb"], a["max_rss_kb"]),
                    "bytes_per_msg": ratio(k["bytes_per_msg"], a["bytes_per_msg"]),
                }
        summary[case] = entry

    def fmt(v):
        return "%.2f" % v if v is not None else "?"

    libw = max(len(lib) for lib in libs)

    def table(kind, head, row, ratio_cols, legend):
        mine = [c for c in cases if summary[c]["kind"] == kind]
        if not mine:
            return
        cols = "%-5s %-*s %-14s " % ("case", libw, "lib", "version") + head
        for ref in refs:
            cols += "".join(" %9s" % (rc + "/" + short(ref)) for rc, _ in ratio_cols)
        print()
        print(cols)
        print("-" * len(cols))
        for case in mine:
            e = summary[case]
            for lib in libs:
                s = e["libs"].get(lib)
                if not s:
                    na = [r["na"] for r in runs if r["case"] == case and r["lib_name"] == lib and r.get("na")]
                    print("%-5s %-*s %s" % (case, libw, lib, ("n/a (%s)" % na[0]) if na else "no successful run"))
                    continue
                ln = "%-5s %-*s %-14s " % (case, libw, lib, s["version"][:14]) + row(s)
                if lib == KAFKARS:
                    for ref in refs:
                        rr = e["ratio"].get(ref)
                        ln += "".join(" %9s" % (fmt(rr[key]) if rr else "") for _, key in ratio_cols)
                print(ln)
        print(legend)

    table("throughput",
          "%10s %17s %9s %13s %7s" % ("msgs/s", "spread (min-max)", "MB/s", "CPU s/M msgs", "RSS MB"),
          lambda s: "%10.0f %17s %9.1f %13.3f %7s" % (
              s["msgs_per_s"], "%s-%s" % (rate(s["spread_min"]), rate(s["spread_max"])), s["mb_per_s"],
              s["cpu_s_per_million"], mb(s["max_rss_kb"])),
          (("thr", "throughput"), ("cpu", "cpu_per_msg")),
          "medians over the rounds; spread = min-max msgs/s; MB = 10^6 bytes of payload; RSS = peak"
          " (ru_maxrss); thr/X = kafkars/X msgs/s (>1 good), cpu/X = kafkars/X CPU per message (<1 good)")
    table("latency",
          "%7s %7s %7s %7s %7s %13s %8s %10s %7s" % ("p50", "p90", "p99", "p99.9", "max", "p99 spread",
                                                     "sent/s", "CPU s/M", "behind"),
          lambda s: "%7s %7s %7s %7s %7s %13s %8.0f %10.3f %7s" % (
              ms(s["lat_p50_ms"]), ms(s["lat_p90_ms"]), ms(s["lat_p99_ms"]), ms(s["lat_p999_ms"]),
              ms(s["lat_max_ms"]), "%s-%s" % (ms(s["spread_min"]), ms(s["spread_max"])), s["msgs_per_s"],
              s["cpu_s_per_million"], ms(s["behind_max_ms"])),
          (("p50", "p50"), ("p99", "p99"), ("p99.9", "p999"), ("cpu", "cpu_per_msg")),
          "produce->delivery report latency in ms at a fixed offered rate (medians over the rounds of each"
          " run's percentile); sent/s = achieved send rate; behind = how late the sender got (ms);"
          " p*/X, cpu/X = kafkars/X (<1 good)")
    table("memory",
          "%9s %10s %12s %15s %8s" % ("base MB", "queued MB", "peak MB", "spread (MB)", "B/msg"),
          lambda s: "%9s %10s %12s %15s %8.0f" % (
              mb(s["base_rss_kb"]), mb(s["queued_rss_kb"]), mb(s["max_rss_kb"]),
              "%s-%s" % (mb(s["spread_min"]), mb(s["spread_max"])), s["bytes_per_msg"]),
          (("peak", "peak_rss"), ("B/msg", "bytes_per_msg")),
          "RSS (MiB) before producing, with all messages queued (VmRSS) and the peak (ru_maxrss);"
          " B/msg = (queued - base) / messages; peak/X, B/msg/X = kafkars/X (<1 good)")

    # The consumer tuning of the consume runs, as each library reports its effective settings.
    for case in cases:
        e = summary[case]
        if e["kind"] != "throughput" or not any(r.get("kind") == "consume" or (r.get("result") or {}).get("mode") == "consume"
                                                for r in runs if r["case"] == case):
            continue
        per = {lib: " ".join("%s=%s" % kv for kv in sorted(s["conf"].items())) for lib, s in e["libs"].items()}
        if len(set(per.values())) == 1:
            print("%s consumer settings (every library): %s" % (case, next(iter(per.values()))))
        else:
            for lib, c in per.items():
                print("%s consumer settings (%s): %s" % (case, lib, c))

    # Transactional cases: time in commit_transaction (median over the rounds) and the longest commit.
    for case in cases:
        per = []
        for lib in libs:
            ok = [r["result"] for r in runs if r["case"] == case and r["lib_name"] == lib and r["exit"] == 0
                  and r.get("result") and r["result"].get("transactions")]
            if ok:
                per.append("%s %s s in %d commits, longest %s ms" % (
                    short(lib), "%.3f" % statistics.median(x.get("commit_s", 0.0) for x in ok),
                    ok[0]["transactions"], ms(max(x.get("commit_max_ms", 0.0) for x in ok))))
        if per:
            print("%s commit_transaction: %s" % (case, "; ".join(per)))

    # One line per case for the README's benchmark table (markdown after "summary "):
    # case | per library: median msgs/s (latency: p50/p99/p99.9 ms; memory: peak RSS) |
    # kafkars/reference ratios (throughput, CPU per message; latency p99 and CPU; memory
    # peak RSS and bytes per queued message).
    print()
    print("summary | case | %s | %s |" % (
        " | ".join("%s msgs/s" % short(lib) for lib in libs),
        " | ".join("kafkars/%s thr, cpu" % short(ref) for ref in refs)))
    for case in cases:
        e = summary[case]
        cells = [e["label"]]
        for lib in libs:
            s = e["libs"].get(lib)
            if not s:
                cells.append("n/a")
            elif e["kind"] == "latency":
                cells.append("%s/%s/%s ms" % (ms(s["lat_p50_ms"]), ms(s["lat_p99_ms"]), ms(s["lat_p999_ms"])))
            elif e["kind"] == "memory":
                cells.append("%s MB" % mb(s["max_rss_kb"]))
            else:
                cells.append(rate(s["msgs_per_s"]))
        for ref in refs:
            rr = e["ratio"].get(ref)
            if not rr:
                cells.append("n/a")
            elif e["kind"] == "latency":
                cells.append("p99 %s×, cpu %s×" % (fmt(rr["p99"]), fmt(rr["cpu_per_msg"])))
            elif e["kind"] == "memory":
                cells.append("peak %s×, B/msg %s×" % (fmt(rr["peak_rss"]), fmt(rr["bytes_per_msg"])))
            else:
                cells.append("%s×, %s×" % (fmt(rr["throughput"]), fmt(rr["cpu_per_msg"])))
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
        if summary[case]["kind"] != "throughput":
            continue
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
