//! A group's requests on its coordinator: finding it, re-sending when it moved, and
//! what the groups' answers share (state names, the coordinator as a node).

use crate::admin::engine::{retriable_coordinator, Ctx};
use crate::admin::result::Node;
use crate::broker::BrokerHandle;
use crate::error::{ErrorCode, KafkaError};
use kafka_protocol::messages::ApiKey;
use std::sync::Arc;
use std::time::Duration;

pub(super) const STATE_NAMES: [&str; 8] = [
    "Unknown",
    "PreparingRebalance",
    "CompletingRebalance",
    "Stable",
    "Dead",
    "Empty",
    "Assigning",
    "Reconciling",
];

/// RD_KAFKA_CONSUMER_GROUP_STATE_* of a state as brokers name it.
pub(super) fn state_code(name: &str) -> i32 {
    STATE_NAMES.iter().position(|n| n.eq_ignore_ascii_case(name)).map_or(0, |i| i as i32)
}

/// Sends a group's request to its coordinator; while the answer says the coordinator
/// moved or is loading (`coord_err`), looks it up again and resends.
pub(super) fn on_coordinator<Q, R>(
    ctx: &Ctx,
    group: &str,
    key: ApiKey,
    min: i16,
    max: i16,
    build: impl Fn(i16) -> Q + Clone + Send + 'static,
    coord_err: impl Fn(&R) -> i16,
) -> Result<(i16, R, Arc<BrokerHandle>), KafkaError>
where
    Q: kafka_protocol::protocol::Encodable + 'static,
    R: kafka_protocol::protocol::Decodable,
{
    loop {
        let b = ctx.coordinator(group)?;
        let (ver, r) = ctx.call(&b, key, min, max, build.clone()).map_err(|e| match e.code {
            // librdkafka's text for a coordinator that lacks the API.
            ErrorCode::_UNSUPPORTED_FEATURE => KafkaError::new(
                e.code,
                format!("{} worker failed to send request: {}", ctx.op_name().to_ascii_uppercase(), e.msg),
            ),
            _ => e,
        })?;
        if !retriable_coordinator(coord_err(&r)) || ctx.opts.broker().is_some() {
            return Ok((ver, r, b));
        }
        ctx.pause(Duration::from_millis(100), "waiting for coordinator")?;
    }
}

pub(super) fn node_of(b: &BrokerHandle) -> Node {
    Node { id: b.id, host: b.host.clone(), port: b.port, rack: None }
}
