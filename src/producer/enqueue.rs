//! The enqueue path, on the application's thread: a message is built, checked,
//! counted in the producer queue and appended to its partition's queue (or to the
//! topic's unassigned queue until metadata arrives), waking the leader's broker
//! thread when a batch is ready. It needs only the topic: `rd_kafka_produce(rkt, …)`
//! has no client handle.

use super::partitioner;
use crate::clock::{now_us, wallclock_ms_at};
use crate::conf::Partitioner;
use crate::error::ErrorCode;
use crate::instance::Instance;
use crate::message::{Buf, Headers, Message, TSTYPE_CREATE_TIME};
use crate::metadata::{Partition, Topic, TopicState};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What the C layer hands to `produce`.
pub struct ProduceArgs<'a> {
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

/// Enqueues one message to `topic`.
pub fn produce(topic: &Topic, a: ProduceArgs<'_>) -> Result<(), (ErrorCode, Rejected)> {
    let rk = &topic.rk;
    let outq = &topic.outq;
    // A full queue is refused before anything is built: applications retry QUEUE_FULL
    // in a tight loop (as with librdkafka, which checks its counters first too).
    if !a.block {
        let size = a.payload.map_or(0, |p| p.len()) + a.foreign.as_ref().map_or(0, |b| b.len());
        if !outq.has_room(size) {
            return Err((
                ErrorCode::_QUEUE_FULL,
                Rejected { msg: None, foreign: a.foreign, headers: a.headers },
            ));
        }
    }
    let mut m = Message::copied(topic.rkt(), a.partition, a.payload, a.key, a.foreign);
    m.c.private = a.opaque;
    m.headers = a.headers;
    let now = now_us();
    m.timestamp = if a.timestamp != 0 { a.timestamp } else { wallclock_ms_at(now) };
    m.tstype = TSTYPE_CREATE_TIME;
    let size = m.size();
    if rk.has_fatal.load(Ordering::Relaxed) {
        return Err((ErrorCode::_FATAL, m.into()));
    }
    if !outq.admits() {
        // Only inside a transaction (librdkafka: "Producing not allowed in transactional state").
        return Err((ErrorCode::_STATE, m.into()));
    }
    let hdr = m.headers.as_ref().map_or(0, |h| h.encoded_size());
    if size + hdr > rk.settings.message_max_bytes {
        return Err((ErrorCode::MSG_SIZE_TOO_LARGE, m.into()));
    }
    // The producer queue counts payload bytes only, as librdkafka's.
    let qsize = m.queued_size();
    if !outq.try_add(qsize) {
        if !a.block {
            return Err((ErrorCode::_QUEUE_FULL, m.into()));
        }
        // RD_KAFKA_MSG_F_BLOCK: wait for room; delivery reports need serving meanwhile,
        // which the application does from its own poll (as with librdkafka).
        loop {
            outq.wait_until(Some(Instant::now() + Duration::from_millis(100)), |q| {
                q.cnt.load(Ordering::Acquire) < q.max_cnt
                    && q.bytes.load(Ordering::Acquire) + qsize <= q.max_bytes
            });
            if outq.try_add(qsize) {
                break;
            }
            if rk.is_terminating() {
                return Err((ErrorCode::_DESTROY, m.into()));
            }
        }
    }
    m.outq = Some(outq.clone());
    m.accounted = true;
    m.enq_us = now;
    // As librdkafka: on_send sees every message that got this far, and a message
    // refused from here on is "unrolled" with on_acknowledgement.
    if rk.hooks.icpt.is_some() {
        // An on_send interceptor may pick the partition.
        rk.icpt(|i| i.on_send(&mut m));
        m.want_partition = m.c.partition;
    }
    let st = topic.state();
    if let Err(code) = partition_known(&st, m.want_partition) {
        drop(st);
        m.accounted = false;
        outq.sub(1, qsize);
        return Err((code, refused(rk, m, code).into()));
    }
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
            rk.request_refresh();
        }
        return Ok(());
    }
    // The topic state's read lock is held while enqueueing: no per-message copy of the
    // partition list.
    match enqueue_known(topic, &st.partitions, m) {
        Ok(()) => Ok(()),
        Err((mut m, err)) => {
            m.accounted = false;
            outq.sub(1, qsize);
            Err((err, refused(rk, m, err).into()))
        }
    }
}

/// The partition asked for exists, as far as metadata knows.
fn partition_known(st: &TopicState, partition: i32) -> Result<(), ErrorCode> {
    if partition < -1 {
        return Err(ErrorCode::_UNKNOWN_PARTITION);
    }
    if st.notexists {
        return Err(if st.err != 0 { ErrorCode(st.err) } else { ErrorCode::_UNKNOWN_TOPIC });
    }
    if st.known && partition >= st.count {
        return Err(ErrorCode::_UNKNOWN_PARTITION);
    }
    Ok(())
}

/// A message refused after on_send: interceptors hear it failed.
fn refused(rk: &Instance, mut m: Box<Message>, err: ErrorCode) -> Box<Message> {
    if rk.hooks.icpt.is_some() {
        let prev = m.c.err;
        m.c.err = err.0;
        rk.icpt(|i| i.on_acknowledgement(&mut m));
        m.c.err = prev;
    }
    m
}

/// Picks the partition (when not given) and appends to its queue.
pub fn enqueue_known(
    topic: &Topic,
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
        let p = choose_partition(topic, parts, &m);
        if p < 0 || p >= cnt {
            return Err((m, ErrorCode::_UNKNOWN_PARTITION));
        }
        p
    };
    m.c.partition = pid;
    let p = &parts[pid as usize];
    let size = m.size();
    let s = &topic.rk.settings;
    let mut q = p.lock();
    let was_empty = q.msgs.is_empty();
    q.msgs.push_back(m);
    q.bytes += size;
    let n = q.msgs.len();
    let wake = was_empty
        || n.is_multiple_of(s.batch_num_messages)
        || (q.bytes >= s.batch_size && q.bytes - size < s.batch_size);
    let leader = if wake { q.leader.clone() } else { None };
    drop(q);
    p.stats.msgs.fetch_add(1, Ordering::Relaxed);
    if let Some(l) = leader {
        let _ = l.wake();
    }
    Ok(())
}

fn choose_partition(topic: &Topic, parts: &[Arc<Partition>], m: &Message) -> i32 {
    let cnt = parts.len() as i32;
    let key = m.key_bytes();
    if let Some(f) = &topic.custom_partitioner {
        return f(topic, key, cnt, m.c.private);
    }
    let avail = |i: i32| parts.get(i as usize).is_some_and(|p| p.leader_id.load(Ordering::Relaxed) >= 0);
    let kind = topic.settings.partitioner;
    let linger_us = topic.rk.settings.sticky_linger_us;
    if kind.uses_sticky(key) && linger_us > 0 {
        return sticky_partition(topic, cnt, linger_us, m.enq_us, &avail);
    }
    partitioner::partition(kind, key, cnt, avail, fastrand::u32(..))
}

/// Null-key messages stick to one partition for `sticky.partitioning.linger.ms`.
fn sticky_partition(topic: &Topic, cnt: i32, linger_us: i64, now: i64, avail: &dyn Fn(i32) -> bool) -> i32 {
    let cur = topic.sticky.load(Ordering::Relaxed);
    if (cur >> 32) as i32 > 0
        && (cur & 0xffff_ffff) < cnt as i64
        && now < topic.sticky_until.load(Ordering::Relaxed)
    {
        return (cur & 0xffff_ffff) as i32;
    }
    let p = partitioner::partition(Partitioner::Random, None, cnt, avail, fastrand::u32(..));
    topic.sticky.store((1i64 << 32) | p as i64, Ordering::Relaxed);
    topic.sticky_until.store(now + linger_us, Ordering::Relaxed);
    p
}
