"""Topics and partitions: list/describe/create/delete topics, wait_for_topics, partitions,
records, leader elections, offsets, reassignments."""
import logging
import time
import uuid

from .. import errors as Errors
from ..structs import OffsetAndTimestamp, TopicPartition
from ._struct import Struct
from ._types import (IsolationLevel, NewTopic, OffsetSpec, acl_operation_names)

log = logging.getLogger(__name__)

NO_AUTH_OPS = -2147483648  # the wire's "not requested / not given"


def topic_uuid(raw):
    if not raw or raw == b"\0" * 16:
        return None
    return uuid.UUID(bytes=bytes(raw))


def auth_bits(ops):
    if ops is None:
        return NO_AUTH_OPS
    return sum(1 << int(o) for o in set(ops))


def _code(err):
    from .client import error_class
    return getattr(error_class(err), "errno", -1) if err is not None else 0


class TopicMixin:
    """Topic, partition and offset operations of KafkaAdminClient."""

    # -- metadata ---------------------------------------------------------------------------

    def list_topics(self):
        """All topic names of the cluster."""
        return list(self._metadata().topics)

    def _describe_topics_raw(self, topics):
        """describe_topics op rows for names (None: every topic); UUIDs are looked up."""
        md = None
        if topics is None or any(isinstance(t, uuid.UUID) for t in topics):
            md = self._metadata()
        names = list(md.topics) if topics is None else [t for t in topics]
        if any(isinstance(t, uuid.UUID) for t in names):
            by_id = {topic_uuid(r[1]): r[0] for r in
                     self._call("describe_topics", list(md.topics)) if r[3] is None}
            names = [by_id.get(t, str(t)) if isinstance(t, uuid.UUID) else t for t in names]
        if not names:
            return [], md
        rows = self._call("describe_topics", names, {"include_authorized_operations": True})
        return rows, md

    def _leader_epochs(self, rows):
        """{(topic, partition): leader epoch} from ListOffsets (the Metadata API of librdkafka
        does not hand leader epochs out); {} when that fails."""
        tps = [(r[0], p[0], -1) for r in rows if r[3] is None for p in r[4]]
        if not tps:
            return {}
        try:
            res = self._call("list_offsets", tps)
        except Errors.KafkaError:
            return {}
        return {(t, p): (-1 if e is None else e) for t, p, _o, _ts, e, err in res if err is None}

    def _topic_dicts(self, rows, md=None):
        if md is None:
            md = self._metadata()
        live = set(md.brokers)
        epochs = self._leader_epochs(rows)
        out = []
        for name, tid, internal, err, parts, ops in rows:
            pdicts = []
            for pid, leader, replicas, isr in parts:
                rids = [n[0] for n in replicas]
                pdicts.append({
                    "error_code": 0,
                    "partition_index": pid,
                    "leader_id": -1 if leader is None else leader[0],
                    "leader_epoch": epochs.get((name, pid), -1),
                    "replica_nodes": rids,
                    "isr_nodes": [n[0] for n in isr],
                    "offline_replicas": [r for r in rids if r not in live],
                })
            out.append({
                "error_code": _code(err),
                "name": name,
                "topic_id": topic_uuid(tid),
                "is_internal": bool(internal),
                "partitions": pdicts,
                "authorized_operations": acl_operation_names(ops),
            })
        return out

    def describe_topics(self, topics=None):
        """Metadata of the topics (names or uuid.UUID ids; None: all) as kafka-python's dicts."""
        rows, md = self._describe_topics_raw(None if topics is None else list(topics))
        return self._topic_dicts(rows, md)

    # -- create / delete --------------------------------------------------------------------

    @staticmethod
    def _new_topics(new_topics):
        out = []
        if isinstance(new_topics, dict):
            for name, d in new_topics.items():
                out.append((name, d.get("num_partitions", -1), d.get("replication_factor", -1),
                            d.get("assignments") or {}, d.get("configs") or {}))
        elif all(isinstance(t, str) for t in new_topics):
            out = [(t, -1, -1, {}, {}) for t in new_topics]
        elif all(isinstance(t, NewTopic) for t in new_topics):
            out = [(t.name, t.num_partitions, t.replication_factor, t.replica_assignments,
                    t.topic_configs) for t in new_topics]
        if not out:
            raise ValueError("No valid topics found in new_topics: %s" % (new_topics,))
        args = []
        for name, parts, rf, assign, configs in out:
            ra = [list(assign[p]) for p in sorted(assign)] if assign else None
            if ra is not None:
                parts = len(ra) if parts == -1 else parts
                rf = -1
            args.append((name, parts, rf, ra, {str(k): str(v) for k, v in configs.items()}))
        return args

    def create_topics(self, new_topics, timeout_ms=None, validate_only=False, raise_errors=True,
                      wait_for_metadata=False):
        """Create topics (names, {name: {num_partitions, replication_factor, assignments,
        configs}} or NewTopic objects); returns {'topics': [CreateTopics result dicts]}."""
        if validate_only and wait_for_metadata:
            raise ValueError("validate_only and wait_for_metadata are mutually exclusive")
        timeout_ms = self._validate_timeout(timeout_ms)
        args = self._new_topics(new_topics)
        res = self._call("create_topics", args, {"validate_only": bool(validate_only)},
                         timeout_ms=timeout_ms)
        errs = {name: err for name, err in res}
        if raise_errors:
            for name, err in res:
                if err is not None:
                    from .client import error_class
                    raise error_class(err)("Request 'CreateTopics' failed for topic %s: %s" % (
                        name, err.str()))
        if wait_for_metadata:
            self.wait_for_topics([a[0] for a in args])
        described = {}
        ok = [a[0] for a in args if errs.get(a[0]) is None]
        if ok and not validate_only:
            try:
                rows, _md = self._describe_topics_raw(ok)
                described = {r[0]: r for r in rows if r[3] is None}
            except Errors.KafkaError:
                described = {}
        defaults = {}
        if validate_only and any(a[1] == -1 or a[2] == -1 for a in args):
            defaults = self._broker_defaults()
        topics = []
        for name, parts, rf, _ra, _cfg in args:
            if validate_only:
                parts = defaults.get("num.partitions", -1) if parts == -1 else parts
                rf = defaults.get("default.replication.factor", -1) if rf == -1 else rf
            err = errs.get(name)
            d = described.get(name)
            if d is not None:
                parts = len(d[4])
                rf = len(d[4][0][2]) if d[4] else rf
            topics.append({
                "name": name,
                "topic_id": topic_uuid(d[1]) if d is not None else None,
                "error_code": _code(err),
                "error_message": None if err is None else err.str(),
                "topic_config_error_code": 0,
                "num_partitions": parts if err is None else -1,
                "replication_factor": rf if err is None else -1,
            })
        return {"topics": topics}

    def _broker_defaults(self):
        """num.partitions / default.replication.factor of a broker (ints; {} if unknown)."""
        from ._types import ConfigResource, ConfigResourceType
        try:
            bid = self._broker_ids()[0]
            configs = self.describe_configs([ConfigResource(
                ConfigResourceType.BROKER, str(bid),
                ["num.partitions", "default.replication.factor"])], config_filter="all")
            return {k: int(v["value"]) for k, v in configs["broker"][str(bid)].items()
                    if v["value"] is not None}
        except (Errors.KafkaError, IndexError, KeyError, ValueError):
            return {}

    def wait_for_topics(self, topic_names, timeout_ms=10000):
        """Block until each topic is in the metadata with a leader for every partition
        (KafkaTimeoutError after timeout_ms)."""
        if not topic_names:
            return
        names = list(topic_names)
        deadline = time.monotonic() + timeout_ms / 1000.0
        while True:
            try:
                found = {t["name"]: t for t in self.describe_topics(names)}
            except Exception as e:
                log.debug("describe_topics failed while waiting for topics: %s", e)
                found = {}
            pending = {}
            for name in names:
                why = self._not_ready(found.get(name))
                if why:
                    pending[name] = why
            if not pending:
                return
            if time.monotonic() >= deadline:
                raise Errors.KafkaTimeoutError("Topics not ready after %sms: %s" % (
                    timeout_ms, pending))
            time.sleep(0.1)

    @staticmethod
    def _not_ready(t):
        if t is None:
            return "missing from metadata response"
        if t.get("error_code"):
            return Errors.for_code(t["error_code"]).__name__
        if not t.get("partitions"):
            return "no partitions reported"
        bad = ["p%s=no leader" % p["partition_index"] for p in t["partitions"]
               if p.get("leader_id", -1) < 0]
        return ",".join(bad) or None

    def delete_topics(self, topics, timeout_ms=None, raise_errors=True):
        """Delete topics (names or uuid.UUID ids); returns {'topics': [result dicts]}."""
        timeout_ms = self._validate_timeout(timeout_ms)
        topics = list(topics)
        ids = {}
        if any(isinstance(t, uuid.UUID) for t in topics):
            rows, _md = self._describe_topics_raw(None)
            by_id = {topic_uuid(r[1]): r[0] for r in rows}
            for t in topics:
                if isinstance(t, uuid.UUID):
                    ids[t] = by_id.get(t)
        names = [ids.get(t) or str(t) if isinstance(t, uuid.UUID) else t for t in topics]
        res = self._call("delete_topics", names, timeout_ms=timeout_ms)
        if raise_errors:
            from .client import error_class
            for name, err in res:
                if err is not None:
                    raise error_class(err)("Request 'DeleteTopics' failed for topic %s: %s" % (
                        name, err.str()))
        back = {v: k for k, v in ids.items()}
        return {"topics": [{"name": name, "topic_id": back.get(name),
                            "error_code": _code(err),
                            "error_message": None if err is None else err.str()}
                           for name, err in res]}

    # -- partitions -------------------------------------------------------------------------

    def create_partitions(self, topic_partitions, timeout_ms=None, validate_only=False,
                          raise_errors=True):
        """Raise topics' partition counts ({topic: count | {count, assignments} |
        NewPartitions}); returns a CreatePartitionsResponse-like object."""
        timeout_ms = self._validate_timeout(timeout_ms)
        args = []
        for name, spec in topic_partitions.items():
            if isinstance(spec, int):
                args.append((name, spec, None))
            elif isinstance(spec, dict):
                args.append((name, spec["count"], [list(a) for a in spec["assignments"]]))
            else:
                na = spec.new_assignments
                args.append((name, spec.total_count, None if na is None else [list(a) for a in na]))
        res = self._call("create_partitions", args, {"validate_only": bool(validate_only)},
                         timeout_ms=timeout_ms)
        if raise_errors:
            from .client import error_class
            for name, err in res:
                if err is not None:
                    raise error_class(err)("Request 'CreatePartitions' failed for %s: %s" % (
                        name, err.str()))
        return Struct("CreatePartitionsResponse", throttle_time_ms=0, results=[
            Struct("CreatePartitionsTopicResult", name=name, error_code=_code(err),
                   error_message=None if err is None else err.str()) for name, err in res])

    def delete_records(self, records_to_delete, timeout_ms=None, partition_leader_id=None):
        """Delete records before the given offsets ({TopicPartition: offset}); returns
        {TopicPartition: {'partition_index', 'low_watermark', 'error_code'}}."""
        timeout_ms = self._validate_timeout(timeout_ms)
        if partition_leader_id is None:
            self._leaders(records_to_delete)
        else:
            self._check_brokers([partition_leader_id])
        args = [(tp.topic, tp.partition, int(off)) for tp, off in records_to_delete.items()]
        res = self._call("delete_records", args, timeout_ms=timeout_ms)
        out, errs = {}, {}
        for t, p, low, err in res:
            tp = TopicPartition(t, p)
            out[tp] = {"partition_index": p, "low_watermark": -1 if err is not None else low,
                       "error_code": _code(err)}
            if err is not None:
                from .client import error_class
                errs[tp] = error_class(err)
        if len(errs) == 1:
            tp, cls = next(iter(errs.items()))
            raise cls("Error deleting records from topic %s partition %s" % (
                tp.topic, tp.partition))
        if errs:
            raise Errors.BrokerResponseError(
                "The following errors occured when trying to delete records: " + ", ".join(
                    "%s(partition=%d): %s" % (tp.topic, tp.partition, c.__name__)
                    for tp, c in errs.items()))
        return out

    def _topic_partition_pairs(self, topic_partitions):
        if topic_partitions is None:
            return None
        if isinstance(topic_partitions, dict):
            return [(t, p) for t, ps in topic_partitions.items() for p in ps]
        return [(t["name"], p["partition_index"]) for t in self.describe_topics(topic_partitions)
                for p in t["partitions"]]

    def elect_leaders(self, election_type, topic_partitions=None, timeout_ms=None,
                      raise_errors=True):
        """Elect leaders (0 preferred, 1 unclean) of {topic: [partitions]}, [topics] or all;
        returns an ElectLeadersResponse-like object."""
        timeout_ms = self._validate_timeout(timeout_ms)
        pairs = self._topic_partition_pairs(topic_partitions)
        res = self._call("elect_leaders", (int(election_type), pairs), timeout_ms=timeout_ms)
        from .client import error_class
        if raise_errors:
            for t, p, err in res:
                cls = error_class(err)
                if cls not in (Errors.NoError, Errors.ElectionNotNeededError):
                    raise cls("Request 'ElectLeaders' failed for %s-%s: %s" % (t, p, err.str()))
        by_topic = {}
        for t, p, err in res:
            by_topic.setdefault(t, []).append(Struct(
                "PartitionResult", partition_id=p, error_code=_code(err),
                error_message=None if err is None else err.str()))
        return Struct("ElectLeadersResponse", throttle_time_ms=0, error_code=0,
                      replica_election_results=[
                          Struct("ReplicaElectionResult", topic=t, partition_result=ps)
                          for t, ps in by_topic.items()])

    def list_partition_offsets(self, topic_partition_specs,
                               isolation_level=IsolationLevel.READ_UNCOMMITTED, timeout_ms=None):
        """Offsets by OffsetSpec or timestamp ({TopicPartition: spec}); returns
        {TopicPartition: OffsetAndTimestamp}. Any partition error raises."""
        level = IsolationLevel.build_from(isolation_level)
        self._leaders(topic_partition_specs)
        args = []
        for tp, spec in topic_partition_specs.items():
            if not isinstance(spec, (int, OffsetSpec)):
                raise TypeError("Unsupported ts type %s, expected int or OffsetSpec" % type(spec))
            args.append((tp.topic, tp.partition, int(spec)))
        if not args:
            return {}
        res = self._call("list_offsets", args, {"isolation_level": int(level.value)})
        from .client import error_class
        out = {}
        for t, p, off, ts, epoch, err in res:
            tp = TopicPartition(t, p)
            if err is not None:
                cls = error_class(err)
                raise cls("ListOffsetsRequest failed for %s: %s" % (tp, cls.__name__))
            out[tp] = OffsetAndTimestamp(off, ts, epoch if epoch is not None and epoch >= 0
                                         else None)
        return out

    # -- reassignments (kafkars extensions) -------------------------------------------------

    def alter_partition_reassignments(self, reassignments, timeout_ms=None):
        """Move partitions' replicas ({TopicPartition: [broker ids] | None to cancel});
        returns {TopicPartition: error class | None}."""
        timeout_ms = self._validate_timeout(timeout_ms)
        args = []
        for tp, replicas in reassignments.items():
            if replicas is not None:
                replicas = list(replicas)
                if not replicas:
                    raise ValueError("Replica list for %s must be non-empty; use None to cancel "
                                     "a reassignment." % (tp,))
                if not all(isinstance(r, int) for r in replicas):
                    raise ValueError("Replica list for %s must be int broker_ids." % (tp,))
            args.append((tp.topic, tp.partition, replicas))
        res = self._call("alter_partition_reassignments", args, timeout_ms=timeout_ms)
        from .client import error_class
        return {TopicPartition(t, p): (None if err is None else error_class(err))
                for t, p, err in res}

    def list_partition_reassignments(self, topic_partitions=None, timeout_ms=None):
        """Ongoing reassignments ({topic: [partitions]}, [TopicPartition] or None: all);
        returns {TopicPartition: {'replicas', 'adding_replicas', 'removing_replicas'}}."""
        timeout_ms = self._validate_timeout(timeout_ms)
        if topic_partitions is None:
            args = None
        elif isinstance(topic_partitions, dict):
            args = [(t, p) for t, ps in topic_partitions.items() for p in ps]
        else:
            args = [(tp.topic, tp.partition) for tp in topic_partitions]
        res = self._call("list_partition_reassignments", args, timeout_ms=timeout_ms)
        return {TopicPartition(t, p): {"replicas": list(r), "adding_replicas": list(a),
                                       "removing_replicas": list(rm)}
                for t, p, r, a, rm in res}

    def describe_topic_partitions(self, topics, response_partition_limit=2000, cursor=None):
        """Topics' partitions, paged (KIP-966 shape): {'topics': [...], 'next_cursor'}.
        Served by librdkafka's DescribeTopics (Metadata): no ELR data (None)."""
        names = sorted(set(topics))
        rows, md = self._describe_topics_raw(names) if names else ([], None)
        dicts = {d["name"]: d for d in self._topic_dicts(rows, md)} if rows else {}
        auth = {r[0]: auth_bits(r[5]) for r in rows}
        out, left, next_cursor = [], int(response_partition_limit), None
        started = cursor is None
        for name in names:
            d = dicts.get(name)
            if d is None:
                continue
            if not started:
                if name < cursor["topic_name"]:
                    continue
                started = True
            parts = d["partitions"]
            if cursor is not None and name == cursor["topic_name"]:
                parts = [p for p in parts if p["partition_index"] >= cursor["partition_index"]]
            if left <= 0 and parts:
                next_cursor = {"topic_name": name, "partition_index": parts[0]["partition_index"]}
                break
            take, rest = parts[:left], parts[left:]
            left -= len(take)
            out.append({
                "error_code": d["error_code"], "name": name, "topic_id": d["topic_id"],
                "is_internal": d["is_internal"],
                "partitions": [{
                    "error_code": p["error_code"], "partition_index": p["partition_index"],
                    "leader_id": p["leader_id"], "leader_epoch": p["leader_epoch"],
                    "replica_nodes": p["replica_nodes"], "isr_nodes": p["isr_nodes"],
                    "eligible_leader_replicas": None, "last_known_elr": None,
                    "offline_replicas": p["offline_replicas"]} for p in take],
                "topic_authorized_operations": auth.get(name, NO_AUTH_OPS),
            })
            if rest:
                next_cursor = {"topic_name": name, "partition_index": rest[0]["partition_index"]}
                break
        return {"topics": out, "next_cursor": next_cursor}
