#!/usr/bin/env python3
"""One KIP-848 scenario as a client process, for tests/python/kip848.py.

Usage: kip848_client.py SCENARIO BOOTSTRAP TOPIC [ARG]
Runs with whatever librdkafka the process has: the pip wheel's (genuine 2.16) or
kafkars' (LD_PRELOAD=build/lib/libkafkars.so). Prints "rec: KEY VALUE" lines that the
driver checks and compares between the two libraries; commands for the broker (the
mock's fault injection) are printed as "cmd: LINE" and acknowledged on stdin.
Every wait is bounded.
"""

import json
import sys
import time

import importlib
import os

ck = importlib.import_module(os.environ.get("KIP848_MODULE", "confluent_kafka"))

SCENARIO, BS, TOPIC = sys.argv[1], sys.argv[2], sys.argv[3]
ARG = sys.argv[4] if len(sys.argv) > 4 else ""
PARTS = 6


def rec(key, value):
    print("rec: %s %s" % (key, json.dumps(value, sort_keys=True)), flush=True)


def broker(line):
    """Asks the driver to run a mock command; returns its answer."""
    print("cmd: %s" % line, flush=True)
    return sys.stdin.readline().strip()


class Member:
    """A group.protocol=consumer member recording its incremental rebalances."""

    def __init__(self, group, **extra):
        conf = {"bootstrap.servers": BS, "group.id": group, "group.protocol": "consumer",
                "auto.offset.reset": "earliest", "enable.auto.commit": False}
        conf.update(extra)
        self.stats = None
        if "statistics.interval.ms" in conf:
            conf["stats_cb"] = self._stats
        self.c = ck.Consumer(conf)
        self.owned = set()
        self.events = []
        self.lost = []
        self.last = {}
        self.errors = []

    def _stats(self, s):
        self.stats = json.loads(s)

    def subscribe(self, topics):
        def on_assign(c, parts):
            self.events.append(("assign", sorted(p.partition for p in parts)))
            self.owned |= {(p.topic, p.partition) for p in parts}

        def on_revoke(c, parts):
            self.events.append(("revoke", sorted(p.partition for p in parts)))
            self.owned -= {(p.topic, p.partition) for p in parts}

        def on_lost(c, parts):
            self.lost.append(sorted(p.partition for p in parts))
            self.owned -= {(p.topic, p.partition) for p in parts}

        self.c.subscribe(topics, on_assign=on_assign, on_revoke=on_revoke, on_lost=on_lost)

    def poll(self, t=0.1):
        m = self.c.poll(t)
        if m is None:
            return
        if m.error():
            self.errors.append(m.error().name())
            return
        self.last[(m.topic(), m.partition())] = m.offset()

    def parts(self):
        return sorted(p for _, p in self.owned)

    def read_all(self, per_part):
        return all(self.last.get(tp) == per_part - 1 for tp in self.owned)


def until(members, done, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not done():
        for m in members:
            m.poll()
    return done()


def produce(n_per_part, prefix=b"m", keep=None):
    p = ck.Producer({"bootstrap.servers": BS, "linger.ms": 5})
    for i in range(n_per_part * PARTS):
        p.produce(TOPIC, value=prefix + b"%d" % i, partition=i % PARTS)
    if keep is not None:
        keep.append(p)  # the caller decides when its connections close
    return p.flush(20) == 0


def committed(c):
    tps = [ck.TopicPartition(TOPIC, i) for i in range(PARTS)]
    return sorted((tp.partition, tp.offset) for tp in c.committed(tps, timeout=10))


def s_group(group):
    """Two members split 6 partitions, commit with their member epochs, one leaves and the
    other takes all, a restarted member resumes from the commits."""
    rec("produced", produce(10))
    a, b = Member(group, **{"statistics.interval.ms": 200}), Member(group)
    a.subscribe([TOPIC])
    rec("a-alone-gets-6", until([a], lambda: len(a.owned) == 6, 20))
    rec("protocol", a.c.rebalance_protocol() if hasattr(a.c, "rebalance_protocol") else "n/a")
    rec("memberid-set", len(a.c.memberid() or "") > 0)
    b.subscribe([TOPIC])
    split = until([a, b], lambda: len(a.owned) == 3 and len(b.owned) == 3 and not a.owned & b.owned
                  and a.read_all(10) and b.read_all(10), 30)
    rec("split-3-3", split)
    rec("a-revoked-3-then-no-assign-needed", [e for e in a.events if e[0] == "revoke"][:1] and
        len([e for e in a.events if e[0] == "revoke"][0][1]) == 3)
    rec("b-assigned-incrementally", [len(e[1]) for e in b.events if e[0] == "assign"])
    until([a, b], lambda: a.stats is not None and a.stats.get("cgrp", {}).get("assignment_size") == 3, 5)
    cg = (a.stats or {}).get("cgrp", {})
    rec("stats-cgrp", {k: cg.get(k) for k in ("state", "join_state", "assignment_size")})
    errs = []
    for m in (a, b):
        try:
            m.c.commit(asynchronous=False)
        except ck.KafkaException as e:
            errs.append(e.args[0].name())
    rec("commit-errors", errs)
    rec("committed", committed(a.c))
    b.c.close()
    rec("takeover-6", until([a], lambda: len(a.owned) == 6, 20))
    a.c.close()
    rec("produced-late", produce(1, b"late"))
    c = Member(group)
    c.subscribe([TOPIC])
    got = {}
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and len(got) < 6:
        m = c.c.poll(0.1)
        if m is not None and not m.error():
            got.setdefault(m.partition(), m.offset())
    rec("resumed-at", sorted(got.items()))
    c.c.close()


def s_fenced(group):
    """An injected FENCED_MEMBER_EPOCH: the assignment is lost, the member rejoins with
    the same member id and gets its partitions back."""
    a = Member(group)
    a.subscribe([TOPIC])
    rec("joined-6", until([a], lambda: len(a.owned) == 6, 20))
    mid = a.c.memberid()
    rec("push", broker("push_request_errors ConsumerGroupHeartbeat FENCED_MEMBER_EPOCH"))
    rec("lost-6", until([a], lambda: a.lost == [list(range(6))], 20))
    rec("back-6", until([a], lambda: len(a.owned) == 6, 20))
    rec("same-member-id", a.c.memberid() == mid)
    a.c.close()


def s_static(group):
    """A static member closes (epoch -2) and its next instance gets the same partitions
    with no rebalance for the other member."""
    a = Member(group, **{"group.instance.id": "inst-a"})
    b = Member(group, **{"group.instance.id": "inst-b"})
    a.subscribe([TOPIC])
    b.subscribe([TOPIC])
    rec("split", until([a, b], lambda: len(a.owned) == 3 and len(b.owned) == 3, 30))
    before = a.parts()
    b_events = len(b.events)
    a.c.close()
    a2 = Member(group, **{"group.instance.id": "inst-a"})
    a2.subscribe([TOPIC])
    rec("same-partitions-back", until([a2, b], lambda: a2.parts() == before, 20))
    until([a2, b], lambda: False, 1)
    rec("other-member-untouched", len(b.events) == b_events)
    a2.c.close()
    b.c.close()


def s_regex(group):
    """A regex subscription is matched by the coordinator."""
    a = Member(group)
    a.subscribe(["^%s.*" % ARG])
    rec("matched", until([a], lambda: len(a.owned) == 4, 20))
    rec("topics", sorted({t[len(ARG):] for t, _ in a.owned}))
    a.c.close()


def s_maxpoll(group):
    """A member that stops polling leaves: the other gets everything and the stalled
    one sees _MAX_POLL_EXCEEDED, then rejoins when it polls again."""
    a = Member(group, **{"max.poll.interval.ms": 3000})
    b = Member(group)
    a.subscribe([TOPIC])
    b.subscribe([TOPIC])
    rec("split", until([a, b], lambda: len(a.owned) == 3 and len(b.owned) == 3, 30))
    rec("other-takes-6", until([b], lambda: len(b.owned) == 6, 20))
    until([a], lambda: "_MAX_POLL_EXCEEDED" in a.errors, 5)
    rec("max-poll-error", "_MAX_POLL_EXCEEDED" in a.errors)
    rec("back-3-3", until([a, b], lambda: len(a.owned) == 3 and len(b.owned) == 3, 30))
    a.c.close()
    b.c.close()


def s_config(_group):
    """Properties the consumer protocol refuses, with librdkafka's texts."""
    for prop, val in (("session.timeout.ms", "10000"), ("heartbeat.interval.ms", "1000"),
                      ("partition.assignment.strategy", "range"), ("group.protocol.type", "x")):
        try:
            ck.Consumer({"bootstrap.servers": BS, "group.id": "g", "group.protocol": "consumer", prop: val})
            rec(prop, "accepted")
        except ck.KafkaException as e:
            rec(prop, str(e.args[0].str()))


def s_member(group):
    """A member of a mixed group (genuine and kafkars processes): reports its share,
    then either closes or takes over what the other gives up, as the driver says."""
    group, want = ARG.split(":")
    a = Member(group)
    a.subscribe([TOPIC])
    rec("share", until([a], lambda: len(a.owned) == int(want), 30))
    if broker("mixed-ready") == "stay":
        rec("takes-all", until([a], lambda: len(a.owned) == PARTS, 20))
    a.c.close()


def s_share(_group):
    """A member of a mixed share group (KIP-932): takes records for a while, accepting
    each, and reports which it got and with what delivery count."""
    group, produce_n = ARG.split(":")
    c = ck.ShareConsumer({"bootstrap.servers": BS, "group.id": group,
                          "share.acknowledgement.mode": "explicit"})
    c.subscribe([TOPIC])
    settle = time.monotonic() + 3
    while time.monotonic() < settle:
        c.poll(0.2)
    # Both members are in the group before anything is produced.
    broker("share-ready")
    # The producer stays open until the end: librdkafka's mock drops every member's share
    # sessions on a broker when any connection to it closes, and so releases records lent
    # and not yet acknowledged (they would come back with delivery count 2).
    producer = []
    if int(produce_n):
        rec("produced", produce(int(produce_n) // PARTS, keep=producer))
    got, last = [], time.monotonic()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and (not got or time.monotonic() - last < 3):
        for m in c.poll(0.2):
            if not m.error():
                got.append([m.partition(), m.offset(), m.delivery_count()])
                c.acknowledge(m)
                last = time.monotonic()
    c.commit_sync()
    rec("got", sorted(got))
    c.close()
    producer.clear()


SCENARIOS = {"group": s_group, "fenced": s_fenced, "static": s_static, "regex": s_regex,
             "maxpoll": s_maxpoll, "config": s_config, "member": s_member, "share": s_share}

if __name__ == "__main__":
    rec("lib", ck.libversion()[0])
    SCENARIOS[SCENARIO]("%s-%s-%d" % (SCENARIO, TOPIC, int(time.time() * 1000) % 100000000))
    rec("done", True)
