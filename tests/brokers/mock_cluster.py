#!/usr/bin/env python3
"""A mock cluster through librdkafka's mock API, as a test broker: librdkafka's own
(the pip confluent-kafka wheel's library, the default) or kafkars' (--lib or
$KAFKARS_MOCK_LIB = build/compat/librdkafka.so.1).

Usage: mock_cluster.py [--brokers N] [--topic name:partitions[:rf]]...
                       [--controller-id ID] [--rebalance-delay-ms MS] [--lib PATH]
                       [--share-earliest] [--share-heartbeat-ms MS]

Prints `BOOTSTRAP host:port,...` on stdout, then serves one command per stdin
line, answering `OK [data]` or `ERR <message>`. EOF on stdin or `quit` destroys
the cluster and exits. Run with `help` for the command list.
Errors may be given as numbers or names (NOT_LEADER_FOR_PARTITION, _TRANSPORT,
RD_KAFKA_RESP_ERR_...); API keys as numbers or names (Produce, Fetch, ...).
"""

import argparse
import ctypes
import os
import sys
import threading

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import (  # noqa: E402
    find_bundled_librdkafka,
    hard_exit_after,
    log,
    reply,
    serve_commands,
    start_parent_watchdog,
)

API_KEYS = {
    "produce": 0, "fetch": 1, "listoffsets": 2, "metadata": 3,
    "offsetcommit": 8, "offsetfetch": 9, "findcoordinator": 10,
    "joingroup": 11, "heartbeat": 12, "leavegroup": 13, "syncgroup": 14,
    "describegroups": 15, "listgroups": 16, "saslhandshake": 17,
    "apiversions": 18, "createtopics": 19, "deletetopics": 20,
    "deleterecords": 21, "initproducerid": 22, "offsetforleaderepoch": 23,
    "addpartitionstotxn": 24, "addoffsetstotxn": 25, "endtxn": 26,
    "txnoffsetcommit": 28, "describeconfigs": 32, "alterconfigs": 33,
    "createpartitions": 37, "deletegroups": 42, "incrementalalterconfigs": 44,
    "offsetdelete": 47, "describecluster": 60, "consumergroupheartbeat": 68,
    "sharegroupheartbeat": 76, "sharegroupdescribe": 77, "sharefetch": 78,
    "shareacknowledge": 79,
}

# rd_kafka_mock_sharegroup_set_<name>(mcluster, int) (KIP-932, librdkafka 2.16).
SHAREGROUP_SETTERS = (
    "session_timeout", "heartbeat_interval", "max_delivery_attempts",
    "record_lock_duration", "isolation_level", "max_size", "max_fetch_sessions",
    "max_record_locks", "auto_offset_reset",
)


class ErrDesc(ctypes.Structure):
    _fields_ = [("code", ctypes.c_int), ("name", ctypes.c_char_p), ("desc", ctypes.c_char_p)]


class Mock:
    def __init__(self, libpath):
        self.lib = ctypes.CDLL(libpath)
        L = self.lib
        vp, i32, i16, cp = ctypes.c_void_p, ctypes.c_int32, ctypes.c_int16, ctypes.c_char_p
        L.rd_kafka_version_str.restype = cp
        L.rd_kafka_conf_new.restype = vp
        L.rd_kafka_conf_set.argtypes = [vp, cp, cp, cp, ctypes.c_size_t]
        L.rd_kafka_new.restype = vp
        L.rd_kafka_new.argtypes = [ctypes.c_int, vp, cp, ctypes.c_size_t]
        L.rd_kafka_destroy.argtypes = [vp]
        L.rd_kafka_err2str.restype = cp
        L.rd_kafka_err2str.argtypes = [ctypes.c_int]
        L.rd_kafka_err2name.restype = cp
        L.rd_kafka_err2name.argtypes = [ctypes.c_int]
        L.rd_kafka_mock_cluster_new.restype = vp
        L.rd_kafka_mock_cluster_new.argtypes = [vp, ctypes.c_int]
        L.rd_kafka_mock_cluster_destroy.argtypes = [vp]
        L.rd_kafka_mock_cluster_bootstraps.restype = cp
        L.rd_kafka_mock_cluster_bootstraps.argtypes = [vp]
        sigs = {
            "rd_kafka_mock_topic_create": [vp, cp, ctypes.c_int, ctypes.c_int],
            "rd_kafka_mock_topic_delete": [vp, cp],
            "rd_kafka_mock_topic_set_error": [vp, cp, ctypes.c_int],
            "rd_kafka_mock_broker_set_down": [vp, i32],
            "rd_kafka_mock_broker_set_up": [vp, i32],
            "rd_kafka_mock_broker_set_rtt": [vp, i32, ctypes.c_int],
            "rd_kafka_mock_broker_set_rack": [vp, i32, cp],
            "rd_kafka_mock_broker_set_host_port": [vp, i32, cp, ctypes.c_int],
            "rd_kafka_mock_broker_decommission": [vp, i32],
            "rd_kafka_mock_broker_add": [vp, i32],
            "rd_kafka_mock_partition_set_leader": [vp, cp, i32, i32],
            "rd_kafka_mock_partition_set_follower": [vp, cp, i32, i32],
            "rd_kafka_mock_partition_set_follower_wmarks": [vp, cp, i32, ctypes.c_int64, ctypes.c_int64],
            "rd_kafka_mock_partition_delete_records": [vp, cp, i32, ctypes.c_int64],
            "rd_kafka_mock_push_request_errors_array": [vp, i16, ctypes.c_size_t, vp],
            "rd_kafka_mock_clear_request_errors": [vp, i16],
            "rd_kafka_mock_coordinator_set": [vp, cp, cp, i32],
            "rd_kafka_mock_set_apiversion": [vp, i16, i16, i16],
            "rd_kafka_mock_set_controller_id": [vp, i32],
            "rd_kafka_mock_group_initial_rebalance_delay_ms": [vp, i32],
        }
        void_fns = {
            "rd_kafka_mock_topic_set_error",
            "rd_kafka_mock_broker_set_host_port",
            "rd_kafka_mock_push_request_errors_array",
            "rd_kafka_mock_clear_request_errors",
            "rd_kafka_mock_set_controller_id",
            "rd_kafka_mock_group_initial_rebalance_delay_ms",
        }
        for name, argtypes in sigs.items():
            fn = getattr(L, name, None)
            if fn is None:
                continue
            fn.argtypes = argtypes
            fn.restype = None if name in void_fns else ctypes.c_int
        self.errs = self._load_err_names()
        self.rk = None
        self.mc = None

    def _load_err_names(self):
        names = {}
        fn = getattr(self.lib, "rd_kafka_get_err_descs", None)
        if fn is None:
            return names
        arr = ctypes.POINTER(ErrDesc)()
        cnt = ctypes.c_size_t()
        fn.argtypes = [ctypes.POINTER(ctypes.POINTER(ErrDesc)), ctypes.POINTER(ctypes.c_size_t)]
        fn.restype = None
        fn(ctypes.byref(arr), ctypes.byref(cnt))
        for i in range(cnt.value):
            if arr[i].name:
                names[arr[i].name.decode().upper()] = arr[i].code
        return names

    def has(self, fname):
        return getattr(self.lib, fname, None) is not None

    def call(self, fname, *args):
        fn = getattr(self.lib, fname, None)
        if fn is None:
            raise CmdError("%s is not exported by this librdkafka" % fname)
        return fn(*args)

    def call_err(self, fname, *args):
        err = self.call(fname, *args)
        if err:
            raise CmdError(self.errstr(err))

    def errstr(self, err):
        name = self.lib.rd_kafka_err2name(err)
        desc = self.lib.rd_kafka_err2str(err)
        return "%s (%d): %s" % ((name or b"?").decode(), err, (desc or b"").decode())

    def start(self, nbrokers):
        errstr = ctypes.create_string_buffer(512)
        conf = self.lib.rd_kafka_conf_new()
        # The handle only hosts the cluster; keep it quiet and idle.
        for k, v in (("client.id", "kafkars-mock-cluster"), ("log_level", "3")):
            if self.lib.rd_kafka_conf_set(conf, k.encode(), v.encode(), errstr, 512) != 0:
                raise RuntimeError("conf %s: %s" % (k, errstr.value.decode()))
        self.rk = self.lib.rd_kafka_new(0, conf, errstr, 512)
        if not self.rk:
            raise RuntimeError("rd_kafka_new: %s" % errstr.value.decode())
        self.mc = self.lib.rd_kafka_mock_cluster_new(self.rk, nbrokers)
        if not self.mc:
            raise RuntimeError("rd_kafka_mock_cluster_new failed")
        return self.lib.rd_kafka_mock_cluster_bootstraps(self.mc).decode()

    def stop(self):
        if self.mc:
            self.lib.rd_kafka_mock_cluster_destroy(self.mc)
            self.mc = None
        if self.rk:
            self.lib.rd_kafka_destroy(self.rk)
            self.rk = None

    # -- argument parsing helpers --
    def err(self, s):
        try:
            return int(s, 0)
        except ValueError:
            pass
        key = s.upper()
        if key.startswith("RD_KAFKA_RESP_ERR_"):
            key = key[len("RD_KAFKA_RESP_ERR_"):]
        if key in self.errs:
            return self.errs[key]
        raise CmdError("unknown error code %r" % s)


def api_key(s):
    try:
        return int(s, 0)
    except ValueError:
        k = s.lower().replace("_", "")
        if k in API_KEYS:
            return API_KEYS[k]
        raise CmdError("unknown api key %r" % s)


class CmdError(Exception):
    pass


HELP = """commands (answer: OK [data] | ERR msg):
  bootstrap | ping | version | help | quit
  topic_create <topic> <partitions> <rf> | topic_delete <topic> | topic_set_error <topic> <err>
  broker_down <id> | broker_up <id> | broker_set_rtt <id> <ms> | broker_set_rack <id> <rack>
  broker_decommission <id> | broker_add <id>
  broker_set_host_port <id> <host> <port>  (advertised in Metadata, e.g. a TLS proxy's port)
  partition_set_leader <topic> <p> <id> | partition_set_follower <topic> <p> <id>
  partition_set_follower_wmarks <topic> <p> <lo> <hi> | partition_delete_records <topic> <p> <before>
  push_request_errors <apikey> <err>... | clear_request_errors <apikey>
  broker_push_request_error_rtts <id> <apikey> <err>:<rtt_ms>...
  partition_push_request_errors <topic> <p> <apikey> <err>...
  coordinator_set <group|transaction> <key> <id> | set_apiversion <apikey> <min> <max>
  set_controller_id <id> | group_initial_rebalance_delay_ms <ms>
  group_consumer_session_timeout_ms <ms> | group_consumer_heartbeat_interval_ms <ms>
  cgrp_consumer_target_assignment <group> [<member>=<topic>:<p>[,<topic>:<p>]...]...
      (KIP-848 manual target assignment; no member: back to the assignor)
  sharegroup_set <setting> <value>  (KIP-932 rd_kafka_mock_sharegroup_set_<setting>:
      session_timeout heartbeat_interval max_delivery_attempts record_lock_duration
      isolation_level max_size max_fetch_sessions max_record_locks auto_offset_reset)
  sharegroup_target_assignment <group> <member>=<topic>:<p>[,<topic>:<p>]...
  sharegroup_member_ids <group>  (answer: the member ids, space-separated)"""


def handle(m, bootstrap, argv):
    """Run one command; returns the data to append after OK (may be '')."""
    cmd, a = argv[0], argv[1:]

    def need(n):
        if len(a) < n:
            raise CmdError("%s needs %d argument(s)" % (cmd, n))

    I = lambda s: int(s, 0)  # noqa: E731
    B = lambda s: s.encode()  # noqa: E731
    if cmd == "ping":
        return ""
    if cmd == "bootstrap":
        return bootstrap
    if cmd == "version":
        return m.lib.rd_kafka_version_str().decode()
    if cmd == "help":
        return HELP.replace("\n", " ;")
    if cmd == "topic_create":
        need(3)
        m.call_err("rd_kafka_mock_topic_create", m.mc, B(a[0]), I(a[1]), I(a[2]))
    elif cmd == "topic_delete":
        need(1)
        m.call_err("rd_kafka_mock_topic_delete", m.mc, B(a[0]))
    elif cmd == "topic_set_error":
        need(2)
        m.call("rd_kafka_mock_topic_set_error", m.mc, B(a[0]), m.err(a[1]))
    elif cmd == "broker_down":
        need(1)
        m.call_err("rd_kafka_mock_broker_set_down", m.mc, I(a[0]))
    elif cmd == "broker_up":
        need(1)
        m.call_err("rd_kafka_mock_broker_set_up", m.mc, I(a[0]))
    elif cmd == "broker_set_rtt":
        need(2)
        m.call_err("rd_kafka_mock_broker_set_rtt", m.mc, I(a[0]), I(a[1]))
    elif cmd == "broker_set_rack":
        need(2)
        m.call_err("rd_kafka_mock_broker_set_rack", m.mc, I(a[0]), B(a[1]))
    elif cmd == "broker_set_host_port":
        # Only what Metadata advertises changes; the broker keeps listening where it was.
        need(3)
        m.call("rd_kafka_mock_broker_set_host_port", m.mc, I(a[0]), B(a[1]), I(a[2]))
    elif cmd == "broker_decommission":
        need(1)
        m.call_err("rd_kafka_mock_broker_decommission", m.mc, I(a[0]))
    elif cmd == "broker_add":
        need(1)
        m.call_err("rd_kafka_mock_broker_add", m.mc, I(a[0]))
    elif cmd == "partition_set_leader":
        need(3)
        m.call_err("rd_kafka_mock_partition_set_leader", m.mc, B(a[0]), I(a[1]), I(a[2]))
    elif cmd == "partition_set_follower":
        need(3)
        m.call_err("rd_kafka_mock_partition_set_follower", m.mc, B(a[0]), I(a[1]), I(a[2]))
    elif cmd == "partition_set_follower_wmarks":
        need(4)
        m.call_err("rd_kafka_mock_partition_set_follower_wmarks", m.mc, B(a[0]), I(a[1]), I(a[2]), I(a[3]))
    elif cmd == "partition_delete_records":
        need(3)
        m.call_err("rd_kafka_mock_partition_delete_records", m.mc, B(a[0]), I(a[1]), I(a[2]))
    elif cmd == "push_request_errors":
        need(2)
        errs = [m.err(e) for e in a[1:]]
        arr = (ctypes.c_int * len(errs))(*errs)
        m.call("rd_kafka_mock_push_request_errors_array", m.mc, api_key(a[0]), len(errs), arr)
    elif cmd == "clear_request_errors":
        need(1)
        m.call("rd_kafka_mock_clear_request_errors", m.mc, api_key(a[0]))
    elif cmd == "broker_push_request_error_rtts":
        need(3)
        va = []
        for pair in a[2:]:
            e, _, rtt = pair.partition(":")
            va += [ctypes.c_int(m.err(e)), ctypes.c_int(I(rtt) if rtt else 0)]
        fn = getattr(m.lib, "rd_kafka_mock_broker_push_request_error_rtts", None)
        if fn is None:
            raise CmdError("not exported by this librdkafka")
        fn.restype = ctypes.c_int  # variadic: leave argtypes unset
        err = fn(ctypes.c_void_p(m.mc), ctypes.c_int32(I(a[0])), ctypes.c_int16(api_key(a[1])),
                 ctypes.c_size_t(len(va) // 2), *va)
        if err:
            raise CmdError(m.errstr(err))
    elif cmd == "partition_push_request_errors":
        need(4)
        va = [ctypes.c_int(m.err(e)) for e in a[3:]]
        fn = getattr(m.lib, "rd_kafka_mock_partition_push_request_errors", None)
        if fn is None:
            raise CmdError("not exported by this librdkafka")
        fn.restype = ctypes.c_int
        err = fn(ctypes.c_void_p(m.mc), ctypes.c_char_p(B(a[0])), ctypes.c_int32(I(a[1])),
                 ctypes.c_int16(api_key(a[2])), ctypes.c_size_t(len(va)), *va)
        if err:
            raise CmdError(m.errstr(err))
    elif cmd == "coordinator_set":
        need(3)
        m.call_err("rd_kafka_mock_coordinator_set", m.mc, B(a[0]), B(a[1]), I(a[2]))
    elif cmd == "set_apiversion":
        need(3)
        m.call_err("rd_kafka_mock_set_apiversion", m.mc, api_key(a[0]), I(a[1]), I(a[2]))
    elif cmd == "set_controller_id":
        need(1)
        m.call("rd_kafka_mock_set_controller_id", m.mc, I(a[0]))
    elif cmd == "group_initial_rebalance_delay_ms":
        need(1)
        m.call("rd_kafka_mock_group_initial_rebalance_delay_ms", m.mc, I(a[0]))
    elif cmd in ("group_consumer_session_timeout_ms", "group_consumer_heartbeat_interval_ms"):
        need(1)
        fn = getattr(m.lib, "rd_kafka_mock_set_" + cmd, None)
        if fn is None:
            raise CmdError("not exported by this librdkafka")
        fn.argtypes, fn.restype = [ctypes.c_void_p, ctypes.c_int], None
        fn(m.mc, I(a[0]))
    elif cmd == "cgrp_consumer_target_assignment":
        need(1)
        target_assignment(m, a[0], a[1:])
    elif cmd == "sharegroup_set":
        need(2)
        fn = getattr(m.lib, "rd_kafka_mock_sharegroup_set_" + a[0], None)
        if a[0] not in SHAREGROUP_SETTERS or fn is None:
            raise CmdError("no sharegroup setting %r in this librdkafka" % a[0])
        fn.argtypes, fn.restype = [ctypes.c_void_p, ctypes.c_int], None
        fn(m.mc, I(a[1]))
    elif cmd == "sharegroup_target_assignment":
        need(1)
        share_target_assignment(m, a[0], a[1:])
    elif cmd == "sharegroup_member_ids":
        need(1)
        return " ".join(share_member_ids(m, a[0]))
    else:
        raise CmdError("unknown command %r (try help)" % cmd)
    return ""


def share_fn(m, name, argtypes, restype):
    fn = getattr(m.lib, name, None)
    if fn is None:
        raise CmdError("no KIP-932 mock API in this librdkafka")
    fn.argtypes, fn.restype = argtypes, restype
    return fn


def share_target_assignment(m, group, specs):
    """rd_kafka_mock_sharegroup_target_assignment from `member=topic:p,...` specs."""
    L, vp = m.lib, ctypes.c_void_p
    fn = share_fn(m, "rd_kafka_mock_sharegroup_target_assignment",
                  [vp, ctypes.c_char_p, vp, vp, ctypes.c_size_t], None)
    ids, lists = member_lists(m, specs)
    c_ids = (ctypes.c_char_p * max(1, len(ids)))(*ids)
    c_lists = (vp * max(1, len(lists)))(*lists)
    fn(m.mc, group.encode(), ctypes.cast(c_ids, vp), ctypes.cast(c_lists, vp), len(ids))
    for lst in lists:
        L.rd_kafka_topic_partition_list_destroy(lst)


def share_member_ids(m, group):
    """rd_kafka_mock_sharegroup_get_member_ids; the strings freed as the header says."""
    L, vp = m.lib, ctypes.c_void_p
    out = ctypes.POINTER(ctypes.c_void_p)()
    cnt = ctypes.c_size_t(0)
    fn = share_fn(m, "rd_kafka_mock_sharegroup_get_member_ids",
                  [vp, ctypes.c_char_p, vp, vp], ctypes.c_int)
    err = fn(m.mc, group.encode(), ctypes.byref(out), ctypes.byref(cnt))
    if err:
        raise CmdError(m.errstr(err))
    L.rd_kafka_mem_free.argtypes, L.rd_kafka_mem_free.restype = [vp, vp], None
    ids = []
    for i in range(cnt.value):
        ids.append(ctypes.cast(out[i], ctypes.c_char_p).value.decode())
        L.rd_kafka_mem_free(None, out[i])
    if out:
        L.rd_kafka_mem_free(None, ctypes.cast(out, vp))
    return ids


def member_lists(m, specs):
    """Member ids and partition lists (to destroy) from `member=topic:p,...` specs."""
    L, vp = m.lib, ctypes.c_void_p
    L.rd_kafka_topic_partition_list_new.argtypes = [ctypes.c_int]
    L.rd_kafka_topic_partition_list_new.restype = vp
    L.rd_kafka_topic_partition_list_add.argtypes = [vp, ctypes.c_char_p, ctypes.c_int32]
    L.rd_kafka_topic_partition_list_add.restype = vp
    L.rd_kafka_topic_partition_list_destroy.argtypes = [vp]
    ids, lists = [], []
    for spec in specs:
        member, _, parts = spec.partition("=")
        lst = L.rd_kafka_topic_partition_list_new(4)
        for tp in filter(None, parts.split(",")):
            topic, _, p = tp.rpartition(":")
            L.rd_kafka_topic_partition_list_add(lst, topic.encode(), int(p))
        ids.append(member.encode())
        lists.append(lst)
    return ids, lists


def target_assignment(m, group, specs):
    """rd_kafka_mock_cgrp_consumer_target_assignment with lists built from
    `member=topic:p,topic:p` specs; none: NULL (back to the assignor)."""
    L, vp = m.lib, ctypes.c_void_p
    fns = ("rd_kafka_mock_cgrp_consumer_target_assignment_new",
           "rd_kafka_mock_cgrp_consumer_target_assignment_destroy",
           "rd_kafka_mock_cgrp_consumer_target_assignment")
    if not all(getattr(L, f, None) for f in fns):
        raise CmdError("no KIP-848 mock API in this librdkafka")
    new, destroy, apply_ = (getattr(L, f) for f in fns)
    new.argtypes, new.restype = [vp, ctypes.c_int, vp], vp
    destroy.argtypes, destroy.restype = [vp], None
    apply_.argtypes, apply_.restype = [vp, ctypes.c_char_p, vp], None
    if not specs:
        apply_(m.mc, group.encode(), None)
        return
    ids, lists = member_lists(m, specs)
    c_ids = (ctypes.c_char_p * len(ids))(*ids)
    c_lists = (vp * len(lists))(*lists)
    ta = new(ctypes.cast(c_ids, vp), len(ids), ctypes.cast(c_lists, vp))
    for lst in lists:
        L.rd_kafka_topic_partition_list_destroy(lst)
    if not ta:
        raise CmdError("target_assignment_new failed")
    apply_(m.mc, group.encode(), ta)
    destroy(ta)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--brokers", type=int, default=3)
    ap.add_argument("--topic", action="append", default=[], metavar="NAME:PARTITIONS[:RF]")
    ap.add_argument("--controller-id", type=int, default=1, help="-1 to leave unset")
    ap.add_argument("--rebalance-delay-ms", type=int, default=0)
    # Share groups (KIP-932): where a share partition starts, how often members beat.
    ap.add_argument("--share-earliest", action="store_true",
                    help="share groups start at the earliest offset (the mock's default: latest)")
    ap.add_argument("--share-heartbeat-ms", type=int, default=0)
    ap.add_argument("--lib", help="path of librdkafka.so to use (default: $KAFKARS_MOCK_LIB, else "
                    "the pip wheel's); build/compat/librdkafka.so.1 serves kafkars' own mock cluster")
    args = ap.parse_args()

    libpath = args.lib or os.environ.get("KAFKARS_MOCK_LIB") or find_bundled_librdkafka()
    if not libpath:
        log("cannot find the pip confluent-kafka wheel's librdkafka; set KAFKARS_ORACLE_LIBRDKAFKA")
        sys.exit(2)
    m = Mock(libpath)
    log("using %s (librdkafka %s)" % (libpath, m.lib.rd_kafka_version_str().decode()))

    stop_lock = threading.Lock()

    def shutdown(code):
        # Whoever comes first (stdin EOF, quit, watchdog) tears down; bounded.
        if not stop_lock.acquire(blocking=False):
            return
        hard_exit_after(10)
        try:
            m.stop()
        finally:
            sys.stdout.flush()
            os._exit(code)

    start_parent_watchdog(lambda: shutdown(0))

    try:
        bootstrap = m.start(args.brokers)
        if args.controller_id >= 0 and m.has("rd_kafka_mock_set_controller_id"):
            handle(m, bootstrap, ["set_controller_id", str(args.controller_id)])
        if args.rebalance_delay_ms >= 0 and m.has("rd_kafka_mock_group_initial_rebalance_delay_ms"):
            handle(m, bootstrap, ["group_initial_rebalance_delay_ms", str(args.rebalance_delay_ms)])
        if args.share_earliest:
            m.lib.rd_kafka_mock_sharegroup_set_auto_offset_reset(ctypes.c_void_p(m.mc), ctypes.c_int(1))
        if args.share_heartbeat_ms > 0:
            m.lib.rd_kafka_mock_sharegroup_set_heartbeat_interval(ctypes.c_void_p(m.mc),
                                                                 ctypes.c_int(args.share_heartbeat_ms))
        for spec in args.topic:
            parts = spec.split(":")
            rf = parts[2] if len(parts) > 2 else str(min(args.brokers, 3))
            handle(m, bootstrap, ["topic_create", parts[0], parts[1] if len(parts) > 1 else "1", rf])
    except (CmdError, RuntimeError, ValueError) as e:
        log("startup failed: %s" % e)
        shutdown(2)
        return

    for hp in bootstrap.split(","):
        if not hp.startswith("127.0.0.1:"):
            log("warning: mock broker not on 127.0.0.1: %s" % hp)
    reply("BOOTSTRAP " + bootstrap)

    serve_commands(lambda argv: handle(m, bootstrap, argv), CmdError)
    shutdown(0)


if __name__ == "__main__":
    main()
