//! The KIP-848 member's exchange with its coordinator: one ConsumerGroupHeartbeat
//! joins (epoch 0), keeps the membership, carries subscription changes and the
//! acknowledgement of a reconciled assignment, and leaves (epoch -1, or -2 for a
//! static member). The coordinator assigns; `reconcile` applies what it assigns.

use super::handle::{GroupOp, State};
use super::kip848::{combined_regex, plain_topics, sorted, IdPartition, Stale};
use super::member::Member;
use super::rebalance::apply_rebalance;
use crate::broker::{heartbeat_failure, HeartbeatFailure, Request};
use crate::consumer::Consumer;
use crate::error::{ErrorCode, KafkaError};
use crate::event::{Event, RebalanceProtocol};
use crate::instance::dbg;
use bytes::Bytes;
use crossbeam_channel::Sender;
use kafka_protocol::messages::consumer_group_heartbeat_request::TopicPartitions;
use kafka_protocol::messages::{
    ApiKey, ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse, GroupId, TopicName,
};
use kafka_protocol::protocol::StrBytes;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long close waits for the leaving heartbeat's answer.
const LEAVE_TIMEOUT_MS: u64 = 5000;

/// What one heartbeat carries besides the group, member id and epoch.
struct Fields {
    instance_id: Option<String>,
    rack: Option<String>,
    rebalance_timeout_ms: i32,
    topics: Option<Vec<String>>,
    regex: Option<String>,
    assignor: Option<String>,
    owned: Option<Vec<IdPartition>>,
}

impl Fields {
    fn none() -> Fields {
        Fields {
            instance_id: None,
            rack: None,
            rebalance_timeout_ms: -1,
            topics: None,
            regex: None,
            assignor: None,
            owned: None,
        }
    }
}

impl Member {
    /// Joins with epoch 0 (first time, after fencing, after leaving); `join` checked
    /// the subscription and the coordinator.
    pub(super) fn join848(&mut self, cons: &Arc<Consumer>) {
        let Some(k) = self.kip848.as_mut() else { return };
        k.full = true;
        k.send_subscription = true;
        if self.state != State::Steady && self.state != State::WaitRebalanceCb {
            self.state = State::WaitJoin;
        }
        self.next_heartbeat = Some(Instant::now());
        if !self.heartbeat_inflight {
            self.heartbeat848(cons);
        }
    }

    /// The subscription changed: a member in the group tells its coordinator at once.
    pub(super) fn resubscribe848(&mut self, cons: &Arc<Consumer>) {
        if self.generation <= 0 {
            self.join(cons);
            return;
        }
        if let Some(k) = self.kip848.as_mut() {
            k.send_subscription = true;
        }
        self.expedite_heartbeat();
    }

    pub(super) fn expedite_heartbeat(&mut self) {
        self.next_heartbeat = Some(Instant::now());
    }

    pub(super) fn heartbeat848(&mut self, cons: &Arc<Consumer>) {
        let Some(k) = self.kip848.as_mut() else { return };
        let joining = self.generation <= 0;
        let full = k.full || joining;
        let mut f = Fields::none();
        if full {
            let conf = &cons.rk.conf;
            f.instance_id = self.instance_id.clone();
            f.rack = conf.string("client.rack").filter(|r| !r.is_empty());
            f.rebalance_timeout_ms = self.rebalance_timeout_ms;
            f.assignor = conf.string("group.remote.assignor").filter(|a| !a.is_empty());
            f.owned = Some(k.current.clone());
        }
        if full || k.send_subscription {
            f.topics = Some(plain_topics(&self.subscription));
            f.regex = Some(combined_regex(&self.subscription));
        }
        // A reconciled target is acknowledged by every heartbeat until one is answered.
        if k.stale == Stale::Refused {
            k.stale = Stale::Asked;
        }
        k.acking = k.reconciled && k.target.is_some();
        if k.acking {
            f.owned = k.target.clone();
            let named = k.named(k.target.as_deref().unwrap_or_default());
            cons.rk.dbg(dbg::CGRP, "HEARTBEAT", || {
                let list: Vec<String> = named.iter().map(|(t, p)| format!("{t}[{p}]")).collect();
                format!("Acknowledging target assignment \"{}\"", list.join(","))
            });
        }
        let (gid, mid, epoch) = (self.g.group_id.clone(), self.member_id.clone(), self.generation.max(0));
        self.log(cons, || {
            format!(
                "ConsumerGroupHeartbeat (member \"{mid}\", epoch {epoch}{}{})",
                if full { ", full" } else { "" },
                if self.kip848.as_ref().is_some_and(|k| k.acking) { ", acknowledging" } else { "" }
            )
        });
        self.heartbeat_inflight = true;
        let tx = self.self_tx.clone();
        let tag = self.epoch;
        let req = request(gid, mid, epoch, f, move |r| {
            let _ = tx.send(GroupOp::ConsumerHeartbeat(tag, r));
        });
        self.coordinator_request(cons, req);
    }

    pub(super) fn on_heartbeat848(
        &mut self,
        cons: &Arc<Consumer>,
        res: Result<ConsumerGroupHeartbeatResponse, KafkaError>,
    ) {
        let acked = self.kip848.as_mut().is_some_and(|k| std::mem::take(&mut k.acking));
        let r = match res {
            Ok(r) if r.error_code == 0 => r,
            Ok(r) => {
                let msg = r.error_message.as_ref().map(|m| m.to_string()).unwrap_or_default();
                return self.heartbeat848_failed(cons, ErrorCode(r.error_code as i32), msg);
            }
            Err(e) => return self.heartbeat848_failed(cons, e.code, String::new()),
        };
        if let Some(id) = r.member_id.as_ref().filter(|s| !s.is_empty()) {
            self.member_id = id.to_string();
        }
        let was_joining = self.generation <= 0;
        self.generation = r.member_epoch;
        if self.state == State::WaitJoin || self.state == State::Init {
            self.state = State::Steady;
        }
        if was_joining {
            self.log(cons, || format!("joined with member epoch {}", r.member_epoch));
            self.last_polls = (self.g.polls.load(std::sync::atomic::Ordering::Relaxed), Instant::now());
            if self.next_auto_commit.is_none() {
                self.next_auto_commit =
                    self.auto_commit_ms.map(|ms| Instant::now() + Duration::from_millis(ms as u64));
            }
        }
        let Some(k) = self.kip848.as_mut() else { return };
        if r.heartbeat_interval_ms > 0 {
            k.interval_ms = r.heartbeat_interval_ms as i64;
        }
        k.full = false;
        k.send_subscription = false;
        k.last_err = None;
        // Topics of the next target still unknown are looked up again.
        k.looked_up.clear();
        if acked {
            if let Some(t) = k.target.take() {
                k.current = t;
                k.reconciled = false;
            }
        }
        if let Some(a) = r.assignment {
            let new = sorted(
                a.topic_partitions
                    .iter()
                    .flat_map(|t| t.partitions.iter().map(move |p| (t.topic_id, *p)))
                    .collect(),
            );
            k.next = k.differs(&new).then_some(new);
        }
        let interval = k.interval_ms.max(1) as u64;
        self.next_heartbeat = Some(Instant::now() + Duration::from_millis(interval));
        // Commits refused for a stale epoch go again with the epoch just learned.
        let asked = self.kip848.as_ref().is_some_and(|k| k.stale == Stale::Asked);
        if asked && self.coordinator.is_some() {
            if let Some(k) = self.kip848.as_mut() {
                k.stale = Stale::No;
            }
            for (list, attempt, reply) in std::mem::take(&mut self.pending_commits) {
                self.send_commit(cons, list, attempt, reply);
            }
        }
        self.reconcile(cons);
    }

    fn heartbeat848_failed(&mut self, cons: &Arc<Consumer>, err: ErrorCode, msg: String) {
        self.log(cons, || format!("ConsumerGroupHeartbeat failed: {}{}", err.name(), colon(&msg)));
        let backoff = Duration::from_millis(cons.rk.settings.retry_backoff_ms.max(100) as u64);
        self.next_heartbeat = Some(Instant::now() + backoff);
        match heartbeat_failure(err) {
            HeartbeatFailure::Fenced => self.fenced848(cons),
            HeartbeatFailure::Retry => {}
            HeartbeatFailure::Coordinator => {
                if let Some(k) = self.kip848.as_mut() {
                    k.full = true;
                }
                if self.state == State::WaitJoin {
                    self.state = State::Init;
                }
                self.coordinator = None;
                self.find_coordinator(cons);
            }
            HeartbeatFailure::Fatal => self.fatal848(cons, err),
            HeartbeatFailure::Report => {
                // Reported once per heartbeat interval (at least 5 s), then retried.
                let every =
                    Duration::from_millis(self.kip848.as_ref().map_or(0, |k| k.interval_ms).max(5000) as u64);
                let k = self.kip848.get_or_insert_with(Default::default);
                if k.last_err.is_none_or(|(c, at)| c != err.0 || at.elapsed() > every) {
                    k.last_err = Some((err.0, Instant::now()));
                    let text = format!("ConsumerGroupHeartbeat failed: {}{}", err.description(), colon(&msg));
                    cons.rk.log(3, "HEARTBEAT", &text);
                    cons.queue.push(Event::ConsumerError { code: err, msg: text });
                }
            }
        }
    }

    /// UNKNOWN_MEMBER_ID / FENCED_MEMBER_EPOCH: the assignment is lost; rejoin at epoch 0
    /// with the same member id once the application handled the loss.
    pub(super) fn fenced848(&mut self, cons: &Arc<Consumer>) {
        self.log(cons, || "fenced: revoking the assignment as lost and rejoining".into());
        self.generation = 0;
        self.epoch += 1;
        if let Some(k) = self.kip848.as_mut() {
            k.reset();
        }
        if self.owned.is_empty() {
            self.state = State::Init;
            self.join(cons);
        } else {
            self.rejoin_after_cb = true;
            self.revoke_all(cons, true);
            if self.state != State::WaitRebalanceCb {
                self.rejoin_after_cb = false;
                self.state = State::Init;
                self.join(cons);
            }
        }
    }

    fn fatal848(&mut self, cons: &Arc<Consumer>, err: ErrorCode) {
        let reason = format!("ConsumerGroupHeartbeat fatal error: {}", err.description());
        if let Some(msg) = cons.rk.raise_fatal(err, &reason) {
            // As librdkafka: a consumer's fatal error is a consumer error (consumer_poll
            // returns it), not an error_cb event.
            cons.queue.push(Event::ConsumerError { code: ErrorCode::_FATAL, msg });
        }
        // No rebalance callback after a fatal error: the assignment is dropped quietly.
        self.next_heartbeat = None;
        let owned = std::mem::take(&mut self.owned);
        self.g.view().assignment_lost = true;
        let _ = apply_rebalance(cons, ErrorCode::_REVOKE_PARTITIONS, &owned, RebalanceProtocol::Cooperative);
        self.state = State::Init;
    }

    /// Leaves with epoch -1 (-2 for a static member, which keeps its place for its
    /// session); `done` is told once the coordinator answered (bounded).
    pub(super) fn leave848(&mut self, cons: &Arc<Consumer>, done: Option<Sender<()>>) {
        self.next_heartbeat = None;
        let joined = self.generation > 0;
        self.generation = -1;
        self.epoch += 1;
        self.state = State::Init;
        if let Some(k) = self.kip848.as_mut() {
            k.reset();
        }
        let tell = move || {
            if let Some(d) = done {
                let _ = d.send(());
            }
        };
        // After a fatal error the member just goes away, as librdkafka's does.
        let fatal = cons.rk.fatal_error().is_some();
        let Some(b) = self.coordinator.clone().filter(|_| joined && !fatal) else {
            tell();
            return;
        };
        let epoch = if self.instance_id.is_some() { -2 } else { -1 };
        let (gid, mid) = (self.g.group_id.clone(), self.member_id.clone());
        let mut f = Fields::none();
        f.instance_id = self.instance_id.clone();
        self.log(cons, || format!("leaving the group (epoch {epoch})"));
        let req = request(gid, mid, epoch, f, move |_| tell());
        b.send(req.with_timeout(Some(Duration::from_millis(LEAVE_TIMEOUT_MS))));
    }
}

fn colon(msg: &str) -> String {
    if msg.is_empty() {
        String::new()
    } else {
        format!(": {msg}")
    }
}

fn request(
    gid: String,
    mid: String,
    epoch: i32,
    f: Fields,
    done: impl FnOnce(Result<ConsumerGroupHeartbeatResponse, KafkaError>) + Send + 'static,
) -> Request {
    let sb = StrBytes::from_string;
    Request::schema(
        ApiKey::ConsumerGroupHeartbeat,
        1,
        1,
        move |_v| {
            let mut r = ConsumerGroupHeartbeatRequest::default();
            r.group_id = GroupId(sb(gid));
            r.member_id = sb(mid);
            r.member_epoch = epoch;
            r.instance_id = f.instance_id.map(sb);
            r.rack_id = f.rack.map(sb);
            r.rebalance_timeout_ms = f.rebalance_timeout_ms;
            r.subscribed_topic_names = f.topics.map(|ts| ts.into_iter().map(|t| TopicName(sb(t))).collect());
            r.subscribed_topic_regex = f.regex.map(sb);
            r.server_assignor = f.assignor.map(sb);
            r.topic_partitions = f.owned.map(|owned| {
                let mut out: Vec<TopicPartitions> = Vec::new();
                for (t, p) in owned {
                    match out.iter_mut().find(|x| x.topic_id == t) {
                        Some(x) => x.partitions.push(p),
                        None => {
                            out.push(TopicPartitions::default().with_topic_id(t).with_partitions(vec![p]))
                        }
                    }
                }
                out
            });
            r
        },
        move |res: Result<(i16, Bytes), KafkaError>| {
            done(crate::protocol::decode_response::<ConsumerGroupHeartbeatResponse>(res))
        },
    )
}
