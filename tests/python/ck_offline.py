"""The scenarios of ck_scenarios.py that need no broker (kind "offline")."""

import time

from ck_common import DEAD, J, call, ck, msg, out, scenario

# ---------------------------------------------------------------------------- offline

@scenario("offline", brokers=("none",))
def api_surface():
    names = {
        "Producer": "produce poll flush purge list_topics init_transactions begin_transaction "
                    "send_offsets_to_transaction commit_transaction abort_transaction "
                    "set_sasl_credentials close cluster_id produce_batch __len__ __enter__ __exit__",
        "Consumer": "subscribe unsubscribe assign unassign incremental_assign incremental_unassign "
                    "assignment poll consume commit committed position seek pause resume "
                    "get_watermark_offsets offsets_for_times store_offsets consumer_group_metadata "
                    "memberid list_topics close set_sasl_credentials cluster_id __enter__ __exit__",
        "Message": "error topic partition offset key value headers timestamp latency leader_epoch "
                   "set_key set_value set_headers set_topic set_error __len__",
        "TopicPartition": "topic partition offset metadata leader_epoch error",
        "KafkaError": "code name str fatal retriable txn_requires_abort",
    }
    for cls, ns in names.items():
        out("api." + cls, {n: hasattr(getattr(ck, cls), n) for n in ns.split()})
    mod = ("Producer Consumer Message KafkaError KafkaException TopicPartition version libversion "
           "OFFSET_BEGINNING OFFSET_END OFFSET_STORED OFFSET_INVALID TIMESTAMP_NOT_AVAILABLE "
           "TIMESTAMP_CREATE_TIME TIMESTAMP_LOG_APPEND_TIME SerializingProducer "
           "DeserializingConsumer ThrottleEvent ConsumerGroupTopicPartitions TopicCollection "
           "IsolationLevel Node TopicPartitionInfo Uuid ConsumerGroupState ElectionType "
           "murmur2 consistent fnv1a")
    out("api.module", {n: hasattr(ck, n) for n in mod.split()})
    out("constants", [getattr(ck, n, None) for n in mod.split() if n.isupper()])
    keys = [b"", b"a", b"key-1", bytes(range(200))]
    out("partitioners", [[f(k, n) for k in keys for n in (1, 7, 2**31 - 1)]
                         for f in (ck.murmur2, ck.consistent, ck.fnv1a)])
    for bad in ((b"k", 0), ("k", 3), (bytearray(b"k"), 3), (b"k",)):
        call("partitioners.bad.%r" % (bad,), ck.murmur2, *bad)

    class Sub(ck.Producer):  # confluent_kafka builds the handle in __init__
        def __init__(self, conf, extra):
            super().__init__(conf)
            self.extra = extra

    call("subclass", lambda: [Sub({"bootstrap.servers": DEAD}, 5).extra, len(Sub({}, 1))])

    class Bare(ck.Consumer):  # never calls super().__init__(): no handle
        def __init__(self, conf):
            pass

    call("subclass.no_init.poll", Bare({"group.id": "g"}).poll, 0)
    call("subclass.no_init.list_topics", Bare({"group.id": "g"}).list_topics)

    class SubTP(ck.TopicPartition):
        def __init__(self, s):
            t, p = s.split(":")
            super().__init__(topic=t, partition=int(p))

    call("subclass.topic_partition", lambda: repr(SubTP("a:3")))
    call("no_conf.producer", lambda: ck.Producer())  # (fn(**{}) would pass an empty conf)
    call("no_conf.consumer", lambda: ck.Consumer())
    with ck.Producer({"bootstrap.servers": DEAD, "message.timeout.ms": 100}) as p:
        p.produce("t", b"v")
    call("context.closed", len, p)
    v, lv = ck.version(), ck.libversion()
    out("version.types", [type(v[0]).__name__, type(v[1]).__name__, type(lv[0]).__name__, lv[1]])


@scenario("offline", brokers=("none",))
def kafka_error():
    E = ck.KafkaError
    codes = {n: getattr(E, n) for n in dir(E) if n.isupper() or (n.startswith("_") and n[1:2].isupper())}
    out("codes.count", len(codes))
    out("codes", {n: v for n, v in codes.items() if isinstance(v, int)})
    for args in [(E._PARTITION_EOF,), (E._MSG_TIMED_OUT, "why"), (E.UNKNOWN_TOPIC_OR_PART,),
                 (E._FATAL, "fatal!", True), (E.REQUEST_TIMED_OUT, None, False, True),
                 (E._STATE, "x", False, False, True), (12345,), (-12345, "neg"), (0,)]:
        e = call("new%r" % (args,), E, *args)
        if e is not None:
            out("fields%r" % (args,), [e.code(), e.name(), e.str(), str(e), e.fatal(), e.retriable(),
                                       e.txn_requires_abort(), bool(e)])
    a, b = E(E._PARTITION_EOF), E(E._PARTITION_EOF, "other")
    out("eq", [a == b, a == E._PARTITION_EOF, E._PARTITION_EOF == a, a != -191, a == -191,
               a == E(E._MSG_TIMED_OUT), a != b, hash(a) == hash(b)])
    # a == "x" / a == None are not tried: genuine 2.16 raises TypeError or returns with an
    # exception set (SystemError later)
    call("new.badtype", E, "x")
    call("new.noargs", E)
    call("new.kw", lambda: E(error=E._STATE, reason="r", fatal=True).fatal())
    ex = ck.KafkaException(E(E._STATE, "bad state"))
    out("exc", [str(ex), J(ex.args[0]), isinstance(ex, Exception), len(ex.args)])
    ex2 = ck.KafkaException(E._STATE)
    out("exc.int", [str(ex2), J(ex2.args)])
    out("exc.str", [str(ck.KafkaException("plain")), J(ck.KafkaException("a", "b").args)])
    out("exc.kw", J(call("exc.kw.new", lambda: ck.KafkaException(kafka_error=E(E._STATE)).args)))
    try:
        raise ck.KafkaException(E(E._TIMED_OUT, "t/o"))
    except ck.KafkaException as e:
        out("exc.raised", [e.args[0].code(), e.args[0].str()])


@scenario("offline", brokers=("none",))
def topic_partition():
    TP = ck.TopicPartition
    for a, kw in [(("t",), {}), (("t", 1), {}), (("t", 1, 5), {}), (("t", 2, ck.OFFSET_END, "meta"), {}),
                  (("t", 0, 3, None, 7), {}), (("t", 0, 3), {"leader_epoch": 7}),
                  (("t", 0, 3), {"leader_epoch": -1}), (("a", 9, 1), {}), (("", 0), {})]:
        call("tp%r%r" % (a, kw), lambda: [repr(TP(*a, **kw)), str(TP(*a, **kw)), J(TP(*a, **kw))])
    for k, f in [("eq.offset_ignored", lambda: TP("t", 1) == TP("t", 1, 9)),
                 ("ne.partition", lambda: TP("t", 1) != TP("t", 2)),
                 ("eq.topic", lambda: TP("t", 1) == TP("u", 1)),
                 ("eq.str", lambda: TP("t", 1) == "t"),
                 ("hash.offset_ignored", lambda: hash(TP("t", 1, 3)) == hash(TP("t", 1, 9))),
                 ("sorted", lambda: sorted([TP("b", 0), TP("a", 2), TP("a", 1, 9), TP("a", 1, 2)])),
                 ("lt.partition", lambda: TP("a", 1) < TP("a", 2)),
                 ("lt.topic", lambda: TP("a", 2) < TP("b", 0)),
                 ("gt", lambda: TP("b", 0) > TP("a", 9)),
                 ("le", lambda: TP("a", 1) <= TP("a", 1)),
                 ("lt.offset", lambda: TP("a", 1, 1) < TP("a", 1, 2)),
                 ("set", lambda: len({TP("t", 1), TP("t", 1, 4), TP("t", 2)}))]:
        call(k, f)
    t = TP("t", 1)
    t.offset = 42
    t.partition = 3
    out("mutated", J(t))
    for bad in [(1,), ("t", "x"), ("t", 0, "o"), ("t", 0, 0, 5), None]:
        call("bad%r" % (bad,), TP, *(bad or ()))
    call("kw", lambda: J(TP(topic="t", partition=2, offset=7, metadata="m")))


@scenario("offline", brokers=("none",))
def config_errors():
    P, C = ck.Producer, ck.Consumer
    call("unknown_key.producer", P, {"bootstrap.servers": DEAD, "no.such.key": 1})
    call("unknown_key.consumer", C, {"group.id": "g", "no.such.key": "x"})
    call("bad_value", P, {"acks": "maybe"})
    call("bad_value_int", P, {"linger.ms": "soon"})
    call("value_list", P, {"linger.ms": [1]})
    call("value_dict", P, {"client.id": {}})
    call("key_int", P, {1: "x"})
    call("not_dict", P, "bootstrap.servers=x")
    call("two_args", P, {}, {})
    call("no_group", C, {"bootstrap.servers": DEAD})
    # group.id "" is not tried: genuine 2.16 aborts (Consumer_init: Assertion `rkqu' failed)
    call("error_cb_not_callable", P, {"error_cb": 5})
    call("on_delivery_not_callable", P, {"on_delivery": "x"})
    call("stats_cb_not_callable", C, {"group.id": "g", "stats_cb": 1})
    call("dtc_bad_key", P, {"default.topic.config": {"no.such.topic.key": 1}})
    call("dtc_not_dict", P, {"default.topic.config": 5})
    call("kwargs_only", lambda: type(P(**{"bootstrap.servers": DEAD})).__name__)
    call("producer_only_key_on_consumer", lambda: type(C({"group.id": "g", "acks": "all"})).__name__)
    call("consumer_only_key_on_producer",
         lambda: type(P({"bootstrap.servers": DEAD, "auto.offset.reset": "earliest"})).__name__)
    call("none_value", lambda: type(P({"bootstrap.servers": DEAD, "client.id": None})).__name__)
    call("bool_value", lambda: type(P({"enable.idempotence": True})).__name__)
    call("txn_without_idempotence", P, {"transactional.id": "t", "enable.idempotence": False})


@scenario("offline", brokers=("none",))
def bad_input():
    P, C, TP = ck.Producer, ck.Consumer, ck.TopicPartition
    p = P({"message.timeout.ms": 60000})  # no bootstrap.servers: no connection error events
    f = lambda: P({"message.timeout.ms": 60000}).produce  # noqa: E731 - one producer per case
    call("produce.no_topic", p.produce)
    call("produce.topic_int", f(), 5)
    call("produce.value_int", f(), "t", 5)
    call("produce.key_int", f(), "t", b"v", 5)
    call("produce.value_list", f(), "t", [1])
    call("produce.partition_str", f(), "t", partition="x")
    call("produce.timestamp_str", f(), "t", timestamp="x")
    call("produce.headers_int", f(), "t", headers=5)
    call("produce.headers_badpair", f(), "t", headers=[("a",)])
    call("produce.headers_badvalue", f(), "t", headers={"a": 5})
    call("produce.headers_badname", f(), "t", headers=[(5, b"x")])
    call("produce.unknown_kw", f(), "t", nope=1)
    call("produce.on_delivery_not_callable", f(), "t", on_delivery=5)
    call("produce.empty_topic", f(), "")
    call("produce.ok_str_and_bytes", f(), "t", "välue", "kéy", headers={"h": "s", "n": None})
    call("produce.memoryview", f(), "t", memoryview(b"mv"))
    p.produce("t", b"1")
    p.produce("t", b"2", b"k", headers=[("h", b"v")])
    call("poll.bad", p.poll, "x")
    call("flush.bad", p.flush, "x")
    call("purge.bad", p.purge, "x")
    call("purge", p.purge)
    call("flush0", p.flush, 0)
    call("list_topics.bad_timeout", p.list_topics, None, "x")
    call("send_offsets.bad", p.send_offsets_to_transaction, [], None)
    call("txn.no_transactional_id", p.init_transactions, 1)
    call("txn.begin_not_init", p.begin_transaction)
    c = C({"bootstrap.servers": DEAD, "group.id": "g"})
    call("consume.zero", c.consume, 0, 0)
    call("consume.neg", c.consume, -1, 0)
    call("consume.too_many", c.consume, 1000001, 0)
    call("consume.max", lambda: len(c.consume(1000000, 0)))
    call("consume.bad_timeout", c.consume, 1, "x")
    call("consume.kw", lambda: len(c.consume(num_messages=2, timeout=0.1)))
    call("poll.bad", c.poll, "x")
    call("poll.zero", c.poll, 0)
    call("subscribe.str", c.subscribe, "topic")
    call("subscribe.int_list", c.subscribe, [1])
    call("subscribe.empty", c.subscribe, [])
    call("subscribe.on_assign_bad", c.subscribe, ["t"], on_assign=5)
    call("subscribe.on_revoke_bad", c.subscribe, ["t"], on_revoke="x")
    call("subscribe.on_lost_bad", c.subscribe, ["t"], on_lost=1)
    call("assign.not_list", c.assign, TP("t", 0))
    call("assign.bad_elem", c.assign, ["t"])
    call("incremental_assign.bad", c.incremental_assign, [1])
    call("seek.not_tp", c.seek, "t")
    call("seek.unassigned", c.seek, TP("t", 0, 5))
    call("pause.bad", c.pause, [1])
    call("position.bad", c.position, 5)
    call("committed.bad", c.committed, [1])
    call("commit.both", c.commit, message=None, offsets=None)
    call("commit.nothing", c.commit, asynchronous=False)
    call("commit.bad_offsets", c.commit, offsets=[1])
    call("commit.bad_message", c.commit, message="m")
    call("store_offsets.none", c.store_offsets)
    call("store_offsets.bad", c.store_offsets, offsets=[5])
    call("store_offsets.unassigned", c.store_offsets, offsets=[TP("t", 0, 5)])
    call("get_watermark.bad", c.get_watermark_offsets, "t")
    call("get_watermark.cached_unknown", c.get_watermark_offsets, TP("t", 0), cached=True)
    call("offsets_for_times.bad", c.offsets_for_times, [5])
    call("assignment", c.assignment)
    call("memberid.before_join", c.memberid)
    call("close", c.close)


@scenario("offline", brokers=("none",))
def closed_clients():
    C, P, TP = ck.Consumer, ck.Producer, ck.TopicPartition
    c = C({"bootstrap.servers": DEAD, "group.id": "g"})
    call("close", c.close)
    call("close.again", c.close)
    for name, a in [("poll", (0,)), ("consume", (1, 0)), ("subscribe", (["t"],)), ("unsubscribe", ()),
                    ("assign", ([TP("t", 0)],)), ("unassign", ()), ("assignment", ()),
                    ("commit", ()), ("committed", ([TP("t", 0)],)), ("position", ([TP("t", 0)],)),
                    ("seek", (TP("t", 0, 1),)), ("pause", ([TP("t", 0)],)),
                    ("get_watermark_offsets", (TP("t", 0),)), ("store_offsets", (None, [TP("t", 0, 1)])),
                    ("list_topics", ()), ("memberid", ()), ("consumer_group_metadata", ()),
                    ("incremental_assign", ([TP("t", 0)],)), ("offsets_for_times", ([TP("t", 0, 1)],))]:
        call("consumer." + name, getattr(c, name), *a)
    with C({"bootstrap.servers": DEAD, "group.id": "g"}) as c2:
        out("with.type", type(c2).__name__)
    call("with.after.poll", c2.poll, 0)
    try:
        with C({"bootstrap.servers": DEAD, "group.id": "g"}) as c3:
            raise ValueError("inside with")
    except ValueError as e:
        out("with.exception_propagates", str(e))
    call("with.after_exc.assignment", c3.assignment)
    p = P({"bootstrap.servers": DEAD})
    if hasattr(p, "close"):
        call("producer.close", p.close)
        call("producer.produce_after_close", p.produce, "t", b"x")
        call("producer.poll_after_close", p.poll, 0)
        call("producer.flush_after_close", p.flush, 0)
        call("producer.len_after_close", len, p)
    else:
        out("producer.close", "missing")


@scenario("offline", brokers=("none",))
def batch_and_cluster_id():
    p = ck.Producer({"bootstrap.servers": DEAD, "message.timeout.ms": 60000})
    for name, arg in [("not_list", ({"value": b"x"},)), ("not_dict", [1]),
                      ("timestamp", [{"value": b"x", "timestamp": 5}]), ("bad_value", [{"value": 5}]),
                      ("bad_key", [{"key": 5}]), ("bad_partition_type", [{"partition": "x"}]),
                      ("bad_headers", [{"headers": 5}]), ("empty", []),
                      ("headers", [{"value": b"h", "headers": [("a", b"b")]}]),
                      ("two", [{"value": b"1"}, {"key": "2"}])]:
        call("batch." + name, p.produce_batch, "t", arg)
    call("batch.empty_topic", p.produce_batch, "", [{"value": b"e"}])
    call("batch.kw", lambda: p.produce_batch(topic="t", messages=[{"value": b"k"}], callback=None))
    call("cluster_id.timeout", p.cluster_id, 0.3)
    call("cluster_id.zero", p.cluster_id, 0)
    p.purge()
    call("flush", p.flush, 5)
    call("close", p.close)
    call("closed.batch.empty", p.produce_batch, "t", [])
    call("closed.batch", p.produce_batch, "t", [{"value": b"x"}])
    call("closed.cluster_id", p.cluster_id)
    call("closed.list_topics", p.list_topics)
    c = ck.Consumer({"bootstrap.servers": DEAD, "group.id": "g"})
    call("consumer.cluster_id.timeout", c.cluster_id, 0.3)
    # no broker up: the lookup waits its timeout for a leader (librdkafka: _ALL_BROKERS_DOWN)
    call("consumer.watermarks.no_broker", c.get_watermark_offsets, ck.TopicPartition("t", 0), 0.5)
    c.close()
    c = ck.Consumer({"group.id": "g"})
    call("consumer.watermarks.no_bootstrap", c.get_watermark_offsets, ck.TopicPartition("t", 0), 0.5)
    c.close()
    call("consumer.closed.cluster_id", c.cluster_id)


@scenario("offline", brokers=("none",))
def message_object():
    M = ck.Message

    def fields(m):
        return [J(m.topic()), m.partition(), m.offset(), J(m.key()), J(m.value()), J(m.headers()),
                J(m.error()), list(m.timestamp()), m.latency(), m.leader_epoch(), m.delivery_count(),
                len(m) if m.value() is None or isinstance(m.value(), (bytes, str)) else None]

    for name, a, kw in [
        ("empty", (), {}),
        ("positional", ("t", 1, 5, b"k", b"v", [("a", b"b")], None, (1, 123), 0.5, 3, 2), {}),
        ("kw_any_objects", (), dict(topic=5, value="str", key=7, headers={"a": 1}, error="e")),
        ("error", (), dict(error=ck.KafkaError(ck.KafkaError.LEADER_NOT_AVAILABLE))),
        ("negative_numbers", (), dict(partition=-1, offset=-5, leader_epoch=-1, latency=-1.0,
                                      delivery_count=0)),
        ("latency_int", (), dict(latency=2)),
        ("timestamp_bool", (), dict(timestamp=(True, 5))),
        ("timestamp_int", (), dict(timestamp=5)),
        ("timestamp_short", (), dict(timestamp=(1,))),
        ("timestamp_list", (), dict(timestamp=[1, 2])),
        ("partition_none", (), dict(partition=None)),
        ("partition_str", (), dict(partition="x")),
        ("latency_str", (), dict(latency="x")),
        ("unknown_kw", (), dict(nope=1)),
        ("too_many", tuple(range(12)), {}),
        ("name_and_position", ("t",), dict(topic="x")),
    ]:
        call("new." + name, lambda: fields(M(*a, **kw)))
    m = M("t", 0, 1, None, b"v")
    m.set_topic("other")
    m.set_error(ck.KafkaError(ck.KafkaError._STATE))
    out("set", [m.topic(), J(m.error())])
    call("set_topic.kw", m.set_topic, topic="x")
    call("set_error.none", lambda: (m.set_error(None), m.error())[1])


@scenario("offline", brokers=("none",))
def buffer_and_purge():
    calls = []
    p = ck.Producer({"queue.buffering.max.messages": 5,
                     "message.timeout.ms": 60000})
    for i in range(7):
        call("produce%d" % i, p.produce, "t", b"v%d" % i, partition=i % 2,
             on_delivery=lambda e, m: calls.append([J(e), m.value(), m.partition(), m.offset()]))
    call("flush0", p.flush, 0)
    call("poll0", p.poll, 0)
    call("purge.inflight_only", p.purge, in_queue=False)
    call("len.after_purge_inflight", len, p)
    call("purge", p.purge, in_queue=True, in_flight=True, blocking=False)
    call("poll", p.poll, 1)
    call("len.after_purge", len, p)
    out("delivery", sorted(calls, key=lambda x: x[1]))
    out("produce.after_purge", call("p", p.produce, "t", b"z"))
    call("flush.bounded", p.flush, 0.5)
    p2 = ck.Producer({"bootstrap.servers": DEAD, "message.timeout.ms": 300, "on_delivery":
                      lambda e, m: calls2.append(("conf", J(e), msg(m, latency=True)))})
    calls2 = []
    call("timeout.produce", p2.produce, "t", b"payload", b"key", 2, timestamp=1234,
         headers=[("a", b"1"), ("a", b"2"), ("n", None)])
    call("timeout.produce.callback", p2.produce, "t", b"p2", callback=lambda e, m: calls2.append(
        ("callback", J(e), msg(m))))
    call("timeout.flush", p2.flush, 10)
    out("timeout.delivery", calls2)


@scenario("offline", brokers=("none",))
def callback_exceptions_offline():
    def boom(*a):
        raise ValueError("boom from callback")

    p = ck.Producer({"message.timeout.ms": 200})  # no bootstrap: no error events queued
    p.produce("t", b"x", on_delivery=boom)
    call("flush.raises", p.flush, 10)
    call("len.after", len, p)
    p.produce("t", b"y", on_delivery=boom)
    p.purge()
    call("poll.raises", p.poll, 5)
    seen = []

    def ecb(e):
        seen.append(e.code())
        raise KeyError("from error_cb")

    p2 = ck.Producer({"bootstrap.servers": DEAD, "error_cb": ecb})
    call("error_cb.poll.raises", p2.poll, 10)
    out("error_cb.called", len(seen) > 0)
    errs = []
    p3 = ck.Producer({"bootstrap.servers": DEAD, "error_cb": lambda e: errs.append(e)})
    end = time.time() + 10
    while time.time() < end and not any(e.code() == ck.KafkaError._ALL_BROKERS_DOWN for e in errs):
        p3.poll(0.2)
    out("error_cb.codes", sorted({e.name() for e in errs}))
    out("error_cb.all_down", [J(e) + [e.fatal(), e.retriable()] for e in errs
                              if e.code() == ck.KafkaError._ALL_BROKERS_DOWN][:1])
    c = ck.Consumer({"bootstrap.servers": DEAD, "group.id": "g", "error_cb": boom})
    call("consumer.error_cb.poll.raises", c.poll, 10)
    c2 = ck.Consumer({"bootstrap.servers": DEAD, "group.id": "g", "error_cb": boom})
    call("consumer.error_cb.consume.raises", c2.consume, 1, 10)


@scenario("offline", brokers=("none",))
def oauth_cb():
    """confluent_kafka fetches the first token in the constructor (oauth_cb on librdkafka's
    background thread), refreshes on that thread without poll(), and fails the constructor
    when no token came within 10 s."""
    import threading
    calls = []

    def cb(config):
        calls.append([config, threading.current_thread() is threading.main_thread()])
        return "token", time.time() + 2, "alice", {"ext": "v"}

    base = {"group.id": "g", "bootstrap.servers": DEAD, "security.protocol": "sasl_plaintext",
            "sasl.mechanisms": "OAUTHBEARER", "sasl.oauthbearer.config": "cfg"}
    c = ck.Consumer(dict(base, oauth_cb=cb))
    out("after_init", list(calls))
    time.sleep(2.5)  # refreshed at 80% of the token's life
    out("refreshed", len(calls) > 1)
    c.close()

    def bad(config):
        raise ValueError("no token")

    t0 = time.time()
    call("failing_cb", ck.Producer, dict(base, oauth_cb=bad))
    out("failing_cb.waited", round(time.time() - t0) >= 9)
    call("bad_return", ck.Producer, dict(base, oauth_cb=lambda c: 5))
