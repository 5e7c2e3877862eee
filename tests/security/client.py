#!/usr/bin/env python3
"""A confluent_kafka client for the SASL scenarios (PLAIN, OAUTHBEARER, OIDC, GSSAPI).

Usage: client.py -t TOPIC (-n COUNT | --duration S [--interval S]) [-c]
                 [--flush-timeout S] [--consume-timeout S]
                 [--oauth-cb PRINCIPAL [--oauth-lifetime S]]
                 -X key=value [-X key=value ...]

Produces COUNT messages to TOPIC (or one every --interval seconds, default 0.05, for
--duration seconds) with the given configuration (bootstrap.servers, security.protocol,
sasl.* all come through -X), flushes (bounded) and prints

    produced P               (only with --duration)
    delivered D failed F

F counts the messages whose delivery report carried an error plus those still queued when
the flush timed out. With -c it then consumes TOPIC back in a new consumer group from the
earliest offset, bounded, until all of this run's messages have arrived, and prints
`consumed C` (earlier runs' messages in the topic are not counted).

Every distinct error the library reports is printed once, as it comes:

    error <NAME>: <reason>             (error_cb, producer or consumer)
    delivery-error <NAME>: <reason>    (a failed delivery report)
    consume-error <NAME>: <reason>     (an error event from poll())
    config-error <NAME>: <reason>      (the producer could not be created; then
                                        `delivered 0 failed COUNT` and exit 1)

NAME is KafkaError.name() (e.g. _AUTHENTICATION, _TRANSPORT), reason its str().

--oauth-cb PRINCIPAL installs an oauth_cb (the token refresh callback) that returns an
unsecured JWT (alg none) made here: sub=PRINCIPAL, iat=now, exp=now+--oauth-lifetime
(default 3600 s). Each call prints `oauth_cb <n> lifetime <S>`. It needs
sasl.mechanism=OAUTHBEARER (and no sasl.oauthbearer.method=oidc).

Runs on genuine librdkafka (pip confluent-kafka 2.x: python3; Debian's 1.7 on librdkafka
2.0.2: /usr/bin/python3) and on kafkars (LD_PRELOAD=.../libkafkars.so, or
LD_LIBRARY_PATH=<compat dir> for Debian's). The first line printed is
`library <librdkafka version string>`. Exit status: 0 when everything was delivered (and,
with -c, consumed), 1 otherwise, 2 on bad usage.
"""

import argparse
import base64
import json
import sys
import time
import uuid

sys.dont_write_bytecode = True

import confluent_kafka  # noqa: E402
from confluent_kafka import Consumer, KafkaError, KafkaException, Producer, libversion  # noqa: E402

seen = set()
RUN = uuid.uuid4().hex[:8]  # tags this run's messages: consume counts only these


def say(line):
    print(line, flush=True)


def once(kind, err):
    try:
        name, reason = err.name(), err.str()
    except AttributeError:
        name, reason = type(err).__name__, str(err)
    key = (kind, name, reason)
    if key not in seen:
        seen.add(key)
        say("%s %s: %s" % (kind, name, reason))


def parse_args(argv):
    ap = argparse.ArgumentParser(description="produce (and consume) over SASL")
    ap.add_argument("-t", dest="topic", required=True)
    ap.add_argument("-n", dest="count", type=int, default=0)
    ap.add_argument("--duration", type=float, default=0.0)
    ap.add_argument("--interval", type=float, default=0.05)
    ap.add_argument("-c", dest="consume", action="store_true", help="consume the messages back")
    ap.add_argument("-X", dest="props", action="append", default=[], metavar="key=value")
    ap.add_argument("--flush-timeout", type=float, default=20.0)
    ap.add_argument("--consume-timeout", type=float, default=20.0)
    ap.add_argument("--oauth-cb", metavar="PRINCIPAL")
    ap.add_argument("--oauth-lifetime", type=float, default=3600.0)
    args = ap.parse_args(argv)
    if (args.count > 0) == (args.duration > 0):
        ap.error("give one of -n COUNT and --duration S")
    conf = {}
    for kv in args.props:
        if "=" not in kv:
            ap.error("-X expects key=value, got %r" % kv)
        k, v = kv.split("=", 1)
        conf[k] = v
    return args, conf


def b64url(obj):
    return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).rstrip(b"=").decode()


def add_oauth_cb(args, conf):
    calls = [0]
    new_api = int(confluent_kafka.version()[0].split(".")[0]) >= 2

    def cb(_oauth_config):
        calls[0] += 1
        now = time.time()
        exp = now + args.oauth_lifetime
        token = "%s.%s." % (b64url({"alg": "none"}), b64url({"sub": args.oauth_cb, "iat": int(now), "exp": int(exp)}))
        say("oauth_cb %d lifetime %g" % (calls[0], args.oauth_lifetime))
        # confluent-kafka 2.x takes (token, expiry, principal, extensions); 1.x (token, expiry).
        return (token, exp, args.oauth_cb, {}) if new_api else (token, exp)

    conf["oauth_cb"] = cb


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
    try:
        p = Producer(pconf)
    except KafkaException as e:  # e.g. a mechanism this build lacks
        once("config-error", e.args[0] if e.args else e)
        say("delivered 0 failed %d" % args.count)
        return 0, 0

    def send(i):
        while True:
            try:
                p.produce(args.topic, value=("msg-%s-%d" % (RUN, i)).encode(), on_delivery=on_delivery)
                return
            except BufferError:
                p.poll(0.1)

    produced = 0
    if args.duration > 0:
        end = time.monotonic() + args.duration
        while time.monotonic() < end:
            send(produced)
            produced += 1
            p.poll(args.interval)
        say("produced %d" % produced)
    else:
        for i in range(args.count):
            send(i)
        produced = args.count
    deadline = time.monotonic() + args.flush_timeout
    remaining = len(p)
    while remaining > 0 and time.monotonic() < deadline:
        remaining = p.flush(min(1.0, max(0.0, deadline - time.monotonic())))
    p.poll(0)
    remaining = len(p)
    say("delivered %d failed %d" % (delivered[0], failed[0] + remaining))
    if remaining:  # closing with messages queued could block: purge them first
        try:
            p.purge()
            p.flush(2.0)
        except Exception:
            pass
    return produced, delivered[0]


def consume(args, conf, expect):
    cconf = dict(conf)
    for k in ("message.timeout.ms", "acks", "linger.ms", "enable.idempotence"):
        cconf.pop(k, None)
    cconf.update({
        "group.id": "sasl-%s" % uuid.uuid4().hex[:12],
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
    if args.oauth_cb:
        add_oauth_cb(args, conf)
    produced, delivered = produce(args, conf)
    ok = produced > 0 and delivered == produced
    if args.consume and ok:
        ok = consume(args, conf, produced) >= produced and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
