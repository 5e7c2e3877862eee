//! Counters the statistics emitter reads: written on the paths that do the work,
//! never waited on.

use crate::window::Window;
use std::sync::atomic::{AtomicI64, AtomicU64};
use std::sync::Mutex;

/// Per-topic producer counters (librdkafka's rkt_avg_batchsize/batchcnt and the UA
/// partition's enqueue count), shared by the topic and its partitions.
#[derive(Default)]
pub struct TopicStats {
    /// Size in bytes of each produced record batch (as encoded, before the request).
    pub batchsize: Mutex<Window>,
    /// Message count of each produced record batch.
    pub batchcnt: Mutex<Window>,
    /// Messages enqueued on the unassigned ("-1") partition (its `msgs`).
    pub ua_msgs: AtomicU64,
}

/// Per-partition counters.
#[derive(Default)]
pub struct PartStats {
    pub txmsgs: AtomicU64,
    pub txbytes: AtomicU64,
    pub msgs: AtomicU64,
    pub txerrs: AtomicU64,
    pub next_ack_seq: AtomicI64,
    /// Messages in Produce requests awaiting a response.
    pub msgs_inflight: AtomicI64,
    pub rxmsgs: AtomicU64,
    pub rxbytes: AtomicU64,
}
