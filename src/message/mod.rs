//! The message object shared by the producer, the consumer and the C API.
//!
//! `Message` starts with `CMessage`, a field-for-field twin of librdkafka's
//! `rd_kafka_message_t` whose pointers are held as `usize`: the C layer hands out
//! `*mut Message` as `rd_kafka_message_t *` without copying, while the core stays free of
//! raw pointers (and so is `Send` by construction).

mod buf;
mod headers;

pub use buf::{Buf, Foreign};
pub use headers::{Headers, HEADERS_TAG};

use crate::cursor::Cursor;
use crate::error::ErrorCode;
use crate::outq::OutQ;
use crate::protocol::records::Record;
use bytes::Bytes;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Layout twin of `rd_kafka_message_t` (pointers as addresses).
#[repr(C)]
#[derive(Debug, Default)]
pub struct CMessage {
    pub err: i32,
    pub rkt: usize,
    pub partition: i32,
    pub payload: usize,
    pub len: usize,
    pub key: usize,
    pub key_len: usize,
    pub offset: i64,
    pub private: usize,
}

pub const TSTYPE_NOT_AVAILABLE: i32 = 0;
pub const TSTYPE_CREATE_TIME: i32 = 1;
pub const TSTYPE_LOG_APPEND_TIME: i32 = 2;

pub const STATUS_NOT_PERSISTED: i32 = 0;
pub const STATUS_POSSIBLY_PERSISTED: i32 = 1;
pub const STATUS_PERSISTED: i32 = 2;

/// A produced or consumed message. `c` must stay the first field. The order of the
/// others avoids padding (repr(C) keeps it): every queued message costs its size.
#[repr(C)]
pub struct Message {
    pub c: CMessage,
    /// The producer queue this message is counted in while `accounted`.
    pub outq: Option<Arc<OutQ>>,
    pub payload: Buf,
    pub key: Buf,
    pub headers: Option<Box<Headers>>,
    pub timestamp: i64,
    pub tstype: i32,
    pub status: i32,
    /// Monotonic microseconds when produced (producer) — for latency and timeouts.
    pub enq_us: i64,
    /// Produce→ack latency in microseconds, -1 until known.
    pub latency_us: i64,
    pub broker_id: i32,
    pub leader_epoch: i32,
    pub retries: i32,
    /// Idempotent producer: this message's sequence number (-1 until first sent) and
    /// the last sequence of the batch it was first sent in (a retry resends exactly
    /// that batch, or the broker could not recognise a duplicate).
    pub seq: i32,
    pub batch_last_seq: i32,
    /// Producer: partition chosen by the app (-1 = let the partitioner decide).
    pub want_partition: i32,
    /// Error string for `rd_kafka_message_errstr`, when more precise than the code's
    /// (boxed: rare, and the message is one cache line smaller; see the field order).
    pub errstr: Option<Box<std::ffi::CString>>,
    /// Backing bytes for `Buf::Store` key/payload: one buffer for both copies.
    pub store: Vec<u8>,
    /// Consumer: the cursor of the partition the message was fetched from (prefetch
    /// accounting), and its fetch version then (a later seek/stop makes it outdated).
    pub cursor: Option<Arc<Cursor>>,
    pub fetch_version: u64,
    /// Counted in the producer queue (outq_len, queue.buffering.max.*) until dropped.
    pub accounted: bool,
    /// Share consumer: how many times the broker has delivered this record (0 elsewhere).
    pub delivery_count: i16,
}

/// Payloads from this size on are copied into a buffer of their own, shared, so that a
/// Produce request can send them by reference instead of copying them again (smaller
/// ones share the message's reused copy buffer with the key: copying them into the
/// request is cheaper than one more piece to write; measured on the sink broker,
/// 1-2 KiB by reference cost more CPU, 4 KiB and up less).
pub const SHARE_MIN: usize = 4096;

// A queued message is a malloc chunk of size + 8 rounded up to 16: keep it at 288.
const _: () = assert!(std::mem::size_of::<Message>() <= 280);

impl Drop for Message {
    fn drop(&mut self) {
        if self.accounted {
            if let Some(q) = &self.outq {
                q.sub(1, self.queued_size());
            }
        }
    }
}

/// Recycled message objects. Delivery reports are served on the application thread
/// that produces (rd_kafka_poll/flush), so one thread both frees and allocates them:
/// reusing the boxes (and their copy buffers) avoids two malloc/free pairs per message.
/// Sized for a producer queue's worth of messages (queue.buffering.max.messages is
/// 100,000 by default): a smaller pool sent most messages of each delivery batch back
/// to malloc, whose slow paths then cost a third more instructions per message.
struct Pool {
    msgs: Vec<Box<Message>>,
    /// Boxes plus kept copy buffers.
    bytes: usize,
}

thread_local! {
    static POOL: std::cell::RefCell<Pool> = const { std::cell::RefCell::new(Pool { msgs: Vec::new(), bytes: 0 }) };
}
const POOL_MAX: usize = 128 * 1024;
const POOL_MAX_BYTES: usize = 64 * 1024 * 1024;
/// Copy buffers larger than this are freed rather than kept with the box.
const KEEP_STORE: usize = 16 * 1024;

impl Pool {
    /// Keeps `m` if there is room; `emptied`: `reset` already (a released message).
    fn put(&mut self, mut m: Box<Message>, emptied: bool) {
        if m.store.capacity() > KEEP_STORE {
            m.store = Vec::new();
        }
        let size = std::mem::size_of::<Message>() + m.store.capacity();
        if self.msgs.len() < POOL_MAX && self.bytes + size <= POOL_MAX_BYTES {
            if !emptied {
                m.reset();
            }
            self.bytes += size;
            self.msgs.push(m);
        }
    }

    fn take(&mut self) -> Option<Box<Message>> {
        let m = self.msgs.pop()?;
        self.bytes -= std::mem::size_of::<Message>() + m.store.capacity();
        Some(m)
    }
}

/// Spare message objects passed between threads in batches. Consumed messages are built
/// on broker threads and destroyed on the application's, and glibc frees memory of
/// another thread's arena under that arena's lock (a fifth of a 100 B consumer's CPU,
/// with lock waits): destroyed messages collect here and the fetchers reuse them.
static SPARE: Mutex<Vec<Vec<Box<Message>>>> = Mutex::new(Vec::new());
/// Batches in SPARE, read without the lock.
static SPARE_BATCHES: AtomicUsize = AtomicUsize::new(0);
const SPARE_BATCH: usize = 256;
const SPARE_MAX_BATCHES: usize = 64;

thread_local! {
    /// Messages this thread released, until there is a batch for SPARE.
    static RELEASED: std::cell::RefCell<Vec<Box<Message>>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Releases a message the application destroyed (rd_kafka_message_destroy): kept for
/// reuse by whichever thread builds the next one.
pub fn release(mut m: Box<Message>) {
    // Only bare objects (a fetched message's bytes are shared, not copied): the spare
    // list holds at most 64 x 256 x 288 bytes, whatever the messages carried.
    if m.accounted || m.store.capacity() > 0 {
        return;
    }
    m.reset();
    RELEASED.with(|r| {
        let mut r = r.borrow_mut();
        r.push(m);
        if r.len() < SPARE_BATCH {
            return;
        }
        let batch = std::mem::take(&mut *r);
        let mut spare = SPARE.lock().unwrap_or_else(|e| e.into_inner());
        if spare.len() < SPARE_MAX_BATCHES {
            spare.push(batch);
            SPARE_BATCHES.store(spare.len(), Ordering::Relaxed);
        }
    });
}

/// A batch of released messages for this thread's pool, if there is one.
fn take_spare(pool: &mut Pool) {
    if SPARE_BATCHES.load(Ordering::Relaxed) == 0 {
        return;
    }
    let batch = {
        let mut spare = SPARE.lock().unwrap_or_else(|e| e.into_inner());
        let b = spare.pop();
        SPARE_BATCHES.store(spare.len(), Ordering::Relaxed);
        b
    };
    for m in batch.into_iter().flatten() {
        pool.put(m, true);
    }
}

/// Releases messages the application is done with: their producer-queue accounting is
/// returned in one step and the objects go back to this thread's pool.
pub fn recycle(msgs: Vec<Box<Message>>) {
    let mut n = 0usize;
    let mut bytes = 0usize;
    let mut outq = None;
    let mut others = Vec::new();
    POOL.with(|pool| {
        let mut pool = pool.borrow_mut();
        for mut m in msgs {
            if m.accounted {
                let same = match (&outq, &m.outq) {
                    (Some(q), Some(mq)) => Arc::ptr_eq(q, mq),
                    (None, Some(mq)) => {
                        outq = Some(mq.clone());
                        true
                    }
                    _ => false,
                };
                if !same {
                    others.push(m);
                    continue;
                }
                m.accounted = false;
                n += 1;
                bytes += m.queued_size();
            }
            pool.put(m, false);
        }
    });
    if let Some(q) = outq {
        q.sub(n, bytes);
    }
    drop(others);
}

impl Message {
    /// A message of the topic whose C handle is at `rkt` (0: none).
    pub fn new(rkt: usize, partition: i32, payload: Buf, key: Buf) -> Box<Message> {
        let mut m = Message::alloc();
        m.init(rkt, partition, payload, key);
        m
    }

    /// A record read from a fetch response (Fetch or ShareFetch): key, value and
    /// headers share the response's memory.
    #[inline]
    pub fn fetched(rkt: usize, partition: i32, broker_id: i32, rec: Record) -> Box<Message> {
        let mut m = Message::new(
            rkt,
            partition,
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
        m
    }

    fn blank() -> Message {
        Message {
            c: CMessage::default(),
            outq: None,
            payload: Buf::None,
            key: Buf::None,
            headers: None,
            timestamp: -1,
            tstype: TSTYPE_NOT_AVAILABLE,
            status: STATUS_NOT_PERSISTED,
            enq_us: 0,
            latency_us: -1,
            broker_id: -1,
            leader_epoch: -1,
            retries: 0,
            seq: -1,
            batch_last_seq: -1,
            errstr: None,
            want_partition: -1,
            store: Vec::new(),
            cursor: None,
            fetch_version: 0,
            accounted: false,
            delivery_count: 0,
        }
    }

    fn alloc() -> Box<Message> {
        POOL.with(|p| {
            let mut p = p.borrow_mut();
            p.take().or_else(|| {
                take_spare(&mut p);
                p.take()
            })
        })
        .unwrap_or_else(|| Box::new(Message::blank()))
    }

    /// Drops what a used message holds, keeping the box and the copy buffer's capacity;
    /// `init` sets every other field again.
    fn reset(&mut self) {
        self.outq = None;
        self.payload = Buf::None;
        self.key = Buf::None;
        self.headers = None;
        self.errstr = None;
        self.cursor = None;
        self.store.clear();
        self.accounted = false;
    }

    fn init(&mut self, rkt: usize, partition: i32, payload: Buf, key: Buf) {
        self.c = CMessage {
            err: 0,
            rkt,
            partition,
            payload: 0,
            len: payload.len(),
            key: 0,
            key_len: key.len(),
            offset: -1001,
            private: 0,
        };
        self.timestamp = -1;
        self.tstype = TSTYPE_NOT_AVAILABLE;
        self.status = STATUS_NOT_PERSISTED;
        self.enq_us = 0;
        self.latency_us = -1;
        self.broker_id = -1;
        self.leader_epoch = -1;
        self.retries = 0;
        self.seq = -1;
        self.batch_last_seq = -1;
        self.fetch_version = 0;
        self.delivery_count = 0;
        self.payload = payload;
        self.key = key;
        self.want_partition = partition;
        self.c.payload = self.addr_of(&self.payload);
        self.c.key = self.addr_of(&self.key);
    }

    /// Copies key and payload into one buffer owned by the message.
    pub fn copied(
        rkt: usize,
        partition: i32,
        payload: Option<&[u8]>,
        key: Option<&[u8]>,
        foreign_payload: Option<Buf>,
    ) -> Box<Message> {
        let mut m = Message::alloc();
        let klen = key.map_or(0, |k| k.len());
        let plen = payload.map_or(0, |p| p.len());
        m.store.reserve(klen + if plen >= SHARE_MIN { 0 } else { plen });
        let key_buf = key.map_or(Buf::None, |k| {
            m.store.extend_from_slice(k);
            Buf::Store { off: 0, len: klen as u32 }
        });
        let payload_buf = match (foreign_payload, payload) {
            (Some(f), _) => f,
            (None, Some(p)) if plen >= SHARE_MIN => Buf::Shared(Bytes::copy_from_slice(p)),
            (None, Some(p)) => {
                m.store.extend_from_slice(p);
                Buf::Store { off: klen as u32, len: plen as u32 }
            }
            (None, None) => Buf::None,
        };
        m.init(rkt, partition, payload_buf, key_buf);
        m
    }

    fn addr_of(&self, b: &Buf) -> usize {
        match b {
            Buf::Store { off, .. } => self.store.as_ptr() as usize + *off as usize,
            _ => b.addr(),
        }
    }

    fn resolve<'a>(&'a self, b: &'a Buf) -> Option<&'a [u8]> {
        match b {
            Buf::Store { off, len } => self.store.get(*off as usize..(*off + *len) as usize),
            _ => b.as_slice(),
        }
    }

    pub fn key_bytes(&self) -> Option<&[u8]> {
        self.resolve(&self.key)
    }

    pub fn payload_bytes(&self) -> Option<&[u8]> {
        self.resolve(&self.payload)
    }

    /// The payload, when it is held in shared bytes (a large copy, or fetched).
    pub fn payload_shared(&self) -> Option<&Bytes> {
        match &self.payload {
            Buf::Shared(b) => Some(b),
            _ => None,
        }
    }

    pub fn size(&self) -> usize {
        self.c.len + self.c.key_len
    }

    /// What the producer queue counts (queue.buffering.max.kbytes, stats msg_size):
    /// the payload, as librdkafka.
    pub fn queued_size(&self) -> usize {
        self.c.len
    }

    pub fn set_error(&mut self, err: ErrorCode, errstr: Option<String>) {
        self.c.err = err.0;
        self.errstr = errstr.and_then(|s| std::ffi::CString::new(s).ok()).map(Box::new);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Messages destroyed on one thread are reused by another (a consumer's messages are
    /// built on a broker thread and destroyed on the application's), emptied first; a
    /// message with a copy buffer is freed instead.
    #[test]
    fn released_messages_are_reused_by_other_threads() {
        let released: Vec<usize> = std::thread::spawn(|| {
            (0..SPARE_BATCH)
                .map(|i| {
                    let b = bytes::Bytes::from(vec![i as u8; 40]);
                    let m = Message::new(0, 0, Buf::Shared(b), Buf::None);
                    let addr = &*m as *const Message as usize;
                    release(m);
                    addr
                })
                .collect()
        })
        .join()
        .unwrap();
        let reused = std::thread::spawn(|| {
            let m = Message::new(0, 3, Buf::None, Buf::None);
            assert!(m.payload_bytes().is_none() && m.key_bytes().is_none() && m.c.partition == 3);
            &*m as *const Message as usize
        })
        .join()
        .unwrap();
        assert!(released.contains(&reused), "a released message was reused");
        let before = SPARE_BATCHES.load(Ordering::Relaxed);
        for _ in 0..SPARE_BATCH {
            release(Message::copied(0, 0, Some(b"value"), None, None));
        }
        assert_eq!(SPARE_BATCHES.load(Ordering::Relaxed), before, "copies are not kept");
    }
}
