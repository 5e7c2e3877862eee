#!/usr/bin/env python3
"""kpy_ext: kafka-python's KafkaAdminClient as the peer of admin_cli's kafkars extensions.

Makes ONE of the KafkaAdminClient calls that kafkars added as extensions with
kafka-python 3.x and prints the result in tests/admin/admin_cli.c's text format, so
that the differential test tests/admin_ext_wire.rs can compare the two outputs. OP
is the kafka-python method's name (and admin_cli's). It takes admin_cli's arguments:

    kpy_ext.py -b BOOTSTRAP [-t WAIT_MS] [-o opt=val]... [-s] OP [ARGS...]

    -o request_timeout=MS    KafkaAdminClient(request_timeout_ms=MS)
    -o operation_timeout=MS  the call's timeout_ms (the broker's TimeoutMs)
    -o broker=ID             describe_log_dirs(brokers=[ID]), list_transactions(
                             broker_ids=[ID]), describe_producers(broker_id=ID);
                             describe_features(send_request_to_controller=True):
                             kafka-python can only aim it at the controller, so the
                             case makes broker ID the controller
    -o validate_only=0|1     update_features(validate_only=...)
    -o match_transaction_states=S,S  list_transactions(state_filters=[...])
    -o match_producer_ids=ID,ID      list_transactions(producer_id_filters=[...])
    -o min_transaction_duration=MS   list_transactions(duration_filter_ms=MS)
    -o transactional_id_pattern=RE   list_transactions(transactional_id_pattern=RE)
    -s                       sort the result's entries (as admin_cli -s)

    describe_log_dirs [B:BROKERID...] [TOPIC:PART...]
        no partitions: topic_partitions=None (kafka-python then asks Metadata for
        every partition and sends them all); no brokers: brokers=None (every broker)
    list_partition_reassignments [TOPIC:PART...]   (none: topic_partitions=None)
    alter_partition_reassignments TOPIC:PART[:B1,B2|-] ...  (no list: None, cancel;
        "-": an empty list, which kafka-python refuses)
    alter_replica_log_dirs TOPIC:PART:BROKER:PATH ...   (PATH: the rest of the arg)
    describe_metadata_quorum
    describe_features
    update_features FEATURE:LEVEL[:upgrade|safe_downgrade|unsafe_downgrade] ...
        (no type: the plain {feature: level} form, an upgrade)
    list_config_resources [topic|broker|broker_logger|client_metrics|group|INT ...]
        (none: resource_types=None)
    remove_group_members GROUP MEMBER_ID[:GROUP_INSTANCE_ID[:REASON]] ...  ("-": None)
    list_transactions
    describe_transactions TRANSACTIONAL_ID ...
    describe_producers TOPIC:PART ...
    abort_transaction TOPIC:PART:PRODUCER_ID:PRODUCER_EPOCH[:COORDINATOR_EPOCH]
        (no coordinator epoch: the spec's default, -1)

What kafka-python does not have is printed as admin_cli prints kafkars' values for
it, so that only what kafka-python reports is compared: a partition's offset
(-1001; an alteration result's 0), leader_epoch -1, metadata (null), err NO_ERROR.
Errors print as "error=NAME: text" with librdkafka's NAME for the Kafka error code;
the text (kafka-python keeps no broker message) and the retriable flag are not
kafka-python's to give, and the test compares names only. What kafka-python raises
(a top-level error) is the event's err: its own timeout is librdkafka's _TIMED_OUT,
an API the broker lacks _UNSUPPORTED_FEATURE. Exit: 0 result printed, 4 the request
could not be built (kafka-python's ValueError), 64 usage error.
"""

import base64
import getopt
import re
import sys
import uuid

from kafka import KafkaAdminClient, TopicPartition
from kafka.admin import MemberToRemove
from kafka.admin._transactions import AbortTransactionSpec
from kafka.structs import TopicPartitionReplica
import kafka.errors as Errors

EVENT = {
    "describe_log_dirs": "DescribeLogDirsResult",
    "list_partition_reassignments": "ListPartitionReassignmentsResult",
    "alter_partition_reassignments": "AlterPartitionReassignmentsResult",
    "alter_replica_log_dirs": "AlterReplicaLogDirsResult",
    "describe_metadata_quorum": "DescribeMetadataQuorumResult",
    "describe_features": "DescribeFeaturesResult",
    "update_features": "UpdateFeaturesResult",
    "list_config_resources": "ListConfigResourcesResult",
    "remove_group_members": "RemoveGroupMembersResult",
    "list_transactions": "ListTransactionsResult",
    "describe_transactions": "DescribeTransactionsResult",
    "describe_producers": "DescribeProducersResult",
    "abort_transaction": "AbortTransactionResult",
}

OPTIONS = ("request_timeout", "operation_timeout", "broker", "validate_only",
           "match_transaction_states", "match_producer_ids", "min_transaction_duration",
           "transactional_id_pattern")

# librdkafka's names (rd_kafka_err2name) where kafka-python's error class names the
# code otherwise.
LIBRDKAFKA_NAMES = {
    2: "INVALID_MSG",
    3: "UNKNOWN_TOPIC_OR_PART",
    4: "INVALID_MSG_SIZE",
    10: "MSG_SIZE_TOO_LARGE",
    11: "STALE_CTRL_EPOCH",
    17: "TOPIC_EXCEPTION",
    39: "INVALID_REPLICA_ASSIGNMENT",
}
# Codes librdkafka 2.16 has no name for (rd_kafka_err2name gives "ERR_<code>?"), e.g.
# 105 TRANSACTIONAL_ID_NOT_FOUND.
LIBRDKAFKA_NAMES.update({c: "ERR_%d?" % c for c in (98, 99, 101, 102, 104, 105, 106, 107, 108,
                                                    109)})


def usage(msg):
    print("usage: %s" % msg, file=sys.stderr)
    sys.exit(64)


def err_name(code):
    if code in LIBRDKAFKA_NAMES:
        return LIBRDKAFKA_NAMES[code]
    cls = Errors.for_code(code)
    if cls.errno == code and cls.message:
        return cls.message
    return "ERR_%d?" % code


def error(code):
    """admin_cli's p_error for a Kafka error code (0: no error object)."""
    if not code:
        return "error=(null)"
    return "error=%s: %s" % (err_name(code), Errors.for_code(code).description or "")


def tpar(topic, partition, offset=-1001, err="NO_ERROR"):
    """admin_cli's p_tpar for what kafka-python reports (topic, partition)."""
    return ("topic=%s partition=%d offset=%d leader_epoch=-1 metadata=(null) err=%s"
            % (topic, partition, offset, err))


def tp_arg(arg):
    topic, sep, part = arg.partition(":")
    if not sep or not part.lstrip("-").isdigit():
        usage("expected TOPIC:PART in %r" % arg)
    return topic, int(part)


def flush(blocks, sort):
    return "".join(sorted(blocks) if sort and len(blocks) > 1 else blocks)


def describe_log_dirs(admin, args, opts, sort):
    brokers, parts = [], {}
    for a in args:
        if a.startswith("B:"):
            brokers.append(int(a[2:]))
            continue
        topic, part = tp_arg(a)
        parts.setdefault(topic, []).append(part)
    if "broker" in opts:
        brokers = [int(opts["broker"])]
    result = admin.describe_log_dirs(topic_partitions=parts or None, brokers=brokers or None)
    blocks = []
    for b in result:
        s = "    broker id=%d error=(null)\n" % b["broker"]
        s += "      log_dirs: %d\n" % len(b["log_dirs"])
        for d in b["log_dirs"]:
            reps = [(t["name"], p) for t in d["topics"] for p in t["partitions"]]
            s += "        log_dir path=%s total_bytes=%d usable_bytes=%d %s\n" % (
                d["log_dir"], d.get("total_bytes", -1), d.get("usable_bytes", -1),
                error(d["error_code"]))
            s += "          replicas: %d\n" % len(reps)
            for topic, p in reps:
                s += "            replica %s size=%d offset_lag=%d is_future=%d\n" % (
                    tpar(topic, p["partition_index"]), p["partition_size"], p["offset_lag"],
                    1 if p["is_future_key"] else 0)
        blocks.append(s)
    return "  brokers: %d\n" % len(result) + flush(blocks, sort)


def list_partition_reassignments(admin, args, opts, sort):
    parts = [TopicPartition(*tp_arg(a)) for a in args] or None
    timeout = int(opts["operation_timeout"]) if "operation_timeout" in opts else None
    try:
        result = admin.list_partition_reassignments(topic_partitions=parts, timeout_ms=timeout)
    except Errors.BrokerResponseError as e:
        return e, "  reassignments: 0\n"
    def ids(v):
        return "[" + ",".join(str(i) for i in v) + "]"

    blocks = [
        "    reassignment %s replicas=%s adding=%s removing=%s\n" % (
            tpar(tp.topic, tp.partition), ids(r["replicas"]), ids(r["adding_replicas"]),
            ids(r["removing_replicas"]))
        for tp, r in result.items()
    ]
    return None, "  reassignments: %d\n" % len(blocks) + flush(blocks, sort)


def alter_partition_reassignments(admin, args, opts, sort):
    reassignments = {}
    for a in args:
        fields = a.split(":")
        if len(fields) not in (2, 3):
            usage("expected TOPIC:PART[:B1,B2] in %r" % a)
        tp = TopicPartition(*tp_arg(":".join(fields[:2])))
        if len(fields) == 2:
            replicas = None
        elif fields[2] == "-":
            replicas = []
        else:
            replicas = [int(x) for x in fields[2].split(",")]
        reassignments[tp] = replicas
    timeout = int(opts["operation_timeout"]) if "operation_timeout" in opts else None
    try:
        result = admin.alter_partition_reassignments(reassignments, timeout_ms=timeout)
    except ValueError as e:
        print("build: alter_partition_reassignments: %s" % e)
        sys.exit(4)
    except Errors.BrokerResponseError as e:
        return e, "  partitions: 0\n"
    # kafka-python answers a dict of the partitions the broker reported on, each with
    # None (accepted) or the error class; printed in request order like kafkars.
    blocks = []
    for tp in reassignments:
        if tp not in result:
            continue
        code = result[tp].errno if result[tp] is not None else 0
        blocks.append("    result %s error=%s: %s\n" % (
            tpar(tp.topic, tp.partition, 0, err_name(code)), err_name(code),
            Errors.for_code(code).description or ""))
    return None, "  partitions: %d\n" % len(blocks) + flush(blocks, sort)



# ---- the ten later extensions ----

def error_text(text):
    """admin_cli's p_error for one of kafka-python's error strings ("[Error N] Name: msg")
    or "OK"."""
    if text in (None, "OK"):
        return "error=(null)"
    m = re.match(r"\[Error (-?\d+)\] ", text)
    return error(int(m.group(1))) if m else "error=_KAFKA_PYTHON: %s" % text


def alter_replica_log_dirs(admin, args, opts, sort):
    assignments = {}
    for a in args:
        fields = a.split(":", 3)
        if len(fields) != 4 or not fields[1].isdigit() or not fields[2].lstrip("-").isdigit():
            usage("expected TOPIC:PART:BROKER:PATH in %r" % a)
        tpr = TopicPartitionReplica(fields[0], int(fields[1]), int(fields[2]))
        assignments[tpr] = fields[3]
    result = admin.alter_replica_log_dirs(assignments)
    # A dict of the replicas the brokers reported on, with their error class; printed
    # in request order like kafkars.
    blocks = [
        "    replica topic=%s partition=%d broker_id=%d path=%s %s\n" % (
            tpr.topic, tpr.partition, tpr.broker_id, path, error(result[tpr].errno))
        for tpr, path in assignments.items() if tpr in result
    ]
    return None, "  replicas: %d\n" % len(blocks) + flush(blocks, sort)


def uuid_base64(text):
    """rd_kafka_Uuid_base64str's form of a UUID kafka-python gives as a string (None:
    the all-zero UUID, which kafka-python decodes as None)."""
    raw = uuid.UUID(text).bytes if text is not None else bytes(16)
    return base64.b64encode(raw).decode().rstrip("=")


def replica_states(label, states, sort):
    blocks = [
        "      replica id=%d directory_id=%s log_end_offset=%d last_fetch_timestamp=%d "
        "last_caught_up_timestamp=%d\n" % (
            r["replica_id"],
            uuid_base64(r["replica_directory_id"]) if "replica_directory_id" in r else "(null)",
            r["log_end_offset"], r.get("last_fetch_timestamp", -1),
            r.get("last_caught_up_timestamp", -1))
        for r in states
    ]
    return "    %s: %d\n" % (label, len(blocks)) + flush(blocks, sort)


def describe_metadata_quorum(admin, args, opts, sort):
    if args:
        usage("describe_metadata_quorum takes no arguments")
    result = admin.describe_metadata_quorum()
    parts = [p for t in result["topics"] for p in t["partitions"]]
    if not parts:
        return None, "  quorum (null)\n"
    p = parts[0]
    out = ""
    if p["error"] is not None:
        # kafka-python keeps a partition's error in the dict, as a string.
        out += "  partition %s\n" % error_text(p["error"])
    out += "  quorum leader_id=%d leader_epoch=%d high_watermark=%d\n" % (
        p["leader_id"], p["leader_epoch"], p["high_watermark"])
    out += replica_states("voters", p["current_voters"], sort)
    out += replica_states("observers", p["observers"], sort)
    # kafkars gives one rd_kafka_Node_t (no rack) per (node, listener).
    nodes = ["      node %d:%s:%d:(null) listener=%s\n" % (
        n["node_id"], l["host"], l["port"], l["name"])
        for n in result.get("nodes", []) for l in n["listeners"]]
    out += "    nodes: %d\n" % len(nodes) + flush(nodes, sort)
    return None, out


def describe_features(admin, args, opts, sort):
    if args:
        usage("describe_features takes no arguments")
    result = admin.describe_features(send_request_to_controller="broker" in opts)
    # kafka-python gives the epoch with each finalized feature only.
    epoch = next((f["finalized_epoch"] for f in result.values() if "finalized" in f), None)
    blocks = []
    for name, f in result.items():
        smin, smax = f.get("supported", (-1, -1))
        fmin, fmax = f.get("finalized", (-1, -1))
        blocks.append("    feature name=%s supported=%d..%d finalized=%d..%d\n" % (
            name, smin, smax, fmin, fmax))
    return None, "  finalized_epoch=%d\n  features: %d\n" % (
        -1 if epoch is None else epoch, len(blocks)) + flush(blocks, sort)


def update_features(admin, args, opts, sort):
    updates = {}
    for a in args:
        fields = a.split(":")
        if len(fields) not in (2, 3) or not fields[1].lstrip("-").isdigit():
            usage("expected FEATURE:LEVEL[:TYPE] in %r" % a)
        level = int(fields[1])
        updates[fields[0]] = (fields[2].upper(), level) if len(fields) == 3 else level
    kwargs = {"validate_only": opts.get("validate_only", "0") not in ("0", "false")}
    if "operation_timeout" in opts:
        kwargs["timeout_ms"] = int(opts["operation_timeout"])
    result = admin.update_features(updates, **kwargs)
    names = list(updates) + [f for f in result if f not in updates]
    blocks = ["    feature name=%s %s\n" % (f, error_text(result[f])) for f in names]
    return None, "  features: %d\n" % len(blocks) + flush(blocks, sort)


CONFIG_RESOURCE_TYPES = {"topic": 2, "broker": 4, "broker_logger": 8, "client_metrics": 16,
                         "group": 32}


def list_config_resources(admin, args, opts, sort):
    types = [CONFIG_RESOURCE_TYPES[a.lower()] if a.lower() in CONFIG_RESOURCE_TYPES
             else int(a) for a in args]
    result = admin.list_config_resources(resource_types=types or None)
    # A dict of names per type (kafka-python groups them by type).
    blocks = ["    resource type=%s(%d) name=%s\n" % (t, CONFIG_RESOURCE_TYPES[t], n)
              for t, names in result.items() for n in names]
    return None, "  resources: %d\n" % len(blocks) + flush(blocks, sort)


def remove_group_members(admin, args, opts, sort):
    if not args:
        usage("remove_group_members: expected GROUP MEMBER...")
    nn = lambda v: None if v == "-" else v
    members = []
    for a in args[1:]:
        f = a.split(":", 2) + [None, None]
        members.append(MemberToRemove(member_id=nn(f[0]), group_instance_id=nn(f[1]),
                                      reason=nn(f[2])))
    result = admin.remove_group_members(args[0], members)
    # Keyed by member_id, or group_instance_id where member_id is empty: the member
    # each key names.
    blocks = []
    for key, err in result.items():
        m = next((m for m in members if m.member_id == key), None)
        if m is not None:
            ids = (key, m.group_instance_id)
        else:
            m = next((m for m in members if not m.member_id and m.group_instance_id == key),
                     None)
            ids = ("", key) if m is not None else (key, None)
        blocks.append("    member member_id=%s group_instance_id=%s %s\n" % (
            ids[0], "(null)" if ids[1] is None else ids[1], error(err.errno)))
    return None, "  members: %d\n" % len(blocks) + flush(blocks, sort)


TXN_STATES = ["Unknown", "Empty", "Ongoing", "PrepareCommit", "PrepareAbort", "CompleteCommit",
              "CompleteAbort", "Dead", "PrepareEpochFence"]


def txn_state(state):
    """admin_cli's NAME(number) of a kafkars_TransactionState_t."""
    value = state.value if hasattr(state, "value") else str(state)
    return "%s(%d)" % (value, TXN_STATES.index(value) if value in TXN_STATES else 0)


def list_transactions(admin, args, opts, sort):
    if args:
        usage("list_transactions takes no arguments (filters are -o options)")
    kwargs = {}
    if "broker" in opts:
        kwargs["broker_ids"] = [int(opts["broker"])]
    if "match_transaction_states" in opts:
        kwargs["state_filters"] = [s for s in opts["match_transaction_states"].split(",") if s]
    if "match_producer_ids" in opts:
        kwargs["producer_id_filters"] = [int(i) for i in opts["match_producer_ids"].split(",")
                                         if i]
    if "min_transaction_duration" in opts:
        kwargs["duration_filter_ms"] = int(opts["min_transaction_duration"])
    if "transactional_id_pattern" in opts:
        kwargs["transactional_id_pattern"] = opts["transactional_id_pattern"]
    result = admin.list_transactions(**kwargs)
    blocks = [
        "    transaction id=%s producer_id=%d state=%s broker_id=%d\n" % (
            t.transactional_id, t.producer_id, txn_state(t.state), broker)
        for broker, listings in result.items() for t in listings
    ]
    # Any broker's error raises: there are no per-broker errors to print.
    return None, "  transactions: %d\n" % len(blocks) + flush(blocks, sort) + "  errors: 0\n"


def node_of(admin, node_id):
    """admin_cli's coordinator=ID:HOST:RACK (the port differs per run)."""
    b = admin._manager.cluster.broker_metadata(node_id)
    if b is None:
        return "%d:(null):(null) port_ok=0" % node_id
    return "%d:%s:%s port_ok=%d" % (node_id, b.host, "(null)" if b.rack is None else b.rack,
                                    1 if b.port > 0 else 0)


def describe_transactions(admin, args, opts, sort):
    result = admin.describe_transactions(args)
    blocks = []
    for tid in dict.fromkeys(args):
        if tid not in result:
            continue
        d = result[tid]
        # The partitions are a set: printed in order.
        tps = sorted(d.topic_partitions)
        s = ("    transaction id=%s coordinator=%s state=%s producer_id=%d "
             "producer_epoch=%d timeout_ms=%d start_time_ms=%d error=(null)\n" % (
                 tid, node_of(admin, d.coordinator_id), txn_state(d.state), d.producer_id,
                 d.producer_epoch, d.transaction_timeout_ms, d.transaction_start_time_ms))
        s += "      partitions: %d\n" % len(tps)
        s += flush(["        tp %s\n" % tpar(tp.topic, tp.partition) for tp in tps], sort)
        blocks.append(s)
    return None, "  descriptions: %d\n" % len(blocks) + flush(blocks, sort)


def describe_producers(admin, args, opts, sort):
    tps = [TopicPartition(*tp_arg(a)) for a in args]
    kwargs = {"broker_id": int(opts["broker"])} if "broker" in opts else {}
    result = admin.describe_producers(tps, **kwargs)
    blocks = []
    for tp in dict.fromkeys(tps):
        if tp not in result:
            continue
        prods = [
            "        producer id=%d epoch=%d last_sequence=%d last_timestamp=%d "
            "coordinator_epoch=%d current_txn_start_offset=%d\n" % (
                p.producer_id, p.producer_epoch, p.last_sequence, p.last_timestamp,
                p.coordinator_epoch, p.current_transaction_start_offset)
            for p in result[tp].active_producers
        ]
        blocks.append("    partition %s error=(null)\n      producers: %d\n" % (
            tpar(tp.topic, tp.partition), len(prods)) + flush(prods, sort))
    return None, "  partitions: %d\n" % len(blocks) + flush(blocks, sort)


def abort_transaction(admin, args, opts, sort):
    if len(args) != 1:
        usage("abort_transaction takes one TOPIC:PART:PRODUCER_ID:PRODUCER_EPOCH[:COORD_EPOCH]")
    f = args[0].split(":")
    if len(f) not in (4, 5):
        usage("expected TOPIC:PART:PRODUCER_ID:PRODUCER_EPOCH[:COORD_EPOCH] in %r" % args[0])
    spec = AbortTransactionSpec(TopicPartition(f[0], int(f[1])), int(f[2]), int(f[3]),
                                *([int(f[4])] if len(f) == 5 else []))
    admin.abort_transaction(spec)
    return None, ""


# What admin_cli prints of an errored event's (empty) result, for the ops whose
# errors kafka-python raises.
EMPTY = {
    "alter_replica_log_dirs": "  replicas: 0\n",
    "describe_metadata_quorum": "  quorum (null)\n",
    "describe_features": "  finalized_epoch=-1\n  features: 0\n",
    "update_features": "  features: 0\n",
    "list_config_resources": "  resources: 0\n",
    "remove_group_members": "  members: 0\n",
    "list_transactions": "  transactions: 0\n  errors: 0\n",
    "describe_transactions": "  descriptions: 0\n",
    "describe_producers": "  partitions: 0\n",
}

OPS = {
    "describe_log_dirs": lambda *a: (None, describe_log_dirs(*a)),
    "list_partition_reassignments": list_partition_reassignments,
    "alter_partition_reassignments": alter_partition_reassignments,
    "alter_replica_log_dirs": alter_replica_log_dirs,
    "describe_metadata_quorum": describe_metadata_quorum,
    "describe_features": describe_features,
    "update_features": update_features,
    "list_config_resources": list_config_resources,
    "remove_group_members": remove_group_members,
    "list_transactions": list_transactions,
    "describe_transactions": describe_transactions,
    "describe_producers": describe_producers,
    "abort_transaction": abort_transaction,
}


def event_err(err):
    """The event's err name for what kafka-python raised (None: nothing)."""
    if err is None:
        return "NO_ERROR"
    if isinstance(err, Errors.IncompatibleBrokerVersion):
        # Raised before sending: the broker lacks the API.
        return "_UNSUPPORTED_FEATURE"
    if isinstance(err, Errors.UnsupportedVersionError) and "requires" in str(err):
        # kafka-python's own check, before sending, that the broker's version has
        # what the call needs (list_transactions' filters, remove_group_members'
        # group_instance_id): librdkafka's _UNSUPPORTED_FEATURE.
        return "_UNSUPPORTED_FEATURE"
    if isinstance(err, (Errors.KafkaTimeoutError, Errors.RequestTimedOutError)) and \
            "timed out after" in str(err):
        # No answer in time (kafka-python's own RequestTimedOutError, not the broker's
        # code 7).
        return "_TIMED_OUT"
    if getattr(err, "errno", None) is None:
        return "_KAFKA_PYTHON_" + type(err).__name__
    return err_name(err.errno)


def main(argv):
    try:
        optlist, rest = getopt.getopt(argv, "b:t:o:s")
    except getopt.GetoptError as e:
        usage(str(e))
    bootstrap, wait_ms, opts, sort = "localhost", 30000, {}, False
    for o, v in optlist:
        if o == "-b":
            bootstrap = v
        elif o == "-t":
            wait_ms = int(v)
        elif o == "-o":
            k, sep, val = v.partition("=")
            if not sep or k not in OPTIONS:
                usage("unsupported -o %r" % v)
            opts[k] = val
        elif o == "-s":
            sort = True
    if not rest or rest[0] not in EVENT:
        usage("OP is one of %s" % ", ".join(EVENT))
    op, args = rest[0], rest[1:]
    conf = {"bootstrap_servers": bootstrap, "bootstrap_timeout_ms": wait_ms}
    if "request_timeout" in opts:
        conf["request_timeout_ms"] = int(opts["request_timeout"])
    admin = KafkaAdminClient(**conf)
    try:
        try:
            err, body = OPS[op](admin, args, opts, sort)
        except Errors.KafkaError as e:
            # Raised: a top-level (or, where kafka-python raises them, an item's)
            # error, a timeout, an API or version the broker lacks.
            err, body = e, None
        except (ValueError, KeyError) as e:
            # kafka-python could not make sense of an argument or of the answer
            # (e.g. an enum value it does not know, or a field the answer's version
            # does not have).
            err, body = e, None
        errstr = "Success" if err is None else str(err).replace("\n", " ")
        print("event %s err=%s errstr=%s" % (EVENT[op], event_err(err), errstr))
        if body is None:
            body = EMPTY.get(op, "")
        sys.stdout.write(body)
        return 0
    finally:
        admin.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
