#!/usr/bin/env python3
"""Read a topic with genuine librdkafka (pip confluent-kafka) and print each
message as one JSON line:

  {"topic","partition","offset","key","value","headers":[[k, v]...],
   "timestamp":[type, ms]}     key/value/header values: base64 or null;
                               timestamp type 0 none, 1 create, 2 log-append

All partitions are assigned at OFFSET_BEGINNING (no group). Without --expect,
reads until every partition reports end-of-partition. With --expect N, stops
after N messages. Exit 1 (with a message on stderr saying how many were read)
if --timeout passes first. A summary line goes to stderr.
"""

import argparse
import base64
import json
import sys
import time

try:
    import confluent_kafka as ck
except ImportError:
    sys.stderr.write("read_topic.py: needs the pip confluent-kafka package (set KAFKARS_PYTHON)\n")
    sys.exit(2)


def b64(b):
    return None if b is None else base64.b64encode(b).decode()


def kv(items):
    out = {}
    for s in items:
        k, sep, v = s.partition("=")
        if not sep:
            raise SystemExit("--config wants key=value, got %r" % s)
        out[k] = v
    return out


def partitions_of(consumer, topic, deadline):
    """Partition ids of topic; waits (bounded) for it to appear in metadata."""
    last = None
    while time.time() < deadline:
        try:
            md = consumer.list_topics(topic, timeout=max(0.5, min(5.0, deadline - time.time())))
            t = md.topics.get(topic)
            if t is not None and t.error is None and t.partitions:
                return sorted(t.partitions)
            last = t.error if t is not None else "absent"
        except ck.KafkaException as e:
            last = e
        time.sleep(0.2)
    raise TimeoutError("topic %s not in metadata: %s" % (topic, last))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bootstrap", required=True)
    ap.add_argument("--topic", required=True)
    ap.add_argument("--expect", type=int, help="stop after this many messages")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds (default 30)")
    ap.add_argument("--partition", type=int, action="append", help="only these partitions")
    ap.add_argument("--isolation", choices=["read_committed", "read_uncommitted"], default="read_uncommitted")
    ap.add_argument("--config", action="append", default=[], metavar="K=V", help="extra librdkafka property")
    args = ap.parse_args()

    deadline = time.time() + args.timeout
    conf = {
        "bootstrap.servers": args.bootstrap,
        "group.id": "kafkars-oracle-reader",
        "enable.auto.commit": False,
        "enable.auto.offset.store": False,
        "enable.partition.eof": True,
        "check.crcs": True,
        "isolation.level": args.isolation,
        "broker.address.family": "v4",
    }
    conf.update(kv(args.config))
    c = ck.Consumer(conf)
    n = 0
    try:
        try:
            parts = args.partition or partitions_of(c, args.topic, deadline)
        except TimeoutError as e:
            sys.stderr.write("read_topic.py: %s\n" % e)
            return 1
        c.assign([ck.TopicPartition(args.topic, p, ck.OFFSET_BEGINNING) for p in parts])
        at_eof = set()
        errors = 0
        while time.time() < deadline:
            if args.expect is not None and n >= args.expect:
                break
            if args.expect is None and at_eof >= set(parts):
                break
            m = c.poll(min(0.5, max(0.01, deadline - time.time())))
            if m is None:
                continue
            e = m.error()
            if e is not None:
                if e.code() == ck.KafkaError._PARTITION_EOF:
                    at_eof.add(m.partition())
                else:
                    errors += 1
                    sys.stderr.write("read_topic.py: consume error: %s\n" % e)
                continue
            at_eof.discard(m.partition())
            hdrs = m.headers() or []
            rec = {
                "topic": m.topic(),
                "partition": m.partition(),
                "offset": m.offset(),
                "key": b64(m.key()),
                "value": b64(m.value()),
                "headers": [[k, b64(v)] for k, v in hdrs],
                "timestamp": list(m.timestamp()),
            }
            sys.stdout.write(json.dumps(rec) + "\n")
            n += 1
        sys.stdout.flush()
        done = (n >= args.expect) if args.expect is not None else at_eof >= set(parts)
        sys.stderr.write("read_topic.py: read %d message(s) from %s %s (librdkafka %s)%s\n" % (
            n, args.topic, parts, ck.libversion()[0],
            "" if done else " -- TIMEOUT after %ss%s" % (
                args.timeout, "" if args.expect is None else ", expected %d" % args.expect)))
        return 0 if done else 1
    finally:
        c.close()


if __name__ == "__main__":
    sys.exit(main())
