//! What a partition's leadership tells clients: OffsetForLeaderEpoch (KIP-320's log
//! truncation check, answered from the leader epoch history) and KIP-951's current
//! leader in Produce and Fetch errors.

use super::reply::{body, respond, Ctx, Outcome};
use super::state::{Partition, State};
use super::wire::{code, Request};
use crate::error::ErrorCode;
use kafka_protocol::messages::offset_for_leader_epoch_response::{
    EpochEndOffset, OffsetForLeaderTopicResult,
};
use kafka_protocol::messages::{OffsetForLeaderEpochRequest, OffsetForLeaderEpochResponse};

impl Partition {
    /// A new leader: the epoch goes up and starts at the log's end.
    pub fn set_leader(&mut self, leader: i32) {
        self.leader = leader;
        self.leader_epoch += 1;
        self.epoch_starts.push((self.leader_epoch, self.log.end));
    }

    /// Kafka's answer for `epoch`: the largest epoch not above it and the offset where
    /// the next one began (the log end for the current epoch); (-1, -1) for an epoch
    /// that is unknown or newer than any.
    pub fn end_offset_for(&self, epoch: i32) -> (i32, i64) {
        if epoch < 0 {
            return (-1, -1);
        }
        if epoch == self.leader_epoch {
            return (epoch, self.log.end);
        }
        let Some(&(_, next_start)) = self.epoch_starts.iter().find(|e| e.0 > epoch) else {
            return (-1, -1);
        };
        let floor = self.epoch_starts.iter().rev().find(|e| e.0 <= epoch).map_or(epoch, |e| e.0);
        (floor, next_start)
    }
}

pub fn offset_for_leader_epoch(st: &mut State, req: &Request, ctx: &Ctx) -> Result<Outcome, Outcome> {
    let m: OffsetForLeaderEpochRequest = body(req)?;
    let mut r = OffsetForLeaderEpochResponse::default();
    for t in m.topics {
        let name = t.topic.0.to_string();
        let mut tr = OffsetForLeaderTopicResult::default();
        tr.topic = t.topic;
        for op in t.partitions {
            let mut e = EpochEndOffset::default();
            e.partition = op.partition;
            e.leader_epoch = -1;
            e.end_offset = -1;
            let res = if ctx.injected.is_error() {
                Err(ctx.injected)
            } else {
                st.partition_mut(&name, op.partition).and_then(|p| {
                    if p.leader != ctx.broker {
                        return Err(ErrorCode::NOT_LEADER_OR_FOLLOWER);
                    }
                    if let Some(e) = p.next_error(23) {
                        return Err(e);
                    }
                    p.check_epoch(op.current_leader_epoch).map(|_| p.end_offset_for(op.leader_epoch))
                })
            };
            match res {
                Ok((epoch, end)) => (e.leader_epoch, e.end_offset) = (epoch, end),
                Err(err) => e.error_code = code(err),
            }
            tr.partitions.push(e);
        }
        r.topics.push(tr);
    }
    Ok(respond(req, &r))
}

/// KIP-951 (called for a partition with an error): the leader a NOT_LEADER_OR_FOLLOWER or FENCED_LEADER_EPOCH answer names,
/// or None. Fetch takes a pushed leader response first (as librdkafka's mock does).
pub fn current_leader(p: Option<&mut Partition>, err: i16, pushed: bool) -> Option<(i32, i32)> {
    let moved = [ErrorCode::NOT_LEADER_OR_FOLLOWER, ErrorCode::FENCED_LEADER_EPOCH].map(code);
    let p = p.filter(|_| moved.contains(&err))?;
    let next = if pushed { p.leader_responses.pop_front() } else { None };
    Some(next.unwrap_or((p.leader, p.leader_epoch)))
}

/// The endpoints of the brokers named as new leaders, once each, as the answer's
/// NodeEndpoint type (Produce and Fetch each have their own).
macro_rules! node_endpoints {
    ($st:expr, $leaders:expr, $ty:ty) => {{
        let mut ids = $leaders.to_vec();
        ids.sort_unstable();
        ids.dedup();
        ids.iter()
            .filter_map(|&id| $st.broker(id))
            .map(|b| {
                let mut n = <$ty>::default();
                n.node_id = kafka_protocol::messages::BrokerId(b.id);
                n.host = super::wire::sb(&b.host);
                n.port = b.port as i32;
                n.rack = b.rack.as_deref().map(super::wire::sb);
                n
            })
            .collect::<Vec<$ty>>()
    }};
}
pub(crate) use node_endpoints;
