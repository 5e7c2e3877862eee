//! The consumer group member (librdkafka's cgrp): coordinator discovery, JoinGroup and
//! SyncGroup (with the leader running the assignor), heartbeats, rebalance events for
//! the application (eager and cooperative), committed-offset lookup, offset commits
//! (auto and manual), max.poll.interval.ms, and leaving the group.
//!
//! It runs on its own thread: broker responses and application calls arrive as ops on
//! one channel, so the state machine itself is single-threaded.

use super::assignor::{self, MemberInfo, RebalanceProtocol};
use super::protocol::{
    decode_assignment, decode_subscription, encode_assignment, encode_subscription, Assignment, Subscription,
};
use super::{OFFSET_INVALID, OFFSET_STORED};
use crate::broker::{BrokerHandle, Request};
use crate::client::{dbg, Client, Partition};
use crate::error::{ErrorCode, KafkaError};
use crate::event::Event;
use bytes::Bytes;
use crossbeam_channel::{Receiver, Sender};
use kafka_protocol::messages::join_group_request::JoinGroupRequestProtocol;
use kafka_protocol::messages::leave_group_request::MemberIdentity;
use kafka_protocol::messages::offset_commit_request::{
    OffsetCommitRequestPartition, OffsetCommitRequestTopic,
};
use kafka_protocol::messages::offset_fetch_request::OffsetFetchRequestTopic;
use kafka_protocol::messages::sync_group_request::SyncGroupRequestAssignment;
use kafka_protocol::messages::*;
use kafka_protocol::protocol::StrBytes;
use std::collections::BTreeMap;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

pub type TopicPartition = (String, i32);

/// Committed offsets and their outcome, as offset_commit_cb reports them.
#[derive(Clone, Debug)]
pub struct CommitResult {
    pub err: ErrorCode,
    /// Every partition of the commit, as librdkafka reports it: the given list, or the
    /// whole assignment with OFFSET_INVALID where there was nothing to commit.
    pub offsets: Vec<(String, i32, i64, ErrorCode)>,
    /// Which callback serving the result calls.
    pub cb: CommitCb,
}

/// The callback an OFFSET_COMMIT result carries (librdkafka's op-level commit callback).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommitCb {
    /// The configured offset_commit_cb.
    Conf,
    /// rd_kafka_commit_queue()'s callback and opaque (C pointers).
    App(usize, usize),
    /// None: the result is only an event for rd_kafka_queue_poll().
    Nothing,
}

/// Where a commit's result goes.
pub enum CommitReply {
    /// offset_commit_cb / OFFSET_COMMIT event on the consumer queue.
    Callback,
    /// An automatic commit: as Callback, but nothing is reported when nothing was stored.
    Auto,
    /// A waiting rd_kafka_commit(.., async=0) or rd_kafka_commit_queue().
    Channel(Sender<CommitResult>),
    /// Both: a synchronous commit still fires offset_commit_cb, as in librdkafka.
    Both(Sender<CommitResult>),
    /// rd_kafka_commit_queue() with a queue: the result goes there, carrying `CommitCb`.
    Queue(Arc<crate::event::Queue>, CommitCb),
}

/// (topic, partition, offset, metadata) to commit.
pub type CommitEntry = (String, i32, i64, Option<String>);

/// Attempts for a commit that fails because the coordinator moved or is loading.
const COMMIT_ATTEMPTS: u32 = 3;

pub enum GroupOp {
    Subscribe(Vec<String>),
    Unsubscribe,
    Coordinator(Result<(i32, String, u16), KafkaError>),
    Joined(Result<JoinGroupResponse, KafkaError>),
    Synced(u64, Result<SyncGroupResponse, KafkaError>),
    /// The leader's metadata refresh before assigning is done.
    LeaderMetadata(u64),
    Heartbeat(u64, ErrorCode),
    /// The application finished handling a rebalance event (its callback returned).
    RebalanceDone,
    /// Start these partitions at their committed offsets (from rd_kafka_assign).
    FetchCommitted(Vec<Arc<Partition>>),
    Committed(Vec<(Arc<Partition>, Result<i64, ErrorCode>)>),
    Commit(Option<Vec<CommitEntry>>, CommitReply),
    /// An OffsetCommit's response, with what was sent and how many times.
    CommitDone(Result<OffsetCommitResponse, KafkaError>, Vec<CommitEntry>, u32, CommitReply),
    /// rd_kafka_committed(): look up without starting anything.
    QueryCommitted(
        Vec<TopicPartition>,
        Sender<Result<Vec<(TopicPartition, Result<(i64, Option<String>), ErrorCode>)>, ErrorCode>>,
    ),
    Close(Sender<()>),
    Metadata,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum State {
    Init,
    WaitCoord,
    WaitJoin,
    WaitSync,
    WaitRebalanceCb,
    Steady,
    Closed,
}

impl State {
    pub fn name(self) -> &'static str {
        match self {
            State::Init => "init",
            State::WaitCoord => "wait-coord",
            State::WaitJoin => "wait-join",
            State::WaitSync => "wait-sync",
            State::WaitRebalanceCb => "wait-unassign-call",
            State::Steady => "up",
            State::Closed => "term",
        }
    }
}

/// What the application side can read without going through the group thread.
#[derive(Default)]
pub struct GroupView {
    pub member_id: String,
    pub generation: i32,
    pub state: Option<State>,
    pub assignment_lost: bool,
    pub protocol: Option<RebalanceProtocol>,
    pub subscription: Vec<String>,
    pub rebalance_cnt: u64,
}

/// The group handle kept by the client.
pub struct Group {
    pub group_id: String,
    tx: Sender<GroupOp>,
    pub view: Mutex<GroupView>,
    /// rd_kafka_consumer_poll calls so far, for max.poll.interval.ms.
    pub polls: std::sync::atomic::AtomicU64,
    /// rd_kafka_consumer_close() was called: further group calls fail with _DESTROY.
    pub closed: std::sync::atomic::AtomicBool,
    /// rd_kafka_consumer_close_queue(): rebalances go out as events; its completion.
    pub close_via_events: std::sync::atomic::AtomicBool,
    pub close_done: Mutex<Option<Receiver<()>>>,
    pub close_finished: std::sync::atomic::AtomicBool,
}

impl Group {
    pub fn start(client: &Arc<Client>, group_id: String) -> Result<Arc<Group>, String> {
        let (tx, rx) = crossbeam_channel::unbounded();
        let g = Arc::new(Group {
            group_id: group_id.clone(),
            tx,
            view: Mutex::new(GroupView::default()),
            polls: Default::default(),
            closed: Default::default(),
            close_via_events: Default::default(),
            close_done: Mutex::new(None),
            close_finished: Default::default(),
        });
        let member = Member::new(client, g.clone(), rx)?;
        if client.conf.int("group.protocol") == 1 {
            // KIP-848 is not implemented: say so rather than switch protocols silently.
            client.log(4, "CONFWARN", "group.protocol=consumer (KIP-848) is not supported by kafkars yet: using the classic group protocol");
        }
        let h = std::thread::Builder::new()
            .name("rdk:cgrp".into())
            .spawn(move || member.run())
            .map_err(|e| format!("Failed to create group thread: {e}"))?;
        client.push_thread(h);
        Ok(g)
    }

    pub fn send(&self, op: GroupOp) {
        let _ = self.tx.send(op);
    }

    pub fn view(&self) -> std::sync::MutexGuard<'_, GroupView> {
        self.view.lock().unwrap_or_else(|e| e.into_inner())
    }
}

struct Member {
    client: Weak<Client>,
    g: Arc<Group>,
    rx: Receiver<GroupOp>,
    self_tx: Sender<GroupOp>,
    state: State,
    coordinator: Option<Arc<BrokerHandle>>,
    member_id: String,
    instance_id: Option<String>,
    generation: i32,
    /// Bumped on every (re)join so stale Sync/Heartbeat replies are ignored.
    epoch: u64,
    subscription: Vec<String>,
    patterns: Vec<regex_lite::Regex>,
    /// Partitions this member owns (its current assignment).
    owned: Vec<TopicPartition>,
    assignors: Vec<Box<dyn assignor::Assignor + Send + Sync>>,
    protocol: RebalanceProtocol,
    session_timeout_ms: i32,
    rebalance_timeout_ms: i32,
    heartbeat_ms: i64,
    auto_commit_ms: Option<i64>,
    max_poll_ms: i64,
    next_heartbeat: Option<Instant>,
    heartbeat_inflight: bool,
    next_auto_commit: Option<Instant>,
    retry_at: Option<Instant>,
    rejoin_after_cb: bool,
    commits_inflight: usize,
    pending_committed: Vec<Arc<Partition>>,
    /// Topics the subscription matched at the last join.
    last_matched: Vec<String>,
    /// Commits waiting for the coordinator to be known, with attempts made so far.
    pending_commits: Vec<(Vec<CommitEntry>, u32, CommitReply)>,
    /// A FindCoordinator is in flight.
    coord_query: bool,
    /// Left the group for exceeding max.poll.interval.ms: rejoin at the next poll.
    left_for_max_poll: bool,
    /// rd_kafka_consumer_close() in progress: told once revoke and commits are done.
    close_done: Option<Sender<()>>,
    /// Poll counter last seen, and when it last moved.
    last_polls: (u64, Instant),
    /// As leader: the JoinGroup result waiting for fresh metadata before assigning.
    pending_leader:
        Option<(String, Vec<kafka_protocol::messages::join_group_response::JoinGroupResponseMember>)>,
}

impl Member {
    fn new(client: &Arc<Client>, g: Arc<Group>, rx: Receiver<GroupOp>) -> Result<Member, String> {
        let conf = &client.conf;
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
        let self_tx = g.tx.clone();
        Ok(Member {
            client: Arc::downgrade(client),
            protocol: protocols[0],
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
        })
    }

    fn run(mut self) {
        // The group runs on librdkafka's main thread there.
        crate::client::set_log_thread("main");
        loop {
            let Some(client) = self.client.upgrade() else { return };
            if client.terminating.load(Ordering::Acquire) {
                return;
            }
            let now = Instant::now();
            let mut wake = now + Duration::from_millis(200);
            for t in [self.next_heartbeat, self.next_auto_commit, self.retry_at].into_iter().flatten() {
                wake = wake.min(t);
            }
            drop(client);
            let op = self.rx.recv_timeout(wake.saturating_duration_since(now));
            let Some(client) = self.client.upgrade() else { return };
            match op {
                Ok(op) => self.handle(&client, op),
                Err(crossbeam_channel::RecvTimeoutError::Timeout) => {}
                Err(_) => return,
            }
            self.timers(&client);
            self.finish_close(&client);
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

    fn log(&self, client: &Arc<Client>, msg: impl FnOnce() -> String) {
        client.dbg(dbg::CGRP, "CGRP", || format!("Group \"{}\": {}", self.g.group_id, msg()));
    }

    fn handle(&mut self, client: &Arc<Client>, op: GroupOp) {
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
                self.patterns = pats.iter().filter_map(|p| regex_lite::Regex::new(p).ok()).collect();
                self.subscription = topics;
                for t in &plain {
                    let _ = client.topic(t, None, None);
                }
                if !self.patterns.is_empty() {
                    client.want_all_topics.store(true, Ordering::Release);
                }
                client.request_refresh();
                self.log(client, || format!("subscribe to {:?}", self.subscription));
                self.rejoin(client, "subscription changed");
            }
            GroupOp::Unsubscribe => {
                self.subscription.clear();
                self.patterns.clear();
                client.want_all_topics.store(false, Ordering::Release);
                self.revoke_all(client, false);
                self.leave(client);
            }
            GroupOp::Coordinator(res) => self.on_coordinator(client, res),
            GroupOp::Joined(res) => self.on_join(client, res),
            GroupOp::Synced(epoch, res) if epoch == self.epoch => self.on_sync(client, res),
            GroupOp::Synced(..) => {}
            GroupOp::LeaderMetadata(epoch) if epoch == self.epoch && self.state == State::WaitSync => {
                if let Some((protocol_name, members)) = self.pending_leader.take() {
                    let assignments = self.assign_as_leader(client, &protocol_name, &members);
                    self.send_sync(client, assignments);
                }
            }
            GroupOp::LeaderMetadata(_) => {}
            GroupOp::Heartbeat(epoch, err) => {
                self.heartbeat_inflight = false;
                if epoch == self.epoch {
                    self.on_heartbeat(client, err);
                }
            }
            GroupOp::RebalanceDone => {
                if self.state == State::WaitRebalanceCb {
                    self.state = State::Steady;
                    if self.rejoin_after_cb {
                        self.rejoin_after_cb = false;
                        self.join(client);
                    }
                }
            }
            GroupOp::FetchCommitted(parts) => self.fetch_committed(client, parts),
            GroupOp::Committed(results) => {
                let mut again = Vec::new();
                for (p, r) in results {
                    if !client
                        .assignment
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .iter()
                        .any(|a| Arc::ptr_eq(a, &p))
                    {
                        continue;
                    }
                    let start_at = match r {
                        Ok(o) if o >= 0 => {
                            p.cons().committed_offset = o;
                            o
                        }
                        Ok(_) | Err(ErrorCode::UNKNOWN_TOPIC_OR_PART) => OFFSET_STORED,
                        // Not knowing the committed offset is no reason to reset: retry
                        // (coordinator moved or loading, pending transactional commit).
                        Err(e) => {
                            self.log(client, || {
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
                    super::start(client, &p, start_at);
                }
                if !again.is_empty() {
                    self.pending_committed.extend(again);
                    self.retry_later(client);
                }
            }
            GroupOp::Commit(offsets, reply) => self.commit(client, offsets, reply),
            GroupOp::CommitDone(res, sent, attempt, reply) => {
                self.on_commit_done(client, res, sent, attempt, reply)
            }
            GroupOp::QueryCommitted(tps, reply) => self.query_committed(client, tps, reply),
            GroupOp::Close(done) => self.close(client, done),
            GroupOp::Metadata => {
                if !self.patterns.is_empty() && self.state == State::Steady {
                    // New topics matching a pattern: the leader reassigns on rejoin.
                    let matched = self.matching_topics(client);
                    let known: Vec<String> = self.last_matched.clone();
                    if matched != known {
                        self.rejoin(client, "matching topics changed");
                    }
                }
            }
        }
    }
}

impl Member {
    fn timers(&mut self, client: &Arc<Client>) {
        let now = Instant::now();
        if self.retry_at.is_some_and(|t| t <= now) {
            self.retry_at = None;
            match self.state {
                State::Init | State::WaitCoord if self.coordinator.is_some() => self.join(client),
                _ if self.coordinator.is_none() => self.find_coordinator(client),
                _ => {}
            }
            let pending = std::mem::take(&mut self.pending_committed);
            self.fetch_committed(client, pending);
            if self.coordinator.is_some() {
                for (list, attempt, reply) in std::mem::take(&mut self.pending_commits) {
                    self.send_commit(client, list, attempt, reply);
                }
            }
        }
        if self.next_heartbeat.is_some_and(|t| t <= now)
            && self.state == State::Steady
            && !self.heartbeat_inflight
        {
            self.next_heartbeat = Some(now + Duration::from_millis(self.heartbeat_ms as u64));
            self.heartbeat(client);
        }
        if self.next_auto_commit.is_some_and(|t| t <= now) {
            self.next_auto_commit = self.auto_commit_ms.map(|ms| now + Duration::from_millis(ms as u64));
            self.commit(client, None, CommitReply::Auto);
        }
        if self.left_for_max_poll && self.g.polls.load(Ordering::Relaxed) != self.last_polls.0 {
            self.left_for_max_poll = false;
            self.last_polls = (self.g.polls.load(Ordering::Relaxed), now);
            self.rejoin(client, "application polls again after exceeding max.poll.interval.ms");
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
                client.log(4, "MAXPOLL", &msg);
                client.consumer_q.push(Event::ConsumerError { code: ErrorCode::_MAX_POLL_EXCEEDED, msg });
                self.revoke_all(client, true);
                self.leave(client);
                self.state = State::Init;
                self.next_heartbeat = None;
                self.left_for_max_poll = true;
            }
        }
    }

    fn coordinator_request(&mut self, client: &Arc<Client>, req: Request) {
        match &self.coordinator {
            Some(b) => b.send(req),
            None => {
                req.fail(KafkaError::new(ErrorCode::_WAIT_COORD, "Waiting for coordinator"));
                self.find_coordinator(client);
            }
        }
    }

    /// Looks the coordinator up. Only a member that is not in the group yet waits in
    /// WaitCoord; a member in the group keeps its state (its generation lives on when the
    /// coordinator moves) and resumes heartbeats once the new coordinator is known.
    fn find_coordinator(&mut self, client: &Arc<Client>) {
        if self.coord_query {
            return;
        }
        self.coord_query = true;
        if self.state == State::Init {
            self.state = State::WaitCoord;
        }
        let tx = self.self_tx.clone();
        let gid = self.g.group_id.clone();
        let req = Request::schema(
            ApiKey::FindCoordinator,
            0,
            3,
            move |_v| {
                let mut r = FindCoordinatorRequest::default();
                r.key = StrBytes::from_string(gid);
                r.key_type = 0;
                r
            },
            move |res: Result<(i16, Bytes), KafkaError>| {
                let parsed = crate::protocol::decode_response::<FindCoordinatorResponse>(res).and_then(|r| {
                    if r.error_code != 0 {
                        Err(KafkaError::new(
                            ErrorCode(r.error_code as i32),
                            r.error_message.map(|m| m.to_string()).unwrap_or_default(),
                        ))
                    } else {
                        Ok((r.node_id.0, r.host.to_string(), r.port as u16))
                    }
                });
                let _ = tx.send(GroupOp::Coordinator(parsed));
            },
        );
        if let Err(req) = client.send_any(req) {
            req.fail(KafkaError::new(ErrorCode::_TRANSPORT, "No brokers"));
        }
    }

    fn on_coordinator(&mut self, client: &Arc<Client>, res: Result<(i32, String, u16), KafkaError>) {
        self.coord_query = false;
        match res {
            Ok((id, host, port)) => {
                let Some(b) = client.coordinator_connection("GroupCoordinator", id, &host, port) else {
                    return self.retry_later(client);
                };
                self.log(client, || format!("coordinator is broker {}", b.name));
                self.coordinator = Some(b);
                for (list, attempt, reply) in std::mem::take(&mut self.pending_commits) {
                    self.send_commit(client, list, attempt, reply);
                }
                let pending = std::mem::take(&mut self.pending_committed);
                self.fetch_committed(client, pending);
                match self.state {
                    State::Init | State::WaitCoord => {
                        self.state = State::Init;
                        self.join(client);
                    }
                    State::Steady => self.next_heartbeat = Some(Instant::now()),
                    _ => {}
                }
            }
            Err(e) => {
                self.log(client, || format!("FindCoordinator failed: {}", e.msg));
                if self.state == State::WaitCoord {
                    self.state = State::Init;
                }
                self.retry_later(client);
            }
        }
    }

    fn retry_later(&mut self, client: &Arc<Client>) {
        let backoff = client.settings.retry_backoff_ms.max(100) as u64;
        self.retry_at = Some(Instant::now() + Duration::from_millis(backoff));
    }

    fn matching_topics(&self, client: &Arc<Client>) -> Vec<String> {
        let mut out: Vec<String> =
            self.subscription.iter().filter(|t| !t.starts_with('^')).cloned().collect();
        if !self.patterns.is_empty() {
            for name in client.cluster_topics() {
                if self.patterns.iter().any(|p| p.is_match(&name)) && !out.contains(&name) {
                    out.push(name);
                }
            }
        }
        out.sort();
        out
    }

    fn rejoin(&mut self, client: &Arc<Client>, why: &str) {
        self.log(client, || format!("rejoin: {why}"));
        if self.subscription.is_empty() {
            return;
        }
        match self.state {
            State::WaitRebalanceCb => self.rejoin_after_cb = true,
            _ => {
                if self.protocol == RebalanceProtocol::Eager && !self.owned.is_empty() {
                    // Eager: give everything up first; join once the application has.
                    self.rejoin_after_cb = true;
                    self.revoke_all(client, false);
                } else {
                    self.join(client);
                }
            }
        }
    }

    fn join(&mut self, client: &Arc<Client>) {
        if self.subscription.is_empty() {
            return;
        }
        if self.coordinator.is_none() {
            self.state = State::Init;
            self.find_coordinator(client);
            return;
        }
        self.epoch += 1;
        self.state = State::WaitJoin;
        self.next_heartbeat = None;
        let topics = self.matching_topics(client);
        self.last_matched = topics.clone();
        // As librdkafka: v3 for every strategy, owned partitions always listed, empty user
        // data (cooperative-sticky: its previous assignment and generation).
        let sticky = self.protocol == RebalanceProtocol::Cooperative && self.generation >= 0;
        let sub = Subscription {
            topics,
            user_data: Some(if sticky {
                super::protocol::encode_sticky_user_data(&group_by_topic(&self.owned), self.generation)
            } else {
                Bytes::new()
            }),
            owned_partitions: group_by_topic(&self.owned),
            generation_id: if sticky { self.generation } else { -1 },
            rack_id: Some(client.conf.string("client.rack").unwrap_or_default()),
        };
        let protocols: Vec<(String, Bytes)> = self
            .assignors
            .iter()
            .map(|a| (a.name().to_string(), encode_subscription(&sub, super::protocol::SUBSCRIPTION_VERSION)))
            .collect();
        let (gid, mid, iid) = (self.g.group_id.clone(), self.member_id.clone(), self.instance_id.clone());
        let (st, rt) = (self.session_timeout_ms, self.rebalance_timeout_ms);
        let tx = self.self_tx.clone();
        self.log(client, || format!("JoinGroup (member \"{mid}\", generation {})", self.generation));
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
        self.coordinator_request(client, req);
    }

    fn coordinator_lost(&mut self, client: &Arc<Client>) {
        self.coordinator = None;
        self.state = State::Init;
        self.retry_later(client);
    }

    fn on_join(&mut self, client: &Arc<Client>, res: Result<JoinGroupResponse, KafkaError>) {
        if self.state != State::WaitJoin {
            return;
        }
        let r = match res {
            Ok(r) => r,
            Err(e) => {
                self.log(client, || format!("JoinGroup failed: {}", e.msg));
                if e.code == ErrorCode::_WAIT_COORD
                    || e.code == ErrorCode::_TRANSPORT
                    || e.code == ErrorCode::_TIMED_OUT
                {
                    self.coordinator_lost(client);
                } else {
                    self.state = State::Init;
                    self.retry_later(client);
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
                self.join(client);
                return;
            }
            ErrorCode::UNKNOWN_MEMBER_ID | ErrorCode::ILLEGAL_GENERATION => {
                self.member_id.clear();
                self.generation = -1;
                self.state = State::Init;
                self.join(client);
                return;
            }
            ErrorCode::NOT_COORDINATOR
            | ErrorCode::COORDINATOR_NOT_AVAILABLE
            | ErrorCode::COORDINATOR_LOAD_IN_PROGRESS => {
                self.coordinator_lost(client);
                return;
            }
            ErrorCode::REBALANCE_IN_PROGRESS => {
                self.state = State::Init;
                self.join(client);
                return;
            }
            e => {
                self.log(client, || format!("JoinGroup failed: {}", e.name()));
                client.consumer_q.push(Event::ConsumerError {
                    code: e,
                    msg: format!("JoinGroup failed: {}", e.description()),
                });
                self.state = State::Init;
                self.retry_later(client);
                return;
            }
        }
        self.member_id = r.member_id.to_string();
        self.generation = r.generation_id;
        let protocol_name = r.protocol_name.as_ref().map(|s| s.to_string()).unwrap_or_default();
        let is_leader = r.leader == r.member_id;
        self.log(client, || {
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
            let weak = self.client.clone();
            crate::client::metadata::send(
                client,
                Some(topics),
                false,
                Some(Duration::from_secs(5)),
                Box::new(move |res| {
                    if let (Ok(md), Some(c)) = (res, weak.upgrade()) {
                        crate::client::metadata::apply(&c, &md);
                    }
                    let _ = tx.send(GroupOp::LeaderMetadata(epoch));
                }),
            );
        } else {
            self.send_sync(client, Vec::new());
        }
    }

    fn send_sync(&mut self, client: &Arc<Client>, assignments: Vec<(String, Bytes)>) {
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
        self.coordinator_request(client, req);
    }

    /// The leader computes every member's assignment with the chosen assignor.
    fn assign_as_leader(
        &mut self,
        client: &Arc<Client>,
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
            if let Some(n) = client.partition_count(t, Duration::from_millis(3000)) {
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
                        &Assignment { partitions: super::protocol::group_partitions(&parts), user_data: ud },
                        0,
                    ),
                )
            })
            .collect()
    }

    fn on_sync(&mut self, client: &Arc<Client>, res: Result<SyncGroupResponse, KafkaError>) {
        if self.state != State::WaitSync {
            return;
        }
        let r = match res {
            Ok(r) => r,
            Err(e) => {
                self.log(client, || format!("SyncGroup failed: {}", e.msg));
                self.coordinator_lost(client);
                return;
            }
        };
        match ErrorCode(r.error_code as i32) {
            ErrorCode::NO_ERROR => {}
            ErrorCode::REBALANCE_IN_PROGRESS => {
                self.state = State::Init;
                self.join(client);
                return;
            }
            ErrorCode::UNKNOWN_MEMBER_ID | ErrorCode::ILLEGAL_GENERATION => {
                self.member_id.clear();
                self.generation = -1;
                self.revoke_all(client, true);
                self.state = State::Init;
                self.join(client);
                return;
            }
            ErrorCode::NOT_COORDINATOR | ErrorCode::COORDINATOR_NOT_AVAILABLE => {
                self.coordinator_lost(client);
                return;
            }
            e => {
                self.log(client, || format!("SyncGroup failed: {}", e.name()));
                client.consumer_q.push(Event::ConsumerError {
                    code: e,
                    msg: format!("SyncGroup failed: {}", e.description()),
                });
                self.state = State::Init;
                self.retry_later(client);
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
                self.rebalance_event(client, ErrorCode::_ASSIGN_PARTITIONS, new);
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
                    self.rebalance_event(client, ErrorCode::_REVOKE_PARTITIONS, revoked);
                }
                self.owned.extend(added.iter().cloned());
                self.rebalance_event(client, ErrorCode::_ASSIGN_PARTITIONS, added);
            }
        }
    }

    /// Hands a rebalance to the application (rebalance_cb on its poll thread), or applies
    /// it directly when it has no rebalance_cb.
    fn rebalance_event(&mut self, client: &Arc<Client>, err: ErrorCode, parts: Vec<TopicPartition>) {
        self.log(client, || {
            format!("{} {:?}", if err == ErrorCode::_ASSIGN_PARTITIONS { "assign" } else { "revoke" }, parts)
        });
        if client.hooks.rebalance_cb || self.g.close_via_events.load(Ordering::Acquire) {
            self.state = State::WaitRebalanceCb;
            client.consumer_q.push(Event::Rebalance { err, partitions: parts, protocol: self.protocol });
        } else {
            let applied = apply_rebalance(client, err, &parts, self.protocol).is_ok();
            if self.rejoin_after_cb && err == ErrorCode::_REVOKE_PARTITIONS {
                if applied {
                    // Rejoin on the RebalanceDone the unassign queued, after its
                    // auto-commit: the commit must reach the coordinator first.
                    self.state = State::WaitRebalanceCb;
                } else {
                    self.rejoin_after_cb = false;
                    self.state = State::Init;
                    self.join(client);
                }
            }
        }
    }

    /// Revokes everything owned (eager rebalance, lost assignment, leaving).
    fn revoke_all(&mut self, client: &Arc<Client>, lost: bool) {
        let owned = std::mem::take(&mut self.owned);
        self.g.view().assignment_lost = lost;
        if !owned.is_empty() {
            // With enable.auto.commit the unassign commits what the application consumed.
            self.rebalance_event(client, ErrorCode::_REVOKE_PARTITIONS, owned);
        }
    }

    fn heartbeat(&mut self, client: &Arc<Client>) {
        let (gid, mid, gen, iid) =
            (self.g.group_id.clone(), self.member_id.clone(), self.generation, self.instance_id.clone());
        let tx = self.self_tx.clone();
        let epoch = self.epoch;
        self.heartbeat_inflight = true;
        let req = Request::schema(
            ApiKey::Heartbeat,
            0,
            3,
            move |v| {
                let mut h = HeartbeatRequest::default();
                h.group_id = GroupId(StrBytes::from_string(gid));
                h.generation_id = gen;
                h.member_id = StrBytes::from_string(mid);
                h.group_instance_id = iid.filter(|_| v >= 3).map(StrBytes::from_string);
                h
            },
            move |res: Result<(i16, Bytes), KafkaError>| {
                let code = match crate::protocol::decode_response::<HeartbeatResponse>(res) {
                    Ok(r) => ErrorCode(r.error_code as i32),
                    Err(e) => e.code,
                };
                let _ = tx.send(GroupOp::Heartbeat(epoch, code));
            },
        );
        self.coordinator_request(client, req);
    }

    fn on_heartbeat(&mut self, client: &Arc<Client>, err: ErrorCode) {
        match err {
            ErrorCode::NO_ERROR => {}
            ErrorCode::REBALANCE_IN_PROGRESS => self.rejoin(client, "group is rebalancing"),
            ErrorCode::UNKNOWN_MEMBER_ID | ErrorCode::ILLEGAL_GENERATION | ErrorCode::FENCED_INSTANCE_ID => {
                self.member_id.clear();
                self.generation = -1;
                self.revoke_all(client, true);
                if !self.rejoin_after_cb {
                    self.state = State::Init;
                    self.join(client);
                }
            }
            e if coordinator_error(e) || e == ErrorCode::_TIMED_OUT => {
                // Stay in the group: heartbeats resume at the coordinator found next.
                self.coordinator = None;
                self.find_coordinator(client);
            }
            _ => {}
        }
    }

    fn leave(&mut self, client: &Arc<Client>) {
        self.next_heartbeat = None;
        if self.member_id.is_empty() || self.instance_id.is_some() {
            // Static members keep their place (KIP-345): no LeaveGroup.
            self.state = State::Init;
            return;
        }
        let (gid, mid) = (self.g.group_id.clone(), self.member_id.clone());
        let req = Request::schema(
            ApiKey::LeaveGroup,
            0,
            3,
            move |v| {
                let mut l = LeaveGroupRequest::default();
                l.group_id = GroupId(StrBytes::from_string(gid));
                if v >= 3 {
                    let mut m = MemberIdentity::default();
                    m.member_id = StrBytes::from_string(mid);
                    l.members.push(m);
                } else {
                    l.member_id = StrBytes::from_string(mid);
                }
                l
            },
            |_res| {},
        );
        if let Some(b) = &self.coordinator {
            b.send(req);
        }
        self.log(client, || "left the group".into());
        self.member_id.clear();
        self.generation = -1;
        self.state = State::Init;
    }

    fn fetch_committed(&mut self, client: &Arc<Client>, parts: Vec<Arc<Partition>>) {
        if parts.is_empty() {
            return;
        }
        if self.coordinator.is_none() {
            self.pending_committed.extend(parts);
            self.find_coordinator(client);
            return;
        }
        let tps: Vec<TopicPartition> = parts.iter().map(|p| (p.topic_name.to_string(), p.id)).collect();
        let tx = self.self_tx.clone();
        let req = offset_fetch_request(
            &self.g.group_id,
            tps,
            client.settings.isolation_read_committed,
            move |res| {
                let results = parts
                    .into_iter()
                    .map(|p| {
                        let r = match &res {
                            Ok(v) => v
                                .iter()
                                .find(|((t, id), _)| t.as_str() == &*p.topic_name && *id == p.id)
                                .map(|(_, r)| r.clone().map(|x| x.0))
                                .unwrap_or(Err(ErrorCode::_BAD_MSG)),
                            Err(e) => Err(*e),
                        };
                        (p, r)
                    })
                    .collect();
                let _ = tx.send(GroupOp::Committed(results));
            },
        );
        self.coordinator_request(client, req);
    }

    fn query_committed(
        &mut self,
        client: &Arc<Client>,
        tps: Vec<TopicPartition>,
        reply: Sender<Result<Vec<(TopicPartition, Result<(i64, Option<String>), ErrorCode>)>, ErrorCode>>,
    ) {
        if self.coordinator.is_none() {
            self.find_coordinator(client);
            // Tell the caller to retry: it waits with its own deadline.
            let _ = reply.send(Err(ErrorCode::_WAIT_COORD));
            return;
        }
        let req = offset_fetch_request(
            &self.g.group_id,
            tps,
            client.settings.isolation_read_committed,
            move |res| {
                let _ = reply.send(res);
            },
        );
        self.coordinator_request(client, req);
    }

    fn commit(&mut self, client: &Arc<Client>, offsets: Option<Vec<CommitEntry>>, reply: CommitReply) {
        // Logical/invalid offsets stay in the list (they are reported) but are not sent.
        let list: Vec<CommitEntry> = match offsets {
            Some(v) => v,
            None => super::commit_position(&client.assignment.lock().unwrap_or_else(|e| e.into_inner())),
        };
        if !list.iter().any(|(_, _, o, _)| *o >= 0) {
            let offsets = list.into_iter().map(|(t, p, o, _)| (t, p, o, ErrorCode::NO_ERROR)).collect();
            finish_commit(
                client,
                CommitResult { err: ErrorCode::_NO_OFFSET, offsets, cb: CommitCb::Conf },
                reply,
            );
            return;
        }
        self.send_commit(client, list, 0, reply);
    }

    fn send_commit(
        &mut self,
        client: &Arc<Client>,
        list: Vec<CommitEntry>,
        attempt: u32,
        reply: CommitReply,
    ) {
        if self.coordinator.is_none() {
            // Wait for the coordinator rather than fail: sent once it is known.
            self.pending_commits.push((list, attempt, reply));
            self.find_coordinator(client);
            return;
        }
        let sent = list.clone();
        let (gid, mid, gen, iid) =
            (self.g.group_id.clone(), self.member_id.clone(), self.generation, self.instance_id.clone());
        let tx = self.self_tx.clone();
        self.commits_inflight += 1;
        let req = Request::schema(
            ApiKey::OffsetCommit,
            2,
            7,
            move |v| {
                let mut r = OffsetCommitRequest::default();
                r.group_id = GroupId(StrBytes::from_string(gid));
                r.generation_id_or_member_epoch = gen;
                r.member_id = StrBytes::from_string(mid);
                r.group_instance_id = iid.filter(|_| v >= 7).map(StrBytes::from_string);
                if (2..=4).contains(&v) {
                    r.retention_time_ms = -1;
                }
                for (t, p, o, md) in list.into_iter().filter(|(_, _, o, _)| *o >= 0) {
                    let name = TopicName(StrBytes::from_string(t));
                    let mut cp = OffsetCommitRequestPartition::default();
                    cp.partition_index = p;
                    cp.committed_offset = o;
                    if v >= 6 {
                        cp.committed_leader_epoch = -1;
                    }
                    cp.committed_metadata = Some(StrBytes::from_string(md.unwrap_or_default()));
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
        self.coordinator_request(client, req);
    }

    fn on_commit_done(
        &mut self,
        client: &Arc<Client>,
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
        if let Some(e) = retry {
            if coordinator_error(e) {
                self.coordinator = None;
            }
            if attempts < COMMIT_ATTEMPTS {
                self.log(client, || format!("OffsetCommit failed: {}: retrying", e.name()));
                self.pending_commits.push((sent, attempts, reply));
                if self.coordinator.is_none() {
                    self.find_coordinator(client);
                } else {
                    self.retry_later(client);
                }
                return;
            }
        }
        let result = match res {
            Ok(r) => {
                let mut first = ErrorCode::NO_ERROR;
                let offsets = sent
                    .into_iter()
                    .map(|(t, p, o, _)| {
                        if o < 0 {
                            return (t, p, o, ErrorCode::NO_ERROR);
                        }
                        let e = r
                            .topics
                            .iter()
                            .filter(|x| x.name.0.as_str() == t)
                            .flat_map(|x| x.partitions.iter())
                            .find(|x| x.partition_index == p)
                            .map_or(ErrorCode::_BAD_MSG, |x| ErrorCode(x.error_code as i32));
                        if e == ErrorCode::NO_ERROR {
                            if let Some(part) = client
                                .topics
                                .lock()
                                .unwrap_or_else(|x| x.into_inner())
                                .get(&t)
                                .and_then(|tt| tt.partition(p))
                            {
                                part.cons().committed_offset = o;
                            }
                        } else if first == ErrorCode::NO_ERROR {
                            first = e;
                        }
                        (t, p, o, e)
                    })
                    .collect::<Vec<_>>();
                CommitResult { err: first, offsets, cb: CommitCb::Conf }
            }
            Err(e) => CommitResult {
                err: e.code,
                offsets: sent.into_iter().map(|(t, p, o, _)| (t, p, o, e.code)).collect(),
                cb: CommitCb::Conf,
            },
        };
        finish_commit(client, result, reply);
    }

    fn close(&mut self, client: &Arc<Client>, done: Sender<()>) {
        self.subscription.clear();
        self.patterns.clear();
        self.rejoin_after_cb = false;
        self.next_auto_commit = None;
        self.close_done = Some(done);
        self.revoke_all(client, false);
    }

    /// Closing: leave once the revoke was handled and its commits answered (LeaveGroup
    /// after OffsetCommit, or the commit would be refused for an unknown member).
    fn finish_close(&mut self, client: &Arc<Client>) {
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
        self.leave(client);
        self.state = State::Closed;
        if let Some(done) = self.close_done.take() {
            let _ = done.send(());
        }
    }
}

/// The coordinator is gone or unknown: look it up again.
fn coordinator_error(e: ErrorCode) -> bool {
    matches!(
        e,
        ErrorCode::NOT_COORDINATOR
            | ErrorCode::COORDINATOR_NOT_AVAILABLE
            | ErrorCode::_TRANSPORT
            | ErrorCode::_WAIT_COORD
    )
}

fn finish_commit(client: &Arc<Client>, result: CommitResult, reply: CommitReply) {
    match reply {
        CommitReply::Callback => {
            if client.hooks.offset_commit_cb || result.err != ErrorCode::_NO_OFFSET {
                client.consumer_q.push(Event::OffsetCommit(result));
            }
        }
        CommitReply::Auto => {
            if result.err != ErrorCode::_NO_OFFSET {
                client.consumer_q.push(Event::OffsetCommit(result));
            }
        }
        CommitReply::Queue(q, cb) => {
            // Without a callback of its own, offset_commit_cb hears about it too.
            if cb == CommitCb::Nothing && client.hooks.offset_commit_cb {
                client.consumer_q.push(Event::OffsetCommit(result.clone()));
            }
            q.push(Event::OffsetCommit(CommitResult { cb, ..result }));
        }
        CommitReply::Channel(tx) => {
            let _ = tx.send(result);
        }
        CommitReply::Both(tx) => {
            client.consumer_q.push(Event::OffsetCommit(result.clone()));
            let _ = tx.send(result);
        }
    }
}

type CommittedResult = Result<Vec<(TopicPartition, Result<(i64, Option<String>), ErrorCode>)>, ErrorCode>;

fn offset_fetch_request(
    group_id: &str,
    tps: Vec<TopicPartition>,
    require_stable: bool,
    done: impl FnOnce(CommittedResult) + Send + 'static,
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
                                Ok((p.committed_offset, p.metadata.as_ref().map(|m| m.to_string())))
                            };
                            ((t.name.0.to_string(), p.partition_index), v)
                        })
                    })
                    .collect()),
            })
        },
    )
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

/// Applies a rebalance without an application callback (librdkafka's default handler).
pub fn apply_rebalance(
    client: &Arc<Client>,
    err: ErrorCode,
    parts: &[TopicPartition],
    protocol: RebalanceProtocol,
) -> Result<(), ()> {
    match (err, protocol) {
        (ErrorCode::_ASSIGN_PARTITIONS, RebalanceProtocol::Eager) => {
            super::assign(client, parts.iter().map(|(t, p)| (t.clone(), *p, OFFSET_INVALID)).collect(), false)
        }
        (ErrorCode::_ASSIGN_PARTITIONS, RebalanceProtocol::Cooperative) => {
            super::assign(client, parts.iter().map(|(t, p)| (t.clone(), *p, OFFSET_INVALID)).collect(), true)
        }
        (_, RebalanceProtocol::Eager) => super::assign(client, Vec::new(), false),
        (_, RebalanceProtocol::Cooperative) => super::unassign_incremental(client, parts),
    }
    .map_err(|e| client.log(3, "REBALANCE", &format!("applying {} failed: {}", err.name(), e)))
}

/// A group as rd_kafka_list_groups() reports it.
pub struct ListedGroupInfo {
    pub broker_id: i32,
    pub broker_host: String,
    pub broker_port: i32,
    pub group: String,
    pub err: ErrorCode,
    pub state: String,
    pub protocol_type: String,
    pub protocol: String,
    pub members: Vec<ListedMember>,
}

pub struct ListedMember {
    pub member_id: String,
    pub client_id: String,
    pub client_host: String,
    pub metadata: Vec<u8>,
    pub assignment: Vec<u8>,
}

/// ListGroups on every broker, then DescribeGroups on the broker that listed each group.
pub fn list_groups(
    client: &Arc<Client>,
    only: Option<String>,
    timeout: Duration,
) -> Result<Vec<ListedGroupInfo>, ErrorCode> {
    let deadline = Instant::now() + timeout;
    // Learned brokers only: wait (bounded) for the first metadata.
    while !client.cluster.read().map(|c| c.brokers_known).unwrap_or(false) {
        if Instant::now() >= deadline {
            return Err(ErrorCode::_TIMED_OUT);
        }
        client.request_refresh();
        std::thread::sleep(Duration::from_millis(10));
    }
    let brokers: Vec<Arc<BrokerHandle>> = client.brokers().into_iter().filter(|b| b.id >= 0).collect();
    let (tx, rx) = crossbeam_channel::unbounded();
    for b in &brokers {
        let tx = tx.clone();
        let (bid, only) = (b.id, only.clone());
        let b2 = b.clone();
        b.send(Request::schema(
            ApiKey::ListGroups,
            0,
            3,
            |_v| ListGroupsRequest::default(),
            move |res: Result<(i16, Bytes), KafkaError>| {
                let parsed = crate::protocol::decode_response::<ListGroupsResponse>(res);
                match parsed {
                    Ok(r) if r.error_code == 0 => {
                        let names: Vec<String> = r
                            .groups
                            .iter()
                            .map(|g| g.group_id.0.to_string())
                            .filter(|g| only.as_ref().is_none_or(|o| o == g))
                            .collect();
                        if names.is_empty() {
                            let _ = tx.send((bid, Ok(Vec::new())));
                            return;
                        }
                        let tx2 = tx.clone();
                        b2.send(Request::schema(
                            ApiKey::DescribeGroups,
                            0,
                            4,
                            move |_v| {
                                let mut d = DescribeGroupsRequest::default();
                                d.groups =
                                    names.into_iter().map(|n| GroupId(StrBytes::from_string(n))).collect();
                                d
                            },
                            move |res: Result<(i16, Bytes), KafkaError>| {
                                let parsed = crate::protocol::decode_response::<DescribeGroupsResponse>(res);
                                let _ = tx2.send((bid, parsed.map(|d| d.groups).map_err(|e| e.code)));
                            },
                        ));
                    }
                    Ok(r) => {
                        let _ = tx.send((bid, Err(ErrorCode(r.error_code as i32))));
                    }
                    Err(e) => {
                        let _ = tx.send((bid, Err(e.code)));
                    }
                }
            },
        ));
    }
    let mut out = Vec::new();
    let mut first_err = None;
    for _ in 0..brokers.len() {
        match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok((bid, Ok(groups))) => {
                let b = brokers.iter().find(|b| b.id == bid);
                for g in groups {
                    out.push(ListedGroupInfo {
                        broker_id: bid,
                        broker_host: b.map_or(String::new(), |b| b.host.clone()),
                        broker_port: b.map_or(0, |b| b.port as i32),
                        group: g.group_id.0.to_string(),
                        err: ErrorCode(g.error_code as i32),
                        state: g.group_state.to_string(),
                        protocol_type: g.protocol_type.to_string(),
                        protocol: g.protocol_data.to_string(),
                        members: g
                            .members
                            .iter()
                            .map(|m| ListedMember {
                                member_id: m.member_id.to_string(),
                                client_id: m.client_id.to_string(),
                                client_host: m.client_host.to_string(),
                                metadata: m.member_metadata.to_vec(),
                                assignment: m.member_assignment.to_vec(),
                            })
                            .collect(),
                    });
                }
            }
            Ok((_, Err(e))) => {
                first_err.get_or_insert(e);
            }
            Err(_) => return Err(ErrorCode::_TIMED_OUT),
        }
    }
    match (out.is_empty(), first_err) {
        (true, Some(e)) => Err(e),
        _ => Ok(out),
    }
}
