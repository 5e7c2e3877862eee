//! The producer as a broker work source, on each broker thread: Produce requests for
//! the partitions the broker leads whose batch is ready (full, lingered long enough,
//! or flushing), each batch encoded in place into the connection's output buffer;
//! and message timeouts of the messages still queued.

use super::ack::{count_tx, seq_after, ProduceCtx};
use super::deliver::deliver;
use super::eos::fail_partition_msgs;
use super::txn::state::PART_IN;
use super::Producer;
use crate::broker::{BrokerIo, Source};
use crate::clock::now_us;
use crate::error::ErrorCode;
use crate::instance::dbg;
use crate::message::{Message, STATUS_POSSIBLY_PERSISTED};
use crate::metadata::{PartQueue, Partition};
use crate::protocol::compression::Codec;
use crate::protocol::outbuf::OutBuf;
use crate::protocol::produce::{ProduceWriter, MAX_VERSION, MIN_VERSION};
use crate::protocol::records::RecordBatchWriter;
use kafka_protocol::messages::ApiKey;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

/// Most a record adds to its key and value (length, offset and timestamp varints),
/// and a batch to its records (header, topic and partition entry): for reserving.
const RECORD_OVERHEAD: usize = 24;
const BATCH_OVERHEAD: usize = 128;

thread_local! {
    /// Compression scratch space, one per broker thread.
    static SCRATCH: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The producer, registered with the brokers as their work source.
pub struct ProduceSource(pub Arc<Producer>);

impl Source for ProduceSource {
    fn has_work(&self, toppars: &[Arc<Partition>]) -> bool {
        toppars.iter().any(|p| !p.lock().msgs.is_empty())
    }

    fn scan(&self, toppars: &[Arc<Partition>], now: i64) {
        scan_timeouts(&self.0, toppars, now);
    }

    fn serve(&self, io: &mut BrokerIo<'_>) -> Option<i64> {
        serve(&self.0, io)
    }
}

/// Builds a Produce request for the ready partitions. Returns when to look again (µs).
fn serve(prod: &Arc<Producer>, io: &mut BrokerIo<'_>) -> Option<i64> {
    if io.toppars.is_empty() {
        return None;
    }
    let now = now_us();
    let s = &prod.rk.settings;
    if io.batches_inflight() >= s.max_in_flight {
        return None;
    }
    let ver = io.api.pick(ApiKey::Produce, MIN_VERSION, MAX_VERSION)?;
    // Idempotent producer: nothing is sent without a producer id (the main thread gets
    // one and wakes the brokers), nor while it drains for an epoch bump.
    let pid = match &prod.idem {
        Some(idem) => Some(idem.current()?),
        None => None,
    };
    let flushing = prod.flushing.load(Ordering::Acquire) > 0;
    let my_id = io.broker.id;
    let mut next: Option<i64> = None;
    let mut ready: Vec<(Arc<Partition>, Vec<Box<Message>>)> = Vec::new();
    let mut acks: Option<i16> = None;
    let mut req_bytes = 0usize;
    let instant_now = Instant::now();
    for p in io.toppars.iter() {
        let mut q = p.lock();
        if q.msgs.is_empty() {
            continue;
        }
        // The list is refreshed lazily: a partition that moved away is skipped.
        if my_id < 0 || q.leader.is_none() || p.leader_id.load(Ordering::Acquire) != my_id {
            continue;
        }
        if let Some(t) = &prod.txn {
            // A transaction's partition is sent to only once the coordinator knows it.
            if p.txn.load(Ordering::Acquire) != PART_IN {
                drop(q);
                t.partition_ready(&prod.rk, p);
                continue;
            }
        }
        if let Some(b) = q.backoff_until {
            if b > instant_now {
                let at = now + (b - instant_now).as_micros() as i64;
                next = Some(next.map_or(at, |n| n.min(at)));
                continue;
            }
            q.backoff_until = None;
        }
        let head = q.msgs.front().map_or(now, |m| m.enq_us);
        let full = q.msgs.len() >= s.batch_num_messages || q.bytes >= s.batch_size;
        if !(flushing || full || head + s.linger_us <= now) {
            let at = head + s.linger_us;
            next = Some(next.map_or(at, |n| n.min(at)));
            continue;
        }
        let t_acks = p.settings.acks;
        if acks.is_some_and(|a| a != t_acks) || req_bytes >= s.message_max_bytes.max(s.batch_size) * 4 {
            next = Some(now);
            continue;
        }
        if let Some(pe) = pid {
            // One partition's sequences belong to one producer id/epoch: after a bump,
            // wait for its requests to be answered, then number from 0 again.
            if q.seq_owner != Some(pe) {
                if q.inflight > 0 {
                    continue;
                }
                renumber(&mut q, pe);
            }
            if q.inflight >= s.max_in_flight {
                continue;
            }
        }
        acks = Some(t_acks);
        let (batch, size) = take_batch(&mut q, pid.is_some(), s.batch_num_messages, s.batch_size);
        if pid.is_some() {
            q.inflight += 1;
        }
        q.bytes -= size;
        if !q.msgs.is_empty() {
            next = Some(now);
        }
        drop(q);
        req_bytes += size;
        ready.push((p.clone(), batch));
    }
    if ready.is_empty() {
        return next;
    }
    let acks = acks.unwrap_or(-1);
    let timeout_ms = ready[0].0.settings.request_timeout_ms;
    let corr = io.next_corr();
    let tid = prod.txn.as_ref().map(|t| t.id.as_str());
    let mut compress_errs: Vec<String> = Vec::new();
    let mut parts = Vec::with_capacity(ready.len());
    SCRATCH.with(|scratch| {
        let scratch = &mut *scratch.borrow_mut();
        let client_id = io.client_id;
        let out = io.out();
        // Room for the whole request at once: growing by doubling copied what was
        // encoded so far again and again (a fifth of the copying at 10 KiB messages).
        let records: usize = ready.iter().map(|(_, m)| m.len()).sum();
        let spliced: usize = ready
            .iter()
            .filter(|(p, _)| p.settings.codec == Codec::None)
            .flat_map(|(_, m)| m.iter())
            .filter_map(|m| m.payload_shared().map(|b| b.len()))
            .sum();
        out.inline().reserve(
            req_bytes.saturating_sub(spliced)
                + records * RECORD_OVERHEAD
                + ready.len() * BATCH_OVERHEAD
                + 512,
        );
        let mut pw = ProduceWriter::begin(out, ver, corr, client_id, tid, acks, timeout_ms);
        let mut cur: Option<Arc<str>> = None;
        for (p, msgs) in ready {
            if cur.as_deref() != Some(&*p.topic_name) {
                pw.topic(out, &p.topic_name);
                cur = Some(p.topic_name.clone());
            }
            pw.partition(out, p.id);
            let ids = pid.map_or((-1, -1, -1), |(id, ep)| (id, ep, msgs.first().map_or(-1, |m| m.seq)));
            let (codec, level) = (p.settings.codec, p.settings.compression_level);
            if let Err(e) = encode_batch(out, &msgs, codec, level, ids, tid.is_some(), scratch) {
                // As librdkafka: a batch that fails to compress is sent uncompressed.
                compress_errs.push(e);
                out.truncate(pw.records_start());
                let _ = encode_batch(out, &msgs, Codec::None, 0, ids, tid.is_some(), scratch);
            }
            crate::window::add_sample(&p.topic_stats.batchsize, out.len_since(pw.records_start()) as i64);
            crate::window::add_sample(&p.topic_stats.batchcnt, msgs.len() as i64);
            pw.end_partition(out);
            parts.push((p, msgs));
        }
        pw.finish(out);
    });
    let name = &io.broker.name;
    for e in compress_errs {
        prod.rk.log(4, "COMPRESS", &format!("{name}: compression failed, sending uncompressed: {e}"));
    }
    let cnt: usize = parts.iter().map(|(_, m)| m.len()).sum();
    prod.rk.dbg(dbg::MSG, "PRODUCE", || {
        format!("{name}: Produce request (v{ver}) with {} partition(s), {cnt} message(s)", parts.len())
    });
    if acks == 0 {
        // No response will come: the messages count as sent once written.
        for (p, mut msgs) in parts {
            for m in msgs.iter_mut() {
                m.status = STATUS_POSSIBLY_PERSISTED;
                m.broker_id = io.broker.id;
                m.latency_us = now_us() - m.enq_us;
            }
            count_tx(&p, &msgs);
            deliver(prod, msgs);
        }
    } else {
        let ctx = ProduceCtx { prod: prod.clone(), parts, sent_us: now, pid };
        io.sent_batch(corr, ApiKey::Produce, ver, timeout_ms as i64 + 1000, Box::new(ctx));
    }
    Some(now)
}

/// Takes the next batch off a partition's queue (and numbers it, idempotent). A
/// retried batch is resent exactly as first sent (same messages, same sequences).
fn take_batch(
    q: &mut PartQueue,
    idempotent: bool,
    max_msgs: usize,
    max_bytes: usize,
) -> (Vec<Box<Message>>, usize) {
    let mut batch = Vec::with_capacity(q.msgs.len().min(max_msgs));
    let mut size = 0usize;
    let resend_upto = q.msgs.front().filter(|m| idempotent && m.seq >= 0).map(|m| m.batch_last_seq);
    while let Some(m) = q.msgs.front() {
        let ms = m.size();
        match resend_upto {
            Some(last) => {
                if m.seq < 0 || seq_after(m.seq, last) {
                    break;
                }
            }
            None => {
                if !batch.is_empty() && (batch.len() >= max_msgs || size + ms > max_bytes) {
                    break;
                }
                if idempotent && m.seq >= 0 {
                    break;
                }
            }
        }
        size += ms;
        if let Some(m) = q.msgs.pop_front() {
            batch.push(m);
        }
    }
    if idempotent && resend_upto.is_none() {
        let first = q.next_seq;
        let last = first.wrapping_add(batch.len() as i32 - 1);
        for (i, m) in batch.iter_mut().enumerate() {
            m.seq = first.wrapping_add(i as i32);
            m.batch_last_seq = last;
        }
        q.next_seq = last.wrapping_add(1);
    }
    (batch, size)
}

/// Encodes one v2 record batch for `msgs` in place at the end of `out`; `ids` is the
/// idempotent producer's (producer id, epoch, base sequence), or -1s.
fn encode_batch(
    out: &mut OutBuf,
    msgs: &[Box<Message>],
    codec: Codec,
    level: i32,
    ids: (i64, i16, i32),
    transactional: bool,
    scratch: &mut Vec<u8>,
) -> Result<(), String> {
    let base_ts = msgs.first().map_or(0, |m| m.timestamp);
    let mut w = RecordBatchWriter::new(out, base_ts, ids.0, ids.1, ids.2, transactional);
    const NO_HEADERS: &[(String, Option<Vec<u8>>)] = &[];
    for m in msgs {
        let hdrs = m.headers.as_ref().map_or(NO_HEADERS, |h| h.list.as_slice());
        // Uncompressed: a large payload goes out by reference (see SHARE_MIN).
        let shared = if codec == Codec::None { m.payload_shared() } else { None };
        let res = match shared {
            Some(v) => w.append_shared(out, m.timestamp, m.key_bytes(), v, hdrs),
            None => w.append(out, m.timestamp, m.key_bytes(), m.payload_bytes(), hdrs),
        };
        res.map_err(|e| format!("{e:?}"))?;
    }
    w.finish(out, codec, level, scratch).map(|_| ()).map_err(|e| format!("{e:?}"))
}

/// A new producer id or epoch: queued messages are numbered again from 0.
fn renumber(q: &mut PartQueue, owner: (i64, i16)) {
    for m in q.msgs.iter_mut() {
        m.seq = -1;
        m.batch_last_seq = -1;
    }
    q.next_seq = 0;
    q.acked_seq = 0;
    q.seq_owner = Some(owner);
}

/// Fails queued messages whose message.timeout.ms has passed.
fn scan_timeouts(prod: &Arc<Producer>, toppars: &[Arc<Partition>], now: i64) {
    for p in toppars {
        let tmo = p.settings.message_timeout_us;
        if tmo <= 0 {
            continue;
        }
        let expired: Vec<Box<Message>> = {
            let mut q = p.lock();
            let mut out = Vec::new();
            while q.msgs.front().is_some_and(|m| m.enq_us + tmo <= now) {
                if let Some(m) = q.msgs.pop_front() {
                    q.bytes -= m.size();
                    out.push(m);
                }
            }
            out
        };
        if !expired.is_empty() {
            prod.rk.dbg(dbg::MSG, "TIMEOUT", || {
                format!("{} [{}]: {} message(s) timed out", p.topic_name, p.id, expired.len())
            });
            fail_partition_msgs(prod, p, expired, ErrorCode::_MSG_TIMED_OUT);
        }
    }
}
