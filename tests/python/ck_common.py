#!/usr/bin/env python3
"""Helpers of ck_scenarios.py: the seed, JSON output and normalization, client configs.

`ck` stands for the module under test (use() sets it), so that scenarios read the same
with either module; see ck_scenarios.py for what the output lines mean.
"""

import json
import re
import sys
import time

sys.dont_write_bytecode = True

# Records per partition of "orders" (4 partitions) the seed produces; CreateTime fixed.
SEED = {0: 3, 1: 4, 2: 5, 3: 2}
TS0 = 1700000000000
DEAD = "127.0.0.1:1"  # nothing listens there


class _Module:
    """The module under test (confluent_kafka or kafkars), set by use()."""

    real = None

    def __getattr__(self, name):
        return getattr(_Module.real, name)


class _Args:
    bootstrap = DEAD


ck = _Module()
ARGS = _Args()


def use(module, bootstrap):
    _Module.real = module
    ARGS.bootstrap = bootstrap


def seed_record(p, i):
    hdrs = [("src", b"seed"), ("i", str(i).encode())] if i % 2 == 0 else None
    return b"k%d.%d" % (p, i), b"v%d.%d" % (p, i), TS0 + 1000 * p + i, hdrs


def seed(bootstrap):
    from confluent_kafka import Producer

    p = Producer({"bootstrap.servers": bootstrap, "linger.ms": 5, "acks": "all"})
    bad = []
    for part, n in SEED.items():
        for i in range(n):
            k, v, ts, h = seed_record(part, i)
            p.produce("orders", v, k, partition=part, timestamp=ts, headers=h,
                      on_delivery=lambda e, m: e and bad.append(str(e)))
    left = p.flush(30)
    if left or bad:
        sys.exit("seed: %d left, %s" % (left, bad[:3]))


# ---------------------------------------------------------------------------- output

def J(x):
    """x as JSON-able data, library objects by their observable fields."""
    if x is None or isinstance(x, (bool, int, float, str)):
        return x
    if isinstance(x, bytes):
        return {"b": x.decode("latin-1")}
    if isinstance(x, (list, tuple)):
        return [J(y) for y in x]
    if isinstance(x, dict):
        return {str(k): J(v) for k, v in sorted(x.items(), key=lambda kv: str(kv[0]))}
    if isinstance(x, ck.KafkaError):
        return ["KafkaError", x.name(), x.str()]
    if isinstance(x, ck.TopicPartition):
        return ["TP", x.topic, x.partition, x.offset, x.metadata, x.leader_epoch, J(x.error)]
    if isinstance(x, ck.Message):
        return msg(x)
    if isinstance(x, BaseException):
        return exc(x)
    return "<%s>" % type(x).__name__


def msg(m, latency=False):
    ts = m.timestamp()
    if ts[0] != 0 and abs(ts[1] - time.time() * 1000) < 3600e3:
        ts = (ts[0], "now")
    d = {"topic": m.topic(), "partition": m.partition(), "offset": m.offset(),
         "key": J(m.key()), "value": J(m.value()), "headers": J(m.headers()),
         "timestamp": list(ts), "len": len(m), "error": J(m.error()),
         "leader_epoch": m.leader_epoch() is not None}
    if latency:
        la = m.latency()
        d["latency"] = la if la is None else (type(la).__name__, la >= 0)
    return d


def exc(e):
    d = {"exc": type(e).__name__, "msg": str(e)}
    if isinstance(e, ck.KafkaException) and e.args and isinstance(e.args[0], ck.KafkaError):
        k = e.args[0]
        d.update(code=k.name(), str=k.str(), fatal=k.fatal(), retriable=k.retriable(),
                 txn_requires_abort=k.txn_requires_abort())
    return d


NORM = [
    (re.compile(r"127\.0\.0\.1:\d+"), "HOST:PORT"),
    (re.compile(r"localhost:\d+"), "HOST:PORT"),
    (re.compile(r"after \d+ms"), "after Nms"),
    (re.compile(r"\d+ms in state"), "Nms in state"),
    (re.compile(r"rdkafka-[0-9a-f-]{36}"), "<member-id>"),
    (re.compile(r"(from|on|to) broker \d+"), r"\1 broker N"),  # the mock's leaders are random
    # genuine says "0/1 brokers are down" when its one bootstrap broker is down (it counts
    # before updating the state); kafkars' "1/1" is right: the counts are not compared
    (re.compile(r"\d+/\d+ brokers are down"), "N/M brokers are down"),
]


def norm(s):
    for r, t in NORM:
        s = r.sub(t, s)
    return s


def out(k, v):
    print(norm(json.dumps({"k": k, "v": J(v)}, sort_keys=True)), flush=True)


def call(k, fn, *a, **kw):
    """Runs fn, prints its result (or exception) under k; returns the result or None."""
    try:
        r = fn(*a, **kw)
    except Exception as e:  # noqa: BLE001 - recorded
        out(k, {"raised": exc(e)})
        return None
    out(k, r)
    return r


CALLBACK_KEYS = {"on_delivery", "on_commit", "error_cb", "stats_cb", "throttle_cb", "logger"}


def dotted(kw):
    """Keyword arguments as config keys: linger_ms -> linger.ms (callback names kept)."""
    return {(k if k in CALLBACK_KEYS else k.replace("_", ".")): v for k, v in kw.items()}


def conf(**kw):
    c = {"bootstrap.servers": ARGS.bootstrap}
    c.update(dotted(kw))
    return c


def cconf(group, **kw):
    c = conf(auto_offset_reset="earliest", session_timeout_ms=6000, heartbeat_interval_ms=500,
             enable_auto_commit=False)
    c["group.id"] = group
    c.update(dotted(kw))
    return c


def drain(c, want, timeout=20, eofs=0):
    """Polls until `want` records (and `eofs` partition EOF events) or timeout; returns
    (records sorted by partition/offset, events sorted)."""
    recs, evs = [], []
    end = time.time() + timeout
    while time.time() < end and (len(recs) < want or len(evs) < eofs):
        m = c.poll(0.2)
        if m is None:
            continue
        (evs if m.error() else recs).append(m)
    key = lambda m: (m.topic() or "", m.partition() or 0, m.offset() or 0)  # noqa: E731
    return sorted(recs, key=key), sorted(evs, key=key)


def wait_assigned(c, n, timeout=20):
    end = time.time() + timeout
    while time.time() < end and len(c.assignment()) < n:
        c.poll(0.1)
    return sorted(c.assignment())


TOTAL = sum(SEED.values())
SCENARIOS = {}


def scenario(kind, brokers=("mock", "tansu")):
    def reg(fn):
        SCENARIOS[fn.__name__] = (fn, kind, brokers)
        return fn
    return reg
