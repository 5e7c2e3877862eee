//! Fetch (long polling, read_committed with aborted-transaction lists) and
//! ListOffsets (earliest, latest, by timestamp, max timestamp).

use super::leaders::{current_leader, node_endpoints};
use super::reply::{body, respond, Ctx, Outcome};
use super::state::State;
use super::wire::{code, Request};
use crate::error::ErrorCode;
use kafka_protocol::messages::fetch_response::{
    AbortedTransaction, FetchableTopicResponse, LeaderIdAndEpoch, NodeEndpoint, PartitionData,
};
use kafka_protocol::messages::list_offsets_response::{
    ListOffsetsPartitionResponse, ListOffsetsTopicResponse,
};
use kafka_protocol::messages::{
    BrokerId, FetchRequest, FetchResponse, ListOffsetsRequest, ListOffsetsResponse, ProducerId,
};
use std::time::Duration;

pub fn fetch(st: &mut State, req: &Request, ctx: &Ctx) -> Result<Outcome, Outcome> {
    let m: FetchRequest = body(req)?;
    let committed = m.isolation_level == 1;
    let mut r = FetchResponse::default();
    let mut budget = if m.max_bytes > 0 { m.max_bytes as usize } else { usize::MAX };
    let (mut bytes, mut errors) = (0usize, false);
    let mut leaders = Vec::new();
    for t in m.topics {
        // v13+ names the topic by id; an unknown id is answered per partition.
        let name = if req.version >= 13 {
            st.topic_name(t.topic_id.as_bytes())
        } else {
            Some(t.topic.0.to_string())
        };
        let mut tr = FetchableTopicResponse::default();
        tr.topic = t.topic;
        tr.topic_id = t.topic_id;
        for fp in t.partitions {
            let mut pd = PartitionData::default();
            pd.partition_index = fp.partition;
            pd.high_watermark = -1;
            pd.last_stable_offset = -1;
            pd.log_start_offset = -1;
            pd.preferred_read_replica = BrokerId(-1);
            let res = if ctx.injected.is_error() {
                Err(ctx.injected)
            } else if let Some(name) = &name {
                // Served by the leader or the follower, at the epoch the client knows,
                // unless an error was pushed for the partition.
                st.partition_mut(name, fp.partition).and_then(|p| {
                    if p.leader != ctx.broker && p.follower != ctx.broker {
                        return Err(ErrorCode::NOT_LEADER_OR_FOLLOWER);
                    }
                    p.check_epoch(fp.current_leader_epoch)?;
                    p.next_error(1).map_or(Ok(p), Err)
                })
            } else {
                Err(ErrorCode::UNKNOWN_TOPIC_ID)
            };
            match res {
                Err(e) => pd.error_code = code(e),
                Ok(p) => {
                    let (start, end) = p.wmarks_on(ctx.broker);
                    let log = &p.log;
                    pd.high_watermark = end;
                    pd.last_stable_offset = log.lso().min(end);
                    if req.version >= 5 {
                        pd.log_start_offset = start;
                    }
                    if p.follower >= 0 && p.leader == ctx.broker && req.version >= 11 && !m.rack_id.is_empty()
                    {
                        // KIP-392: the leader points a rack-aware consumer at the follower.
                        pd.preferred_read_replica = BrokerId(p.follower);
                    } else if fp.fetch_offset < start || fp.fetch_offset > end {
                        pd.error_code = code(ErrorCode::OFFSET_OUT_OF_RANGE);
                    } else {
                        let max = (fp.partition_max_bytes.max(0) as usize).min(budget);
                        // A lagging follower serves its end offset itself too, as in
                        // librdkafka's mock, whose tests take set_follower_wmarks' hi as
                        // the last offset the follower has.
                        let lagging = p.leader != ctx.broker && p.follower_wmarks.1.is_some();
                        let upto = if lagging { end + 1 } else { end };
                        let read = log.read_upto(fp.fetch_offset, max, committed, upto);
                        budget = budget.saturating_sub(read.records.len());
                        bytes += read.records.len();
                        if committed {
                            pd.aborted_transactions = Some(
                                read.aborted
                                    .iter()
                                    .map(|a| {
                                        let mut at = AbortedTransaction::default();
                                        at.producer_id = ProducerId(a.pid);
                                        at.first_offset = a.first;
                                        at
                                    })
                                    .collect(),
                            );
                        }
                        pd.records = Some(read.records);
                    }
                }
            }
            errors |= pd.error_code != 0;
            if req.version >= 16 && pd.error_code != 0 {
                let p = name.as_deref().and_then(|n| st.partition_mut(n, fp.partition).ok());
                if let Some((id, epoch)) = current_leader(p, pd.error_code, true) {
                    pd.current_leader =
                        LeaderIdAndEpoch::default().with_leader_id(BrokerId(id)).with_leader_epoch(epoch);
                    leaders.push(id);
                }
            }
            tr.partitions.push(pd);
        }
        r.responses.push(tr);
    }
    r.node_endpoints = node_endpoints!(st, leaders, NodeEndpoint);
    let wait = Duration::from_millis(m.max_wait_ms.max(0) as u64);
    if bytes < m.min_bytes.max(1) as usize && !errors && !ctx.expired && !wait.is_zero() {
        return Err(Outcome::Park(if ctx.first { ctx.now + wait } else { ctx.now }));
    }
    Ok(respond(req, &r))
}

pub fn list_offsets(st: &mut State, req: &Request, ctx: &Ctx) -> Result<Outcome, Outcome> {
    let m: ListOffsetsRequest = body(req)?;
    let mut r = ListOffsetsResponse::default();
    for t in m.topics {
        let name = t.name.0.to_string();
        let mut tr = ListOffsetsTopicResponse::default();
        tr.name = t.name;
        for lp in t.partitions {
            let mut pr = ListOffsetsPartitionResponse::default();
            pr.partition_index = lp.partition_index;
            pr.timestamp = -1;
            pr.offset = -1;
            pr.leader_epoch = -1;
            let res = if ctx.injected.is_error() {
                Err(ctx.injected)
            } else {
                st.partition_mut(&name, lp.partition_index).and_then(|p| {
                    if p.leader != ctx.broker {
                        return Err(ErrorCode::NOT_LEADER_OR_FOLLOWER);
                    }
                    if let Some(e) = p.next_error(2) {
                        return Err(e);
                    }
                    p.check_epoch(lp.current_leader_epoch).map(|_| p)
                })
            };
            match res {
                Err(e) => pr.error_code = code(e),
                Ok(p) => {
                    if req.version >= 4 {
                        pr.leader_epoch = p.leader_epoch;
                    }
                    let log = &p.log;
                    let found = match lp.timestamp {
                        -1 => Some((if m.isolation_level == 1 { log.lso() } else { log.end }, -1)),
                        -2 => Some((log.start, -1)),
                        -3 => log.max_timestamp(),
                        ts => log.offset_for_time(ts),
                    };
                    if let Some((offset, ts)) = found {
                        pr.offset = offset;
                        pr.timestamp = ts;
                    }
                }
            }
            tr.partitions.push(pr);
        }
        r.topics.push(tr);
    }
    Ok(respond(req, &r))
}
