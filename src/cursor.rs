//! A consumed partition's cursor: its fetch state and positions (librdkafka's toppar
//! fetch state, app and stored offsets) and the accounting of messages fetched but not
//! yet consumed. A fetched message points back to its partition's cursor, so that
//! handing it to the application moves the position; that is why the cursor sits below
//! the message and not in the partition object above it.

use std::sync::atomic::{AtomicBool, AtomicI64};
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
}

impl Default for FetchState {
    fn default() -> Self {
        FetchState {
            fetching: false,
            paused: false,
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
        }
    }
}

#[derive(Default)]
pub struct Cursor {
    state: Mutex<FetchState>,
    /// Messages (and their bytes) fetched and queued for the application.
    pub fetchq_cnt: AtomicI64,
    pub fetchq_bytes: AtomicI64,
    /// The fetcher skipped this partition because its queue was full.
    pub fetch_blocked: AtomicBool,
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
