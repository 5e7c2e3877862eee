#!/usr/bin/env python3
"""A genuine-librdkafka group member (pip confluent-kafka) for interop tests.

Joins --group, subscribes to --topic with --strategy, and prints one JSON line per
event: {"assigned": [[topic, partition], ...]} after each rebalance, {"msg": [p, offset]}
per message. Commits synchronously after every --commit-every messages. Exits after
--seconds, or on stdin EOF when --stdin-stop is given, closing the consumer cleanly.
"""
import argparse
import json
import select
import sys
import time

from confluent_kafka import Consumer


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bootstrap", required=True)
    ap.add_argument("--group", required=True)
    ap.add_argument("--topic", required=True)
    ap.add_argument("--strategy", default="range")
    ap.add_argument("--seconds", type=float, default=30.0)
    args = ap.parse_args()
    assigned = set()

    def out(obj):
        sys.stdout.write(json.dumps(obj) + "\n")
        sys.stdout.flush()

    def on_assign(c, parts):
        if args.strategy == "cooperative-sticky":
            c.incremental_assign(parts)
        else:
            c.assign(parts)
        for p in parts:
            assigned.add((p.topic, p.partition))
        out({"assigned": sorted(assigned)})

    def on_revoke(c, parts):
        if args.strategy == "cooperative-sticky":
            c.incremental_unassign(parts)
            for p in parts:
                assigned.discard((p.topic, p.partition))
        else:
            c.unassign()
            assigned.clear()
        out({"assigned": sorted(assigned)})

    c = Consumer({"bootstrap.servers": args.bootstrap, "group.id": args.group,
                  "partition.assignment.strategy": args.strategy, "session.timeout.ms": 6000,
                  "heartbeat.interval.ms": 200, "auto.offset.reset": "earliest",
                  "enable.auto.commit": False})
    c.subscribe([args.topic], on_assign=on_assign, on_revoke=on_revoke)
    end = time.time() + args.seconds
    while time.time() < end:
        if select.select([sys.stdin], [], [], 0)[0] and not sys.stdin.readline():
            break
        m = c.poll(0.1)
        if m is None or m.error():
            continue
        out({"msg": [m.partition(), m.offset()]})
        c.commit(message=m, asynchronous=False)
    c.close()
    out({"closed": True})


if __name__ == "__main__":
    main()
