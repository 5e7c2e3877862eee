//! The producer queue's accounting (librdkafka's outq: `rd_kafka_outq_len`,
//! `queue.buffering.max.messages/kbytes`): one per client, shared by its topics, and
//! released by each message when it is dropped or recycled.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

pub struct OutQ {
    pub cnt: AtomicUsize,
    pub bytes: AtomicUsize,
    pub max_cnt: usize,
    pub max_bytes: usize,
    /// A transactional producer takes messages only inside a transaction; read on the
    /// produce path without locking (set by the transaction state machine).
    pub transactional: bool,
    pub txn_open: AtomicBool,
    /// Threads waiting for queue space (RD_KAFKA_MSG_F_BLOCK) or for an empty queue (flush).
    waiters: AtomicUsize,
    lock: Mutex<()>,
    cond: Condvar,
}

impl OutQ {
    pub fn new(max_cnt: usize, max_bytes: usize, transactional: bool) -> OutQ {
        OutQ {
            cnt: AtomicUsize::new(0),
            bytes: AtomicUsize::new(0),
            max_cnt,
            max_bytes,
            transactional,
            txn_open: AtomicBool::new(false),
            waiters: AtomicUsize::new(0),
            lock: Mutex::new(()),
            cond: Condvar::new(),
        }
    }

    /// Whether `produce()` may enqueue now (always, unless transactional and outside a
    /// transaction).
    pub fn admits(&self) -> bool {
        !self.transactional || self.txn_open.load(Ordering::Acquire)
    }

    /// Reserves room for one message; false when the queue is full.
    pub fn try_add(&self, size: usize) -> bool {
        let c = self.cnt.fetch_add(1, Ordering::AcqRel);
        let b = self.bytes.fetch_add(size, Ordering::AcqRel);
        if c >= self.max_cnt || b + size > self.max_bytes {
            self.cnt.fetch_sub(1, Ordering::AcqRel);
            self.bytes.fetch_sub(size, Ordering::AcqRel);
            return false;
        }
        true
    }

    /// Whether one more message of `size` bytes fits (a read-only pre-check).
    pub fn has_room(&self, size: usize) -> bool {
        self.cnt.load(Ordering::Relaxed) < self.max_cnt
            && self.bytes.load(Ordering::Relaxed) + size <= self.max_bytes
    }

    pub fn sub(&self, n: usize, size: usize) {
        self.bytes.fetch_sub(size, Ordering::AcqRel);
        self.cnt.fetch_sub(n, Ordering::AcqRel);
        if self.waiters.load(Ordering::Acquire) > 0 {
            let _g = self.lock.lock();
            self.cond.notify_all();
        }
    }

    /// Waits (bounded) until `pred` holds or the deadline passes.
    pub fn wait_until(&self, deadline: Option<Instant>, pred: impl Fn(&OutQ) -> bool) -> bool {
        self.waiters.fetch_add(1, Ordering::AcqRel);
        let mut g = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        let ok = loop {
            if pred(self) {
                break true;
            }
            let step = Duration::from_millis(100);
            let wait = match deadline {
                Some(d) => {
                    let now = Instant::now();
                    if now >= d {
                        break false;
                    }
                    (d - now).min(step)
                }
                None => step,
            };
            g = self.cond.wait_timeout(g, wait).unwrap_or_else(|e| e.into_inner()).0;
        };
        drop(g);
        self.waiters.fetch_sub(1, Ordering::AcqRel);
        ok
    }
}
