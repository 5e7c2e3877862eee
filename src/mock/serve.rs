//! One request in, one outcome out: the version check, injected errors, and the
//! handler of each API the miniature broker implements.

use super::reply::{Ctx, Outcome};
use super::state::State;
use super::wire::{code, in_range, response_frame, Request};
use super::{
    admin, cgroup_ops, fetch, group_members, group_ops, leaders, meta, produce, share_fetch, share_ops,
    telemetry, txn,
};
use crate::error::ErrorCode;
use kafka_protocol::messages::api_versions_response::ApiVersion;
use kafka_protocol::messages::{ApiKey, ApiVersionsResponse};
use std::time::Instant;

/// The versions this broker offers, within what the protocol crate can decode.
const VERSIONS: &[(ApiKey, i16, i16)] = &[
    (ApiKey::Produce, 3, 10),
    (ApiKey::Fetch, 4, 16),
    (ApiKey::ListOffsets, 1, 7),
    (ApiKey::Metadata, 0, 12),
    (ApiKey::OffsetCommit, 2, 9),
    (ApiKey::OffsetFetch, 1, 9),
    (ApiKey::FindCoordinator, 0, 3),
    (ApiKey::JoinGroup, 0, 7),
    (ApiKey::Heartbeat, 0, 4),
    (ApiKey::LeaveGroup, 0, 4),
    (ApiKey::SyncGroup, 0, 5),
    (ApiKey::DescribeGroups, 0, 5),
    (ApiKey::ListGroups, 0, 5),
    (ApiKey::ApiVersions, 0, 3),
    (ApiKey::CreateTopics, 2, 5),
    (ApiKey::DeleteTopics, 1, 5),
    (ApiKey::DeleteRecords, 0, 2),
    (ApiKey::InitProducerId, 0, 4),
    (ApiKey::AddPartitionsToTxn, 0, 3),
    (ApiKey::AddOffsetsToTxn, 0, 3),
    (ApiKey::EndTxn, 0, 3),
    (ApiKey::TxnOffsetCommit, 0, 3),
    (ApiKey::DescribeConfigs, 1, 4),
    (ApiKey::CreatePartitions, 0, 3),
    (ApiKey::DeleteGroups, 0, 2),
    (ApiKey::GetTelemetrySubscriptions, 0, 0),
    (ApiKey::PushTelemetry, 0, 0),
    (ApiKey::OffsetForLeaderEpoch, 2, 4),
    (ApiKey::ConsumerGroupHeartbeat, 0, 1),
    (ApiKey::ConsumerGroupDescribe, 0, 0),
    (ApiKey::ShareGroupHeartbeat, 1, 1),
    (ApiKey::ShareGroupDescribe, 1, 1),
    (ApiKey::ShareFetch, 1, 1),
    (ApiKey::ShareAcknowledge, 1, 1),
];

/// The range offered for an API key, after rd_kafka_mock_set_apiversion.
pub fn offered(st: &State, key: i16) -> Option<(i16, i16)> {
    let base = VERSIONS.iter().find(|v| v.0 as i16 == key).map(|v| (v.1, v.2))?;
    match st.api_versions.get(&key) {
        Some(&(min, max)) if min < 0 || max < 0 => None,
        Some(&(min, max)) => Some((min, max)),
        None => Some(base),
    }
}

pub fn serve(st: &mut State, req: &Request, ctx: &Ctx) -> Outcome {
    let Ok(key) = ApiKey::try_from(req.api_key) else { return Outcome::Close };
    let supported = offered(st, req.api_key).is_some_and(|(lo, hi)| (lo..=hi).contains(&req.version));
    if ctx.first {
        if let Some(r) = &mut st.requests {
            r.push((ctx.broker, req.api_key, crate::clock::now_us()));
        }
    }
    if key == ApiKey::ApiVersions {
        return api_versions(st, req, ctx, supported);
    }
    if !supported || !in_range(key, req.version) {
        return Outcome::Close;
    }
    let r = match key {
        ApiKey::Metadata => meta::metadata(st, req, ctx),
        ApiKey::FindCoordinator => meta::find_coordinator(st, req, ctx),
        ApiKey::Produce => produce::produce(st, req, ctx),
        ApiKey::Fetch => fetch::fetch(st, req, ctx),
        ApiKey::ListOffsets => fetch::list_offsets(st, req, ctx),
        ApiKey::OffsetForLeaderEpoch => leaders::offset_for_leader_epoch(st, req, ctx),
        ApiKey::JoinGroup => group_members::join_group(st, req, ctx),
        ApiKey::SyncGroup => group_members::sync_group(st, req, ctx),
        ApiKey::Heartbeat => group_members::heartbeat(st, req, ctx),
        ApiKey::LeaveGroup => group_members::leave_group(st, req, ctx),
        ApiKey::OffsetCommit => group_ops::offset_commit(st, req, ctx),
        ApiKey::OffsetFetch => group_ops::offset_fetch(st, req, ctx),
        ApiKey::DescribeGroups => group_ops::describe_groups(st, req, ctx),
        ApiKey::ListGroups => group_ops::list_groups(st, req, ctx),
        ApiKey::DeleteGroups => group_ops::delete_groups(st, req, ctx),
        ApiKey::ConsumerGroupHeartbeat => cgroup_ops::heartbeat(st, req, ctx),
        ApiKey::ConsumerGroupDescribe => cgroup_ops::describe(st, req, ctx),
        ApiKey::ShareGroupHeartbeat => share_ops::heartbeat(st, req, ctx),
        ApiKey::ShareGroupDescribe => share_ops::describe(st, req, ctx),
        ApiKey::ShareFetch => share_fetch::share_fetch(st, req, ctx),
        ApiKey::ShareAcknowledge => share_fetch::share_acknowledge(st, req, ctx),
        ApiKey::InitProducerId
        | ApiKey::AddPartitionsToTxn
        | ApiKey::AddOffsetsToTxn
        | ApiKey::EndTxn
        | ApiKey::TxnOffsetCommit => txn::serve(st, key, req, ctx),
        ApiKey::GetTelemetrySubscriptions => telemetry::get_subscriptions(&st.telemetry, req, ctx),
        ApiKey::PushTelemetry => telemetry::push(&mut st.telemetry, req, ctx),
        _ => admin::serve(st, key, req, ctx),
    };
    r.unwrap_or_else(|o| o)
}

fn api_versions(st: &State, req: &Request, ctx: &Ctx, supported: bool) -> Outcome {
    let mut r = ApiVersionsResponse::default();
    r.error_code = code(if supported { ctx.injected } else { ErrorCode::UNSUPPORTED_VERSION });
    for v in VERSIONS {
        if let Some((min, max)) = offered(st, v.0 as i16) {
            let mut a = ApiVersion::default();
            a.api_key = v.0 as i16;
            a.min_version = min;
            a.max_version = max;
            r.api_keys.push(a);
        }
    }
    // KIP-511: a version we do not know is answered with v0, which every client reads.
    let version = if supported { req.version } else { 0 };
    match response_frame(req.api_key, version, req.corr_id, &r) {
        Ok(frame) => Outcome::Respond(frame),
        Err(_) => Outcome::Close,
    }
}

/// Timers: group sessions and rebalances, share locks, transaction timeouts.
pub fn tick(st: &mut State, now: Instant) {
    let delay_ms = st.groups.initial_delay_ms;
    if st.groups.tick(now, delay_ms) {
        st.changed();
    }
    let topics = cgroup_ops::topics(st);
    if st.cgroups.tick(now, &topics) {
        st.changed();
    }
    if st.shares.tick(now, &topics) {
        st.changed();
    }
    txn::tick(st, now);
}

/// A connection closed: the share sessions on it close, as Kafka's do.
pub fn closed(st: &mut State, conn: u64) {
    let max = st.shares.conf.max_attempts;
    if st.shares.parts.conn_closed(conn, max) {
        st.changed();
    }
}
