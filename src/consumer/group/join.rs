//! Joining the group: JoinGroup with the member's subscription, the leader's
//! assignment (after a metadata refresh of the subscribed topics), SyncGroup, and the
//! resulting assign or revoke (eager or cooperative).

use super::handle::{GroupOp, State, TopicPartition};
use super::member::Member;
use crate::broker::Request;
use crate::consumer::assignor::{self, MemberInfo, RebalanceProtocol};
use crate::consumer::Consumer;
use crate::error::{ErrorCode, KafkaError};
use crate::event::Event;
use crate::protocol::consumer_protocol::{
    self as consumer_protocol, decode_assignment, decode_subscription, encode_assignment,
    encode_subscription, Assignment, Subscription,
};
use bytes::Bytes;
use kafka_protocol::messages::join_group_request::JoinGroupRequestProtocol;
use kafka_protocol::messages::sync_group_request::SyncGroupRequestAssignment;
use kafka_protocol::messages::*;
use kafka_protocol::protocol::StrBytes;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

impl Member {
    pub(super) fn matching_topics(&self, cons: &Arc<Consumer>) -> Vec<String> {
        let mut out: Vec<String> =
            self.subscription.iter().filter(|t| !t.starts_with('^')).cloned().collect();
        if !self.patterns.is_empty() {
            for name in cons.cache.cluster_topics() {
                if self.patterns.iter().any(|p| p.is_match(&name)) && !out.contains(&name) {
                    out.push(name);
                }
            }
        }
        out.sort();
        out
    }

    pub(super) fn join(&mut self, cons: &Arc<Consumer>) {
        if self.subscription.is_empty() {
            return;
        }
        if self.coordinator.is_none() {
            self.state = State::Init;
            self.find_coordinator(cons);
            return;
        }
        if self.kip848.is_some() {
            self.join848(cons);
            return;
        }
        self.epoch += 1;
        self.state = State::WaitJoin;
        self.next_heartbeat = None;
        let topics = self.matching_topics(cons);
        self.last_matched = topics.clone();
        // As librdkafka: v3 for every strategy, owned partitions always listed, empty user
        // data (cooperative-sticky: its previous assignment and generation).
        let sticky = self.protocol == RebalanceProtocol::Cooperative && self.generation >= 0;
        let sub = Subscription {
            topics,
            user_data: Some(if sticky {
                consumer_protocol::encode_sticky_user_data(&group_by_topic(&self.owned), self.generation)
            } else {
                Bytes::new()
            }),
            owned_partitions: group_by_topic(&self.owned),
            generation_id: if sticky { self.generation } else { -1 },
            rack_id: Some(cons.rk.conf.string("cons.rack").unwrap_or_default()),
        };
        let protocols: Vec<(String, Bytes)> = self
            .assignors
            .iter()
            .map(|a| {
                (a.name().to_string(), encode_subscription(&sub, consumer_protocol::SUBSCRIPTION_VERSION))
            })
            .collect();
        let (gid, mid, iid) = (self.g.group_id.clone(), self.member_id.clone(), self.instance_id.clone());
        let (st, rt) = (self.session_timeout_ms, self.rebalance_timeout_ms);
        let tx = self.self_tx.clone();
        self.log(cons, || format!("JoinGroup (member \"{mid}\", generation {})", self.generation));
        let req = Request::schema(
            ApiKey::JoinGroup,
            0,
            5,
            move |v| {
                let mut r = JoinGroupRequest::default();
                r.group_id = GroupId(StrBytes::from_string(gid));
                r.session_timeout_ms = st;
                r.member_id = StrBytes::from_string(mid);
                // Fields a version lacks must stay at their defaults or encoding fails.
                r.group_instance_id = iid.filter(|_| v >= 5).map(StrBytes::from_string);
                if v >= 1 {
                    r.rebalance_timeout_ms = rt;
                }
                r.protocol_type = StrBytes::from_static_str("consumer");
                r.protocols = protocols
                    .into_iter()
                    .map(|(name, meta)| {
                        let mut p = JoinGroupRequestProtocol::default();
                        p.name = StrBytes::from_string(name);
                        p.metadata = meta;
                        p
                    })
                    .collect();
                r
            },
            move |res: Result<(i16, Bytes), KafkaError>| {
                let parsed = crate::protocol::decode_response::<JoinGroupResponse>(res);
                let _ = tx.send(GroupOp::Joined(parsed));
            },
        )
        // JoinGroup waits for the whole group: allow the rebalance timeout.
        .with_timeout(Some(Duration::from_millis((rt.max(st) as u64) + 5000)));
        self.coordinator_request(cons, req);
    }

    pub(super) fn on_join(&mut self, cons: &Arc<Consumer>, res: Result<JoinGroupResponse, KafkaError>) {
        if self.state != State::WaitJoin {
            return;
        }
        let r = match res {
            Ok(r) => r,
            Err(e) => {
                self.log(cons, || format!("JoinGroup failed: {}", e.msg));
                if e.code == ErrorCode::_WAIT_COORD
                    || e.code == ErrorCode::_TRANSPORT
                    || e.code == ErrorCode::_TIMED_OUT
                {
                    self.coordinator_lost(cons);
                } else {
                    self.state = State::Init;
                    self.retry_later(cons);
                }
                return;
            }
        };
        let err = ErrorCode(r.error_code as i32);
        match err {
            ErrorCode::NO_ERROR => {}
            ErrorCode::MEMBER_ID_REQUIRED => {
                self.member_id = r.member_id.to_string();
                self.state = State::Init;
                self.join(cons);
                return;
            }
            ErrorCode::UNKNOWN_MEMBER_ID | ErrorCode::ILLEGAL_GENERATION => {
                self.member_id.clear();
                self.generation = -1;
                self.state = State::Init;
                self.join(cons);
                return;
            }
            ErrorCode::NOT_COORDINATOR
            | ErrorCode::COORDINATOR_NOT_AVAILABLE
            | ErrorCode::COORDINATOR_LOAD_IN_PROGRESS => {
                self.coordinator_lost(cons);
                return;
            }
            ErrorCode::REBALANCE_IN_PROGRESS => {
                self.state = State::Init;
                self.join(cons);
                return;
            }
            e => {
                self.log(cons, || format!("JoinGroup failed: {}", e.name()));
                cons.queue.push(Event::ConsumerError {
                    code: e,
                    msg: format!("JoinGroup failed: {}", e.description()),
                });
                self.state = State::Init;
                self.retry_later(cons);
                return;
            }
        }
        self.member_id = r.member_id.to_string();
        self.generation = r.generation_id;
        let protocol_name = r.protocol_name.as_ref().map(|s| s.to_string()).unwrap_or_default();
        let is_leader = r.leader == r.member_id;
        self.log(cons, || {
            format!(
                "joined generation {} as {} (leader {}, protocol {protocol_name}, {} member(s))",
                r.generation_id,
                r.member_id,
                r.leader,
                r.members.len()
            )
        });
        self.state = State::WaitSync;
        if is_leader {
            // As librdkafka: refresh the subscribed topics' metadata, then assign, so the
            // assignment sees current partition counts (followers sync meanwhile).
            let topics: Vec<String> = {
                let mut t: Vec<String> = Vec::new();
                for m in &r.members {
                    if let Ok(sub) = decode_subscription(&m.metadata) {
                        for x in sub.topics {
                            if !t.contains(&x) {
                                t.push(x);
                            }
                        }
                    }
                }
                t
            };
            self.pending_leader = Some((protocol_name, r.members.clone()));
            let tx = self.self_tx.clone();
            let epoch = self.epoch;
            cons.rk.refresh_topics_now(
                topics,
                Box::new(move |_| {
                    let _ = tx.send(GroupOp::LeaderMetadata(epoch));
                }),
            );
        } else {
            self.send_sync(cons, Vec::new());
        }
    }

    pub(super) fn send_sync(&mut self, cons: &Arc<Consumer>, assignments: Vec<(String, Bytes)>) {
        let (gid, mid, gen, iid) =
            (self.g.group_id.clone(), self.member_id.clone(), self.generation, self.instance_id.clone());
        let tx = self.self_tx.clone();
        let epoch = self.epoch;
        let req = Request::schema(
            ApiKey::SyncGroup,
            0,
            3,
            move |v| {
                let mut s = SyncGroupRequest::default();
                s.group_id = GroupId(StrBytes::from_string(gid));
                s.generation_id = gen;
                s.member_id = StrBytes::from_string(mid);
                s.group_instance_id = iid.filter(|_| v >= 3).map(StrBytes::from_string);
                s.assignments = assignments
                    .into_iter()
                    .map(|(m, a)| {
                        let mut x = SyncGroupRequestAssignment::default();
                        x.member_id = StrBytes::from_string(m);
                        x.assignment = a;
                        x
                    })
                    .collect();
                s
            },
            move |res: Result<(i16, Bytes), KafkaError>| {
                let parsed = res.and_then(|(v, b)| {
                    decode_sync_group(v, &b).map_err(|e| KafkaError::new(ErrorCode::_BAD_MSG, e))
                });
                let _ = tx.send(GroupOp::Synced(epoch, parsed));
            },
        )
        .with_timeout(Some(Duration::from_millis(
            (self.rebalance_timeout_ms.max(self.session_timeout_ms) as u64) + 5000,
        )));
        self.coordinator_request(cons, req);
    }

    /// The leader computes every member's assignment with the chosen assignor.
    pub(super) fn assign_as_leader(
        &mut self,
        cons: &Arc<Consumer>,
        protocol_name: &str,
        members: &[kafka_protocol::messages::join_group_response::JoinGroupResponseMember],
    ) -> Vec<(String, Bytes)> {
        let Some(a) = self.assignors.iter().find(|a| a.name() == protocol_name) else { return Vec::new() };
        let mut infos = Vec::new();
        let mut user_data = Vec::new();
        let mut topics: Vec<String> = Vec::new();
        for m in members {
            // librdkafka leaves out members whose metadata does not decode or names no topic.
            let Ok(sub) = decode_subscription(&m.metadata) else { continue };
            if sub.topics.is_empty() {
                continue;
            }
            user_data.push(sub.user_data.clone());
            for t in &sub.topics {
                if !topics.contains(t) {
                    topics.push(t.clone());
                }
            }
            let owned = sub
                .owned_partitions
                .iter()
                .flat_map(|(t, ps)| ps.iter().map(move |p| (t.clone(), *p)))
                .collect();
            infos.push(MemberInfo {
                member_id: m.member_id.to_string(),
                group_instance_id: m.group_instance_id.as_ref().map(|s| s.to_string()),
                topics: sub.topics,
                owned,
                generation: sub.generation_id,
                rack: sub.rack_id,
            });
        }
        let mut counts = BTreeMap::new();
        for t in &topics {
            if let Some(n) = cons.cache.partition_count(t, Duration::from_millis(3000)) {
                counts.insert(t.clone(), n);
            }
        }
        let mut result = a.assign(&infos, &counts);
        if a.protocol() == RebalanceProtocol::Cooperative {
            // Partitions still owned by another member are handed over only after it revokes them.
            result = assignor::cooperative_adjust(&result, &infos);
        }
        infos
            .iter()
            .zip(user_data)
            .map(|(m, ud)| {
                let parts = result.get(&m.member_id).cloned().unwrap_or_default();
                (
                    m.member_id.clone(),
                    encode_assignment(
                        &Assignment {
                            partitions: consumer_protocol::group_partitions(&parts),
                            user_data: ud,
                        },
                        0,
                    ),
                )
            })
            .collect()
    }

    pub(super) fn on_sync(&mut self, cons: &Arc<Consumer>, res: Result<SyncGroupResponse, KafkaError>) {
        if self.state != State::WaitSync {
            return;
        }
        let r = match res {
            Ok(r) => r,
            Err(e) => {
                self.log(cons, || format!("SyncGroup failed: {}", e.msg));
                self.coordinator_lost(cons);
                return;
            }
        };
        match ErrorCode(r.error_code as i32) {
            ErrorCode::NO_ERROR => {}
            ErrorCode::REBALANCE_IN_PROGRESS => {
                self.state = State::Init;
                self.join(cons);
                return;
            }
            ErrorCode::UNKNOWN_MEMBER_ID | ErrorCode::ILLEGAL_GENERATION => {
                self.member_id.clear();
                self.generation = -1;
                self.revoke_all(cons, true);
                self.state = State::Init;
                self.join(cons);
                return;
            }
            ErrorCode::NOT_COORDINATOR | ErrorCode::COORDINATOR_NOT_AVAILABLE => {
                self.coordinator_lost(cons);
                return;
            }
            e => {
                // As librdkafka: a failed sync is only logged; the member rejoins.
                self.log(cons, || format!("SyncGroup failed: {}: rejoining", e.name()));
                self.state = State::Init;
                self.retry_later(cons);
                return;
            }
        }
        let assignment = decode_assignment(&r.assignment).map(|a| a.partitions).unwrap_or_default();
        let mut new: Vec<TopicPartition> =
            assignment.iter().flat_map(|(t, ps)| ps.iter().map(move |p| (t.clone(), *p))).collect();
        new.sort();
        self.state = State::Steady;
        self.next_heartbeat = Some(Instant::now() + Duration::from_millis(self.heartbeat_ms as u64));
        if self.next_auto_commit.is_none() {
            self.next_auto_commit =
                self.auto_commit_ms.map(|ms| Instant::now() + Duration::from_millis(ms as u64));
        }
        self.g.view().rebalance_cnt += 1;
        match self.protocol {
            RebalanceProtocol::Eager => {
                self.owned = new.clone();
                self.rebalance_event(cons, ErrorCode::_ASSIGN_PARTITIONS, new);
            }
            RebalanceProtocol::Cooperative => {
                let revoked: Vec<TopicPartition> =
                    self.owned.iter().filter(|tp| !new.contains(tp)).cloned().collect();
                let added: Vec<TopicPartition> =
                    new.iter().filter(|tp| !self.owned.contains(tp)).cloned().collect();
                if !revoked.is_empty() {
                    // Give up what moved, then rejoin so its new owner can take it.
                    self.owned.retain(|tp| !revoked.contains(tp));
                    self.rejoin_after_cb = true;
                    self.rebalance_event(cons, ErrorCode::_REVOKE_PARTITIONS, revoked);
                }
                self.owned.extend(added.iter().cloned());
                self.rebalance_event(cons, ErrorCode::_ASSIGN_PARTITIONS, added);
            }
        }
    }
}

/// SyncGroup v0..v3 decoded by hand: brokers (librdkafka's mock among them) send a null
/// assignment with errors, which the schema decoder rejects.
fn decode_sync_group(version: i16, b: &[u8]) -> Result<SyncGroupResponse, String> {
    let mut pos = 0usize;
    let mut take = |n: usize| -> Result<&[u8], String> {
        let s = b.get(pos..pos + n).ok_or_else(|| "SyncGroup response truncated".to_string())?;
        pos += n;
        Ok(s)
    };
    let mut r = SyncGroupResponse::default();
    if version >= 1 {
        r.throttle_time_ms = i32::from_be_bytes(take(4)?.try_into().map_err(|_| "bad throttle")?);
    }
    r.error_code = i16::from_be_bytes(take(2)?.try_into().map_err(|_| "bad error code")?);
    let len = i32::from_be_bytes(take(4)?.try_into().map_err(|_| "bad length")?);
    if len > 0 {
        r.assignment = Bytes::copy_from_slice(take(len as usize)?);
    }
    Ok(r)
}

fn group_by_topic(tps: &[TopicPartition]) -> Vec<(String, Vec<i32>)> {
    let mut m: BTreeMap<String, Vec<i32>> = BTreeMap::new();
    for (t, p) in tps {
        m.entry(t.clone()).or_default().push(*p);
    }
    m.into_iter().collect()
}
