//! The member's share sessions, one per partition leader: the partitions in the session,
//! its epoch (0 opens it, each answer moves it on, -1 closes it), and the
//! acknowledgements waiting for it. ShareFetch asks for records and carries
//! acknowledgements; ShareAcknowledge carries them alone, and closes the session. The
//! member (member.rs) owns the sessions and lends them here with what they need of it
//! (`Ctx`), so this file does not import the member.

use super::acks::{AckBatch, Tp};
use super::shared::{app_err, Answer, CommitResults, Fetched};
use super::shared::{Op, Reply, Shared};
use crate::broker::{Brokers, Request};
use crate::error::ErrorCode;
use crate::instance::{dbg, Instance};
use kafka_protocol::messages::share_acknowledge_request::{self as sareq, AcknowledgeTopic};
use kafka_protocol::messages::share_fetch_request::{self as sfreq, FetchTopic, ForgottenTopic};
use kafka_protocol::messages::{ApiKey, GroupId};
use kafka_protocol::messages::{
    ShareAcknowledgeRequest, ShareAcknowledgeResponse, ShareFetchRequest, ShareFetchResponse,
};
use kafka_protocol::protocol::StrBytes;
use std::collections::HashMap;
use std::collections::HashSet;
use std::sync::mpsc::Sender;
use std::sync::Arc;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use uuid::Uuid;

/// A topic the assignment names.
pub(crate) struct TopicMeta {
    pub name: Arc<str>,
    /// The topic handle messages point to (rd_kafka_message_t.rkt).
    pub rkt: usize,
    pub leaders: Vec<i32>,
}

/// What the sessions use of the member, lent for one call.
pub(crate) struct Ctx<'a> {
    pub rk: &'a Arc<Instance>,
    pub brokers: &'a Arc<Brokers>,
    pub shared: &'a Arc<Shared>,
    pub tx: &'a Sender<Op>,
    pub group_id: &'a str,
    pub member_id: &'a str,
    /// Assigned partitions, by topic id.
    pub assignment: &'a [(Uuid, i32)],
    pub topics: &'a HashMap<Uuid, TopicMeta>,
    pub sessions: &'a mut Sessions,
    /// Set when a leader or topic was missing: the member then asks for metadata.
    pub want_metadata: bool,
}

/// The leader of a partition of an assigned topic, when known.
pub(crate) fn leader(topics: &HashMap<Uuid, TopicMeta>, id: &Uuid, partition: i32) -> Option<i32> {
    let l = *topics.get(id)?.leaders.get(usize::try_from(partition).ok()?)?;
    (l >= 0).then_some(l)
}

/// A synchronous commit waiting for its partitions' outcomes.
pub(crate) struct Sync {
    tx: Sender<CommitResults>,
    left: usize,
    results: CommitResults,
}

impl Sync {
    pub fn new(tx: Sender<CommitResults>, n: usize) -> Arc<Mutex<Sync>> {
        Arc::new(Mutex::new(Sync { tx, left: n, results: Vec::new() }))
    }
}

struct Pending {
    batch: AckBatch,
    sync: Option<Arc<Mutex<Sync>>>,
}

#[derive(Default)]
struct Session {
    epoch: i32,
    parts: HashSet<(Uuid, i32)>,
    busy: bool,
    closed: bool,
    acks: Vec<Pending>,
    inflight: Vec<Pending>,
    added: Vec<(Uuid, i32)>,
    forgot: Vec<(Uuid, i32)>,
}

#[derive(Default)]
pub(crate) struct Sessions {
    by_broker: HashMap<i32, Session>,
    /// The application waits for records.
    pub want_fetch: bool,
    /// No ShareFetch before this (after an empty or failed one).
    pub retry_at: Option<Instant>,
}

/// Reports one partition's acknowledgement outcome.
fn finish(p: Pending, err: ErrorCode, shared: &Shared) {
    shared.result(&p.batch, err);
    if let Some(s) = p.sync {
        let mut s = s.lock().unwrap_or_else(|e| e.into_inner());
        s.results.push((p.batch.tp.clone(), app_err(err)));
        s.left = s.left.saturating_sub(1);
        if s.left == 0 {
            let r = std::mem::take(&mut s.results);
            let _ = s.tx.send(r);
        }
    }
}

impl Sessions {
    /// Acknowledgements go to the broker their records came from.
    pub fn queue(&mut self, acks: Vec<AckBatch>, sync: Option<Arc<Mutex<Sync>>>) {
        for batch in acks {
            let s = self.by_broker.entry(batch.tp.leader).or_default();
            s.acks.push(Pending { batch, sync: sync.clone() });
        }
    }

    /// The application waits for records, having taken `seen` batches. A batch pushed
    /// since holds records lent and not yet acknowledged: a ShareFetch now would have
    /// their leader lend more, and librdkafka's mock lends the same ones again (first
    /// deliveries twice). The application asks again once it has taken that batch.
    pub fn ask(&mut self, seen: u64, shared: &Shared) {
        if shared.out().pushed == seen {
            self.want_fetch = true;
        }
    }

    /// Nothing in flight.
    pub fn idle(&self) -> bool {
        self.by_broker.values().all(|s| !s.busy)
    }

    /// The thread ends: whatever waits is told so.
    pub fn fail_all(&mut self, shared: &Shared, err: ErrorCode) {
        for s in self.by_broker.values_mut() {
            for p in s.acks.drain(..).chain(s.inflight.drain(..)) {
                finish(p, err, shared);
            }
        }
    }
}

/// Sends what each leader's session needs: a ShareFetch where the application wants
/// records (with the acknowledgements for that broker), a ShareAcknowledge where only
/// acknowledgements wait.
pub(super) fn dispatch(m: &mut Ctx<'_>) {
    let now = Instant::now();
    let fetch_ok = m.sessions.want_fetch && m.sessions.retry_at.is_none_or(|r| now >= r);
    let mut leads: HashMap<i32, Vec<(Uuid, i32)>> = HashMap::new();
    let mut unknown = false;
    for (id, p) in m.assignment.iter() {
        match leader(m.topics, id, *p) {
            Some(l) => leads.entry(l).or_default().push((*id, *p)),
            None => unknown = true,
        }
    }
    if unknown {
        m.want_metadata = true;
    }
    let mut ids: Vec<i32> = leads.keys().copied().collect();
    for (b, s) in &m.sessions.by_broker {
        if !ids.contains(b) && (!s.acks.is_empty() || !s.parts.is_empty()) {
            ids.push(*b);
        }
    }
    for b in ids {
        let s = m.sessions.by_broker.entry(b).or_default();
        if s.busy {
            continue;
        }
        let want: Vec<(Uuid, i32)> = leads.get(&b).cloned().unwrap_or_default();
        if fetch_ok && !want.is_empty() {
            send_fetch(m, b, want);
        } else if !m.sessions.by_broker[&b].acks.is_empty() {
            send_acks(m, b, false);
        }
    }
}

/// Closing: every session not busy is closed (epoch -1) with the acknowledgements
/// waiting for it; the broker releases what the member still holds there.
pub(super) fn close_sessions(m: &mut Ctx<'_>) {
    let ids: Vec<i32> = m.sessions.by_broker.keys().copied().collect();
    for b in ids {
        let s = &m.sessions.by_broker[&b];
        if s.busy || s.closed {
            continue;
        }
        send_acks(m, b, true);
    }
}

fn fail_local(m: &mut Ctx<'_>, b: i32, err: ErrorCode) {
    let acks = m.sessions.by_broker.get_mut(&b).map(|s| std::mem::take(&mut s.acks)).unwrap_or_default();
    for p in acks {
        finish(p, err, m.shared);
    }
}

fn send_fetch(m: &mut Ctx<'_>, b: i32, want: Vec<(Uuid, i32)>) {
    let Some(broker) = m.brokers.by_id(b) else {
        m.want_metadata = true;
        return;
    };
    if m.sessions.by_broker[&b].epoch == 0 {
        // No session yet: the broker has nothing to acknowledge against.
        fail_local(m, b, ErrorCode::INVALID_SHARE_SESSION_EPOCH);
    }
    let s = m.sessions.by_broker.get_mut(&b).expect("session");
    let add: Vec<(Uuid, i32)> = want.iter().filter(|tp| !s.parts.contains(tp)).copied().collect();
    let forget: Vec<(Uuid, i32)> = s.parts.iter().filter(|tp| !want.contains(tp)).copied().collect();
    let mut topics: Vec<FetchTopic> = Vec::new();
    let part = |topics: &mut Vec<FetchTopic>, id: Uuid, p: i32| -> usize {
        let ti = match topics.iter().position(|t| t.topic_id == id) {
            Some(i) => i,
            None => {
                let mut t = FetchTopic::default();
                t.topic_id = id;
                topics.push(t);
                topics.len() - 1
            }
        };
        let t = &mut topics[ti];
        if !t.partitions.iter().any(|x| x.partition_index == p) {
            let mut fp = sfreq::FetchPartition::default();
            fp.partition_index = p;
            t.partitions.push(fp);
        }
        ti
    };
    for &(id, p) in &add {
        part(&mut topics, id, p);
    }
    for pa in &s.acks {
        let ti = part(&mut topics, pa.batch.tp.topic_id, pa.batch.tp.partition);
        let fp = topics[ti].partitions.iter_mut().find(|x| x.partition_index == pa.batch.tp.partition);
        if let Some(fp) = fp {
            for &(a, z, t) in &pa.batch.runs {
                let mut ab = sfreq::AcknowledgementBatch::default();
                ab.first_offset = a;
                ab.last_offset = z;
                ab.acknowledge_types = vec![t];
                fp.acknowledgement_batches.push(ab);
            }
        }
    }
    let mut forgotten: Vec<ForgottenTopic> = Vec::new();
    for &(id, p) in &forget {
        match forgotten.iter_mut().find(|t| t.topic_id == id) {
            Some(t) => t.partitions.push(p),
            None => {
                let mut t = ForgottenTopic::default();
                t.topic_id = id;
                t.partitions.push(p);
                forgotten.push(t);
            }
        }
    }
    let st = &m.rk.settings;
    let max_records = m.rk.conf.int("max.poll.records").clamp(1, i32::MAX as i64) as i32;
    let (wait, minb, maxb) = (st.fetch_wait_max_ms, st.fetch_min_bytes, st.fetch_max_bytes);
    let (gid, mid, epoch) = (m.group_id.to_string(), m.member_id.to_string(), s.epoch);
    s.busy = true;
    s.inflight = std::mem::take(&mut s.acks);
    s.added = add;
    s.forgot = forget;
    m.rk.dbg(dbg::FETCH, "SHAREFETCH", || {
        format!("{}: ShareFetch (epoch {}) for {} topic(s)", broker.name, epoch, topics.len())
    });
    let tx = m.tx.clone();
    let req = Request::schema(
        ApiKey::ShareFetch,
        1,
        1,
        move |_| {
            let mut r = ShareFetchRequest::default();
            r.group_id = Some(GroupId(StrBytes::from_string(gid)));
            r.member_id = Some(StrBytes::from_string(mid));
            r.share_session_epoch = epoch;
            r.max_wait_ms = wait;
            r.min_bytes = minb;
            r.max_bytes = maxb;
            r.max_records = max_records;
            r.batch_size = max_records;
            r.topics = topics;
            r.forgotten_topics_data = forgotten;
            r
        },
        move |res| {
            let _ = tx.send(Op::Reply(Reply::Session(Answer { broker: b, fetch: true, res })));
        },
    )
    .with_timeout(Some(Duration::from_millis((st.socket_timeout_ms + wait as i64) as u64)));
    broker.send(req);
}

/// A ShareAcknowledge with the session's waiting acknowledgements; `leave` closes the
/// session (epoch -1).
fn send_acks(m: &mut Ctx<'_>, b: i32, leave: bool) {
    let s = m.sessions.by_broker.get_mut(&b).expect("session");
    if s.epoch <= 0 {
        // No session: nothing to close, nothing to acknowledge against.
        s.closed = leave;
        let err =
            if leave { ErrorCode::SHARE_SESSION_NOT_FOUND } else { ErrorCode::INVALID_SHARE_SESSION_EPOCH };
        return fail_local(m, b, err);
    }
    let Some(broker) = m.brokers.by_id(b) else {
        s.closed = leave;
        return fail_local(m, b, ErrorCode::_TRANSPORT);
    };
    let mut topics: Vec<AcknowledgeTopic> = Vec::new();
    for pa in &s.acks {
        let tp = &pa.batch.tp;
        let ti = match topics.iter().position(|t| t.topic_id == tp.topic_id) {
            Some(i) => i,
            None => {
                let mut t = AcknowledgeTopic::default();
                t.topic_id = tp.topic_id;
                topics.push(t);
                topics.len() - 1
            }
        };
        let mut ap = sareq::AcknowledgePartition::default();
        ap.partition_index = tp.partition;
        for &(a, z, t) in &pa.batch.runs {
            let mut ab = sareq::AcknowledgementBatch::default();
            ab.first_offset = a;
            ab.last_offset = z;
            ab.acknowledge_types = vec![t];
            ap.acknowledgement_batches.push(ab);
        }
        topics[ti].partitions.push(ap);
    }
    let epoch = if leave { -1 } else { s.epoch };
    if leave {
        s.epoch = -1;
        s.closed = true;
    }
    s.busy = true;
    s.inflight = std::mem::take(&mut s.acks);
    let (gid, mid) = (m.group_id.to_string(), m.member_id.to_string());
    let tx = m.tx.clone();
    let req = Request::schema(
        ApiKey::ShareAcknowledge,
        1,
        1,
        move |_| {
            let mut r = ShareAcknowledgeRequest::default();
            r.group_id = Some(GroupId(StrBytes::from_string(gid)));
            r.member_id = Some(StrBytes::from_string(mid));
            r.share_session_epoch = epoch;
            r.topics = topics;
            r
        },
        move |res| {
            let _ = tx.send(Op::Reply(Reply::Session(Answer { broker: b, fetch: false, res })));
        },
    )
    .with_timeout(Some(Duration::from_millis(m.rk.settings.socket_timeout_ms as u64)));
    broker.send(req);
}

/// Errors after which the session is gone and must be opened again (epoch 0).
fn resets_session(e: ErrorCode) -> bool {
    matches!(
        e,
        ErrorCode::SHARE_SESSION_NOT_FOUND
            | ErrorCode::INVALID_SHARE_SESSION_EPOCH
            | ErrorCode::SHARE_SESSION_LIMIT_REACHED
            | ErrorCode::_TRANSPORT
            | ErrorCode::_TIMED_OUT
    )
}

pub(super) fn answer(m: &mut Ctx<'_>, a: Answer) {
    let Some(s) = m.sessions.by_broker.get_mut(&a.broker) else { return };
    s.busy = false;
    let mut inflight = std::mem::take(&mut s.inflight);
    let (added, forgot) = (std::mem::take(&mut s.added), std::mem::take(&mut s.forgot));
    let shared = m.shared.clone();
    // (topic id, partition, ack error) per answered partition, and the fetched data.
    let mut answered: Vec<(Uuid, i32, ErrorCode)> = Vec::new();
    let mut fetched = Fetched { msgs: Vec::new(), acks: Vec::new() };
    let top = if a.fetch {
        match crate::protocol::decode_response::<ShareFetchResponse>(a.res) {
            Ok(r) if r.error_code != 0 => Err(ErrorCode(r.error_code as i32)),
            Ok(r) => {
                fetch_partitions(m, a.broker, r, &mut answered, &mut fetched);
                Ok(())
            }
            Err(e) => Err(e.code),
        }
    } else {
        match crate::protocol::decode_response::<ShareAcknowledgeResponse>(a.res) {
            Ok(r) if r.error_code != 0 => Err(ErrorCode(r.error_code as i32)),
            Ok(r) => {
                for t in &r.responses {
                    for p in &t.partitions {
                        answered.push((t.topic_id, p.partition_index, ErrorCode(p.error_code as i32)));
                    }
                }
                Ok(())
            }
            Err(e) => Err(e.code),
        }
    };
    let s = m.sessions.by_broker.get_mut(&a.broker).expect("session");
    match top {
        Ok(()) => {
            if s.epoch >= 0 {
                s.epoch = if s.epoch == i32::MAX { 1 } else { s.epoch + 1 };
            }
            s.parts.extend(added);
            s.parts.retain(|tp| !forgot.contains(tp));
            for p in inflight.drain(..) {
                let err = answered
                    .iter()
                    .find(|(id, part, _)| *id == p.batch.tp.topic_id && *part == p.batch.tp.partition)
                    .map_or(ErrorCode::INVALID_RECORD_STATE, |x| x.2);
                finish(p, err, &shared);
            }
        }
        Err(e) => {
            m.rk.dbg(dbg::FETCH, "SHAREFETCH", || format!("Share session request failed: {}", e.name()));
            if resets_session(e) && s.epoch != -1 {
                s.epoch = 0;
                s.parts.clear();
            }
            for p in inflight.drain(..) {
                finish(p, e, &shared);
            }
            if a.fetch {
                m.sessions.retry_at = Some(Instant::now() + Duration::from_millis(200));
            }
            return;
        }
    }
    if !a.fetch {
        return;
    }
    if fetched.msgs.is_empty() {
        // Nothing lent: the broker waited fetch.wait.max.ms; a little more before asking again.
        m.sessions.retry_at = Some(Instant::now() + Duration::from_millis(10));
    } else {
        m.sessions.want_fetch = false;
        m.sessions.retry_at = None;
    }
    if !fetched.msgs.is_empty() || !fetched.acks.is_empty() {
        shared.push(fetched);
    }
}

fn fetch_partitions(
    m: &mut Ctx<'_>,
    broker: i32,
    r: ShareFetchResponse,
    answered: &mut Vec<(Uuid, i32, ErrorCode)>,
    out: &mut Fetched,
) {
    let check_crcs = m.rk.settings.check_crcs;
    for t in r.responses {
        let meta = m.topics.get(&t.topic_id).map(|x| (x.name.clone(), x.rkt));
        for p in t.partitions {
            answered.push((t.topic_id, p.partition_index, ErrorCode(p.acknowledge_error_code as i32)));
            let Some((name, rkt)) = meta.clone() else { continue };
            let err = ErrorCode(p.error_code as i32);
            if err != ErrorCode::NO_ERROR {
                m.rk.dbg(dbg::FETCH, "SHAREFETCH", || {
                    format!("{} [{}]: ShareFetch failed: {}", name, p.partition_index, err.name())
                });
                if matches!(err, ErrorCode::NOT_LEADER_FOR_PARTITION | ErrorCode::FENCED_LEADER_EPOCH) {
                    m.want_metadata = true;
                }
                continue;
            }
            if p.acquired_records.is_empty() {
                continue;
            }
            let lent: Vec<(i64, i64, i16)> = p
                .acquired_records
                .iter()
                .map(|a| (a.first_offset, a.last_offset, a.delivery_count))
                .collect();
            let tp = Tp { topic: name, topic_id: t.topic_id, partition: p.partition_index, leader: broker };
            let (msgs, acks, err) =
                super::records::decode(rkt, tp, p.records.unwrap_or_default(), &lent, check_crcs);
            if let Some(e) = err {
                m.rk.log(3, "SHAREFETCH", &e);
            }
            out.msgs.extend(msgs);
            out.acks.push(acks);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::share::shared::Output;
    use std::sync::Condvar;

    #[test]
    fn no_fetch_while_a_batch_waits_for_the_application() {
        let shared = Shared { out: Mutex::new(Output::default()), cv: Condvar::new() };
        let mut s = Sessions::default();
        // The application finds nothing to take and asks for records; before its ask
        // is handled, an answer still in flight lends some.
        let seen = shared.out().pushed;
        shared.push(Fetched { msgs: Vec::new(), acks: Vec::new() });
        s.ask(seen, &shared);
        assert!(!s.want_fetch);
        // It takes that batch, acknowledges it and asks again.
        let seen = shared.out().pushed;
        s.ask(seen, &shared);
        assert!(s.want_fetch);
    }
}
