#!/usr/bin/env python3
"""confluent_kafka's Producer/Consumer API as scenarios printing normalized JSON lines.

Usage: ck_scenarios.py --module confluent_kafka|kafkars --bootstrap B --broker mock|tansu
                       --scenario NAME
       ck_scenarios.py --seed --bootstrap B         (gives a broker SEED's records, with
                                                    confluent_kafka whatever --module says)
       ck_scenarios.py --list                       (NAME KIND per line, see SCENARIOS)

The module is also taken from $CK_MODULE. Every line is {"k": step, "v": result}: records,
offsets, partitions, callback calls in their order where that order is deterministic (else
sorted), errors as [code name, str], exceptions as {"exc": type, "msg": str, ...}. What
differs between two runs of one library is replaced (ports, member ids, cluster ids,
wall-clock timestamps and latencies, "after Nms"); see norm(). side_by_side.py runs each
scenario with both modules on fresh brokers of the same kind and diffs the lines.
Scenario kinds: "offline" (no broker: bootstrap is a closed port), "seeded" (a fresh
broker holding SEED), "fresh" (a fresh broker with only its launcher topics).
The offline scenarios are in ck_offline.py, the helpers (seed, J, out, call...) in
ck_common.py.
"""

import argparse
import importlib
import json
import logging
import os
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ck_offline  # noqa: E402,F401 - registers the offline scenarios
import ck_admin_offline  # noqa: E402,F401 - registers the admin scenarios (offline)
import ck_admin_scenarios  # noqa: E402,F401 - registers the admin scenarios (brokers)
import ck_aio_scenarios  # noqa: E402,F401 - registers the asyncio (aio) scenarios (brokers)
import ck_share_scenarios  # noqa: E402,F401 - registers the share consumer scenarios (mock)
from ck_common import (  # noqa: E402
    DEAD, SCENARIOS, TOTAL, TS0, J, call, cconf, ck, conf, drain, exc, msg, norm, out,
    scenario, seed, use, wait_assigned,
)

# ---------------------------------------------------------------------------- brokers

@scenario("fresh")
def produce_basic():
    drs = {}
    p = ck.Producer(conf(linger_ms=50, acks="all"))
    rec = lambda tag: lambda e, m: drs.setdefault(tag, []).append([J(e), msg(m, latency=True)])  # noqa: E731
    call("p.plain", p.produce, "orders", b"v0", b"k0", 0, on_delivery=rec("plain"))
    call("p.callback", p.produce, "orders", value=b"v1", key=b"k1", partition=1, callback=rec("callback"))
    call("p.ts", p.produce, "orders", b"v2", partition=2, timestamp=TS0, on_delivery=rec("ts"))
    call("p.hdr_dict", p.produce, "orders", b"v3", partition=3, headers={"a": b"1", "b": "two"},
         on_delivery=rec("hdr_dict"))
    call("p.hdr_list", p.produce, "orders", b"v4", partition=3, on_delivery=rec("hdr_list"),
         headers=[("x", b"1"), ("x", b"2"), ("empty", b""), ("none", None)])
    call("p.novalue", p.produce, "orders", None, b"knv", 0, on_delivery=rec("novalue"))
    call("p.str", p.produce, "orders", "sträng", "kéy", 0, on_delivery=rec("str"))
    call("p.empty", p.produce, "orders", b"", b"", 1, on_delivery=rec("empty"))
    # (A bad partition before metadata arrived is left out: whether it is refused at once
    # or reported later depends on timing, in librdkafka too. After metadata: below.)
    call("len.queued", len, p)
    call("flush", p.flush, 30)
    call("len.flushed", len, p)
    out("delivery", drs)
    call("p.bad_partition.after_metadata", p.produce, "orders", b"x", partition=99,
         on_delivery=rec("bad_partition2"))
    call("flush2", p.flush, 10)
    out("delivery2", drs.get("bad_partition2"))
    ts_now = []
    p.produce("auto", b"keyless", on_delivery=lambda e, m: ts_now.append(m.timestamp()[0]))
    p.flush(30)
    out("auto_topic.ts_type", ts_now)
    c = ck.Consumer(cconf("g-basic"))
    c.assign([ck.TopicPartition("orders", i, ck.OFFSET_BEGINNING) for i in range(4)])
    recs, _ = drain(c, 8)
    out("readback", [msg(m) for m in recs])
    call("cluster_id", lambda: type(c.cluster_id(10)).__name__)
    c.close()
    if recs:
        m = recs[0]
        m.set_topic("other")
        m.set_error(ck.KafkaError(ck.KafkaError.LEADER_NOT_AVAILABLE))
        out("message.set_topic_error", [m.topic(), J(m.error())])
        m.set_topic(None)
        m.set_error(None)
        out("message.set_none", [m.topic(), m.error()])
    # produce_batch: every message goes to the call's partition (confluent_kafka does not
    # pass RD_KAFKA_MSG_F_PARTITION), a message's own callback wins.
    bdr = []
    batch = [{"value": b"b0"}, {"value": "b1", "key": "k"}, {"value": b"b2", "partition": 0},
             {"key": b"b3", "callback": lambda e, m: bdr.append(["own", J(e), m.partition(), m.key()])}]
    call("batch", p.produce_batch, "orders", batch, partition=2,
         on_delivery=lambda e, m: bdr.append(["batch", J(e), m.partition(), m.value()]))
    out("batch.dicts", [sorted(d) for d in batch])
    bad = [{"value": b"x"}]
    call("batch.bad_partition", p.produce_batch, "orders", bad, partition=99)
    out("batch.bad_partition.dict", bad)
    call("batch.flush", p.flush, 30)
    out("batch.delivery", sorted(bdr, key=str))
    call("producer.cluster_id", lambda: type(p.cluster_id(10)).__name__)


@scenario("fresh")
def produce_config_callbacks():
    got = []
    p = ck.Producer(conf(on_delivery=lambda e, m: got.append(("conf", m.value())),
                         default_topic_config={"acks": "all", "message.timeout.ms": 20000}))
    p.produce("orders", b"a", partition=0)
    p.produce("orders", b"b", partition=0, on_delivery=lambda e, m: got.append(("own", m.value())))
    call("flush", p.flush, 30)
    out("calls", got)
    got2 = []
    # The failing message is purged from a queue that lingers, so both libraries fail it
    # the same way whatever they know of the topic (a partition number out of range is
    # refused at produce() or in a delivery report depending on metadata timing).
    p2 = ck.Producer(conf(**{"delivery.report.only.error": True, "linger.ms": 10000, "on_delivery":
                             lambda e, m: got2.append((J(e), m.value()))}))
    p2.produce("orders", b"ok", partition=1)
    call("dr_only_error.flush_ok", p2.flush, 30)
    p2.produce("orders", b"bad", partition=1)
    p2.purge(in_queue=True, in_flight=False)
    call("dr_only_error.flush", p2.flush, 30)
    out("dr_only_error.calls", got2)
    stats, logs, thr = [], [], []
    lg = logging.getLogger("ck_scenarios.%s" % ck.__name__)
    lg.setLevel(logging.DEBUG)
    lg.propagate = False

    class H(logging.Handler):
        def emit(self, r):
            logs.append((r.levelno, r.getMessage()))

    lg.addHandler(H())
    p3 = ck.Producer(conf(**{"statistics.interval.ms": 100, "stats_cb": stats.append,
                             "throttle_cb": thr.append, "logger": lg, "debug": "broker,topic"}))
    p3.produce("orders", b"s", partition=2)
    p3.flush(30)
    end = time.time() + 10
    while time.time() < end and (len(stats) < 2 or not logs):
        p3.poll(0.1)
    parsed = [json.loads(s) for s in stats[:2]]
    out("stats", [len(stats) >= 2, [isinstance(s, str) for s in stats[:2]],
                  [sorted(d) for d in parsed], [d.get("type") for d in parsed]])
    out("stats.topics", sorted(parsed[-1].get("topics", {})) if parsed else None)
    out("logger", [bool(logs), any(lv == logging.DEBUG for lv, _ in logs)])
    out("throttle", thr)
    cstats = []
    c = ck.Consumer(cconf("g-stats", **{"statistics.interval.ms": 100, "stats_cb": cstats.append}))
    end = time.time() + 10
    while time.time() < end and not cstats:
        c.poll(0.1)
    out("consumer.stats", [bool(cstats), sorted(json.loads(cstats[0])) if cstats else None,
                           json.loads(cstats[0]).get("type") if cstats else None])
    c.close()


@scenario("fresh")
def metadata():
    p = ck.Producer(conf())
    md = call("list_topics", lambda: type(p.list_topics(timeout=10)).__name__)
    md = p.list_topics(timeout=10)
    out("cluster", [md.controller_id, sorted(md.brokers), type(md.cluster_id).__name__,
                    md.orig_broker_id in md.brokers, md.orig_broker_name is not None])
    out("brokers", sorted([b.id, norm("%s:%s" % (b.host, b.port)), norm(str(b))]
                          for b in md.brokers.values()))
    for name in sorted(md.topics):
        t = md.topics[name]
        out("topic." + name, [t.topic, J(t.error), str(t),
                              [[q.id, q.leader in q.replicas, sorted(q.replicas), sorted(q.isrs), J(q.error), str(q)]
                               for q in sorted(t.partitions.values(), key=lambda q: q.id)]])
    one = p.list_topics("orders", timeout=10)
    out("one_topic", [sorted(one.topics), sorted(one.topics["orders"].partitions)])
    c = ck.Consumer(cconf("g-md"))
    cm = c.list_topics("orders", timeout=10)
    out("consumer.one_topic", sorted(cm.topics["orders"].partitions))
    call("list_topics.timeout_type", lambda: p.list_topics(timeout=5).topics["orders"].topic)
    c.close()


@scenario("seeded")
def consume_assign():
    TP = ck.TopicPartition
    c = ck.Consumer(cconf("g-assign", **{"enable.partition.eof": True}))
    # before any use of the topics: the lookups find their leaders themselves
    call("watermarks.fresh", lambda: [c.get_watermark_offsets(TP("orders", p), timeout=10) for p in range(4)])
    call("watermarks.fresh.no_topic", c.get_watermark_offsets, TP("no-such-topic", 0), timeout=5)
    call("assign", c.assign, [TP("orders", p, ck.OFFSET_BEGINNING) for p in range(4)])
    call("assignment", lambda: sorted(c.assignment()))
    recs, eofs = drain(c, TOTAL, eofs=4)
    out("records", [msg(m) for m in recs])
    out("eofs", [[m.topic(), m.partition(), m.offset(), J(m.error())] for m in eofs])
    out("position", sorted(c.position([TP("orders", p) for p in range(4)])))
    call("watermarks", lambda: [c.get_watermark_offsets(TP("orders", p), timeout=10) for p in range(4)])
    call("watermarks.cached", lambda: [c.get_watermark_offsets(TP("orders", p), cached=True)
                                      for p in range(4)])
    call("watermarks.unknown", c.get_watermark_offsets, TP("orders", 42), timeout=5)
    call("offsets_for_times", lambda: sorted(c.offsets_for_times(
        [TP("orders", p, TS0 + 1000 * p + 1) for p in range(4)], timeout=10)))
    call("seek", c.seek, TP("orders", 2, 3))
    recs, _ = drain(c, 2, timeout=10)
    out("after_seek", [[m.partition(), m.offset(), m.value()] for m in recs])
    call("unassign", c.unassign)
    call("assignment.empty", c.assignment)
    call("assign.p0p1", c.assign, [TP("orders", 0, 0), TP("orders", 1, 1)])
    call("pause", c.pause, [TP("orders", 1)])
    recs, _ = drain(c, 3, timeout=10)
    out("paused.records", [[m.partition(), m.offset()] for m in recs])
    out("paused.more", [m.partition() for m in [c.poll(0.5)] if m is not None and not m.error()])
    call("resume", c.resume, [TP("orders", 1)])
    recs, _ = drain(c, 3, timeout=10)
    out("resumed.records", [[m.partition(), m.offset()] for m in recs])
    call("incremental_assign", c.incremental_assign, [TP("orders", 3, 1)])
    call("assignment.incr", lambda: sorted(c.assignment()))

    def first_record():  # EOF events of partitions 0 and 1 may come first: skipped
        end = time.time() + 10
        while time.time() < end:
            got = [m for m in c.consume(num_messages=1, timeout=1) if m.error() is None]
            if got:
                return msg(got[0])
    call("consume", first_record)
    call("incremental_unassign", c.incremental_unassign, [TP("orders", 0)])
    call("assignment.after_unassign", lambda: sorted(c.assignment()))
    call("incremental_assign.existing", c.incremental_assign, [TP("orders", 3)])
    m = None
    c.unassign()
    c.assign([TP("orders", 2, 0)])
    end = time.time() + 10
    while m is None and time.time() < end:
        m = c.poll(0.2)
    if m is not None:
        out("message", msg(m, latency=True))
        m.set_key(b"new-key")
        m.set_value(b"new value!")
        m.set_headers([("h", b"x")])
        out("message.set", [m.key(), m.value(), m.headers(), len(m)])
        call("message.set_value_none", lambda: (m.set_value(None), len(m))[1])
    batch = call("consume.batch", lambda: sorted([m.offset() for m in c.consume(4, 10)]))
    out("consume.batch.n", batch and len(batch))
    # Reassigned at 0, partition 2's end is reported again (once), by the answer to the
    # fetch at offset 5: up to fetch.wait.max.ms after the last record, in both libraries.
    call("consume.eof_after_reassign", lambda: c.consume(5, 3))
    call("consume.timeout_empty", lambda: c.consume(5, 0.5))
    call("close", c.close)


@scenario("seeded")
def consume_subscribe():
    TP = ck.TopicPartition
    cb = []
    commits = []
    c = ck.Consumer(cconf("g-sub", on_commit=lambda e, ps: commits.append([J(e), sorted(J(ps))]),
                          **{"enable.auto.offset.store": False, "partition.assignment.strategy": "range"}))
    # Consumer.subscription() is a kafkars extension (not in confluent_kafka 2.16): not compared
    call("subscribe", c.subscribe, ["orders"],
         on_assign=lambda cons, ps: cb.append(["assign", cons is c, sorted(J(ps))]),
         on_revoke=lambda cons, ps: cb.append(["revoke", cons is c, sorted(J(ps))]),
         on_lost=lambda cons, ps: cb.append(["lost", sorted(J(ps))]))
    recs, _ = drain(c, TOTAL, timeout=30)
    out("callbacks.after_join", cb)
    out("records", [[m.partition(), m.offset(), m.key(), m.value()] for m in recs])
    out("assignment", sorted(c.assignment()))
    mid = c.memberid()
    out("memberid", [type(mid).__name__, bool(mid)])
    gm = c.consumer_group_metadata()
    out("group_metadata", type(gm).__name__)
    call("committed.none", lambda: sorted(c.committed([TP("orders", p) for p in range(4)], timeout=10)))
    call("commit.nothing_stored", c.commit, asynchronous=False)
    last = {m.partition(): m for m in recs}
    call("store_offsets.message", c.store_offsets, message=last[0])
    call("store_offsets.offsets", c.store_offsets, offsets=[TP("orders", 1, 2)])
    call("commit.stored.sync", lambda: sorted(c.commit(asynchronous=False)))
    call("commit.message.sync", lambda: sorted(c.commit(message=last[2], asynchronous=False)))
    call("commit.offsets.sync", lambda: sorted(c.commit(offsets=[TP("orders", 3, 1, "md")],
                                                        asynchronous=False)))
    call("commit.message.async", c.commit, last[3])
    call("commit.offsets.async", c.commit, offsets=[TP("orders", 1, 4)], asynchronous=True)
    end = time.time() + 10
    while time.time() < end and len(commits) < 5:
        c.poll(0.1)
    out("on_commit", commits)
    call("committed", lambda: sorted(c.committed([TP("orders", p) for p in range(4)], timeout=10)))
    call("position", lambda: sorted(c.position([TP("orders", p) for p in range(4)])))
    call("commit.bad_partition", lambda: sorted(c.commit(offsets=[TP("orders", 77, 1)], asynchronous=False)))
    call("unsubscribe", c.unsubscribe)
    end = time.time() + 10
    while time.time() < end and len(cb) < 2:
        c.poll(0.1)
    out("callbacks.after_unsubscribe", cb)
    call("assignment.after", c.assignment)
    call("close", c.close)
    out("callbacks.final", cb)
    c2 = ck.Consumer(cconf("g-sub"))
    call("committed.other_consumer", lambda: sorted(c2.committed([TP("orders", p) for p in range(4)],
                                                                 timeout=10)))
    c2.close()


@scenario("seeded")
def cooperative():
    TP = ck.TopicPartition
    cb = []

    def on_assign(cons, ps):
        cb.append(["assign", sorted(J(ps)), len(cons.assignment())])

    def on_revoke(cons, ps):
        cb.append(["revoke", sorted(J(ps)), len(cons.assignment())])

    with ck.Consumer(cconf("g-coop", **{"partition.assignment.strategy": "cooperative-sticky"})) as c:
        c.subscribe(["orders"], on_assign=on_assign, on_revoke=on_revoke)
        recs, _ = drain(c, TOTAL, timeout=30)
        out("records", len(recs))
        out("assignment", sorted(c.assignment()))
        call("commit", lambda: sorted(c.commit(asynchronous=False)))
        call("committed", lambda: sorted(c.committed([TP("orders", p) for p in range(4)], timeout=10)))
        out("callbacks", cb)
        call("unsubscribe", c.unsubscribe)
        end = time.time() + 10
        while time.time() < end and len(cb) < 2:
            c.poll(0.1)
        out("callbacks.after", cb)
    call("after_with", c.poll, 0)


@scenario("seeded")
def rebalance_manual():
    cb = []

    def on_assign(cons, ps):
        cb.append(["assign", sorted(J(ps))])
        for q in ps:
            q.offset = 1 if q.partition == 0 else q.offset
        cons.assign(ps)
        cb.append(["in_callback.assignment", sorted(cons.assignment())[:1]])

    def on_revoke(cons, ps):
        cb.append(["revoke", sorted(J(ps))])
        cons.unassign()

    c = ck.Consumer(cconf("g-manual"))
    c.subscribe(["orders"], on_assign=on_assign, on_revoke=on_revoke)
    recs, _ = drain(c, TOTAL - 1, timeout=30)
    out("records", [[m.partition(), m.offset()] for m in recs])
    out("callbacks", cb)
    call("close", c.close)
    out("callbacks.after_close", cb)


@scenario("seeded")
def callback_exceptions():
    def raiser(cons, ps):
        raise RuntimeError("on_assign failed")

    c = ck.Consumer(cconf("g-exc"))
    c.subscribe(["orders"], on_assign=raiser)
    end = time.time() + 30
    got = None
    while time.time() < end:
        try:
            m = c.poll(0.5)
            if m is not None:
                got = ("message", m.error() is None)
                break
        except Exception as e:  # noqa: BLE001
            got = ("raised", exc(e))
            break
    out("poll", got)
    c.close()
    c2 = ck.Consumer(cconf("g-exc2"))
    c2.subscribe(["orders"], on_assign=raiser)
    end = time.time() + 30
    got = None
    while time.time() < end and got is None:
        try:
            if c2.consume(5, 0.5):
                got = ("messages",)
        except Exception as e:  # noqa: BLE001
            got = ("raised", exc(e))
    out("consume", got)
    c2.close()

    def revoke_raiser(cons, ps):
        raise ValueError("on_revoke failed")

    c3 = ck.Consumer(cconf("g-exc3"))
    c3.subscribe(["orders"], on_revoke=revoke_raiser)
    wait_assigned(c3, 4)
    call("close.revoke_raises", c3.close)
    p = ck.Producer(conf())

    def dr(e, m):
        raise ZeroDivisionError("dr failed for %s" % m.value().decode())

    p.produce("orders", b"m1", partition=0, on_delivery=dr)
    call("flush.raises", p.flush, 30)
    call("flush.again", p.flush, 30)
    commits = []

    def oc(e, ps):
        commits.append(1)
        raise KeyError("on_commit failed")

    c4 = ck.Consumer(cconf("g-exc4", on_commit=oc))
    c4.assign([ck.TopicPartition("orders", 0, 0)])
    drain(c4, 1)
    c4.commit(offsets=[ck.TopicPartition("orders", 0, 1)])
    end = time.time() + 10
    got = None
    while time.time() < end and got is None:
        try:
            c4.poll(0.2)
        except Exception as e:  # noqa: BLE001
            got = exc(e)
    out("on_commit.raises", [got, len(commits)])
    c4.close()


@scenario("fresh")
def serialization():
    """SerializingProducer -> DeserializingConsumer with the stock (de)serializers, and the
    errors a failing (de)serializer gives."""
    S = ck.serialization
    drs = []
    p = ck.SerializingProducer(dict(conf(linger_ms=10), **{
        "key.serializer": S.StringSerializer("utf_8"), "value.serializer": S.IntegerSerializer()}))
    for i in range(4):
        call("produce.%d" % i, p.produce, "orders", key="k%d" % i, value=i * 1000, partition=i,
             headers={"h": b"%d" % i}, on_delivery=lambda e, m: drs.append([J(e), m.partition(), m.offset()]))
    call("produce.bad_value", p.produce, "orders", key="k", value="not an int", partition=0)
    call("produce.bad_key", p.produce, "orders", key=5, value=1, partition=0)
    call("flush", p.flush, 30)
    out("delivery", sorted(drs))
    d = ck.SerializingProducer(dict(conf(), **{"value.serializer": S.DoubleSerializer()}))
    call("double.produce", d.produce, "orders", value=2.5, partition=1)
    call("double.flush", d.flush, 30)
    c = ck.DeserializingConsumer(dict(cconf("g-serde"), **{
        "key.deserializer": S.StringDeserializer("utf_8"), "value.deserializer": S.IntegerDeserializer()}))
    c.assign([ck.TopicPartition("orders", i, ck.OFFSET_BEGINNING) for i in range(4)])
    got, errors = [], []
    end = time.time() + 20
    while time.time() < end and len(got) + len(errors) < 5:
        try:
            m = c.poll(0.2)
        except Exception as e:  # noqa: BLE001 - the double in partition 1 fails to deserialize
            errors.append(exc(e))
            continue
        if m is not None and m.error() is None:
            got.append([m.partition(), m.offset(), m.key(), m.value(), J(m.headers())])
    out("consumed", sorted(got))
    out("deserialize_errors", errors)
    c.close()


@scenario("fresh")
def transactions():
    TP = ck.TopicPartition
    drs = []
    p = ck.Producer(conf(**{"transactional.id": "txn-1", "transaction.timeout.ms": 10000,
                            "on_delivery": lambda e, m: drs.append([J(e), m.partition(), m.offset()])}))
    call("begin.before_init", p.begin_transaction)
    call("init", p.init_transactions, 30)
    call("commit.not_begun", p.commit_transaction, 10)
    call("begin", p.begin_transaction)
    call("begin.twice", p.begin_transaction)
    for i in range(3):
        p.produce("orders", b"c%d" % i, partition=0)
    call("commit", p.commit_transaction, 30)
    out("delivery.committed", sorted(drs))
    call("begin2", p.begin_transaction)
    p.produce("orders", b"aborted", partition=1)
    call("flush", p.flush, 30)
    call("abort", p.abort_transaction, 30)
    call("abort.again", p.abort_transaction, 30)
    c = ck.Consumer(cconf("g-txn"))
    c.subscribe(["orders"])
    drain(c, 3, timeout=30)
    gm = c.consumer_group_metadata()
    call("begin3", p.begin_transaction)
    p.produce("orders", b"with-offsets", partition=2)
    call("send_offsets", p.send_offsets_to_transaction, [TP("orders", 0, 3)], gm, 30)
    call("send_offsets.bad_meta", p.send_offsets_to_transaction, [TP("orders", 0, 3)], "gm", 30)
    call("commit3", p.commit_transaction, 30)
    call("produce.outside_txn", p.produce, "orders", b"nope", partition=3)
    call("flush.outside", p.flush, 5)
    out("delivery.all", sorted(drs, key=lambda d: (d[1], d[2] or 0)))
    c.close()
    r = ck.Consumer(cconf("g-read", **{"isolation.level": "read_committed"}))
    r.assign([TP("orders", q, 0) for q in range(4)])
    recs, _ = drain(r, 5, timeout=15)
    out("read_committed", [[m.partition(), m.offset(), m.value()] for m in recs])
    r.close()
    p2 = ck.Producer(conf(**{"transactional.id": "txn-1"}))
    call("fenced.init", p2.init_transactions, 30)
    call("old.begin_after_fenced", p.begin_transaction)
    if True:
        p.produce("orders", b"zombie", partition=3)
        call("old.commit_after_fenced", p.commit_transaction, 10)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--module", default=os.environ.get("CK_MODULE", "confluent_kafka"))
    ap.add_argument("--bootstrap", default=DEAD)
    ap.add_argument("--broker", default="none")
    ap.add_argument("--scenario")
    ap.add_argument("--seed", action="store_true")
    ap.add_argument("--list", action="store_true")
    args = ap.parse_args()
    if args.list:
        for n, (_, kind, brokers) in SCENARIOS.items():
            print(n, kind, ",".join(brokers))
        return
    if args.seed:
        seed(args.bootstrap)
        return
    use(importlib.import_module(args.module), args.bootstrap)
    fn = SCENARIOS[args.scenario][0]
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the scenario itself failed: still a record
        import traceback
        traceback.print_exc()
        out("scenario.crashed", exc(e))
    sys.stdout.flush()
    os._exit(0)  # no destructor ordering differences at exit


if __name__ == "__main__":
    main()
