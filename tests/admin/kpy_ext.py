#!/usr/bin/env python3
"""kpy_ext: kafka-python's KafkaAdminClient as the peer of admin_cli's kafkars extensions.

Makes ONE of the calls that kafkars added from kafka-python (describe_log_dirs,
list_partition_reassignments, alter_partition_reassignments) with kafka-python 3.x
and prints the result in tests/admin/admin_cli.c's text format, so that the
differential test tests/admin_ext_wire.rs can compare the two outputs. It takes
admin_cli's arguments:

    kpy_ext.py -b BOOTSTRAP [-t WAIT_MS] [-o opt=val]... [-s] OP [ARGS...]

    -o request_timeout=MS    KafkaAdminClient(request_timeout_ms=MS)
    -o operation_timeout=MS  the call's timeout_ms (the broker's TimeoutMs)
    -o broker=ID             describe_log_dirs(brokers=[ID])
    -s                       sort the result's entries (as admin_cli -s)

    describe_log_dirs [B:BROKERID...] [TOPIC:PART...]
        no partitions: topic_partitions=None (kafka-python then asks Metadata for
        every partition and sends them all); no brokers: brokers=None (every broker)
    list_partition_reassignments [TOPIC:PART...]   (none: topic_partitions=None)
    alter_partition_reassignments TOPIC:PART[:B1,B2|-] ...  (no list: None, cancel;
        "-": an empty list, which kafka-python refuses)

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

import getopt
import sys

from kafka import KafkaAdminClient, TopicPartition
import kafka.errors as Errors

EVENT = {
    "describe_log_dirs": "DescribeLogDirsResult",
    "list_partition_reassignments": "ListPartitionReassignmentsResult",
    "alter_partition_reassignments": "AlterPartitionReassignmentsResult",
}

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


def event_err(err):
    """The event's err name for what kafka-python raised (None: nothing)."""
    if err is None:
        return "NO_ERROR"
    if isinstance(err, Errors.IncompatibleBrokerVersion):
        # Raised before sending: the broker lacks the API.
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
            if not sep or k not in ("request_timeout", "operation_timeout", "broker"):
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
            if op == "describe_log_dirs":
                err, body = None, describe_log_dirs(admin, args, opts, sort)
            elif op == "list_partition_reassignments":
                err, body = list_partition_reassignments(admin, args, opts, sort)
            else:
                err, body = alter_partition_reassignments(admin, args, opts, sort)
        except (Errors.KafkaTimeoutError, Errors.BrokerResponseError) as e:
            err, body = e, None
        errstr = "Success" if err is None else str(err).replace("\n", " ")
        print("event %s err=%s errstr=%s" % (EVENT[op], event_err(err), errstr))
        sys.stdout.write(body or "")
        return 0
    finally:
        admin.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
