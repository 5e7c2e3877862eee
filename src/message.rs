//! The message object shared by the producer, the consumer and the C API.
//!
//! `Message` starts with `CMessage`, a field-for-field twin of librdkafka's
//! `rd_kafka_message_t` whose pointers are held as `usize`: the C layer hands out
//! `*mut Message` as `rd_kafka_message_t *` without copying, while the core stays free of
//! raw pointers (and so is `Send` by construction).

use crate::capi::foreign::ForeignBuf;
use crate::client::Topic;
use bytes::Bytes;
use std::sync::Arc;

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

/// Where a payload or key lives.
pub enum Buf {
    None,
    Owned(Box<[u8]>),
    Shared(Bytes),
    Foreign(ForeignBuf),
    /// A range of the message's own `store` (copied key and payload share one allocation).
    Store {
        off: u32,
        len: u32,
    },
}

impl Buf {
    pub fn as_slice(&self) -> Option<&[u8]> {
        match self {
            Buf::None => None,
            Buf::Owned(b) => Some(b),
            Buf::Shared(b) => Some(b),
            Buf::Foreign(f) => Some(f.as_slice()),
            // Only the owning message can resolve a store range: see Message::key/payload.
            Buf::Store { .. } => None,
        }
    }
    pub fn len(&self) -> usize {
        match self {
            Buf::Store { len, .. } => *len as usize,
            _ => self.as_slice().map_or(0, |s| s.len()),
        }
    }
    pub fn is_none(&self) -> bool {
        matches!(self, Buf::None)
    }
    /// Address for the C struct: librdkafka gives NULL for an absent payload/key.
    pub fn addr(&self) -> usize {
        match self {
            Buf::None => 0,
            Buf::Foreign(f) => f.addr(),
            Buf::Store { .. } => 0,
            _ => self.as_slice().map_or(0, |s| s.as_ptr() as usize),
        }
    }
}

/// The C API's tag for header lists (`rd_kafka_headers_t *` points to a `Headers`).
pub const HEADERS_TAG: u64 = 0x6b61_666b_6172_7307;

/// Message headers, in insertion order; duplicates allowed as in Kafka.
#[derive(Clone, Debug)]
#[repr(C)]
pub struct Headers {
    /// HEADERS_TAG: the C API hands this struct out as `rd_kafka_headers_t` and checks
    /// the tag (must stay the first field). Not part of equality.
    pub tag: u64,
    pub list: Vec<(String, Option<Vec<u8>>)>,
    /// NUL-terminated copies for `rd_kafka_header_get_*`, built on first read.
    pub cnames: HeadersCCache,
}

/// One header as C reads it: the name and the value each with a trailing NUL
/// (librdkafka promises the NUL after values too).
#[derive(Debug)]
pub struct CHeader {
    pub name: std::ffi::CString,
    pub value: Option<Box<[u8]>>,
}

/// Cache of `CHeader`s for the C getters. A `OnceLock` so concurrent readers through a
/// const pointer are safe; mutations go through `&mut Headers` and reset it. Never part
/// of equality, and not copied by clone (it is rebuilt on demand).
#[derive(Debug, Default)]
pub struct HeadersCCache(std::sync::OnceLock<Vec<CHeader>>);

impl Clone for HeadersCCache {
    fn clone(&self) -> Self {
        HeadersCCache::default()
    }
}

impl PartialEq for HeadersCCache {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl HeadersCCache {
    pub fn clear(&mut self) {
        self.0.take();
    }
}

impl Default for Headers {
    fn default() -> Self {
        Headers::with_capacity(0)
    }
}

impl PartialEq for Headers {
    fn eq(&self, other: &Self) -> bool {
        self.list == other.list
    }
}

impl Headers {
    pub fn with_capacity(n: usize) -> Headers {
        Headers { tag: HEADERS_TAG, list: Vec::with_capacity(n), cnames: HeadersCCache::default() }
    }
    pub fn add(&mut self, name: &str, value: Option<&[u8]>) {
        self.list.push((name.to_string(), value.map(|v| v.to_vec())));
        self.cnames.clear();
    }
    pub fn remove(&mut self, name: &str) -> bool {
        let before = self.list.len();
        self.list.retain(|(n, _)| n != name);
        self.cnames.clear();
        before != self.list.len()
    }
    pub fn encoded_size(&self) -> usize {
        self.list.iter().map(|(n, v)| n.len() + v.as_ref().map_or(0, |v| v.len()) + 10).sum()
    }
    /// The headers as C reads them (same order as `list`), built on first use and valid
    /// until the next `add`/`remove`.
    pub fn c_view(&self) -> &[CHeader] {
        self.cnames.0.get_or_init(|| {
            self.list
                .iter()
                .map(|(n, v)| CHeader {
                    name: std::ffi::CString::new(n.replace('\0', "\\0")).unwrap_or_default(),
                    value: v.as_ref().map(|v| {
                        let mut b = Vec::with_capacity(v.len() + 1);
                        b.extend_from_slice(v);
                        b.push(0);
                        b.into_boxed_slice()
                    }),
                })
                .collect()
        })
    }
}

pub const TSTYPE_NOT_AVAILABLE: i32 = 0;
pub const TSTYPE_CREATE_TIME: i32 = 1;
pub const TSTYPE_LOG_APPEND_TIME: i32 = 2;

pub const STATUS_NOT_PERSISTED: i32 = 0;
pub const STATUS_POSSIBLY_PERSISTED: i32 = 1;
pub const STATUS_PERSISTED: i32 = 2;

/// A produced or consumed message. `c` must stay the first field.
#[repr(C)]
pub struct Message {
    pub c: CMessage,
    pub topic: Option<Arc<Topic>>,
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
    /// Error string for `rd_kafka_message_errstr`, when more precise than the code's.
    pub errstr: Option<std::ffi::CString>,
    /// Producer: partition chosen by the app (-1 = let the partitioner decide).
    pub want_partition: i32,
    /// Backing bytes for `Buf::Store` key/payload: one buffer for both copies.
    pub store: Vec<u8>,
    /// Consumer: the partition the message was fetched from (prefetch accounting), and
    /// its fetch version then (a later seek/stop makes the message outdated).
    pub toppar: Option<Arc<crate::client::Partition>>,
    pub fetch_version: u64,
    /// Counted in the producer queue (outq_len, queue.buffering.max.*) until dropped.
    pub accounted: bool,
}

impl Drop for Message {
    fn drop(&mut self) {
        if self.accounted {
            if let Some(t) = &self.topic {
                t.outq.sub(1, self.queued_size());
            }
        }
    }
}

thread_local! {
    /// Recycled message objects. Delivery reports are served on the application thread
    /// that produces (rd_kafka_poll/flush), so one thread both frees and allocates them:
    /// reusing the boxes (and their copy buffers) avoids two malloc/free pairs per message.
    static POOL: std::cell::RefCell<Vec<Box<Message>>> = const { std::cell::RefCell::new(Vec::new()) };
}
const POOL_MAX: usize = 16 * 1024;

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
                let same = match (&outq, &m.topic) {
                    (Some(q), Some(t)) => Arc::ptr_eq(q, &t.outq),
                    (None, Some(t)) => {
                        outq = Some(t.outq.clone());
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
            if pool.len() < POOL_MAX && m.store.capacity() <= 64 * 1024 {
                m.reset();
                pool.push(m);
            }
        }
    });
    if let Some(q) = outq {
        q.sub(n, bytes);
    }
    drop(others);
}

impl Message {
    pub fn new(topic: Option<Arc<Topic>>, partition: i32, payload: Buf, key: Buf) -> Box<Message> {
        let mut m = Message::alloc();
        m.init(topic, partition, payload, key);
        m
    }

    fn blank() -> Message {
        Message {
            c: CMessage::default(),
            topic: None,
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
            toppar: None,
            fetch_version: 0,
            accounted: false,
        }
    }

    fn alloc() -> Box<Message> {
        POOL.with(|p| p.borrow_mut().pop()).unwrap_or_else(|| Box::new(Message::blank()))
    }

    /// Drops what a used message holds, keeping the box and the copy buffer's capacity;
    /// `init` sets every other field again.
    fn reset(&mut self) {
        self.topic = None;
        self.payload = Buf::None;
        self.key = Buf::None;
        self.headers = None;
        self.errstr = None;
        self.toppar = None;
        self.store.clear();
        self.accounted = false;
    }

    fn init(&mut self, topic: Option<Arc<Topic>>, partition: i32, payload: Buf, key: Buf) {
        let rkt = topic.as_ref().map_or(0, |t| Arc::as_ptr(t) as usize);
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
        self.topic = topic;
        self.payload = payload;
        self.key = key;
        self.want_partition = partition;
        self.c.payload = self.addr_of(&self.payload);
        self.c.key = self.addr_of(&self.key);
    }

    /// Copies key and payload into one buffer owned by the message.
    pub fn copied(
        topic: Option<Arc<Topic>>,
        partition: i32,
        payload: Option<&[u8]>,
        key: Option<&[u8]>,
        foreign_payload: Option<Buf>,
    ) -> Box<Message> {
        let mut m = Message::alloc();
        let klen = key.map_or(0, |k| k.len());
        let plen = payload.map_or(0, |p| p.len());
        m.store.reserve(klen + plen);
        let key_buf = key.map_or(Buf::None, |k| {
            m.store.extend_from_slice(k);
            Buf::Store { off: 0, len: klen as u32 }
        });
        let payload_buf = match (foreign_payload, payload) {
            (Some(f), _) => f,
            (None, Some(p)) => {
                m.store.extend_from_slice(p);
                Buf::Store { off: klen as u32, len: plen as u32 }
            }
            (None, None) => Buf::None,
        };
        m.init(topic, partition, payload_buf, key_buf);
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

    pub fn size(&self) -> usize {
        self.c.len + self.c.key_len
    }

    /// What the producer queue counts (queue.buffering.max.kbytes, stats msg_size):
    /// the payload, as librdkafka.
    pub fn queued_size(&self) -> usize {
        self.c.len
    }

    pub fn set_error(&mut self, err: crate::error::ErrorCode, errstr: Option<String>) {
        self.c.err = err.0;
        self.errstr = errstr.and_then(|s| std::ffi::CString::new(s).ok());
    }
}
