#!/usr/bin/env python3
"""Summarises tests/bench/scale.sh's runs (one JSON line per run).

Prints per library a table of the points (median over rounds): msgs/s, CPU s per
million messages, idle and peak RSS, and the curve (CPU/M and peak RSS over the
series' first point: p6 for the partition and topic series, g1 for the group);
then the ratios kafkars/2.16 and kafkars/2.0.2 and one `scale |` line per point.
Writes everything (runs included) to --out as JSON.

A group run retried after the mock's SyncGroup race (scale.sh group_stalled) is
kept in the runs but left out of the medians; the check column counts them.
"""

import argparse
import json
import statistics
import sys

LIB_ORDER = ["librdkafka-2.16", "librdkafka-2.0.2", "kafkars"]
SHORT = {"librdkafka-2.16": "2.16", "librdkafka-2.0.2": "2.0.2", "kafkars": "kafkars"}


def describe(point, r):
    if point.startswith("p"):
        return "1 topic x %s partitions" % point[1:]
    if point.startswith("t"):
        parts = r.get("partitions", 6) if r else 6
        return "%s topics x %s partitions" % (point[1:], parts)
    if point.startswith("g"):
        parts = r.get("partitions", "?") if r else "?"
        return "group of %s on %s partitions" % (point[1:], parts)
    return point


def series_base(point, points):
    """The point a curve is measured against."""
    if point[0] in "pt":
        for p in points:
            if p[0] == "p":
                return p
    if point[0] == "g":
        for p in points:
            if p[0] == "g":
                return p
    return None


def check(kind, runs):
    """A short verdict over a point's runs for one library."""
    notes = []
    for run in runs:
        r = run["result"]
        if run["exit"] != 0 or r is None:
            notes.append("exit %d" % run["exit"] + (" (timeout)" if run["exit"] == 124 else ""))
            continue
        if kind == "produce":
            if r["delivered"] != r["count"] or r["failed"]:
                notes.append("delivered %d/%d" % (r["delivered"], r["count"]))
            if r["pairs_hit"] != r["pairs_expected"]:
                notes.append("partitions %d/%d" % (r["pairs_hit"], r["pairs_expected"]))
        else:
            per = [m["partitions"] for m in r["per_member"]]
            even = r["partitions"] // r["members"]
            if r["members_with_partitions"] != r["members"]:
                notes.append("%d/%d members assigned" % (r["members_with_partitions"], r["members"]))
            if r["partitions_owned_once"] != r["partitions"]:
                notes.append("%d/%d partitions owned once" % (r["partitions_owned_once"], r["partitions"]))
            if r["partitions"] % r["members"] == 0 and any(p != even for p in per):
                notes.append("assignment %s" % ",".join(map(str, per)))
            if r["dups"]:
                notes.append("%d dups" % r["dups"])
            if r["unique"] < r["count"]:
                notes.append("read %d/%d" % (r["unique"], r["count"]))
            if any(m["assigns"] > 1 for m in r["per_member"]):
                notes.append("rebalances %s" % ",".join(str(m["assigns"]) for m in r["per_member"]))
            if r["dups"] or any(m["assigns"] != 1 for m in r["per_member"]):
                notes.append("stalled again: mock SyncGroup race")
    return "; ".join(notes) if notes else "ok"


def med(vals):
    vals = [v for v in vals if v is not None]
    return statistics.median(vals) if vals else None


def fmt(v, f):
    return "n/a" if v is None else f % v


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--lib", action="append", default=[])
    ap.add_argument("--mock-version", default="")
    ap.add_argument("--conf", default="")
    ap.add_argument("--params", default="")
    a = ap.parse_args()

    runs = [json.loads(line) for line in open(a.runs) if line.strip()]
    points, libs = [], []
    for run in runs:
        if run["point"] not in points:
            points.append(run["point"])
        if run["lib_name"] not in libs:
            libs.append(run["lib_name"])
    libs.sort(key=lambda x: LIB_ORDER.index(x) if x in LIB_ORDER else 99)

    summary = {}
    for point in points:
        for lib in libs:
            rs_all = [r for r in runs if r["point"] == point and r["lib_name"] == lib]
            if not rs_all:
                continue
            # A group run that hit the mock's SyncGroup race was retried: use the retry.
            rs = [r for r in rs_all if not r.get("superseded")]
            races = len(rs_all) - len(rs)
            ok = [r["result"] for r in rs if r["exit"] == 0 and r["result"]]
            anyr = [r["result"] for r in rs if r["result"]]
            src = ok or anyr

            def m(key):
                return med([r.get(key) for r in src]) if src else None

            s = {
                "kind": rs[0]["kind"],
                "what": describe(point, src[0] if src else None),
                "rounds": len(rs),
                "ok_rounds": len(ok),
                "msgs_per_s": med([r["msgs_per_s"] for r in ok]) if ok else None,
                "cpu_s_per_M": med([r["cpu_s_per_M"] for r in ok]) if ok else None,
                "rss_idle_kb": m("rss_idle_kb"),
                "rss_peak_kb": m("rss_peak_kb"),
                "rss_base_kb": m("rss_base_kb"),
                "setup_s": m("setup_s"),
                "threads_idle": m("threads_idle"),
                "wall_s": med([r["wall_s"] for r in rs]),
                "check": check(rs[0]["kind"], rs),
                "mock_races": races,
            }
            if races:
                s["check"] += " (%d retried: mock SyncGroup race)" % races
            if rs[0]["kind"] == "group":
                s["join_s"] = m("join_s")
                s["dups"] = m("dups")
                s["partitions_per_member"] = [x["partitions"] for x in src[0]["per_member"]] if src else None
                s["msgs_per_member"] = [x["msgs"] for x in src[0]["per_member"]] if src else None
            if src:
                s["version"] = src[0]["version"]
            summary.setdefault(point, {})[lib] = s

    # curves: each point over its series' base point
    for point in points:
        base = series_base(point, points)
        for lib, s in summary[point].items():
            b = summary.get(base, {}).get(lib) if base else None
            s["curve_base"] = base
            s["cpu_vs_base"] = ratio(s["cpu_s_per_M"], b["cpu_s_per_M"]) if b else None
            s["peak_vs_base"] = ratio(s["rss_peak_kb"], b["rss_peak_kb"]) if b else None
            s["idle_minus_base_kb"] = (
                s["rss_idle_kb"] - b["rss_idle_kb"] if b and s["rss_idle_kb"] is not None and b["rss_idle_kb"] is not None else None
            )

    print()
    print("scale: mock cluster %s; %s; conf: %s" % (a.mock_version, a.params, a.conf or "none"))
    for lib in libs:
        ver = next((summary[p][lib].get("version") for p in points if lib in summary[p] and summary[p][lib].get("version")), "?")
        print()
        print("== %s (librdkafka API %s) ==" % (lib, ver))
        print("%-6s %-30s %10s %8s %8s %8s %7s %7s %8s %4s  %s" % (
            "point", "what", "msgs/s", "cpu s/M", "idle MB", "peak MB", "cpu x", "peak x", "idle +MB", "thr", "check"))
        for point in points:
            s = summary[point].get(lib)
            if not s:
                continue
            extra = ""
            if s["kind"] == "group" and s.get("join_s") is not None:
                extra = "  (join %.2f s; parts/member %s)" % (s["join_s"], ",".join(map(str, s["partitions_per_member"] or [])))
            print("%-6s %-30s %10s %8s %8s %8s %7s %7s %8s %4s  %s%s" % (
                point, s["what"], fmt(s["msgs_per_s"], "%.0f"), fmt(s["cpu_s_per_M"], "%.3f"),
                fmt(None if s["rss_idle_kb"] is None else s["rss_idle_kb"] / 1024, "%.1f"),
                fmt(None if s["rss_peak_kb"] is None else s["rss_peak_kb"] / 1024, "%.1f"),
                fmt(s["cpu_vs_base"], "%.2f"), fmt(s["peak_vs_base"], "%.2f"),
                fmt(None if s["idle_minus_base_kb"] is None else s["idle_minus_base_kb"] / 1024, "%+.1f"),
                fmt(s["threads_idle"], "%d"), s["check"], extra))
    print()
    print("cpu x / peak x: CPU s per million messages and peak RSS over the series' first point")
    print("(p6 for partitions and topics, g1 for the group); idle +MB: idle RSS (handles made,")
    print("metadata known, no message yet) over that point's; thr: threads when idle.")
    print("Group msgs/s follows each library's prefetch limit (librdkafka: queued.min.messages")
    print("per consumer, kafkars: per partition; notes/perf.md), not only its CPU.")

    refs = [r for r in ("librdkafka-2.16", "librdkafka-2.0.2") if r in libs]
    if "kafkars" in libs and refs:
        print()
        print("ratios kafkars / reference (msgs/s: >1 faster; cpu/M and peak RSS: <1 leaner)")
        hdr = "%-6s" % "point"
        for ref in refs:
            hdr += "  %-28s" % ("vs %s: msgs/s cpu/M peak" % SHORT[ref])
        print(hdr)
        for point in points:
            k = summary[point].get("kafkars")
            if not k:
                continue
            row = "%-6s" % point
            for ref in refs:
                r = summary[point].get(ref)
                if not r:
                    row += "  %-28s" % "n/a"
                    continue
                k.setdefault("ratios", {})[ref] = {
                    "msgs_per_s": ratio(k["msgs_per_s"], r["msgs_per_s"]),
                    "cpu_s_per_M": ratio(k["cpu_s_per_M"], r["cpu_s_per_M"]),
                    "rss_peak": ratio(k["rss_peak_kb"], r["rss_peak_kb"]),
                }
                q = k["ratios"][ref]
                row += "  %-28s" % ("   %s  %s  %s" % (fmt(q["msgs_per_s"], "%5.2f"), fmt(q["cpu_s_per_M"], "%5.2f"), fmt(q["rss_peak"], "%5.2f")))
            print(row)

    print()
    for point in points:
        parts = []
        for lib in libs:
            s = summary[point].get(lib)
            if not s:
                continue
            parts.append("%s %s msgs/s %s cpu-s/M %s MB peak%s" % (
                SHORT.get(lib, lib), fmt(s["msgs_per_s"], "%.0f"), fmt(s["cpu_s_per_M"], "%.2f"),
                fmt(None if s["rss_peak_kb"] is None else s["rss_peak_kb"] / 1024, "%.0f"),
                "" if s["check"] == "ok" else " [%s]" % s["check"]))
        k = summary[point].get("kafkars")
        q = (k or {}).get("ratios", {}).get("librdkafka-2.16")
        if q:
            parts.append("kafkars/2.16 msgs/s %s cpu %s rss %s" % (
                fmt(q["msgs_per_s"], "%.2f"), fmt(q["cpu_s_per_M"], "%.2f"), fmt(q["rss_peak"], "%.2f")))
        what = next(iter(summary[point].values()))["what"]
        print("scale | %s | %s | %s" % (point, what, " | ".join(parts)))

    out = {
        "mock_version": a.mock_version,
        "params": a.params,
        "conf": a.conf,
        "libs": dict(x.split("=", 1) for x in a.lib if "=" in x),
        "points": points,
        "summary": summary,
        "runs": runs,
    }
    with open(a.out, "w") as f:
        json.dump(out, f, indent=1)
    print("\nscale: results in %s" % a.out)
    bad = [p for p in points for lib, s in summary[p].items() if s["ok_rounds"] < s["rounds"]]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
