#!/usr/bin/env python3
"""A confluent_kafka client for the security scenarios (SASL/SCRAM, TLS).

Usage: client.py -t TOPIC -n COUNT [-c] [--flush-timeout S] [--consume-timeout S]
                 -X key=value [-X key=value ...]

Produces COUNT messages to TOPIC with the given configuration (bootstrap.servers,
security.protocol, sasl.*, ssl.* all come through -X), flushes (bounded) and prints

    delivered D failed F

F counts the messages whose delivery report carried an error plus those still queued
when the flush timed out. With -c it then consumes TOPIC back in a new consumer group
from the earliest offset, bounded (20 s by default), until COUNT of this run's messages have
arrived (earlier runs' messages in the topic are not counted) and prints

    consumed C

Along the way every distinct error the library reports is printed once, as it comes
(repeats that differ only in librdkafka's "(after Nms in state X)" count as the same):

    error <NAME>: <reason>             (error_cb, producer or consumer)
    delivery-error <NAME>: <reason>    (a failed delivery report)
    consume-error <NAME>: <reason>     (an error event from poll())

NAME is KafkaError.name() (e.g. _AUTHENTICATION, _SSL, _TRANSPORT), reason its str().
The same script runs on genuine librdkafka (plain python3 with the pip wheel) and on
kafkars (LD_PRELOAD=.../libkafkars.so python3 client.py ...). The first line printed is
`library <librdkafka version string>`. Exit status: 0 when everything was delivered
(and, with -c, consumed), 1 otherwise, 2 on bad usage.
"""

import argparse
import re
import sys
import time
import uuid

sys.dont_write_bytecode = True

from confluent_kafka import Consumer, KafkaError, Producer, libversion  # noqa: E402

seen = set()
RUN = uuid.uuid4().hex[:8]  # tags this run's messages: consume counts only these


def say(line):
    print(line, flush=True)


def once(kind, err):
    try:
        name, reason = err.name(), err.str()
    except AttributeError:  # not a KafkaError (should not happen)
        name, reason = type(err).__name__, str(err)
    # Repeats of one failure differ only in librdkafka's "(after 31ms in state AUTH_REQ)".
    key = (kind, name, re.sub(r"\(after \d+ms in state ", "(after Nms in state ", reason))
    if key not in seen:
        seen.add(key)
        say("%s %s: %s" % (kind, name, reason))


def parse_args(argv):
    ap = argparse.ArgumentParser(description="produce (and consume) over SASL/TLS")
    ap.add_argument("-t", dest="topic", required=True)
    ap.add_argument("-n", dest="count", type=int, required=True)
    ap.add_argument("-c", dest="consume", action="store_true", help="consume the messages back")
    ap.add_argument("-X", dest="props", action="append", default=[], metavar="key=value")
    ap.add_argument("--flush-timeout", type=float, default=20.0)
    ap.add_argument("--consume-timeout", type=float, default=20.0)
    args = ap.parse_args(argv)
    conf = {}
    for kv in args.props:
        if "=" not in kv:
            ap.error("-X expects key=value, got %r" % kv)
        k, v = kv.split("=", 1)
        conf[k] = v
    return args, conf


def produce(args, conf):
    delivered = [0]
    failed = [0]

    def on_delivery(err, msg):
        if err is None:
            delivered[0] += 1
        else:
            failed[0] += 1
            once("delivery-error", err)

    pconf = dict(conf)
    pconf["error_cb"] = lambda err: once("error", err)
    p = Producer(pconf)
    for i in range(args.count):
        while True:
            try:
                p.produce(args.topic, value=("msg-%s-%d" % (RUN, i)).encode(), on_delivery=on_delivery)
                break
            except BufferError:
                p.poll(0.1)
    deadline = time.monotonic() + args.flush_timeout
    remaining = len(p)
    while remaining > 0 and time.monotonic() < deadline:
        remaining = p.flush(min(1.0, max(0.0, deadline - time.monotonic())))
    p.poll(0)
    remaining = len(p)
    say("delivered %d failed %d" % (delivered[0], failed[0] + remaining))
    # Closing the producer with messages still queued could block: purge them first.
    if remaining:
        try:
            p.purge()
            p.flush(2.0)
        except Exception:
            pass
    return delivered[0]


def consume(args, conf, expect):
    cconf = dict(conf)
    # Producer-only properties would only draw warnings on a consumer.
    for k in ("message.timeout.ms", "acks", "linger.ms", "enable.idempotence"):
        cconf.pop(k, None)
    cconf.update({
        "group.id": "sec-%s" % uuid.uuid4().hex[:12],
        "auto.offset.reset": "earliest",
        "enable.auto.commit": "false",
        "error_cb": lambda err: once("error", err),
    })
    c = Consumer(cconf)
    c.subscribe([args.topic])
    got = 0
    deadline = time.monotonic() + args.consume_timeout
    try:
        while got < expect and time.monotonic() < deadline:
            m = c.poll(min(0.5, max(0.0, deadline - time.monotonic())))
            if m is None:
                continue
            if m.error():
                if m.error().code() != KafkaError._PARTITION_EOF:
                    once("consume-error", m.error())
                continue
            if (m.value() or b"").startswith(("msg-%s-" % RUN).encode()):
                got += 1
    finally:
        say("consumed %d" % got)
        c.close()
    return got


def main(argv):
    args, conf = parse_args(argv)
    say("library %s" % libversion()[0])
    delivered = produce(args, conf)
    ok = delivered == args.count
    if args.consume:
        ok = consume(args, conf, args.count) >= args.count and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
