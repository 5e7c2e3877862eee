//! The requests a connection has sent and waits answers for, and where each answer
//! goes: the ApiVersions handshake, a `Request`'s callback, or a source's `Reply`.

use super::handle::BrokerHandle;
use super::request::DoneFn;
use crate::error::{ErrorCode, KafkaError};
use bytes::Bytes;
use kafka_protocol::messages::ApiKey;
use std::sync::Arc;

/// Where the answer of a batch a source wrote itself goes (the producer's Produce
/// requests): a trait call per request, never per message.
pub trait Reply: Send {
    /// The response (or the request's failure), on the broker thread.
    fn done(self: Box<Self>, broker: &Arc<BrokerHandle>, res: Result<(i16, Bytes), KafkaError>);
    /// The request is given up (purged, or the client is terminating): its work fails
    /// with `err` and is not retried.
    fn abandon(self: Box<Self>, err: ErrorCode);
}

pub(super) enum Pending {
    ApiVersions,
    /// The connection's SASL exchange (SaslHandshake, SaslAuthenticate).
    SaslHandshake,
    SaslAuthenticate,
    /// A purged batch: its response is read and ignored.
    Purged,
    Request(DoneFn),
    Batch(Box<dyn Reply>),
}

pub(super) struct InFlight {
    pub corr: i32,
    pub key: ApiKey,
    pub ver: i16,
    pub sent_us: i64,
    pub deadline_us: i64,
    pub pending: Pending,
}
