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

/// What a group member does when its coordinator refuses a KIP-848 or KIP-932
/// heartbeat (ConsumerGroupHeartbeat, ShareGroupHeartbeat): librdkafka sorts both the
/// same way, so both members share this.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeartbeatFailure {
    /// Try again after a backoff.
    Retry,
    /// The coordinator moved or its connection is gone: look it up again.
    Coordinator,
    /// The member is not (or no longer) in the group: its assignment is lost, it
    /// rejoins at epoch 0.
    Fenced,
    /// No retry can fix it: the client's fatal error.
    Fatal,
    /// Told to the application (a consumer error), then retried.
    Report,
}

/// Sorts a heartbeat error. GROUP_ID_NOT_FOUND is fatal here; a member already leaving
/// the group ignores it.
pub fn heartbeat_failure(e: ErrorCode) -> HeartbeatFailure {
    use HeartbeatFailure::*;
    match e {
        ErrorCode::UNKNOWN_MEMBER_ID | ErrorCode::FENCED_MEMBER_EPOCH => Fenced,
        ErrorCode::COORDINATOR_LOAD_IN_PROGRESS => Retry,
        // A timed-out heartbeat is taken as a dead connection: its coordinator is looked
        // up again rather than asked once more on the same connection.
        ErrorCode::NOT_COORDINATOR
        | ErrorCode::COORDINATOR_NOT_AVAILABLE
        | ErrorCode::_TRANSPORT
        | ErrorCode::_WAIT_COORD
        | ErrorCode::_TIMED_OUT => Coordinator,
        ErrorCode::GROUP_ID_NOT_FOUND
        | ErrorCode::INVALID_REQUEST
        | ErrorCode::GROUP_MAX_SIZE_REACHED
        | ErrorCode::UNSUPPORTED_ASSIGNOR
        | ErrorCode::UNSUPPORTED_VERSION
        | ErrorCode::_UNSUPPORTED_FEATURE
        | ErrorCode::UNRELEASED_INSTANCE_ID
        | ErrorCode::GROUP_AUTHORIZATION_FAILED => Fatal,
        ErrorCode::TOPIC_AUTHORIZATION_FAILED => Report,
        // Any other broker error a retry cannot fix is fatal too (librdkafka: a
        // permanent error); local ones are retried.
        e if e.0 >= ErrorCode::UNKNOWN.0 && !e.is_retriable() => Fatal,
        _ => Retry,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heartbeat_failures_sort_as_librdkafka() {
        use HeartbeatFailure::*;
        for (e, want) in [
            (ErrorCode::GROUP_AUTHORIZATION_FAILED, Fatal),
            (ErrorCode::CLUSTER_AUTHORIZATION_FAILED, Fatal),
            (ErrorCode::UNSUPPORTED_VERSION, Fatal),
            (ErrorCode::TOPIC_AUTHORIZATION_FAILED, Report),
            (ErrorCode::FENCED_MEMBER_EPOCH, Fenced),
            (ErrorCode::UNKNOWN_MEMBER_ID, Fenced),
            (ErrorCode::NOT_COORDINATOR, Coordinator),
            (ErrorCode::_TRANSPORT, Coordinator),
            (ErrorCode::COORDINATOR_LOAD_IN_PROGRESS, Retry),
            (ErrorCode::REQUEST_TIMED_OUT, Retry),
            (ErrorCode::_DESTROY, Retry),
        ] {
            assert_eq!(heartbeat_failure(e), want, "{}", e.name());
        }
    }
}
