//! Finding a coordinator (FindCoordinator) and connecting to it: one lookup for the
//! group coordinator of consumer groups and of transactional offset commits, and the
//! transaction coordinator.

use super::handle::BrokerHandle;
use super::registry::Brokers;
use super::request::Request;
use crate::error::{ErrorCode, KafkaError};
use bytes::Bytes;
use kafka_protocol::messages::{ApiKey, FindCoordinatorRequest, FindCoordinatorResponse};
use kafka_protocol::protocol::StrBytes;
use std::sync::Arc;

/// FindCoordinator key types.
pub const GROUP: i8 = 0;
pub const TRANSACTION: i8 = 1;

/// Looks up the coordinator of `key` and connects to it: `done` (on a broker thread)
/// gets the connection named `prefix/<id>` (librdkafka's "GroupCoordinator/1"), one per
/// coordinator, reused while the coordinator stays the same.
pub fn find(
    brokers: &Arc<Brokers>,
    key: String,
    key_type: i8,
    prefix: &'static str,
    done: impl FnOnce(Result<Arc<BrokerHandle>, KafkaError>) + Send + 'static,
) {
    let b = brokers.clone();
    // Key types came with v1; a group lookup also works with v0 brokers.
    let min_ver = if key_type == GROUP { 0 } else { 1 };
    let req = Request::schema(
        ApiKey::FindCoordinator,
        min_ver,
        3,
        move |_| {
            let mut r = FindCoordinatorRequest::default();
            r.key = StrBytes::from_string(key);
            r.key_type = key_type;
            r
        },
        move |res: Result<(i16, Bytes), KafkaError>| {
            let r = crate::protocol::decode_response::<FindCoordinatorResponse>(res).and_then(|r| {
                if r.error_code != 0 {
                    return Err(KafkaError::new(
                        ErrorCode(r.error_code as i32),
                        r.error_message.map(|m| m.to_string()).unwrap_or_default(),
                    ));
                }
                b.coordinator_connection(prefix, r.node_id.0, &r.host, r.port as u16).ok_or_else(|| {
                    KafkaError::new(ErrorCode::_TRANSPORT, "Failed to create coordinator connection")
                })
            });
            done(r)
        },
    );
    if let Err(req) = brokers.send_any(req) {
        req.fail(KafkaError::new(ErrorCode::_TRANSPORT, "No brokers"));
    }
}
