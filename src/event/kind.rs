//! The events internal threads hand to the application's polling thread: delivery
//! reports, fetched messages, errors, rebalances, commit results, statistics, throttle
//! notices, log lines and admin results. Numbered as librdkafka's RD_KAFKA_EVENT_*.

use crate::error::ErrorCode;
use crate::message::Message;
use std::any::Any;

/// Event type numbers are librdkafka's RD_KAFKA_EVENT_* values.
pub const EVENT_NONE: i32 = 0x0;
pub const EVENT_DR: i32 = 0x1;
pub const EVENT_FETCH: i32 = 0x2;
pub const EVENT_LOG: i32 = 0x4;
pub const EVENT_ERROR: i32 = 0x8;
pub const EVENT_REBALANCE: i32 = 0x10;
pub const EVENT_OFFSET_COMMIT: i32 = 0x20;
pub const EVENT_STATS: i32 = 0x40;
pub const EVENT_OAUTHBEARER_TOKEN_REFRESH: i32 = 0x100;

pub enum Event {
    /// Delivery reports for a batch of messages (one produce response).
    Dr(Vec<Box<Message>>),
    /// A fetched message, or a consumer error carried as a message with `err` set.
    Fetch(Box<Message>),
    Error {
        code: ErrorCode,
        msg: String,
        fatal: bool,
    },
    /// A consumer group rebalance for the application (rebalance_cb / REBALANCE event).
    Rebalance {
        err: ErrorCode,
        partitions: Vec<(String, i32)>,
        protocol: RebalanceProtocol,
    },
    /// The outcome of an offset commit (offset_commit_cb / OFFSET_COMMIT event).
    OffsetCommit(CommitResult),
    /// A consumer error not tied to a partition (returned by consumer_poll as a message).
    ConsumerError {
        code: ErrorCode,
        msg: String,
    },
    Stats(String),
    Throttle {
        broker_name: String,
        broker_id: i32,
        throttle_ms: i32,
    },
    Log {
        level: i32,
        fac: String,
        msg: String,
    },
    /// The outcome of an Admin API operation.
    AdminResult(AdminResult),
    /// The OAUTHBEARER token needs refreshing (oauthbearer_token_refresh_cb), with
    /// sasl.oauthbearer.config.
    OAuthRefresh {
        config: String,
    },
}

/// The rebalance protocol of a group's assignors (rd_kafka_rebalance_protocol()).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RebalanceProtocol {
    Eager,
    Cooperative,
}

/// Committed offsets and their outcome, as offset_commit_cb reports them.
#[derive(Clone, Debug)]
pub struct CommitResult {
    pub err: ErrorCode,
    /// Every partition of the commit, as librdkafka reports it: the given list, or the
    /// whole assignment with OFFSET_INVALID where there was nothing to commit.
    pub offsets: Vec<CommitOffset>,
    /// Which callback serving the result calls.
    pub cb: CommitCb,
}

/// One partition of a commit: what is (or was) committed, and its outcome.
#[derive(Clone, Debug)]
pub struct CommitOffset {
    pub topic: String,
    pub partition: i32,
    /// OFFSET_INVALID (or another logical offset): reported, not sent.
    pub offset: i64,
    /// The offset's leader epoch (OffsetCommit v6+), -1 when unknown.
    pub leader_epoch: i32,
    pub metadata: Option<String>,
    pub err: ErrorCode,
}

impl CommitOffset {
    /// A partition to commit at `offset` (no epoch, no metadata).
    pub fn new(topic: &str, partition: i32, offset: i64) -> Self {
        CommitOffset {
            topic: topic.to_string(),
            partition,
            offset,
            leader_epoch: -1,
            metadata: None,
            err: ErrorCode::NO_ERROR,
        }
    }
}

/// The callback an OFFSET_COMMIT result carries (librdkafka's op-level commit callback).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommitCb {
    /// The configured offset_commit_cb.
    Conf,
    /// rd_kafka_commit_queue()'s callback and opaque (C pointers).
    App(usize, usize),
    /// None: the result is only an event for rd_kafka_queue_poll().
    Nothing,
}

/// An Admin API operation's result event. The admin layer (above this one) defines the
/// operations and their result objects; here they are the event's type number, name,
/// and a payload the C layer downcasts once per result.
pub struct AdminResult {
    /// RD_KAFKA_EVENT_*_RESULT.
    pub event_type: i32,
    /// rd_kafka_event_name().
    pub event_name: &'static str,
    pub err: ErrorCode,
    pub msg: String,
    /// The AdminOptions opaque.
    pub opaque: usize,
    pub payload: Option<Box<dyn Any + Send>>,
}

impl Event {
    pub fn type_code(&self) -> i32 {
        match self {
            Event::Dr(_) => EVENT_DR,
            Event::Fetch(_) => EVENT_FETCH,
            Event::Rebalance { .. } => EVENT_REBALANCE,
            Event::OffsetCommit(_) => EVENT_OFFSET_COMMIT,
            Event::ConsumerError { .. } => EVENT_ERROR,
            Event::Error { .. } => EVENT_ERROR,
            Event::Stats(_) => EVENT_STATS,
            // librdkafka delivers throttle events only through throttle_cb; as an event it is NONE.
            Event::Throttle { .. } => EVENT_NONE,
            Event::Log { .. } => EVENT_LOG,
            Event::AdminResult(r) => r.event_type,
            Event::OAuthRefresh { .. } => EVENT_OAUTHBEARER_TOKEN_REFRESH,
        }
    }
    pub fn name(&self) -> &'static str {
        match self {
            Event::Dr(_) => "DeliveryReport",
            Event::Fetch(_) => "Fetch",
            Event::Rebalance { .. } => "Rebalance",
            Event::OffsetCommit(_) => "OffsetCommit",
            Event::ConsumerError { .. } => "Error",
            Event::Error { .. } => "Error",
            Event::Stats(_) => "Stats",
            Event::Throttle { .. } => "(NONE)",
            Event::Log { .. } => "Log",
            Event::AdminResult(r) => r.event_name,
            Event::OAuthRefresh { .. } => "SaslOAuthBearerTokenRefresh",
        }
    }
}
