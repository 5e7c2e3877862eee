//! The consumer: per-partition fetch state, Fetch and ListOffsets on the leader's broker
//! thread, record batches turned into messages that point into the response buffer,
//! offset resets, partition EOF and aborted-transaction filtering.

pub mod assignor;
pub mod group;
pub mod offsets;
pub mod protocol;

use crate::broker::{BrokerHandle, Request, Worker};
use crate::client::{dbg, now_us, Client, Partition, Topic};
use crate::error::{ErrorCode, KafkaError};
use crate::event::Event;
use crate::message::{Buf, Headers, Message, STATUS_PERSISTED};
use crate::protocol::records::{AbortedTxns, DecodeOptions, RecordsReader};
use bytes::Bytes;
use kafka_protocol::messages::fetch_request::{FetchPartition, FetchTopic};
use kafka_protocol::messages::{ApiKey, BrokerId, FetchRequest, FetchResponse, TopicName};
use kafka_protocol::protocol::StrBytes;
use std::sync::atomic::Ordering;
use std::sync::Arc;

pub const OFFSET_BEGINNING: i64 = -2;
pub const OFFSET_END: i64 = -1;
pub const OFFSET_STORED: i64 = -1000;
pub const OFFSET_INVALID: i64 = -1001;
pub const OFFSET_TAIL_BASE: i64 = -2000;

/// Fetch state of one partition (librdkafka's toppar fetch state).
#[derive(Debug)]
pub struct ConsState {
    pub fetching: bool,
    pub paused: bool,
    /// Next offset to fetch; logical (< 0) until resolved with ListOffsets.
    pub next_offset: i64,
    /// Offset of the next message the application will see (rd_kafka_position).
    pub app_offset: i64,
    pub stored_offset: i64,
    pub committed_offset: i64,
    /// Bumped by start/stop/seek: fetched data of an older version is dropped.
    pub version: u64,
    pub lo: i64,
    pub hi: i64,
    pub ls: i64,
    pub eof_at: i64,
    pub backoff_until_us: i64,
    /// A ListOffsets for a logical offset is in flight.
    pub resolving: bool,
    /// Fetch stopped for good until restarted (auto.offset.reset=error, fatal errors).
    pub stopped_err: bool,
    /// The offset given when assigned (rd_kafka_assignment() reports it).
    pub assigned_offset: i64,
}

impl Default for ConsState {
    fn default() -> Self {
        ConsState {
            fetching: false,
            paused: false,
            next_offset: OFFSET_INVALID,
            app_offset: OFFSET_INVALID,
            stored_offset: OFFSET_INVALID,
            committed_offset: OFFSET_INVALID,
            version: 0,
            lo: OFFSET_INVALID,
            hi: OFFSET_INVALID,
            ls: OFFSET_INVALID,
            eof_at: OFFSET_INVALID,
            backoff_until_us: 0,
            resolving: false,
            stopped_err: false,
            assigned_offset: OFFSET_INVALID,
        }
    }
}

/// Replaces (or, when `incremental`, extends) the assignment. Partitions given with
/// OFFSET_INVALID/STORED start at their committed offset when there is a group, else
/// per auto.offset.reset.
pub fn assign(
    client: &Arc<Client>,
    parts: Vec<(String, i32, i64)>,
    incremental: bool,
) -> Result<(), ErrorCode> {
    let mut wanted = Vec::with_capacity(parts.len());
    for (t, id, off) in parts {
        let topic = client.topic(&t, None, None).map_err(|_| ErrorCode::_INVALID_ARG)?;
        let p = topic.ensure_partition(id).ok_or(ErrorCode::_INVALID_ARG)?;
        wanted.push((p, off));
    }
    let mut cur = client.assignment.lock().unwrap_or_else(|e| e.into_inner());
    let mut removed = Vec::new();
    if !incremental {
        for p in cur.iter() {
            if !wanted.iter().any(|(n, _)| Arc::ptr_eq(n, p)) {
                stop(p);
                p.fetchq.forward(None);
                removed.push(p.clone());
            }
        }
    }
    let mut from_committed = Vec::new();
    let mut next: Vec<Arc<Partition>> = if incremental { cur.clone() } else { Vec::new() };
    for (p, off) in wanted {
        let already = cur.iter().any(|o| Arc::ptr_eq(o, &p));
        // As librdkafka: a partition assigned without an offset starts from the stored one.
        p.cons().assigned_offset = if off == OFFSET_INVALID { OFFSET_STORED } else { off };
        if incremental && already {
            return Err(ErrorCode::_CONFLICT);
        }
        p.fetchq.forward(Some(client.consumer_q.clone()));
        if !already {
            // As librdkafka: a stored offset from an earlier assignment must not be
            // committed for this one (the partition may have moved on meanwhile).
            p.cons().stored_offset = OFFSET_INVALID;
        }
        if !already || off != OFFSET_INVALID {
            if (off == OFFSET_INVALID || off == OFFSET_STORED) && client.group.get().is_some() {
                from_committed.push(p.clone());
            } else {
                start(client, &p, if off == OFFSET_INVALID { OFFSET_STORED } else { off });
            }
        }
        if !next.iter().any(|n| Arc::ptr_eq(n, &p)) {
            next.push(p);
        }
    }
    *cur = next;
    drop(cur);
    if let Some(g) = client.group.get() {
        commit_removed(client, g, &removed);
        if !from_committed.is_empty() {
            g.send(group::GroupOp::FetchCommitted(from_committed));
        }
        g.send(group::GroupOp::RebalanceDone);
    }
    Ok(())
}

/// Removes partitions from the assignment (rd_kafka_incremental_unassign).
pub fn unassign_incremental(client: &Arc<Client>, parts: &[(String, i32)]) -> Result<(), ErrorCode> {
    let mut cur = client.assignment.lock().unwrap_or_else(|e| e.into_inner());
    if parts.iter().any(|(t, id)| !cur.iter().any(|p| &*p.topic_name == t.as_str() && p.id == *id)) {
        return Err(ErrorCode::_INVALID_ARG);
    }
    let mut removed = Vec::new();
    for (t, id) in parts {
        let Some(pos) = cur.iter().position(|p| &*p.topic_name == t.as_str() && p.id == *id) else {
            continue;
        };
        let p = cur.remove(pos);
        stop(&p);
        p.fetchq.forward(None);
        removed.push(p);
    }
    drop(cur);
    if let Some(g) = client.group.get() {
        commit_removed(client, g, &removed);
        g.send(group::GroupOp::RebalanceDone);
    }
    Ok(())
}

/// With enable.auto.commit, partitions leaving the assignment have their stored offsets
/// committed (as librdkafka does). They are stopped first, so nothing the application
/// can still receive is left out; the group thread sends the commit before it rejoins
/// or leaves, as the op is queued ahead of RebalanceDone.
fn commit_removed(client: &Arc<Client>, g: &group::Group, removed: &[Arc<Partition>]) {
    if removed.is_empty() || !client.conf.boolean("enable.auto.commit") {
        return;
    }
    let list = uncommitted(removed);
    if !list.is_empty() {
        g.send(group::GroupOp::Commit(Some(list), group::CommitReply::Auto));
    }
}

/// A stored offset beyond the committed one is committed by "commit the current
/// position" (librdkafka compares the two the same way).
fn to_commit(p: &Partition) -> Option<i64> {
    let c = p.cons();
    (c.stored_offset >= 0 && c.stored_offset > c.committed_offset).then_some(c.stored_offset)
}

/// The stored offsets of these partitions not committed yet.
pub fn uncommitted(parts: &[Arc<Partition>]) -> Vec<group::CommitEntry> {
    parts.iter().filter_map(|p| to_commit(p).map(|o| (p.topic_name.to_string(), p.id, o, None))).collect()
}

/// What a commit of the current position covers: every partition, with OFFSET_INVALID
/// where there is nothing to commit (reported, not sent).
pub fn commit_position(parts: &[Arc<Partition>]) -> Vec<group::CommitEntry> {
    parts
        .iter()
        .map(|p| (p.topic_name.to_string(), p.id, to_commit(p).unwrap_or(OFFSET_INVALID), None))
        .collect()
}

/// Whether any of these partitions is being fetched (the broker needs a connection).
pub fn has_work(toppars: &[Arc<Partition>]) -> bool {
    toppars.iter().any(|p| {
        let c = p.cons();
        c.fetching && !c.paused && !c.stopped_err
    })
}

/// Starts (or restarts) fetching a partition at `offset` (absolute or logical).
pub fn start(client: &Arc<Client>, p: &Arc<Partition>, offset: i64) {
    {
        let mut c = p.cons();
        c.version += 1;
        c.fetching = true;
        c.paused = false;
        c.stopped_err = false;
        c.resolving = false;
        c.backoff_until_us = 0;
        c.eof_at = OFFSET_INVALID;
        c.next_offset = offset;
        c.app_offset = if offset >= 0 { offset } else { OFFSET_INVALID };
        // Purged under the lock: a fetch response pushes under it too (see handle_partition).
        purge_fetchq(p);
    }
    client.dbg(dbg::FETCH, "FETCHSTART", || {
        format!("{} [{}]: start fetching at offset {}", p.topic_name, p.id, offset_str(offset))
    });
    wake_leader(client, p);
}

/// Stops fetching and drops what was fetched but not consumed.
pub fn stop(p: &Arc<Partition>) {
    {
        let mut c = p.cons();
        c.version += 1;
        c.fetching = false;
        c.resolving = false;
        purge_fetchq(p);
    }
}

/// Moves the fetch position (rd_kafka_seek): fetched-but-unconsumed messages are dropped.
pub fn seek(client: &Arc<Client>, p: &Arc<Partition>, offset: i64) {
    {
        let mut c = p.cons();
        c.version += 1;
        c.next_offset = offset;
        c.resolving = false;
        c.stopped_err = false;
        c.eof_at = OFFSET_INVALID;
        if offset >= 0 {
            c.app_offset = offset;
        }
        purge_fetchq(p);
    }
    wake_leader(client, p);
}

/// Pausing drops what was fetched but not consumed and rewinds the fetch position to
/// the application's, as librdkafka does: nothing more is handed out while paused, and
/// resume fetches again from where the application is.
pub fn pause(p: &Arc<Partition>, paused: bool, client: &Arc<Client>) {
    {
        let mut c = p.cons();
        if paused && !c.paused && c.app_offset >= 0 {
            c.version += 1;
            c.next_offset = c.app_offset;
            purge_fetchq(p);
        }
        c.paused = paused;
    }
    if !paused {
        wake_leader(client, p);
    }
}

fn purge_fetchq(p: &Arc<Partition>) {
    let dropped = p.fetchq.drain();
    p.fetchq_cnt.fetch_sub(dropped.len() as i64, Ordering::AcqRel);
    let bytes: usize = dropped.iter().map(|e| if let Event::Fetch(m) = e { m.size() } else { 0 }).sum();
    p.fetchq_bytes.fetch_sub(bytes as i64, Ordering::AcqRel);
}

pub fn wake_leader(client: &Arc<Client>, p: &Arc<Partition>) {
    let id = p.leader_id.load(Ordering::Acquire);
    if id >= 0 {
        if let Some(b) = client.broker_by_id(id) {
            b.wake();
        }
    } else {
        client.request_refresh();
    }
}

/// Called when the application takes a fetched message: updates the prefetch counters
/// and the position, and wakes the fetcher if it was waiting for room.
///
/// Returns false for an outdated message — fetched before a seek, stop or revoke of its
/// partition — which the caller drops instead of delivering (as librdkafka does).
pub fn on_delivered(client: &Arc<Client>, m: &Message) -> bool {
    taken(client, m, true)
}

/// A fetched message dropped without reaching the application (closing, or a plain
/// poll): the prefetch accounting moves, the position and stored offset do not — a
/// commit must never cover a message the application did not get.
pub fn on_dropped(client: &Arc<Client>, m: &Message) {
    taken(client, m, false);
}

fn taken(client: &Arc<Client>, m: &Message, delivered: bool) -> bool {
    let Some(p) = m.toppar.as_ref() else { return true };
    p.fetchq_cnt.fetch_sub(1, Ordering::AcqRel);
    p.fetchq_bytes.fetch_sub(m.size() as i64, Ordering::AcqRel);
    let current = {
        let mut c = p.cons();
        let current = c.version == m.fetch_version && c.fetching;
        if delivered && current && m.c.err == 0 && m.c.offset >= 0 {
            c.app_offset = m.c.offset + 1;
            if client.settings.enable_auto_offset_store {
                c.stored_offset = m.c.offset + 1;
            }
        }
        current
    };
    if p.fetch_blocked.swap(false, Ordering::AcqRel) {
        wake_leader(client, p);
    }
    current
}

pub fn offset_str(o: i64) -> String {
    match o {
        OFFSET_BEGINNING => "BEGINNING".into(),
        OFFSET_END => "END".into(),
        OFFSET_STORED => "STORED".into(),
        OFFSET_INVALID => "INVALID".into(),
        o if o <= OFFSET_TAIL_BASE => format!("TAIL({})", OFFSET_TAIL_BASE - o),
        o => o.to_string(),
    }
}

/// What the fetcher sends for one partition.
struct FetchPart {
    p: Arc<Partition>,
    offset: i64,
    version: u64,
}

/// Builds a Fetch request for the partitions this broker leads that want data, and
/// resolves logical offsets. One Fetch per broker is in flight at a time.
pub fn serve(w: &mut Worker) -> Option<i64> {
    if w.client.is_producer() || w.toppars.is_empty() {
        return None;
    }
    let client = w.client.clone();
    let s = &client.settings;
    let now = now_us();
    let mut next: Option<i64> = None;
    let mut parts = Vec::new();
    let mut resolve = Vec::new();
    for p in w.toppars.iter() {
        let mut c = p.cons();
        if !c.fetching || c.paused || c.stopped_err {
            continue;
        }
        if c.backoff_until_us > now {
            next = Some(next.map_or(c.backoff_until_us, |n: i64| n.min(c.backoff_until_us)));
            continue;
        }
        if c.next_offset < 0 {
            if !c.resolving {
                c.resolving = true;
                resolve.push((p.clone(), c.next_offset, c.version));
            }
            continue;
        }
        if p.fetchq_cnt.load(Ordering::Acquire) >= s.queued_min_messages as i64
            || p.fetchq_bytes.load(Ordering::Acquire) >= s.queued_max_bytes as i64
        {
            p.fetch_blocked.store(true, Ordering::Release);
            continue;
        }
        parts.push(FetchPart { p: p.clone(), offset: c.next_offset, version: c.version });
    }
    if !resolve.is_empty() {
        offsets::resolve_logical(&client, &w.h, resolve);
    }
    if parts.is_empty() || w.h.fetch_inflight.load(Ordering::Acquire) {
        return next;
    }
    w.h.fetch_inflight.store(true, Ordering::Release);
    client.dbg(dbg::FETCH, "FETCH", || {
        format!(
            "{}: Fetch {} partition(s): {}",
            w.h.name,
            parts.len(),
            parts
                .iter()
                .map(|f| format!("{} [{}] at {} (v{})", f.p.topic_name, f.p.id, f.offset, f.version))
                .collect::<Vec<_>>()
                .join(", ")
        )
    });
    let req = fetch_request(&client, &w.h, parts);
    w.enqueue(req);
    next
}

fn fetch_request(client: &Arc<Client>, broker: &Arc<BrokerHandle>, parts: Vec<FetchPart>) -> Request {
    let s = &client.settings;
    let (max_wait, min_bytes, max_bytes, part_max, iso) = (
        s.fetch_wait_max_ms,
        s.fetch_min_bytes,
        s.fetch_max_bytes,
        s.max_partition_fetch_bytes,
        s.isolation_read_committed as i8,
    );
    let mut topics: Vec<FetchTopic> = Vec::new();
    for fp in &parts {
        let name = TopicName(StrBytes::from_string(fp.p.topic_name.to_string()));
        let mut part = FetchPartition::default();
        part.partition = fp.p.id;
        part.fetch_offset = fp.offset;
        part.partition_max_bytes = part_max;
        part.current_leader_epoch = -1;
        part.log_start_offset = -1;
        match topics.last_mut() {
            Some(t) if t.topic == name => t.partitions.push(part),
            _ => {
                let mut t = FetchTopic::default();
                t.topic = name;
                t.partitions.push(part);
                topics.push(t);
            }
        }
    }
    let weak = Arc::downgrade(client);
    let b = broker.clone();
    Request::schema(
        ApiKey::Fetch,
        4,
        11,
        move |_v| {
            let mut r = FetchRequest::default();
            r.replica_id = BrokerId(-1);
            r.max_wait_ms = max_wait;
            r.min_bytes = min_bytes;
            r.max_bytes = max_bytes;
            r.isolation_level = iso;
            r.session_id = 0;
            r.session_epoch = -1;
            r.topics = topics;
            r
        },
        move |res: Result<(i16, Bytes), KafkaError>| {
            b.fetch_inflight.store(false, Ordering::Release);
            if let Some(client) = weak.upgrade() {
                handle_fetch(&client, &b, parts, res);
            }
        },
    )
    .with_timeout(Some(std::time::Duration::from_millis(
        (client.settings.socket_timeout_ms + max_wait as i64) as u64,
    )))
}

fn handle_fetch(
    client: &Arc<Client>,
    broker: &Arc<BrokerHandle>,
    parts: Vec<FetchPart>,
    res: Result<(i16, Bytes), KafkaError>,
) {
    let backoff = client.settings.fetch_error_backoff_ms * 1000;
    let resp = crate::protocol::decode_response::<FetchResponse>(res);
    let resp = match resp {
        Ok(r) => r,
        Err(e) => {
            client.dbg(dbg::FETCH, "FETCHERR", || format!("{}: Fetch failed: {}", broker.name, e.msg));
            for fp in parts {
                fp.p.cons().backoff_until_us = now_us() + backoff;
            }
            return;
        }
    };
    if resp.throttle_time_ms > 0 {
        client.main_q.push(Event::Throttle {
            broker_name: broker.name.clone(),
            broker_id: broker.id,
            throttle_ms: resp.throttle_time_ms,
        });
    }
    for fp in parts {
        let pd = resp
            .responses
            .iter()
            .filter(|t| t.topic.0.as_str() == &*fp.p.topic_name)
            .flat_map(|t| t.partitions.iter())
            .find(|d| d.partition_index == fp.p.id);
        let Some(pd) = pd else { continue };
        handle_partition(client, broker, &fp, pd);
    }
}

fn handle_partition(
    client: &Arc<Client>,
    broker: &Arc<BrokerHandle>,
    fp: &FetchPart,
    pd: &kafka_protocol::messages::fetch_response::PartitionData,
) {
    let p = &fp.p;
    let err = ErrorCode(pd.error_code as i32);
    let s = &client.settings;
    {
        let mut c = p.cons();
        if c.version != fp.version || !c.fetching {
            return; // seek/stop happened meanwhile
        }
        if pd.high_watermark >= 0 {
            c.hi = pd.high_watermark;
        }
        if pd.last_stable_offset >= 0 {
            c.ls = pd.last_stable_offset;
        }
        if pd.log_start_offset >= 0 {
            c.lo = pd.log_start_offset;
        }
    }
    match err {
        ErrorCode::NO_ERROR => {}
        ErrorCode::OFFSET_OUT_OF_RANGE => {
            offsets::reset(
                client,
                p,
                fp.offset,
                err,
                "fetch failed due to requested offset not available on the broker",
            );
            return;
        }
        ErrorCode::NOT_LEADER_FOR_PARTITION
        | ErrorCode::UNKNOWN_TOPIC_OR_PART
        | ErrorCode::LEADER_NOT_AVAILABLE
        | ErrorCode::FENCED_LEADER_EPOCH
        | ErrorCode::UNKNOWN_LEADER_EPOCH
        | ErrorCode::KAFKA_STORAGE_ERROR => {
            p.cons().backoff_until_us = now_us() + s.fetch_error_backoff_ms * 1000;
            client.request_refresh();
            return;
        }
        e => {
            p.cons().backoff_until_us = now_us() + s.fetch_error_backoff_ms * 1000;
            push_error(
                client,
                p,
                e,
                fp.offset,
                format!(
                    "Fetch from broker {} failed at offset {}: {}",
                    broker.id,
                    fp.offset,
                    e.description()
                ),
            );
            return;
        }
    }
    let Some(topic) = p.topic.upgrade() else { return };
    let records = pd.records.clone().unwrap_or_default();
    let aborted: Vec<(i64, i64)> = if s.isolation_read_committed {
        pd.aborted_transactions
            .as_ref()
            .map(|v| v.iter().map(|a| (a.producer_id.0, a.first_offset)).collect())
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let rec_len = records.len();
    let (msgs, next, err) = decode(client, &topic, p, broker.id, records, fp.offset, fp.version, &aborted);
    client.dbg(dbg::FETCH, "FETCH", || {
        format!(
            "{} [{}]: fetched {} message(s) ({} bytes) at {}, next {}, hi {}",
            p.topic_name,
            p.id,
            msgs.len(),
            rec_len,
            fp.offset,
            next,
            pd.high_watermark
        )
    });
    let mut c = p.cons();
    if c.version != fp.version || !c.fetching {
        return;
    }
    if let Some(e) = err {
        drop(c);
        p.cons().backoff_until_us = now_us() + s.fetch_error_backoff_ms * 1000;
        push_error(client, p, ErrorCode::_BAD_MSG, fp.offset, e);
        return;
    }
    c.next_offset = next;
    let n = msgs.len();
    let bytes: usize = msgs.iter().map(|m| m.size()).sum();
    // read_committed ends at the last stable offset (an open transaction is not read).
    let end = if s.isolation_read_committed && c.ls >= 0 { c.ls } else { c.hi };
    let eof = s.enable_partition_eof && next >= end && end >= 0 && c.eof_at != next;
    if eof {
        c.eof_at = next;
    }
    p.fetchq_cnt.fetch_add(n as i64, Ordering::AcqRel);
    p.fetchq_bytes.fetch_add(bytes as i64, Ordering::AcqRel);
    p.stats.rxmsgs.fetch_add(n as u64, Ordering::Relaxed);
    p.stats.rxbytes.fetch_add(bytes as u64, Ordering::Relaxed);
    // Pushed while holding the fetch state lock so a concurrent seek/stop either sees
    // these messages (and purges them) or bumps the version first (and we skip them).
    p.fetchq.push_many(msgs.into_iter().map(Event::Fetch));
    drop(c);
    if eof {
        let msg = format!(
            "Fetch from broker {} reached end of partition at offset {} (HighwaterMark {})",
            broker.id, next, next
        );
        push_error(client, p, ErrorCode::_PARTITION_EOF, next, msg);
    }
}

/// Turns a partition's record bytes into messages; returns them, the next fetch offset,
/// and a decode error if the data was corrupt.
#[allow(clippy::too_many_arguments)]
fn decode(
    client: &Arc<Client>,
    topic: &Arc<Topic>,
    p: &Arc<Partition>,
    broker_id: i32,
    records: Bytes,
    fetch_offset: i64,
    version: u64,
    aborted: &[(i64, i64)],
) -> (Vec<Box<Message>>, i64, Option<String>) {
    let mut out = Vec::new();
    let mut next = fetch_offset;
    let opts = DecodeOptions { check_crcs: client.settings.check_crcs, ..Default::default() };
    let mut reader = RecordsReader::new(records, opts);
    let mut aborted = AbortedTxns::new(aborted.to_vec());
    for batch in reader.by_ref() {
        let mut batch = match batch {
            Ok(b) => b,
            Err(e) => return (out, next, Some(format!("Corrupt message set at offset {next}: {e}"))),
        };
        if aborted.hides(&batch.info) {
            next = next.max(batch.info.last_offset + 1);
            continue;
        }
        let last_offset = batch.info.last_offset;
        for rec in batch.by_ref() {
            let rec = match rec {
                Ok(r) => r,
                Err(e) => return (out, next, Some(format!("Corrupt message at offset {next}: {e}"))),
            };
            if rec.offset < fetch_offset {
                continue; // compressed batches start before the requested offset
            }
            let mut m = Message::new(
                Some(topic.clone()),
                p.id,
                rec.value.map_or(Buf::None, Buf::Shared),
                rec.key.map_or(Buf::None, Buf::Shared),
            );
            m.c.offset = rec.offset;
            m.timestamp = rec.timestamp;
            m.tstype = rec.timestamp_type as i32;
            m.status = STATUS_PERSISTED;
            m.broker_id = broker_id;
            m.leader_epoch = rec.leader_epoch;
            if !rec.headers.is_empty() {
                let mut h = Headers::with_capacity(rec.headers.len());
                for (k, v) in &rec.headers {
                    h.add(&String::from_utf8_lossy(k), v.as_deref());
                }
                m.headers = Some(Box::new(h));
            }
            m.toppar = Some(p.clone());
            m.fetch_version = version;
            next = rec.offset + 1;
            out.push(m);
        }
        next = next.max(last_offset + 1);
    }
    (out, next, None)
}

/// Queues a consumer error for the application (returned by consume/consumer_poll as a
/// message with `err` set).
pub fn push_error(client: &Arc<Client>, p: &Arc<Partition>, err: ErrorCode, offset: i64, msg: String) {
    let topic = p.topic.upgrade();
    let mut m = Message::new(topic, p.id, Buf::Owned(msg.clone().into_bytes().into_boxed_slice()), Buf::None);
    m.c.err = err.0;
    m.c.offset = offset;
    m.errstr = std::ffi::CString::new(msg.clone()).ok();
    m.toppar = Some(p.clone());
    m.fetch_version = p.cons().version;
    client.dbg(dbg::FETCH, "CONSUMERERR", || format!("{} [{}]: {}", p.topic_name, p.id, msg));
    p.fetchq_cnt.fetch_add(1, Ordering::AcqRel);
    p.fetchq_bytes.fetch_add(m.size() as i64, Ordering::AcqRel);
    p.fetchq.push(Event::Fetch(m));
}
