"""kafka-python's KafkaConsumer on kafkars.Consumer (librdkafka's API in Rust).

Positions are kept here, as kafka-python keeps them: a partition's position is the offset
after the last record handed to the application (poll() or iteration), or, before any, the
committed offset / auto_offset_reset (resolved on position()). Commits (auto commit
included: every auto_commit_interval_ms from poll()/iteration, before a rebalance's
on_partitions_revoked, on unsubscribe/assign and on close(autocommit=True)) commit these
positions; librdkafka's own auto commit is off. Rebalance listeners run from poll(), on the
application's thread, with kafka-python's call pattern (eager: revoked(all, also the empty
set on the first join) then assigned(all); cooperative: only the changes).
"""
import asyncio
import collections
import inspect
import json
import logging
import re
import threading
import time
import uuid
from collections.abc import Sequence

import kafkars as _native

from .. import _config
from .. import errors as Errors
from ..future import Future
from ..producer.kafka import bootstrap, check_topic, native_hooks
from ..serializer import DeserializeWrapper, as_serializer
from ..structs import ConsumerGroupMetadata, OffsetAndMetadata, OffsetAndTimestamp, TopicPartition
from .fetcher import ConsumerRecord
from .subscription_state import AsyncConsumerRebalanceListener, ConsumerRebalanceListener

log = logging.getLogger("kafkars.kafka.consumer")
SUBSCRIPTION_EXCEPTION_MESSAGE = (
    "You must choose only one way to configure your consumer: (1) subscribe to specific topics by"
    " name, (2) subscribe to topics matching a regex pattern, (3) assign itself specific"
    " topic-partitions.")
INVALID = -1001
_INTERNAL = ("__consumer_offsets", "__transaction_state")
_COMMIT_FAILED = (22, 25, 27, 82)  # ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, REBALANCE_IN_PROGRESS, FENCED


class _GroupMetadata(ConsumerGroupMetadata):
    """ConsumerGroupMetadata carrying the native one, for send_offsets_to_transaction()."""
    _native = None


def _ntp(tp, offset=INVALID, metadata=None, epoch=None):
    return _native.TopicPartition(tp.topic, tp.partition, offset, metadata,
                                  epoch if epoch is not None and epoch >= 0 else None)


def _check_tps(partitions):
    if not all(isinstance(p, TopicPartition) for p in partitions):
        raise TypeError("partitions must be TopicPartition namedtuples")


class KafkaConsumer:
    """kafka-python's KafkaConsumer: see kafka-python's documentation for the configs
    (mapped to librdkafka in kafkars/kafka/_config.py, table in KAFKA_PYTHON_CONFIG.md)."""

    DEFAULT_CONFIG = {k: v[1] for k, v in _config.spec("consumer").items()}

    def __init__(self, *topics, **configs):
        cfg, rd = _config.resolve("consumer", configs)
        self.config = cfg
        if not (cfg["fetch_max_wait_ms"] < cfg["request_timeout_ms"] < cfg["connections_max_idle_ms"]):
            raise Errors.KafkaConfigurationError(
                "connections_max_idle_ms ({}) must be larger than request_timeout_ms ({}) which must"
                " be larger than fetch_max_wait_ms ({}).".format(
                    cfg["connections_max_idle_ms"], cfg["request_timeout_ms"], cfg["fetch_max_wait_ms"]))
        if cfg["group_instance_id"] is not None and cfg["group_id"] is None:
            raise Errors.KafkaConfigurationError("group_instance_id requires group_id")
        for key in ("key_deserializer", "value_deserializer"):
            cfg[key] = as_serializer(cfg[key], DeserializeWrapper)
        self._group = cfg["group_id"]
        if self._group is None:
            rd["group.id"] = "kafkars-kafka-nogroup-" + uuid.uuid4().hex
        self._auto_commit = bool(cfg["enable_auto_commit"]) and self._group is not None
        rd["enable.auto.commit"] = False  # emulated: positions are committed from here
        rd["enable.auto.offset.store"] = False
        self._coop = rd["partition.assignment.strategy"].startswith("cooperative")
        self._stats = {}
        native_hooks(rd, cfg, log, lambda err: log.warning("%s", err), self._on_stats)
        try:
            self._native = _native.Consumer(rd)
        except (_native.KafkaException, ValueError, TypeError) as e:
            raise Errors.KafkaConfigurationError(str(e))
        try:
            bootstrap(self._native, cfg, "consumer")
        except Exception:
            self._native.close()
            raise
        self._closed = False
        self._sub_type = None  # None | "topics" | "pattern" | "user"
        self._subscription = None
        self._pattern = None
        self._listener = None
        self._listener_exc = None
        self._revoked_since_assign = False
        self._assigned = []  # kafka-python TopicPartitions, in order
        self._pos = {}  # tp -> int | None (unknown) | "earliest"/"latest" (reset requested)
        self._epoch = {}
        self._fetched = set()  # partitions with a fetch answer seen (for highwater())
        self._paused = set()
        self._dropped = set()  # paused partitions whose fetched records were dropped
        self._completed_commits = collections.deque()  # (callback, offsets, result) to run
        self._buf = collections.deque()  # records fetched for the iterator, not yet handed out
        self._consumer_timeout = float("inf")
        self._next_auto_commit = time.monotonic() + cfg["auto_commit_interval_ms"] / 1000.0
        self._counts = {"records-consumed-total": 0, "bytes-consumed-total": 0}
        self._commit_lock = threading.Lock()
        if topics:
            self.subscribe(topics=list(topics))

    def _timeout(self, timeout_ms):
        return (self.config["request_timeout_ms"] if timeout_ms is None else timeout_ms) / 1000.0

    def _on_stats(self, text):
        try:
            self._stats = json.loads(text)
        except ValueError:
            pass

    def bootstrap_connected(self):
        try:
            self._native.list_topics(timeout=1.0)
            return True
        except _native.KafkaException:
            return False

    # -- subscription and assignment ------------------------------------------------------

    def subscribe(self, topics=(), pattern=None, listener=None):
        """Subscribe to `topics` (a list) or a regex `pattern` (as librdkafka's "^pattern":
        POSIX extended regex, anchored at the start as kafka-python's re.match)."""
        if not topics and not pattern:
            raise ValueError("Must provide topics or pattern")
        if topics and pattern:
            raise Errors.IllegalStateError(SUBSCRIPTION_EXCEPTION_MESSAGE)
        kind = "pattern" if pattern else "topics"
        if self._sub_type not in (None, kind):
            raise Errors.IllegalStateError(SUBSCRIPTION_EXCEPTION_MESSAGE)
        if not pattern:
            if isinstance(topics, str) or not isinstance(topics, Sequence):
                raise TypeError("Topics must be a list (or non-str sequence)")
            for t in topics:
                check_topic(t)
        if listener and not isinstance(listener, (ConsumerRebalanceListener, AsyncConsumerRebalanceListener)):
            raise TypeError("listener must be a ConsumerRebalanceListener or AsyncConsumerRebalanceListener")
        self._sub_type = kind
        self._pattern = pattern
        self._subscription = set() if pattern else set(topics)
        self._listener = listener
        names = ["^" + pattern.lstrip("^")] if pattern else list(topics)
        self._native.subscribe(names, on_assign=self._on_assign, on_revoke=self._on_revoke,
                               on_lost=self._on_lost)

    def subscription(self):
        if self._sub_type in (None, "user"):
            return None
        if self._pattern:
            rx = re.compile(self._pattern)
            try:
                names = self._native.list_topics(timeout=self._timeout(None)).topics
            except _native.KafkaException:
                names = ()
            return set(t for t in names if rx.match(t) and t not in _INTERNAL)
        return set(self._subscription)

    def unsubscribe(self):
        self._drop_buffer(reseek=False)
        self._maybe_auto_commit(force=True)
        was, self._sub_type = self._sub_type, None
        self._listener = None
        self._subscription = self._pattern = None
        self._assigned, self._pos, self._paused = [], {}, set()
        try:
            if was in ("topics", "pattern"):
                self._native.unsubscribe()
            elif was == "user":
                self._native.unassign()
        except _native.KafkaException as e:
            log.warning("unsubscribe: %s", e)

    def assign(self, partitions):
        """Manually assign a list of TopicPartitions (no group management)."""
        if not partitions:
            return self.unsubscribe()
        if self._sub_type in ("topics", "pattern"):
            raise Errors.IllegalStateError(SUBSCRIPTION_EXCEPTION_MESSAGE)
        _check_tps(partitions)
        self._drop_buffer(reseek=False)
        self._maybe_auto_commit(force=True)
        old = self._pos
        self._assigned = list(dict.fromkeys(partitions))
        self._pos = {tp: old.get(tp) for tp in self._assigned}
        self._paused &= set(self._assigned)
        self._sub_type = "user"
        self._reassign()

    def assignment(self):
        return set(self._assigned)

    def _reassign(self):
        """(Re)start fetching every assigned partition from its position here."""
        tps = [_ntp(tp, self._native_offset(tp)) for tp in self._assigned]
        if self._sub_type == "user" or not self._coop:
            self._native.assign(tps)
        else:
            self._native.incremental_unassign(tps)
            self._native.incremental_assign(tps)
        if self._paused:
            self._native.pause([_ntp(tp) for tp in self._paused])

    def _native_offset(self, tp):
        p = self._pos.get(tp)
        if isinstance(p, int):
            return p
        if p is None:
            return INVALID
        return -2 if p == "earliest" else -1

    def _seek_native(self, tp):
        try:
            self._native.seek(_ntp(tp, self._native_offset(tp)))
        except _native.KafkaException:  # not fetching yet: assign again with the offsets
            self._reassign()

    # -- rebalance callbacks (served inside the native poll) --------------------------------

    def _call_listener(self, method, tps):
        lst = self._listener
        if lst is None:
            return
        try:
            fn = getattr(lst, method, None) or lst.on_partitions_revoked
            res = fn(set(tps))
            if inspect.iscoroutine(res):
                asyncio.new_event_loop().run_until_complete(res)
        except Exception as e:
            log.exception("User provided listener %s failed on %s", lst, method)
            if self._listener_exc is None:
                self._listener_exc = e

    def _on_assign(self, consumer, parts):
        tps = [TopicPartition(p.topic, p.partition) for p in parts]
        if self._coop:
            for tp in tps:
                if tp not in self._pos:
                    self._assigned.append(tp)
                    self._pos[tp] = None
        else:
            if not self._revoked_since_assign:
                self._call_listener("on_partitions_revoked", set())
            self._assigned, self._pos, self._paused = list(tps), {tp: None for tp in tps}, set()
        self._revoked_since_assign = False
        if tps or not self._coop:
            self._call_listener("on_partitions_assigned", tps)
        offs = [_ntp(tp, self._native_offset(tp)) for tp in tps]
        if self._coop:
            self._native.incremental_assign(offs)
        else:
            self._native.assign(offs)

    def _on_revoke(self, consumer, parts, lost=False):
        tps = [TopicPartition(p.topic, p.partition) for p in parts]
        self._revoked_since_assign = True
        self._buf.clear()
        if not lost:
            self._maybe_auto_commit(force=True)
        if tps or not self._coop:
            self._call_listener("on_partitions_lost" if lost else "on_partitions_revoked", tps)
        gone = set(tps)
        self._assigned = [tp for tp in self._assigned if tp not in gone]
        for tp in gone:
            self._pos.pop(tp, None)
            self._paused.discard(tp)
        if self._coop:
            self._native.incremental_unassign(parts)
        else:
            self._native.unassign()

    def _on_lost(self, consumer, parts):
        self._on_revoke(consumer, parts, lost=True)

    def _raise_listener_error(self):
        if self._listener_exc is not None:
            exc, self._listener_exc = self._listener_exc, None
            raise Errors.KafkaError("User rebalance callback throws an error") from exc

    # -- fetching ---------------------------------------------------------------------------

    def _record(self, m):
        tstype, ts = m.timestamp()
        key, value = m.key(), m.value()
        headers = list(m.headers() or [])
        hsize = sum(len(k.encode("utf-8")) + len(v or b"") for k, v in headers) if headers else -1
        kd, vd = self.config["key_deserializer"], self.config["value_deserializer"]
        ep = m.leader_epoch()
        rec = ConsumerRecord(
            m.topic(), m.partition(), ep if ep is not None else -1, m.offset(), ts,
            tstype - 1 if tstype else None,
            kd.deserialize(m.topic(), headers, key) if kd is not None else key,
            vd.deserialize(m.topic(), headers, value) if vd is not None else value,
            headers, None, len(key) if key is not None else -1,
            len(value) if value is not None else -1, hsize)
        self._counts["records-consumed-total"] += 1
        self._counts["bytes-consumed-total"] += len(m)
        return rec

    def _error(self, err, m):
        code = err.code()
        if code in (_native.KafkaError._PARTITION_EOF,):
            return
        exc = Errors.from_native(err)
        tp = TopicPartition(m.topic(), m.partition()) if m.topic() else None
        if code == 1:  # OFFSET_OUT_OF_RANGE with auto_offset_reset none
            raise Errors.OffsetOutOfRangeError({tp: self._pos.get(tp)})
        if code == _native.KafkaError._AUTO_OFFSET_RESET:
            raise Errors.NoOffsetForPartitionError(tp)
        if isinstance(exc, Errors.AuthorizationError):
            raise (Errors.TopicAuthorizationFailedError(set([m.topic()]))
                   if code == 29 else exc)
        if err.fatal():
            raise exc
        log.warning("consumer: %s", err)

    def _fetch(self, max_records, timeout):
        m = self._native.poll(timeout)
        self._raise_listener_error()
        if m is None:
            return []
        msgs = [m]
        if max_records > 1:
            msgs += self._native.consume(max_records - 1, 0)
            self._raise_listener_error()
        out = []
        for m in msgs:
            err = m.error()
            if err is not None:
                self._error(err, m)
                continue
            tp = TopicPartition(m.topic(), m.partition())
            if tp not in self._pos or tp in self._paused:
                self._dropped.add(tp)
                continue
            out.append(self._record(m))
        return out

    def _advance(self, rec):
        tp = TopicPartition(rec.topic, rec.partition)
        self._pos[tp] = rec.offset + 1
        self._epoch[tp] = rec.leader_epoch

    def poll(self, timeout_ms=0, max_records=None, update_offsets=True):
        """{TopicPartition: [ConsumerRecord]} fetched within `timeout_ms` (returns as soon as
        there are records), at most `max_records` (default max_poll_records) in all."""
        if timeout_ms < 0:
            raise ValueError("Timeout must not be negative")
        if max_records is None:
            max_records = self.config["max_poll_records"]
        if not isinstance(max_records, int):
            raise TypeError("max_records must be an integer")
        if max_records <= 0:
            raise ValueError("max_records must be positive")
        if self._closed:
            raise Errors.IllegalStateError("KafkaConsumer is closed")
        deadline = time.monotonic() + timeout_ms / 1000.0
        self._run_commit_callbacks()
        while True:
            self._maybe_auto_commit()
            left = max(0.0, deadline - time.monotonic())
            recs = self._fetch(max_records, min(left, 1.0))
            if left >= 0.1 or recs:
                self._fetched.update(self._pos)
            if recs:
                out = collections.OrderedDict()
                for r in recs:
                    out.setdefault(TopicPartition(r.topic, r.partition), []).append(r)
                    if update_offsets:
                        self._advance(r)
                return dict(out)
            if time.monotonic() >= deadline or self._closed:
                return {}

    def __iter__(self):
        return self

    def __next__(self):
        if self._closed:
            raise StopIteration("KafkaConsumer closed")
        ct = self.config["consumer_timeout_ms"]
        self._consumer_timeout = time.monotonic() + ct / 1000.0 if ct >= 0 else float("inf")
        while time.monotonic() < self._consumer_timeout:
            if not self._buf:
                left = min(self._consumer_timeout - time.monotonic(), 1.0)
                for recs in self.poll(timeout_ms=max(0, int(left * 1000)), update_offsets=False).values():
                    self._buf.extend(recs)
                continue
            rec = self._buf.popleft()
            tp = TopicPartition(rec.topic, rec.partition)
            if tp not in self._pos or tp in self._paused:
                self._discard(tp)
                continue
            self._advance(rec)
            return rec
        raise StopIteration()

    def _discard(self, tp):
        """Drop the iterator's records of `tp` and fetch it again from its position."""
        self._buf = collections.deque(r for r in self._buf if (r.topic, r.partition) != tp)
        if tp in self._pos:
            self._seek_native(tp)

    def _drop_buffer(self, reseek=True):
        tps = set(TopicPartition(r.topic, r.partition) for r in self._buf)
        self._buf.clear()
        for tp in tps:
            if reseek and tp in self._pos:
                self._seek_native(tp)

    # -- positions ------------------------------------------------------------------------

    def _require_assigned(self, tp):
        if not isinstance(tp, TopicPartition):
            raise TypeError("partition must be a TopicPartition namedtuple")
        if tp not in self._pos:
            raise Errors.IllegalStateError("Partition is not assigned")

    def position(self, partition, timeout_ms=None):
        """The offset of the next record for `partition` (resolving committed offset /
        auto_offset_reset when there is none yet)."""
        self._require_assigned(partition)
        p = self._pos.get(partition)
        if isinstance(p, int):
            return p
        t = self._timeout(timeout_ms)
        ntp = _ntp(partition)
        try:
            if p is None and self._group is not None:
                c = self._native.committed([ntp], t)[0]
                if c.offset >= 0:
                    p = c.offset
            if not isinstance(p, int):
                how = p or {"earliest": "earliest", "smallest": "earliest", "latest": "latest",
                            "largest": "latest"}.get(self.config["auto_offset_reset"])
                if how is None:
                    raise Errors.NoOffsetForPartitionError(partition)
                lo, hi = self._native.get_watermark_offsets(ntp, timeout=t)
                p = lo if how == "earliest" else hi
        except _native.KafkaException as e:
            exc = Errors.from_native(e)
            if isinstance(exc, Errors.KafkaTimeoutError):
                return None
            raise exc
        self._pos[partition] = p
        self._seek_native(partition)
        return p

    def highwater(self, partition):
        self._require_assigned(partition)
        if partition not in self._fetched:
            return None  # kafka-python: known from fetch responses only
        try:
            hi = self._native.get_watermark_offsets(_ntp(partition), cached=True)[1]
        except _native.KafkaException:
            return None
        return hi if hi >= 0 else None

    def seek(self, partition, offset):
        if not isinstance(partition, TopicPartition):
            raise TypeError("partition must be a TopicPartition namedtuple")
        if not isinstance(offset, int) or offset < 0:
            raise ValueError("Offset must be int >= 0")
        if partition not in self._pos:
            raise ValueError("Unassigned partition")
        self._drop_buffer()
        self._pos[partition] = offset
        self._seek_native(partition)

    def _seek_to(self, partitions, how):
        _check_tps(partitions)
        if not partitions:
            partitions = list(self._assigned)
            if not partitions:
                raise ValueError("No partitions are currently assigned")
        for p in partitions:
            if p not in self._pos:
                raise ValueError("Unassigned partition: %s" % (p,))
        self._drop_buffer()
        for tp in partitions:
            self._pos[tp] = how
            self._seek_native(tp)

    def seek_to_beginning(self, *partitions):
        self._seek_to(partitions, "earliest")

    def seek_to_end(self, *partitions):
        self._seek_to(partitions, "latest")

    def pause(self, *partitions):
        _check_tps(partitions)
        for tp in partitions:
            self._paused.add(tp)
        try:
            self._native.pause([_ntp(tp) for tp in partitions])
        except _native.KafkaException as e:
            log.warning("pause: %s", e)

    def resume(self, *partitions):
        _check_tps(partitions)
        for tp in partitions:
            self._paused.discard(tp)
        try:
            self._native.resume([_ntp(tp) for tp in partitions])
        except _native.KafkaException as e:
            log.warning("resume: %s", e)
        # Fetch from the position here: records fetched while paused were dropped, and
        # librdkafka resumes from its last delivered offset, not from a logical seek.
        for tp in partitions:
            if tp in self._pos:
                self._seek_native(tp)
            self._dropped.discard(tp)

    def paused(self):
        return set(self._paused)

    # -- offsets ----------------------------------------------------------------------------

    def _consumed(self):
        return {tp: OffsetAndMetadata(p, "", self._epoch.get(tp, -1))
                for tp, p in self._pos.items() if isinstance(p, int)}

    def _commit_list(self, offsets):
        out = []
        for tp, om in offsets.items():
            if isinstance(om, int):
                om = OffsetAndMetadata(om, "", -1)
            elif not isinstance(om, OffsetAndMetadata):
                raise TypeError("offset must be type int or OffsetAndMetadata")
            out.append(_ntp(tp, om.offset, om.metadata or None, om.leader_epoch))
        return out

    def _commit_sync(self, offsets):
        if not offsets:
            return
        try:
            with self._commit_lock:
                res = self._native.commit(offsets=self._commit_list(offsets), asynchronous=False)
        except _native.KafkaException as e:
            exc = Errors.from_native(e)
            raise Errors.CommitFailedError() if getattr(exc, "errno", None) in _COMMIT_FAILED else exc
        for r in res or ():
            if r.error is not None:
                raise Errors.from_native(r.error)

    def _run_commit_callbacks(self):
        while self._completed_commits:
            cb, offsets, res = self._completed_commits.popleft()
            try:
                cb(offsets, res)
            except Exception:
                log.exception("offset commit callback")

    def commit(self, offsets=None, timeout_ms=None):
        """Commit `offsets` ({TopicPartition: OffsetAndMetadata}; default: the positions)."""
        self._run_commit_callbacks()
        if self._group is None:
            raise Errors.IllegalStateError("Requires group_id")
        self._commit_sync(self._consumed() if offsets is None else offsets)

    def commit_async(self, offsets=None, callback=None):
        """Commit in the background; returns a Future; callback(offsets, response or
        exception) runs on a helper thread when the broker answered."""
        if self._group is None:
            raise Errors.IllegalStateError("Requires group_id")
        self._run_commit_callbacks()
        offsets = self._consumed() if offsets is None else dict(offsets)
        callback = callback or self.config["default_offset_commit_callback"]
        fut = Future()

        def run():
            try:
                self._commit_sync(offsets)
                res = None
            except Exception as e:  # noqa: BLE001 - handed to the future
                res = e
            if callback is not None:  # run by the next poll()/commit(), as kafka-python does
                self._completed_commits.append((callback, offsets, res))
            fut.failure(res) if res is not None else fut.success(None)

        threading.Thread(target=run, name="kafkars-kafka-commit", daemon=True).start()
        return fut

    def _maybe_auto_commit(self, force=False):
        if not self._auto_commit or self._closed and not force:
            return
        now = time.monotonic()
        if not force and now < self._next_auto_commit:
            return
        self._next_auto_commit = now + self.config["auto_commit_interval_ms"] / 1000.0
        try:
            self._commit_sync(self._consumed())
        except Exception as e:  # kafka-python logs failed auto commits
            log.warning("Auto offset commit failed: %s", e)

    def committed(self, partition, metadata=False, timeout_ms=None):
        if self._group is None:
            raise Errors.IllegalStateError("Requires group_id")
        if not isinstance(partition, TopicPartition):
            raise TypeError("partition must be a TopicPartition namedtuple")
        try:
            c = self._native.committed([_ntp(partition)], self._timeout(timeout_ms))[0]
        except _native.KafkaException as e:
            raise Errors.from_native(e)
        if c.offset < 0:
            return None
        if not metadata:
            return c.offset
        return OffsetAndMetadata(c.offset, c.metadata, c.leader_epoch if c.leader_epoch is not None else -1)

    def _watermarks(self, partitions, timeout_ms, idx):
        t = self._timeout(timeout_ms)
        out = {}
        for tp in partitions:
            try:
                out[tp] = self._native.get_watermark_offsets(_ntp(tp), timeout=t)[idx]
            except _native.KafkaException as e:
                exc = Errors.from_native(e)
                if isinstance(exc, Errors.KafkaTimeoutError):
                    raise Errors.KafkaTimeoutError("Failed to get offsets by timestamps in %s ms" % (t * 1000,))
                raise exc
        return out

    def beginning_offsets(self, partitions, timeout_ms=None):
        return self._watermarks(partitions, timeout_ms, 0)

    def end_offsets(self, partitions, timeout_ms=None):
        return self._watermarks(partitions, timeout_ms, 1)

    def offsets_for_times(self, timestamps, timeout_ms=None):
        """{tp: OffsetAndTimestamp or None}: the first offset whose timestamp is >= the given
        one. The timestamp reported is that record's (librdkafka does not return ListOffsets'
        timestamp: the record is read with a short-lived assign-only consumer)."""
        for tp, ts in timestamps.items():
            if ts < 0:
                raise ValueError("The target time for partition {} is {}. The target time cannot"
                                 " be negative.".format(tp, ts))
        t = self._timeout(timeout_ms)
        tps = list(timestamps)
        try:
            res = self._native.offsets_for_times([_ntp(tp, int(timestamps[tp])) for tp in tps], t)
        except _native.KafkaException as e:
            exc = Errors.from_native(e)
            if isinstance(exc, Errors.KafkaTimeoutError):
                raise Errors.KafkaTimeoutError("Failed to get offsets by timestamps in %s ms" % (t * 1000,))
            raise exc
        found = {tp: r.offset for tp, r in zip(tps, res) if r.offset is not None and r.offset >= 0}
        stamps = self._record_times(found, t)
        return {tp: (OffsetAndTimestamp(found[tp], *stamps.get(tp, (-1, -1))) if tp in found else None)
                for tp in tps}

    def _record_times(self, found, timeout):
        if not found:
            return {}
        c = _native.Consumer({"bootstrap.servers": _config._servers(self.config["bootstrap_servers"]),
                              "group.id": "kafkars-kafka-times-" + uuid.uuid4().hex,
                              "enable.auto.commit": False, "auto.offset.reset": "error",
                              "logger": log, "isolation.level": self.config["isolation_level"]})
        out = {}
        try:
            c.assign([_ntp(tp, off) for tp, off in found.items()])
            deadline = time.monotonic() + min(timeout, 5.0)
            while len(out) < len(found) and time.monotonic() < deadline:
                m = c.poll(0.1)
                if m is None or m.error() is not None:
                    continue
                tp = TopicPartition(m.topic(), m.partition())
                if tp in found and tp not in out and m.offset() >= found[tp]:
                    ep = m.leader_epoch()
                    out[tp] = (m.timestamp()[1], ep if ep is not None else -1)
        finally:
            c.close()
        return out

    # -- metadata ---------------------------------------------------------------------------

    def topics(self):
        try:
            names = self._native.list_topics(timeout=self._timeout(None)).topics
        except _native.KafkaException as e:
            raise Errors.from_native(e)
        return set(t for t in names if not (self.config["exclude_internal_topics"] and t in _INTERNAL))

    def partitions_for_topic(self, topic):
        try:
            tm = self._native.list_topics(topic, timeout=self._timeout(None)).topics.get(topic)
        except _native.KafkaException:
            return set()
        return set(tm.partitions) if tm is not None and tm.error is None else set()

    def group_metadata(self):
        if self._group is None:
            return ConsumerGroupMetadata(group_id=None)
        gm = _GroupMetadata(self._group, -1, self._native.memberid() or "",
                            self.config["group_instance_id"])
        gm._native = self._native.consumer_group_metadata()
        return gm

    def metrics(self, raw=False):
        if not self.config["metrics_enabled"]:
            return None
        m = dict(self._counts)
        s = self._stats or {}
        cg = s.get("cgrp") or {}
        out = {"consumer-fetch-manager-metrics": m,
               "consumer-coordinator-metrics": {"assigned-partitions": len(self._assigned),
                                                "rebalance-total": cg.get("rebalance_cnt", 0)},
               "kafka-metrics-count": {"count": len(m) + 2}}
        return out

    # -- closing ----------------------------------------------------------------------------

    def close(self, autocommit=True, timeout_ms=None):
        """Commit the positions (if enable_auto_commit and `autocommit`), leave the group and
        release the native consumer."""
        if self._closed:
            return
        if autocommit:
            self._maybe_auto_commit(force=True)
        self._closed = True
        self._listener = None
        try:
            self._native.close()
        except Exception as e:  # noqa: BLE001
            log.warning("close: %s", e)
        for key in ("key_deserializer", "value_deserializer"):
            try:
                self.config[key].close()
            except AttributeError:
                pass

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        self.close(autocommit=exc_type is None)
