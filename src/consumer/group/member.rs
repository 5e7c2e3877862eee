//! The consumer group member (librdkafka's cgrp), on a thread of its own: broker
//! responses and application calls arrive as ops on one channel, so the state machine
//! itself is single-threaded. Its state and op dispatch are here; the session with the
//! coordinator (`session`), joining (`join`) and offsets (`commit`) extend it.

use super::handle::{CommitEntry, CommitReply, Group, GroupOp, State, TopicPartition};
use super::kip848::{new_member_id, Kip848};
use crate::broker::BrokerHandle;
use crate::consumer::assignor::{self, RebalanceProtocol};
use crate::consumer::position;
use crate::consumer::Consumer;
use crate::cursor::OFFSET_STORED;
use crate::error::ErrorCode;
use crate::event::Event;
use crate::instance::{dbg, set_log_thread, Interceptors, ThreadKind};
use crate::metadata::Partition;
use crossbeam_channel::{Receiver, Sender};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

/// Starts the member's thread for group `group_id`.
pub fn start(cons: &Arc<Consumer>, group_id: String) -> Result<Arc<Group>, String> {
    let (g, rx) = Group::new(group_id);
    let member = Member::new(cons, g.clone(), rx)?;
    let h = std::thread::Builder::new()
        .name("rdk:cgrp".into())
        .spawn(move || {
            // Group work is main-thread work in librdkafka: interceptors hear of it so.
            let rk = member.cons.upgrade().map(|c| c.rk.clone());
            let icpt = |f: &dyn Fn(&dyn Interceptors)| rk.iter().for_each(|rk| rk.icpt(f));
            icpt(&|i| i.on_thread_start(ThreadKind::Main, "cgrp"));
            member.run();
            icpt(&|i| i.on_thread_exit(ThreadKind::Main, "cgrp"));
        })
        .map_err(|e| format!("Failed to create group thread: {e}"))?;
    cons.rk.push_thread(h);
    Ok(g)
}

pub(super) struct Member {
    pub(super) cons: Weak<Consumer>,
    pub(super) g: Arc<Group>,
    pub(super) rx: Receiver<GroupOp>,
    pub(super) self_tx: Sender<GroupOp>,
    pub(super) state: State,
    pub(super) coordinator: Option<Arc<BrokerHandle>>,
    pub(super) member_id: String,
    pub(super) instance_id: Option<String>,
    pub(super) generation: i32,
    /// Bumped on every (re)join so stale Sync/Heartbeat replies are ignored.
    pub(super) epoch: u64,
    pub(super) subscription: Vec<String>,
    pub(super) patterns: Vec<regex_lite::Regex>,
    /// Partitions this member owns (its current assignment).
    pub(super) owned: Vec<TopicPartition>,
    pub(super) assignors: Vec<Box<dyn assignor::Assignor + Send + Sync>>,
    pub(super) protocol: RebalanceProtocol,
    pub(super) session_timeout_ms: i32,
    pub(super) rebalance_timeout_ms: i32,
    pub(super) heartbeat_ms: i64,
    pub(super) auto_commit_ms: Option<i64>,
    pub(super) max_poll_ms: i64,
    pub(super) next_heartbeat: Option<Instant>,
    pub(super) heartbeat_inflight: bool,
    pub(super) next_auto_commit: Option<Instant>,
    pub(super) retry_at: Option<Instant>,
    pub(super) rejoin_after_cb: bool,
    pub(super) commits_inflight: usize,
    pub(super) pending_committed: Vec<Arc<Partition>>,
    /// Topics the subscription matched at the last join.
    pub(super) last_matched: Vec<String>,
    /// Commits waiting for the coordinator to be known, with attempts made so far.
    pub(super) pending_commits: Vec<(Vec<CommitEntry>, u32, CommitReply)>,
    /// A FindCoordinator is in flight.
    pub(super) coord_query: bool,
    /// Left the group for exceeding max.poll.interval.ms: rejoin at the next poll.
    pub(super) left_for_max_poll: bool,
    /// rd_kafka_consumer_close() in progress: told once revoke and commits are done.
    pub(super) close_done: Option<Sender<()>>,
    /// Poll counter last seen, and when it last moved.
    pub(super) last_polls: (u64, Instant),
    /// As leader: the JoinGroup result waiting for fresh metadata before assigning.
    pub(super) pending_leader:
        Option<(String, Vec<kafka_protocol::messages::join_group_response::JoinGroupResponseMember>)>,
    /// group.protocol=consumer: the KIP-848 member's state (None: classic protocol).
    pub(super) kip848: Option<Kip848>,
}

impl Member {
    fn new(cons: &Arc<Consumer>, g: Arc<Group>, rx: Receiver<GroupOp>) -> Result<Member, String> {
        let conf = &cons.rk.conf;
        if conf.int("group.protocol") == 1 {
            // KIP-848: the coordinator assigns (group.remote.assignor); always cooperative.
            let mut m = Member::with(cons, g, rx, Vec::new(), RebalanceProtocol::Cooperative);
            m.member_id = new_member_id();
            m.kip848 = Some(Kip848::default());
            return Ok(m);
        }
        let mut assignors = Vec::new();
        for name in conf
            .string("partition.assignment.strategy")
            .unwrap_or_else(|| "range,roundrobin".into())
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            match assignor::by_name(name) {
                Some(a) => assignors.push(a),
                None => return Err(format!("Unsupported partition.assignment.strategy \"{name}\"")),
            }
        }
        if assignors.is_empty() {
            return Err("partition.assignment.strategy is empty".into());
        }
        let protocols: Vec<RebalanceProtocol> = assignors.iter().map(|a| a.protocol()).collect();
        if protocols.iter().any(|p| *p != protocols[0]) {
            return Err("All partition.assignment.strategy (range,roundrobin,cooperative-sticky) assignors must have the same protocol type, online migration between assignors with different protocol types is not supported".into());
        }
        Ok(Member::with(cons, g, rx, assignors, protocols[0]))
    }

    fn with(
        cons: &Arc<Consumer>,
        g: Arc<Group>,
        rx: Receiver<GroupOp>,
        assignors: Vec<Box<dyn assignor::Assignor + Send + Sync>>,
        protocol: RebalanceProtocol,
    ) -> Member {
        let conf = &cons.rk.conf;
        let self_tx = g.tx.clone();
        Member {
            cons: Arc::downgrade(cons),
            protocol,
            g,
            rx,
            self_tx,
            state: State::Init,
            coordinator: None,
            member_id: String::new(),
            instance_id: conf.string("group.instance.id").filter(|s| !s.is_empty()),
            generation: -1,
            epoch: 0,
            subscription: Vec::new(),
            patterns: Vec::new(),
            owned: Vec::new(),
            assignors,
            session_timeout_ms: conf.int("session.timeout.ms") as i32,
            rebalance_timeout_ms: conf.int("max.poll.interval.ms") as i32,
            heartbeat_ms: conf.int("heartbeat.interval.ms").max(1),
            auto_commit_ms: conf
                .boolean("enable.auto.commit")
                .then(|| conf.int("auto.commit.interval.ms").max(1)),
            max_poll_ms: conf.int("max.poll.interval.ms"),
            next_heartbeat: None,
            heartbeat_inflight: false,
            next_auto_commit: None,
            retry_at: None,
            rejoin_after_cb: false,
            commits_inflight: 0,
            pending_committed: Vec::new(),
            last_matched: Vec::new(),
            pending_leader: None,
            pending_commits: Vec::new(),
            coord_query: false,
            left_for_max_poll: false,
            close_done: None,
            last_polls: (0, Instant::now()),
            kip848: None,
        }
    }

    fn run(mut self) {
        // The group runs on librdkafka's main thread there.
        set_log_thread("main");
        loop {
            let Some(cons) = self.cons.upgrade() else { return };
            if cons.rk.is_terminating() {
                return;
            }
            let now = Instant::now();
            let mut wake = now + Duration::from_millis(200);
            for t in [self.next_heartbeat, self.next_auto_commit, self.retry_at].into_iter().flatten() {
                wake = wake.min(t);
            }
            drop(cons);
            let op = self.rx.recv_timeout(wake.saturating_duration_since(now));
            let Some(cons) = self.cons.upgrade() else { return };
            match op {
                Ok(op) => self.handle(&cons, op),
                Err(crossbeam_channel::RecvTimeoutError::Timeout) => {}
                Err(_) => return,
            }
            self.timers(&cons);
            self.finish_close(&cons);
            self.publish();
        }
    }

    fn publish(&self) {
        let mut v = self.g.view();
        v.member_id = self.member_id.clone();
        v.generation = self.generation;
        v.state = Some(self.state);
        v.protocol = Some(self.protocol);
        v.subscription = self.subscription.clone();
    }

    pub(super) fn log(&self, cons: &Arc<Consumer>, msg: impl FnOnce() -> String) {
        cons.rk.dbg(dbg::CGRP, "CGRP", || format!("Group \"{}\": {}", self.g.group_id, msg()));
    }

    fn handle(&mut self, cons: &Arc<Consumer>, op: GroupOp) {
        if self.close_done.is_some()
            && matches!(
                op,
                GroupOp::Subscribe(_)
                    | GroupOp::Joined(_)
                    | GroupOp::Synced(..)
                    | GroupOp::LeaderMetadata(_)
                    | GroupOp::Metadata
            )
        {
            return;
        }
        match op {
            GroupOp::Subscribe(topics) => {
                let (pats, plain): (Vec<String>, Vec<String>) =
                    topics.iter().cloned().partition(|t| t.starts_with('^'));
                // KIP-848 patterns are matched by the coordinator, not here.
                if self.kip848.is_none() {
                    self.patterns = pats.iter().filter_map(|p| regex_lite::Regex::new(p).ok()).collect();
                }
                self.subscription = topics;
                for t in &plain {
                    let _ = cons.cache.topic(t, None, None);
                }
                if !self.patterns.is_empty() {
                    cons.cache.want_all_topics.store(true, Ordering::Release);
                }
                cons.rk.request_refresh();
                self.log(cons, || format!("subscribe to {:?}", self.subscription));
                self.rejoin(cons, "subscription changed");
            }
            GroupOp::Unsubscribe => {
                self.subscription.clear();
                self.patterns.clear();
                cons.cache.want_all_topics.store(false, Ordering::Release);
                self.revoke_all(cons, false);
                self.leave(cons);
            }
            GroupOp::Coordinator(res) => self.on_coordinator(cons, res),
            GroupOp::Joined(res) => self.on_join(cons, res),
            GroupOp::Synced(epoch, res) if epoch == self.epoch => self.on_sync(cons, res),
            GroupOp::Synced(..) => {}
            GroupOp::LeaderMetadata(epoch) if epoch == self.epoch && self.state == State::WaitSync => {
                if let Some((protocol_name, members)) = self.pending_leader.take() {
                    let assignments = self.assign_as_leader(cons, &protocol_name, &members);
                    self.send_sync(cons, assignments);
                }
            }
            GroupOp::LeaderMetadata(_) => {}
            GroupOp::Heartbeat(epoch, err) => {
                self.heartbeat_inflight = false;
                if epoch == self.epoch {
                    self.on_heartbeat(cons, err);
                }
            }
            GroupOp::RebalanceDone => {
                if self.state == State::WaitRebalanceCb {
                    for p in cons.assignment().iter() {
                        position::lib_pause(&cons.rk, p, false);
                    }
                    self.state = State::Steady;
                    if self.rejoin_after_cb {
                        self.rejoin_after_cb = false;
                        self.join(cons);
                    } else if self.kip848.is_some() {
                        self.after_rebalance848(cons);
                        self.reconcile(cons);
                    }
                }
            }
            GroupOp::ConsumerHeartbeat(epoch, res) => {
                self.heartbeat_inflight = false;
                if epoch == self.epoch {
                    self.on_heartbeat848(cons, res);
                }
            }
            GroupOp::TopicNames(res) => self.on_topic_names(cons, res),
            GroupOp::FetchCommitted(parts) => self.fetch_committed(cons, parts),
            GroupOp::Committed(results) => {
                let mut again = Vec::new();
                let mut starting = Vec::new();
                for (p, r) in results {
                    if !cons.assignment().iter().any(|a| Arc::ptr_eq(a, &p)) {
                        continue;
                    }
                    let start_at = match r {
                        Ok((o, epoch)) if o >= 0 => {
                            let mut c = p.cons();
                            (c.committed_offset, c.committed_epoch) = (o, epoch);
                            o
                        }
                        Ok(_) | Err(ErrorCode::UNKNOWN_TOPIC_OR_PART) => OFFSET_STORED,
                        // Not knowing the committed offset is no reason to reset: retry
                        // (coordinator moved or loading, pending transactional commit).
                        Err(e) => {
                            self.log(cons, || {
                                format!(
                                    "OffsetFetch for {} [{}] failed: {}: retrying",
                                    p.topic_name,
                                    p.id,
                                    e.name()
                                )
                            });
                            if coordinator_error(e) {
                                self.coordinator = None;
                            }
                            again.push(p);
                            continue;
                        }
                    };
                    // No committed offset: auto.offset.reset decides (OFFSET_STORED resolves to it).
                    starting.push((p, start_at));
                }
                position::start_all(&cons.rk, &starting);
                if !again.is_empty() {
                    self.pending_committed.extend(again);
                    self.retry_later(cons);
                }
            }
            GroupOp::Commit(offsets, reply) => self.commit(cons, offsets, reply),
            GroupOp::CommitDone(res, sent, attempt, reply) => {
                self.on_commit_done(cons, res, sent, attempt, reply)
            }
            GroupOp::QueryCommitted(tps, reply) => self.query_committed(cons, tps, reply),
            GroupOp::Close(done) => self.close(cons, done),
            GroupOp::Metadata => {
                if !self.patterns.is_empty() && self.state == State::Steady {
                    // New topics matching a pattern: the leader reassigns on rejoin.
                    let matched = self.matching_topics(cons);
                    let known: Vec<String> = self.last_matched.clone();
                    if matched != known {
                        self.rejoin(cons, "matching topics changed");
                    }
                }
            }
        }
    }

    fn timers(&mut self, cons: &Arc<Consumer>) {
        let now = Instant::now();
        if self.retry_at.is_some_and(|t| t <= now) {
            self.retry_at = None;
            match self.state {
                State::Init | State::WaitCoord if self.coordinator.is_some() => self.join(cons),
                _ if self.coordinator.is_none() => self.find_coordinator(cons),
                _ => {}
            }
            let pending = std::mem::take(&mut self.pending_committed);
            self.fetch_committed(cons, pending);
            if self.coordinator.is_some() {
                for (list, attempt, reply) in std::mem::take(&mut self.pending_commits) {
                    self.send_commit(cons, list, attempt, reply);
                }
            }
        }
        if self.next_heartbeat.is_some_and(|t| t <= now) && !self.heartbeat_inflight {
            if let Some(k) = &self.kip848 {
                // KIP-848 members beat while the application handles a rebalance too.
                if matches!(self.state, State::Steady | State::WaitRebalanceCb | State::WaitJoin)
                    && self.coordinator.is_some()
                {
                    self.next_heartbeat = Some(now + Duration::from_millis(k.interval_ms.max(100) as u64));
                    self.heartbeat848(cons);
                }
            } else if self.state == State::Steady {
                self.next_heartbeat = Some(now + Duration::from_millis(self.heartbeat_ms as u64));
                self.heartbeat(cons);
            }
        }
        if self.next_auto_commit.is_some_and(|t| t <= now) {
            self.next_auto_commit = self.auto_commit_ms.map(|ms| now + Duration::from_millis(ms as u64));
            self.commit(cons, None, CommitReply::Auto);
        }
        if self.left_for_max_poll && self.g.polls.load(Ordering::Relaxed) != self.last_polls.0 {
            self.left_for_max_poll = false;
            self.last_polls = (self.g.polls.load(Ordering::Relaxed), now);
            self.rejoin(cons, "application polls again after exceeding max.poll.interval.ms");
        }
        // max.poll.interval.ms: the application stopped polling; leave so others take over.
        if self.state == State::Steady && self.max_poll_ms > 0 {
            let polls = self.g.polls.load(Ordering::Relaxed);
            if polls != self.last_polls.0 {
                self.last_polls = (polls, now);
            }
            let idle_ms = now.duration_since(self.last_polls.1).as_millis() as i64;
            if idle_ms > self.max_poll_ms {
                let msg = format!(
                    "Application maximum poll interval ({}ms) exceeded by {}ms",
                    self.max_poll_ms,
                    idle_ms - self.max_poll_ms
                );
                cons.rk.log(4, "MAXPOLL", &msg);
                cons.queue.push(Event::ConsumerError { code: ErrorCode::_MAX_POLL_EXCEEDED, msg });
                self.revoke_all(cons, true);
                self.leave(cons);
                self.state = State::Init;
                self.next_heartbeat = None;
                self.left_for_max_poll = true;
            }
        }
    }
}

/// The coordinator is gone or unknown: look it up again.
pub(super) fn coordinator_error(e: ErrorCode) -> bool {
    matches!(
        e,
        ErrorCode::NOT_COORDINATOR
            | ErrorCode::COORDINATOR_NOT_AVAILABLE
            | ErrorCode::_TRANSPORT
            | ErrorCode::_WAIT_COORD
    )
}
