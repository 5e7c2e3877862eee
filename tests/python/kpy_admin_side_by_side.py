#!/usr/bin/env python3
"""kafka-python's KafkaAdminClient, side by side: pip kafka-python vs kafkars.kafka.

Usage: kpy_admin_side_by_side.py [--scenario NAME]... [--keep DIR]
       kpy_admin_side_by_side.py mock [--scenario NAME]... [--keep DIR]   (kafkars.kafka alone)
       kpy_admin_side_by_side.py lane --module kafka|kafkars.kafka --out FILE [--scenario NAME]...

Same machinery as kpy_side_by_side.py: each module runs every scenario on a fresh Tansu
broker of its own, the two lanes in parallel; a scenario prints lines describing what each
admin call returned (normalized: topic ids, member ids, ports, timestamps and host names
replaced) or which kafka.errors class it raised. The lines of both modules must be equal,
except the (scenario, key) pairs listed in kpy_admin_known_differences.txt (printed
"ok - ... # KNOWN DIFF"). Every wait is bounded; every broker is stopped.
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
import uuid

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
LANE_TIMEOUT = 300

K = None  # kafka or kafkars.kafka
A = None  # its .admin module
BOOT = None
BROKER = None


def ename(e):
    return type(e).__name__


def norm(v):
    """Plain, comparable form of a result: enums by name, classes by name, ids blanked."""
    if isinstance(v, type):
        return "<class %s>" % v.__name__
    if isinstance(v, BaseException):
        return "<%s>" % type(v).__name__
    if hasattr(v, "name") and hasattr(v, "value") and type(v).__module__ != "builtins" and \
            "Enum" in [c.__name__ for c in type(v).__mro__]:
        return "%s.%s" % (type(v).__name__, v.name)
    if isinstance(v, uuid.UUID):
        return "<uuid>"
    if isinstance(v, dict):
        out = {}
        for k, x in v.items():
            ks = k if isinstance(k, str) else json.dumps(norm(k))
            if ks in ("topic_id", "cluster_id", "member_id", "client_host", "host", "port",
                      "last_timestamp", "transaction_start_time_ms", "age_ms", "incarnation_id",
                      "timestamp") and x not in (None, -1, ""):
                x = "<%s>" % ks
            out[ks] = norm(x)
        return dict(sorted(out.items()))
    if isinstance(v, (set, frozenset)):
        return sorted((norm(x) for x in v), key=json.dumps)
    if isinstance(v, tuple) and hasattr(v, "_fields"):
        return [type(v).__name__] + [
            "<%s>" % f if f in ("timestamp", "last_timestamp", "transaction_start_time_ms") and
            x not in (None, -1) else norm(x) for f, x in zip(v._fields, v)]
    if isinstance(v, (list, tuple)):
        return [norm(x) for x in v]
    if isinstance(v, bytes):
        return v.decode("latin-1")
    if isinstance(v, (str, int, float, bool)) or v is None:
        return v
    if hasattr(v, "__dict__"):
        return [type(v).__name__, norm({k: x for k, x in vars(v).items() if not k.startswith("_")})]
    if hasattr(v, "__slots__"):
        return [type(v).__name__, norm({k: getattr(v, k, None) for k in v.__slots__})]
    return repr(v)


def call(out, key, fn, *a, **kw):
    try:
        r = fn(*a, **kw)
    except Exception as e:
        out([key, "raised", ename(e)])
        return None
    out([key, norm(r)])
    return r


def admin(**kw):
    kw.setdefault("bootstrap_servers", BOOT)
    kw.setdefault("request_timeout_ms", 10000)
    return K.KafkaAdminClient(**kw)


def wait_until(fn, secs=10.0):
    end = time.monotonic() + secs
    while time.monotonic() < end:
        try:
            if fn():
                return True
        except Exception:
            pass
        time.sleep(0.2)
    return False


def setup_topic(a, name, parts, **extra):
    """Create a topic (on the mock, where CreateTopics is missing, it was made at start)."""
    try:
        a.create_topics({name: dict(num_partitions=parts, replication_factor=1, **extra)},
                        wait_for_metadata=True)
    except K.errors.KafkaError:
        if BROKER.kind != "mock":
            raise


MOCK_TOPICS = [("ag1", 2, 3), ("ap1", 2, 3), ("atx", 1, 3), ("ac1", 1, 3)]


def fill(t, parts, n):
    p = K.KafkaProducer(bootstrap_servers=BOOT, linger_ms=5)
    for i in range(n):
        p.send(t, b"v%d" % i, partition=i % parts)
    p.flush(15)
    p.close(5)


# ---------------------------------------------------------------------------
# scenarios


def s_admin_module(out):
    names = sorted(n for n in dir(A) if not n.startswith("_") and n[0].isupper())
    out(["admin names", names])
    out(["kafka.KafkaAdminClient", K.KafkaAdminClient is A.KafkaAdminClient])
    methods = sorted(n for n in dir(A.KafkaAdminClient) if not n.startswith("_"))
    out(["methods", methods])
    import inspect
    for m in methods:
        f = getattr(A.KafkaAdminClient, m)
        if callable(f):
            try:
                out(["sig", m, str(inspect.signature(f))])
            except (TypeError, ValueError):
                pass
    out(["enums", {n: sorted((m.name, m.value) for m in getattr(A, n)) for n in (
        "ACLOperation", "ACLPermissionType", "ACLResourcePatternType", "ResourceType",
        "ConfigResourceType", "AlterConfigOp", "ConfigType", "ConfigSourceType", "ConfigFilterType",
        "GroupState", "GroupType", "OffsetSpec", "ScramMechanism", "TransactionState",
        "UpdateFeatureType")}])
    cr = A.ConfigResource("topic", "t", {"a": "1"})
    out(["ConfigResource", cr.resource_type.name, cr.name, cr.configs, str(cr), repr(cr)])
    nt = A.NewTopic("t", 3, 1)
    out(["NewTopic", nt.name, nt.num_partitions, nt.replication_factor, nt.replica_assignments,
         nt.topic_configs])
    np_ = A.NewPartitions(4)
    out(["NewPartitions", np_.total_count, np_.new_assignments])
    rp = A.ResourcePattern(A.ResourceType.TOPIC, "t")
    acl = A.ACL("User:a", "*", A.ACLOperation.READ, A.ACLPermissionType.ALLOW, rp)
    out(["ACL", repr(acl), repr(rp), hash(acl) == hash(A.ACL("User:a", "*", A.ACLOperation.READ,
                                                              A.ACLPermissionType.ALLOW, rp))])
    for bad in (lambda: A.ResourcePattern(A.ResourceType.ANY, "t"),
                lambda: A.ResourcePattern(A.ResourceType.TOPIC, "t", A.ACLResourcePatternType.MATCH),
                lambda: A.ACL("User:a", "*", A.ACLOperation.ANY, A.ACLPermissionType.ALLOW, rp),
                lambda: A.ACLFilter("User:a", "*", 3, A.ACLPermissionType.ALLOW, rp),
                lambda: A.ResourcePatternFilter(2, "t", A.ACLResourcePatternType.ANY)):
        try:
            bad()
            out(["bad acl", "accepted"])
        except Exception as e:
            out(["bad acl", ename(e), str(e)])
    m = A.MemberToRemove(member_id="m", reason="r")
    out(["MemberToRemove", repr(m), m == A.MemberToRemove("m", None, "r")])
    out(["OffsetTimestamp", repr(A.OffsetTimestamp(5)), int(A.OffsetTimestamp(5))])
    up = A.UserScramCredentialUpsertion("u", "SCRAM-SHA-256", "pw", iterations=4096, salt=b"s" * 8)
    out(["upsertion", repr(up), up.salted_password.hex(), up.salt, up.iterations])
    de = A.UserScramCredentialDeletion("u", 2)
    out(["deletion", repr(de)])
    spec = A.AbortTransactionSpec(K.TopicPartition("t", 0), 1, 2)
    out(["AbortTransactionSpec", norm(spec)])
    out(["GroupState.build_from", A.GroupState.build_from("stable").name,
         A.GroupType.value_for("classic")])


def s_admin_config(out):
    for kw in ({"bogus_key": 1}, {"metrics_enabled": True}, {"ssl_ciphers": "x"}):
        try:
            admin(**kw).close()
            out(["config", sorted(kw), "accepted"])
        except Exception as e:
            out(["config", sorted(kw), ename(e)])
    try:
        K.KafkaAdminClient(bootstrap_servers="127.0.0.1:1", bootstrap_timeout_ms=1500).close()
        out(["no broker", "accepted"])
    except Exception as e:
        out(["no broker", ename(e), isinstance(e, K.errors.KafkaError)])
    a = admin(client_id="adm-x")
    out(["config", a.config["client_id"], a.config["request_timeout_ms"],
         a.config["bootstrap_timeout_ms"]])
    with a as b:
        out(["context", b is a])
    a.close()
    a.close()  # twice is fine


def s_admin_topics(out):
    a = admin()
    call(out, "create list", a.create_topics, ["at1"])
    call(out, "create dict", a.create_topics,
         {"at2": {"num_partitions": 3, "replication_factor": 1,
                  "configs": {"retention.ms": "3600000"}}})
    call(out, "create NewTopic", a.create_topics, [A.NewTopic("at3", 2, 1)],
         wait_for_metadata=True)
    call(out, "create validate_only", a.create_topics, {"at4": {"num_partitions": 1}},
         validate_only=True)
    call(out, "create exists", a.create_topics, ["at1"])
    call(out, "create exists no raise", a.create_topics, ["at1"], raise_errors=False)
    call(out, "create bad input", a.create_topics, [1, 2])
    call(out, "create both flags", a.create_topics, ["x"], validate_only=True,
         wait_for_metadata=True)
    call(out, "wait_for_topics", a.wait_for_topics, ["at1", "at2", "at3"], timeout_ms=10000)
    call(out, "wait_for_topics missing", a.wait_for_topics, ["nope-at"], timeout_ms=1000)
    call(out, "wait_for_topics empty", a.wait_for_topics, [])
    out(["list_topics", sorted(t for t in a.list_topics() if t.startswith("at"))])
    r = call(out, "describe_topics", a.describe_topics, ["at2", "at3"])
    call(out, "describe_topics missing", a.describe_topics, ["nope-at"])
    if r:
        out(["describe_topics all has at2",
             "at2" in [t["name"] for t in a.describe_topics()]])
    call(out, "create_partitions", a.create_partitions, {"at3": 4})
    call(out, "create_partitions NewPartitions", a.create_partitions,
         {"at2": A.NewPartitions(5)}, validate_only=True)
    call(out, "create_partitions too few", a.create_partitions, {"at3": 2})
    call(out, "create_partitions too few no raise", a.create_partitions, {"at3": 2},
         raise_errors=False)
    call(out, "create_partitions missing", a.create_partitions, {"nope-at": 2})
    call(out, "describe after", a.describe_topics, ["at3"])
    call(out, "delete_topics", a.delete_topics, ["at1", "at4"], raise_errors=False)
    call(out, "delete_topics missing", a.delete_topics, ["nope-at"])
    call(out, "delete_topics missing no raise", a.delete_topics, ["nope-at"], raise_errors=False)
    a.close()


def s_admin_configs(out):
    a = admin()
    setup_topic(a, "ac1", 1, configs={"retention.ms": "3600000"})
    T = A.ConfigResourceType
    call(out, "describe topic", a.describe_configs, [A.ConfigResource(T.TOPIC, "ac1")])
    call(out, "describe topic all keys", lambda: sorted(a.describe_configs(
        [A.ConfigResource(T.TOPIC, "ac1")], config_filter="all")["topic"]["ac1"]))
    call(out, "describe topic named", a.describe_configs,
         [A.ConfigResource("TOPIC", "ac1", ["retention.ms", "cleanup.policy"])],
         include_synonyms=True, config_filter="ALL")
    call(out, "describe broker", lambda: sorted(a.describe_configs(
        [A.ConfigResource(T.BROKER, "111")], config_filter="all").get("broker", {})))
    call(out, "describe bad broker name", a.describe_configs, [A.ConfigResource(T.BROKER, "x")])
    call(out, "describe missing", a.describe_configs, [A.ConfigResource(T.TOPIC, "nope-ac")])
    call(out, "alter", a.alter_configs,
         [A.ConfigResource(T.TOPIC, "ac1", {"retention.ms": "7200000"})])
    call(out, "alter unknown", a.alter_configs,
         [A.ConfigResource(T.TOPIC, "ac1", {"no.such.config": "1"})])
    call(out, "alter unknown no raise", a.alter_configs,
         [A.ConfigResource(T.TOPIC, "ac1", {"no.such.config": "1"})], raise_on_unknown=False)
    call(out, "alter incremental ops", a.alter_configs,
         [A.ConfigResource(T.TOPIC, "ac1", {"cleanup.policy": (A.AlterConfigOp.SET, "compact"),
                                            "retention.ms": ("DELETE", None)})],
         incremental=True)
    call(out, "alter legacy", a.alter_configs,
         [A.ConfigResource(T.TOPIC, "ac1", {"retention.ms": "1000000"})], incremental=False)
    call(out, "alter legacy non-set", a.alter_configs,
         [A.ConfigResource(T.TOPIC, "ac1", {"retention.ms": ("DELETE", None)})],
         incremental=False)
    call(out, "alter configs not dict", a.alter_configs,
         [A.ConfigResource(T.TOPIC, "ac1", ["retention.ms"])], raise_on_unknown=False)
    call(out, "alter validate_only", a.alter_configs,
         [A.ConfigResource(T.TOPIC, "ac1", {"retention.ms": "5"})], validate_only=True)
    call(out, "after alter", a.describe_configs, [A.ConfigResource(T.TOPIC, "ac1")])
    call(out, "reset", a.reset_configs, [A.ConfigResource(T.TOPIC, "ac1", ["retention.ms"])])
    call(out, "reset all", a.reset_configs, [A.ConfigResource(T.TOPIC, "ac1")])
    call(out, "after reset", a.describe_configs, [A.ConfigResource(T.TOPIC, "ac1")])
    call(out, "list_config_resources", a.list_config_resources)
    call(out, "list_config_resources topic", a.list_config_resources, ["TOPIC"])
    a.close()


def s_admin_groups(out):
    a = admin()
    setup_topic(a, "ag1", 2)
    fill("ag1", 2, 10)
    c = K.KafkaConsumer("ag1", bootstrap_servers=BOOT, group_id="agrp", client_id="agrp-c",
                        auto_offset_reset="earliest", enable_auto_commit=False,
                        session_timeout_ms=6000, heartbeat_interval_ms=500)
    n, end = 0, time.monotonic() + 20
    while n < 10 and time.monotonic() < end:
        n += sum(len(v) for v in c.poll(timeout_ms=200).values())
    c.commit()
    out(["consumed", n])
    call(out, "list_groups", lambda: sorted(
        (g for g in a.list_groups() if g.get("group_id") == "agrp"), key=json.dumps))
    call(out, "list_groups brokers", lambda: [g["group_id"] for g in a.list_groups(
        broker_ids=[111]) if g["group_id"] == "agrp"])
    call(out, "list_groups unknown broker", a.list_groups, broker_ids=[999])
    call(out, "list_groups states", lambda: [g["group_id"] for g in a.list_groups(
        states_filter=["Stable"]) if g["group_id"] == "agrp"])
    call(out, "describe_groups", a.describe_groups, ["agrp"])
    call(out, "describe_groups missing", a.describe_groups, ["nope-grp"])
    call(out, "list_group_offsets", a.list_group_offsets, {"agrp": None})
    call(out, "list_group_offsets str", a.list_group_offsets, "agrp")
    call(out, "list_group_offsets tps", a.list_group_offsets,
         {"agrp": [K.TopicPartition("ag1", 0)]})
    call(out, "list_group_offsets missing group", a.list_group_offsets, ["nope-grp"])
    call(out, "alter_group_offsets active", a.alter_group_offsets, "agrp",
         {K.TopicPartition("ag1", 0): K.OffsetAndMetadata(1, "m", None)})
    call(out, "remove_group_members unknown", a.remove_group_members, "agrp",
         [A.MemberToRemove(member_id="nobody")])
    call(out, "remove_group_members empty", a.remove_group_members, "agrp", [])
    mids = []
    try:
        d = a.describe_groups(["agrp"])
        mids = [m["member_id"] for m in d["agrp"]["members"]]
    except Exception:
        pass
    call(out, "remove_group_members", a.remove_group_members, "agrp",
         [A.MemberToRemove(member_id=m) for m in mids])
    c.close(autocommit=False)
    wait_until(lambda: a.describe_groups(["agrp"])["agrp"]["group_state"] == "Empty")
    call(out, "alter_group_offsets", a.alter_group_offsets, "agrp",
         {K.TopicPartition("ag1", 0): K.OffsetAndMetadata(2, "meta", None),
          K.TopicPartition("ag1", 1): K.OffsetAndMetadata(3, "", None)})
    call(out, "alter_group_offsets empty", a.alter_group_offsets, "agrp", {})
    call(out, "after alter", a.list_group_offsets, "agrp")
    call(out, "reset_group_offsets", a.reset_group_offsets, "agrp",
         {K.TopicPartition("ag1", 0): A.OffsetSpec.EARLIEST,
          K.TopicPartition("ag1", 1): 1000})
    call(out, "reset_group_offsets ts", a.reset_group_offsets, "agrp",
         {K.TopicPartition("ag1", 0): A.OffsetTimestamp(0)})
    call(out, "reset_group_offsets bad", a.reset_group_offsets, "agrp",
         {K.TopicPartition("ag1", 0): "x"})
    call(out, "reset_group_offsets empty", a.reset_group_offsets, "agrp", {})
    call(out, "after reset", a.list_group_offsets, "agrp")
    call(out, "delete_group_offsets", a.delete_group_offsets, "agrp",
         [K.TopicPartition("ag1", 1)])
    call(out, "delete_group_offsets empty", a.delete_group_offsets, "agrp", [])
    call(out, "after delete offsets", a.list_group_offsets, "agrp")
    call(out, "delete_groups", a.delete_groups, ["agrp", "nope-grp"])
    call(out, "after delete", a.list_group_offsets, "agrp")
    a.close()


def s_admin_partitions(out):
    a = admin()
    setup_topic(a, "ap1", 2)
    fill("ap1", 2, 10)
    tp0, tp1 = K.TopicPartition("ap1", 0), K.TopicPartition("ap1", 1)
    call(out, "offsets latest", a.list_partition_offsets,
         {tp0: A.OffsetSpec.LATEST, tp1: A.OffsetSpec.EARLIEST})
    call(out, "offsets ts", lambda: {str(k): v.offset for k, v in a.list_partition_offsets(
        {tp0: 0, tp1: A.OffsetSpec.MAX_TIMESTAMP}).items()})
    call(out, "offsets read_committed", lambda: {str(k): v.offset for k, v in
                                                 a.list_partition_offsets(
        {tp0: A.OffsetSpec.LATEST}, isolation_level=1).items()})
    call(out, "offsets bad spec", a.list_partition_offsets, {tp0: "x"})
    call(out, "offsets missing", a.list_partition_offsets,
         {K.TopicPartition("nope-ap", 0): A.OffsetSpec.LATEST})
    call(out, "delete_records", a.delete_records, {tp0: 2})
    call(out, "delete_records too far", a.delete_records, {tp1: 1000})
    call(out, "delete_records missing", a.delete_records, {K.TopicPartition("nope-ap", 0): 1})
    call(out, "after delete_records", a.list_partition_offsets, {tp0: A.OffsetSpec.EARLIEST})
    call(out, "elect_leaders", a.elect_leaders, 0, {"ap1": [0]})
    call(out, "elect_leaders no raise", a.elect_leaders, 0, ["ap1"], raise_errors=False)
    call(out, "alter_partition_reassignments", a.alter_partition_reassignments, {tp0: [111]})
    call(out, "alter_partition_reassignments empty", a.alter_partition_reassignments, {tp0: []})
    call(out, "alter_partition_reassignments cancel", a.alter_partition_reassignments, {tp0: None})
    call(out, "list_partition_reassignments", a.list_partition_reassignments)
    call(out, "list_partition_reassignments tps", a.list_partition_reassignments, [tp0])
    call(out, "describe_topic_partitions", a.describe_topic_partitions, ["ap1"])
    call(out, "describe_topic_partitions limit", a.describe_topic_partitions, ["ap1"],
         response_partition_limit=1)
    a.close()


def s_admin_cluster(out):
    a = admin()
    call(out, "describe_cluster", a.describe_cluster)
    call(out, "describe_log_dirs", a.describe_log_dirs)
    call(out, "describe_log_dirs brokers", a.describe_log_dirs, {"x": [0]}, brokers=[111])
    call(out, "describe_log_dirs unknown broker", a.describe_log_dirs, {"x": [0]}, brokers=[999])
    call(out, "alter_replica_log_dirs", a.alter_replica_log_dirs,
         {K.TopicPartitionReplica("x", 0, 111): "/tmp/nope"})
    call(out, "alter_replica_log_dirs empty", a.alter_replica_log_dirs, {})
    call(out, "describe_metadata_quorum", a.describe_metadata_quorum)
    call(out, "describe_features", a.describe_features)
    call(out, "describe_features controller", a.describe_features, send_request_to_controller=True)
    call(out, "update_features", a.update_features, {"x.version": 1}, validate_only=True)
    call(out, "update_features bad", a.update_features, [1])
    call(out, "api_versions", lambda: sorted(
        (type(k).__name__, k.name, int(k), tuple(v)) for k, v in a.api_versions().items()))
    call(out, "get_broker_version_data", lambda: (
        lambda d: [sorted((int(k), tuple(v)) for k, v in d.api_versions.items()),
                   list(d.broker_version), d.broker_version_str])(
        a.get_broker_version_data(111)))
    call(out, "get_broker_version_data unknown", a.get_broker_version_data, 999)
    a.close()


def s_admin_acls(out):
    a = admin()
    rp = A.ResourcePattern(A.ResourceType.TOPIC, "aacl")
    acl = A.ACL("User:alice", "*", A.ACLOperation.READ, A.ACLPermissionType.ALLOW, rp)
    flt = A.ACLFilter("User:alice", None, A.ACLOperation.ANY, A.ACLPermissionType.ANY,
                      A.ResourcePatternFilter(A.ResourceType.TOPIC, "aacl",
                                              A.ACLResourcePatternType.ANY))
    call(out, "create_acls", a.create_acls, [acl])
    call(out, "create_acls bad", a.create_acls, [flt])
    call(out, "describe_acls", a.describe_acls, flt)
    call(out, "delete_acls", a.delete_acls, [flt])
    call(out, "delete_acls bad", a.delete_acls, [1])
    a.close()


def s_admin_users(out):
    a = admin()
    call(out, "describe_user_scram_credentials", a.describe_user_scram_credentials)
    call(out, "upsert", a.alter_user_scram_credentials, [A.UserScramCredentialUpsertion(
        "alice", A.ScramMechanism.SCRAM_SHA_256, "pw", iterations=8192, salt=b"salt1234")])
    call(out, "describe alice", a.describe_user_scram_credentials, ["alice", "nobody"])
    call(out, "delete", a.alter_user_scram_credentials,
         [A.UserScramCredentialDeletion("alice", A.ScramMechanism.SCRAM_SHA_256)])
    call(out, "bad alteration", a.alter_user_scram_credentials, ["x"])
    a.close()


def s_admin_transactions(out):
    a = admin()
    setup_topic(a, "atx", 1)
    p = K.KafkaProducer(bootstrap_servers=BOOT, transactional_id="atx-id")
    p.init_transactions()
    p.begin_transaction()
    p.send("atx", b"open", partition=0).get(15)
    call(out, "list_transactions", lambda: {
        b: sorted(t for t in v if t.transactional_id == "atx-id")
        for b, v in a.list_transactions().items()})
    call(out, "list_transactions filters", a.list_transactions, state_filters=["Ongoing"],
         producer_id_filters=[123456])
    call(out, "list_transactions duration", lambda: {
        b: [t.transactional_id for t in v]
        for b, v in a.list_transactions(duration_filter_ms=3600000).items()})
    call(out, "describe_transactions", a.describe_transactions, ["atx-id"])
    call(out, "describe_transactions missing", a.describe_transactions, ["nope-txn"])
    call(out, "describe_transactions empty", a.describe_transactions, [])
    prods = call(out, "describe_producers", a.describe_producers, [K.TopicPartition("atx", 0)])
    call(out, "describe_producers broker", lambda: sorted(a.describe_producers(
        [K.TopicPartition("atx", 0)], broker_id=111)))
    call(out, "describe_producers unknown broker", a.describe_producers,
         [K.TopicPartition("atx", 0)], broker_id=999)
    call(out, "list_transactions unknown broker", a.list_transactions, broker_ids=[999])
    call(out, "find_hanging_transactions", a.find_hanging_transactions)
    call(out, "find_hanging_transactions 0", lambda: [
        (h["transactional_id"], h["state"], h["topic_partitions"])
        for h in a.find_hanging_transactions(max_transaction_timeout_ms=-300000)])
    call(out, "abort_transaction bad epoch", a.abort_transaction,
         A.AbortTransactionSpec(K.TopicPartition("atx", 0), 999999, 0))
    if prods:
        for tp, st in prods.items():
            for ps in st.active_producers:
                call(out, "abort_transaction", a.abort_transaction, A.AbortTransactionSpec(
                    tp, ps.producer_id, ps.producer_epoch, ps.coordinator_epoch))
    try:
        p.abort_transaction()
    except Exception as e:
        out(["producer abort", ename(e)])
    p.close(5)
    a.close()


SCENARIOS = [(n[2:], f) for n, f in sorted(globals().items()) if n.startswith("s_")]


def lane(args):
    global K, A, BOOT, BROKER
    import importlib
    K = importlib.import_module(args.module)
    importlib.import_module(args.module + ".errors")
    A = importlib.import_module(args.module + ".admin")
    sys.path.insert(0, os.path.join(ROOT, "tests", "admin"))
    import brokers
    brokers.TANSU_TOPICS = []
    brokers.MOCK_TOPICS = MOCK_TOPICS
    results = {}
    log = open(args.out + ".broker.log", "w")
    BROKER = brokers.Broker(args.broker, log)
    BOOT = BROKER.bootstrap
    try:
        for name, fn in SCENARIOS:
            if args.scenario and name not in args.scenario:
                continue
            lines = []
            t0 = time.monotonic()
            try:
                fn(lambda x: lines.append(json.loads(json.dumps(x, default=repr))))
            except Exception:
                lines.append(["raised", traceback.format_exc().strip().splitlines()[-1]])
                sys.stderr.write(traceback.format_exc())
            sys.stderr.write("%s: %.1fs\n" % (name, time.monotonic() - t0))
            results[name] = lines
            with open(args.out, "w") as f:
                json.dump(results, f)
    finally:
        BROKER.stop()
    os._exit(0)


def load_known():
    known = {}
    path = os.path.join(HERE, "kpy_admin_known_differences.txt")
    for line in open(path):
        parts = line.rstrip("\n").split("\t")
        if not line.startswith("#") and len(parts) >= 3:
            known[(parts[0], parts[1])] = parts[2]
    return known


def key_of(line):
    return line[0] if isinstance(line, list) and line and isinstance(line[0], str) else None


BUG_CLASSES = ("AttributeError", "KeyError", "IndexError", "NameError", "UnboundLocalError",
               "AssertionError", "ZeroDivisionError")


def mock(args):
    """kafkars.kafka alone on librdkafka's 3-broker mock cluster (kafka-python cannot bootstrap
    from it; the mock has no CreateTopics and few admin APIs, so most calls end in
    IncompatibleBrokerVersion). A scenario fails when it dies of anything but a kafka.errors
    exception, or a call raises an exception class that only a bug in kafkars.kafka raises."""
    keep = args.keep or tempfile.mkdtemp(prefix="kpyadm_mock_")
    os.makedirs(keep, exist_ok=True)
    out = os.path.join(keep, "kafkars.kafka-mock.json")
    cmd = [sys.executable, os.path.abspath(__file__), "lane", "--module", "kafkars.kafka",
           "--out", out, "--broker", "mock"]
    for s in args.scenario:
        cmd += ["--scenario", s]
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=open(out + ".stderr", "w"))
    try:
        p.wait(LANE_TIMEOUT)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait(5)
    try:
        res = json.load(open(out))
    except (OSError, ValueError):
        res = {}
    passed = failed = 0
    for name, _ in SCENARIOS:
        if args.scenario and name not in args.scenario:
            continue
        lines = res.get(name)
        bad = [x for x in (lines or []) if isinstance(x, list) and (
            (len(x) == 2 and x[0] == "raised" and not x[1].startswith("kafkars.kafka.errors."))
            or (len(x) == 3 and x[1] == "raised" and x[2] in BUG_CLASSES))]
        if lines is not None and not bad:
            passed += 1
            print("ok - mock %s" % name)
        else:
            failed += 1
            print("not ok - mock %s" % name)
            for x in bad or ["(no result)"]:
                print("#   " + json.dumps(x)[:600])
    print("%d passed, %d failed" % (passed, failed))
    print("# outputs in %s" % keep)
    return 1 if failed else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", nargs="?", default="compare")
    ap.add_argument("--module")
    ap.add_argument("--out")
    ap.add_argument("--scenario", action="append", default=[])
    ap.add_argument("--keep")
    ap.add_argument("--broker", default="tansu")
    args = ap.parse_args()
    if args.mode == "lane":
        return lane(args)
    if args.mode == "mock":
        return mock(args)
    keep = args.keep or tempfile.mkdtemp(prefix="kpyadm_")
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
    known = load_known()
    passed = failed = 0
    for name, _ in SCENARIOS:
        if args.scenario and name not in args.scenario:
            continue
        a, b = res["kafka"].get(name), res["kafkars.kafka"].get(name)
        if a is not None and a == b:
            passed += 1
            print("ok - %s" % name)
            continue
        if a is not None and b is not None and len(a) == len(b):
            bad = [(x, y) for x, y in zip(a, b) if x != y]
            keys = {key_of(x) for x, _ in bad} | {key_of(y) for _, y in bad}
            if all(k is not None and (name, k) in known for k in keys):
                passed += 1
                print("ok - %s # KNOWN DIFF: %s" % (name, "; ".join(sorted(keys))))
                continue
        failed += 1
        print("not ok - %s" % name)
        fa = [json.dumps(x) for x in (a or ["(no result)"])]
        fb = [json.dumps(x) for x in (b or ["(no result)"])]
        for line in difflib.unified_diff(fa, fb, "kafka", "kafkars.kafka", lineterm="", n=0):
            print("#   " + line[:600])
    print("%d passed, %d failed" % (passed, failed))
    print("# outputs in %s" % keep)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
