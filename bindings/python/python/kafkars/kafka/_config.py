"""kafka-python keyword configs -> librdkafka properties, for kafkars.kafka.

Every key kafka-python (3.x) accepts is in SPEC, with kafka-python's default and what
kafkars does with it:
  map       passed to librdkafka as `prop` (converted by `conv`), with kafka-python's default
            where librdkafka's differs
  python    implemented in Python by KafkaProducer/KafkaConsumer
  emulated  no librdkafka counterpart: KafkaProducer/KafkaConsumer reproduce the behaviour
  ignored   nothing observable depends on it (I/O machinery, metrics sampling)
  refused   only kafka-python's default is accepted; anything else raises
            KafkaConfigurationError naming the key
`python -m kafkars.kafka._config` prints the table (bindings/python/KAFKA_PYTHON_CONFIG.md).
"""
import socket

from .errors import KafkaConfigurationError

INF = float("inf")
DEFAULT = object()  # "kafka-python's default object" (partitioner, selector, kafka_client)


def _servers(v):
    if isinstance(v, str):
        v = v.split(",")
    return ",".join(s.strip() for s in v if s.strip())


def _acks(v):
    if v in ("all", -1, "-1"):
        return -1
    if v in (0, 1, "0", "1"):
        return int(v)
    raise KafkaConfigurationError("acks must be 0, 1, -1 or 'all', not %r" % (v,))


def _retries(v):
    return 2147483647 if v == INF or v > 2147483647 else int(v)


def _compression(v):
    if v not in (None, "gzip", "snappy", "lz4", "zstd"):
        raise ValueError("Not supported codec: {}".format(v))
    return v or "none"


def _reset(v):
    v = {"smallest": "earliest", "largest": "latest"}.get(v, v)
    return v if v in ("earliest", "latest") else "error"  # kafka-python: unknown -> NONE


def _isolation(v):
    if v not in ("read_uncommitted", "read_committed"):
        raise KafkaConfigurationError("isolation_level must be read_uncommitted or read_committed")
    return v


def _assignors(v):
    from .coordinator.assignors import SUPPORTED
    names = []
    for a in (v if isinstance(v, (list, tuple)) else [v]):
        name = a if isinstance(a, str) else getattr(a, "name", None)
        if name not in SUPPORTED:
            raise KafkaConfigurationError(
                "partition_assignment_strategy: %r has no librdkafka counterpart (supported: range, "
                "roundrobin, cooperative-sticky)" % (a,))
        names.append(SUPPORTED[name])
    if "cooperative-sticky" in names and len(set(names)) > 1:
        # librdkafka refuses mixing eager and cooperative assignors; kafka-python picks the first
        # one all members support. Keep the first of the list's protocol family.
        coop = names[0] == "cooperative-sticky"
        names = [n for n in names if (n == "cooperative-sticky") == coop]
    return ",".join(dict.fromkeys(names))


def _sockopts(v):
    out = {}
    for opt in v or ():
        level, name, val = opt
        if level == socket.IPPROTO_TCP and name == socket.TCP_NODELAY:
            out["socket.nagle.disable"] = bool(val)
        elif level == socket.SOL_SOCKET and name == socket.SO_KEEPALIVE:
            out["socket.keepalive.enable"] = bool(val)
        else:
            raise KafkaConfigurationError("socket_options: %r has no librdkafka counterpart "
                                          "(only TCP_NODELAY and SO_KEEPALIVE)" % (opt,))
    return out


def _hostname(v):
    return "https" if v else "none"


def _sasl(v):
    if v not in (None, "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER", "GSSAPI"):
        raise KafkaConfigurationError("sasl_mechanism %r is not supported" % (v,))
    return v


def _kerberos_name(v):
    if not isinstance(v, str):
        raise KafkaConfigurationError("sasl_kerberos_name: only a principal string can be mapped "
                                      "(librdkafka's sasl.kerberos.principal)")
    return v


# key: (kind, kafka-python default, librdkafka property or None, converter or None, note)
# for "both"; PRODUCER_ONLY / CONSUMER_ONLY below.
COMMON = {
    "bootstrap_servers": ("map", "localhost", "bootstrap.servers", _servers,
                          "str or list of host[:port]; joined with ','"),
    "client_id": ("map", None, "client.id", None,
                  "default 'kafkars-kafka-producer-N' / 'kafkars-kafka-consumer'"),
    "request_timeout_ms": ("map", 30000, None, None,
                           "producer: request.timeout.ms; consumer: socket.timeout.ms and the "
                           "default timeout of blocking calls"),
    "retry_backoff_ms": ("map", 100, "retry.backoff.ms", None, ""),
    "reconnect_backoff_ms": ("map", 50, "reconnect.backoff.ms", None, ""),
    "reconnect_backoff_max_ms": ("map", 30000, "reconnect.backoff.max.ms", None, ""),
    "max_in_flight_requests_per_connection": ("map", 5, "max.in.flight.requests.per.connection", None, ""),
    "metadata_max_age_ms": ("map", 300000, "metadata.max.age.ms", None,
                            "also the age of KafkaProducer's Python-side partition cache"),
    "connections_max_idle_ms": ("map", 540000, "connections.max.idle.ms", None,
                                "librdkafka's default is 0 (never)"),
    "receive_buffer_bytes": ("map", None, "socket.receive.buffer.bytes", lambda v: v or 0,
                             "None: system default (0)"),
    "send_buffer_bytes": ("map", None, "socket.send.buffer.bytes", lambda v: v or 0,
                          "None: system default (0)"),
    "receive_message_max_bytes": ("map", 100000000, "receive.message.max.bytes", None, ""),
    "socket_options": ("map", [(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)], None, _sockopts,
                       "TCP_NODELAY -> socket.nagle.disable, SO_KEEPALIVE -> "
                       "socket.keepalive.enable; other options refused"),
    "client_dns_lookup": ("map", "use_all_dns_ips", "client.dns.lookup", None, ""),
    "security_protocol": ("map", "PLAINTEXT", "security.protocol", None, ""),
    "ssl_context": ("refused", None, None, None,
                    "an ssl.SSLContext cannot be handed to librdkafka: use the ssl_* file keys"),
    "ssl_check_hostname": ("map", True, "ssl.endpoint.identification.algorithm", _hostname,
                           "True: https, False: none"),
    "ssl_cafile": ("map", None, "ssl.ca.location", None, ""),
    "ssl_certfile": ("map", None, "ssl.certificate.location", None, ""),
    "ssl_keyfile": ("map", None, "ssl.key.location", None, ""),
    "ssl_password": ("map", None, "ssl.key.password", None, ""),
    "ssl_crlfile": ("map", None, "ssl.crl.location", None, ""),
    "ssl_ciphers": ("map", None, "ssl.cipher.suites", None, ""),
    "api_version": ("emulated", None, None, None,
                    "librdkafka negotiates versions (ApiVersions); given, the constructor does not "
                    "wait for a broker, as kafka-python does not bootstrap then"),
    "bootstrap_timeout_ms": ("emulated", 30000, None, None,
                             "the constructor waits this long for cluster metadata, then raises "
                             "NoBrokersAvailable (a KafkaTimeoutError, as kafka-python 3)"),
    "metric_reporters": ("refused", [], None, None, "kafka-python's metrics reporters"),
    "metrics_enabled": ("emulated", True, None, None,
                        "metrics() returns {} when False; when True, counters kept in Python plus "
                        "librdkafka's statistics (statistics.interval.ms = metrics_sample_window_ms)"),
    "metrics_num_samples": ("ignored", 2, None, None, "metrics sampling only"),
    "metrics_sample_window_ms": ("emulated", 30000, None, None, "statistics.interval.ms for metrics()"),
    "selector": ("ignored", DEFAULT, None, None, "I/O machinery (librdkafka has its own)"),
    "sasl_mechanism": ("map", None, "sasl.mechanism", _sasl,
                       "PLAIN, SCRAM-SHA-256/512, OAUTHBEARER, GSSAPI"),
    "sasl_plain_username": ("map", None, "sasl.username", None, "also SCRAM's"),
    "sasl_plain_password": ("map", None, "sasl.password", None, "also SCRAM's"),
    "sasl_kerberos_name": ("map", None, "sasl.kerberos.principal", _kerberos_name,
                           "a principal str (a gssapi.Name is refused)"),
    "sasl_kerberos_service_name": ("map", "kafka", "sasl.kerberos.service.name", None, ""),
    "sasl_kerberos_domain_name": ("refused", None, None, None,
                                  "librdkafka always uses the broker's host name"),
    "sasl_oauth_token_provider": ("emulated", None, None, None,
                                  "served through librdkafka's oauth_cb: token() and extensions(); "
                                  "the token is refreshed every 5 minutes"),
    "proxy_url": ("refused", None, None, None, "librdkafka has no proxy support"),
    "socks5_proxy": ("refused", None, None, None, "librdkafka has no proxy support"),
    "kafka_client": ("refused", DEFAULT, None, None, "kafka-python's network client class"),
}

PRODUCER_ONLY = {
    "key_serializer": ("python", None, None, None, "Serializer or callable(data)"),
    "value_serializer": ("python", None, None, None, "Serializer or callable(data)"),
    "enable_idempotence": ("map", True, "enable.idempotence", bool,
                           "kafka-python's rules: conflicting acks/retries/in-flight disable it "
                           "(or raise KafkaConfigurationError when set explicitly)"),
    "transactional_id": ("map", None, "transactional.id", None, ""),
    "transaction_timeout_ms": ("map", 60000, "transaction.timeout.ms", None, ""),
    "delivery_timeout_ms": ("map", 120000, "delivery.timeout.ms", None,
                            "librdkafka's default is 300000; a transactional producer uses at most "
                            "transaction_timeout_ms (librdkafka refuses more)"),
    "acks": ("map", -1, "acks", _acks, "0, 1, -1 or 'all'"),
    "compression_type": ("map", None, "compression.type", _compression,
                         "None -> none; gzip, snappy, lz4, zstd"),
    "retries": ("map", INF, "retries", _retries, "inf -> 2147483647"),
    "batch_size": ("map", 16384, "batch.size", None, "librdkafka's default is 1000000"),
    "linger_ms": ("map", 0, "linger.ms", None, "librdkafka's default is 5"),
    "partitioner": ("emulated", DEFAULT, "partitioner", None,
                    "default (DefaultPartitioner) -> librdkafka's murmur2_random (same partitions); "
                    "StickyPartitioner (exact class) -> murmur2_random with librdkafka's sticky "
                    "partitioning of keyless records (KIP-480 natively: one partition per topic for "
                    "sticky.partitioning.linger.ms = max(10, 2 x linger_ms) ms, where kafka-python "
                    "rotates per batch); any other Partitioner (subclasses of these included) or 2.x "
                    "callable(key_bytes, all, available) runs in Python on every send "
                    "(on_new_batch is never called: kafkars has no Python batch accumulator)"),
    "max_block_ms": ("emulated", 60000, None, None,
                     "bounds send()'s wait for topic metadata and for queue space, "
                     "partitions_for() and the transactional calls"),
    "max_request_size": ("map", 1048576, "message.max.bytes", None,
                         "also checked in send() (MessageSizeTooLargeError)"),
    "buffer_memory": ("map", 33554432, "queue.buffering.max.kbytes", lambda v: max(1, v // 1024),
                      "kafka-python 2.x key (3.x rejects it); accepted for old programs"),
    "allow_auto_create_topics": ("map", True, "allow.auto.create.topics", bool, ""),
}

CONSUMER_ONLY = {
    "group_id": ("map", None, "group.id", None,
                 "None: no group (a private group.id is used; commits raise IllegalStateError, "
                 "auto commit is off, positions come from auto_offset_reset)"),
    "group_instance_id": ("map", None, "group.instance.id", None, "needs group_id"),
    "client_rack": ("map", "", "client.rack", None, ""),
    "key_deserializer": ("python", None, None, None, "Deserializer or callable(bytes)"),
    "value_deserializer": ("python", None, None, None, "Deserializer or callable(bytes)"),
    "enable_incremental_fetch_sessions": ("ignored", True, None, None,
                                          "fetch-session efficiency only"),
    "fetch_max_wait_ms": ("map", 500, "fetch.wait.max.ms", None, ""),
    "fetch_min_bytes": ("map", 1, "fetch.min.bytes", None, ""),
    "fetch_max_bytes": ("map", 52428800, "fetch.max.bytes", None, ""),
    "max_partition_fetch_bytes": ("map", 1048576, "max.partition.fetch.bytes", None, ""),
    "auto_offset_reset": ("map", "latest", "auto.offset.reset", _reset,
                          "smallest/largest accepted; other values -> error (kafka-python's NONE)"),
    "enable_auto_commit": ("emulated", True, None, None,
                           "librdkafka's auto commit is off; the positions of records handed to the "
                           "application are committed every auto_commit_interval_ms from poll()/"
                           "iteration, before on_partitions_revoked, on assign/unsubscribe and on "
                           "close(autocommit=True)"),
    "auto_commit_interval_ms": ("emulated", 5000, None, None, "see enable_auto_commit"),
    "default_offset_commit_callback": ("python", None, None, None,
                                       "commit_async()'s callback when none is given"),
    "check_crcs": ("map", True, "check.crcs", bool, "librdkafka's default is false"),
    "isolation_level": ("map", "read_uncommitted", "isolation.level", _isolation, ""),
    "allow_auto_create_topics": ("map", True, "allow.auto.create.topics", bool,
                                 "librdkafka's consumer default is false"),
    "partition_assignment_strategy": ("map", ("range", "roundrobin"), "partition.assignment.strategy",
                                      _assignors, "Range/RoundRobin/CooperativeSticky assignors -> "
                                      "range/roundrobin/cooperative-sticky; eager sticky and custom "
                                      "assignors refused"),
    "max_poll_records": ("python", 500, None, None, "poll()'s default max_records"),
    "max_poll_interval_ms": ("map", 300000, "max.poll.interval.ms", None, ""),
    "session_timeout_ms": ("map", 45000, "session.timeout.ms", None, ""),
    "heartbeat_interval_ms": ("map", 3000, "heartbeat.interval.ms", None, ""),
    "consumer_timeout_ms": ("python", INF, None, None, "iteration stops (StopIteration) after this"),
    "exclude_internal_topics": ("emulated", True, None, None,
                                "topics() leaves out __consumer_offsets and __transaction_state"),
    "metric_group_prefix": ("ignored", "consumer", None, None, "metric names only"),
}

# KafkaAdminClient takes the common keys but ssl_ciphers and metrics_enabled (kafka-python's
# admin DEFAULT_CONFIG has neither), plus no admin-only key.
ADMIN_EXCLUDED = ("ssl_ciphers", "metrics_enabled")
ADMIN_NOTES = {
    "client_id": "default 'kafkars-kafka-admin'",
    "request_timeout_ms": "socket.timeout.ms, the request_timeout of every admin operation and "
                          "the default timeout_ms of the operations that take one",
    "api_version": "librdkafka negotiates versions (ApiVersions); given, the constructor does not "
                   "wait for a broker",
    "bootstrap_timeout_ms": "the constructor waits this long for cluster metadata, then raises "
                            "KafkaTimeoutError (as kafka-python's admin client)",
}

_CLIENT_IDS = {"n": 0}


def spec(kind):
    if kind == "admin":
        return {k: v for k, v in COMMON.items() if k not in ADMIN_EXCLUDED}
    d = dict(COMMON)
    d.update(PRODUCER_ONLY if kind == "producer" else CONSUMER_ONLY)
    return d


def _same(a, b):
    if a is DEFAULT or b is DEFAULT:
        return a is b
    return a == b


def resolve(kind, configs):
    """(kafka-python config with defaults, librdkafka config) for a producer or consumer.

    Raises ValueError (producer) / KafkaConfigurationError (consumer) for unknown keys, as
    kafka-python, and KafkaConfigurationError for keys
    whose non-default value cannot be honoured."""
    table = spec(kind)
    unknown = set(configs) - set(table)
    if unknown:  # kafka-python: ValueError from its producer, KafkaConfigurationError from its consumer
        if kind == "producer":
            raise ValueError("Unrecognized configs: %s" % ({k: configs[k] for k in unknown},))
        raise KafkaConfigurationError("Unrecognized configs: %s" % (unknown,))
    cfg = {k: v[1] for k, v in table.items()}
    cfg.update(configs)
    rd = {}
    for key, (how, default, prop, conv, _note) in table.items():
        val = cfg[key]
        if how == "refused":
            if not _same(val, default) and val not in (None, [], ()):
                raise KafkaConfigurationError("%s is not supported by kafkars.kafka (%s)" % (key, _note))
            continue
        if how != "map":
            continue
        if val is None and key != "receive_buffer_bytes" and key != "send_buffer_bytes":
            continue
        if key == "socket_options":
            rd.update(_sockopts(val))
            continue
        if key == "request_timeout_ms":
            rd["request.timeout.ms" if kind == "producer" else "socket.timeout.ms"] = int(val)
            continue
        rd[prop] = conv(val) if conv else val
    if kind == "producer" and cfg["client_id"] is None:
        _CLIENT_IDS["n"] += 1
        rd["client.id"] = cfg["client_id"] = "kafkars-kafka-producer-%d" % _CLIENT_IDS["n"]
    elif kind == "consumer" and cfg["client_id"] is None:
        rd["client.id"] = cfg["client_id"] = "kafkars-kafka-consumer"
    elif kind == "admin" and cfg["client_id"] is None:
        rd["client.id"] = cfg["client_id"] = "kafkars-kafka-admin"
    return cfg, rd


def markdown():
    rows = ["| key | librdkafka property | kafka-python default | kafkars |", "|---|---|---|---|"]
    admin = {k: v for k, v in spec("admin").items() if k in ADMIN_NOTES}
    for title, table in (("producer and consumer", COMMON), ("producer", PRODUCER_ONLY),
                         ("consumer", CONSUMER_ONLY),
                         ("KafkaAdminClient (other keys as for producer and consumer; "
                          "not ssl_ciphers, metrics_enabled)", admin)):
        rows.append("| **%s** | | | |" % title)
        for key, (how, default, prop, _conv, note) in table.items():
            if table is admin:
                note = ADMIN_NOTES[key]
            if key == "request_timeout_ms":
                prop = ("socket.timeout.ms" if table is admin
                        else "request.timeout.ms / socket.timeout.ms")
            elif key == "socket_options":
                prop = "socket.nagle.disable, socket.keepalive.enable"
            d = "(kafka-python's object)" if default is DEFAULT else repr(default)
            if key == "socket_options":
                d = "[(IPPROTO_TCP, TCP_NODELAY, 1)]"
            rows.append("| `%s` | %s | `%s` | %s%s |" % (key, "`%s`" % prop if prop else "-", d, how,
                                                       (": " + note) if note else ""))
    return "\n".join(rows)


if __name__ == "__main__":
    print(markdown())
