//! Metadata and FindCoordinator: what the cluster looks like, who coordinates what.

use super::reply::{body, respond, Ctx, Outcome};
use super::state::State;
use super::wire::{code, sb, Request};
use crate::error::ErrorCode;
use kafka_protocol::messages::metadata_response::{
    MetadataResponseBroker, MetadataResponsePartition, MetadataResponseTopic,
};
use kafka_protocol::messages::{
    BrokerId, FindCoordinatorRequest, FindCoordinatorResponse, MetadataRequest, MetadataResponse, TopicName,
};

pub fn metadata(st: &mut State, req: &Request, ctx: &Ctx) -> Result<Outcome, Outcome> {
    let m: MetadataRequest = body(req)?;
    // v0 has no null list: empty means every topic. Auto-creation is implied below v4.
    // v10+ may name a topic by id alone (a KIP-848 member learns its assignment so).
    let mut unknown_ids = Vec::new();
    let names: Option<Vec<String>> = match m.topics {
        Some(t) if !(t.is_empty() && req.version == 0) => {
            let mut names = Vec::new();
            for t in t {
                match (t.name, st.topic_name(t.topic_id.as_bytes())) {
                    (Some(n), _) if !n.0.is_empty() => names.push(n.0.to_string()),
                    (_, Some(n)) => names.push(n),
                    (Some(n), None) if t.topic_id.is_nil() => names.push(n.0.to_string()),
                    _ => unknown_ids.push(t.topic_id),
                }
            }
            Some(names)
        }
        _ => None,
    };
    let auto = req.version < 4 || m.allow_auto_topic_creation;
    let mut r = MetadataResponse::default();
    for b in st.brokers.iter().filter(|b| b.in_metadata) {
        let mut mb = MetadataResponseBroker::default();
        mb.node_id = BrokerId(b.id);
        mb.host = sb(&b.host);
        mb.port = b.port as i32;
        if req.version >= 1 {
            mb.rack = b.rack.as_deref().map(sb);
        }
        r.brokers.push(mb);
    }
    if req.version >= 2 {
        r.cluster_id = Some(sb(&st.cluster_id));
    }
    if req.version >= 1 {
        r.controller_id = BrokerId(st.controller);
    }
    let names = names.unwrap_or_else(|| st.topics.keys().cloned().collect());
    for name in names {
        let mut mt = MetadataResponseTopic::default();
        mt.name = Some(TopicName(sb(&name)));
        match st.topic_or_create(&name, auto) {
            None => mt.error_code = code(ErrorCode::UNKNOWN_TOPIC_OR_PART),
            Some(t) => {
                mt.error_code = code(if ctx.injected.is_error() { ctx.injected } else { t.error });
                if req.version >= 10 {
                    mt.topic_id = uuid::Uuid::from_bytes(t.id);
                }
                for (i, p) in t.parts.iter_mut().enumerate() {
                    let mut mp = MetadataResponsePartition::default();
                    mp.partition_index = i as i32;
                    // A pushed leader response stands in for the real leader once.
                    let (leader, epoch) =
                        p.leader_responses.pop_front().unwrap_or((p.leader, p.leader_epoch));
                    mp.leader_id = BrokerId(leader);
                    if req.version >= 7 {
                        mp.leader_epoch = epoch;
                    }
                    mp.replica_nodes = p.replicas.iter().map(|&b| BrokerId(b)).collect();
                    mp.isr_nodes = mp.replica_nodes.clone();
                    if leader < 0 {
                        mp.error_code = code(ErrorCode::LEADER_NOT_AVAILABLE);
                    }
                    mt.partitions.push(mp);
                }
            }
        }
        r.topics.push(mt);
    }
    for id in unknown_ids {
        let mut mt = MetadataResponseTopic::default().with_topic_id(id);
        mt.error_code = code(ErrorCode::UNKNOWN_TOPIC_ID);
        r.topics.push(mt);
    }
    Ok(respond(req, &r))
}

pub fn find_coordinator(st: &mut State, req: &Request, ctx: &Ctx) -> Result<Outcome, Outcome> {
    let m: FindCoordinatorRequest = body(req)?;
    let mut r = FindCoordinatorResponse::default();
    let key = m.key.to_string();
    let id = st.coordinator(m.key_type, &key);
    let err = if ctx.injected.is_error() {
        ctx.injected
    } else if m.key_type > 1 {
        ErrorCode::INVALID_REQUEST
    } else {
        ErrorCode::NO_ERROR
    };
    r.error_code = code(err);
    match st.broker(id) {
        Some(b) if !err.is_error() => {
            r.node_id = BrokerId(b.id);
            r.host = sb(&b.host);
            r.port = b.port as i32;
        }
        _ => {
            r.node_id = BrokerId(-1);
            if !err.is_error() {
                r.error_code = code(ErrorCode::COORDINATOR_NOT_AVAILABLE);
            }
        }
    }
    if r.error_code != 0 && req.version >= 1 {
        r.error_message = Some(sb(&ErrorCode(r.error_code as i32).description()));
    }
    Ok(respond(req, &r))
}
