#!/usr/bin/env python3
"""kafkars' own mock cluster (src/mock/, Python kafkars.mock) against real clients.

Run with the project venv:  build/pyenv/bin/python tests/python/own_mock.py

A. the launcher ``python -m kafkars.mock --brokers 3 --topic t:3`` in a subprocess,
   driven by GENUINE confluent_kafka (librdkafka 2.16): idempotent producer, consumer
   group of 2 + committed offsets, transactions (read_committed / read_uncommitted),
   offsets_for_times, AdminClient create/list/delete topics; the launcher then exits 0
   when its stdin closes.
B. in-process ``kafkars.mock.MockCluster(3)``: kafkars' confluent_kafka API, kafkars'
   kafka-python API and genuine kafka-python round trips.
C. faults through the Python API: broker down -> _MSG_TIMED_OUT, broker up -> delivered,
   pushed NOT_LEADER_FOR_PARTITION errors on Produce -> retried and delivered.
D. KIP-848 (group.protocol=consumer) with genuine confluent_kafka on kafkars' launcher and
   on librdkafka's own mock (tests/brokers/mock_cluster.py): two members share 6
   partitions 3/3, one leaves and the other takes 6, a restarted member resumes from the
   commits; and a manual target assignment (rd_kafka_mock_cgrp_consumer_target_assignment
   through mock_cluster.py, on genuine 2.16's mock and on kafkars' by --lib build/compat).
   OWN_MOCK_ONLY=D runs this section alone.
E. KIP-932 share groups with genuine confluent_kafka ShareConsumers (explicit
   acknowledgements) on librdkafka's own mock and on kafkars' (mock_cluster.py, --lib
   build/compat): two consumers both receive, every record once when all accept, a
   released record back with delivery_count 2, a rejected one never, a consumer closing
   with records unacknowledged hands them to the other, and a manual target assignment
   (rd_kafka_mock_sharegroup_target_assignment) that the records follow.
   OWN_MOCK_ONLY=E runs this section alone.

Plain Python, no pytest: prints "ok: NAME" / "FAIL: NAME: detail" per check and a final
"N passed, M failed"; exits 1 on any failure. Every wait is bounded; a watchdog ends the
script (launcher killed) if it runs over its overall budget.
"""

import os
import subprocess
import sys
import threading
import time
import traceback
import uuid

sys.dont_write_bytecode = True

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VENV_PY = os.path.join(ROOT, "build", "pyenv", "bin", "python")
BUDGET_S = 225  # whole script must stay under 4 minutes

PASSED = []
FAILED = []
_PROCS = []  # subprocesses to stop whatever happens
T0 = time.monotonic()


def ok(name):
    PASSED.append(name)
    print("ok: %s" % name, flush=True)


def fail(name, detail):
    FAILED.append(name)
    print("FAIL: %s: %s" % (name, detail), flush=True)


def check(name, cond, detail=""):
    if cond:
        ok(name)
    else:
        fail(name, detail)
    return cond


def run(name, fn, *args):
    """Run a group of checks; an unexpected exception is one FAIL, not a crash."""
    try:
        return fn(*args)
    except Exception as e:  # noqa: BLE001 - reported, not hidden
        tb = traceback.format_exc().strip().splitlines()
        fail(name, "%s: %s [%s]" % (type(e).__name__, e, " | ".join(tb[-3:])))
        return None


def uniq(prefix):
    return "%s-%s" % (prefix, uuid.uuid4().hex[:8])


def _stop_procs():
    for p in _PROCS:
        if p.poll() is None:
            try:
                p.kill()
                p.wait(5)
            except Exception:  # noqa: BLE001
                pass


def _watchdog():
    time.sleep(BUDGET_S)
    print("FAIL: watchdog: script exceeded %d s; stopping" % BUDGET_S, flush=True)
    _stop_procs()
    print("%d passed, %d failed" % (len(PASSED), len(FAILED) + 1), flush=True)
    os._exit(1)


def _close_all(clients):
    for c in clients:
        try:
            c.close()
        except Exception:  # noqa: BLE001
            pass


# ---------------------------------------------------------------- A. launcher + genuine confluent_kafka


def start_launcher():
    p, bs = start_broker("A.launcher", [VENV_PY, "-m", "kafkars.mock", "--brokers", "3", "--topic", "t:3"])
    if bs:
        ok("A.launcher-bootstrap (%s)" % bs)
    return p, bs


def genuine_ck():
    import confluent_kafka as ck
    lv = ck.libversion()[0]
    where = os.path.realpath(ck.__file__)
    if not (lv.startswith("2.16") and "kafkars" not in where):
        fail("A.genuine-confluent_kafka", "libversion=%r file=%s" % (ck.libversion(), where))
        return None
    ok("A.genuine-confluent_kafka (librdkafka %s, %s)" % (lv, where))
    return ck


def a_admin_create(ck, bs, name, parts):
    from confluent_kafka.admin import AdminClient, NewTopic
    adm = AdminClient({"bootstrap.servers": bs})
    fs = adm.create_topics([NewTopic(name, num_partitions=parts, replication_factor=1)],
                           operation_timeout=10, request_timeout=10)
    fs[name].result(timeout=15)


def a_produce(ck, bs):
    p = ck.Producer({"bootstrap.servers": bs, "enable.idempotence": True, "acks": "all",
                     "linger.ms": 5, "message.timeout.ms": 20000})
    errs, dels = [], []

    def dr(err, msg):
        (errs if err else dels).append(err or (msg.partition(), msg.offset()))

    for i in range(300):
        p.produce("t", value=b"v%d" % i, key=b"k%d" % i, on_delivery=dr)
        if i % 50 == 0:
            p.poll(0)
    left = p.flush(30)
    parts = sorted({d[0] for d in dels})
    check("A1.idempotent-produce-300", left == 0 and not errs and len(dels) == 300,
          "left=%d errors=%s delivered=%d" % (left, [str(e) for e in errs[:3]], len(dels)))
    check("A1.keys-spread-over-partitions", len(parts) > 1, "partitions used: %s" % parts)


def a_group(ck, bs):
    group = uniq("g")
    conf = {"bootstrap.servers": bs, "group.id": group, "session.timeout.ms": 6000,
            "auto.offset.reset": "earliest", "enable.auto.commit": False,
            "heartbeat.interval.ms": 500}
    assigned = {0: set(), 1: set()}
    cons = []
    try:
        for idx in (0, 1):
            c = ck.Consumer(dict(conf))

            def on_assign(c_, parts, idx=idx):
                assigned[idx] = {tp.partition for tp in parts}

            def on_revoke(c_, parts, idx=idx):
                assigned[idx] = set()

            c.subscribe(["t"], on_assign=on_assign, on_revoke=on_revoke)
            cons.append(c)
        seen = set()
        per = {0: 0, 1: 0}
        errors = []
        deadline = time.monotonic() + 45
        both_since = None
        while time.monotonic() < deadline:
            for idx, c in enumerate(cons):
                m = c.poll(0.2)
                if m is None:
                    continue
                if m.error():
                    errors.append(str(m.error()))
                    continue
                seen.add((m.partition(), m.offset()))
                per[idx] += 1
            if assigned[0] and assigned[1]:
                both_since = both_since or time.monotonic()
            else:
                both_since = None
            # stop once all 300 are in and the group has been stable for a moment
            if len(seen) >= 300 and both_since and time.monotonic() - both_since > 1.0:
                break
        check("A2.group-consumed-all-300", len(seen) == 300,
              "unique (partition,offset) consumed=%d per-consumer=%s errors=%s"
              % (len(seen), per, errors[:3]))
        check("A2.each-consumer-got-partitions", bool(assigned[0]) and bool(assigned[1])
              and not (assigned[0] & assigned[1]),
              "assignments=%s" % assigned)
        commit_errs = []
        for c in cons:
            try:
                c.commit(asynchronous=False)
            except ck.KafkaException as e:
                if e.args[0].code() != ck.KafkaError._NO_OFFSET:
                    commit_errs.append(str(e))
        check("A2.commit", not commit_errs, "commit errors: %s" % commit_errs)
        for c in cons:
            c.close()
        cons = []

        # third member of the same group starts from the committed offsets
        c3 = ck.Consumer(dict(conf))
        cons = [c3]
        got3 = []
        assigned3 = []
        c3.subscribe(["t"], on_assign=lambda c_, ps: assigned3.extend(ps))
        deadline = time.monotonic() + 20
        quiet_until = None
        while time.monotonic() < deadline:
            m = c3.poll(0.2)
            if m is not None and not m.error():
                got3.append((m.partition(), m.offset()))
            if assigned3 and quiet_until is None:
                quiet_until = time.monotonic() + 4
            if quiet_until and time.monotonic() > quiet_until:
                break
        committed = c3.committed([ck.TopicPartition("t", p) for p in range(3)], timeout=10)
        total = sum(tp.offset for tp in committed if tp.offset >= 0)
        check("A2.third-consumer-starts-at-committed",
              bool(assigned3) and not got3 and total == 300,
              "assigned=%s new messages=%d (first %s) committed=%s (sum %d, want 300)"
              % ([tp.partition for tp in assigned3], len(got3), got3[:5],
                 [(tp.partition, tp.offset) for tp in committed], total))
    finally:
        _close_all(cons)


def _drain(ck, bs, topic, parts, isolation, want, timeout=20):
    """Read topic from the beginning until EOF on every partition; return values."""
    c = ck.Consumer({"bootstrap.servers": bs, "group.id": uniq("iso"),
                     "isolation.level": isolation, "enable.partition.eof": True,
                     "enable.auto.commit": False, "auto.offset.reset": "earliest"})
    vals, errs, eof = [], [], set()
    try:
        c.assign([ck.TopicPartition(topic, p, ck.OFFSET_BEGINNING) for p in range(parts)])
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            m = c.poll(0.2)
            if m is None:
                continue
            if m.error():
                if m.error().code() == ck.KafkaError._PARTITION_EOF:
                    eof.add(m.partition())
                    if len(eof) == parts and len(vals) >= want:
                        break
                else:
                    errs.append(str(m.error()))
                continue
            vals.append(m.value())
            eof.discard(m.partition())
        # a little more time to catch extra (unwanted) records after reaching `want`
        end = time.monotonic() + 1.0
        while time.monotonic() < end:
            m = c.poll(0.1)
            if m is not None and not m.error():
                vals.append(m.value())
    finally:
        c.close()
    return vals, errs


def a_transactions(ck, bs):
    a_admin_create(ck, bs, "tx", 1)
    p = ck.Producer({"bootstrap.servers": bs, "transactional.id": uniq("txid"),
                     "message.timeout.ms": 20000})
    p.init_transactions(20)
    p.begin_transaction()
    for i in range(10):
        p.produce("tx", value=b"committed-%d" % i, key=b"c%d" % i)
    p.commit_transaction(20)
    p.begin_transaction()
    for i in range(10):
        p.produce("tx", value=b"aborted-%d" % i, key=b"a%d" % i)
    p.flush(20)  # make sure the aborted records are really in the log
    p.abort_transaction(20)
    ok("A3.transactional-commit-and-abort")

    vals, errs = _drain(ck, bs, "tx", 1, "read_committed", 10)
    want = [b"committed-%d" % i for i in range(10)]
    check("A3.read_committed-sees-only-10-committed", vals == want and not errs,
          "read %d: %s errors=%s" % (len(vals), vals[:25], errs[:3]))
    vals, errs = _drain(ck, bs, "tx", 1, "read_uncommitted", 20)
    want_all = want + [b"aborted-%d" % i for i in range(10)]
    check("A3.read_uncommitted-sees-20", vals == want_all and not errs,
          "read %d: %s errors=%s" % (len(vals), vals[:25], errs[:3]))


def a_offsets_for_times(ck, bs):
    a_admin_create(ck, bs, "ts", 1)
    p = ck.Producer({"bootstrap.servers": bs, "message.timeout.ms": 20000})
    offs, errs = {}, []

    def dr(err, msg):
        if err:
            errs.append(str(err))
        else:
            offs[msg.timestamp()[1]] = msg.offset()

    for ts in (1000, 2000, 3000):
        p.produce("ts", value=b"at-%d" % ts, partition=0, timestamp=ts, on_delivery=dr)
    left = p.flush(20)
    if not check("A4.produce-with-timestamps", left == 0 and not errs and len(offs) == 3,
                 "left=%d errors=%s delivered=%s" % (left, errs, offs)):
        return
    c = ck.Consumer({"bootstrap.servers": bs, "group.id": uniq("oft")})
    try:
        res = c.offsets_for_times([ck.TopicPartition("ts", 0, 1500)], timeout=10)
        res_late = c.offsets_for_times([ck.TopicPartition("ts", 0, 3500)], timeout=10)
    finally:
        c.close()
    got = res[0].offset
    check("A4.offsets_for_times(1500)->offset-of-2000", got == offs.get(2000) and not res[0].error,
          "sent ts->offset %s, lookup 1500 returned offset %s error %s (want %s)"
          % (offs, got, res[0].error, offs.get(2000)))
    check("A4.offsets_for_times(3500)->end(-1)", res_late[0].offset == -1,
          "lookup 3500 returned offset %s error %s" % (res_late[0].offset, res_late[0].error))


def a_admin(ck, bs):
    from confluent_kafka.admin import AdminClient
    name = uniq("adm")
    a_admin_create(ck, bs, name, 3)
    adm = AdminClient({"bootstrap.servers": bs})
    md = adm.list_topics(timeout=10)
    t = md.topics.get(name)
    check("A5.admin-create-then-list", t is not None and len(t.partitions) == 3,
          "list_topics has %s" % (None if t is None else "%d partitions" % len(t.partitions)))
    fs = adm.delete_topics([name], operation_timeout=10, request_timeout=10)
    fs[name].result(timeout=15)
    gone = False
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if name not in adm.list_topics(timeout=10).topics:
            gone = True
            break
        time.sleep(0.3)
    check("A5.admin-delete-removes", gone, "topic %s still listed 10 s after delete" % name)


def section_a():
    p, bs = start_launcher()
    try:
        if not bs:
            return
        ck = run("A.genuine-confluent_kafka", genuine_ck)
        if ck is None:
            return
        run("A1.produce", a_produce, ck, bs)
        run("A2.group", a_group, ck, bs)
        run("A3.transactions", a_transactions, ck, bs)
        run("A4.offsets_for_times", a_offsets_for_times, ck, bs)
        run("A5.admin", a_admin, ck, bs)
    finally:
        try:
            p.stdin.close()
        except Exception:  # noqa: BLE001
            pass
        try:
            rc = p.wait(10)
            err = p.stderr.read()[-400:] if rc != 0 else ""
            check("A.launcher-exits-0-on-stdin-close", rc == 0, "rc=%s stderr=%s" % (rc, err))
        except subprocess.TimeoutExpired:
            fail("A.launcher-exits-0-on-stdin-close", "still running 10 s after stdin closed")
            p.kill()
            p.wait(5)


# ---------------------------------------------------------------- B. in-process MockCluster


def b_kafkars_ck(kafkars, bs):
    kafkars_cluster_topic = "b-ck"
    p = kafkars.Producer({"bootstrap.servers": bs, "linger.ms": 5})
    errs = []
    for i in range(100):
        p.produce(kafkars_cluster_topic, value=b"b%d" % i, key=b"k%d" % i,
                  on_delivery=lambda e, m: e and errs.append(str(e)))
    left = p.flush(20)
    check("B.kafkars-Producer-100", left == 0 and not errs, "left=%d errors=%s" % (left, errs[:3]))
    c = kafkars.Consumer({"bootstrap.servers": bs, "group.id": uniq("b"),
                          "auto.offset.reset": "earliest"})
    vals = set()
    try:
        c.subscribe([kafkars_cluster_topic])
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(vals) < 100:
            m = c.poll(0.2)
            if m is not None and not m.error():
                vals.add(m.value())
    finally:
        c.close()
    check("B.kafkars-Consumer-reads-100", vals == {b"b%d" % i for i in range(100)},
          "read %d distinct of 100" % len(vals))


def _kpy_round_trip(label, KafkaProducer, KafkaConsumer, bs, topic, n):
    p = KafkaProducer(bootstrap_servers=bs, request_timeout_ms=10000, max_block_ms=15000)
    try:
        futs = [p.send(topic, key=b"k%d" % i, value=b"%s-%d" % (label.encode(), i))
                for i in range(n)]
        p.flush(timeout=20)
        metas = [f.get(timeout=10) for f in futs]
    finally:
        p.close(timeout=5)
    check("B.%s-KafkaProducer-%d" % (label, n), len(metas) == n,
          "%d of %d acknowledged" % (len(metas), n))
    c = KafkaConsumer(topic, bootstrap_servers=bs, group_id=uniq(label),
                      auto_offset_reset="earliest", consumer_timeout_ms=1000,
                      request_timeout_ms=30000, session_timeout_ms=10000,
                      heartbeat_interval_ms=1000)
    vals = set()
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(vals) < n:
            batch = c.poll(timeout_ms=500)
            for recs in batch.values():
                for r in recs:
                    vals.add(r.value)
    finally:
        c.close()
    check("B.%s-KafkaConsumer-reads-%d" % (label, n),
          vals == {b"%s-%d" % (label.encode(), i) for i in range(n)},
          "read %d distinct of %d" % (len(vals), n))


def b_kafkars_kpy(bs):
    from kafkars.kafka import KafkaConsumer, KafkaProducer
    _kpy_round_trip("kafkars.kafka", KafkaProducer, KafkaConsumer, bs, "b-kpy", 100)


def b_genuine_kpy(bs):
    import kafka
    where = os.path.realpath(kafka.__file__)
    if not check("B.genuine-kafka-python", "kafkars" not in where,
                 "kafka resolves to %s" % where):
        return
    print("   (kafka-python %s at %s)" % (kafka.__version__, where), flush=True)
    _kpy_round_trip("kafka-python", kafka.KafkaProducer, kafka.KafkaConsumer, bs, "b-gkpy", 20)


# ---------------------------------------------------------------- C. faults


def c_faults(kafkars, cluster, bs):
    topic = "c-faults"
    p = kafkars.Producer({"bootstrap.servers": bs, "message.timeout.ms": 2000,
                          "reconnect.backoff.ms": 100, "reconnect.backoff.max.ms": 500,
                          "topic.metadata.refresh.interval.ms": 1000})
    md = p.list_topics(topic, timeout=10)
    leader = md.topics[topic].partitions[0].leader
    results = []

    def dr(err, msg):
        results.append(err)

    cluster.set_broker_down(leader)
    try:
        p.produce(topic, value=b"while-down", partition=0, on_delivery=dr)
        p.flush(10)
    finally:
        cluster.set_broker_up(leader)
    err = results[0] if results else None
    check("C.leader-down-gives-_MSG_TIMED_OUT",
          err is not None and err.code() == kafkars.KafkaError._MSG_TIMED_OUT,
          "leader broker %d down, produce with message.timeout.ms=2000 -> delivery %s"
          % (leader, "report missing" if not results else err))

    # broker back: a produce succeeds (give the client time to reconnect)
    results.clear()
    delivered = False
    deadline = time.monotonic() + 20
    tries = []
    while time.monotonic() < deadline:
        results.clear()
        p.produce(topic, value=b"after-up", partition=0, on_delivery=dr)
        p.flush(5)
        tries.append(results[0] if results else "no report")
        if results and results[0] is None:
            delivered = True
            break
    check("C.leader-up-produce-succeeds", delivered,
          "after set_broker_up(%d): attempts -> %s" % (leader, [str(t) for t in tries]))

    # Produce answered NOT_LEADER_FOR_PARTITION twice: the client retries, record lands
    p2 = kafkars.Producer({"bootstrap.servers": bs, "message.timeout.ms": 15000,
                           "retry.backoff.ms": 100})
    p2.list_topics(topic, timeout=10)  # connected before the errors are queued
    cluster.push_request_errors(0, [6, 6])
    res2 = []
    p2.produce(topic, value=b"after-not-leader", partition=0,
               on_delivery=lambda e, m: res2.append((e, m.offset())))
    left = p2.flush(20)
    check("C.pushed-NOT_LEADER-retried-delivered",
          left == 0 and res2 and res2[0][0] is None,
          "push_request_errors(0,[6,6]) then produce -> left=%d reports=%s"
          % (left, [(str(e), o) for e, o in res2]))

    # the same with retries=0 proves the errors really reach the client (not a no-op)
    p3 = kafkars.Producer({"bootstrap.servers": bs, "message.timeout.ms": 15000,
                           "retries": 0})
    p3.list_topics(topic, timeout=10)
    cluster.push_request_errors(0, [6])
    res3 = []
    p3.produce(topic, value=b"no-retry", partition=0, on_delivery=lambda e, m: res3.append(e))
    left = p3.flush(20)
    err = res3[0] if res3 else None
    check("C.pushed-NOT_LEADER-seen-without-retries",
          err is not None and err.code() == kafkars.KafkaError.NOT_LEADER_FOR_PARTITION,
          "push_request_errors(0,[6]) then produce with retries=0 -> left=%d report=%s"
          % (left, "missing" if not res3 else err))


def section_bc():
    import kafkars
    from kafkars.mock import MockCluster
    where = os.path.realpath(kafkars.__file__)
    with MockCluster(3) as cluster:
        bs = cluster.bootstrap_servers()
        ok("B.MockCluster(3) in process (%s; kafkars from %s)" % (bs, os.path.dirname(where)))
        cluster.create_topic("b-ck", 3)
        cluster.create_topic("b-kpy", 3)
        cluster.create_topic("b-gkpy", 3)
        cluster.create_topic("c-faults", 1)
        run("B.kafkars-confluent-api", b_kafkars_ck, kafkars, bs)
        run("B.kafkars.kafka-api", b_kafkars_kpy, bs)
        run("B.genuine-kafka-python", b_genuine_kpy, bs)
        run("C.faults", c_faults, kafkars, cluster, bs)


# ---------------------------------------------------------------- D. KIP-848 consumer groups


def stop_broker(p):
    """Closes a broker's stdin (it exits); kills it if it is still there 10 s later."""
    try:
        p.stdin.close()
        p.wait(10)
    except Exception:  # noqa: BLE001
        p.kill()


def start_broker(label, cmd):
    """Starts a mock broker process that prints `BOOTSTRAP host:port,...`."""
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, cwd=ROOT, text=True)
    _PROCS.append(p)
    got = {}

    def reader():
        for line in p.stdout:
            if line.startswith("BOOTSTRAP "):
                got["bs"] = line.split(None, 1)[1].strip()
                break

    th = threading.Thread(target=reader, daemon=True)
    th.start()
    th.join(20)
    if not got.get("bs"):
        err = p.stderr.read()[-500:] if p.poll() is not None else ""
        fail("%s.bootstrap" % label, "no BOOTSTRAP line within 20 s (rc=%s) %s" % (p.poll(), err))
    return p, got.get("bs")


def d_kip848(ck, bs, label):
    """Two group.protocol=consumer members share 6 partitions 3/3, one leaves and the
    other takes all 6, commits are kept and a restarted member resumes from them."""
    topic, group = "k848", uniq("k848")
    p = ck.Producer({"bootstrap.servers": bs, "linger.ms": 5})
    for i in range(60):
        p.produce(topic, value=b"m%d" % i, partition=i % 6)
    check("%s.produce-60" % label, p.flush(20) == 0)
    conf = {"bootstrap.servers": bs, "group.id": group, "group.protocol": "consumer",
            "auto.offset.reset": "earliest", "enable.auto.commit": False}
    owned = {0: set(), 1: set()}
    seen = set()
    cons = []

    def member(idx):
        c = ck.Consumer(dict(conf))

        # KIP-848 assignments are incremental: callbacks carry the change only.
        def on_assign(c_, parts, idx=idx):
            owned[idx] |= {tp.partition for tp in parts}

        def on_revoke(c_, parts, idx=idx):
            owned[idx] -= {tp.partition for tp in parts}

        c.subscribe([topic], on_assign=on_assign, on_revoke=on_revoke)
        return c

    # Each member's last consumed offset per partition: a member commits only what it
    # consumed itself (a partition read by the other before the split has no position).
    last = {0: {}, 1: {}}

    def poll_until(clients, done, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not done():
            for idx, c in enumerate(clients):
                m = c.poll(0.1)
                if m is not None and not m.error():
                    seen.add((m.partition(), m.offset()))
                    last[idx][m.partition()] = m.offset()
        return done()

    def read_own(idx):
        return all(last[idx].get(p) == 9 for p in owned[idx])

    try:
        cons = [member(0), member(1)]
        split = poll_until(cons, lambda: len(owned[0]) == 3 and len(owned[1]) == 3
                           and not owned[0] & owned[1] and len(seen) == 60
                           and read_own(0) and read_own(1), 40)
        check("%s.two-members-3-each-no-overlap" % label, split,
              "owned=%s consumed=%d" % (owned, len(seen)))
        # Genuine AdminClient: ConsumerGroupDescribe (kafkars' mock) or its fallback.
        from confluent_kafka.admin import AdminClient
        try:
            adm = AdminClient({"bootstrap.servers": bs})  # kept alive until the answer
            d = adm.describe_consumer_groups([group])[group].result(10)
            desc = (str(d.type), str(d.state), len(d.members),
                    sorted(len(m.assignment.topic_partitions) for m in d.members))
        except Exception as e:  # noqa: BLE001 - reported
            desc = ("error", repr(e))
        print("info %s.describe: %s" % (label, desc), flush=True)
        if label.startswith("D.kafkars"):
            check("%s.describe-consumer-group" % label,
                  desc == ("ConsumerGroupType.CONSUMER", "ConsumerGroupState.STABLE", 2, [3, 3]),
                  "described %s" % (desc,))
        errs = []
        for c in cons:
            try:
                c.commit(asynchronous=False)
            except ck.KafkaException as e:
                errs.append(str(e))
        check("%s.commit-with-member-epoch" % label, not errs, "errors: %s" % errs)
        cons[1].close()
        rest = cons[:1]
        cons = rest
        took = poll_until(rest, lambda: len(owned[0]) == 6, 30)
        check("%s.leaver's-partitions-go-to-the-other" % label, took, "owned=%s" % owned[0])
        cons[0].close()
        cons = []
        for i in range(6):
            p.produce(topic, value=b"late%d" % i, partition=i)
        p.flush(20)
        seen.clear()
        owned[0] = set()
        c3 = member(0)
        cons = [c3]
        resumed = poll_until(cons, lambda: len(owned[0]) == 6 and len(seen) >= 6, 30)
        time.sleep(1)
        poll_until(cons, lambda: False, 1)
        offs = sorted(o for _, o in seen)
        check("%s.restarted-member-resumes-from-commits" % label,
              resumed and len(seen) == 6 and offs == [10] * 6,
              "owned=%s consumed=%s" % (owned[0], sorted(seen)[:12]))
    finally:
        _close_all(cons)


def d_manual(ck, proc, bs, label):
    """rd_kafka_mock_cgrp_consumer_target_assignment through mock_cluster.py's command
    line: a genuine 2.16 member moves to the manual target and back to the assignor."""
    topic, group = "k848", uniq("k848m")

    def cmd(line):
        proc.stdin.write(line + "\n")
        proc.stdin.flush()
        return proc.stdout.readline().strip()

    c = ck.Consumer({"bootstrap.servers": bs, "group.id": group, "group.protocol": "consumer"})
    try:
        c.subscribe([topic])

        def wait(want, timeout):
            deadline = time.monotonic() + timeout
            got = set()
            while time.monotonic() < deadline:
                c.poll(0.1)
                got = {tp.partition for tp in c.assignment()}
                if got == want:
                    break
            return got

        got = wait(set(range(6)), 20)
        check("%s.sole-member-gets-6" % label, got == set(range(6)), "got %s" % got)
        answer = cmd("cgrp_consumer_target_assignment %s %s=%s:1,%s:4" % (group, c.memberid(), topic, topic))
        got = wait({1, 4}, 15)
        check("%s.manual-target-assignment" % label, answer == "OK" and got == {1, 4},
              "answer %r, got %s" % (answer, got))
        answer = cmd("cgrp_consumer_target_assignment %s" % group)
        got = wait(set(range(6)), 15)
        check("%s.cleared-back-to-the-assignor" % label, answer == "OK" and got == set(range(6)),
              "answer %r, got %s" % (answer, got))
    finally:
        c.close()


def section_d():
    import confluent_kafka as ck
    mock_py = os.path.join(ROOT, "tests", "brokers", "mock_cluster.py")
    for label, cmd in (
        ("D.kafkars-mock", [VENV_PY, "-m", "kafkars.mock", "--brokers", "3", "--topic", "k848:6"]),
        ("D.rdkafka-mock", [VENV_PY, mock_py, "--brokers", "3", "--topic", "k848:6"]),
    ):
        p, bs = start_broker(label, cmd)
        try:
            if bs:
                t = time.monotonic()
                run(label, d_kip848, ck, bs, label)
                print("%s: %.1f s" % (label, time.monotonic() - t), flush=True)
        finally:
            stop_broker(p)
    compat = os.path.join(ROOT, "build", "compat", "librdkafka.so.1")
    for label, extra in (("D.rdkafka-mock-api", []), ("D.kafkars-mock-api", ["--lib", compat])):
        p, bs = start_broker(label, [VENV_PY, mock_py, "--brokers", "3", "--topic", "k848:6"] + extra)
        try:
            if bs:
                run(label, d_manual, ck, p, bs, label)
        finally:
            stop_broker(p)


# ---------------------------------------------------------------- E. KIP-932 share groups


def section_e():
    import confluent_kafka as ck
    import own_mock_share as share
    h = sys.modules[__name__]
    mock_py = os.path.join(ROOT, "tests", "brokers", "mock_cluster.py")
    compat = os.path.join(ROOT, "build", "compat", "librdkafka.so.1")
    for label, extra in (("E.rdkafka-mock", []), ("E.kafkars-mock", ["--lib", compat])):
        p, bs = start_broker(label, [VENV_PY, mock_py, "--brokers", "3", "--topic", share.TOPIC + ":4"] + extra)
        try:
            if bs:
                t = time.monotonic()
                run(label, share.e_share, h, ck, p, bs, label)
                run(label + "-manual", share.e_manual, h, ck, p, bs, label + "-manual")
                import kafkars
                mods = (("genuine", ck), ("kafkars", kafkars))
                run(label + "-fatal", share.e_fatal, h, mods, p, bs, label + "-fatal")
                print("%s: %.1f s" % (label, time.monotonic() - t), flush=True)
        finally:
            stop_broker(p)


def main():
    threading.Thread(target=_watchdog, daemon=True).start()
    only = os.environ.get("OWN_MOCK_ONLY")
    try:
        if only not in ("D", "E"):
            section_a()
            run("B/C", section_bc)
        if only in (None, "", "D"):
            run("D", section_d)
        if only in (None, "", "E"):
            run("E", section_e)
    finally:
        _stop_procs()
    print("runtime: %.1f s" % (time.monotonic() - T0))
    print("%d passed, %d failed" % (len(PASSED), len(FAILED)), flush=True)
    # clients' background threads must not keep us alive or hang interpreter exit
    sys.stdout.flush()
    os._exit(1 if FAILED else 0)


if __name__ == "__main__":
    main()
