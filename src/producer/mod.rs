//! The producer: the enqueue path (app thread), batch assembly and Produce requests
//! (broker thread), acknowledgement handling, retries, timeouts and delivery reports.

pub mod idempotence;
pub mod partitioner;
pub mod txn;

use crate::broker::Worker;
use crate::client::{now_us, wallclock_ms_at, Client, Partition, Topic};
use crate::error::{ErrorCode, KafkaError};
use crate::event::Event;
use crate::message::{
    Buf, Headers, Message, STATUS_NOT_PERSISTED, STATUS_PERSISTED, STATUS_POSSIBLY_PERSISTED,
    TSTYPE_CREATE_TIME, TSTYPE_LOG_APPEND_TIME,
};
use crate::protocol::compression::Codec;
use crate::protocol::produce::{ProduceWriter, MAX_VERSION, MIN_VERSION};
use crate::protocol::records::RecordBatchWriter;
use bytes::Bytes;
use kafka_protocol::messages::{ApiKey, ProduceResponse};
use partitioner::Partitioner;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What the C layer hands to `produce`.
pub struct ProduceArgs<'a> {
    pub topic: Arc<Topic>,
    pub partition: i32,
    /// Payload to copy (RD_KAFKA_MSG_F_COPY), or None with `foreign` set.
    pub payload: Option<&'a [u8]>,
    /// The application's own buffer when not copying.
    pub foreign: Option<Buf>,
    pub key: Option<&'a [u8]>,
    pub timestamp: i64,
    pub headers: Option<Box<Headers>>,
    pub opaque: usize,
    pub block: bool,
}

/// What a failed produce hands back, so the caller keeps ownership of its buffers
/// (librdkafka never frees a payload whose produce call failed).
pub struct Rejected {
    pub msg: Option<Box<Message>>,
    pub foreign: Option<Buf>,
    pub headers: Option<Box<Headers>>,
}

impl From<Box<Message>> for Rejected {
    fn from(m: Box<Message>) -> Rejected {
        Rejected { msg: Some(m), foreign: None, headers: None }
    }
}

/// Enqueues one message.
pub fn produce(client: &Arc<Client>, a: ProduceArgs<'_>) -> Result<(), (ErrorCode, Rejected)> {
    // A full queue is refused before anything is built: applications retry QUEUE_FULL
    // in a tight loop (as with librdkafka, which checks its counters first too).
    if !a.block {
        let size = a.payload.map_or(0, |p| p.len()) + a.foreign.as_ref().map_or(0, |b| b.len());
        if !client.outq.has_room(size) {
            return Err((
                ErrorCode::_QUEUE_FULL,
                Rejected { msg: None, foreign: a.foreign, headers: a.headers },
            ));
        }
    }
    let mut m = Message::copied(Some(a.topic.clone()), a.partition, a.payload, a.key, a.foreign);
    m.c.private = a.opaque;
    m.headers = a.headers;
    let now = now_us();
    m.timestamp = if a.timestamp != 0 { a.timestamp } else { wallclock_ms_at(now) };
    m.tstype = TSTYPE_CREATE_TIME;
    let size = m.size();
    if client.has_fatal.load(Ordering::Relaxed) {
        return Err((ErrorCode::_FATAL, m.into()));
    }
    if client.txn.as_ref().is_some_and(|t| !t.may_enq.load(Ordering::Acquire)) {
        // Only inside a transaction (librdkafka: "Producing not allowed in transactional state").
        return Err((ErrorCode::_STATE, m.into()));
    }
    if a.partition < -1 {
        return Err((ErrorCode::_UNKNOWN_PARTITION, m.into()));
    }
    let hdr = m.headers.as_ref().map_or(0, |h| h.encoded_size());
    if size + hdr > client.settings.message_max_bytes {
        return Err((ErrorCode::MSG_SIZE_TOO_LARGE, m.into()));
    }
    {
        let st = a.topic.state();
        if st.notexists {
            let code = if st.err != 0 { ErrorCode(st.err) } else { ErrorCode::_UNKNOWN_TOPIC };
            return Err((code, m.into()));
        }
        if st.known && a.partition >= st.count {
            return Err((ErrorCode::_UNKNOWN_PARTITION, m.into()));
        }
    }
    // The producer queue counts payload bytes only, as librdkafka's.
    let qsize = m.queued_size();
    if !client.outq.try_add(qsize) {
        if !a.block {
            return Err((ErrorCode::_QUEUE_FULL, m.into()));
        }
        // RD_KAFKA_MSG_F_BLOCK: wait for room; delivery reports need serving meanwhile,
        // which the application does from its own poll (as with librdkafka).
        loop {
            client.outq.wait_until(Some(Instant::now() + Duration::from_millis(100)), |q| {
                q.cnt.load(Ordering::Acquire) < q.max_cnt
                    && q.bytes.load(Ordering::Acquire) + qsize <= q.max_bytes
            });
            if client.outq.try_add(qsize) {
                break;
            }
            if client.terminating.load(Ordering::Acquire) {
                return Err((ErrorCode::_DESTROY, m.into()));
            }
        }
    }
    m.accounted = true;
    m.enq_us = now;
    let topic = a.topic;
    let st = topic.state();
    if !st.known {
        // Under the state's read lock: metadata makes the topic known and moves this
        // queue under the write lock, so nothing is left behind or overtaken.
        let first = {
            let mut ua = topic.ua.lock().unwrap_or_else(|e| e.into_inner());
            ua.push_back(m);
            ua.len() == 1
        };
        drop(st);
        topic.stats.ua_msgs.fetch_add(1, Ordering::Relaxed);
        // One request per topic becoming wanted, not one per message: a burst of
        // produce calls before metadata arrives must not flood the brokers (the
        // periodic scan asks again, backed off, while the topic stays unknown).
        if first {
            client.request_refresh();
        }
        return Ok(());
    }
    // The topic state's read lock is held while enqueueing: no per-message copy of the
    // partition list.
    match enqueue_known(client, &topic, &st.partitions, m) {
        Ok(()) => Ok(()),
        Err((mut m, err)) => {
            m.accounted = false;
            client.outq.sub(1, qsize);
            Err((err, m.into()))
        }
    }
}

/// Picks the partition (when not given) and appends to its queue.
pub fn enqueue_known(
    client: &Arc<Client>,
    topic: &Arc<Topic>,
    parts: &[Arc<Partition>],
    mut m: Box<Message>,
) -> Result<(), (Box<Message>, ErrorCode)> {
    let cnt = parts.len() as i32;
    let pid = if m.want_partition >= 0 {
        if m.want_partition >= cnt {
            return Err((m, ErrorCode::_UNKNOWN_PARTITION));
        }
        m.want_partition
    } else {
        let p = choose_partition(client, topic, parts, &m);
        if p < 0 || p >= cnt {
            return Err((m, ErrorCode::_UNKNOWN_PARTITION));
        }
        p
    };
    m.c.partition = pid;
    let p = &parts[pid as usize];
    let size = m.size();
    let s = &client.settings;
    let mut q = p.lock();
    let was_empty = q.msgs.is_empty();
    q.msgs.push_back(m);
    q.bytes += size;
    let n = q.msgs.len();
    let wake = was_empty
        || n % s.batch_num_messages == 0
        || (q.bytes >= s.batch_size && q.bytes - size < s.batch_size);
    let leader = if wake { q.leader.clone() } else { None };
    drop(q);
    p.stats.msgs.fetch_add(1, Ordering::Relaxed);
    if let Some(l) = leader {
        l.wake();
    }
    Ok(())
}

fn choose_partition(client: &Client, topic: &Arc<Topic>, parts: &[Arc<Partition>], m: &Message) -> i32 {
    let cnt = parts.len() as i32;
    let key = m.key_bytes();
    if let Some(f) = &topic.custom_partitioner {
        return f(topic, key, cnt, m.c.private);
    }
    let avail = |i: i32| parts.get(i as usize).is_some_and(|p| p.leader_id.load(Ordering::Relaxed) >= 0);
    if topic.partitioner.uses_sticky(key) && client.settings.sticky_linger_us > 0 {
        return topic.sticky_partition(cnt, client.settings.sticky_linger_us, m.enq_us, &avail);
    }
    partitioner::partition(topic.partitioner, key, cnt, avail, fastrand::u32(..))
}

impl Topic {
    /// Null-key messages stick to one partition for `sticky.partitioning.linger.ms`.
    fn sticky_partition(&self, cnt: i32, linger_us: i64, now: i64, avail: &dyn Fn(i32) -> bool) -> i32 {
        let cur = self.sticky.load(Ordering::Relaxed);
        if (cur >> 32) as i32 > 0
            && ((cur & 0xffff_ffff) as i64) < cnt as i64
            && now < self.sticky_until.load(Ordering::Relaxed)
        {
            return (cur & 0xffff_ffff) as i32;
        }
        let p = partitioner::partition(Partitioner::Random, None, cnt, avail, fastrand::u32(..));
        self.sticky.store((1i64 << 32) | p as i64, Ordering::Relaxed);
        self.sticky_until.store(now + linger_us, Ordering::Relaxed);
        p
    }
}

/// The messages of one Produce request, per partition.
pub struct ProduceCtx {
    pub parts: Vec<(Arc<Partition>, Vec<Box<Message>>)>,
    pub acks: i16,
    pub sent_us: i64,
    /// Idempotent producer: the producer id and epoch the batches were sent with.
    pub pid: Option<(i64, i16)>,
}

/// Whether any of these partitions has messages waiting.
pub fn has_queued(toppars: &[Arc<Partition>]) -> bool {
    toppars.iter().any(|p| !p.lock().msgs.is_empty())
}

/// Builds Produce requests for ready partitions. Returns when to look again (µs).
pub fn serve(w: &mut Worker) -> Option<i64> {
    if !w.client.is_producer() || w.toppars.is_empty() {
        return None;
    }
    let now = now_us();
    let s = w.client.settings.clone();
    if w.produce_inflight >= s.max_in_flight {
        return None;
    }
    let Some(ver) = w.api().and_then(|a| a.pick(ApiKey::Produce, MIN_VERSION, MAX_VERSION)) else {
        return None;
    };
    // Idempotent producer: nothing is sent without a producer id (the main thread gets
    // one and wakes the brokers), nor while it drains for an epoch bump.
    let pid = match &w.client.idem {
        Some(idem) => match idem.current() {
            Some(pe) => Some(pe),
            None => return None,
        },
        None => None,
    };
    let flushing = w.client.flushing.load(Ordering::Acquire) > 0;
    let mut next: Option<i64> = None;
    let mut ready: Vec<(Arc<Partition>, Vec<Box<Message>>)> = Vec::new();
    let mut acks: Option<i16> = None;
    let mut req_bytes = 0usize;
    let instant_now = Instant::now();
    for p in w.toppars.iter() {
        let mut q = p.lock();
        if q.msgs.is_empty() {
            continue;
        }
        if !q.leader.as_ref().is_some_and(|l| Arc::ptr_eq(l, &w.h)) {
            continue;
        }
        if let Some(t) = &w.client.txn {
            // A transaction's partition is sent to only once the coordinator knows it.
            if p.txn.load(Ordering::Acquire) != txn::PART_IN {
                drop(q);
                t.partition_ready(&w.client, p);
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
        let mut batch = Vec::with_capacity(q.msgs.len().min(s.batch_num_messages));
        let mut size = 0usize;
        // A retried batch is resent exactly as first sent (same messages, same sequences).
        let resend_upto = q.msgs.front().filter(|m| pid.is_some() && m.seq >= 0).map(|m| m.batch_last_seq);
        while let Some(m) = q.msgs.front() {
            let ms = m.size();
            match resend_upto {
                Some(last) => {
                    if m.seq < 0 || seq_after(m.seq, last) {
                        break;
                    }
                }
                None => {
                    if !batch.is_empty() && (batch.len() >= s.batch_num_messages || size + ms > s.batch_size)
                    {
                        break;
                    }
                    if pid.is_some() && m.seq >= 0 {
                        break;
                    }
                }
            }
            size += ms;
            if let Some(m) = q.msgs.pop_front() {
                batch.push(m);
            }
        }
        if pid.is_some() {
            if resend_upto.is_none() {
                let first = q.next_seq;
                let last = first.wrapping_add(batch.len() as i32 - 1);
                for (i, m) in batch.iter_mut().enumerate() {
                    m.seq = first.wrapping_add(i as i32);
                    m.batch_last_seq = last;
                }
                q.next_seq = last.wrapping_add(1);
            }
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
    let corr = w.alloc_corr();
    let client_id = w.client.client_id.clone();
    let mut scratch = std::mem::take(&mut w.scratch);
    let mut compress_errs: Vec<String> = Vec::new();
    let mut parts = Vec::with_capacity(ready.len());
    let client = w.client.clone();
    {
        let tid = client.txn.as_ref().map(|t| t.id.as_str());
        let Some(out) = w.out_buf() else { return Some(now) };
        let mut pw = ProduceWriter::begin(out, ver, corr, &client_id, tid, acks, timeout_ms);
        let mut cur: Option<Arc<str>> = None;
        for (p, msgs) in ready {
            if cur.as_deref() != Some(&*p.topic_name) {
                pw.topic(out, &p.topic_name);
                cur = Some(p.topic_name.clone());
            }
            pw.partition(out, p.id);
            let ids = pid.map_or((-1, -1, -1), |(id, ep)| (id, ep, msgs.first().map_or(-1, |m| m.seq)));
            if let Err(e) = encode_batch(
                out,
                &msgs,
                p.settings.codec,
                p.settings.compression_level,
                ids,
                tid.is_some(),
                &mut scratch,
            ) {
                // As librdkafka: a batch that fails to compress is sent uncompressed.
                compress_errs.push(e);
                out.truncate(pw.records_start());
                let _ = encode_batch(out, &msgs, Codec::None, 0, ids, tid.is_some(), &mut scratch);
            }
            // Through a message's topic reference: no reference-count traffic here.
            if let Some(t) = msgs.first().and_then(|m| m.topic.as_ref()) {
                crate::stats::add_sample(&t.stats.batchsize, (out.len() - pw.records_start()) as i64);
                crate::stats::add_sample(&t.stats.batchcnt, msgs.len() as i64);
            }
            pw.end_partition(out);
            parts.push((p, msgs));
        }
        pw.finish(out);
    }
    w.scratch = scratch;
    for e in compress_errs {
        w.client.log(
            4,
            "COMPRESS",
            &format!("{}: compression failed, sending uncompressed: {}", w.h.name, e),
        );
    }
    let cnt: usize = parts.iter().map(|(_, m)| m.len()).sum();
    w.client.dbg(crate::client::dbg::MSG, "PRODUCE", || {
        format!(
            "{}: Produce request (v{}) with {} partition(s), {} message(s)",
            w.h.name,
            ver,
            parts.len(),
            cnt
        )
    });
    let ctx = ProduceCtx { parts, acks, sent_us: now, pid };
    if acks == 0 {
        // No response will come: the messages count as sent once written.
        w.flush_out();
        for (p, mut msgs) in ctx.parts {
            for m in msgs.iter_mut() {
                m.status = STATUS_POSSIBLY_PERSISTED;
                m.broker_id = w.h.id;
                m.latency_us = now_us() - m.enq_us;
            }
            count_tx(&p, &msgs);
            deliver(&w.client, msgs);
        }
    } else {
        w.push_produce(corr, ver, timeout_ms as i64 + 1000, ctx);
    }
    Some(now)
}

/// Encodes one v2 record batch for `msgs` in place at the end of `out`; `ids` is the
/// idempotent producer's (producer id, epoch, base sequence), or -1s.
fn encode_batch(
    out: &mut bytes::BytesMut,
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
        let res = w.append(out, m.timestamp, m.key_bytes(), m.payload_bytes(), hdrs);
        res.map_err(|e| format!("{e:?}"))?;
    }
    w.finish(out, codec, level, scratch).map(|_| ()).map_err(|e| format!("{e:?}"))
}

/// Whether sequence `a` comes after `b` (sequences wrap at i32::MAX).
fn seq_after(a: i32, b: i32) -> bool {
    a.wrapping_sub(b) > 0
}

/// A new producer id or epoch: queued messages are numbered again from 0.
fn renumber(q: &mut crate::client::PartQueue, owner: (i64, i16)) {
    for m in q.msgs.iter_mut() {
        m.seq = -1;
        m.batch_last_seq = -1;
    }
    q.next_seq = 0;
    q.acked_seq = 0;
    q.seq_owner = Some(owner);
}

fn count_tx(p: &Partition, msgs: &[Box<Message>]) {
    p.stats.txmsgs.fetch_add(msgs.len() as u64, Ordering::Relaxed);
    p.stats.txbytes.fetch_add(msgs.iter().map(|m| m.size() as u64).sum(), Ordering::Relaxed);
}

/// Handles a Produce response (or the failure of its request).
pub fn handle_response(w: &mut Worker, ctx: ProduceCtx, res: Result<(i16, Bytes), KafkaError>) {
    let client = w.client.clone();
    answered(&ctx);
    let (ver, mut body) = match res {
        Ok(r) => r,
        Err(e) => {
            // The request may have reached the broker: possibly persisted.
            for (p, msgs) in ctx.parts {
                retry_or_fail(&client, &p, msgs, e.code, STATUS_POSSIBLY_PERSISTED, Some(e.msg.clone()));
            }
            return;
        }
    };
    let resp = match crate::protocol::decode::<ProduceResponse>(&mut body, ver) {
        Ok(r) => r,
        Err(e) => {
            for (p, msgs) in ctx.parts {
                retry_or_fail(
                    &client,
                    &p,
                    msgs,
                    ErrorCode::_BAD_MSG,
                    STATUS_POSSIBLY_PERSISTED,
                    Some(e.0.clone()),
                );
            }
            return;
        }
    };
    if resp.throttle_time_ms > 0 {
        if let Ok(mut t) = w.h.stats.throttle.lock() {
            t.add(resp.throttle_time_ms as i64);
        }
        client.main_q.push(Event::Throttle {
            broker_name: w.h.name.clone(),
            broker_id: w.h.id,
            throttle_ms: resp.throttle_time_ms,
        });
    }
    let now = now_us();
    for (p, mut msgs) in ctx.parts {
        let pr = resp
            .responses
            .iter()
            .filter(|t| t.name.0.as_str() == &*p.topic_name)
            .flat_map(|t| t.partition_responses.iter())
            .find(|r| r.index == p.id);
        let Some(pr) = pr else {
            retry_or_fail(
                &client,
                &p,
                msgs,
                ErrorCode::_BAD_MSG,
                STATUS_POSSIBLY_PERSISTED,
                Some("Partition missing from ProduceResponse".into()),
            );
            continue;
        };
        let err = ErrorCode(pr.error_code as i32);
        if matches!(
            err,
            ErrorCode::NOT_LEADER_FOR_PARTITION
                | ErrorCode::LEADER_NOT_AVAILABLE
                | ErrorCode::UNKNOWN_TOPIC_OR_PART
                | ErrorCode::FENCED_LEADER_EPOCH
                | ErrorCode::UNKNOWN_LEADER_EPOCH
                | ErrorCode::NOT_ENOUGH_REPLICAS
                | ErrorCode::KAFKA_STORAGE_ERROR
        ) {
            // The leader may have moved: for the idempotent producer too.
            client.request_refresh();
        }
        // The broker already has this batch (a retry of one whose answer was lost).
        let duplicate = ctx.pid.is_some() && err == ErrorCode::DUPLICATE_SEQUENCE_NUMBER;
        if err != ErrorCode::NO_ERROR && !duplicate {
            let msg = pr.error_message.as_ref().map(|s| s.to_string());
            p.stats.txerrs.fetch_add(1, Ordering::Relaxed);
            match ctx.pid {
                Some(sent_with) => idempotent_error(&client, &p, msgs, err, sent_with, msg),
                None => retry_or_fail(&client, &p, msgs, err, STATUS_NOT_PERSISTED, msg),
            }
            continue;
        }
        if let (Some(sent_with), Some(last)) = (ctx.pid, msgs.last()) {
            let mut q = p.lock();
            if q.seq_owner == Some(sent_with) {
                q.acked_seq = last.seq.wrapping_add(1);
            }
        }
        for (i, m) in msgs.iter_mut().enumerate() {
            m.c.offset = if duplicate { -1 } else { pr.base_offset + i as i64 };
            m.status = STATUS_PERSISTED;
            m.broker_id = w.h.id;
            m.leader_epoch = p.leader_epoch.load(Ordering::Relaxed);
            m.latency_us = now - m.enq_us;
            if pr.log_append_time_ms != -1 && !duplicate {
                m.timestamp = pr.log_append_time_ms;
                m.tstype = TSTYPE_LOG_APPEND_TIME;
            }
        }
        if let Ok(mut l) = w.h.stats.int_latency.lock() {
            if let Some(m) = msgs.first() {
                l.add(ctx.sent_us - m.enq_us);
            }
        }
        count_tx(&p, &msgs);
        deliver(&client, msgs);
    }
}

/// Every batch of this request has its answer (or failure): idempotent in-flight count.
fn answered(ctx: &ProduceCtx) {
    if ctx.pid.is_some() {
        for (p, _) in &ctx.parts {
            let mut q = p.lock();
            q.inflight = q.inflight.saturating_sub(1);
        }
    }
}

/// An idempotent producer's failed batch, handled as librdkafka does: fatal errors are
/// fatal; a sequence error on the oldest unacknowledged batch means client and broker
/// disagree (OUT_OF_ORDER: fatal; UNKNOWN_PRODUCER_ID: the broker lost our state, so
/// drain and bump the epoch); on a later batch it only follows an earlier failure, so
/// the batch is retried. Other errors retry with the same sequences, and a batch that
/// fails for good leaves a gap that an epoch bump closes (or, gapless, is fatal).
fn idempotent_error(
    client: &Arc<Client>,
    p: &Arc<Partition>,
    msgs: Vec<Box<Message>>,
    err: ErrorCode,
    sent_with: (i64, i16),
    errstr: Option<String>,
) {
    let head_of_line = {
        let q = p.lock();
        q.seq_owner == Some(sent_with) && msgs.first().is_some_and(|m| m.seq == q.acked_seq)
    };
    let what = || {
        format!(
            "ProduceRequest for {} [{}] with {} message(s) failed: {}",
            p.topic_name,
            p.id,
            msgs.len(),
            err.description()
        )
    };
    if client.txn.is_some() && idempotence::is_fatal(err) {
        // A newer instance with our transactional.id took over (or we may not write).
        let fenced = matches!(err, ErrorCode::INVALID_PRODUCER_EPOCH | ErrorCode::PRODUCER_FENCED);
        let reason = if fenced {
            format!("{}: transactional producer fenced by newer producer instance", what())
        } else {
            what()
        };
        fail_msgs(client, msgs, err, errstr);
        txn::set_fatal(client, if fenced { ErrorCode::_FENCED } else { err }, reason);
        return;
    }
    // A transactional producer recovers from sequence errors by aborting the transaction
    // and bumping its epoch (KIP-360), where the idempotent producer's are fatal.
    let seq_broken = head_of_line
        && (err == ErrorCode::UNKNOWN_PRODUCER_ID
            || (err == ErrorCode::OUT_OF_ORDER_SEQUENCE_NUMBER && client.txn.is_some()));
    if idempotence::is_fatal(err)
        || (err == ErrorCode::OUT_OF_ORDER_SEQUENCE_NUMBER && head_of_line && !seq_broken)
    {
        let reason = what();
        fail_msgs(client, msgs, err, errstr);
        idempotence::fatal(client, err, reason);
        return;
    }
    if seq_broken {
        if let Some(idem) = &client.idem {
            idem.drain_bump(client, err, &what());
        }
    }
    let seq_err = matches!(err, ErrorCode::OUT_OF_ORDER_SEQUENCE_NUMBER | ErrorCode::UNKNOWN_PRODUCER_ID);
    retry_or_fail_as(client, p, msgs, err, STATUS_NOT_PERSISTED, errstr, seq_err);
}

/// Puts messages back at the head of their queue for another try, or fails them when
/// the error is permanent, retries are used up or the message timed out.
pub fn retry_or_fail(
    client: &Arc<Client>,
    p: &Arc<Partition>,
    msgs: Vec<Box<Message>>,
    err: ErrorCode,
    status: i32,
    errstr: Option<String>,
) {
    retry_or_fail_as(client, p, msgs, err, status, errstr, false)
}

fn retry_or_fail_as(
    client: &Arc<Client>,
    p: &Arc<Partition>,
    msgs: Vec<Box<Message>>,
    err: ErrorCode,
    status: i32,
    errstr: Option<String>,
    force_retry: bool,
) {
    let mut retriable = force_retry
        || err.is_retriable()
        || matches!(err, ErrorCode::_TRANSPORT | ErrorCode::_TIMED_OUT | ErrorCode::_BAD_MSG);
    if client
        .txn
        .as_ref()
        .is_some_and(|t| !matches!(t.state(), txn::TxnState::InTransaction | txn::TxnState::BeginCommit))
    {
        // The transaction is failing or being aborted (an idempotent WaitTxnAbort comes
        // with AbortableError): nothing of it is sent again.
        retriable = false;
    }
    let now = now_us();
    let max_retries = client.settings.retries;
    let mut again = Vec::new();
    let mut fail = Vec::new();
    for mut m in msgs {
        if m.status != STATUS_POSSIBLY_PERSISTED {
            m.status = status;
        }
        let tmo = m.topic.as_ref().map_or(0, |t| t.settings.message_timeout_us);
        let expired = tmo > 0 && m.enq_us + tmo <= now;
        if retriable && !expired && m.retries < max_retries && !client.terminating.load(Ordering::Acquire) {
            m.retries += 1;
            again.push(m);
        } else {
            let e = if expired && retriable { ErrorCode::_MSG_TIMED_OUT } else { err };
            m.set_error(e, errstr.clone());
            fail.push(m);
        }
    }
    if !again.is_empty() {
        let tries = again[0].retries.clamp(1, 20) as u32;
        let s = &client.settings;
        let backoff = (s.retry_backoff_ms.saturating_mul(1i64 << (tries - 1).min(16)))
            .min(s.retry_backoff_max_ms.max(s.retry_backoff_ms));
        client.dbg(crate::client::dbg::MSG, "RETRY", || {
            format!(
                "{} [{}]: retrying {} message(s) in {}ms after {}",
                p.topic_name,
                p.id,
                again.len(),
                backoff,
                err
            )
        });
        let mut q = p.lock();
        if client.idem.is_some() {
            // In sequence order: batches of one partition fail and come back in any order
            // (max.in.flight up to 5), and must be sent again as they were first sent.
            let mut at = 0usize;
            for m in again {
                while q.msgs.get(at).is_some_and(|x| x.seq >= 0 && !seq_after(x.seq, m.seq)) {
                    at += 1;
                }
                q.bytes += m.size();
                q.msgs.insert(at, m);
                at += 1;
            }
        } else {
            for m in again.into_iter().rev() {
                q.bytes += m.size();
                q.msgs.push_front(m);
            }
        }
        q.backoff_until = Some(Instant::now() + Duration::from_millis(backoff as u64));
        let leader = q.leader.clone();
        drop(q);
        if let Some(l) = leader {
            l.wake();
        }
    }
    if !fail.is_empty() {
        sequence_gap(client, p, &fail);
        deliver(client, fail);
    }
}

/// Messages that had sequence numbers failed for good: the broker will see a gap. An
/// epoch bump starts the partition's sequences again (librdkafka), unless
/// enable.gapless.guarantee makes it fatal (timeouts excepted, as in librdkafka).
fn sequence_gap(client: &Arc<Client>, p: &Partition, failed: &[Box<Message>]) {
    let Some(idem) = &client.idem else { return };
    let Some(m) = failed.iter().find(|m| m.seq >= 0) else { return };
    let err = ErrorCode(m.c.err);
    let reason = format!(
        "{} [{}]: {} message(s) with sequence numbers failed: {}",
        p.topic_name,
        p.id,
        failed.len(),
        err.description()
    );
    if client.settings.gapless && err != ErrorCode::_MSG_TIMED_OUT && client.txn.is_none() {
        idempotence::fatal(client, ErrorCode::_GAPLESS_GUARANTEE, reason);
    } else {
        idem.drain_bump(client, err, &reason);
    }
}

/// Fails messages with `err` and reports them.
pub fn fail_msgs(client: &Arc<Client>, mut msgs: Vec<Box<Message>>, err: ErrorCode, errstr: Option<String>) {
    for m in msgs.iter_mut() {
        m.set_error(err, errstr.clone());
    }
    deliver(client, msgs);
}

pub fn fail_ctx(client: &Arc<Client>, ctx: ProduceCtx, err: ErrorCode) {
    answered(&ctx);
    for (p, mut msgs) in ctx.parts {
        for m in msgs.iter_mut() {
            m.status = STATUS_POSSIBLY_PERSISTED;
        }
        fail_partition_msgs(client, &p, msgs, err);
    }
}

/// Fails one partition's messages with `err`; a sequence gap this leaves is handled.
fn fail_partition_msgs(client: &Arc<Client>, p: &Partition, mut msgs: Vec<Box<Message>>, err: ErrorCode) {
    for m in msgs.iter_mut() {
        m.set_error(err, None);
    }
    sequence_gap(client, p, &msgs);
    deliver(client, msgs);
}

/// Hands finished messages to the application as delivery reports (or drops them when
/// no one listens). Dropping a message releases its queue accounting.
pub fn deliver(client: &Arc<Client>, mut msgs: Vec<Box<Message>>) {
    if let Some(t) = &client.txn {
        t.count_failed(msgs.iter().filter(|m| m.c.err != 0).count());
    }
    if !client.hooks.dr_enabled {
        return;
    }
    let now = now_us();
    for m in msgs.iter_mut().filter(|m| m.latency_us < 0 && m.enq_us > 0) {
        m.latency_us = now - m.enq_us;
    }
    if client.settings.dr_only_error {
        msgs.retain(|m| m.c.err != 0);
    }
    if !msgs.is_empty() {
        client.main_q.push(Event::Dr(msgs));
    }
}

/// Fails queued messages whose message.timeout.ms has passed.
pub fn scan_timeouts(client: &Arc<Client>, toppars: &[Arc<Partition>], now: i64) {
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
            client.dbg(crate::client::dbg::MSG, "TIMEOUT", || {
                format!("{} [{}]: {} message(s) timed out", p.topic_name, p.id, expired.len())
            });
            fail_partition_msgs(client, p, expired, ErrorCode::_MSG_TIMED_OUT);
        }
    }
}

/// rd_kafka_purge: fails queued (and, via broker ops, in-flight) messages.
pub fn purge_queues(client: &Arc<Client>) -> usize {
    let mut n = 0;
    for t in client.known_topics() {
        let ua: Vec<Box<Message>> = t.ua.lock().unwrap_or_else(|e| e.into_inner()).drain(..).collect();
        n += ua.len();
        if !ua.is_empty() {
            fail_msgs(client, ua, ErrorCode::_PURGE_QUEUE, None);
        }
        let parts = t.state().partitions.clone();
        for p in parts {
            let msgs: Vec<Box<Message>> = {
                let mut q = p.lock();
                q.bytes = 0;
                q.msgs.drain(..).collect()
            };
            n += msgs.len();
            if !msgs.is_empty() {
                fail_msgs(client, msgs, ErrorCode::_PURGE_QUEUE, None);
            }
        }
    }
    n
}

/// rd_kafka_purge(RD_KAFKA_PURGE_F_INFLIGHT): every broker fails its in-flight requests.
pub fn purge_inflight(client: &Arc<Client>, wait: bool) {
    for b in client.brokers() {
        b.purge_inflight(wait);
    }
}
