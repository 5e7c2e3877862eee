//! The member's offsets: committed-offset lookups (OffsetFetch) when partitions are
//! assigned without an offset, offset commits (auto and manual, retried where the
//! coordinator moved), and closing after the last commit is answered.

use super::handle::{CommitEntry, CommitReply, Committed, CommittedOffset, GroupOp, State, TopicPartition};
use super::kip848::Stale;
use super::member::{coordinator_error, Member};
use crate::broker::Request;
use crate::consumer::assignment::commit_position;
use crate::consumer::Consumer;
use crate::error::{ErrorCode, KafkaError};
use crate::event::{CommitCb, CommitResult, Event};
use crate::instance::dbg;
use crate::metadata::Partition;
use bytes::Bytes;
use crossbeam_channel::Sender;
use kafka_protocol::messages::offset_commit_request::{
    OffsetCommitRequestPartition, OffsetCommitRequestTopic,
};
use kafka_protocol::messages::offset_fetch_request::OffsetFetchRequestTopic;
use kafka_protocol::messages::*;
use kafka_protocol::protocol::StrBytes;
use std::sync::Arc;

/// Attempts for a commit that fails because the coordinator moved or is loading.
const COMMIT_ATTEMPTS: u32 = 3;
/// Attempts of an automatic commit refused for a stale member epoch (KIP-848).
const STALE_EPOCH_ATTEMPTS: u32 = 30;

impl Member {
    pub(super) fn fetch_committed(&mut self, cons: &Arc<Consumer>, parts: Vec<Arc<Partition>>) {
        if parts.is_empty() {
            return;
        }
        if self.coordinator.is_none() {
            self.pending_committed.extend(parts);
            self.find_coordinator(cons);
            return;
        }
        let tps: Vec<TopicPartition> = parts.iter().map(|p| (p.topic_name.to_string(), p.id)).collect();
        let tx = self.self_tx.clone();
        let req = offset_fetch_request(
            &self.g.group_id,
            tps,
            cons.rk.settings.isolation_read_committed,
            move |res| {
                let results = parts
                    .into_iter()
                    .map(|p| {
                        let r = match &res {
                            Ok(v) => v
                                .iter()
                                .find(|((t, id), _)| t.as_str() == &*p.topic_name && *id == p.id)
                                .map(|(_, r)| r.clone().map(|x| (x.offset, x.leader_epoch)))
                                .unwrap_or(Err(ErrorCode::_BAD_MSG)),
                            Err(e) => Err(*e),
                        };
                        (p, r)
                    })
                    .collect();
                let _ = tx.send(GroupOp::Committed(results));
            },
        );
        self.coordinator_request(cons, req);
    }

    pub(super) fn query_committed(
        &mut self,
        cons: &Arc<Consumer>,
        tps: Vec<TopicPartition>,
        reply: Sender<Committed>,
    ) {
        if self.coordinator.is_none() {
            self.find_coordinator(cons);
            // Tell the caller to retry: it waits with its own deadline.
            let _ = reply.send(Err(ErrorCode::_WAIT_COORD));
            return;
        }
        let req = offset_fetch_request(
            &self.g.group_id,
            tps,
            cons.rk.settings.isolation_read_committed,
            move |res| {
                let _ = reply.send(res);
            },
        );
        self.coordinator_request(cons, req);
    }

    pub(super) fn commit(
        &mut self,
        cons: &Arc<Consumer>,
        offsets: Option<Vec<CommitEntry>>,
        reply: CommitReply,
    ) {
        // Logical/invalid offsets stay in the list (they are reported) but are not sent.
        let list: Vec<CommitEntry> = match offsets {
            Some(v) => v,
            None => commit_position(&cons.assignment()),
        };
        if !list.iter().any(|e| e.offset >= 0) {
            finish_commit(
                cons,
                CommitResult { err: ErrorCode::_NO_OFFSET, offsets: list, cb: CommitCb::Conf },
                reply,
            );
            return;
        }
        self.send_commit(cons, list, 0, reply);
    }

    pub(super) fn send_commit(
        &mut self,
        cons: &Arc<Consumer>,
        list: Vec<CommitEntry>,
        attempt: u32,
        reply: CommitReply,
    ) {
        if self.coordinator.is_none() {
            // Wait for the coordinator rather than fail: sent once it is known.
            self.pending_commits.push((list, attempt, reply));
            self.find_coordinator(cons);
            return;
        }
        let sent = list.clone();
        let (gid, mid, gen, iid) =
            (self.g.group_id.clone(), self.member_id.clone(), self.generation, self.instance_id.clone());
        let tx = self.self_tx.clone();
        self.commits_inflight += 1;
        // v9: KIP-848 commits carry the member epoch (as generation_id_or_member_epoch).
        let max = if self.kip848.is_some() { 9 } else { 7 };
        let req = Request::schema(
            ApiKey::OffsetCommit,
            2,
            max,
            move |v| {
                let mut r = OffsetCommitRequest::default();
                r.group_id = GroupId(StrBytes::from_string(gid));
                r.generation_id_or_member_epoch = gen;
                r.member_id = StrBytes::from_string(mid);
                r.group_instance_id = iid.filter(|_| v >= 7).map(StrBytes::from_string);
                if (2..=4).contains(&v) {
                    r.retention_time_ms = -1;
                }
                for e in list.into_iter().filter(|e| e.offset >= 0) {
                    let name = TopicName(StrBytes::from_string(e.topic));
                    let mut cp = OffsetCommitRequestPartition::default();
                    cp.partition_index = e.partition;
                    cp.committed_offset = e.offset;
                    if v >= 6 {
                        cp.committed_leader_epoch = e.leader_epoch;
                    }
                    cp.committed_metadata = Some(StrBytes::from_string(e.metadata.unwrap_or_default()));
                    match r.topics.iter_mut().find(|x| x.name == name) {
                        Some(x) => x.partitions.push(cp),
                        None => {
                            let mut ct = OffsetCommitRequestTopic::default();
                            ct.name = name;
                            ct.partitions.push(cp);
                            r.topics.push(ct);
                        }
                    }
                }
                r
            },
            move |res: Result<(i16, Bytes), KafkaError>| {
                let parsed = crate::protocol::decode_response::<OffsetCommitResponse>(res);
                let _ = tx.send(GroupOp::CommitDone(parsed, sent, attempt + 1, reply));
            },
        );
        self.coordinator_request(cons, req);
    }

    pub(super) fn on_commit_done(
        &mut self,
        cons: &Arc<Consumer>,
        res: Result<OffsetCommitResponse, KafkaError>,
        sent: Vec<CommitEntry>,
        attempts: u32,
        reply: CommitReply,
    ) {
        self.commits_inflight = self.commits_inflight.saturating_sub(1);
        // The coordinator moved, is loading or unreachable: find it and send again.
        let retry = match &res {
            Ok(r) => r
                .topics
                .iter()
                .flat_map(|t| t.partitions.iter())
                .map(|p| ErrorCode(p.error_code as i32))
                .find(|e| *e != ErrorCode::NO_ERROR),
            Err(e) => Some(e.code),
        }
        .filter(|e| {
            coordinator_error(*e)
                || *e == ErrorCode::COORDINATOR_LOAD_IN_PROGRESS
                || *e == ErrorCode::REQUEST_TIMED_OUT
        });
        // KIP-848: the epoch moved on; an automatic commit goes again with the new one.
        let stale = match &res {
            Ok(r) => r
                .topics
                .iter()
                .flat_map(|t| t.partitions.iter())
                .any(|p| ErrorCode(p.error_code as i32) == ErrorCode::STALE_MEMBER_EPOCH),
            Err(_) => false,
        };
        if stale && self.kip848.is_some() {
            self.expedite_heartbeat();
            if let Some(k) = self.kip848.as_mut() {
                k.stale = Stale::Refused;
            }
            // As librdkafka: sent again after the next heartbeat brings the new epoch,
            // until the member is fenced (bounded here).
            if matches!(reply, CommitReply::Auto) && attempts < STALE_EPOCH_ATTEMPTS {
                cons.rk.dbg(dbg::CGRP, "COMMIT", || {
                    format!(
                        "Group \"{}\": unable to OffsetCommit in state {}: {}: retrying later",
                        self.g.group_id,
                        self.state.cgrp_state(),
                        ErrorCode::STALE_MEMBER_EPOCH.description()
                    )
                });
                self.pending_commits.push((sent, attempts, reply));
                return;
            }
        }
        if let Some(e) = retry {
            if coordinator_error(e) {
                self.coordinator = None;
            }
            if attempts < COMMIT_ATTEMPTS {
                self.log(cons, || format!("OffsetCommit failed: {}: retrying", e.name()));
                self.pending_commits.push((sent, attempts, reply));
                if self.coordinator.is_none() {
                    self.find_coordinator(cons);
                } else {
                    self.retry_later(cons);
                }
                return;
            }
        }
        let result = match res {
            Ok(r) => {
                let mut first = ErrorCode::NO_ERROR;
                let offsets = sent
                    .into_iter()
                    .map(|mut c| {
                        if c.offset < 0 {
                            return c;
                        }
                        c.err = r
                            .topics
                            .iter()
                            .filter(|x| x.name.0.as_str() == c.topic)
                            .flat_map(|x| x.partitions.iter())
                            .find(|x| x.partition_index == c.partition)
                            .map_or(ErrorCode::_BAD_MSG, |x| ErrorCode(x.error_code as i32));
                        if c.err != ErrorCode::NO_ERROR && first == ErrorCode::NO_ERROR {
                            first = c.err;
                        }
                        c
                    })
                    .collect::<Vec<_>>();
                // As librdkafka: a commit with any error counts as failed for every
                // partition in it; the committed positions stay as they were.
                if first == ErrorCode::NO_ERROR {
                    for c in offsets.iter().filter(|c| c.offset >= 0) {
                        if let Some(part) = cons.cache.get(&c.topic).and_then(|t| t.partition(c.partition)) {
                            let mut f = part.cons();
                            f.committed_offset = c.offset;
                            f.committed_epoch = c.leader_epoch;
                        }
                    }
                }
                CommitResult { err: first, offsets, cb: CommitCb::Conf }
            }
            Err(e) => CommitResult {
                err: e.code,
                offsets: sent.into_iter().map(|c| CommitEntry { err: e.code, ..c }).collect(),
                cb: CommitCb::Conf,
            },
        };
        finish_commit(cons, result, reply);
    }

    pub(super) fn close(&mut self, cons: &Arc<Consumer>, done: Sender<()>) {
        self.subscription.clear();
        self.patterns.clear();
        self.rejoin_after_cb = false;
        self.next_auto_commit = None;
        self.close_done = Some(done);
        self.revoke_all(cons, false);
    }

    /// Closing: leave once the revoke was handled and its commits answered (LeaveGroup
    /// after OffsetCommit, or the commit would be refused for an unknown member).
    pub(super) fn finish_close(&mut self, cons: &Arc<Consumer>) {
        if self.close_done.is_none() || self.state == State::Closed {
            return;
        }
        if self.state == State::WaitRebalanceCb
            || self.commits_inflight > 0
            || !self.pending_commits.is_empty()
            || !self.rx.is_empty()
        {
            return;
        }
        let done = self.close_done.take();
        self.leave_then(cons, done);
        self.state = State::Closed;
    }
}

fn finish_commit(cons: &Arc<Consumer>, result: CommitResult, reply: CommitReply) {
    if !matches!(result.err, ErrorCode::_NO_OFFSET | ErrorCode::_DESTROY) && !result.offsets.is_empty() {
        cons.rk.icpt(|i| i.on_commit(&result));
    }
    match reply {
        CommitReply::Callback => {
            if cons.rk.hooks.offset_commit_cb || result.err != ErrorCode::_NO_OFFSET {
                cons.queue.push(Event::OffsetCommit(result));
            }
        }
        CommitReply::Auto => {
            if result.err != ErrorCode::_NO_OFFSET {
                cons.queue.push(Event::OffsetCommit(result));
            }
        }
        CommitReply::Queue(q, cb) => {
            // Without a callback of its own, offset_commit_cb hears about it too.
            if cb == CommitCb::Nothing && cons.rk.hooks.offset_commit_cb {
                cons.queue.push(Event::OffsetCommit(result.clone()));
            }
            q.push(Event::OffsetCommit(CommitResult { cb, ..result }));
        }
        CommitReply::Channel(tx) => {
            let _ = tx.send(result);
        }
        CommitReply::Both(tx) => {
            cons.queue.push(Event::OffsetCommit(result.clone()));
            let _ = tx.send(result);
        }
    }
}

fn offset_fetch_request(
    group_id: &str,
    tps: Vec<TopicPartition>,
    require_stable: bool,
    done: impl FnOnce(Committed) + Send + 'static,
) -> Request {
    let gid = group_id.to_string();
    Request::schema(
        ApiKey::OffsetFetch,
        1,
        7,
        move |v| {
            let mut r = OffsetFetchRequest::default();
            r.group_id = GroupId(StrBytes::from_string(gid));
            r.require_stable = require_stable && v >= 7;
            let mut topics: Vec<OffsetFetchRequestTopic> = Vec::new();
            for (t, p) in tps {
                let name = TopicName(StrBytes::from_string(t));
                match topics.iter_mut().find(|x| x.name == name) {
                    Some(x) => x.partition_indexes.push(p),
                    None => {
                        let mut x = OffsetFetchRequestTopic::default();
                        x.name = name;
                        x.partition_indexes.push(p);
                        topics.push(x);
                    }
                }
            }
            r.topics = Some(topics);
            r
        },
        move |res: Result<(i16, Bytes), KafkaError>| {
            let parsed = crate::protocol::decode_response::<OffsetFetchResponse>(res);
            done(match parsed {
                Err(e) => Err(e.code),
                Ok(r) if r.error_code != 0 => Err(ErrorCode(r.error_code as i32)),
                Ok(r) => Ok(r
                    .topics
                    .iter()
                    .flat_map(|t| {
                        t.partitions.iter().map(move |p| {
                            let v = if p.error_code != 0 {
                                Err(ErrorCode(p.error_code as i32))
                            } else {
                                Ok(CommittedOffset {
                                    offset: p.committed_offset,
                                    leader_epoch: p.committed_leader_epoch,
                                    metadata: p.metadata.as_ref().map(|m| m.to_string()),
                                })
                            };
                            ((t.name.0.to_string(), p.partition_index), v)
                        })
                    })
                    .collect()),
            })
        },
    )
}
