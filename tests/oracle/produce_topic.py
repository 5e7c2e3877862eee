#!/usr/bin/env python3
"""Produce messages with genuine librdkafka (pip confluent-kafka) and print a
one-line JSON summary on stdout:

  {"topic","codec","requested","delivered","failed","errors":[first few],
   "partitions":{"<p>":[first_offset,last_offset,count]},"elapsed_s","librdkafka"}

Generated messages (default): value i is `msg-<i>-` padded to --size bytes
with a repeating a..z pattern; --keys adds key `key-<i>`; --headers adds
headers [["h1","hv-<i>"],["h2",null]]. --from-json instead reads messages as
JSON lines on stdin in read_topic.py's format (key/value/header values base64
or null; partition and timestamp[1] used if present).
Exit 0 if every message was delivered, 1 otherwise.
"""

import argparse
import base64
import json
import sys
import time

try:
    import confluent_kafka as ck
except ImportError:
    sys.stderr.write("produce_topic.py: needs the pip confluent-kafka package (set KAFKARS_PYTHON)\n")
    sys.exit(2)


def payload(i, size):
    head = ("msg-%d-" % i).encode()
    if size <= len(head):
        return head[:size]
    pat = bytes(range(ord("a"), ord("z") + 1))
    fill = size - len(head)
    return head + (pat * (fill // len(pat) + 1))[:fill]


def unb64(s):
    return None if s is None else base64.b64decode(s)


def generated(args):
    for i in range(args.count):
        m = {"value": payload(i, args.size)}
        if args.keys:
            m["key"] = ("key-%d" % i).encode()
        if args.headers:
            m["headers"] = [("h1", ("hv-%d" % i).encode()), ("h2", None)]
        if args.partition is not None:
            m["partition"] = args.partition
        yield m


def from_json(args):
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        r = json.loads(line)
        m = {"value": unb64(r.get("value"))}
        if r.get("key") is not None:
            m["key"] = unb64(r["key"])
        if r.get("headers"):
            m["headers"] = [(k, unb64(v)) for k, v in r["headers"]]
        if args.partition is not None:
            m["partition"] = args.partition
        elif r.get("partition") is not None:
            m["partition"] = r["partition"]
        ts = r.get("timestamp")
        if ts and ts[0] == 1 and ts[1] is not None and ts[1] >= 0:
            m["timestamp"] = ts[1]
        yield m


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bootstrap", required=True)
    ap.add_argument("--topic", required=True)
    ap.add_argument("--count", type=int, default=10)
    ap.add_argument("--size", type=int, default=100, help="value bytes (default 100)")
    ap.add_argument("--codec", default="none", choices=["none", "gzip", "snappy", "lz4", "zstd"])
    ap.add_argument("--keys", action="store_true")
    ap.add_argument("--headers", action="store_true")
    ap.add_argument("--partition", type=int, help="fixed partition (default: partitioner)")
    ap.add_argument("--acks", default="all")
    ap.add_argument("--idempotent", action="store_true")
    ap.add_argument("--linger-ms", type=int, default=5)
    ap.add_argument("--from-json", action="store_true", help="messages from stdin JSON lines")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds for delivery (default 30)")
    ap.add_argument("--config", action="append", default=[], metavar="K=V", help="extra librdkafka property")
    args = ap.parse_args()

    conf = {
        "bootstrap.servers": args.bootstrap,
        "compression.codec": args.codec,
        "acks": args.acks,
        "enable.idempotence": args.idempotent,
        "linger.ms": args.linger_ms,
        "message.timeout.ms": int(args.timeout * 1000),
        "broker.address.family": "v4",
    }
    for s in args.config:
        k, sep, v = s.partition("=")
        if not sep:
            raise SystemExit("--config wants key=value, got %r" % s)
        conf[k] = v

    parts = {}
    errors = []
    state = {"ok": 0, "failed": 0}

    def on_delivery(err, msg):
        if err is not None:
            state["failed"] += 1
            if len(errors) < 5:
                errors.append(str(err))
            return
        state["ok"] += 1
        p = parts.setdefault(str(msg.partition()), [msg.offset(), msg.offset(), 0])
        p[0] = min(p[0], msg.offset())
        p[1] = max(p[1], msg.offset())
        p[2] += 1

    p = ck.Producer(conf)
    t0 = time.time()
    requested = 0
    deadline = t0 + args.timeout
    for m in (from_json(args) if args.from_json else generated(args)):
        while True:
            try:
                p.produce(args.topic, on_delivery=on_delivery, **m)
                break
            except BufferError:
                if time.time() > deadline:
                    raise SystemExit("produce_topic.py: local queue full until timeout")
                p.poll(0.1)
        requested += 1
        p.poll(0)
    left = p.flush(max(0.0, deadline - time.time()) + 1.0)
    summary = {
        "topic": args.topic,
        "codec": args.codec,
        "requested": requested,
        "delivered": state["ok"],
        "failed": state["failed"] + left,
        "errors": errors + (["%d not delivered within timeout" % left] if left else []),
        "partitions": parts,
        "elapsed_s": round(time.time() - t0, 3),
        "librdkafka": ck.libversion()[0],
    }
    print(json.dumps(summary, sort_keys=True), flush=True)
    return 0 if state["ok"] == requested else 1


if __name__ == "__main__":
    sys.exit(main())
