"""kafka-python's KafkaProducer on kafkars.Producer (librdkafka's API in Rust).

A background thread serves the native producer (poll/flush, which release the GIL) so that
futures resolve, and their callbacks run, without the application polling, as on
kafka-python's sender thread. Partitions: records without an explicit partition and with
the default partitioner go to librdkafka's murmur2_random (kafka-python's DefaultPartitioner:
Java murmur2 of the key, random without a key); a StickyPartitioner (exact class) goes there
too, with librdkafka's sticky partitioning of keyless records (KIP-480 done natively); another
partitioner, subclasses included, runs in Python on the topic's partitions from cached metadata.
"""
import atexit
import json
import logging
import re
import threading
import time
import weakref

import kafkars as _native

from .. import _config
from .. import errors as Errors
from ..partitioner import DefaultPartitioner, StickyPartitioner
from ..serializer import SerializeWrapper, as_serializer
from ..structs import TopicPartition
from .future import FutureRecordMetadata, RecordMetadata

log = logging.getLogger("kafkars.kafka.producer")
_TOPIC_RE = re.compile(r"^[a-zA-Z0-9._-]+$")


_GOOD_TOPICS = set()


def check_topic(topic):
    if topic in _GOOD_TOPICS:
        return
    if not isinstance(topic, str):
        raise TypeError("All topics must be strings")
    if not topic or topic in (".", "..") or len(topic) > 249 or not _TOPIC_RE.match(topic):
        raise ValueError("Topic name %r is illegal" % (topic,))
    if len(_GOOD_TOPICS) < 10000:
        _GOOD_TOPICS.add(topic)


def oauth_callback(provider):
    """librdkafka's oauth_cb from kafka-python's sasl_oauth_token_provider."""
    def cb(_config_str):
        ext = provider.extensions() if hasattr(provider, "extensions") else None
        return (provider.token(), time.time() + 300, "kafkars", dict(ext or {}))
    return cb


def native_hooks(rd, cfg, logger, on_error, on_stats):
    """The callbacks both clients give the native one: OAuth tokens from
    sasl_oauth_token_provider, statistics for metrics(), logs and errors."""
    if cfg["sasl_oauth_token_provider"] is not None:
        rd["oauth_cb"] = oauth_callback(cfg["sasl_oauth_token_provider"])
    if cfg["metrics_enabled"]:
        rd["statistics.interval.ms"] = int(cfg["metrics_sample_window_ms"])
        rd["stats_cb"] = on_stats
    rd["logger"] = logger
    rd["error_cb"] = on_error


def bootstrap(client, cfg, what):
    """kafka-python waits (bootstrap_timeout_ms) for a broker in its constructor."""
    if cfg.get("api_version") is not None:
        return
    try:
        client.list_topics(timeout=cfg["bootstrap_timeout_ms"] / 1000.0)
    except _native.KafkaException:
        raise Errors.NoBrokersAvailable("Unable to bootstrap from %s" % (
            _config._servers(cfg["bootstrap_servers"]),))


class _Cluster:
    """What a Python partitioner sees (kafka-python's ClusterMetadata, partly)."""

    def __init__(self, producer):
        self._p = producer

    def topics(self):
        return set(t for t, v in self._p._meta.items() if v)

    def partitions_for_topic(self, topic):
        m = self._p._meta.get(topic)
        return set(m[0]) if m else None

    def available_partitions_for_topic(self, topic):
        m = self._p._meta.get(topic)
        return set(m[1]) if m else None


class KafkaProducer:
    """kafka-python's KafkaProducer: see kafka-python's documentation for the configs
    (mapped to librdkafka in kafkars/kafka/_config.py, table in KAFKA_PYTHON_CONFIG.md)."""

    DEFAULT_CONFIG = {k: v[1] for k, v in _config.spec("producer").items()}

    def __init__(self, **configs):
        user = set(configs)
        cfg, rd = _config.resolve("producer", configs)
        self.config = cfg
        for key in ("key_serializer", "value_serializer"):
            cfg[key] = as_serializer(cfg[key], SerializeWrapper)
        cfg["acks"] = _config._acks(cfg["acks"])
        self._idempotence(cfg, rd, user)
        part = cfg["partitioner"]
        if part is _config.DEFAULT or type(part) is DefaultPartitioner:
            self._partitioner = None
            rd["partitioner"] = "murmur2_random"
        elif type(part) is StickyPartitioner:
            # KIP-480 natively: keyed records as DefaultPartitioner, keyless ones stick to one
            # partition per topic. librdkafka derives sticky.partitioning.linger.ms as
            # 2 x linger.ms, 0 (a random partition per record) for kafka-python's linger_ms=0,
            # so it is set here: that, but at least librdkafka's default of 10 ms.
            self._partitioner = None
            rd["partitioner"] = "murmur2_random"
            linger = float(rd.get("linger.ms") or 0)
            rd["sticky.partitioning.linger.ms"] = int(min(900000, max(10, 2 * linger)))
        elif hasattr(part, "partition") or callable(part):
            self._partitioner = part
        else:
            raise Errors.KafkaConfigurationError("partitioner must be a Partitioner or a callable")
        self._stats = {}
        native_hooks(rd, cfg, log, self._on_error, self._on_stats)
        try:
            self._native = _native.Producer(rd)
        except (_native.KafkaException, ValueError, TypeError) as e:
            raise Errors.KafkaConfigurationError(str(e))
        self._closed = False
        self._meta = {}  # topic -> (partitions, available, fetched at) or None
        self._cluster = _Cluster(self)
        self._lock = threading.Condition()
        self._pending = 0
        self._flushing = 0
        self._counts = {"record-send-total": 0, "record-error-total": 0, "byte-total": 0}
        self._stop = False
        try:
            bootstrap(self._native, cfg, "producer")
        except Exception:
            self._native = None
            raise
        self._thread = threading.Thread(target=self._serve, name="kafkars-kafka-producer-io",
                                        daemon=True)
        self._thread.start()
        ref = weakref.ref(self)
        self._atexit = lambda: ref() and ref()._close_at_exit()
        atexit.register(self._atexit)

    @staticmethod
    def _idempotence(cfg, rd, user):
        """kafka-python 3's rules for enable_idempotence / transactional_id."""
        explicit = "enable_idempotence" in user
        if explicit and not cfg["enable_idempotence"] and cfg["transactional_id"]:
            raise Errors.KafkaConfigurationError("Cannot set transactional_id without enable_idempotence.")
        if cfg["transactional_id"]:
            cfg["enable_idempotence"] = explicit = True
        if cfg["enable_idempotence"]:
            bad = []
            if "acks" in user and cfg["acks"] != -1:
                bad.append(("acks", cfg["acks"]))
            if "retries" in user and cfg["retries"] == 0:
                bad.append(("retries", 0))
            if ("max_in_flight_requests_per_connection" in user
                    and cfg["max_in_flight_requests_per_connection"] > 5):
                bad.append(("max_in_flight_requests_per_connection",
                            cfg["max_in_flight_requests_per_connection"]))
            if bad:
                text = ", ".join("%s=%r" % kv for kv in bad)
                if explicit:
                    raise Errors.KafkaConfigurationError(
                        "enable_idempotence=True is incompatible with user-provided %s" % (text,))
                log.warning("Idempotence will be disabled because user-provided config conflicts"
                            " with idempotent defaults: %s", text)
                cfg["enable_idempotence"] = False
        av = cfg.get("api_version")
        if isinstance(av, str):
            av = tuple(int(x) for x in av.split(".") if x.isdigit())
        if av is not None:
            av = tuple(av) + (0,) * (3 - len(av))  # as kafka-python shows it: (0, 10, 0)
        if cfg["enable_idempotence"] and av is not None and av < (0, 11):
            # A pre-0.11 broker has no producer ids: kafka-python drops the default, refuses
            # an explicit request.
            if explicit:
                raise Errors.KafkaConfigurationError(
                    "Idempotent/Transactional producer requires broker >= 0.11 (got api_version=%s)"
                    % (av,))
            log.warning("Idempotence will be disabled because broker api_version %s < (0, 11)", av)
            cfg["enable_idempotence"] = False
        rd["enable.idempotence"] = bool(cfg["enable_idempotence"])
        if cfg["transactional_id"] and cfg["delivery_timeout_ms"] > cfg["transaction_timeout_ms"]:
            rd["delivery.timeout.ms"] = cfg["transaction_timeout_ms"]  # librdkafka requires <=
        rd["acks"] = cfg["acks"]

    # -- background I/O thread ------------------------------------------------------------

    def _serve(self):
        n = self._native
        while not self._stop:
            try:
                if self._flushing:
                    n.flush(0.05)
                else:
                    n.poll(0.1)
            except Exception:  # a callback's exception: already logged by Future
                log.exception("producer I/O thread")

    def _on_error(self, err):
        log.warning("%s: %s", self, err)

    def _on_stats(self, text):
        try:
            self._stats = json.loads(text)
        except ValueError:
            pass

    # -- sending --------------------------------------------------------------------------

    def _serialize(self, ser, topic, headers, data):
        if ser is None:
            return data
        try:
            return ser.serialize(topic, headers, data)
        except TypeError:
            return ser.serialize(topic, data)  # kafka-python 1.x/2.x Serializer signature

    def _partitions(self, topic, max_wait_ms):
        m = self._meta.get(topic)
        if m and time.monotonic() - m[2] < self.config["metadata_max_age_ms"] / 1000.0:
            return m
        deadline = time.monotonic() + max_wait_ms / 1000.0
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Errors.KafkaTimeoutError("Failed to update metadata after %.1f secs." % (
                    max_wait_ms / 1000.0,))
            try:
                md = self._native.list_topics(topic, timeout=min(left, 5.0))
                tm = md.topics.get(topic)
            except _native.KafkaException:
                tm = None
            if tm is not None and tm.error is not None:
                code = tm.error.code()
                if code == Errors.TopicAuthorizationFailedError.errno:
                    raise Errors.TopicAuthorizationFailedError(set([topic]))
                if code == Errors.InvalidTopicError.errno:
                    raise Errors.InvalidTopicError(topic)
            if tm is not None and tm.partitions:
                parts = sorted(tm.partitions)
                avail = sorted(p for p, pm in tm.partitions.items() if pm.leader >= 0)
                m = self._meta[topic] = (parts, avail, time.monotonic())
                return m
            time.sleep(min(0.1, max(0.0, deadline - time.monotonic())))

    def _choose(self, topic, key, key_bytes, value, value_bytes, meta):
        p = self._partitioner
        if hasattr(p, "partition"):
            try:
                return p.partition(topic, key, key_bytes, value, value_bytes, self._cluster)
            except TypeError:
                return p.partition(topic, key_bytes, self._cluster)  # 2.x partitioner object
        return p(key_bytes, list(meta[0]), list(meta[1]))  # 2.x callable(key, all, available)

    def send(self, topic, value=None, key=None, headers=None, partition=None, timestamp_ms=None):
        """Queue a record; returns a FutureRecordMetadata (see kafka-python's send())."""
        if self._closed:
            raise Errors.IllegalStateError("KafkaProducer already closed!")
        if value is None and key is None:
            raise ValueError("Need at least one: key or value")
        check_topic(topic)
        headers = [] if headers is None else headers
        if not isinstance(headers, list):
            raise TypeError("headers must be list-type")
        if not all(isinstance(h, tuple) and len(h) == 2 and isinstance(h[0], str)
                   and isinstance(h[1], bytes) for h in headers):
            raise TypeError("All headers items must be (str, bytes) tuples")
        key_bytes = self._serialize(self.config["key_serializer"], topic, headers, key)
        value_bytes = self._serialize(self.config["value_serializer"], topic, headers, value)
        for what, b in (("key", key_bytes), ("value", value_bytes)):
            if b is not None and not isinstance(b, (bytes, bytearray, memoryview)):
                raise TypeError("Unsupported type for serialized %s: %s" % (what, type(b)))
        ksize = len(key_bytes) if key_bytes is not None else -1
        vsize = len(value_bytes) if value_bytes is not None else -1
        hsize = sum(len(k.encode("utf-8")) + len(v) for k, v in headers) if headers else -1
        meta = self._partitions(topic, self.config["max_block_ms"])
        if partition is not None:
            if partition < 0:
                raise ValueError("partition must be >= 0")
            if partition not in meta[0]:
                raise ValueError("Unrecognized partition %s for topic %s" % (partition, topic))
        elif self._partitioner is not None:
            partition = self._choose(topic, key, key_bytes, value, value_bytes, meta)
            if partition is None:
                raise ValueError("Partitioner did not assign a partition for topic %s!" % (topic,))
        size = 61 + 21 + max(ksize, 0) + max(vsize, 0) + sum(
            len(k.encode("utf-8")) + len(v) + 10 for k, v in headers)
        if size > self.config["max_request_size"]:
            raise Errors.MessageSizeTooLargeError(
                "The message is %d bytes when serialized which is larger than the maximum request"
                " size you have configured with the max_request_size configuration" % (size,))
        ts = int(timestamp_ms) if timestamp_ms is not None else int(time.time() * 1000)
        fut = FutureRecordMetadata(TopicPartition(topic, partition), ts, ksize, vsize, hsize)
        cb = self._delivery(fut, ts, ksize, vsize, hsize)
        self._produce(fut, cb, topic, value_bytes, key_bytes, partition, ts, headers)
        return fut

    def _produce(self, fut, cb, topic, value, key, partition, ts, headers):
        deadline = time.monotonic() + self.config["max_block_ms"] / 1000.0
        with self._lock:
            self._pending += 1
        try:
            while True:
                try:
                    self._native.produce(topic, value=bytes(value) if value is not None else None,
                                         key=bytes(key) if key is not None else None,
                                         partition=-1 if partition is None else partition,
                                         on_delivery=cb, timestamp=ts, headers=headers or None)
                    return
                except BufferError:
                    if time.monotonic() >= deadline:
                        raise Errors.KafkaTimeoutError(
                            "Failed to allocate memory within the configured max blocking time")
                    time.sleep(0.005)
                except _native.KafkaException as e:
                    raise Errors.from_native(e)
        except BaseException:
            self._done()
            raise

    def _done(self):
        with self._lock:
            self._pending -= 1
            if self._pending <= 0:
                self._lock.notify_all()

    def _delivery(self, fut, ts, ksize, vsize, hsize):
        def on_delivery(err, msg):
            try:
                if err is not None:
                    self._counts["record-error-total"] += 1
                    fut.failure(Errors.from_native(err))
                    return
                tstype, mts = msg.timestamp()
                off = msg.offset()
                tp = TopicPartition(msg.topic(), msg.partition())
                fut.topic_partition = tp
                self._counts["record-send-total"] += 1
                self._counts["byte-total"] += max(ksize, 0) + max(vsize, 0)
                fut.success(RecordMetadata(tp.topic, tp.partition, tp,
                                           off if off is not None and off >= 0 else -1,
                                           mts if tstype else ts, None, ksize, vsize, hsize))
            finally:
                self._done()
        return on_delivery

    def flush(self, timeout=None):
        """Send everything queued now and wait (up to `timeout` seconds) until every record
        sent so far has succeeded or failed; KafkaTimeoutError when time runs out."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._lock:
            self._flushing += 1
            try:
                while self._pending > 0:
                    left = None if deadline is None else deadline - time.monotonic()
                    if left is not None and left <= 0:
                        raise Errors.KafkaTimeoutError("Timeout waiting for future")
                    self._lock.wait(left if left is not None else 1.0)
            finally:
                self._flushing -= 1

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        self.close()

    def close(self, timeout=None, null_logger=False):
        """Flush (up to `timeout` seconds, raising KafkaTimeoutError as kafka-python), then
        stop the I/O thread and release the native producer."""
        if self._closed or getattr(self, "_native", None) is None:
            return
        if timeout is not None and timeout < 0:
            raise ValueError("Invalid timeout: %s" % timeout)
        if threading.current_thread() is self._thread:
            timeout = 0
        self.flush(timeout)
        self._shutdown()

    def _shutdown(self):
        self._closed = True
        self._stop = True
        atexit.unregister(self._atexit)
        if threading.current_thread() is not self._thread:
            self._thread.join(5)
        for key in ("key_serializer", "value_serializer"):
            try:
                self.config[key].close()
            except AttributeError:
                pass

    def _close_at_exit(self):
        try:
            self.close(timeout=0)
        except Exception:
            self._shutdown()

    def __del__(self):
        if getattr(self, "_thread", None) is not None and not self._closed:
            self._stop = True

    def partitions_for(self, topic):
        """The set of partition ids of `topic` (waits up to max_block_ms for metadata)."""
        return set(self._partitions(topic, self.config["max_block_ms"])[0])

    def bootstrap_connected(self):
        try:
            self._native.list_topics(timeout=1.0)
            return True
        except _native.KafkaException:
            return False

    # -- transactions ---------------------------------------------------------------------

    def _txn(self, method, *args):
        if not self.config["transactional_id"]:
            raise Errors.IllegalStateError("Cannot use transactional methods without enabling transactions")
        try:
            return method(*args)
        except _native.KafkaException as e:
            raise Errors.from_native(e)

    def _txn_timeout(self):
        return self.config["max_block_ms"] / 1000.0

    def init_transactions(self):
        self._txn(self._native.init_transactions, self._txn_timeout())

    def begin_transaction(self):
        self._txn(self._native.begin_transaction)

    def send_offsets_to_transaction(self, offsets, group_metadata):
        """offsets: {TopicPartition: OffsetAndMetadata}; group_metadata: what
        KafkaConsumer.group_metadata() returns, or a consumer group id (str)."""
        tps = [_native.TopicPartition(tp.topic, tp.partition, getattr(om, "offset", om),
                                      getattr(om, "metadata", None) or None)
               for tp, om in offsets.items()]
        gm = getattr(group_metadata, "_native", None)
        if gm is None:
            gid = group_metadata if isinstance(group_metadata, str) else group_metadata.group_id
            tmp = _native.Consumer({"bootstrap.servers": _config._servers(self.config["bootstrap_servers"]),
                                    "group.id": gid, "enable.auto.commit": False})
            gm = tmp.consumer_group_metadata()
            tmp.close()
        self._txn(self._native.send_offsets_to_transaction, tps, gm, self._txn_timeout())

    def commit_transaction(self):
        self._txn(self._native.commit_transaction, self._txn_timeout())

    def abort_transaction(self):
        self._txn(self._native.abort_transaction, self._txn_timeout())

    # -- metrics --------------------------------------------------------------------------

    def metrics(self, raw=False):
        """kafka-python's metrics() shape ({group: {name: value}}), from counters kept here and
        librdkafka's latest statistics; None when metrics_enabled=False."""
        if not self.config["metrics_enabled"]:
            return None
        s = self._stats or {}
        m = dict(self._counts)
        m["buffer-total-bytes"] = s.get("msg_size_max", 0)
        m["buffer-available-bytes"] = max(0, s.get("msg_size_max", 0) - s.get("msg_size", 0))
        m["record-queue-time-max"] = 0.0
        out = {"producer-metrics": m, "kafka-metrics-count": {"count": len(m)}}
        for b in (s.get("brokers") or {}).values():
            if b.get("nodeid", -1) >= 0:
                rtt = b.get("rtt") or {}
                out["producer-node-metrics.node-%d" % b["nodeid"]] = {
                    "request-latency-avg": rtt.get("avg", 0) / 1000.0,
                    "request-latency-max": rtt.get("max", 0) / 1000.0,
                    "request-total": b.get("tx", 0), "response-total": b.get("rx", 0)}
        for t in (s.get("topics") or {}):
            out["producer-topic-metrics.%s" % t] = {}
        return out

    def __str__(self):
        return "<KafkaProducer client_id=%s transactional_id=%s>" % (
            self.config.get("client_id"), self.config.get("transactional_id"))
