#!/usr/bin/env python3
"""kafka-python's API, side by side: pip kafka-python (`kafka`) vs kafkars.kafka.

Usage: kpy_side_by_side.py [--scenario NAME]... [--keep DIR]
       kpy_side_by_side.py lane --module kafka|kafkars.kafka --out FILE [--scenario NAME]...

Runs every scenario below once per module, each module on a fresh Tansu broker of its own
(tests/brokers/tansu.py through tests/admin/brokers.py's Broker; kafka-python cannot
bootstrap from librdkafka's mock cluster), the two lanes in parallel. A scenario prints
lines describing what it saw (records, offsets, partitions, futures' metadata, listener
calls, errors as exception class names); wall-clock timestamps, member ids and partitions
of records without key (random in both) are left out. The lines of the two modules must be
equal. Prints "ok - <scenario>" / "not ok - <scenario>" (with a diff) and "N passed, M
failed"; exit 1 on any failure. Every wait is bounded; every broker is stopped.
"""
import argparse
import difflib
import json
import os
import subprocess
import sys
import tempfile
import time
import traceback

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
LANE_TIMEOUT = 240

K = None  # the module under test: kafka or kafkars.kafka
BOOT = None
BROKER = None
WAIT = 15.0  # seconds, the bound of every wait for records / assignments


def err_name(e):
    return type(e).__name__ if not isinstance(e, Exception) else (
        "KafkaTimeoutError" if isinstance(e, K.errors.KafkaTimeoutError) else type(e).__name__)


def topic(name, parts):
    BROKER.cmd("topic_create", name, parts)
    return name


def md(m, with_ts=False):
    out = [m.topic, m.partition, tuple(m.topic_partition), m.offset, m.checksum,
           m.serialized_key_size, m.serialized_value_size, m.serialized_header_size]
    return out + ([m.timestamp] if with_ts else [])


def rec(r):
    return [r.topic, r.partition, r.offset, r.timestamp_type, r.key, r.value, r.headers, r.checksum,
            r.serialized_key_size, r.serialized_value_size, r.serialized_header_size]


def poll_n(c, n, max_records=None):
    got, end = [], time.monotonic() + WAIT
    while len(got) < n and time.monotonic() < end:
        for tp, rs in sorted(c.poll(timeout_ms=200, max_records=max_records).items()):
            assert all((r.topic, r.partition) == tp for r in rs)
            got += rs
    return got


def producer(**kw):
    kw.setdefault("bootstrap_servers", BOOT)
    return K.KafkaProducer(**kw)


def consumer(*topics, **kw):
    kw.setdefault("bootstrap_servers", BOOT)
    kw.setdefault("auto_offset_reset", "earliest")
    return K.KafkaConsumer(*topics, **kw)


def fill(t, parts, n):
    p = producer(linger_ms=5)
    for i in range(n):
        p.send(t, value=b"v%d" % i, key=b"k%d" % i, partition=i % parts,
               headers=[("i", str(i).encode())], timestamp_ms=1000 + i)
    p.flush(WAIT)
    p.close(5)


# ---------------------------------------------------------------------------------------
# Scenarios: each yields lines (JSON-able lists).

def s_produce_metadata(out):
    t = topic("pm", 4)
    p = producer()
    seen = []
    futs = [p.send(t, b"a", key=b"k", partition=2),
            p.send(t, b"b", headers=[("h", b"1"), ("hh", b"22")], partition=2, timestamp_ms=1234),
            p.send(t, key=b"tombstone", partition=1, timestamp_ms=5),
            p.send(t, b"")]
    futs[0].add_callback(lambda m: seen.append(["callback", m.offset]))
    futs[0].add_errback(lambda e: seen.append(["errback", err_name(e)]))
    for i, f in enumerate(futs):
        m = f.get(WAIT)
        out(["future", i, f.is_done, f.succeeded(), f.failed(), f.exception is None,
             md(m, with_ts=i in (1, 2)) if i < 3 else [m.topic, m.serialized_value_size]])
    out(["callbacks", seen])
    late = []
    futs[1].add_callback(lambda m: late.append(m.offset))  # added after completion: runs now
    out(["late callback", late])
    out(["partitions_for", sorted(p.partitions_for(t))])
    out(["fields", list(type(futs[0].value)._fields)])
    p.flush(WAIT)
    p.close(5)


def s_produce_keys(out):
    t = topic("pk", 5)
    p = producer(key_serializer=lambda s: s.encode(), value_serializer=lambda v: json.dumps(v).encode())
    fs = [(k, p.send(t, {"n": i}, key=k)) for i, k in enumerate(["a", "b", "key-%d" % 7, "zz", "q" * 40])]
    for k, f in fs:
        m = f.get(WAIT)
        out(["keyed", k, m.partition, m.serialized_key_size, m.serialized_value_size])

    class Last(K.partitioner.Partitioner if hasattr(K, "partitioner") else object):
        def partition(self, topic, key, serialized_key, value, serialized_value, cluster):
            return max(cluster.partitions_for_topic(topic))

    import importlib
    Part = importlib.import_module(K.__name__ + ".partitioner").Partitioner

    class Last2(Part):
        def partition(self, topic, key, serialized_key, value, serialized_value, cluster):
            return sorted(cluster.partitions_for_topic(topic))[len(serialized_value) % 5]

    p2 = producer(partitioner=Last2())
    for v in (b"", b"x", b"xyz"):
        out(["custom partitioner", v, p2.send(t, v).get(WAIT).partition])
    p.close(5)
    p2.close(5)


def s_produce_errors(out):
    t = topic("pe", 2)
    p = producer(max_request_size=1000)
    for name, call in [
        ("no key no value", lambda: p.send(t)),
        ("headers not list", lambda: p.send(t, b"v", headers={"a": b"b"})),
        ("header value str", lambda: p.send(t, b"v", headers=[("a", "b")])),
        ("bad partition", lambda: p.send(t, b"v", partition=7)),
        ("negative partition", lambda: p.send(t, b"v", partition=-3)),
        ("value not bytes", lambda: p.send(t, 12)),
        ("too large", lambda: p.send(t, b"x" * 5000)),
        ("bad topic", lambda: p.send("bad topic!", b"v")),
        ("flush 0 after send", lambda: (p.send(t, b"v", partition=0).get(WAIT), p.flush(0))[1]),
        ("init_transactions non-transactional", lambda: p.init_transactions()),
    ]:
        try:
            r = call()
            out([name, "returned", type(r).__name__])
        except Exception as e:
            out([name, err_name(e), isinstance(e, ValueError), isinstance(e, TypeError)])
    p.close(5)
    try:
        p.send(t, b"v")
    except Exception as e:
        out(["send after close", err_name(e)])
    for name, kw in [("unknown config", {"no_such_config": 1}),
                     ("compression", {"compression_type": "brotli"}),
                     ("idempotence conflict", {"enable_idempotence": True, "acks": 1}),
                     ("transactional without idempotence", {"enable_idempotence": False,
                                                            "transactional_id": "x"}),
                     ("old broker, explicit idempotence", {"api_version": (0, 10),
                                                           "enable_idempotence": True}),
                     ("old broker, transactional", {"api_version": (0, 10), "transactional_id": "x"}),
                     ("old broker, default", {"api_version": (0, 10)})]:
        try:
            pk = producer(**kw)
            out([name, "created", pk.config["enable_idempotence"]])
            pk.close(1)
        except Exception as e:
            out([name, err_name(e), isinstance(e, ValueError), isinstance(e, K.errors.KafkaError)])
    t0 = time.monotonic()
    try:
        K.KafkaProducer(bootstrap_servers="127.0.0.1:1", bootstrap_timeout_ms=1500)
        out(["no broker", "created"])
    except Exception as e:
        out(["no broker", isinstance(e, K.errors.KafkaTimeoutError), time.monotonic() - t0 < 10])


def s_future_timeout(out):
    t = topic("ft", 1)
    p = producer(linger_ms=3000)
    f = p.send(t, b"slow")
    try:
        f.get(timeout=0.2)
        out(["get", "returned"])
    except Exception as e:
        out(["get", err_name(e), f.is_done])
    p.flush(WAIT)
    out(["after flush", f.is_done, f.get(0).offset])
    p.close(5)


def s_consume_assign(out):
    t = topic("ca", 3)
    fill(t, 3, 12)
    c = consumer()
    tps = [K.TopicPartition(t, i) for i in range(3)]
    c.assign(tps)
    out(["assignment", sorted(c.assignment()), c.subscription()])
    out(["position before", [c.position(tp) for tp in tps]])
    out(["beginning", sorted(c.beginning_offsets(tps).items()), "end", sorted(c.end_offsets(tps).items())])
    got = poll_n(c, 12)
    out(["records", sorted(rec(r) for r in got)])
    out(["per-partition order", all(
        [r.offset for r in got if r.partition == i] == sorted(r.offset for r in got if r.partition == i)
        for i in range(3))])
    out(["position after", [c.position(tp) for tp in tps], "highwater", [c.highwater(tp) for tp in tps]])
    c.seek(tps[1], 2)
    out(["after seek", [(r.partition, r.offset) for r in poll_n(c, 2)]])
    c.seek_to_beginning(tps[0])
    out(["seek_to_beginning position", c.position(tps[0])])
    c.seek_to_end()
    out(["seek_to_end positions", [c.position(tp) for tp in tps]])
    c.seek_to_beginning()
    c.pause(tps[0])
    out(["paused", sorted(c.paused())])
    got = poll_n(c, 8)
    out(["while paused", sorted((r.partition, r.offset) for r in got)])
    c.resume(tps[0])
    got = poll_n(c, 4)
    out(["after resume", sorted((r.partition, r.offset) for r in got), sorted(c.paused())])
    c.seek_to_beginning()
    got = poll_n(c, 12, max_records=5)
    out(["max_records batches", len(got)])
    for name, call in [("seek unassigned", lambda: c.seek(K.TopicPartition(t, 9), 0)),
                       ("seek negative", lambda: c.seek(tps[0], -1)),
                       ("position unassigned", lambda: c.position(K.TopicPartition(t, 9))),
                       ("position not a tp", lambda: c.position((t, 0))),
                       ("commit without group", lambda: c.commit()),
                       ("committed without group", lambda: c.committed(tps[0])),
                       ("subscribe while assigned", lambda: c.subscribe([t])),
                       ("poll negative", lambda: c.poll(-1)),
                       ("poll max_records 0", lambda: c.poll(0, max_records=0))]:
        try:
            call()
            out([name, "no error"])
        except Exception as e:
            out([name, err_name(e)])
    out(["topics has", t in c.topics(), "partitions_for_topic", sorted(c.partitions_for_topic(t))])
    c.close()
    try:
        c.poll(0)
    except Exception as e:
        out(["poll after close", err_name(e)])


def s_iterator(out):
    t = topic("it", 2)
    fill(t, 2, 6)
    c = consumer(consumer_timeout_ms=2000, value_deserializer=lambda b: b.decode(),
                 key_deserializer=lambda b: b.decode() if b is not None else None)
    c.assign([K.TopicPartition(t, 0), K.TopicPartition(t, 1)])
    seen = []
    t0 = time.monotonic()
    for r in c:
        seen.append((r.partition, r.offset, r.key, r.value))
        if len(seen) == 2:
            c.seek(K.TopicPartition(t, r.partition), 0)  # the iterator drops what it buffered
        if len(seen) > 20:
            break
    out(["iterated", sorted(seen), len(seen), time.monotonic() - t0 < WAIT])
    out(["positions", sorted((tp.partition, c.position(tp)) for tp in c.assignment())])
    c.close()


def s_group(out):
    t = topic("gr", 4)
    fill(t, 4, 16)
    calls = []

    class L(K.ConsumerRebalanceListener):
        def on_partitions_revoked(self, revoked):
            calls.append(["revoked", sorted(revoked)])

        def on_partitions_assigned(self, assigned):
            calls.append(["assigned", sorted(assigned)])

    c = consumer(group_id="g1", enable_auto_commit=False, session_timeout_ms=6000,
                 heartbeat_interval_ms=500)
    c.subscribe([t], listener=L())
    out(["subscription", sorted(c.subscription())])
    got = poll_n(c, 16)
    out(["records", len(got), sorted((r.partition, r.offset) for r in got)])
    out(["listener", calls])
    out(["assignment", sorted(c.assignment())])
    c.commit()
    tps = sorted(c.assignment())
    out(["committed", [c.committed(tp) for tp in tps]])
    c.commit({tps[0]: K.OffsetAndMetadata(1, "meta", -1)})
    om = c.committed(tps[0], metadata=True)
    out(["committed metadata", om.offset, om.metadata])
    res = []
    f = c.commit_async({tps[1]: K.OffsetAndMetadata(2, "", -1)},
                       callback=lambda offsets, r: res.append(sorted(offsets)))
    end = time.monotonic() + WAIT
    while not f.is_done and time.monotonic() < end:
        c.poll(100)
    out(["commit_async", f.is_done, f.succeeded(), res, c.committed(tps[1])])
    c.poll(0)  # completed commits' callbacks run from poll()
    out(["commit_async callback after poll", res])
    for name, call in [("assign while subscribed", lambda: c.assign(tps)),
                       ("subscribe topics and pattern", lambda: c.subscribe([t], pattern="g.*")),
                       ("subscribe str", lambda: c.subscribe(t)),
                       ("subscribe nothing", lambda: c.subscribe()),
                       ("bad listener", lambda: c.subscribe([t], listener=object()))]:
        try:
            call()
            out([name, "no error"])
        except Exception as e:
            out([name, err_name(e)])
    c.unsubscribe()
    out(["after unsubscribe", c.subscription(), sorted(c.assignment())])
    c.close()
    c2 = consumer(t, group_id="g1", enable_auto_commit=True)
    got = poll_n(c2, 16 - 4 - 1 - 2)  # partition tps[0] from 1, tps[1] from 2, others at end
    out(["second member", sorted((r.partition, r.offset) for r in got)])
    c2.close()  # autocommit
    c3 = consumer(group_id="g1")
    out(["after autocommit close", [c3.committed(tp) for tp in tps]])
    c3.close()


def s_pattern(out):
    for n in ("pat_a", "pat_b", "other_c"):
        topic(n, 1)
        fill(n, 1, 2)
    c = consumer(group_id="gp", session_timeout_ms=6000, heartbeat_interval_ms=500)
    c.subscribe(pattern="pat_.*")
    got = poll_n(c, 4)
    out(["pattern records", sorted((r.topic, r.offset) for r in got)])
    out(["pattern subscription", sorted(c.subscription() or [])])
    c.close()


def s_offsets_for_times(out):
    t = topic("ot", 2)
    fill(t, 2, 8)  # timestamps 1000 + i
    c = consumer()
    tps = [K.TopicPartition(t, 0), K.TopicPartition(t, 1)]
    c.assign(tps)
    r = c.offsets_for_times({tps[0]: 1003, tps[1]: 1000})
    out(["offsets", sorted((tp.partition, v.offset) for tp, v in r.items())])
    try:
        c.offsets_for_times({tps[0]: -5})
    except Exception as e:
        out(["negative", err_name(e)])
    c.close()


def s_errors_module(out):
    E = K.errors
    out(["for_code", [E.for_code(i).__name__ for i in range(-1, 128)]])
    out(["retriable", [int(E.for_code(i).retriable) for i in range(-1, 128)]])
    out(["unknown code", E.for_code(9999).__name__, E.for_code(9999).errno])
    out(["str", str(E.for_code(3)("x")), str(E.KafkaTimeoutError("t")), str(E.IllegalStateError())])
    out(["structs", K.OffsetAndMetadata(5), K.TopicPartition("a", 1)._fields,
         K.structs.OffsetAndTimestamp._fields])
    try:
        K.KafkaConsumer(bootstrap_servers=BOOT, group_instance_id="x")
    except Exception as e:
        out(["group_instance_id without group", err_name(e)])
    try:
        K.KafkaConsumer(bootstrap_servers=BOOT, nonsense=1)
    except Exception as e:
        out(["consumer unknown config", isinstance(e, E.KafkaConfigurationError)])


def s_transactions(out):
    t = topic("tx", 1)
    p = producer(transactional_id="txn-1")
    p.init_transactions()
    p.begin_transaction()
    p.send(t, b"aborted", partition=0)
    p.flush(WAIT)
    p.abort_transaction()
    p.begin_transaction()
    f = p.send(t, b"committed", partition=0)
    p.commit_transaction()
    out(["committed send done", f.is_done, f.succeeded()])
    c = consumer(isolation_level="read_committed")
    c.assign([K.TopicPartition(t, 0)])
    got = poll_n(c, 1)
    out(["read_committed", [r.value for r in got]])
    c.close()
    try:
        p.commit_transaction()
    except Exception as e:
        out(["commit without begin", isinstance(e, K.errors.KafkaError)])
    p.close(5)


SCENARIOS = [(n[2:], f) for n, f in sorted(globals().items()) if n.startswith("s_")]


def lane(args):
    global K, BOOT, BROKER
    import importlib
    K = importlib.import_module(args.module)
    importlib.import_module(args.module + ".errors")
    importlib.import_module(args.module + ".structs")
    sys.path.insert(0, os.path.join(ROOT, "tests", "admin"))
    import brokers
    brokers.TANSU_TOPICS = []
    results = {}
    log = open(args.out + ".broker.log", "w")
    BROKER = brokers.Broker("tansu", log)
    BOOT = BROKER.bootstrap
    try:
        for name, fn in SCENARIOS:
            if args.scenario and name not in args.scenario:
                continue
            lines = []
            try:
                fn(lambda x: lines.append(json.loads(json.dumps(x, default=repr))))
            except Exception:
                lines.append(["raised", traceback.format_exc().strip().splitlines()[-1]])
                sys.stderr.write(traceback.format_exc())
            results[name] = lines
            with open(args.out, "w") as f:
                json.dump(results, f)
    finally:
        BROKER.stop()
    os._exit(0)  # do not wait on non-daemon helper threads of either library


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", nargs="?", default="compare")
    ap.add_argument("--module")
    ap.add_argument("--out")
    ap.add_argument("--scenario", action="append", default=[])
    ap.add_argument("--keep")
    args = ap.parse_args()
    if args.mode == "lane":
        return lane(args)
    keep = args.keep or tempfile.mkdtemp(prefix="kpy_")
    os.makedirs(keep, exist_ok=True)
    procs = {}
    for mod in ("kafka", "kafkars.kafka"):
        out = os.path.join(keep, mod + ".json")
        cmd = [sys.executable, os.path.abspath(__file__), "lane", "--module", mod, "--out", out]
        for s in args.scenario:
            cmd += ["--scenario", s]
        procs[mod] = (subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                                       stderr=open(out + ".stderr", "w")), out)
    res = {}
    for mod, (p, out) in procs.items():
        try:
            p.wait(LANE_TIMEOUT)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(5)
        try:
            res[mod] = json.load(open(out))
        except (OSError, ValueError):
            res[mod] = {}
    passed = failed = 0
    for name, _ in SCENARIOS:
        if args.scenario and name not in args.scenario:
            continue
        a, b = res["kafka"].get(name), res["kafkars.kafka"].get(name)
        if a is not None and a == b:
            passed += 1
            print("ok - %s" % name)
            continue
        failed += 1
        print("not ok - %s" % name)
        fa = [json.dumps(x) for x in (a or ["(no result)"])]
        fb = [json.dumps(x) for x in (b or ["(no result)"])]
        for line in difflib.unified_diff(fa, fb, "kafka", "kafkars.kafka", lineterm="", n=0):
            print("#   " + line[:400])
    print("%d passed, %d failed" % (passed, failed))
    print("# outputs in %s" % keep)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
