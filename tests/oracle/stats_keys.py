#!/usr/bin/env python3
"""Print the key paths of genuine librdkafka's statistics JSON (pip confluent-kafka).

Starts tests/brokers/mock_cluster.py (3 brokers, topic `stats` with 3
partitions), produces 100 messages with a stats_cb (statistics.interval.ms=100),
flushes, waits for one more stats document and prints, one per line, sorted:

  <section> <path> <type>

section: top (top-level, without the brokers/topics contents), broker (union
over all brokers, without toppars contents), toppar (one brokers.toppars entry),
topic (without partitions contents), partition (union over all partitions,
including "-1"). path: dotted keys below the section; type: dict, list, int,
str, bool, float. Keys that are names (broker names, topics, partition ids,
toppar names) appear as `*`; `req` keys (API names) are kept.

Use --json to print the last raw stats document instead.
"""

import argparse
import json
import os
import subprocess
import sys
import time

try:
    import confluent_kafka as ck
except ImportError:
    sys.stderr.write("stats_keys.py: needs the pip confluent-kafka package (set KAFKARS_PYTHON)\n")
    sys.exit(2)

HERE = os.path.dirname(os.path.abspath(__file__))
NAMED = {"brokers", "topics", "partitions", "toppars"}


def jtype(v):
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, float):
        return "float"
    if isinstance(v, str):
        return "str"
    if isinstance(v, list):
        return "list"
    return "dict"


def walk(section, obj, prefix, out):
    for k, v in obj.items():
        path = prefix + k
        out.add((section, path, jtype(v)))
        if isinstance(v, dict) and k not in NAMED:
            walk(section, v, path + ".", out)


def key_paths(doc):
    out = set()
    walk("top", doc, "", out)
    for b in doc.get("brokers", {}).values():
        walk("broker", b, "", out)
        for tp in b.get("toppars", {}).values():
            walk("toppar", tp, "", out)
    for t in doc.get("topics", {}).values():
        walk("topic", t, "", out)
        for p in t.get("partitions", {}).values():
            walk("partition", p, "", out)
    return sorted(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", action="store_true", help="print the raw stats JSON")
    args = ap.parse_args()

    launcher = subprocess.Popen(
        [sys.executable, os.path.join(HERE, "..", "brokers", "mock_cluster.py"), "--brokers", "3", "--topic", "stats:3"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        line = launcher.stdout.readline()
        if not line.startswith("BOOTSTRAP "):
            raise SystemExit("stats_keys.py: mock cluster did not start: %r" % line)
        bootstrap = line.split(None, 1)[1].strip()

        docs = []
        delivered = [0]

        def on_delivery(err, msg):
            if err is None:
                delivered[0] += 1

        p = ck.Producer({
            "bootstrap.servers": bootstrap,
            "statistics.interval.ms": 100,
            "stats_cb": docs.append,
            "linger.ms": 5,
            "broker.address.family": "v4",
        })
        for i in range(100):
            p.produce("stats", ("msg-%d" % i).encode(), on_delivery=on_delivery)
        p.flush(30)
        if delivered[0] != 100:
            raise SystemExit("stats_keys.py: only %d/100 delivered" % delivered[0])
        n = len(docs)
        deadline = time.time() + 10
        while len(docs) <= n and time.time() < deadline:
            p.poll(0.1)
        if not docs:
            raise SystemExit("stats_keys.py: no stats emitted")
        doc = json.loads(docs[-1])
        if args.json:
            print(json.dumps(doc, indent=1))
        else:
            print("# librdkafka %s" % ck.libversion()[0])
            for section, path, t in key_paths(doc):
                print(section, path, t)
    finally:
        launcher.stdin.close()
        launcher.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
