#!/usr/bin/env python3
"""One confluent-kafka-python scenario, printed as a normalized JSON record.

Usage: confluent_kafka_compat.py --bootstrap B --topic T [--group-prefix G] [--dead HOST:PORT]

T must exist with 3 partitions and be empty. The same script runs on genuine librdkafka and
on libkafkars (LD_PRELOAD or LD_LIBRARY_PATH), with the pip wheel (2.x) and Debian's
python3-confluent-kafka (1.7); confluent_kafka_compat.sh compares the records section by
section. Everything that must differ between two runs (topic and group names, wall-clock
times, member ids, broker ports) is left out or replaced; everything else is recorded as is,
errors included (as librdkafka error names), so a difference in behaviour shows.

Sections: produce (delivery reports with key, headers, timestamp; per-message callback vs
on_delivery; flush; unknown partition), stats (stats_cb with statistics.interval.ms),
throttle (throttle_cb: neither test broker throttles, so it must stay silent), error_cb
(unreachable bootstrap), metadata (list_topics), watermarks (get_watermark_offsets),
offsets_for_times, assign (consume, partition EOF, position, seek, commit, committed,
on_commit, consumer_group_metadata), subscribe (on_assign/on_revoke, consume, commit,
committed, close).
"""

import argparse
import json
import signal
import sys
import time

import confluent_kafka as ck
from confluent_kafka import TopicPartition as TP

BASE_TS = 1600000000000
N = 24


def ename(e):
    """KafkaError / KafkaException / exception -> stable string."""
    if isinstance(e, ck.KafkaException):
        e = e.args[0] if e.args else e
    if isinstance(e, ck.KafkaError):
        return e.name()
    return "%s:%s" % (type(e).__name__, e)


def b(x):
    return None if x is None else x.decode("utf-8", "replace")


def hdrs(h):
    return None if h is None else [[k, b(v)] for k, v in h]


def tplist(lst):
    out = []
    for tp in lst or []:
        out.append([tp.partition, tp.offset, ename(tp.error) if tp.error else None])
    return sorted(out)


def attempt(rec, name, fn):
    try:
        rec[name] = fn()
    except Exception as e:  # noqa: BLE001 — the error itself is the observation
        rec[name] = {"exception": ename(e)}


def ts_norm(ts):
    """Timestamps we set are kept; one the client took from the clock becomes "now"."""
    if BASE_TS <= ts < BASE_TS + N:
        return ts
    return "now" if abs(ts - time.time() * 1000) < 600000 else ts


def msg_row(m):
    ts = m.timestamp()
    return [m.partition(), m.offset(), b(m.key()), b(m.value()), hdrs(m.headers()), ts[0], ts_norm(ts[1])]


def produce(args, R):
    rec = {}
    drs, conf_drs, stats, throttles, errors = [], [], [], [], []

    def on_dr(err, m):  # per-message callback
        drs.append([b(m.key()), ename(err) if err else None, m.partition(), m.offset(),
                    m.timestamp()[0], ts_norm(m.timestamp()[1]), b(m.value()), hdrs(m.headers())])

    def conf_dr(err, m):  # the on_delivery of the configuration
        conf_drs.append([b(m.key()), ename(err) if err else None, m.partition(), m.offset()])

    p = ck.Producer({
        "bootstrap.servers": args.bootstrap,
        "linger.ms": 5,
        "statistics.interval.ms": 100,
        "stats_cb": lambda s: stats.append(s),
        "throttle_cb": lambda ev: throttles.append(ev),
        "error_cb": lambda e: errors.append(ename(e)),
        "on_delivery": conf_dr,
    })
    for i in range(N):
        kw = dict(key=("key%d" % i).encode(), value=("value-%d" % i).encode(),
                  headers=[("h", ("x%d" % i).encode()), ("dup", b"1"), ("dup", b"2"), ("nul", None)],
                  timestamp=BASE_TS + i)
        if i % 3 == 0:
            kw["callback"] = on_dr  # replaces on_delivery for this message
        if i % 4 == 1:
            kw["partition"] = 2
        p.produce(args.topic, **kw)
    # Empty value, null value, empty key (partition given: null/empty keys are random otherwise).
    p.produce(args.topic, key=b"", value=b"", partition=0, callback=on_dr)
    p.produce(args.topic, key=b"nullvalue", value=None, partition=1, callback=on_dr)
    p.produce(args.topic, value=b"nullkey", partition=1, callback=on_dr)
    rec["flush"] = p.flush(20)
    rec["len_after_flush"] = len(p)
    rec["dr_callback"] = sorted(drs, key=lambda r: (r[2], r[3], str(r[0])))
    rec["dr_on_delivery"] = sorted(conf_drs, key=lambda r: (r[2], r[3], str(r[0])))
    attempt(rec, "produce_partition_99", lambda: p.produce(args.topic, value=b"x", partition=99) or "accepted")
    rec["flush2"] = p.flush(10)
    deadline = time.time() + 3
    while not stats and time.time() < deadline:
        p.poll(0.1)
    p.poll(0.3)
    R["produce"] = rec
    if stats:
        s = json.loads(stats[-1])
        R["stats"] = {
            "called": True,
            "type": s.get("type"),
            "top_level_keys": sorted(s),
            "topic_listed": args.topic in s.get("topics", {}),
            "topic_partitions": sorted(k for k in s.get("topics", {}).get(args.topic, {}).get("partitions", {})),
            "broker_nodeids": sorted({v.get("nodeid") for v in s.get("brokers", {}).values() if v.get("nodeid", -1) >= 0}),
            "txmsgs": s.get("txmsgs"),
        }
    else:
        R["stats"] = {"called": False}
    R["throttle"] = {"calls": len(throttles)}
    R["producer_error_cb"] = sorted(set(errors))


def error_cb(args, R):
    errors = []
    p = ck.Producer({"bootstrap.servers": args.dead, "error_cb": lambda e: errors.append(ename(e)),
                     "reconnect.backoff.ms": 100, "reconnect.backoff.max.ms": 200})
    deadline = time.time() + 5
    while "_ALL_BROKERS_DOWN" not in errors and time.time() < deadline:
        p.poll(0.1)
    R["error_cb"] = {"names": sorted(set(errors))}
    p.flush(0)


def metadata(args, R, c):
    rec = {}

    def topic_md():
        md = c.list_topics(args.topic, timeout=10)
        t = md.topics[args.topic]
        return {
            "brokers": sorted(md.brokers),
            "controller_id": md.controller_id,
            "cluster_id_set": bool(md.cluster_id),
            # orig_broker_id left out: genuine gives -1 or a broker id depending on which
            # connection (bootstrap or learned) answered first.
            "topic_error": ename(t.error) if t.error else None,
            "partitions": sorted([p.id, p.leader, sorted(p.replicas), sorted(p.isrs),
                                  ename(p.error) if p.error else None] for p in t.partitions.values()),
        }
    attempt(rec, "list_topics_topic", topic_md)
    attempt(rec, "list_topics_all_has_topic", lambda: args.topic in c.list_topics(timeout=10).topics)
    R["metadata"] = rec


def assign_consumer(args, R):
    rec = {}
    commits = []

    def on_commit(err, parts):
        commits.append([ename(err) if err else None, tplist(parts)])

    c = ck.Consumer({
        "bootstrap.servers": args.bootstrap, "group.id": args.group_prefix + "-assign",
        "enable.auto.commit": False, "enable.partition.eof": True, "on_commit": on_commit,
        "session.timeout.ms": 6000,
    })
    metadata(args, R, c)
    wm = {}
    attempt(wm, "before", lambda: [list(c.get_watermark_offsets(TP(args.topic, p), timeout=5)) for p in range(3)])
    R["watermarks"] = wm
    oft = {}
    attempt(oft, "ts_base_plus_5", lambda: tplist(c.offsets_for_times([TP(args.topic, p, BASE_TS + 5) for p in range(3)], timeout=5)))
    attempt(oft, "ts_0", lambda: tplist(c.offsets_for_times([TP(args.topic, p, 0) for p in range(3)], timeout=5)))
    attempt(oft, "ts_future", lambda: tplist(c.offsets_for_times([TP(args.topic, p, 4102444800000) for p in range(3)], timeout=5)))
    R["offsets_for_times"] = oft

    c.assign([TP(args.topic, 0, ck.OFFSET_BEGINNING), TP(args.topic, 1, 1), TP(args.topic, 2, ck.OFFSET_BEGINNING)])
    rec["assignment"] = tplist(c.assignment())
    msgs, eofs, errs = [], [], []
    deadline = time.time() + 20
    while len(eofs) < 3 and time.time() < deadline:
        m = c.poll(0.2)
        if m is None:
            continue
        if m.error():
            if m.error().code() == ck.KafkaError._PARTITION_EOF:
                eofs.append([m.partition(), m.offset()])
            else:
                errs.append(ename(m.error()))
            continue
        msgs.append(msg_row(m))
    rec["messages"] = sorted(msgs)
    rec["eof"] = sorted(eofs)
    rec["errors"] = sorted(set(errs))
    attempt(rec, "position", lambda: tplist(c.position([TP(args.topic, p) for p in range(3)])))
    attempt(wm, "cached_after_consume", lambda: [list(c.get_watermark_offsets(TP(args.topic, p), cached=True)) for p in range(3)])
    attempt(wm, "after", lambda: [list(c.get_watermark_offsets(TP(args.topic, p), timeout=5)) for p in range(3)])

    def seek_then_read():
        c.seek(TP(args.topic, 0, 2))
        dl = time.time() + 10
        while time.time() < dl:
            m = c.poll(0.2)
            if m is not None and not m.error() and m.partition() == 0:
                return [m.partition(), m.offset(), b(m.key())]
        return "no message after seek"
    attempt(rec, "seek_p0_2_then_read", seek_then_read)
    # Pause: nothing more is handed out, so the positions the commits below use stay put.
    attempt(rec, "pause", lambda: c.pause([TP(args.topic, p) for p in range(3)]))
    attempt(rec, "position_after_seek", lambda: tplist(c.position([TP(args.topic, p) for p in range(3)])))

    attempt(rec, "commit_sync_explicit", lambda: tplist(c.commit(offsets=[TP(args.topic, 0, 2), TP(args.topic, 1, 1)], asynchronous=False)))
    attempt(rec, "committed_1", lambda: tplist(c.committed([TP(args.topic, p) for p in range(3)], timeout=10)))
    c.poll(0.3)
    rec["on_commit_after_sync"] = list(commits)
    del commits[:]
    attempt(rec, "commit_async_current", lambda: c.commit(asynchronous=True))
    dl = time.time() + 10
    while not commits and time.time() < dl:
        c.poll(0.1)
    rec["on_commit_after_async"] = list(commits)
    attempt(rec, "committed_2", lambda: tplist(c.committed([TP(args.topic, p) for p in range(3)], timeout=10)))
    attempt(rec, "consumer_group_metadata", lambda: c.consumer_group_metadata() is not None)
    c.unassign()
    attempt(rec, "assignment_after_unassign", lambda: tplist(c.assignment()))
    attempt(rec, "close", lambda: c.close())
    R["assign"] = rec


def subscribe_consumer(args, R):
    rec = {}
    events, commits = [], []
    c = ck.Consumer({
        "bootstrap.servers": args.bootstrap, "group.id": args.group_prefix + "-subscribe",
        "enable.auto.commit": False, "auto.offset.reset": "earliest", "session.timeout.ms": 6000,
        "heartbeat.interval.ms": 500,
        "on_commit": lambda err, parts: commits.append([ename(err) if err else None, tplist(parts)]),
    })
    c.subscribe([args.topic],
                on_assign=lambda cons, parts: events.append(["assign", tplist(parts)]),
                on_revoke=lambda cons, parts: events.append(["revoke", tplist(parts)]))
    msgs, errs = [], []
    total = N + 3
    deadline = time.time() + 30
    while len(msgs) < total and time.time() < deadline:
        m = c.poll(0.2)
        if m is None:
            continue
        if m.error():
            errs.append(ename(m.error()))
            continue
        msgs.append([m.partition(), m.offset(), b(m.key())])
    rec["messages"] = sorted(msgs)
    rec["errors"] = sorted(set(errs))
    attempt(rec, "assignment", lambda: tplist(c.assignment()))
    attempt(rec, "commit_sync_current", lambda: tplist(c.commit(asynchronous=False)))
    attempt(rec, "committed", lambda: tplist(c.committed([TP(args.topic, p) for p in range(3)], timeout=10)))
    attempt(rec, "position", lambda: tplist(c.position([TP(args.topic, p) for p in range(3)])))
    c.poll(0.2)
    rec["on_commit"] = list(commits)
    attempt(rec, "close", lambda: c.close())
    rec["rebalance_events"] = events
    R["subscribe"] = rec


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bootstrap", required=True)
    ap.add_argument("--topic", required=True)
    ap.add_argument("--group-prefix", default="ckcompat")
    ap.add_argument("--dead", help="host:port nobody listens on (error_cb)")
    ap.add_argument("--timeout", type=int, default=100)
    ap.add_argument("--probe", action="store_true", help="only check that list_topics works")
    args = ap.parse_args()
    signal.signal(signal.SIGALRM, lambda *_: (sys.stderr.write("scenario timed out\n"), sys.exit(3)))
    signal.alarm(args.timeout)
    R = {"library": "kafkars" if "kafkars" in ck.libversion()[0] else "genuine"}
    sys.stderr.write("confluent_kafka %s, librdkafka %s\n" % (ck.version()[0], ck.libversion()[0]))
    if args.probe:  # can this client talk to the broker at all?
        try:
            md = ck.Consumer({"bootstrap.servers": args.bootstrap, "group.id": "probe"}).list_topics(timeout=5)
            print(json.dumps({"probe": "ok", "brokers": sorted(md.brokers)}))
        except Exception as e:  # noqa: BLE001
            print(json.dumps({"probe": ename(e)}))
        return
    for step in (produce, assign_consumer, subscribe_consumer):
        t0 = time.time()
        sys.stderr.write("step %s\n" % step.__name__)
        try:
            step(args, R)
        except Exception as e:  # noqa: BLE001
            R[step.__name__ + "_crashed"] = ename(e)
        sys.stderr.write("step %s took %.1f s\n" % (step.__name__, time.time() - t0))
    if args.dead:
        error_cb(args, R)
    print(json.dumps(R, sort_keys=True))


if __name__ == "__main__":
    main()
