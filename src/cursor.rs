//! A consumed partition's cursor: its fetch state and positions (librdkafka's toppar
//! fetch state, app and stored offsets) and the accounting of messages fetched but not
//! yet consumed. A fetched message points back to its partition's cursor, so that
//! handing it to the application moves the position; that is why the cursor sits below
//! the message and not in the partition object above it.

use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

pub const OFFSET_BEGINNING: i64 = -2;
pub const OFFSET_END: i64 = -1;
pub const OFFSET_STORED: i64 = -1000;
pub const OFFSET_INVALID: i64 = -1001;
pub const OFFSET_TAIL_BASE: i64 = -2000;

/// Where a partition's stored offset is also kept outside the broker (the legacy
/// consumer's file offset store, `consumer::offset_file`).
pub trait OffsetSink: Send + std::fmt::Debug {
    /// Keeps `offset` if it moved; Err is the reason it could not.
    fn store(&mut self, offset: i64) -> Result<(), String>;
    /// Makes what was kept durable (before the sink is dropped).
    fn sync(&mut self);
}

/// Fetch state of one partition.
#[derive(Debug)]
pub struct FetchState {
    pub fetching: bool,
    pub paused: bool,
    /// Paused by the library while the application handles a rebalance (librdkafka's
    /// LIB_PAUSE), apart from the application's own pause.
    pub lib_paused: bool,
    /// Next offset to fetch; logical (< 0) until resolved with ListOffsets.
    pub next_offset: i64,
    /// Offset of the next message the application will see (rd_kafka_position).
    pub app_offset: i64,
    /// Leader epoch of the message the application position follows (-1: none).
    pub app_epoch: i32,
    pub stored_offset: i64,
    pub stored_epoch: i32,
    /// Metadata stored with the offset (rd_kafka_offsets_store), committed with it.
    pub stored_metadata: Option<String>,
    pub committed_offset: i64,
    pub committed_epoch: i32,
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
    /// offset.store.method=file: the partition's offset file while it is consumed.
    pub offset_sink: Option<Box<dyn OffsetSink>>,
    /// The queue-wide prefetch count this partition's queued messages are part of.
    pub prefetch: Option<Arc<Prefetch>>,
}

impl Default for FetchState {
    fn default() -> Self {
        FetchState {
            fetching: false,
            paused: false,
            lib_paused: false,
            next_offset: OFFSET_INVALID,
            app_offset: OFFSET_INVALID,
            app_epoch: -1,
            stored_offset: OFFSET_INVALID,
            stored_epoch: -1,
            stored_metadata: None,
            committed_offset: OFFSET_INVALID,
            committed_epoch: -1,
            version: 0,
            lo: OFFSET_INVALID,
            hi: OFFSET_INVALID,
            ls: OFFSET_INVALID,
            eof_at: OFFSET_INVALID,
            backoff_until_us: 0,
            resolving: false,
            stopped_err: false,
            assigned_offset: OFFSET_INVALID,
            offset_sink: None,
            prefetch: None,
        }
    }
}

/// Messages fetched and not yet consumed, counted over the queue they end up on (the
/// consumer queue, a queue given to consume_start_queue, or a partition's own): as in
/// librdkafka, queued.min.messages and queued.max.messages.kbytes bound that whole
/// queue, not each partition feeding it. Broker threads that held back fetching park
/// their waker here and are woken once consuming brings the count below the limits.
#[derive(Default, Debug)]
pub struct Prefetch {
    cnt: AtomicI64,
    bytes: AtomicI64,
    parked: AtomicBool,
    wakers: Mutex<Vec<Arc<mio::Waker>>>,
}

impl Prefetch {
    fn add(&self, n: i64, bytes: i64) {
        self.cnt.fetch_add(n, Ordering::SeqCst);
        self.bytes.fetch_add(bytes, Ordering::SeqCst);
    }

    fn over(&self, max_cnt: i64, max_bytes: i64) -> bool {
        self.cnt.load(Ordering::SeqCst) >= max_cnt || self.bytes.load(Ordering::SeqCst) >= max_bytes
    }

    /// Whether a fetch must wait for room; if so, `waker` is woken when there is room.
    /// Parks before the final check, so a consumer draining the queue concurrently
    /// either sees the parked waker or leaves room that this check sees.
    pub fn hold(&self, max_cnt: i64, max_bytes: i64, waker: impl FnOnce() -> Arc<mio::Waker>) -> bool {
        if !self.over(max_cnt, max_bytes) {
            return false;
        }
        {
            let mut w = self.wakers.lock().unwrap_or_else(|e| e.into_inner());
            let waker = waker();
            if !w.iter().any(|o| Arc::ptr_eq(o, &waker)) {
                w.push(waker);
            }
            self.parked.store(true, Ordering::SeqCst);
        }
        self.over(max_cnt, max_bytes)
    }

    /// After messages were taken: wakes the parked fetchers once below the limits.
    pub fn release(&self, max_cnt: i64, max_bytes: i64) {
        if !self.parked.load(Ordering::SeqCst) || self.over(max_cnt, max_bytes) {
            return;
        }
        let wakers = {
            let mut w = self.wakers.lock().unwrap_or_else(|e| e.into_inner());
            self.parked.store(false, Ordering::SeqCst);
            std::mem::take(&mut *w)
        };
        for w in wakers {
            let _ = w.wake();
        }
    }
}

#[derive(Default)]
pub struct Cursor {
    state: Mutex<FetchState>,
    /// Messages (and their bytes) fetched and queued for the application; changed only
    /// under the state lock, together with the queue-wide count in `FetchState::prefetch`.
    pub fetchq_cnt: AtomicI64,
    pub fetchq_bytes: AtomicI64,
    /// Wakes the broker thread that fetches this partition (its leader's), if any.
    fetcher: Mutex<Option<Arc<mio::Waker>>>,
}

impl Cursor {
    pub fn lock(&self) -> MutexGuard<'_, FetchState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The partition moved to another leader (or to none).
    pub fn set_fetcher(&self, w: Option<Arc<mio::Waker>>) {
        *self.fetcher.lock().unwrap_or_else(|e| e.into_inner()) = w;
    }

    /// Counts `n` messages of `bytes` queued towards the queue counted by `pool`. If
    /// the partition's messages were counted on another queue's pool (its forwarding
    /// changed), its whole count moves, so each pool stays the sum of its partitions.
    pub fn queued(&self, st: &mut FetchState, pool: &Arc<Prefetch>, n: i64, bytes: i64) {
        if !st.prefetch.as_ref().is_some_and(|o| Arc::ptr_eq(o, pool)) {
            let (cnt, b) =
                (self.fetchq_cnt.load(Ordering::Acquire), self.fetchq_bytes.load(Ordering::Acquire));
            if let Some(old) = st.prefetch.take() {
                old.add(-cnt, -b);
            }
            pool.add(cnt, b);
            st.prefetch = Some(pool.clone());
        }
        self.fetchq_cnt.fetch_add(n, Ordering::AcqRel);
        self.fetchq_bytes.fetch_add(bytes, Ordering::AcqRel);
        pool.add(n, bytes);
    }

    /// Counts `n` queued messages of `bytes` as gone (consumed, dropped or purged).
    pub fn unqueued(&self, st: &FetchState, n: i64, bytes: i64) {
        self.fetchq_cnt.fetch_sub(n, Ordering::AcqRel);
        self.fetchq_bytes.fetch_sub(bytes, Ordering::AcqRel);
        if let Some(pool) = &st.prefetch {
            pool.add(-n, -bytes);
        }
    }

    /// Wakes the fetching broker thread; false when the partition has no leader.
    pub fn wake_fetcher(&self) -> bool {
        match &*self.fetcher.lock().unwrap_or_else(|e| e.into_inner()) {
            Some(w) => {
                let _ = w.wake();
                true
            }
            None => false,
        }
    }
}

impl FetchState {
    /// Sets the stored position (offset, leader epoch, metadata) to commit next.
    pub fn store(&mut self, offset: i64, epoch: i32, metadata: Option<String>) {
        self.stored_offset = offset;
        self.stored_epoch = epoch;
        self.stored_metadata = metadata;
    }

    /// Whether the stored position is past the committed one (librdkafka's fetch
    /// position order: by leader epoch when both have one, then by offset).
    pub fn stored_ahead(&self) -> bool {
        if self.stored_offset < 0 {
            return false;
        }
        if self.stored_epoch != -1 && self.committed_epoch != -1 && self.stored_epoch != self.committed_epoch
        {
            return self.stored_epoch > self.committed_epoch;
        }
        self.stored_offset > self.committed_offset
    }
}

/// A logical or absolute offset as librdkafka prints it.
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
