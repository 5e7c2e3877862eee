#!/usr/bin/env python3
"""Admin API on real brokers: genuine librdkafka 2.16 vs kafkars, through admin_cli.

Usage: brokers.py --cli PATH --genuine-lib DIR --kafkars-lib DIR --keep DIR
       brokers.py lane --cli PATH --lib DIR --broker mock|tansu --out FILE   (internal)

Runs the same sequence of admin_cli calls ("steps", see steps()) four times, each on its
own fresh broker: {genuine, kafkars} x {librdkafka's 3-broker mock cluster, Tansu}. The four
lanes run in parallel (separate processes). Each lane first gives its broker the same state
(topics, fixed partition leaders, produced records, a consumer group whose member has
committed; all made with the pip wheel's confluent_kafka, i.e. genuine librdkafka, whatever
the lane), then runs the steps in order (some change the state: topics created and deleted,
offsets altered, the member leaving, brokers stopped). Every step's output on kafkars is then
compared with genuine's on the same kind of broker, after replacing only what differs between
two runs of the same library (ports, the mock's random cluster id, topic ids, member ids,
wall-clock timestamps, and genuine's two texts for one timeout, see normalize()). The exit
status must match too, except where genuine crashes (NOTES.md): then kafkars must exit 0 and
report an error, and what genuine printed before dying must match. One more check per broker:
kafkars must not call the error_cb, which admin_cli sets but never serves with
rd_kafka_poll() (genuine then queues client errors as Error events on the main queue).

Outcomes listed in known_differences.txt (genuine clearly wrong) print as
"ok - ... # KNOWN DIFF: reason" as long as kafkars exits 0 and reports an error there.
Prints "ok - ..." / "not ok - ..." per check and "N passed, M failed" last; exit 1 on any
failure. --keep DIR receives each lane's record (<lib>-<broker>.json), the brokers' logs and,
when something differs, diffs.txt (unified diffs of the normalized outputs, with stderr).
"""

import argparse
import json
import os
import re
import select
import signal
import subprocess
import sys
import threading
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BROKERS = os.path.join(ROOT, "tests", "brokers")

LANE_TIMEOUT = 150  # seconds, whole lane (broker start to stop)

# ---------------------------------------------------------------------------
# Broker state every lane sets up before its steps.

MOCK_TOPICS = [("orders", 4, 3), ("one", 1, 1)]
TANSU_TOPICS = [("orders", 4)]
# Records produced per partition of "orders" ("one" stays empty).
RECORDS = {0: 10, 1: 20, 2: 30, 3: 5}
GROUP = "g1"


class Broker:
    """A launcher from tests/brokers/ (line protocol on stdin/stdout), always stopped."""

    def __init__(self, kind, log):
        self.kind = kind
        self.log = log
        if kind == "mock":
            cmd = [sys.executable, os.path.join(BROKERS, "mock_cluster.py"), "--brokers", "3",
                   "--controller-id", "1", "--rebalance-delay-ms", "0"]
            for name, parts, rf in MOCK_TOPICS:
                cmd += ["--topic", "%s:%d:%d" % (name, parts, rf)]
        else:
            cmd = [sys.executable, os.path.join(BROKERS, "tansu.py")]
            for name, parts in TANSU_TOPICS:
                cmd += ["--topic", "%s:%d" % (name, parts)]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=log, text=True, bufsize=1)
        line = self._readline(40)
        if not line.startswith("BOOTSTRAP "):
            self.stop()
            raise RuntimeError("%s launcher: %r" % (kind, line))
        self.bootstrap = line.split()[1]

    def _readline(self, timeout):
        r, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not r:
            return "(no answer within %ss)" % timeout
        return self.proc.stdout.readline().strip()

    def cmd(self, *argv):
        self.proc.stdin.write(" ".join(str(a) for a in argv) + "\n")
        self.proc.stdin.flush()
        ans = self._readline(30)
        if not ans.startswith("OK"):
            raise RuntimeError("%s %s: %s" % (self.kind, " ".join(map(str, argv)), ans))
        return ans[2:].strip()

    def stop(self):
        p = self.proc
        if p.poll() is None:
            try:
                p.stdin.close()
            except OSError:
                pass
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(5)


def produce(bootstrap):
    from confluent_kafka import Producer

    p = Producer({"bootstrap.servers": bootstrap, "linger.ms": 5, "acks": "all"})
    failed = []

    def dr(err, msg):
        if err:
            failed.append(str(err))

    for part, n in RECORDS.items():
        for i in range(n):
            p.produce("orders", value=b"v%d-%d" % (part, i), key=b"k%d" % i, partition=part,
                      on_delivery=dr)
    left = p.flush(30)
    if left or failed:
        raise RuntimeError("produce: %d left, failures %s" % (left, failed[:3]))


class Member:
    """A genuine-librdkafka consumer in GROUP: reads everything from "orders", commits
    offsets one short of each partition's end (so they differ from the end offsets), and
    stays in the group (Stable) until close()."""

    def __init__(self, bootstrap):
        from confluent_kafka import Consumer, TopicPartition

        self.c = Consumer({"bootstrap.servers": bootstrap, "group.id": GROUP,
                           "client.id": "brokers-member", "session.timeout.ms": 6000,
                           "heartbeat.interval.ms": 500, "enable.auto.commit": False,
                           "auto.offset.reset": "earliest",
                           "partition.assignment.strategy": "range"})
        self.c.subscribe(["orders"])
        want = sum(RECORDS.values())
        got = 0
        deadline = time.time() + 30
        while time.time() < deadline and got < want:
            m = self.c.poll(0.2)
            if m is not None and not m.error():
                got += 1
        if got < want:
            raise RuntimeError("member read %d of %d records" % (got, want))
        offs = [TopicPartition("orders", p, n - 1) for p, n in sorted(RECORDS.items())]
        self.c.commit(offsets=offs, asynchronous=False)

    def close(self):
        self.c.close()


# ---------------------------------------------------------------------------
# The steps. ("id", [admin_cli args...], {options}) or ("id", callable(lane)) for actions.
# Options: sort=True (-s: fan-out results in arrival order), wait=ms (-t).

ACL_ANY = "any:-:any:-:-:any:any"
ACL_T1 = "topic:orders:literal:User\\:alice:*:read:allow"


def steps(broker):
    mock = broker == "mock"
    b2 = "2" if mock else "111"
    s = []
    add = lambda sid, args, **o: s.append((sid, args, o))  # noqa: E731
    act = lambda sid, fn: s.append((sid, fn, None))  # noqa: E731

    # -- cluster and topics (read only) --
    add("describe_cluster", ["describe_cluster"])
    add("describe_cluster.set_broker", ["-o", "broker=" + b2, "describe_cluster"])
    add("describe_cluster.authorized_ops", ["-o", "include_authorized_operations=1", "describe_cluster"])
    add("describe_topics", ["describe_topics", "orders", "nope"] + (["one"] if mock else []))
    add("describe_topics.authorized_ops", ["-o", "include_authorized_operations=1", "describe_topics", "orders"])
    add("describe_topics.none", ["describe_topics"])
    add("describe_topics.duplicates", ["describe_topics", "orders", "orders"])
    add("describe_topics.set_broker", ["-o", "broker=" + b2, "describe_topics", "orders"])
    add("describe_topics.empty_name", ["describe_topics", "orders", ""])
    add("describe_topics.bad_option", ["-o", "validate_only=1", "-o", "request_timeout=-5",
                                       "describe_topics", "orders"])

    # -- create / delete topics, partitions --
    add("create_topics", ["create_topics", "new1:3:1", "new2:1:1:cleanup.policy=compact"])
    add("create_topics.exists", ["create_topics", "new1:3:1", "orders:1:1"])
    add("create_topics.validate_only", ["-o", "validate_only=1", "-o", "operation_timeout=5000",
                                        "create_topics", "vo:2:1"])
    add("create_topics.defaults", ["create_topics", "dflt:-1:-1"])
    add("create_topics.zero_partitions", ["create_topics", "zero:0:1"])
    add("create_topics.assignment", ["create_topics", "asg:@%s;%s" % (b2, b2)])
    add("create_topics.bad_partitions", ["create_topics", "bad:-5:1"])
    add("create_topics.bad_rf", ["create_topics", "bad:1:-7"])
    add("create_topics.assignment_and_rf", ["create_topics", "bad:@1;1:1"])
    add("create_topics.none", ["create_topics"])
    add("create_topics.duplicates", ["create_topics", "dup:1:1", "dup:1:1"])
    add("create_topics.operation_timeout_0", ["-o", "operation_timeout=0", "create_topics", "ot:1:1"])
    add("create_topics.bad_option", ["-o", "include_authorized_operations=1", "-o",
                                     "isolation_level=1", "create_topics", "opt:1:1"])
    add("describe_topics.created", ["describe_topics", "new1", "new2", "vo", "dflt", "zero", "asg"])
    add("delete_topics", ["delete_topics", "new1", "nope"])
    add("delete_topics.again", ["delete_topics", "new1"])
    add("delete_topics.none", ["delete_topics"])
    add("delete_topics.duplicates", ["delete_topics", "dup", "dup"])
    add("describe_topics.after_delete", ["describe_topics", "new1", "new2"])
    add("create_partitions", ["create_partitions", "orders:6"])
    add("create_partitions.assignment", ["create_partitions", "new2:2:@%s" % b2])
    add("create_partitions.none", ["create_partitions"])
    add("create_partitions.bad_count", ["create_partitions", "orders:0"])

    # -- configs --
    add("describe_configs", ["describe_configs", "topic:orders", "broker:" + b2])
    add("describe_configs.unknown_topic", ["describe_configs", "topic:nope"])
    add("describe_configs.group", ["describe_configs", "group:" + GROUP])
    add("describe_configs.none", ["describe_configs"])
    add("describe_configs.two_brokers", ["describe_configs", "broker:1", "broker:2"])
    add("describe_configs.bad_broker_name", ["describe_configs", "broker:abc"])
    add("describe_configs.set_broker", ["-o", "broker=" + b2, "describe_configs", "topic:orders"])
    add("alter_configs", ["alter_configs", "topic:orders:retention.ms=1000"])
    add("alter_configs.validate_only", ["-o", "validate_only=1", "alter_configs",
                                        "topic:orders:retention.ms=1000"])
    add("alter_configs.none", ["alter_configs"])
    add("incremental_alter_configs", ["incremental_alter_configs",
                                      "topic:orders:set:retention.ms=1000,delete:segment.ms=1"])
    add("incremental_alter_configs.broker", ["incremental_alter_configs",
                                             "broker:%s:set:log.retention.ms=1000" % b2])
    add("incremental_alter_configs.validate_only", ["-o", "validate_only=1", "incremental_alter_configs",
                                                    "topic:new2:set:retention.ms=5"])
    add("incremental_alter_configs.none", ["incremental_alter_configs"])
    add("incremental_alter_configs.two_brokers", ["incremental_alter_configs",
                                                  "broker:1:set:a=1", "broker:2:set:a=1"])
    add("incremental_alter_configs.same_key_twice", ["incremental_alter_configs",
                                                     "topic:orders:set:a=1,set:a=2"])
    add("describe_configs.after_alter", ["describe_configs", "topic:orders"])

    # -- offsets of partitions --
    if mock:
        add("list_offsets", ["list_offsets", "orders:0:earliest", "orders:1:latest",
                             "orders:2:latest", "orders:3:max_timestamp", "one:0:latest",
                             "nope:0:latest"])
        add("list_offsets.timestamp", ["list_offsets", "orders:0:1600000000000"])
        add("list_offsets.unknown_partition", ["list_offsets", "orders:9:latest", "orders:0:latest"])
        # Leader fan-out overridden: everything goes to broker 1, which leads 0 and 3 only.
        add("list_offsets.set_broker", ["-o", "broker=1", "list_offsets", "orders:1:latest",
                                        "orders:0:latest", "orders:3:earliest"])
    else:
        add("list_offsets", ["list_offsets", "orders:0:earliest", "orders:1:earliest",
                             "orders:2:latest", "nope:0:latest"])
    add("list_offsets.read_committed", ["-o", "isolation_level=read_committed", "list_offsets",
                                        "orders:1:latest"])
    add("list_offsets.duplicates", ["list_offsets", "orders:0:latest", "orders:0:earliest"])
    add("list_offsets.none", ["list_offsets"])
    add("list_offsets.negative_partition", ["list_offsets", "orders:0:latest", "orders:-1:latest"])
    add("list_offsets.bad_spec", ["list_offsets", "orders:0:latest", "orders:1:-5"])
    add("list_offsets.bad_option", ["-o", "validate_only=1", "list_offsets", "orders:0:earliest"])
    add("elect_leaders", ["elect_leaders", "preferred", "orders:0", "orders:1"])
    add("elect_leaders.all", ["elect_leaders", "unclean"])
    add("elect_leaders.duplicates", ["elect_leaders", "preferred", "orders:0", "orders:0"])

    # -- ACLs --
    add("describe_acls", ["describe_acls", ACL_ANY])
    add("describe_acls.topic", ["describe_acls", "topic:orders:literal:-:-:any:any"])
    add("delete_acls", ["delete_acls", ACL_ANY])
    add("delete_acls.none", ["delete_acls"])
    add("create_acls.none", ["create_acls"])
    add("create_acls.bad_pattern", ["create_acls", "topic:orders:any:User\\:alice:*:read:allow"])
    add("create_acls", ["create_acls", ACL_T1])

    # -- SCRAM --
    add("describe_user_scram_credentials", ["describe_user_scram_credentials"])
    add("describe_user_scram_credentials.user", ["describe_user_scram_credentials", "alice"])
    add("describe_user_scram_credentials.duplicates", ["describe_user_scram_credentials",
                                                       "alice", "alice"])
    add("alter_user_scram_credentials", ["alter_user_scram_credentials",
                                         "upsert:alice:sha256:4096:secret:salty",
                                         "delete:bob:sha512"])
    add("alter_user_scram_credentials.unknown_mech", ["alter_user_scram_credentials",
                                                      "upsert:alice:sha256:4096:pw",
                                                      "delete:bob:unknown"])
    add("alter_user_scram_credentials.none", ["alter_user_scram_credentials"])

    # -- groups: a member is in g1 and has committed --
    add("list_consumer_groups", ["list_consumer_groups"], sort=True)
    add("list_consumer_groups.states", ["-o", "match_consumer_group_states=Stable,Empty",
                                        "list_consumer_groups"], sort=True)
    add("list_consumer_groups.types", ["-o", "match_consumer_group_types=classic",
                                       "list_consumer_groups"], sort=True)
    add("list_consumer_groups.empty_states", ["-o", "match_consumer_group_states=",
                                              "list_consumer_groups"], sort=True)
    add("list_consumer_groups.bad_options", ["-o", "match_consumer_group_states=Stable,Stable",
                                             "-o", "match_consumer_group_types=unknown",
                                             "-o", "match_consumer_group_types=consumer,consumer",
                                             "-o", "match_consumer_group_states=9",
                                             "list_consumer_groups"], sort=True)
    add("list_consumer_groups.set_broker", ["-o", "broker=" + b2, "list_consumer_groups"])
    add("describe_consumer_groups", ["describe_consumer_groups", GROUP])
    add("describe_consumer_groups.unknown", ["describe_consumer_groups", "nogroup"])
    add("describe_consumer_groups.authorized_ops", ["-o", "include_authorized_operations=1",
                                                    "describe_consumer_groups", GROUP])
    add("describe_consumer_groups.none", ["describe_consumer_groups"])
    add("describe_consumer_groups.set_broker", ["-o", "broker=" + b2, "describe_consumer_groups",
                                                "nogroup"])
    add("describe_consumer_groups.duplicates", ["describe_consumer_groups", GROUP, GROUP])
    add("list_consumer_group_offsets", ["list_consumer_group_offsets", GROUP])
    add("list_consumer_group_offsets.some", ["list_consumer_group_offsets", GROUP, "orders:3",
                                             "nope:0", "orders:1"])
    add("list_consumer_group_offsets.require_stable", ["-o", "require_stable_offsets=1",
                                                       "list_consumer_group_offsets", GROUP,
                                                       "orders:0"])
    add("list_consumer_group_offsets.unknown_group", ["list_consumer_group_offsets", "nogroup"])
    add("list_consumer_group_offsets.duplicates", ["list_consumer_group_offsets", GROUP,
                                                   "orders:0", "orders:0"])
    add("alter_consumer_group_offsets.active_member", ["alter_consumer_group_offsets", GROUP,
                                                       "orders:0:1"])
    act("member_leaves", lambda lane: lane.member_close())
    add("alter_consumer_group_offsets", ["alter_consumer_group_offsets", GROUP, "orders:2:7:meta",
                                         "orders:0:3"])
    add("alter_consumer_group_offsets.new_group", ["alter_consumer_group_offsets", "g2",
                                                   "orders:1:4", "orders:3:2:m2"])
    add("alter_consumer_group_offsets.duplicates", ["alter_consumer_group_offsets", "g2",
                                                    "orders:1:4", "orders:1:5"])
    add("alter_consumer_group_offsets.negative", ["alter_consumer_group_offsets", "g2",
                                                  "orders:1:-1"])
    add("list_consumer_group_offsets.after_alter", ["list_consumer_group_offsets", GROUP])
    add("list_consumer_group_offsets.new_group", ["list_consumer_group_offsets", "g2",
                                                  "orders:3", "orders:1"])
    for b in (["1", "2", "3"] if mock else ["111"]):
        add("list_consumer_group_offsets.set_broker_" + b, ["-o", "broker=" + b,
                                                            "list_consumer_group_offsets", "g2",
                                                            "orders:1"])
    add("delete_consumer_group_offsets", ["delete_consumer_group_offsets", "g2", "orders:1"])
    add("delete_consumer_group_offsets.none", ["delete_consumer_group_offsets", "g2"])
    add("delete_groups", ["delete_groups", "g2", "nogroup"])
    add("delete_groups.none", ["delete_groups"])
    add("delete_groups.duplicates", ["delete_groups", "g2", "g2"])
    add("list_consumer_group_offsets.after_delete", ["list_consumer_group_offsets", "g2"])

    # -- records --
    add("delete_records.none", ["delete_records"])
    add("delete_records.duplicates", ["delete_records", "orders:0:1", "orders:0:2"])
    if mock:
        add("delete_records", ["delete_records", "orders:0:5", "orders:2:-1", "nope:0:1"])
        add("delete_records.set_broker", ["-o", "broker=3", "delete_records", "orders:0:5",
                                          "orders:2:1"])
    else:
        # Tansu's DeleteRecords handler is todo!(): it resets the connection.
        add("delete_records", ["delete_records", "orders:0:5"])
        # Tansu answers a max_timestamp lookup by resetting the connection.
        add("list_offsets.max_timestamp", ["list_offsets", "orders:0:max_timestamp",
                                           "orders:1:earliest"])

    # -- routing and timeouts --
    add("set_broker.unknown_id", ["-o", "broker=99", "-o", "request_timeout=1500",
                                  "describe_topics", "orders"], wait=10000)
    add("set_broker.unknown_id_coordinator", ["-o", "broker=99", "-o", "request_timeout=1500",
                                              "list_consumer_group_offsets", GROUP, "orders:0"],
        wait=10000)
    add("set_broker.unknown_id_all_brokers", ["-o", "broker=99", "-o", "request_timeout=1500",
                                              "list_consumer_groups"], wait=10000)
    add("set_broker.unknown_id_leaders", ["-o", "broker=99", "-o", "request_timeout=1500",
                                          "list_offsets", "orders:0:latest"], wait=10000)
    if mock:
        act("broker_2_down", lambda lane: lane.broker.cmd("broker_down", 2))
        add("set_broker.down", ["-o", "broker=2", "-o", "request_timeout=1500",
                                "describe_cluster"], wait=10000)
        add("describe_configs.broker_down", ["-o", "request_timeout=1500",
                                             "describe_configs", "broker:2"], wait=10000)
        act("all_brokers_down", lambda lane: [lane.broker.cmd("broker_down", i) for i in (1, 3)])
    else:
        act("broker_down", lambda lane: lane.broker.cmd("broker_down"))
    add("stopped.describe_topics", ["-o", "request_timeout=1500", "describe_topics", "orders"],
        wait=10000)
    add("stopped.list_consumer_group_offsets", ["-o", "request_timeout=1500",
                                                "list_consumer_group_offsets", GROUP], wait=10000)
    add("stopped.list_offsets", ["-o", "request_timeout=1500", "list_offsets", "orders:0:latest"],
        wait=10000)
    add("stopped.list_consumer_groups", ["-o", "request_timeout=1500", "list_consumer_groups"],
        wait=10000)
    add("stopped.create_topics", ["-o", "request_timeout=1500", "create_topics", "x:1:1"],
        wait=10000)
    return s


# ---------------------------------------------------------------------------
# One lane: one library on one fresh broker.

class Lane:
    def __init__(self, args):
        self.args = args
        self.broker = None
        self.member = None
        self.results = []

    def member_close(self):
        if self.member is not None:
            m, self.member = self.member, None
            m.close()

    def setup(self, log):
        b = self.broker = Broker(self.args.broker, log)
        if self.args.broker == "mock":
            # The mock picks partition leaders at random: fix them.
            for name, parts, rf in MOCK_TOPICS:
                if rf == 3:
                    for p in range(parts):
                        b.cmd("partition_set_leader", name, p, p % 3 + 1)
        produce(b.bootstrap)
        self.member = Member(b.bootstrap)

    def run_cli(self, args, opts):
        wait = opts.get("wait", 15000)
        cmd = [self.args.cli, "-b", self.broker.bootstrap, "-t", str(wait)]
        if opts.get("sort"):
            cmd.append("-s")
        env = dict(os.environ, LD_LIBRARY_PATH=self.args.lib)
        env.pop("LD_PRELOAD", None)
        t0 = time.time()
        try:
            r = subprocess.run(cmd + args, env=env, capture_output=True, text=True,
                               timeout=wait / 1000.0 + 20, errors="replace")
            rc, out, err = r.returncode, r.stdout, r.stderr
        except subprocess.TimeoutExpired as e:
            rc = "hung"
            out = e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
            err = e.stderr.decode(errors="replace") if isinstance(e.stderr, bytes) else (e.stderr or "")
        return {"rc": rc, "stdout": out, "stderr": err, "secs": round(time.time() - t0, 2)}

    def run(self):
        log = open(self.args.out + ".log", "w")
        res = {"lane": "%s/%s" % (self.args.lib, self.args.broker), "steps": [], "ports": []}
        try:
            t0 = time.time()
            self.setup(log)
            res["ports"] = [hp.rsplit(":", 1)[1] for hp in self.broker.bootstrap.split(",")]
            res["setup_secs"] = round(time.time() - t0, 2)
            for sid, what, opts in steps(self.args.broker):
                if opts is None:
                    try:
                        what(self)
                        r = {"action": True, "rc": 0, "stdout": "", "stderr": ""}
                    except Exception as e:  # noqa: BLE001 — recorded
                        r = {"action": True, "rc": "error", "stdout": "", "stderr": str(e)}
                else:
                    r = self.run_cli(what, opts)
                    r["args"] = what
                r["id"] = sid
                res["steps"].append(r)
        except Exception as e:  # noqa: BLE001 — recorded, the parent reports it
            res["error"] = "%s: %s" % (type(e).__name__, e)
        finally:
            try:
                self.member_close()
            except Exception:  # noqa: BLE001
                pass
            if self.broker is not None:
                self.broker.stop()
            log.close()
        with open(self.args.out, "w") as f:
            json.dump(res, f)


# ---------------------------------------------------------------------------
# Normalization: only what differs between two runs of the same library.

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def normalize(text, ports):
    for i, port in enumerate(ports):
        text = re.sub(r"(?<=:)%s\b" % re.escape(port), "PORT%d" % (i + 1), text)
    text = re.sub(r"mockCluster[0-9a-f]+", "mockCluster<id>", text)
    # Topic ids are random; the zero id (unknown topic) is kept.
    text = re.sub(r"topic_id=(?!AAAAAAAAAAAAAAAAAAAAAA )[A-Za-z0-9+/_-]{22} topic_id_bits=-?\d+:-?\d+",
                  "topic_id=<id>", text)
    text = re.sub(UUID, "<uuid>", text)
    text = re.sub(r"\b1[6-9]\d{11}\b", "<timestamp>", text)
    # Genuine's timeout text depends on a race between its deadline timer and its worker
    # (admin_spec.md 1.2): "Timed out <state>" when the worker runs first, else
    # "Failed while <state>: Local: Timed out". Both are genuine's answer to one situation.
    text = re.sub(r"errstr=Timed out (waiting for [^\n]*)",
                  r"errstr=Failed while \1: Local: Timed out", text)
    return text


def event_error(out):
    """The event's err name, from admin_cli's 'event X err=Y' line, or None."""
    m = re.search(r"^event \S+ err=(\S+)", out, re.M)
    return m.group(1) if m else None


def reports_error(out):
    e = event_error(out)
    if e is None:
        return False
    if e != "NO_ERROR":
        return True
    return bool(re.search(r"\berr(or)?=(?!NO_ERROR\b|\(null\))[A-Z_]+", out.split("\n", 1)[1]))


def crashed(rc):
    return isinstance(rc, int) and (rc < 0 or rc >= 128)


def load_known(path):
    known = {}
    if os.path.exists(path):
        for line in open(path):
            line = line.strip()
            if line and not line.startswith("#"):
                key, _, reason = line.partition(" ")
                known[key] = reason.strip()
    return known


def unified(a, b):
    import difflib

    return "".join(difflib.unified_diff(a.splitlines(True), b.splitlines(True), "genuine",
                                        "kafkars", n=1))


def compare(broker, gen, kaf, known, report):
    """Yields (ok, description) per step."""
    gsteps = {s["id"]: s for s in gen["steps"]}
    for k in kaf["steps"]:
        sid = k["id"]
        name = "%s %s" % (broker, sid)
        g = gsteps.get(sid)
        if g is None:
            yield False, name + ": genuine has no such step"
            continue
        if k.get("action") or g.get("action"):
            if k["rc"] != 0 or g["rc"] != 0:
                yield False, "%s (action): genuine %s / kafkars %s" % (name, g["stderr"], k["stderr"])
            continue
        go = normalize(g["stdout"], gen["ports"])
        ko = normalize(k["stdout"], kaf["ports"])
        kkey = "%s:%s" % (broker, sid)
        if crashed(g["rc"]):
            # Genuine crashes here (NOTES.md): kafkars must not, and must report an error;
            # whatever genuine printed before dying must match.
            problems = []
            if k["rc"] != 0:
                problems.append("kafkars exit %s" % k["rc"])
            if not reports_error(ko):
                problems.append("kafkars reports no error")
            if event_error(go) is not None and go != ko:
                problems.append("output differs from what genuine printed before crashing")
            desc = "%s: genuine crashes (exit %s), kafkars exit %s, %s" % (
                name, g["rc"], k["rc"], event_error(ko))
            if problems:
                report.append((broker, sid, g, k, go, ko, "; ".join(problems)))
                yield False, desc + ": " + "; ".join(problems)
            else:
                yield True, desc
            continue
        if go == ko and g["rc"] == k["rc"]:
            yield True, name
            continue
        if kkey in known:
            # Genuine is wrong here; kafkars must still answer, with an error.
            if k["rc"] == 0 and reports_error(ko):
                yield True, "%s # KNOWN DIFF: %s" % (name, known[kkey])
                continue
            report.append((broker, sid, g, k, go, ko, "known difference, but kafkars reports no error"))
            yield False, "%s: known difference, but kafkars exit %s / reports no error" % (name, k["rc"])
            continue
        why = "exit %s vs %s" % (g["rc"], k["rc"]) if go == ko else "output differs"
        report.append((broker, sid, g, k, go, ko, why))
        yield False, "%s: %s" % (name, why)


def main_compare(args):
    tmp = args.keep
    os.makedirs(tmp, exist_ok=True)
    lanes = {}
    procs = []
    for broker in ("mock", "tansu"):
        for lib, libdir in (("genuine", args.genuine_lib), ("kafkars", args.kafkars_lib)):
            out = os.path.join(tmp, "%s-%s.json" % (lib, broker))
            if os.path.exists(out):
                os.unlink(out)
            cmd = [sys.executable, os.path.abspath(__file__), "lane", "--cli", args.cli,
                   "--lib", libdir, "--broker", broker, "--out", out]
            procs.append((lib, broker, out, subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                                                             start_new_session=True)))
    def stop_lanes(*_):
        for _lib, _broker, _out, p in procs:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGKILL)
        sys.exit(1)

    signal.signal(signal.SIGTERM, stop_lanes)
    signal.signal(signal.SIGINT, stop_lanes)
    deadline = time.time() + LANE_TIMEOUT + 30
    for lib, broker, out, p in procs:
        try:
            p.wait(max(1, deadline - time.time()))
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGTERM)
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
        try:
            lanes[(lib, broker)] = json.load(open(out))
        except (OSError, ValueError) as e:
            lanes[(lib, broker)] = {"error": "no result (%s)" % e, "steps": [], "ports": []}

    known = load_known(os.path.join(HERE, "known_differences.txt"))
    passed = failed = 0
    report = []
    for broker in ("mock", "tansu"):
        gen, kaf = lanes[("genuine", broker)], lanes[("kafkars", broker)]
        bad = [("%s lane" % lib, lanes[(lib, broker)]["error"])
               for lib in ("genuine", "kafkars") if lanes[(lib, broker)].get("error")]
        for what, err in bad:
            print("not ok - %s %s: %s" % (broker, what, err))
            failed += 1
        if any(lib == "genuine lane" for lib, _ in bad):
            continue
        checks = list(compare(broker, gen, kaf, known, report))
        # admin_cli sets an error_cb but never calls rd_kafka_poll(): genuine then delivers
        # client errors as Error events on the main queue (admin_cli prints "other-event"),
        # and the callback never runs.
        cb = {lib: [s["id"] for s in lanes[(lib, broker)]["steps"] if "error-cb " in s["stderr"]]
              for lib in ("genuine", "kafkars")}
        desc = "%s error_cb not called without rd_kafka_poll()" % broker
        if cb["kafkars"] and not cb["genuine"]:
            checks.append((False, "%s: kafkars called it in %s" % (desc, ", ".join(cb["kafkars"]))))
        else:
            checks.append((True, desc))
        for ok, desc in checks:
            print(("ok - " if ok else "not ok - ") + desc)
            if ok:
                passed += 1
            else:
                failed += 1
    if report:
        path = os.path.join(tmp, "diffs.txt")
        with open(path, "w") as f:
            for broker, sid, g, k, go, ko, why in report:
                f.write("=== %s %s (%s)\nargs: %s\ngenuine exit %s, kafkars exit %s\n%s\n" % (
                    broker, sid, why, " ".join(k.get("args", [])), g["rc"], k["rc"],
                    unified(go, ko)))
                f.write("--- genuine stderr:\n%s--- kafkars stderr:\n%s\n" % (g["stderr"], k["stderr"]))
        # The normalized differences, in the log itself (the work directory may be gone).
        for broker, sid, g, k, go, ko, why in report:
            print("# --- %s %s (%s): %s" % (broker, sid, why, " ".join(k.get("args", []))))
            for line in unified(go, ko).splitlines()[2:]:
                print("#   " + line)
        print("# the same with stderr: %s (kept with KEEP=DIR)" % path)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "lane":
        ap = argparse.ArgumentParser()
        ap.add_argument("lane")
        ap.add_argument("--cli", required=True)
        ap.add_argument("--lib", required=True)
        ap.add_argument("--broker", required=True, choices=["mock", "tansu"])
        ap.add_argument("--out", required=True)
        args = ap.parse_args()
        # Backstop: a lane never outlives its time.
        threading.Timer(LANE_TIMEOUT, lambda: os._exit(3)).start()
        Lane(args).run()
        os._exit(0)
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cli", required=True)
    ap.add_argument("--genuine-lib", required=True)
    ap.add_argument("--kafkars-lib", required=True)
    ap.add_argument("--keep", required=True, help="directory for the lanes' records and logs")
    sys.exit(main_compare(ap.parse_args()))


if __name__ == "__main__":
    main()
