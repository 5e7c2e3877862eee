//! The share group member, on a thread of its own (rdk:share): the coordinator, the
//! ShareGroupHeartbeat (a member id it makes itself, epochs, the assignment by topic
//! id, the interval the broker asks for; epoch -1 to leave), and the metadata that
//! turns topic ids into names and partition leaders. Broker answers come back to it
//! as ops on its channel. Its share sessions with the partition leaders are session.rs's.

use super::session::{answer, close_sessions, dispatch, leader, Ctx, Sessions, Sync, TopicMeta};
use super::shared::{Op, Reply, Shared};
use crate::broker::{
    find_coordinator, heartbeat_failure, BrokerHandle, Brokers, HeartbeatFailure, Request, COORD_GROUP,
};
use crate::error::{ErrorCode, KafkaError};
use crate::instance::{dbg, Instance};
use crate::metadata::Cache;
use bytes::Bytes;
use kafka_protocol::messages::metadata_request::MetadataRequestTopic;
use kafka_protocol::messages::{
    ApiKey, GroupId, MetadataRequest, MetadataResponse, ShareGroupHeartbeatRequest,
    ShareGroupHeartbeatResponse, TopicName,
};
use kafka_protocol::protocol::StrBytes;
use std::collections::HashMap;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use uuid::Uuid;

pub(crate) struct Member {
    pub rk: Arc<Instance>,
    pub cache: Arc<Cache>,
    pub brokers: Arc<Brokers>,
    pub shared: Arc<Shared>,
    pub tx: Sender<Op>,
    pub group_id: String,
    pub member_id: String,
    pub epoch: i32,
    subscription: Vec<String>,
    coordinator: Option<Arc<BrokerHandle>>,
    coord_asked: bool,
    hb_inflight: bool,
    next_hb: Instant,
    metadata_asked: bool,
    /// Metadata was wanted while a request was in flight: ask again on its answer.
    metadata_again: bool,
    /// The heartbeat interval the coordinator asks for (0: none yet).
    hb_interval_ms: i32,
    /// The last heartbeat error told to the application, and when.
    hb_reported: Option<(ErrorCode, Instant)>,
    /// A fatal error was raised: no more heartbeats, fetches or leaving.
    fatal: bool,
    /// Each subscribed topic's last metadata error, as the member saw it (reported on change).
    topic_errs: HashMap<String, ErrorCode>,
    /// Each subscribed topic's error in the client's metadata cache at the last look: a
    /// change there (the application's own metadata requests) sends the member to look.
    cache_errs: HashMap<String, i32>,
    /// When a stalled fetch was last logged.
    stall_logged: Option<Instant>,
    /// Assigned partitions, by topic id.
    pub assignment: Vec<(Uuid, i32)>,
    pub topics: HashMap<Uuid, TopicMeta>,
    pub sessions: Sessions,
    closing: Option<Sender<()>>,
    left: bool,
    stopped: bool,
}

pub(super) fn spawn(
    rk: &Arc<Instance>,
    cache: &Arc<Cache>,
    brokers: &Arc<Brokers>,
    group_id: String,
    shared: Arc<Shared>,
    tx: Sender<Op>,
    rx: Receiver<Op>,
) -> Result<JoinHandle<()>, String> {
    let mut m = Member {
        rk: rk.clone(),
        cache: cache.clone(),
        brokers: brokers.clone(),
        shared,
        tx,
        group_id,
        member_id: member_id(),
        epoch: 0,
        subscription: Vec::new(),
        coordinator: None,
        coord_asked: false,
        hb_inflight: false,
        next_hb: Instant::now(),
        metadata_asked: false,
        metadata_again: false,
        hb_interval_ms: 0,
        hb_reported: None,
        fatal: false,
        topic_errs: HashMap::new(),
        cache_errs: HashMap::new(),
        stall_logged: None,
        assignment: Vec::new(),
        topics: HashMap::new(),
        sessions: Sessions::default(),
        closing: None,
        left: false,
        stopped: false,
    };
    std::thread::Builder::new()
        .name("rdk:share".into())
        .spawn(move || m.run(rx))
        .map_err(|e| format!("Failed to create share consumer thread: {e}"))
}

/// A member id as Kafka makes them (a random UUID in unpadded URL-safe base64): with
/// ShareGroupHeartbeat v1 the member chooses it.
fn member_id() -> String {
    const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut s: String = (0..21).map(|_| B64[fastrand::usize(..64)] as char).collect();
    // The 22nd character carries the last 2 bits only.
    s.push(['A', 'Q', 'g', 'w'][fastrand::usize(..4)]);
    s
}

impl Member {
    fn run(&mut self, rx: Receiver<Op>) {
        loop {
            let wait = self.next_wakeup().saturating_duration_since(Instant::now());
            match rx.recv_timeout(wait) {
                Ok(op) => self.handle(op),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => break,
            }
            // Everything queued is handled before deciding what to send.
            while let Ok(op) = rx.try_recv() {
                self.handle(op);
            }
            if self.stopped {
                break;
            }
            self.tick();
            if self.closing.is_some() && self.close_done() {
                if let Some(done) = self.closing.take() {
                    let _ = done.send(());
                }
                break;
            }
        }
        self.sessions.fail_all(&self.shared, ErrorCode::_DESTROY);
    }

    /// The next time the tick has something to do. A deadline already past is one the
    /// last tick could not act on (a heartbeat waiting for its coordinator, a fetch
    /// pause over while a ShareFetch is in flight, a heartbeat due while closing):
    /// waking for it would spin, so only a reply or the 500 ms sweep wakes the thread.
    fn next_wakeup(&self) -> Instant {
        let now = Instant::now();
        let mut t = now + Duration::from_millis(500);
        let mut due = |d: Instant| {
            if d > now {
                t = t.min(d);
            }
        };
        if self.active() && !self.hb_inflight && self.closing.is_none() {
            due(self.next_hb);
        }
        if let Some(r) = self.sessions.retry_at {
            due(r);
        }
        t
    }

    /// Whether the member takes part in the group.
    fn active(&self) -> bool {
        !self.fatal && (!self.subscription.is_empty() || (self.epoch > 0 && !self.left))
    }

    fn handle(&mut self, op: Op) {
        match op {
            Op::Subscribe(topics) => {
                if topics.is_empty() && self.epoch > 0 {
                    self.send_heartbeat(-1);
                }
                if topics.is_empty() {
                    self.assignment.clear();
                } else {
                    self.left = false;
                    self.next_hb = Instant::now();
                }
                self.subscription = topics;
                // A new subscription reports its topics' errors anew.
                self.topic_errs.clear();
                self.cache_errs.clear();
                self.metadata_asked = false;
                self.request_metadata();
            }
            Op::Acks { acks, fetch, sync } => {
                let sync = sync.map(|tx| Sync::new(tx, acks.len()));
                self.sessions.queue(acks, sync);
                if let Some(seen) = fetch {
                    self.sessions.ask(seen, &self.shared);
                }
            }
            Op::Close { acks, done } => {
                self.sessions.queue(acks, None);
                self.sessions.want_fetch = false;
                self.closing = Some(done);
            }
            Op::Reply(r) => self.reply(r),
            Op::Stop => self.stopped = true,
        }
    }

    fn tick(&mut self) {
        if self.closing.is_some() {
            self.with_sessions(close_sessions);
            if self.sessions.idle() && self.epoch > 0 && !self.left && !self.hb_inflight {
                self.send_heartbeat(-1);
            }
            return;
        }
        if self.active() && !self.hb_inflight && Instant::now() >= self.next_hb {
            self.send_heartbeat(self.epoch);
        }
        self.watch_cache();
        self.note_stall();
        self.with_sessions(dispatch);
    }

    /// Closing is over when the sessions are closed and the group left (or there is
    /// no group to leave).
    fn close_done(&self) -> bool {
        self.sessions.idle()
            && (self.left || self.epoch <= 0 || self.coordinator.is_none())
            && !self.hb_inflight
    }

    fn reply(&mut self, r: Reply) {
        match r {
            Reply::Coordinator(res) => {
                self.coord_asked = false;
                match res {
                    Ok(b) => {
                        self.rk.dbg(dbg::CGRP, "SHARE", || format!("Share group coordinator is {}", b.name));
                        self.coordinator = Some(b);
                        self.next_hb = Instant::now();
                    }
                    Err(e) => {
                        self.rk.dbg(dbg::CGRP, "SHARE", || format!("FindCoordinator failed: {}", e.msg));
                        self.next_hb = Instant::now() + Duration::from_millis(500);
                    }
                }
            }
            Reply::Heartbeat(res) => {
                self.hb_inflight = false;
                self.heartbeat_reply(res);
            }
            Reply::Metadata(res) => {
                self.metadata_asked = false;
                match res {
                    Ok(md) => self.apply_metadata(md),
                    Err(e) => {
                        self.rk.dbg(dbg::CGRP, "SHARE", || format!("Metadata request failed: {}", e.msg))
                    }
                }
                if std::mem::take(&mut self.metadata_again) {
                    self.request_metadata();
                }
            }
            Reply::Session(a) => self.with_sessions(|c| answer(c, a)),
        }
    }

    fn send_heartbeat(&mut self, epoch: i32) {
        let Some(coord) = self.coordinator.clone() else {
            if !self.coord_asked {
                self.coord_asked = true;
                let tx = self.tx.clone();
                find_coordinator(
                    &self.brokers,
                    self.group_id.clone(),
                    COORD_GROUP,
                    "GroupCoordinator",
                    move |r| {
                        let _ = tx.send(Op::Reply(Reply::Coordinator(r)));
                    },
                );
            }
            return;
        };
        self.hb_inflight = true;
        if epoch == -1 {
            self.left = true;
            self.epoch = 0;
            self.assignment.clear();
        }
        let (gid, mid, topics) = (self.group_id.clone(), self.member_id.clone(), self.subscription.clone());
        let join = epoch <= 0;
        self.rk.dbg(dbg::CGRP, "HEARTBEAT", || {
            format!("ShareGroupHeartbeat of {} (member {}, epoch {})", gid, mid, epoch)
        });
        let tx = self.tx.clone();
        let req = Request::schema(
            ApiKey::ShareGroupHeartbeat,
            1,
            1,
            move |_| {
                let mut r = ShareGroupHeartbeatRequest::default();
                r.group_id = GroupId(StrBytes::from_string(gid));
                r.member_id = StrBytes::from_string(mid);
                r.member_epoch = epoch;
                r.subscribed_topic_names = (epoch >= 0 && (join || !topics.is_empty()))
                    .then(|| topics.into_iter().map(|t| TopicName(StrBytes::from_string(t))).collect());
                r
            },
            move |res: Result<(i16, Bytes), KafkaError>| {
                let r = crate::protocol::decode_response::<ShareGroupHeartbeatResponse>(res);
                let _ = tx.send(Op::Reply(Reply::Heartbeat(r)));
            },
        )
        .with_timeout(Some(Duration::from_millis(self.rk.settings.socket_timeout_ms as u64)));
        coord.send(req);
    }

    fn heartbeat_reply(&mut self, res: Result<ShareGroupHeartbeatResponse, KafkaError>) {
        let now = Instant::now();
        let r = match res {
            Ok(r) if r.error_code == 0 => r,
            Ok(r) => {
                let msg = r.error_message.map(|m| m.to_string()).unwrap_or_default();
                return self.heartbeat_failed(ErrorCode(r.error_code as i32), msg);
            }
            Err(e) => return self.heartbeat_failed(e.code, String::new()),
        };
        self.hb_reported = None;
        if self.left {
            return; // the answer to leaving
        }
        self.epoch = r.member_epoch;
        if r.heartbeat_interval_ms > 0 {
            self.hb_interval_ms = r.heartbeat_interval_ms;
        }
        self.next_hb = now + Duration::from_millis(r.heartbeat_interval_ms.clamp(100, 60_000) as u64);
        if let Some(a) = r.assignment {
            self.assignment = a
                .topic_partitions
                .iter()
                .flat_map(|t| t.partitions.iter().map(move |&p| (t.topic_id, p)))
                .collect();
            self.rk.dbg(dbg::CGRP, "ASSIGN", || {
                format!("Share group assignment: {} partition(s)", self.assignment.len())
            });
            if self.assignment.iter().any(|(id, _)| !self.topics.contains_key(id)) {
                self.request_metadata();
            }
        }
    }

    /// A failed heartbeat, sorted as the KIP-848 consumer's are (`heartbeat_failure`).
    fn heartbeat_failed(&mut self, e: ErrorCode, msg: String) {
        if e == ErrorCode::_DESTROY {
            return;
        }
        let colon_msg = if msg.is_empty() { String::new() } else { format!(": {msg}") };
        self.rk
            .dbg(dbg::CGRP, "HEARTBEAT", || format!("ShareGroupHeartbeat failed: {}{}", e.name(), colon_msg));
        let backoff = self.rk.settings.retry_backoff_ms.max(100) as u64;
        self.next_hb = Instant::now() + Duration::from_millis(backoff);
        if self.left || self.fatal {
            return; // the answer to leaving, or a heartbeat sent before the fatal error
        }
        match heartbeat_failure(e) {
            HeartbeatFailure::Retry => {}
            HeartbeatFailure::Coordinator => self.coordinator = None,
            HeartbeatFailure::Fenced => {
                // Rejoin: what was assigned is not ours any more.
                self.rk.dbg(dbg::CGRP, "HEARTBEAT", || format!("{}: will rejoin the group", e.name()));
                self.epoch = 0;
                self.assignment.clear();
            }
            HeartbeatFailure::Fatal => self.fatal_error(e),
            HeartbeatFailure::Report => {
                // Once per heartbeat interval (at least 5 s) for the same error.
                let every = Duration::from_millis(self.hb_interval_ms.max(5000) as u64);
                if self.hb_reported.is_none_or(|(c, at)| c != e || at.elapsed() > every) {
                    self.hb_reported = Some((e, Instant::now()));
                    let text = format!("ShareGroupHeartbeat failed: {}{}", e.description(), colon_msg);
                    self.rk.log(3, "HEARTBEAT", &text);
                    self.shared.push_error(KafkaError::new_retriable(e, text));
                }
            }
        }
    }

    /// The client's fatal error: the share poll returns it, with no records after it;
    /// the member stops taking part in the group (its assignment is lost, closing only
    /// sends what was acknowledged and does not leave).
    fn fatal_error(&mut self, e: ErrorCode) {
        let reason = format!("ShareGroupHeartbeat fatal error: {}", e.description());
        let first = self.rk.raise_fatal(e, &reason).is_some();
        self.fatal = true;
        self.epoch = 0;
        self.assignment.clear();
        self.sessions.want_fetch = false;
        let mut o = self.shared.out();
        o.fatal = true;
        if first {
            o.errors.push_back(KafkaError::new_fatal(e, reason));
        }
        drop(o);
        self.shared.cv.notify_all();
    }

    /// A subscribed topic's metadata error: TOPIC_EXCEPTION and TOPIC_AUTHORIZATION_FAILED
    /// reach the application (once per change); passing ones (an unknown topic) are only
    /// logged.
    fn topic_error(&mut self, name: &str, e: ErrorCode) {
        if !self.subscription.iter().any(|t| t == name) {
            return;
        }
        let prev = if e == ErrorCode::NO_ERROR {
            self.topic_errs.remove(name)
        } else {
            self.topic_errs.insert(name.to_string(), e)
        };
        if e == ErrorCode::NO_ERROR || prev == Some(e) {
            return;
        }
        if matches!(e, ErrorCode::TOPIC_EXCEPTION | ErrorCode::TOPIC_AUTHORIZATION_FAILED) {
            let text = format!("Subscribed topic not available: {}: {}", name, e.description());
            self.rk.dbg(dbg::TOPIC | dbg::CGRP, "TOPICERR", || text.clone());
            self.shared.push_error(KafkaError::new_retriable(e, text));
        } else {
            self.rk
                .dbg(dbg::TOPIC | dbg::CGRP, "TOPICERR", || format!("Topic {}: {}", name, e.description()));
        }
    }

    /// Looks at the subscribed topics in the client's metadata cache: when one's error
    /// changed there, the member asks for their metadata to report the change.
    fn watch_cache(&mut self) {
        let mut changed = false;
        for name in &self.subscription {
            let err = self.cache.get(name).map_or(0, |t| t.state().err);
            let prev = self.cache_errs.insert(name.clone(), err).unwrap_or(0);
            changed |= prev != err;
        }
        if changed {
            self.request_metadata();
        }
    }

    /// The application waits for records that no broker can be asked for: logged (at
    /// most every 5 s) until one can.
    fn note_stall(&mut self) {
        if !self.sessions.want_fetch || self.fatal || self.closing.is_some() {
            return;
        }
        let reason = if self.assignment.is_empty() {
            "share_fetch_more_records set but no partitions are assigned"
        } else if self.assignment.iter().any(|(id, p)| {
            leader(&self.topics, id, *p).and_then(|l| self.brokers.by_id(l)).is_some_and(|b| b.is_up())
        }) {
            self.stall_logged = None;
            return;
        } else {
            "no eligible broker (assigned partition leaders are down, terminating, or already have a fetch in flight)"
        };
        if self.stall_logged.is_none_or(|t| t.elapsed() > Duration::from_secs(5)) {
            self.stall_logged = Some(Instant::now());
            self.rk.dbg(dbg::CONSUMER, "FETCHMORE", || format!("Fetch stalled: {reason}"));
        }
    }

    /// Asks for the subscribed topics' metadata (their ids and leaders).
    pub fn request_metadata(&mut self) {
        if self.subscription.is_empty() {
            return;
        }
        if self.metadata_asked {
            self.metadata_again = true;
            return;
        }
        self.metadata_asked = true;
        let names = self.subscription.clone();
        let tx = self.tx.clone();
        let req = Request::schema(
            ApiKey::Metadata,
            10,
            12,
            move |_| {
                let mut r = MetadataRequest::default();
                r.topics = Some(
                    names
                        .into_iter()
                        .map(|n| {
                            let mut t = MetadataRequestTopic::default();
                            t.name = Some(TopicName(StrBytes::from_string(n)));
                            t
                        })
                        .collect(),
                );
                r
            },
            move |res: Result<(i16, Bytes), KafkaError>| {
                let r = crate::protocol::decode_response::<MetadataResponse>(res);
                let _ = tx.send(Op::Reply(Reply::Metadata(r)));
            },
        );
        self.brokers.send_any_or_fail(req);
    }

    fn apply_metadata(&mut self, md: MetadataResponse) {
        for b in &md.brokers {
            if let Ok(port) = u16::try_from(b.port) {
                self.brokers.learn(b.node_id.0, &b.host, port);
            }
        }
        for t in md.topics {
            let Some(name) = t.name else { continue };
            self.topic_error(name.0.as_str(), ErrorCode(t.error_code as i32));
            if t.error_code != 0 || t.topic_id.is_nil() {
                continue;
            }
            let Ok(topic) = self.cache.topic(name.0.as_str(), None, None) else { continue };
            let mut leaders = vec![-1; t.partitions.len()];
            for p in &t.partitions {
                if let Some(l) = usize::try_from(p.partition_index).ok().and_then(|i| leaders.get_mut(i)) {
                    *l = p.leader_id.0;
                }
            }
            self.topics
                .insert(t.topic_id, TopicMeta { name: name.0.as_str().into(), rkt: topic.rkt(), leaders });
        }
    }

    /// The leader of an assigned partition, when known.
    /// Runs `f` on the sessions, lent with what they need of the member; asks for
    /// metadata when they found a leader or topic missing.
    fn with_sessions(&mut self, f: impl FnOnce(&mut Ctx<'_>)) {
        let mut c = Ctx {
            rk: &self.rk,
            brokers: &self.brokers,
            shared: &self.shared,
            tx: &self.tx,
            group_id: &self.group_id,
            member_id: &self.member_id,
            assignment: &self.assignment,
            topics: &self.topics,
            sessions: &mut self.sessions,
            want_metadata: false,
        };
        f(&mut c);
        if c.want_metadata {
            self.request_metadata();
        }
    }
}
