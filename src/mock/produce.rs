//! Produce: batches checked (CRC, magic, sequences) and appended to the leader's log.

use super::leaders::{current_leader, node_endpoints};
use super::reply::{body, respond, Ctx, Outcome};
use super::state::State;
use super::wire::{code, Request};
use crate::error::ErrorCode;
use kafka_protocol::messages::produce_response::{
    LeaderIdAndEpoch, NodeEndpoint, PartitionProduceResponse, TopicProduceResponse,
};
use kafka_protocol::messages::{BrokerId, ProduceRequest, ProduceResponse};

pub fn produce(st: &mut State, req: &Request, ctx: &Ctx) -> Result<Outcome, Outcome> {
    let m: ProduceRequest = body(req)?;
    let mut r = ProduceResponse::default();
    let mut appended = false;
    let mut leaders = Vec::new();
    for t in m.topic_data {
        let name = t.name.0.to_string();
        let mut tr = TopicProduceResponse::default();
        tr.name = t.name;
        for p in t.partition_data {
            let mut pr = PartitionProduceResponse::default();
            pr.index = p.index;
            pr.base_offset = -1;
            pr.log_append_time_ms = -1;
            pr.log_start_offset = -1;
            let res = if ctx.injected.is_error() {
                Err(ctx.injected)
            } else {
                append(st, ctx, &name, p.index, p.records.as_deref())
            };
            match res {
                Ok((base, start)) => {
                    pr.base_offset = base;
                    if req.version >= 5 {
                        pr.log_start_offset = start;
                    }
                    appended = true;
                }
                Err(e) => pr.error_code = code(e),
            }
            if req.version >= 10 && pr.error_code != 0 {
                if let Some((id, epoch)) =
                    current_leader(st.partition_mut(&name, p.index).ok(), pr.error_code, false)
                {
                    pr.current_leader =
                        LeaderIdAndEpoch::default().with_leader_id(BrokerId(id)).with_leader_epoch(epoch);
                    leaders.push(id);
                }
            }
            tr.partition_responses.push(pr);
        }
        r.responses.push(tr);
    }
    r.node_endpoints = node_endpoints!(st, leaders, NodeEndpoint);
    if appended {
        st.changed();
    }
    if m.acks == 0 {
        return Ok(Outcome::Silent);
    }
    Ok(respond(req, &r))
}

fn append(
    st: &mut State,
    ctx: &Ctx,
    topic: &str,
    part: i32,
    records: Option<&[u8]>,
) -> Result<(i64, i64), ErrorCode> {
    let p = st.partition_mut(topic, part)?;
    if p.leader != ctx.broker {
        return Err(ErrorCode::NOT_LEADER_OR_FOLLOWER);
    }
    if let Some(e) = p.next_error(0) {
        return Err(e);
    }
    let base = p.log.append(records.ok_or(ErrorCode::INVALID_MSG)?, ctx.now_ms, p.leader_epoch)?;
    Ok((base, p.log.start))
}
