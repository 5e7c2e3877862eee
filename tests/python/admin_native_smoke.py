#!/usr/bin/env python3
"""Smoke test of kafkars._native._AdminClientImpl (the plain-data admin layer,
notes/python_admin_native.md): every operation once against Tansu, checking the shape
and values of its plain result; where Tansu lacks the API, that the error arrives as
on_done's KafkaError (or per item); then those APIs once more against a small fake
broker (kafka-python 3's protocol classes), checking their success results exactly.
Also bad input, close() with operations pending.

Usage: admin_native_smoke.py [--bootstrap HOST:PORT]   (default: starts Tansu)
Prints TAP-like `ok N - ...` / `not ok N - ...` lines and `N passed, M failed`.
"""

import argparse
import os
import subprocess
import sys
import threading
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "bindings", "python", "python"))
from kafkars import _native as n  # noqa: E402

KE = n.KafkaError
UNSUPPORTED = KE._UNSUPPORTED_FEATURE
RESULTS = {"pass": 0, "fail": 0}


def report(ok, what, detail=""):
    RESULTS["pass" if ok else "fail"] += 1
    num = RESULTS["pass"] + RESULTS["fail"]
    print("%s %d - %s%s" % ("ok" if ok else "not ok", num, what, (": " + detail) if detail else ""), flush=True)


def call(a, op, args, options=None, timeout=20):
    """Runs op; returns (result, error) as on_done got them (TimeoutError if never)."""
    ev, box = threading.Event(), []

    def done(r, e):
        box.append((r, e))
        ev.set()

    a._call(op, args, options if options is not None else {"request_timeout": 10.0}, done)
    if not ev.wait(timeout):
        raise TimeoutError("%s: on_done not called in %ss" % (op, timeout))
    return box[0]


def check(a, op, args, fn, options=None, unsupported_ok=False):
    """Runs op and fn(result) (True or a message); an op-level _UNSUPPORTED_FEATURE is
    fine where Tansu lacks the API (unsupported_ok)."""
    try:
        r, e = call(a, op, args, options)
    except Exception as x:  # noqa: BLE001 - reported
        return report(False, op, "%s: %s" % (type(x).__name__, x))
    if e is not None:
        if unsupported_ok and isinstance(e, KE) and e.code() == UNSUPPORTED and r is None:
            return report(True, "%s (broker lacks it: error delivered)" % op)
        return report(False, op, "error %r" % (e,))
    try:
        v = fn(r)
    except Exception as x:  # noqa: BLE001 - reported
        v = "%s: %s in %r" % (type(x).__name__, x, r)
    report(v is True, op, "" if v is True else str(v))


def err_ok(x, codes=(None,)):
    """x is None or a KafkaError; with codes, its code (None: no error) is one of them."""
    code = None if x is None else x.code()
    return (x is None or isinstance(x, KE)) and (codes is None or code in codes)


def is_node(x):
    return (isinstance(x, tuple) and len(x) == 4 and isinstance(x[0], int) and isinstance(x[1], str)
            and isinstance(x[2], int) and (x[3] is None or isinstance(x[3], str)))


def unsupported_per_item(errs):
    return all(isinstance(e, KE) and e.code() == UNSUPPORTED for e in errs)


def start_tansu():
    cmd = [sys.executable, os.path.join(HERE, "..", "brokers", "tansu.py")]
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = [None]
    t = threading.Thread(target=lambda: line.__setitem__(0, p.stdout.readline()), daemon=True)
    t.start()
    t.join(30)
    if not line[0] or not line[0].startswith("BOOTSTRAP "):
        p.kill()
        sys.exit("Tansu did not start")
    return p, line[0].split()[1]


def core_ops(a, bs):
    T = "smoke_a"
    check(a, "create_topics", [(T, 3, 1, None, {"retention.ms": "60000"}), ("smoke_b", 1, 1, None, None)],
          lambda r: r == [(T, None), ("smoke_b", None)] or r)
    check(a, "create_topics", [(T, 3, 1, None, {})],
          lambda r: (len(r) == 1 and r[0][0] == T and r[0][1].code() == KE.TOPIC_ALREADY_EXISTS) or r)
    check(a, "create_topics", [("smoke_v", 2, 1, None, {})], lambda r: r == [("smoke_v", None)] or r,
          {"validate_only": True, "operation_timeout": 5.0})

    def topics(r):
        (name, tid, internal, err, parts, ops), (n2, tid2, _, err2, parts2, _) = r
        assert name == T and isinstance(tid, bytes) and len(tid) == 16 and tid != bytes(16) and not internal
        assert err is None and ops is None and [p[0] for p in parts] == [0, 1, 2]
        assert all(is_node(p[1]) and all(map(is_node, p[2] + p[3])) for p in parts)
        assert n2 == "smoke_nosuch" and tid2 == bytes(16) and err2.code() == KE.UNKNOWN_TOPIC_OR_PART and parts2 == []
        return True
    check(a, "describe_topics", [T, "smoke_nosuch"], topics)

    def cluster(r):
        cid, ctrl, nodes, ops = r
        assert isinstance(cid, str) and is_node(ctrl) and nodes and all(map(is_node, nodes)) and ops is None
        return nodes[0][0] == 111 or "node id %r" % nodes[0][0]
    check(a, "describe_cluster", None, cluster)

    check(a, "incremental_alter_configs", [(2, T, [("retention.ms", 0, "70000")])],
          lambda r: r == [(2, T, None)] or r)

    def configs(r):
        ((rt, name, err, entries),) = r
        assert (rt, name, err) == (2, T, None)
        e = {x[0]: x for x in entries}["retention.ms"]
        assert len(e) == 8 and isinstance(e[2], int) and all(isinstance(b, bool) for b in e[3:7])
        return e[1] == "70000" or "retention.ms = %r" % (e[1],)
    check(a, "describe_configs", [(2, T)], configs)
    check(a, "alter_configs", [(2, T, {"retention.ms": "80000"})],
          lambda r: (len(r) == 1 and r[0][:2] == (2, T) and err_ok(r[0][2], None)) or r, unsupported_ok=True)
    check(a, "create_partitions", [("smoke_b", 2, None)],
          lambda r: (len(r) == 1 and r[0][0] == "smoke_b" and err_ok(r[0][1], None)) or r, unsupported_ok=True)

    p = n.Producer({"bootstrap.servers": bs})
    for i in range(3):
        p.produce(T, b"v%d" % i, partition=1)
    left = p.flush(10)
    report(left == 0, "produce 3 records for list_offsets", "%d left" % left)

    def offsets(r):
        assert [x[:2] for x in r] == [(T, 0), (T, 1)]
        assert all(len(x) == 6 and isinstance(x[2], int) and isinstance(x[3], int) and err_ok(x[5]) for x in r)
        return r[0][2] == 0 or r
    check(a, "list_offsets", [(T, 0, -2), (T, 1, -1)], offsets, {"isolation_level": 1})

    G = "smoke_g"
    check(a, "alter_consumer_group_offsets", (G, [(T, 0, 1, "md", None), (T, 1, 2, None, 3)]),
          lambda r: (r[0] == G and r[1] is None and [x[:3] for x in r[2]] == [(T, 0, 1), (T, 1, 2)]
                     and all(err_ok(x[5]) for x in r[2])) or r)
    check(a, "list_consumer_group_offsets", (G, None),
          lambda r: (r[:2] == (G, None) and sorted(x[:3] for x in r[2]) == [(T, 0, 1), (T, 1, 2)]) or r,
          {"require_stable_offsets": True})
    check(a, "list_consumer_groups", None,
          lambda r: (any(g[0] == G and isinstance(g[1], bool) and isinstance(g[2], int) and isinstance(g[3], int)
                         for g in r[0]) and isinstance(r[1], list)) or r)

    def groups(r):
        ((gid, err, simple, assignor, state, gtype, coord, members, ops),) = r
        assert gid == G and err is None and isinstance(simple, bool) and isinstance(assignor, str)
        assert isinstance(state, int) and isinstance(gtype, int) and is_node(coord) and ops is None
        return isinstance(members, list) or r
    check(a, "describe_consumer_groups", [G], groups)
    check(a, "delete_consumer_group_offsets", (G, [(T, 0)]),
          lambda r: (r[0] == G and err_ok(r[1], None) and r[2][0][:2] == (T, 0)) or r, unsupported_ok=True)
    check(a, "delete_groups", [G], lambda r: r == [(G, None)] or r)

    check(a, "describe_acls", (1, None, 1, None, None, 1, 1),
          lambda r: (isinstance(r, list) and all(len(x) == 7 for x in r)) or r, unsupported_ok=True)
    # Tansu answers CreateAcls with no results: the whole operation fails (_BAD_MSG).
    try:
        r, e = call(a, "create_acls", [(2, T, 3, "User:alice", "*", 3, 3)])
        ok = (e is not None and r is None) or (isinstance(r, list) and len(r) == 1 and err_ok(r[0], None))
        report(ok, "create_acls (result or whole-operation error)", "%r %r" % (r, e))
    except Exception as x:  # noqa: BLE001 - reported
        report(False, "create_acls", repr(x))
    check(a, "delete_acls", [(1, None, 1, None, None, 1, 1)],
          lambda r: (len(r) == 1 and err_ok(r[0][0], None) and isinstance(r[0][1], list)) or r, unsupported_ok=True)
    check(a, "describe_user_scram_credentials", None,
          lambda r: (isinstance(r, list) and all(len(x) == 3 for x in r)) or r, unsupported_ok=True)
    check(a, "alter_user_scram_credentials",
          [("upsert", "smoke_u", 1, 4096, b"secret", None), ("delete", "smoke_v", 2)],
          lambda r: (sorted(x[0] for x in r) == ["smoke_u", "smoke_v"] and all(err_ok(x[1], None) for x in r)) or r,
          unsupported_ok=True)
    check(a, "elect_leaders", (0, [(T, 0)]),
          lambda r: (len(r) == 1 and r[0][:2] == (T, 0) and err_ok(r[0][2], None)) or r, unsupported_ok=True)


def ext_ops(a):
    T = "smoke_a"
    check(a, "describe_log_dirs", None,
          lambda r: (r and r[0][0] == 111 and (r[0][2] or unsupported_per_item([r[0][1]]))) or r)
    check(a, "alter_replica_log_dirs", [(T, 0, 111, "/tmp/smoke")],
          lambda r: (len(r) == 1 and r[0][:4] == (T, 0, 111, "/tmp/smoke") and err_ok(r[0][4], None)) or r)
    check(a, "describe_metadata_quorum", None,
          lambda r: (len(r) == 6 and isinstance(r[0], int)) or r, unsupported_ok=True)
    check(a, "describe_features", None,
          lambda r: (isinstance(r[0], int) and all(len(f) == 5 for f in r[1])) or r, unsupported_ok=True)
    check(a, "update_features", [("metadata.version", 1, 1)],
          lambda r: (r[0][0] == "metadata.version" and err_ok(r[0][1], None)) or r,
          {"validate_only": True}, unsupported_ok=True)
    check(a, "alter_partition_reassignments", [(T, 0, [111])],
          lambda r: (r[0][:2] == (T, 0) and err_ok(r[0][2], None)) or r, unsupported_ok=True)
    check(a, "list_partition_reassignments", [(T, 0)],
          lambda r: all(len(x) == 5 and all(isinstance(l, list) for l in x[2:]) for x in r) or r,
          unsupported_ok=True)
    check(a, "list_config_resources", [2],
          lambda r: all(isinstance(x[0], str) and x[1] == 2 for x in r) or r, unsupported_ok=True)
    check(a, "remove_group_members", ("smoke_g2", [("smoke_m", None, "bye")]),
          lambda r: (r[0][:2] == ("smoke_m", None) and err_ok(r[0][2], None)) or r, unsupported_ok=True)
    check(a, "list_transactions", None,
          lambda r: (isinstance(r[0], list) and (not r[1] or unsupported_per_item(r[1]))) or r,
          {"match_transaction_states": [2], "match_producer_ids": [1], "transactional_id_pattern": ".*"})
    check(a, "describe_transactions", ["smoke_tx"],
          lambda r: (len(r) == 1 and len(r[0]) == 9 and r[0][0] == "smoke_tx" and err_ok(r[0][1], None)) or r)
    check(a, "describe_producers", [(T, 0)],
          lambda r: (r[0][:2] == (T, 0) and err_ok(r[0][2], None) and isinstance(r[0][3], list)) or r)
    check(a, "abort_transaction", (T, 0, 1000, 0, -1), lambda r: r is None or r, unsupported_ok=True)


# ------------------------------------------------------------------ fake broker
# Tansu lacks many admin APIs; a small fake broker (kafka-python 3's protocol classes)
# answers them, so that their success results are read and checked too.

class FakeBroker:
    """One node (id 1, controller and coordinator) on 127.0.0.1 answering with the
    handlers' dicts (field names as kafka-python's schemas, snake case)."""

    def __init__(self, handlers):
        import importlib
        import pkgutil
        import socket
        import kafka.protocol as kp
        from kafka.protocol.api_message import ApiMessage
        for m in pkgutil.walk_packages(kp.__path__, kp.__name__ + "."):
            try:
                importlib.import_module(m.name)
            except Exception:  # noqa: BLE001 - optional protocol modules
                pass
        self.req, self.resp = {}, {}
        todo = list(ApiMessage.__subclasses__())
        while todo:
            c = todo.pop()
            todo += c.__subclasses__()
            if getattr(c, "_class_version", None) is None and hasattr(c, "_json"):
                (self.req if c.type == "request" else self.resp)[c.API_KEY] = c
        self.handlers = handlers
        self.versions = {k: min(self.resp[k].max_version, self.req[k].max_version) for k in handlers}
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self.accept, daemon=True).start()

    def mk(self, cls, d):
        kw = {}
        for name, f in cls.fields.items():
            if name in d:
                v, t = d[name], f._json.get("type", "")
                sub = t[2:] if t.startswith("[]") else t
                if isinstance(v, list) and v and isinstance(v[0], dict):
                    v = [self.mk(getattr(cls, sub), x) for x in v]
                kw[name] = v
        return cls(**kw)

    def accept(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.serve, args=(c,), daemon=True).start()

    def serve(self, c):
        import struct

        def read(k):
            b = b""
            while len(b) < k:
                x = c.recv(k - len(b))
                if not x:
                    raise EOFError
                b += x
            return b
        try:
            while True:
                data = read(struct.unpack(">i", read(4))[0])
                key, ver, cid = struct.unpack(">hhi", data[:8])
                if key == 18:
                    ver = min(ver, 3)
                    d = {"error_code": 0, "throttle_time_ms": 0, "finalized_features_epoch": 4,
                         "api_keys": [{"api_key": k, "min_version": 0, "max_version": v}
                                      for k, v in sorted({**self.versions, 18: 3}.items())],
                         "supported_features": [{"name": "f1", "min_version": 1, "max_version": 3}],
                         "finalized_features": [{"name": "f1", "min_version_level": 1, "max_version_level": 2}]}
                else:
                    d = self.handlers[key](self.req[key].decode(data, version=ver, header=True))
                r = self.mk(self.resp[key][ver], d)
                r.with_header(correlation_id=cid)
                c.sendall(r.encode(header=True, framed=True))
        except (EOFError, OSError):
            pass
        finally:
            c.close()

    def close(self):
        self.sock.close()


def fake_handlers(port):
    import uuid
    tid = uuid.UUID(bytes=b"\x11" * 16)
    node = {"node_id": 1, "host": "127.0.0.1", "port": port, "rack": None}

    def md(r):
        return {"brokers": [node], "cluster_id": "fake", "controller_id": 1, "topics": [
            {"error_code": 0, "name": t.name, "topic_id": tid, "is_internal": False, "partitions": [
                {"error_code": 0, "partition_index": p, "leader_id": 1, "leader_epoch": 0, "replica_nodes": [1],
                 "isr_nodes": [1], "offline_replicas": []} for p in range(2)]} for t in (r.topics or [])]}

    def fc(r):
        keys = getattr(r, "coordinator_keys", None) or [r.key]
        return dict(error_code=0, node_id=1, host="127.0.0.1", port=port, coordinators=[
            dict(key=k, error_code=0, **{x: node[x] for x in ("node_id", "host", "port")}) for k in keys])

    def parts(r, fn):  # [{name, partitions: [fn(index)]}] per requested topic
        return [{"name": t.name, "partitions": [fn(getattr(p, "partition_index", p))
                                                for p in getattr(t, "partitions", None) or t.partition_indexes]}
                for t in r.topics]
    acl = {"error_code": 0, "resource_type": 2, "resource_name": "t", "pattern_type": 3, "principal": "User:a",
           "host": "*", "operation": 3, "permission_type": 3}
    producer = {"producer_id": 5, "producer_epoch": 2, "last_sequence": 9, "last_timestamp": 77,
                "coordinator_epoch": 3, "current_txn_start_offset": 40}
    voter = {"replica_id": 1, "replica_directory_id": tid, "log_end_offset": 99, "last_fetch_timestamp": 5,
             "last_caught_up_timestamp": 6}
    return {
        3: md, 10: fc,
        37: lambda r: {"results": [{"name": t.name, "error_code": 37 * i, "error_message": "bad" if i else None}
                                   for i, t in enumerate(r.topics)]},
        33: lambda r: {"responses": [{"error_code": 0, "resource_type": x.resource_type,
                                      "resource_name": x.resource_name} for x in r.resources]},
        21: lambda r: {"topics": [{"name": t.name, "partitions": [
            {"partition_index": p.partition_index, "low_watermark": p.offset, "error_code": 0}
            for p in t.partitions]} for t in r.topics]},
        47: lambda r: {"error_code": 0, "topics": parts(r, lambda p: {"partition_index": p, "error_code": 0})},
        30: lambda r: {"results": [{"error_code": 0} for _ in r.creations]},
        31: lambda r: {"filter_results": [{"error_code": 0, "matching_acls": [acl]} for _ in r.filters]},
        43: lambda r: {"error_code": 0, "replica_election_results": [
            {"topic": t.topic, "partition_result": [{"partition_id": p, "error_code": 84} for p in t.partitions]}
            for t in r.topic_partitions]},
        55: lambda r: {"error_code": 0, "topics": [{"topic_name": "__cluster_metadata", "partitions": [
            {"partition_index": 0, "error_code": 0, "leader_id": 1, "leader_epoch": 7, "high_watermark": 99,
             "current_voters": [voter], "observers": []}]}],
            "nodes": [{"node_id": 1, "listeners": [{"name": "CONTROLLER", "host": "127.0.0.1", "port": 9093}]}]},
        57: lambda r: {"error_code": 0, "results": [{"feature": f.feature, "error_code": 0}
                                                    for f in r.feature_updates]},
        45: lambda r: {"error_code": 0, "responses": parts(r, lambda p: {"partition_index": p, "error_code": 0})},
        74: lambda r: {"error_code": 0, "config_resources": [{"resource_name": "t", "resource_type": 2}]},
        65: lambda r: {"transaction_states": [
            {"error_code": 0, "transactional_id": t, "transaction_state": "Ongoing", "transaction_timeout_ms": 60000,
             "transaction_start_time_ms": 123, "producer_id": 5, "producer_epoch": 2,
             "topics": [{"topic": "t", "partitions": [0, 1]}]} for t in r.transactional_ids]},
        66: lambda r: {"error_code": 0, "transaction_states": [
            {"transactional_id": "tx", "producer_id": 5, "transaction_state": "Ongoing"}]},
        61: lambda r: {"topics": parts(r, lambda p: {"partition_index": p, "error_code": 0,
                                                     "active_producers": [producer]})},
        27: lambda r: {"markers": [{"producer_id": m.producer_id, "topics": parts(
            m, lambda p: {"partition_index": p, "error_code": 0})} for m in r.markers]},
        35: lambda r: {"error_code": 0, "results": [{"error_code": 0, "log_dir": "/data", "topics": [
            {"name": "t", "partitions": [{"partition_index": 0, "partition_size": 1000, "offset_lag": 0,
                                          "is_future_key": False}]}],
             "total_bytes": 10 ** 9, "usable_bytes": 10 ** 8}]},
        13: lambda r: {"error_code": 0, "members": [{"member_id": m.member_id, "group_instance_id": m.group_instance_id,
                                                     "error_code": 0} for m in r.members]},
        34: lambda r: {"results": [{"topic_name": t.name, "partitions": [{"partition_index": p, "error_code": 0}
                                                                          for p in t.partitions]}
                                   for d in r.dirs for t in d.topics]},
    }


def fake_ops():
    try:
        import kafka
        if int(kafka.__version__.split(".")[0]) < 3:
            raise ImportError(kafka.__version__)
    except ImportError as e:
        print("# skip fake-broker checks: kafka-python >= 3 needed (%s)" % e)
        return
    fb = FakeBroker({})
    fb.handlers = fake_handlers(fb.port)
    fb.versions = {k: min(fb.resp[k].max_version, fb.req[k].max_version) for k in fb.handlers}
    a = n._AdminClientImpl({"bootstrap.servers": "127.0.0.1:%d" % fb.port})
    me = (1, "127.0.0.1", fb.port, None)
    U = b"\x11" * 16
    try:
        def eq(want):
            return lambda r: r == want or "%r != %r" % (r, want)
        check(a, "create_partitions", [("t", 4, None), ("u", 1, None)],
              lambda r: (r[0] == ("t", None) and r[1][0] == "u" and r[1][1].code() == KE.INVALID_PARTITIONS) or r)
        check(a, "alter_configs", [(2, "t", {"a": "b"})], eq([(2, "t", None)]))
        check(a, "delete_records", [("t", 0, 5), ("t", 1, 7)], eq([("t", 0, 5, None), ("t", 1, 7, None)]))
        check(a, "delete_consumer_group_offsets", ("g", [("t", 0)]), eq(("g", None, [("t", 0, None)])))
        check(a, "create_acls", [(2, "t", 3, "User:a", "*", 3, 3)], eq([None]))
        check(a, "delete_acls", [(2, "t", 3, None, None, 1, 1)], eq([(None, [(2, "t", 3, "User:a", "*", 3, 3)])]))
        check(a, "elect_leaders", (0, [("t", 0)]),
              lambda r: (r[0][:2] == ("t", 0) and r[0][2].code() == KE.ELECTION_NOT_NEEDED) or r)
        check(a, "describe_metadata_quorum", None,
              eq((1, 7, 99, [(1, U, 99, 5, 6)], [], [((1, "127.0.0.1", 9093, None), "CONTROLLER")])))
        check(a, "describe_features", None, eq((4, [("f1", 1, 3, 1, 2)])))
        check(a, "update_features", [("f1", 2, 1)], eq([("f1", None)]))
        check(a, "alter_partition_reassignments", [("t", 0, [1]), ("t", 1, None)],
              eq([("t", 0, None), ("t", 1, None)]))
        check(a, "list_config_resources", None, eq([("t", 2)]))
        check(a, "describe_transactions", ["tx"], eq([("tx", None, me, 2, 5, 2, 60000, 123, [("t", 0), ("t", 1)])]))
        check(a, "list_transactions", None, eq(([("tx", 5, 2, 1)], [])))
        check(a, "describe_producers", [("t", 0)], eq([("t", 0, None, [(5, 2, 9, 77, 3, 40)])]))
        check(a, "abort_transaction", ("t", 0, 5, 2, 3), lambda r: r is None or r)
        check(a, "describe_log_dirs", ([1], None),
              eq([(1, None, [("/data", None, 10 ** 9, 10 ** 8, [("t", 0, 1000, 0, False)])])]))
        check(a, "alter_replica_log_dirs", [("t", 0, 1, "/data2")], eq([("t", 0, 1, "/data2", None)]))
        check(a, "remove_group_members", ("g", [("m1", None, None), (None, "inst", "r")]),
              eq([("m1", None, None), ("", "inst", None)]))
    finally:
        a.close()
        fb.close()


def bad_input(a):
    nop = lambda r, e: None  # noqa: E731
    cases = [
        ("create_topics", "smoke", TypeError), ("create_topics", [("t", "x", 1, None, {})], TypeError),
        ("create_topics", [("t", 1)], ValueError), ("create_topics", [("t", 2 ** 40, 1, None, {})], ValueError),
        ("delete_topics", None, TypeError), ("describe_acls", None, TypeError),
        ("create_acls", [(2, None, 3, "User:x", "*", 3, 3)], n.KafkaException),
        ("alter_user_scram_credentials", [()], ValueError), ("no_such_op", None, ValueError),
        ("remove_group_members", ("g", [(None, None, None)]), n.KafkaException),
    ]
    for op, args, want in cases:
        try:
            a._call(op, args, {}, nop)
            report(False, "bad args %s %r" % (op, args), "no exception")
        except want:
            report(True, "bad args %s %r raise %s" % (op, args, want.__name__))
        except Exception as x:  # noqa: BLE001 - reported
            report(False, "bad args %s %r" % (op, args), "%s: %s" % (type(x).__name__, x))
    for opts, want in [({"bogus": 1}, ValueError), ({"request_timeout": "x"}, TypeError),
                       ({"request_timeout": -5.0}, n.KafkaException), ([1], TypeError)]:
        try:
            a._call("describe_cluster", None, opts, nop)
            report(False, "bad options %r" % (opts,), "no exception")
        except want:
            report(True, "bad options %r raise %s" % (opts, want.__name__))
        except Exception as x:  # noqa: BLE001 - reported
            report(False, "bad options %r" % (opts,), "%s: %s" % (type(x).__name__, x))


def lifecycle(bs, broker):
    # Pending operations get _DESTROY from close(), which neither hangs nor crashes.
    broker.stdin.write("broker_pause\n")
    broker.stdin.flush()
    broker.stdout.readline()
    try:
        a = n._AdminClientImpl({"bootstrap.servers": bs})
        got = []
        for _ in range(2):
            a._call("describe_cluster", None, {"request_timeout": 30.0}, lambda r, e: got.append(e))
        time.sleep(0.3)
        t0 = time.time()
        a.close()
        report(time.time() - t0 < 5 and [e.code() for e in got] == [KE._DESTROY] * 2,
               "close() answers pending operations with _DESTROY", "%r" % got)
        try:
            a._call("describe_cluster", None, {}, lambda r, e: None)
            report(False, "_call after close raises", "no exception")
        except RuntimeError:
            report(True, "_call after close raises RuntimeError")
    finally:
        broker.stdin.write("broker_resume\n")
        broker.stdin.flush()
        broker.stdout.readline()
    # close() from inside on_done (the background thread) works.
    b = n._AdminClientImpl({"bootstrap.servers": bs})
    ev = threading.Event()
    b._call("describe_cluster", None, {}, lambda r, e: (b.close(), ev.set()))
    report(ev.wait(15), "close() inside on_done")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bootstrap")
    args = ap.parse_args()
    broker = None
    if args.bootstrap:
        bs = args.bootstrap
    else:
        broker, bs = start_tansu()
    try:
        a = n._AdminClientImpl({"bootstrap.servers": bs})
        core_ops(a, bs)
        ext_ops(a)
        bad_input(a)
        groups = a.list_groups(timeout=10)
        report(isinstance(groups, list), "list_groups", repr(groups))
        md = a.list_topics(timeout=10)
        report("smoke_a" in md.topics, "list_topics")
        cid = a.cluster_id(10)
        report(isinstance(cid, str) and cid == md.cluster_id, "cluster_id", repr(cid))
        # Last: Tansu's DeleteRecords is unimplemented (it drops the connection).
        check(a, "delete_records", [("smoke_a", 1, 1)],
              lambda r: (r[0][:2] == ("smoke_a", 1) and isinstance(r[0][2], int) and err_ok(r[0][3], None)) or r)
        check(a, "delete_topics", ["smoke_a", "smoke_b"], lambda r: r == [("smoke_a", None), ("smoke_b", None)] or r)
        a.close()
        if broker:
            lifecycle(bs, broker)
        fake_ops()
    finally:
        if broker:
            try:
                broker.stdin.close()
                broker.wait(10)
            except Exception:  # noqa: BLE001 - stop it anyway
                broker.kill()
    print("%d passed, %d failed" % (RESULTS["pass"], RESULTS["fail"]))
    return 1 if RESULTS["fail"] else 0


if __name__ == "__main__":
    sys.exit(main())
