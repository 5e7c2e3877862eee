"""kafka-python's KafkaAdminClient on kafkars' native admin layer (_native._AdminClientImpl).

Every method blocks and returns plain values shaped as kafka-python 3.0.12's, raising its
kafka.errors classes. Each call is one or more `_AdminClientImpl._call()`s (librdkafka's
admin operations and the kafkars extensions), each waited for with a bound
(request_timeout_ms + the operation's own timeout + a margin).
"""
import logging
import threading

from ... import _native
from .. import _config
from .. import errors as Errors
from ._cluster import ClusterMixin
from ._configs import ConfigMixin
from ._groups import GroupMixin
from ._topics import TopicMixin

log = logging.getLogger(__name__)

_UNSUPPORTED = {getattr(_native.KafkaError, n, None) for n in
                ("_UNSUPPORTED_FEATURE", "_NOT_IMPLEMENTED")} - {None}
_MARGIN_S = 5.0


def error_class(err):
    """The kafka.errors class of a per-item KafkaError (None: NoError)."""
    if err is None:
        return Errors.NoError
    code = err.code() if hasattr(err, "code") else err
    if code in _UNSUPPORTED:
        return Errors.IncompatibleBrokerVersion
    if code >= 0:
        return Errors.for_code(code)
    return type(Errors.from_native(err))


def error_instance(err, text=None):
    """A kafka.errors exception for a KafkaError (an operation's or an item's)."""
    code = err.code() if hasattr(err, "code") else None
    if code is not None and code in _UNSUPPORTED:
        return Errors.IncompatibleBrokerVersion(text or err.str())
    return Errors.from_native(err, text)


class _Done:
    """on_done(result, error) target: wakes the caller's blocking wait."""
    __slots__ = ("event", "result", "error")

    def __init__(self):
        self.event = threading.Event()
        self.result = None
        self.error = None

    def __call__(self, result, error):
        self.result, self.error = result, error
        self.event.set()


class KafkaAdminClient(ClusterMixin, ConfigMixin, GroupMixin, TopicMixin):
    """kafka-python's KafkaAdminClient (``kafka.KafkaAdminClient``) on kafkars.

    Takes kafka-python's admin keyword configs (bindings/python/KAFKA_PYTHON_CONFIG.md);
    unknown keys raise KafkaConfigurationError. The constructor waits up to
    bootstrap_timeout_ms for the cluster (NoBrokersAvailable otherwise).
    """
    DEFAULT_CONFIG = {k: v[1] for k, v in _config.spec("admin").items()}
    DEFAULT_CONFIG["client_id"] = "kafkars-kafka-admin"

    def __init__(self, **configs):
        unknown = set(configs) - set(self.DEFAULT_CONFIG)
        if unknown:
            raise Errors.KafkaConfigurationError("Unrecognized configs: {}".format(unknown))
        self._closed = True
        cfg, rd = _config.resolve("admin", configs)
        self.config = cfg
        rd["error_cb"] = self._on_error
        rd["logger"] = log
        if cfg["sasl_oauth_token_provider"] is not None:
            from ..producer.kafka import oauth_callback
            rd["oauth_cb"] = oauth_callback(cfg["sasl_oauth_token_provider"])
        try:
            self._impl = _native._AdminClientImpl(rd)
        except _native.KafkaException as e:
            raise Errors.KafkaConfigurationError(str(e.args[0] if e.args else e))
        self._closed = False
        self._controller_id = None
        self._serve()
        if cfg.get("api_version") is None:
            try:
                self._impl.list_topics(None, cfg["bootstrap_timeout_ms"] / 1000.0)
            except _native.KafkaException:
                self._close_impl()
                raise Errors.KafkaTimeoutError("Unable to bootstrap from %s" % (
                    _config._servers(cfg["bootstrap_servers"]),))

    @property
    def _live(self):
        """The native client; IllegalStateError once closed."""
        impl = self.__dict__.get("_impl")
        if impl is None or self._closed:
            raise Errors.IllegalStateError("KafkaAdminClient is closed")
        return impl

    def _serve(self):
        """Serve queued callbacks (error_cb, logs, oauth_cb) without blocking."""
        try:
            self._live.poll(0)
        except Exception as e:  # a callback's exception
            log.debug("kafkars admin client poll: %s", e)

    @staticmethod
    def _on_error(err):
        log.debug("kafkars admin client error: %s", err)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        self.close()

    def __del__(self):
        try:
            self._close_impl()
        except Exception:
            pass

    def _close_impl(self):
        impl = self.__dict__.pop("_impl", None)
        self._closed = True
        if impl is not None:
            close = getattr(impl, "close", None)
            if close is not None:
                close()

    def close(self):
        """Close the admin client (a second close() does nothing)."""
        if getattr(self, "_closed", True):
            log.info("KafkaAdminClient already closed.")
            return
        self._close_impl()

    # -- plumbing ---------------------------------------------------------------------------

    def _validate_timeout(self, timeout_ms):
        return timeout_ms or self.config["request_timeout_ms"]

    def _call(self, op, args, options=None, timeout_ms=None):
        """Run one native admin operation and wait (bounded) for its plain result.

        A whole-operation error raises its kafka.errors class; timeout_ms (the operation's
        broker-side timeout, when it has one) is sent as operation_timeout."""
        impl = self._live
        opts = {"request_timeout": self.config["request_timeout_ms"] / 1000.0}
        if timeout_ms is not None:
            opts["operation_timeout"] = timeout_ms / 1000.0
        if options:
            opts.update(options)
        done = _Done()
        self._serve()
        try:
            impl._call(op, args, opts, done)
        except _native.KafkaException as e:
            raise error_instance(e.args[0] if e.args else e)
        bound = opts["request_timeout"] + opts.get("operation_timeout", 0.0) + _MARGIN_S
        if not done.event.wait(bound):
            raise Errors.KafkaTimeoutError("%s: no answer within %.1f s" % (op, bound))
        if done.error is not None:
            raise error_instance(done.error)
        return done.result

    def _metadata(self, topic=None):
        try:
            return self._live.list_topics(topic, self.config["request_timeout_ms"] / 1000.0)
        except _native.KafkaException as e:
            raise error_instance(e.args[0] if e.args else e)

    def _broker_ids(self):
        return sorted(self._metadata().brokers)

    def _check_brokers(self, ids):
        """UnknownBrokerIdError for an id the metadata does not know (as kafka-python's send)."""
        known = set(self._metadata().brokers)
        for i in ids:
            if i not in known:
                raise Errors.UnknownBrokerIdError("Broker id %s not in the cluster metadata" % (i,))

    def _leaders(self, partitions):
        """{leader id: {TopicPartition}}; UnknownTopicOrPartitionError for unknown ones."""
        from ..structs import TopicPartition
        partitions = set(partitions)
        md = self._metadata()
        leaders, known = {}, set()
        for tp in partitions:
            t = md.topics.get(tp.topic)
            if t is None or t.error is not None or tp.partition not in t.partitions:
                continue
            leaders.setdefault(t.partitions[tp.partition].leader, set()).add(
                TopicPartition(tp.topic, tp.partition))
            known.add(tp)
        if known != partitions:
            raise Errors.UnknownTopicOrPartitionError(
                "The following partitions are not known: %s" % ", ".join(
                    str(x) for x in partitions - known))
        return leaders
