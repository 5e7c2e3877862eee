//! KIP-714 telemetry over real sockets: the subscription a client gets, and which
//! pushes the broker takes.

use super::{ACCEPTED_COMPRESSION, MAX_BYTES};
use crate::error::ErrorCode;
use crate::mock::tests::Conn;
use crate::mock::Cluster;
use bytes::Bytes;
use kafka_protocol::messages::*;
use uuid::Uuid;

fn subscribe(conn: &mut Conn, instance: Uuid) -> GetTelemetrySubscriptionsResponse {
    let mut r = GetTelemetrySubscriptionsRequest::default();
    r.client_instance_id = instance;
    conn.call(ApiKey::GetTelemetrySubscriptions, 0, &r).expect("subscriptions")
}

/// A push's error code.
fn push(
    conn: &mut Conn,
    instance: Uuid,
    sub: i32,
    compression: i8,
    size: usize,
    terminating: bool,
) -> ErrorCode {
    let mut r = PushTelemetryRequest::default();
    r.client_instance_id = instance;
    r.subscription_id = sub;
    r.compression_type = compression;
    r.terminating = terminating;
    r.metrics = Bytes::from(vec![0u8; size]);
    let resp: PushTelemetryResponse = conn.call(ApiKey::PushTelemetry, 0, &r).expect("push");
    ErrorCode(resp.error_code as i32)
}

#[test]
fn api_versions_offers_v0_of_both() {
    let c = Cluster::new(1).expect("cluster");
    let resp: ApiVersionsResponse =
        Conn::to(&c, 1).call(ApiKey::ApiVersions, 3, &ApiVersionsRequest::default()).expect("versions");
    for key in [ApiKey::GetTelemetrySubscriptions, ApiKey::PushTelemetry] {
        let v = resp.api_keys.iter().find(|a| a.api_key == key as i16).expect("offered");
        assert_eq!((v.min_version, v.max_version), (0, 0), "{key:?}");
    }
}

#[test]
fn subscription_answer_and_instance_id() {
    let c = Cluster::new(1).expect("cluster");
    let mut conn = Conn::to(&c, 1);

    // Nothing set: no metrics requested, librdkafka's mock defaults.
    let r = subscribe(&mut conn, Uuid::nil());
    assert_eq!(r.error_code, 0);
    assert!(!r.client_instance_id.is_nil(), "the zero UUID gets an instance id assigned");
    assert!(r.requested_metrics.is_empty());
    assert_eq!(r.push_interval_ms, 300_000);
    assert_eq!(r.telemetry_max_bytes, MAX_BYTES);
    assert_eq!(r.accepted_compression_types, ACCEPTED_COMPRESSION.to_vec());
    assert!(r.delta_temporality);
    let other = subscribe(&mut conn, Uuid::nil());
    assert_ne!(other.client_instance_id, r.client_instance_id, "each new client gets its own id");

    c.telemetry_set_requested_metrics(vec![
        "org.apache.kafka.producer.".into(),
        "org.apache.kafka.client.".into(),
    ]);
    c.telemetry_set_push_interval(500);
    let mine = Uuid::from_u128(0x1234);
    let r2 = subscribe(&mut conn, mine);
    assert_eq!(r2.client_instance_id, mine, "a client's own id is kept");
    let names: Vec<String> = r2.requested_metrics.iter().map(|s| s.to_string()).collect();
    assert_eq!(names, ["org.apache.kafka.producer.", "org.apache.kafka.client."]);
    assert_eq!(r2.push_interval_ms, 500);
    assert_eq!(
        subscribe(&mut conn, mine).subscription_id,
        r2.subscription_id,
        "stable while nothing changes"
    );

    // An injected error answers instead.
    c.push_request_errors(ApiKey::GetTelemetrySubscriptions as i16, &[ErrorCode::THROTTLING_QUOTA_EXCEEDED]);
    assert_eq!(subscribe(&mut conn, mine).error_code, ErrorCode::THROTTLING_QUOTA_EXCEEDED.code() as i16);
}

#[test]
fn pushes_accepted_and_refused() {
    let c = Cluster::new(1).expect("cluster");
    c.telemetry_set_requested_metrics(vec![String::new()]);
    c.telemetry_set_push_interval(1000);
    let mut conn = Conn::to(&c, 1);
    let s = subscribe(&mut conn, Uuid::nil());
    let (id, sub) = (s.client_instance_id, s.subscription_id);

    assert_eq!(push(&mut conn, id, sub, 0, 100, false), ErrorCode::NO_ERROR);
    for &z in &ACCEPTED_COMPRESSION {
        assert_eq!(push(&mut conn, id, sub, z, 100, false), ErrorCode::NO_ERROR, "compression {z}");
    }
    assert_eq!(push(&mut conn, id, sub, 9, 100, false), ErrorCode::UNSUPPORTED_COMPRESSION_TYPE);
    assert_eq!(push(&mut conn, id, sub, 0, MAX_BYTES as usize + 1, false), ErrorCode::TELEMETRY_TOO_LARGE);
    assert_eq!(push(&mut conn, Uuid::nil(), sub, 0, 100, false), ErrorCode::INVALID_REQUEST);
    assert_eq!(push(&mut conn, id, sub.wrapping_add(1), 0, 100, false), ErrorCode::UNKNOWN_SUBSCRIPTION_ID);

    // The requested metrics change: the old subscription id is stale until re-fetched.
    c.telemetry_set_requested_metrics(vec!["org.apache.kafka.".into()]);
    assert_eq!(push(&mut conn, id, sub, 0, 100, false), ErrorCode::UNKNOWN_SUBSCRIPTION_ID);
    let s2 = subscribe(&mut conn, id);
    assert_eq!(s2.client_instance_id, id);
    assert_ne!(s2.subscription_id, sub, "a new subscription id for the new metrics");
    assert_eq!(push(&mut conn, id, s2.subscription_id, 0, 100, false), ErrorCode::NO_ERROR);
    // So does the push interval.
    c.telemetry_set_push_interval(2000);
    assert_eq!(push(&mut conn, id, s2.subscription_id, 0, 100, false), ErrorCode::UNKNOWN_SUBSCRIPTION_ID);
    let sub3 = subscribe(&mut conn, id).subscription_id;

    // Injected errors answer instead of the checks.
    c.push_request_errors(ApiKey::PushTelemetry as i16, &[ErrorCode::THROTTLING_QUOTA_EXCEEDED]);
    assert_eq!(push(&mut conn, id, sub3, 0, 100, false), ErrorCode::THROTTLING_QUOTA_EXCEEDED);

    // The terminating push is the instance's last.
    assert_eq!(push(&mut conn, id, sub3, 0, 100, true), ErrorCode::NO_ERROR);
    assert_eq!(push(&mut conn, id, sub3, 0, 100, false), ErrorCode::INVALID_REQUEST);
}
