//! The fetcher: the consumer as a broker work source. For the partitions a broker
//! leads that are being fetched, it resolves logical start offsets and sends one Fetch
//! at a time; the answer's record batches become messages that point into the response
//! buffer, queued on each partition's fetch queue with EOF, errors and
//! aborted-transaction filtering (read_committed).

use super::offsets;
use super::position::push_error;
use super::Consumer;
use crate::broker::{BrokerHandle, BrokerIo, Request, Source};
use crate::clock::now_us;
use crate::error::{ErrorCode, KafkaError};
use crate::event::Event;
use crate::instance::dbg;
use crate::message::Message;
use crate::metadata::Partition;
use crate::protocol::records::{AbortedTxns, DecodeOptions, RecordsReader};
use bytes::Bytes;
use kafka_protocol::messages::fetch_request::{FetchPartition, FetchTopic};
use kafka_protocol::messages::{ApiKey, BrokerId, FetchRequest, FetchResponse, TopicName};
use kafka_protocol::protocol::StrBytes;
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// The consumer, registered with the brokers as their work source.
pub struct FetchSource(pub Arc<Consumer>);

impl Source for FetchSource {
    fn has_work(&self, toppars: &[Arc<Partition>]) -> bool {
        has_work(toppars)
    }

    fn scan(&self, _toppars: &[Arc<Partition>], _now_us: i64) {}

    fn serve(&self, io: &mut BrokerIo<'_>) -> Option<i64> {
        serve(&self.0, io)
    }
}

/// What the fetcher sends for one partition.
struct FetchPart {
    p: Arc<Partition>,
    offset: i64,
    version: u64,
}

/// Whether any of these partitions is being fetched (the broker needs a connection).
fn has_work(toppars: &[Arc<Partition>]) -> bool {
    toppars.iter().any(|p| {
        let c = p.cons();
        c.fetching && !c.paused && !c.lib_paused && !c.stopped_err
    })
}

/// Builds a Fetch request for the partitions this broker leads that want data, and
/// resolves logical offsets. One Fetch per broker is in flight at a time.
fn serve(cons: &Arc<Consumer>, io: &mut BrokerIo<'_>) -> Option<i64> {
    if io.toppars.is_empty() {
        return None;
    }
    let s = &cons.rk.settings;
    let now = now_us();
    let mut next: Option<i64> = None;
    let mut parts = Vec::new();
    let mut resolve = Vec::new();
    let mut resolving = false;
    for p in io.toppars.iter() {
        let mut c = p.cons();
        if !c.fetching || c.paused || c.lib_paused || c.stopped_err {
            continue;
        }
        if c.backoff_until_us > now {
            next = Some(next.map_or(c.backoff_until_us, |n: i64| n.min(c.backoff_until_us)));
            continue;
        }
        if c.next_offset < 0 {
            resolving = true;
            if !c.resolving {
                c.resolving = true;
                resolve.push((p.clone(), c.next_offset, c.version));
            }
            continue;
        }
        // As librdkafka: the limits bound the queue the messages end up on.
        let (max_cnt, max_bytes) = (s.queued_min_messages as i64, s.queued_max_bytes as i64);
        if p.fetchq.prefetch().hold(max_cnt, max_bytes, || io.broker.waker()) {
            continue;
        }
        parts.push(FetchPart { p: p.clone(), offset: c.next_offset, version: c.version });
    }
    if !resolve.is_empty() {
        offsets::resolve_logical(cons, io.broker, resolve);
    }
    if parts.is_empty() || !cons.fetch_begin(Arc::as_ptr(io.broker) as usize) {
        return next;
    }
    cons.rk.dbg(dbg::FETCH, "FETCH", || {
        format!(
            "{}: Fetch {} partition(s): {}",
            io.broker.name,
            parts.len(),
            parts
                .iter()
                .map(|f| format!("{} [{}] at {} (v{})", f.p.topic_name, f.p.id, f.offset, f.version))
                .collect::<Vec<_>>()
                .join(", ")
        )
    });
    // A partition still resolving its start offset answers on this connection after
    // this Fetch: one that waited fetch.wait.max.ms at the end of the other partitions'
    // logs would hold it back that long, so it asks for an immediate answer.
    let req = fetch_request(cons, io.broker, parts, resolving);
    io.send(req);
    next
}

fn fetch_request(
    cons: &Arc<Consumer>,
    broker: &Arc<BrokerHandle>,
    parts: Vec<FetchPart>,
    now: bool,
) -> Request {
    let s = &cons.rk.settings;
    let (max_wait, min_bytes, max_bytes, part_max, iso) = (
        if now { 0 } else { s.fetch_wait_max_ms },
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
    let weak = Arc::downgrade(cons);
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
            if let Some(cons) = weak.upgrade() {
                cons.fetch_end(Arc::as_ptr(&b) as usize);
                handle_fetch(&cons, &b, parts, res);
            }
        },
    )
    .with_timeout(Some(std::time::Duration::from_millis(
        (cons.rk.settings.socket_timeout_ms + max_wait as i64) as u64,
    )))
}

fn handle_fetch(
    cons: &Arc<Consumer>,
    broker: &Arc<BrokerHandle>,
    parts: Vec<FetchPart>,
    res: Result<(i16, Bytes), KafkaError>,
) {
    let backoff = cons.rk.settings.fetch_error_backoff_ms * 1000;
    let resp = crate::protocol::decode_response::<FetchResponse>(res);
    let resp = match resp {
        Ok(r) => r,
        Err(e) => {
            cons.rk.dbg(dbg::FETCH, "FETCHERR", || format!("{}: Fetch failed: {}", broker.name, e.msg));
            for fp in parts {
                fp.p.cons().backoff_until_us = now_us() + backoff;
            }
            return;
        }
    };
    if resp.throttle_time_ms > 0 {
        cons.rk.main_q.push(Event::Throttle {
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
        handle_partition(cons, broker, &fp, pd);
    }
}

fn handle_partition(
    cons: &Arc<Consumer>,
    broker: &Arc<BrokerHandle>,
    fp: &FetchPart,
    pd: &kafka_protocol::messages::fetch_response::PartitionData,
) {
    let p = &fp.p;
    let err = ErrorCode(pd.error_code as i32);
    let s = &cons.rk.settings;
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
                cons,
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
            cons.rk.request_refresh();
            return;
        }
        e => {
            p.cons().backoff_until_us = now_us() + s.fetch_error_backoff_ms * 1000;
            push_error(
                &cons.rk,
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
    let (msgs, next, err) = decode(cons, p, broker.id, records, fp.offset, fp.version, &aborted);
    cons.rk.dbg(dbg::FETCH, "FETCH", || {
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
        push_error(&cons.rk, p, ErrorCode::_BAD_MSG, fp.offset, e);
        return;
    }
    c.next_offset = next;
    let n = msgs.len();
    let bytes: usize = msgs.iter().map(|m| m.size()).sum();
    // read_committed ends at the last stable offset (an open transaction is not read).
    // As librdkafka, the end is reported by the answer to a fetch at the end offset
    // (not with the last messages), once per end offset and start/seek.
    let end = if s.isolation_read_committed && c.ls >= 0 { c.ls } else { c.hi };
    let at_end = fp.offset == end && end >= 0 && c.eof_at != end;
    if at_end {
        c.eof_at = end;
    }
    let eof = at_end && s.enable_partition_eof;
    p.cursor.queued(&mut c, &p.fetchq.prefetch(), n as i64, bytes as i64);
    p.stats.rxmsgs.fetch_add(n as u64, Ordering::Relaxed);
    p.stats.rxbytes.fetch_add(bytes as u64, Ordering::Relaxed);
    // Pushed while holding the fetch state lock so a concurrent seek/stop either sees
    // these messages (and purges them) or bumps the version first (and we skip them).
    p.fetchq.push_many(msgs.into_iter().map(Event::Fetch));
    drop(c);
    if eof {
        let msg = format!(
            "Fetch from broker {} reached end of partition at offset {} (HighwaterMark {})",
            broker.id, end, pd.high_watermark
        );
        push_error(&cons.rk, p, ErrorCode::_PARTITION_EOF, end, msg);
    }
}

/// Turns a partition's record bytes into messages; returns them, the next fetch offset,
/// and a decode error if the data was corrupt.
#[allow(clippy::too_many_arguments)]
fn decode(
    cons: &Consumer,
    p: &Arc<Partition>,
    broker_id: i32,
    records: Bytes,
    fetch_offset: i64,
    version: u64,
    aborted: &[(i64, i64)],
) -> (Vec<Box<Message>>, i64, Option<String>) {
    let mut out = Vec::new();
    let mut next = fetch_offset;
    let opts = DecodeOptions { check_crcs: cons.rk.settings.check_crcs, ..Default::default() };
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
            next = rec.offset + 1;
            let mut m = Message::fetched(p.rkt, p.id, broker_id, rec);
            m.cursor = Some(p.cursor.clone());
            m.fetch_version = version;
            out.push(m);
        }
        next = next.max(last_offset + 1);
    }
    (out, next, None)
}
