#!/usr/bin/env python3
"""Smoke test of kafkars._native._AdminClientImpl (the plain-data admin layer,
notes/python_admin_native.md): every operation once against Tansu, checking the shape
and values of its plain result; where Tansu lacks the API, that the error arrives as
on_done's KafkaError (or per item); then those APIs once more against a small fake
broker (kafka-python 3's protocol classes), checking their results exactly, success
and per-item errors. Also bad input, close() with operations pending.

The fake broker stands in only where no broker here serves a feature, and is itself
validated against genuine clients (the `genuine:` lines): for the librdkafka operations
(create_partitions, alter_configs, delete_records, delete_consumer_group_offsets,
create_acls, delete_acls, elect_leaders) genuine librdkafka 2.16 -- pip confluent_kafka's
AdminClient, or its bundled librdkafka through ctypes where confluent_kafka lacks the
operation (DeleteConsumerGroupOffsets; DeleteRecords' result order) -- reads the same
answers into the same values, and the same per-item error code and string, as kafkars
must; for the kafkars extensions, which librdkafka lacks, kafka-python 3's
KafkaAdminClient is the peer client that must read them into the same values and error
codes. A wrong fake answer thus fails the genuine line as well as kafkars' line.

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
# The installed package (build/pyenv in make test): the source tree has no _native.
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
    # (Genuine librdkafka 2.16 aborts the process on that answer: "Received 0 acls in
    # response, but 1 were requested", then rdkafka_admin.c:960 assertion `rko_result'.)
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
# answers them, so that their results (success and per-item errors) are read and checked
# too. Its answers are validated by genuine clients reading them into the same results:
# librdkafka 2.16 (pip confluent_kafka, ctypes) for librdkafka's operations, kafka-python
# 3's KafkaAdminClient for the kafkars extensions -- see genuine_librdkafka() and
# genuine_kafka_python(), and the `genuine:` lines.

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

    def bad(name, code=1):  # per-item error answers: for names containing "bad"
        return code if name and "bad" in name else 0

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
        33: lambda r: {"responses": [{"error_code": bad(x.resource_name, 40), "resource_type": x.resource_type,
                                      "error_message": "nope" if bad(x.resource_name) else None,
                                      "resource_name": x.resource_name} for x in r.resources]},
        21: lambda r: {"topics": [{"name": t.name, "partitions": [
            {"partition_index": p.partition_index, "low_watermark": -1 if bad(t.name) else p.offset,
             "error_code": bad(t.name, 1)} for p in t.partitions]} for t in r.topics]},
        47: lambda r: {"error_code": 0, "topics": [{"name": t.name, "partitions": [
            {"partition_index": p.partition_index, "error_code": bad(t.name, 86)} for p in t.partitions]}
            for t in r.topics]},
        30: lambda r: {"results": [{"error_code": bad(c.principal, 54),
                                    "error_message": "nope" if bad(c.principal) else None} for c in r.creations]},
        31: lambda r: {"filter_results": [{"error_code": bad(f.principal_filter, 54),
                                           "error_message": "nope" if bad(f.principal_filter) else None,
                                           "matching_acls": [] if bad(f.principal_filter) else [acl]}
                                          for f in r.filters]},
        43: lambda r: {"error_code": 0, "replica_election_results": [
            {"topic": t.topic, "partition_result": [{"partition_id": p, "error_code": 84 if p == 0 else 0}
                                                    for p in t.partitions]}
            for t in r.topic_partitions]},
        55: lambda r: {"error_code": 0, "topics": [{"topic_name": "__cluster_metadata", "partitions": [
            {"partition_index": 0, "error_code": 0, "leader_id": 1, "leader_epoch": 7, "high_watermark": 99,
             "current_voters": [voter], "observers": []}]}],
            "nodes": [{"node_id": 1, "listeners": [{"name": "CONTROLLER", "host": "127.0.0.1", "port": 9093}]}]},
        57: lambda r: {"error_code": 0, "results": [{"feature": f.feature, "error_code": 0}
                                                    for f in r.feature_updates]},
        45: lambda r: {"error_code": 0, "responses": [{"name": t.name, "partitions": [
            {"partition_index": p.partition_index, "error_code": bad(t.name, 85),
             "error_message": "nope" if bad(t.name) else None} for p in t.partitions]} for t in r.topics]},
        46: lambda r: {"error_code": 0, "topics": [{"name": t.name, "partitions": [
            {"partition_index": p, "replicas": [1, 2], "adding_replicas": [2], "removing_replicas": []}
            for p in t.partition_indexes]} for t in (r.topics or [])]},
        74: lambda r: {"error_code": 0, "config_resources": [{"resource_name": "t", "resource_type": 2}]},
        65: lambda r: {"transaction_states": [
            {"error_code": 0, "transactional_id": t, "transaction_state": "Ongoing", "transaction_timeout_ms": 60000,
             "transaction_start_time_ms": 123, "producer_id": 5, "producer_epoch": 2,
             "topics": [{"topic": "t", "partitions": [0, 1]}]} for t in r.transactional_ids]},
        66: lambda r: {"error_code": 0, "transaction_states": [
            {"transactional_id": "tx", "producer_id": 5, "transaction_state": "Ongoing"}]},
        61: lambda r: {"topics": parts(r, lambda p: {"partition_index": p, "error_code": 0,
                                                     "active_producers": [producer]})},
        27: lambda r: {"markers": [{"producer_id": m.producer_id, "topics": [{"name": t.name, "partitions": [
            {"partition_index": p, "error_code": bad(t.name, 48)} for p in t.partition_indexes]}
            for t in m.topics]} for m in r.markers]},
        35: lambda r: {"error_code": 0, "results": [{"error_code": 0, "log_dir": "/data", "topics": [
            {"name": "t", "partitions": [{"partition_index": 0, "partition_size": 1000, "offset_lag": 0,
                                          "is_future_key": False}]}],
             "total_bytes": 10 ** 9, "usable_bytes": 10 ** 8}]},
        13: lambda r: {"error_code": 0, "members": [{"member_id": m.member_id, "group_instance_id": m.group_instance_id,
                                                     "error_code": bad(m.member_id, 25)} for m in r.members]},
        34: lambda r: {"results": [{"topic_name": t.name, "partitions": [
            {"partition_index": p, "error_code": bad(t.name, 57)} for p in t.partitions]}
            for d in r.dirs for t in d.topics]},
    }


class Err(tuple):
    """A normalized error: (code, string); string None where a client gives only the code."""

    def __new__(cls, code, s=None):
        return tuple.__new__(cls, (code, s))

    def __repr__(self):
        return "Err(%d, %r)" % self


def norm(x, strs=True, kinds=()):
    """x with every KafkaError (kafkars' or confluent_kafka's, kinds) as an Err; strs=False
    drops the error strings (kafka-python gives error codes only)."""
    if isinstance(x, Err):
        return Err(x[0], x[1] if strs else None)
    if isinstance(x, (KE,) + tuple(kinds)):
        return Err(x.code(), x.str() if strs else None)
    if isinstance(x, tuple):
        return tuple(norm(v, strs, kinds) for v in x)
    if isinstance(x, list):
        return [norm(v, strs, kinds) for v in x]
    return x


def err_names(x):
    """The error names in a normalized value, for test names."""
    if isinstance(x, Err):
        return [KE(x[0]).name()]
    if isinstance(x, (tuple, list)):
        return sorted({n for v in x for n in err_names(v)})
    return []


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
    bs = "127.0.0.1:%d" % fb.port
    me = (1, "127.0.0.1", fb.port, None)
    U = b"\x11" * 16
    acl = lambda p: (2, "t", 3, p, "*", 3, 3)  # noqa: E731 - topic t, literal, read, allow
    # (op, kafkars args, result): the same answers are read by kafkars and by the genuine
    # peer client below (librdkafka's operations first, then the kafkars extensions).
    # An op-level error is ("error", Err).  Names containing "bad" get per-item errors.
    lib = [
        ("create_partitions", [("t", 4, None), ("u", 1, None)], [("t", None), ("u", Err(37, "bad"))]),
        ("alter_configs", [(2, "t", {"a": "b"}), (2, "bad", {"a": "b"})],
         [(2, "t", None), (2, "bad", Err(40, "nope"))]),
        ("delete_records", [("t", 0, 5), ("t", 1, 7), ("bad", 0, 3)],
         [("bad", 0, -1, Err(1, "Broker: Offset out of range")), ("t", 0, 5, None), ("t", 1, 7, None)]),
        ("delete_consumer_group_offsets", ("g", [("t", 0), ("bad", 1)]),
         ("g", None, [("t", 0, None), ("bad", 1, Err(86, "Broker: Deleting offsets of a topic while the "
                                                         "consumer group is subscribed to it"))])),
        ("create_acls", [acl("User:a"), acl("User:bad")], [None, Err(54, "nope")]),
        ("delete_acls", [(2, "t", 3, None, None, 1, 1), (2, "t", 3, "User:bad", None, 1, 1)],
         [(None, [acl("User:a")]), (Err(54, "nope"), [])]),
        ("elect_leaders", (0, [("t", 0), ("t", 1)]),
         [("t", 0, Err(84, "Broker: Leader election not needed for topic partition")), ("t", 1, None)]),
    ]
    ext = [
        ("describe_metadata_quorum", None,
         (1, 7, 99, [(1, U, 99, 5, 6)], [], [((1, "127.0.0.1", 9093, None), "CONTROLLER")])),
        ("describe_features", None, (4, [("f1", 1, 3, 1, 2)])),
        ("update_features", [("f1", 2, 1)], [("f1", None)]),
        ("alter_partition_reassignments", [("t", 0, [1]), ("t", 1, None), ("bad", 0, [1])],
         [("t", 0, None), ("t", 1, None), ("bad", 0, Err(85, "nope"))]),
        ("list_partition_reassignments", [("t", 0), ("t", 1)], [("t", 0, [1, 2], [2], []), ("t", 1, [1, 2], [2], [])]),
        ("list_config_resources", None, [("t", 2)]),
        ("describe_transactions", ["tx"], [("tx", None, me, 2, 5, 2, 60000, 123, [("t", 0), ("t", 1)])]),
        ("list_transactions", None, ([("tx", 5, 2, 1)], [])),
        ("describe_producers", [("t", 0)], [("t", 0, None, [(5, 2, 9, 77, 3, 40)])]),
        ("abort_transaction", ("t", 0, 5, 2, 3), None),
        ("abort_transaction", ("bad", 0, 5, 2, 3),
         ("error", Err(48, "Broker: Producer attempted a transactional operation in an invalid state"))),
        ("describe_log_dirs", ([1], None),
         [(1, None, [("/data", None, 10 ** 9, 10 ** 8, [("t", 0, 1000, 0, False)])])]),
        ("alter_replica_log_dirs", [("t", 0, 1, "/data2"), ("bad", 1, 1, "/data2")],
         [("t", 0, 1, "/data2", None),
          ("bad", 1, 1, "/data2",
           Err(57, "Broker: The user-specified log directory is not found in the broker config"))]),
        ("remove_group_members", ("g", [("m1", None, None), (None, "inst", "r"), ("bad", None, None)]),
         [("m1", None, None), ("", "inst", None), ("bad", None, Err(25, "Broker: Unknown member"))]),
    ]
    a = n._AdminClientImpl({"bootstrap.servers": bs})
    try:
        for op, args, want in lib + ext:
            try:
                r, e = call(a, op, args)
                got = norm(r) if e is None else ("error", norm(e))
            except Exception as x:  # noqa: BLE001 - reported
                got = "%s: %s" % (type(x).__name__, x)
            extra = " (per-item error %s)" % "/".join(err_names(want)) if err_names(want) else ""
            report(got == want, op + extra, "" if got == want else "%r != %r" % (got, want))
    finally:
        a.close()
    try:
        genuine_librdkafka(bs, lib)
        genuine_kafka_python(bs, ext, me)
    finally:
        fb.close()


def genuine_report(who, op, fn, want, strs=True, kinds=()):
    try:
        got = norm(fn(), strs, kinds)
    except Exception as x:  # noqa: BLE001 - reported
        got = "%s: %s" % (type(x).__name__, x)
    want = norm(want, strs)
    names = err_names(want)
    report(got == want, "genuine: %s: %s gets the same result%s" % (
        op, who, " and per-item error %s" % "/".join(names) if names else ""),
        "" if got == want else "%r != %r" % (got, want))


class Rdkafka:
    """Genuine librdkafka (the one bundled in pip confluent_kafka) through ctypes, for
    what confluent_kafka does not expose: DeleteConsumerGroupOffsets, and the order of
    DeleteRecords' result list."""

    def __init__(self):
        import ctypes as C
        import glob
        import confluent_kafka
        libs = glob.glob(os.path.join(os.path.dirname(confluent_kafka.__file__), "..",
                                      "confluent_kafka.libs", "librdkafka*.so*"))
        if not libs:
            raise RuntimeError("confluent_kafka's bundled librdkafka not found")
        self.C, L = C, C.CDLL(sorted(libs)[0])

        class TP(C.Structure):
            _fields_ = [("topic", C.c_char_p), ("partition", C.c_int32), ("offset", C.c_int64),
                        ("metadata", C.c_void_p), ("metadata_size", C.c_size_t), ("opaque", C.c_void_p),
                        ("err", C.c_int), ("_private", C.c_void_p)]

        class TPL(C.Structure):
            _fields_ = [("cnt", C.c_int), ("size", C.c_int), ("elems", C.POINTER(TP))]
        P, S, I, TPLP = C.c_void_p, C.c_char_p, C.c_int, C.POINTER(TPL)
        for name, res, args in [
                ("rd_kafka_version_str", S, []), ("rd_kafka_err2str", S, [I]),
                ("rd_kafka_conf_new", P, []), ("rd_kafka_conf_set", I, [P, S, S, S, C.c_size_t]),
                ("rd_kafka_new", P, [I, P, S, C.c_size_t]), ("rd_kafka_destroy", None, [P]),
                ("rd_kafka_queue_new", P, [P]), ("rd_kafka_queue_destroy", None, [P]),
                ("rd_kafka_queue_poll", P, [P, I]), ("rd_kafka_event_destroy", None, [P]),
                ("rd_kafka_event_error", I, [P]), ("rd_kafka_event_error_string", S, [P]),
                ("rd_kafka_topic_partition_list_new", TPLP, [I]),
                ("rd_kafka_topic_partition_list_add", C.POINTER(TP), [TPLP, S, C.c_int32]),
                ("rd_kafka_topic_partition_list_destroy", None, [TPLP]),
                ("rd_kafka_error_code", I, [P]), ("rd_kafka_error_string", S, [P]),
                ("rd_kafka_DeleteConsumerGroupOffsets_new", P, [S, TPLP]),
                ("rd_kafka_DeleteConsumerGroupOffsets_destroy", None, [P]),
                ("rd_kafka_DeleteConsumerGroupOffsets", None, [P, C.POINTER(P), C.c_size_t, P, P]),
                ("rd_kafka_event_DeleteConsumerGroupOffsets_result", P, [P]),
                ("rd_kafka_DeleteConsumerGroupOffsets_result_groups", C.POINTER(P), [P, C.POINTER(C.c_size_t)]),
                ("rd_kafka_group_result_error", P, [P]), ("rd_kafka_group_result_name", S, [P]),
                ("rd_kafka_group_result_partitions", TPLP, [P]),
                ("rd_kafka_DeleteRecords_new", P, [TPLP]), ("rd_kafka_DeleteRecords_destroy", None, [P]),
                ("rd_kafka_DeleteRecords", None, [P, C.POINTER(P), C.c_size_t, P, P]),
                ("rd_kafka_event_DeleteRecords_result", P, [P]),
                ("rd_kafka_DeleteRecords_result_offsets", TPLP, [P])]:
            f = getattr(L, name)
            f.restype, f.argtypes = res, args
        self.L = L
        self.version = L.rd_kafka_version_str().decode()

    def err(self, code):
        return None if code == 0 else Err(code, self.L.rd_kafka_err2str(code).decode())

    def tpl(self, items):
        lst = self.L.rd_kafka_topic_partition_list_new(len(items))
        for t, p, *o in items:
            e = self.L.rd_kafka_topic_partition_list_add(lst, t.encode(), p)
            if o:
                e.contents.offset = o[0]
        return lst

    @staticmethod
    def rows(lst):
        l = lst.contents
        return [(l.elems[i].topic.decode(), l.elems[i].partition, l.elems[i].offset, l.elems[i].err)
                for i in range(l.cnt)]

    def run(self, bs, call_op, read):
        """A producer handle; call_op(rk, queue); read(event) of the one result event
        (bounded wait); an event-level error as ("error", Err)."""
        L, C = self.L, self.C
        conf = L.rd_kafka_conf_new()
        L.rd_kafka_conf_set(conf, b"bootstrap.servers", bs.encode(), None, 0)
        rk = L.rd_kafka_new(0, conf, C.create_string_buffer(256), 256)
        if not rk:
            raise RuntimeError("rd_kafka_new failed")
        q = L.rd_kafka_queue_new(rk)
        try:
            call_op(rk, q)
            ev = L.rd_kafka_queue_poll(q, 20000)
            if not ev:
                raise TimeoutError("no result event in 20s")
            try:
                code = L.rd_kafka_event_error(ev)
                if code:
                    return ("error", Err(code, L.rd_kafka_event_error_string(ev).decode()))
                return read(ev)
            finally:
                L.rd_kafka_event_destroy(ev)
        finally:
            L.rd_kafka_queue_destroy(q)
            L.rd_kafka_destroy(rk)

    def delete_consumer_group_offsets(self, bs, group, parts):
        L, C = self.L, self.C
        lst = self.tpl(parts)
        d = L.rd_kafka_DeleteConsumerGroupOffsets_new(group.encode(), lst)
        L.rd_kafka_topic_partition_list_destroy(lst)

        def read(ev):
            cnt = C.c_size_t()
            gs = L.rd_kafka_DeleteConsumerGroupOffsets_result_groups(
                L.rd_kafka_event_DeleteConsumerGroupOffsets_result(ev), C.byref(cnt))
            out = []
            for i in range(cnt.value):
                e = L.rd_kafka_group_result_error(gs[i])
                out.append((L.rd_kafka_group_result_name(gs[i]).decode(),
                            Err(L.rd_kafka_error_code(e), L.rd_kafka_error_string(e).decode()) if e else None,
                            [(t, p, self.err(err)) for t, p, _, err in
                             self.rows(L.rd_kafka_group_result_partitions(gs[i]))]))
            return out
        try:
            return self.run(bs, lambda rk, q: L.rd_kafka_DeleteConsumerGroupOffsets(
                rk, (C.c_void_p * 1)(d), 1, None, q), read)
        finally:
            L.rd_kafka_DeleteConsumerGroupOffsets_destroy(d)

    def delete_records(self, bs, parts):
        L, C = self.L, self.C
        lst = self.tpl(parts)
        d = L.rd_kafka_DeleteRecords_new(lst)
        L.rd_kafka_topic_partition_list_destroy(lst)
        try:
            return self.run(bs, lambda rk, q: L.rd_kafka_DeleteRecords(rk, (C.c_void_p * 1)(d), 1, None, q),
                            lambda ev: [(t, p, o, self.err(e)) for t, p, o, e in self.rows(
                                L.rd_kafka_DeleteRecords_result_offsets(L.rd_kafka_event_DeleteRecords_result(ev)))])
        finally:
            L.rd_kafka_DeleteRecords_destroy(d)


def genuine_librdkafka(bs, ops):
    """Genuine librdkafka 2.16 (pip confluent_kafka's AdminClient; ctypes where it lacks
    an operation) reads the fake broker's answers into the same values and errors."""
    try:
        import warnings
        import confluent_kafka as ck
        from confluent_kafka import admin as cka
    except ImportError as e:
        print("# skip genuine librdkafka checks: pip confluent_kafka needed (%s)" % e)
        return
    try:
        rdk = Rdkafka()
    except Exception as x:  # noqa: BLE001 - reported by the operations that need it
        rdk = x
    who = "librdkafka %s (confluent_kafka %s)" % (ck.libversion()[0], ck.version())
    g = cka.AdminClient({"bootstrap.servers": bs})
    kinds = (ck.KafkaError,)

    def fut(f):  # (value, None) or (None, KafkaError)
        try:
            return f.result(timeout=20), None
        except ck.KafkaException as e:
            return None, e.args[0]

    def acl_binding(rt, name, pt, pr, host, op, perm, cls=cka.AclBinding):
        return cls(cka.ResourceType(rt), name, cka.ResourcePatternType(pt), pr, host,
                   cka.AclOperation(op), cka.AclPermissionType(perm))

    def acl_tuple(b):
        return (b.restype.value, b.name, b.resource_pattern_type.value, b.principal, b.host,
                b.operation.value, b.permission_type.value)

    def create_partitions(args):
        fs = g.create_partitions([cka.NewPartitions(t, c) for t, c, _ in args], request_timeout=10)
        return [(t, fut(fs[t])[1]) for t, _, _ in args]

    def alter_configs(args):
        rs = [cka.ConfigResource(rt, name, set_config=cfg) for rt, name, cfg in args]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            fs = g.alter_configs(rs, request_timeout=10)
        return [(rt, name, fut(fs[r])[1]) for (rt, name, _), r in zip(args, rs)]

    def delete_records(args):
        # Values and errors from confluent_kafka; the result list's order (which it
        # hides behind a dict of futures) from the same librdkafka through ctypes.
        if isinstance(rdk, Exception):
            raise rdk
        fs = g.delete_records([ck.TopicPartition(t, p, o) for t, p, o in args], request_timeout=10)
        by_tp = {(tp.topic, tp.partition): fut(f) for tp, f in fs.items()}
        out = []
        for t, p, o, e in rdk.delete_records(bs, args):
            v, ce = by_tp[(t, p)]
            if (ce.code() if ce else None) != (e[0] if e else None) or (v is not None and v.low_watermark != o):
                raise AssertionError("confluent_kafka %r and ctypes %r disagree" % ((v, ce), (o, e)))
            out.append((t, p, o, ce))
        return out

    def delete_consumer_group_offsets(args):
        # Not in confluent_kafka's AdminClient: its bundled librdkafka through ctypes.
        if isinstance(rdk, Exception):
            raise rdk
        r = rdk.delete_consumer_group_offsets(bs, args[0], args[1])
        return r[0] if isinstance(r, list) and len(r) == 1 else r

    def create_acls(args):
        bs_ = [acl_binding(*x) for x in args]
        fs = g.create_acls(bs_, request_timeout=10)
        return [fut(fs[b])[1] for b in bs_]

    def delete_acls(args):
        fl = [acl_binding(*x, cls=cka.AclBindingFilter) for x in args]
        fs = g.delete_acls(fl, request_timeout=10)
        out = []
        for f in fl:
            v, e = fut(fs[f])
            out.append((e, []) if e else (None, [acl_tuple(b) for b in v]))
        return out

    def elect_leaders(args):
        # No request_timeout: confluent-kafka 2.16.1's elect_leaders(**kwargs) raises
        # SystemError ("more argument specifiers than keyword list entries").
        f = g.elect_leaders(ck.ElectionType(args[0]), [ck.TopicPartition(t, p) for t, p in args[1]])
        v, e = fut(f)
        return ("error", e) if e else [(tp.topic, tp.partition, err) for tp, err in v.items()]

    fns = {f.__name__: f for f in (create_partitions, alter_configs, delete_records, delete_consumer_group_offsets,
                                   create_acls, delete_acls, elect_leaders)}
    try:
        for op, args, want in ops:
            genuine_report(who, op, lambda: fns[op](args), want, kinds=kinds)
    finally:
        g = None  # noqa: F841 - destroys the client (its closures hold the same cell)


def genuine_kafka_python(bs, ops, me):
    """kafka-python 3's KafkaAdminClient, the peer client for the kafkars extensions
    (librdkafka lacks them), reads the fake broker's answers into the same values and
    error codes (it gives no error strings)."""
    import uuid
    import kafka
    import kafka.errors as kerrors
    from kafka import TopicPartition as KTP, TopicPartitionReplica as KTPR
    from kafka.admin import AbortTransactionSpec, ConfigResourceType, KafkaAdminClient, MemberToRemove
    who = "kafka-python %s" % kafka.__version__
    states = ["Unknown", "Empty", "Ongoing", "PrepareCommit", "PrepareAbort", "CompleteCommit", "CompleteAbort",
              "Dead", "PrepareEpochFence"]  # KAFKARS_TXN_STATE_* order
    nodes = {me[0]: me}  # kafka-python gives the coordinator's id only

    def kerr(cls):  # kafka-python error class (or None) -> Err
        return None if cls is None or cls is kerrors.NoError else Err(cls.errno)

    def code(x):
        return None if x == 0 else Err(x)

    def quorum(_):
        d = k.describe_metadata_quorum()
        (p,) = d["topics"][0]["partitions"]

        def rep(v):
            return (v["replica_id"], uuid.UUID(str(v["replica_directory_id"])).bytes, v["log_end_offset"],
                    v["last_fetch_timestamp"], v["last_caught_up_timestamp"])
        return (p["leader_id"], p["leader_epoch"], p["high_watermark"], [rep(v) for v in p["current_voters"]],
                [rep(v) for v in p["observers"]],
                [((nd["node_id"], li["host"], li["port"], None), li["name"]) for nd in d["nodes"]
                 for li in nd["listeners"]])

    def features(_):
        d = k.describe_features()
        epochs = {v.get("finalized_epoch") for v in d.values()} - {None}
        return (epochs.pop() if len(epochs) == 1 else epochs,
                [(f, *v["supported"], *v["finalized"]) for f, v in d.items()])

    def update_features(args):
        r = k.update_features({f: (t, lvl) for f, lvl, t in args})
        return [(f, None if v == "OK" else v) for f, v in r.items()]

    def alter_reassignments(args):
        r = k.alter_partition_reassignments({KTP(t, p): reps for t, p, reps in args})
        return [(tp.topic, tp.partition, kerr(e)) for tp, e in r.items()]

    def list_reassignments(args):
        r = k.list_partition_reassignments([KTP(t, p) for t, p in args])
        return [(tp.topic, tp.partition, v["replicas"], v["adding_replicas"], v["removing_replicas"])
                for tp, v in r.items()]

    def config_resources(_):
        return [(name, ConfigResourceType[rt.upper()].value)
                for rt, names in k.list_config_resources().items() for name in names]

    def describe_transactions(args):
        return [(tid, None, nodes.get(d.coordinator_id, d.coordinator_id), states.index(d.state.value),
                 d.producer_id, d.producer_epoch, d.transaction_timeout_ms, d.transaction_start_time_ms,
                 sorted((tp.topic, tp.partition) for tp in d.topic_partitions))
                for tid, d in k.describe_transactions(args).items()]

    def list_transactions(_):
        return ([(x.transactional_id, x.producer_id, states.index(x.state.value), b)
                 for b, xs in k.list_transactions().items() for x in xs], [])

    def describe_producers(args):
        return [(tp.topic, tp.partition, None,
                 [(p.producer_id, p.producer_epoch, p.last_sequence, p.last_timestamp, p.coordinator_epoch,
                   p.current_transaction_start_offset) for p in s.active_producers])
                for tp, s in k.describe_producers([KTP(t, p) for t, p in args]).items()]

    def abort(args):
        t, p, pid, epoch, cepoch = args
        try:
            return k.abort_transaction(AbortTransactionSpec(KTP(t, p), pid, epoch, cepoch))
        except kerrors.BrokerResponseError as e:
            return ("error", Err(e.errno))

    def log_dirs(args):
        return [(b["broker"], None, [(d["log_dir"], code(d["error_code"]), d["total_bytes"], d["usable_bytes"],
                                      [(t["name"], p["partition_index"], p["partition_size"], p["offset_lag"],
                                        p["is_future_key"]) for t in d["topics"] for p in t["partitions"]])
                                     for d in b["log_dirs"]])
                for b in k.describe_log_dirs(args[1], args[0])]

    def replica_log_dirs(args):
        paths = {KTPR(t, p, b): d for t, p, b, d in args}
        return [(x.topic, x.partition, x.broker_id, paths[x], kerr(e))
                for x, e in k.alter_replica_log_dirs(paths).items()]

    def remove_members(args):
        # kafka-python keys its result by member id (or instance id): rebuild kafkars'
        # (member_id, group_instance_id) from the request; the errors are what is compared.
        r = k.remove_group_members(args[0], [MemberToRemove(m, i, why) for m, i, why in args[1]])
        return [(m or "", i, kerr(r[m or i])) for m, i, _ in args[1]]

    fns = {"describe_metadata_quorum": quorum, "describe_features": features, "update_features": update_features,
           "alter_partition_reassignments": alter_reassignments, "list_partition_reassignments": list_reassignments,
           "list_config_resources": config_resources, "describe_transactions": describe_transactions,
           "list_transactions": list_transactions, "describe_producers": describe_producers,
           "abort_transaction": abort, "describe_log_dirs": log_dirs, "alter_replica_log_dirs": replica_log_dirs,
           "remove_group_members": remove_members}
    k = KafkaAdminClient(bootstrap_servers=bs, request_timeout_ms=10000)
    try:
        for op, args, want in ops:
            genuine_report(who, op, lambda: fns[op](args), want, strs=False)
    finally:
        k.close()


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
