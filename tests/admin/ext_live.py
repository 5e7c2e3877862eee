#!/usr/bin/env python3
"""kafkars' Admin extensions on real brokers, with kafka-python 3.x as the peer.

Usage: ext_live.py --cli PATH --kafkars-lib DIR

tests/admin_ext_wire.rs proves each extension's bytes and results against kafka-python
on a capture server. This runs the ones a real broker here serves, end to end:

- Tansu (it serves ApiVersions v3-4 with features, ListPartitionReassignments v0 and
  LeaveGroup v0-5): describe_features and list_partition_reassignments, made by kafkars
  (tests/admin/admin_cli.c on build/compat) and by kafka-python (tests/admin/kpy_ext.py)
  on the same broker, must print the same; remove_group_members removes a real member
  (a genuine-librdkafka consumer, whose member id confluent_kafka's memberid() gives)
  and reports UNKNOWN_MEMBER_ID for a member that is not there, by both clients.
- librdkafka's mock cluster (LeaveGroup v0-4, none of the other extension APIs;
  kafka-python 3.0.12 cannot bootstrap from it, so kafkars alone): remove_group_members
  gets the mock's top-level error (it misreads v3+); an API the broker lacks gives the operation's "not
  supported by broker" text, on the event (DescribeFeatures: ApiVersions v3) or on the
  item (DescribeTransactions, after a FindCoordinator for the transactional id).

Prints "ok - ..." / "not ok - ..." per check, then "N passed, M failed".
"""

import argparse
import os
import re
import subprocess
import sys
import threading
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from brokers import Broker  # noqa: E402  (the launchers' line protocol, always stopped)

GROUP = "ext-g"
RESULTS = {"passed": 0, "failed": 0}


def check(name, ok, detail=""):
    RESULTS["passed" if ok else "failed"] += 1
    print("%s - %s" % ("ok" if ok else "not ok", name))
    if not ok and detail:
        for line in detail.rstrip().splitlines():
            print("#   " + line)


class Member:
    """A genuine-librdkafka consumer in GROUP, polled on a thread so that it rejoins
    when removed; member_id() is its current member id."""

    def __init__(self, bootstrap):
        from confluent_kafka import Consumer

        self.c = Consumer({"bootstrap.servers": bootstrap, "group.id": GROUP,
                           "session.timeout.ms": 6000, "heartbeat.interval.ms": 300,
                           "auto.offset.reset": "earliest"})
        self.c.subscribe(["orders"])
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.t = threading.Thread(target=self._run, daemon=True)
        self.t.start()

    def _run(self):
        while not self.stop.is_set():
            with self.lock:
                self.c.poll(0.1)

    def member_id(self, other_than=None, timeout=30):
        """The member id once the consumer has one (and it is not `other_than`)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self.lock:
                m = self.c.memberid()
            if m and m != other_than and self.c.assignment():
                return m
            time.sleep(0.1)
        return None

    def close(self):
        self.stop.set()
        self.t.join(10)
        self.c.close()


def run(cmd, env=None, timeout=60):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    return p.returncode, p.stdout, p.stderr


def kafkars(args, bootstrap, *op):
    env = dict(os.environ, LD_LIBRARY_PATH=args.kafkars_lib)
    return run([args.cli, "-b", bootstrap, "-t", "20000", "-o", "request_timeout=15000"] + list(op),
               env=env)


def kpy(bootstrap, *op):
    return run([sys.executable, os.path.join(HERE, "kpy_ext.py"), "-b", bootstrap, "-t", "20000",
                "-o", "request_timeout=15000"] + list(op))


def texts_aside(out):
    """Error texts set aside (kafka-python keeps no broker message and words its own
    errors otherwise), as admin_ext_wire.rs does; the error names stay."""
    out = re.sub(r"(err=(?!NO_ERROR)[A-Z_0-9]+) errstr=[^\n]*", r"\1", out)
    return re.sub(r"(error=[A-Z_0-9]+): [^\n]*", r"\1", out)


def same(name, a, b):
    (ra, oa, ea), (rb, ob, eb) = a, b
    ok = ra == rb == 0 and texts_aside(oa) == texts_aside(ob)
    check(name, ok, "kafkars (exit %d):\n%s%s\nkafka-python (exit %d):\n%s%s" % (ra, oa, ea, rb, ob, eb))


def tansu(args):
    b = Broker("tansu", sys.stderr)
    member = None
    try:
        bs = b.bootstrap
        # Served (features: none; every partition listed, as Tansu does), and not served
        # (an error on the event, kafka-python's UnsupportedVersionError).
        for what in (["describe_features"], ["list_partition_reassignments"], ["describe_metadata_quorum"],
                     ["list_config_resources"]):
            same("tansu: %s, kafkars and kafka-python alike" % what[0], kafkars(args, bs, *what),
                 kpy(bs, *what))
        member = Member(bs)
        m1 = member.member_id()
        check("tansu: a genuine consumer joined %s" % GROUP, m1 is not None)
        if m1 is None:
            return
        rc, out, err = kafkars(args, bs, "remove_group_members", GROUP, m1, "ghost-member")
        check("tansu: kafkars removes the member and reports the unknown one",
              rc == 0 and "err=NO_ERROR" in out and m1 + " " in out
              and re.search(r"ghost-member .*error=UNKNOWN_MEMBER_ID", out) is not None
              and re.search(re.escape(m1) + r" .*error=\(null\)", out) is not None,
              out + err)
        m2 = member.member_id(other_than=m1)
        check("tansu: the removed consumer rejoined with a new member id", m2 is not None)
        if m2 is None:
            return
        a = kafkars(args, bs, "remove_group_members", GROUP, "ghost-member")
        k = kpy(bs, "remove_group_members", GROUP, "ghost-member")
        same("tansu: an unknown member, kafkars and kafka-python alike", a, k)
        k = kpy(bs, "remove_group_members", GROUP, m2)
        check("tansu: kafka-python removes the rejoined member as kafkars did",
              k[0] == 0 and re.search(re.escape(m2) + r" .*error=\(null\)", k[1]) is not None,
              k[1] + k[2])
    finally:
        if member:
            member.close()
        b.stop()


def mock(args):
    b = Broker("mock", sys.stderr)
    member = None
    try:
        bs = b.bootstrap
        member = Member(bs)
        m1 = member.member_id()
        check("mock: a genuine consumer joined %s" % GROUP, m1 is not None)
        if m1 is not None:
            # The mock misreads LeaveGroup v3+: it reads v0's single member id where the
            # members array is (rdkafka_mock_handlers.c), so no member is ever found; its
            # top-level UNKNOWN_MEMBER_ID is the event's error (Tansu removes members).
            rc, out, err = kafkars(args, bs, "remove_group_members", GROUP, m1)
            check("mock: LeaveGroup v4, which the mock misreads, fails on the event",
                  rc == 0 and "err=UNKNOWN_MEMBER_ID" in out and "members: 0" in out, out + err)
        rc, out, err = kafkars(args, bs, "describe_features")
        check("mock: describe_features without ApiVersions v3 fails on the event",
              rc == 0 and "err=_UNSUPPORTED_FEATURE" in out and "KIP-584" in out, out + err)
        rc, out, err = kafkars(args, bs, "describe_transactions", "tx-1")
        check("mock: describe_transactions without the API fails on the item",
              rc == 0 and "err=NO_ERROR" in out and "_UNSUPPORTED_FEATURE" in out
              and "KIP-664" in out, out + err)
    finally:
        if member:
            member.close()
        b.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--kafkars-lib", required=True)
    args = ap.parse_args()
    for lane in (tansu, mock):
        try:
            lane(args)
        except Exception as e:  # a broker that would not start, a timeout: one failure
            check("%s: ran to the end" % lane.__name__, False, repr(e))
    print("%d passed, %d failed" % (RESULTS["passed"], RESULTS["failed"]))
    return 1 if RESULTS["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
