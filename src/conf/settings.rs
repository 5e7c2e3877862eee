//! Typed copies of the properties the hot paths read, taken once at creation so no
//! string lookup happens per message.

use super::client_conf::Conf;
use super::finalize::ClientType;
use super::topic_conf::TopicConf;
use crate::protocol::compression::Codec;

#[derive(Clone, Debug)]
pub struct Settings {
    pub queue_max_msgs: usize,
    pub queue_max_kbytes: usize,
    pub linger_us: i64,
    pub batch_num_messages: usize,
    pub batch_size: usize,
    pub message_max_bytes: usize,
    pub max_in_flight: usize,
    pub retries: i32,
    pub retry_backoff_ms: i64,
    pub retry_backoff_max_ms: i64,
    pub socket_timeout_ms: i64,
    /// socket.connection.setup.timeout.ms: TCP connect, TLS and SASL handshakes.
    pub connection_setup_timeout_ms: i64,
    pub reconnect_backoff_ms: i64,
    pub reconnect_backoff_max_ms: i64,
    pub metadata_refresh_interval_ms: i64,
    pub metadata_propagation_max_ms: i64,
    pub stats_interval_ms: i64,
    pub log_level: i32,
    /// log.thread.name: "[thrd:NAME]: " before each log line, as librdkafka.
    pub log_thread_name: bool,
    /// enable.idempotence (producer): acks=all, max.in.flight <= 5, sequence numbers.
    pub idempotence: bool,
    /// enable.gapless.guarantee: a message that fails for good is a fatal error.
    pub gapless: bool,
    pub codec: Codec,
    pub compression_level: i32,
    pub dr_only_error: bool,
    pub receive_message_max_bytes: usize,
    pub allow_auto_create: bool,
    pub api_version_request: bool,
    pub socket_nagle_disable: bool,
    pub sticky_linger_us: i64,
    // Consumer.
    pub queued_min_messages: usize,
    pub queued_max_bytes: usize,
    pub fetch_wait_max_ms: i32,
    pub fetch_min_bytes: i32,
    pub fetch_max_bytes: i32,
    pub max_partition_fetch_bytes: i32,
    pub fetch_error_backoff_ms: i64,
    pub isolation_read_committed: bool,
    pub enable_partition_eof: bool,
    pub check_crcs: bool,
    pub enable_auto_offset_store: bool,
}

fn codec_from(name: &str) -> Option<Codec> {
    Some(match name {
        "none" => Codec::None,
        "gzip" => Codec::Gzip,
        "snappy" => Codec::Snappy,
        "lz4" => Codec::Lz4,
        "zstd" => Codec::Zstd,
        _ => return None,
    })
}

impl Settings {
    pub fn from_conf(c: &Conf, kind: ClientType) -> Result<Settings, String> {
        let idempotence = kind == ClientType::Producer && c.boolean("enable.idempotence");
        idempotence_conflicts(c, idempotence)?;
        let codec = codec_from(&c.string("compression.codec").unwrap_or_else(|| "none".into()))
            .unwrap_or(Codec::None);
        Ok(Settings {
            queue_max_msgs: c.int("queue.buffering.max.messages").max(1) as usize,
            queue_max_kbytes: c.int("queue.buffering.max.kbytes").max(1) as usize,
            linger_us: (c.float("linger.ms") * 1000.0) as i64,
            batch_num_messages: c.int("batch.num.messages").max(1) as usize,
            batch_size: c.int("batch.size").max(1) as usize,
            message_max_bytes: c.int("message.max.bytes").max(1000) as usize,
            max_in_flight: if idempotence {
                c.int("max.in.flight.requests.per.connection").clamp(1, 5) as usize
            } else {
                c.int("max.in.flight.requests.per.connection").max(1) as usize
            },
            retries: if idempotence && !c.is_set("message.send.max.retries") {
                i32::MAX
            } else {
                c.int("message.send.max.retries").clamp(0, i32::MAX as i64) as i32
            },
            retry_backoff_ms: c.int("retry.backoff.ms").max(1),
            retry_backoff_max_ms: c.int("retry.backoff.max.ms").max(1),
            connection_setup_timeout_ms: c.int("socket.connection.setup.timeout.ms"),
            socket_timeout_ms: c.int("socket.timeout.ms").max(10),
            reconnect_backoff_ms: c.int("reconnect.backoff.ms").max(0),
            reconnect_backoff_max_ms: c.int("reconnect.backoff.max.ms").max(0),
            metadata_refresh_interval_ms: c.int("topic.metadata.refresh.interval.ms"),
            metadata_propagation_max_ms: c.int("topic.metadata.propagation.max.ms"),
            stats_interval_ms: c.int("statistics.interval.ms"),
            log_level: c.int("log_level") as i32,
            log_thread_name: c.boolean("log.thread.name"),
            idempotence,
            gapless: idempotence && c.boolean("enable.gapless.guarantee"),
            codec,
            compression_level: -1,
            dr_only_error: c.default_topic_conf().boolean("delivery.report.only.error")
                || c.boolean("delivery.report.only.error"),
            receive_message_max_bytes: c.int("receive.message.max.bytes").max(1000) as usize,
            allow_auto_create: if c.is_set("allow.auto.create.topics") {
                c.boolean("allow.auto.create.topics")
            } else {
                kind == ClientType::Producer
            },
            api_version_request: c.boolean("api.version.request"),
            socket_nagle_disable: c.boolean("socket.nagle.disable"),
            sticky_linger_us: c.int("sticky.partitioning.linger.ms") * 1000,
            queued_min_messages: c.int("queued.min.messages").max(1) as usize,
            queued_max_bytes: (c.int("queued.max.messages.kbytes").max(1) * 1024) as usize,
            fetch_wait_max_ms: c.int("fetch.wait.max.ms").clamp(0, i32::MAX as i64) as i32,
            fetch_min_bytes: c.int("fetch.min.bytes").clamp(1, i32::MAX as i64) as i32,
            fetch_max_bytes: c.int("fetch.max.bytes").clamp(1, i32::MAX as i64) as i32,
            max_partition_fetch_bytes: c.int("max.partition.fetch.bytes").clamp(1, i32::MAX as i64) as i32,
            fetch_error_backoff_ms: c.int("fetch.error.backoff.ms").max(0),
            isolation_read_committed: c.string("isolation.level").is_none_or(|v| v == "read_committed"),
            enable_partition_eof: c.boolean("enable.partition.eof"),
            check_crcs: c.boolean("check.crcs"),
            enable_auto_offset_store: c.boolean("enable.auto.offset.store"),
        })
    }
}

/// Per-topic producer settings (topic-scope properties).
#[derive(Clone, Debug)]
pub struct TopicSettings {
    pub acks: i16,
    pub request_timeout_ms: i32,
    pub message_timeout_us: i64,
    pub codec: Codec,
    pub compression_level: i32,
    pub auto_offset_reset: OffsetReset,
    pub partitioner: Partitioner,
    /// offset.store.method=file: offset.store.path and offset.store.sync.interval.ms.
    pub offset_file: Option<(String, i64)>,
}

impl TopicSettings {
    pub fn from_conf(t: &TopicConf, g: &Settings) -> TopicSettings {
        let codec = match t.string("compression.codec").as_deref() {
            None | Some("inherit") => g.codec,
            Some(n) => codec_from(n).unwrap_or(g.codec),
        };
        TopicSettings {
            acks: if g.idempotence { -1 } else { t.int("request.required.acks").clamp(-1, 1000) as i16 },
            request_timeout_ms: t.int("request.timeout.ms").max(1) as i32,
            message_timeout_us: t.int("message.timeout.ms").max(0) * 1000,
            codec,
            compression_level: t.int("compression.level") as i32,
            auto_offset_reset: OffsetReset::from_conf(t.string("auto.offset.reset").as_deref()),
            partitioner: t
                .string("partitioner")
                .and_then(|p| Partitioner::from_name(&p))
                .unwrap_or(Partitioner::ConsistentRandom),
            // offset.store.method: 1 = file.
            offset_file: (t.int("offset.store.method") == 1).then(|| {
                let dir = t.string("offset.store.path").unwrap_or_else(|| ".".into());
                (dir, t.int("offset.store.sync.interval.ms"))
            }),
        }
    }
}

/// auto.offset.reset, as librdkafka's topic property resolves it.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum OffsetReset {
    Earliest,
    Latest,
    Error,
}

impl OffsetReset {
    pub fn from_conf(v: Option<&str>) -> OffsetReset {
        match v.unwrap_or("largest") {
            "smallest" | "earliest" | "beginning" => OffsetReset::Earliest,
            "error" => OffsetReset::Error,
            _ => OffsetReset::Latest,
        }
    }
}

/// The `partitioner` topic property's values: librdkafka's built-in partitioners
/// (their hashing lives in the producer).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
pub enum Partitioner {
    /// Random distribution.
    Random,
    /// CRC32 of the key (null and empty keys hash to the same partition).
    Consistent,
    /// CRC32 of the key; random for null and empty keys. librdkafka's default.
    #[default]
    ConsistentRandom,
    /// Java client compatible murmur2 of the key (null keys hash like empty ones).
    Murmur2,
    /// Java client compatible murmur2; random for null keys.
    Murmur2Random,
    /// FNV-1a of the key, as Sarama's default hash partitioner.
    Fnv1a,
    /// FNV-1a of the key; random for null keys.
    Fnv1aRandom,
}

impl Partitioner {
    /// Parses a value of the `partitioner` topic property.
    pub fn from_name(s: &str) -> Option<Self> {
        Some(match s {
            "random" => Partitioner::Random,
            "consistent" => Partitioner::Consistent,
            "consistent_random" => Partitioner::ConsistentRandom,
            "murmur2" => Partitioner::Murmur2,
            "murmur2_random" => Partitioner::Murmur2Random,
            "fnv1a" => Partitioner::Fnv1a,
            "fnv1a_random" => Partitioner::Fnv1aRandom,
            _ => return None,
        })
    }

    /// The `partitioner` property value naming this partitioner.
    pub fn name(self) -> &'static str {
        match self {
            Partitioner::Random => "random",
            Partitioner::Consistent => "consistent",
            Partitioner::ConsistentRandom => "consistent_random",
            Partitioner::Murmur2 => "murmur2",
            Partitioner::Murmur2Random => "murmur2_random",
            Partitioner::Fnv1a => "fnv1a",
            Partitioner::Fnv1aRandom => "fnv1a_random",
        }
    }

    /// Whether the producer bypasses this partitioner for this key and uses the
    /// sticky partition instead (librdkafka's rd_kafka_msg_partitioner(): null keys,
    /// and empty keys under consistent_random). The hashing-only partitioners
    /// (consistent, murmur2, fnv1a) always hash, a NULL key as an empty one.
    pub fn uses_sticky(self, key: Option<&[u8]>) -> bool {
        !matches!(self, Partitioner::Consistent | Partitioner::Murmur2 | Partitioner::Fnv1a)
            && match key {
                None => true,
                Some(k) => k.is_empty() && self == Partitioner::ConsistentRandom,
            }
    }
}

/// librdkafka's checks of settings that contradict enable.idempotence (same texts).
fn idempotence_conflicts(c: &Conf, idempotence: bool) -> Result<(), String> {
    if !idempotence {
        if c.is_set("enable.gapless.guarantee") && c.boolean("enable.gapless.guarantee") {
            return Err("`enable.gapless.guarantee` requires `enable.idempotence` to be enabled".into());
        }
        return Ok(());
    }
    if c.is_set("max.in.flight.requests.per.connection") && c.int("max.in.flight.requests.per.connection") > 5
    {
        return Err("`max.in.flight` must be set <= 5 when `enable.idempotence` is true".into());
    }
    if c.is_set("message.send.max.retries") && c.int("message.send.max.retries") < 1 {
        return Err("`retries` must be set >= 1 when `enable.idempotence` is true".into());
    }
    let t = c.default_topic_conf();
    if t.is_set("request.required.acks") && t.int("request.required.acks") != -1 {
        return Err("`acks` must be set to `all` when `enable.idempotence` is true".into());
    }
    if t.is_set("queuing.strategy") && t.string("queuing.strategy").is_some_and(|s| s != "fifo") {
        return Err("`queuing.strategy` must be set to `fifo` when `enable.idempotence` is true".into());
    }
    Ok(())
}
