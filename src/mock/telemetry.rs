//! KIP-714 client telemetry: GetTelemetrySubscriptions tells a client which metrics to
//! push and how often, PushTelemetry takes them. The mock keeps no metrics; it checks
//! each push as a broker does (instance, subscription, compression, size) and answers.
//! librdkafka's mock offers both APIs at v0 only, and so does this one.

use super::reply::{body, respond, Ctx, Outcome};
use super::wire::{code, sb, Request};
use crate::error::ErrorCode;
use kafka_protocol::messages::{
    GetTelemetrySubscriptionsRequest, GetTelemetrySubscriptionsResponse, PushTelemetryRequest,
    PushTelemetryResponse,
};
use std::collections::HashSet;
use uuid::Uuid;

/// What librdkafka's mock answers when no push interval was set: 5 minutes.
const DEFAULT_PUSH_INTERVAL_MS: i64 = 5 * 60 * 1000;
/// The largest metrics payload accepted (librdkafka's mock announces this too).
pub const MAX_BYTES: i32 = 10_000;
/// Compression types offered, in order of preference (zstd, lz4, gzip, snappy), as
/// librdkafka's mock offers them. None is always accepted.
pub const ACCEPTED_COMPRESSION: [i8; 4] = [4, 3, 1, 2];

/// The cluster's telemetry subscription: the same for every client.
#[derive(Default)]
pub struct Telemetry {
    /// Prefixes of the metrics requested (rd_kafka_mock_telemetry_set_requested_metrics).
    /// Empty: none, so clients push nothing; [""]: every metric (KIP-714).
    pub metrics: Vec<String>,
    /// rd_kafka_mock_telemetry_set_push_interval; 0 or less: the default.
    pub push_interval_ms: i64,
    /// Instances whose terminating push was accepted: KIP-714 refuses anything after it.
    terminated: HashSet<Uuid>,
}

impl Telemetry {
    pub fn push_interval_ms(&self) -> i32 {
        let ms = if self.push_interval_ms > 0 { self.push_interval_ms } else { DEFAULT_PUSH_INTERVAL_MS };
        ms.min(i32::MAX as i64) as i32
    }

    /// A client instance's subscription id. Derived from what was requested (as Kafka's
    /// broker derives it) so that it changes when the metrics or the interval change and
    /// a push made for the old subscription is refused, with no per-client record.
    pub fn subscription_id(&self, instance: Uuid) -> i32 {
        let mut h = crc32fast::Hasher::new();
        h.update(instance.as_bytes());
        for m in &self.metrics {
            h.update(m.as_bytes());
            h.update(&[0]);
        }
        h.update(&self.push_interval_ms().to_be_bytes());
        h.finalize() as i32
    }

    /// Why a push is refused, in the order Kafka's broker checks.
    fn check_push(&self, m: &PushTelemetryRequest) -> Result<(), ErrorCode> {
        if m.client_instance_id.is_nil() || self.terminated.contains(&m.client_instance_id) {
            return Err(ErrorCode::INVALID_REQUEST);
        }
        if m.subscription_id != self.subscription_id(m.client_instance_id) {
            return Err(ErrorCode::UNKNOWN_SUBSCRIPTION_ID);
        }
        if m.compression_type != 0 && !ACCEPTED_COMPRESSION.contains(&m.compression_type) {
            return Err(ErrorCode::UNSUPPORTED_COMPRESSION_TYPE);
        }
        if m.metrics.len() > MAX_BYTES as usize {
            return Err(ErrorCode::TELEMETRY_TOO_LARGE);
        }
        Ok(())
    }
}

/// A new client instance id: random (version 4), never the zero UUID that asks for one.
fn new_instance_id() -> Uuid {
    let mut b = [0u8; 16];
    fastrand::fill(&mut b);
    uuid::Builder::from_random_bytes(b).into_uuid()
}

pub fn get_subscriptions(t: &Telemetry, req: &Request, ctx: &Ctx) -> Result<Outcome, Outcome> {
    let m: GetTelemetrySubscriptionsRequest = body(req)?;
    let mut r = GetTelemetrySubscriptionsResponse::default();
    if ctx.injected.is_error() {
        r.error_code = code(ctx.injected);
        return Ok(respond(req, &r));
    }
    // KIP-714: the zero UUID asks the broker to assign the instance id; any other is
    // the client's own (kept across reconnects and brokers) and is answered as is.
    let instance = if m.client_instance_id.is_nil() { new_instance_id() } else { m.client_instance_id };
    r.client_instance_id = instance;
    r.subscription_id = t.subscription_id(instance);
    r.accepted_compression_types = ACCEPTED_COMPRESSION.to_vec();
    r.push_interval_ms = t.push_interval_ms();
    r.telemetry_max_bytes = MAX_BYTES;
    r.delta_temporality = true;
    r.requested_metrics = t.metrics.iter().map(|s| sb(s)).collect();
    Ok(respond(req, &r))
}

pub fn push(t: &mut Telemetry, req: &Request, ctx: &Ctx) -> Result<Outcome, Outcome> {
    let m: PushTelemetryRequest = body(req)?;
    let res = if ctx.injected.is_error() { Err(ctx.injected) } else { t.check_push(&m) };
    if res.is_ok() && m.terminating {
        t.terminated.insert(m.client_instance_id);
    }
    let mut r = PushTelemetryResponse::default();
    r.error_code = code(res.err().unwrap_or(ErrorCode::NO_ERROR));
    Ok(respond(req, &r))
}

#[cfg(test)]
#[path = "telemetry_tests.rs"]
mod tests;
