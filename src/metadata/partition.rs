//! A topic partition (librdkafka's toppar): its leader, the producer's queue of
//! messages waiting to be sent, and the consumer's cursor and fetched-message queue.

use super::counters::{PartStats, TopicStats};
use crate::conf::TopicSettings;
use crate::cursor::{Cursor, FetchState};
use crate::event::Queue;
use crate::message::Message;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicI32, AtomicU8, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

/// A partition's producer queue and the wake-up of its leader's broker thread.
#[derive(Default)]
pub struct PartQueue {
    pub msgs: VecDeque<Box<Message>>,
    pub bytes: usize,
    pub leader: Option<Arc<mio::Waker>>,
    /// Retry backoff: nothing is sent before this instant.
    pub backoff_until: Option<Instant>,
    /// Idempotent producer: the sequence of the next new message, the next sequence
    /// expected to be acknowledged, the Produce requests in flight, and the producer
    /// id/epoch the assigned sequences belong to.
    pub next_seq: i32,
    pub acked_seq: i32,
    pub inflight: usize,
    pub seq_owner: Option<(i64, i16)>,
}

pub struct Partition {
    pub topic_name: Arc<str>,
    /// The address of the topic's C handle (rd_kafka_message_t.rkt of its messages).
    pub rkt: usize,
    /// The topic's settings, copied: broker threads read them without touching the
    /// topic's reference count, which the producing thread updates per message.
    pub settings: TopicSettings,
    pub id: i32,
    pub q: Mutex<PartQueue>,
    /// The leader's broker id (-1: none known), set with `PartQueue::leader`.
    pub leader_id: AtomicI32,
    pub leader_epoch: AtomicI32,
    pub stats: PartStats,
    pub topic_stats: Arc<TopicStats>,
    /// Consumer: fetch state and positions, and the queue fetched messages wait in
    /// (forwarded to the consumer queue when assigned, or read directly by the legacy
    /// consume API).
    pub cursor: Arc<Cursor>,
    pub fetchq: Arc<Queue>,
    /// Transactional producer: registered with the current transaction (PART_* of the
    /// transaction manager).
    pub txn: AtomicU8,
}

impl Partition {
    pub fn new(
        topic_name: Arc<str>,
        rkt: usize,
        settings: TopicSettings,
        topic_stats: Arc<TopicStats>,
        id: i32,
    ) -> Arc<Partition> {
        Arc::new(Partition {
            topic_name,
            rkt,
            settings,
            id,
            q: Default::default(),
            leader_id: (-1).into(),
            leader_epoch: (-1).into(),
            stats: Default::default(),
            topic_stats,
            cursor: Default::default(),
            fetchq: Queue::new(),
            txn: Default::default(),
        })
    }

    pub fn cons(&self) -> MutexGuard<'_, FetchState> {
        self.cursor.lock()
    }

    pub fn lock(&self) -> MutexGuard<'_, PartQueue> {
        self.q.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Moves the partition to leader `id` (-1: none), whose broker thread `wake` wakes.
    /// Returns the previous leader id and whether messages are waiting, or None when
    /// nothing changed.
    pub fn set_leader(&self, id: i32, wake: Option<Arc<mio::Waker>>) -> Option<(i32, bool)> {
        let old_id = self.leader_id.swap(id, Ordering::AcqRel);
        let has = wake.is_some();
        let (had, has_msgs) = {
            let mut q = self.lock();
            let had = std::mem::replace(&mut q.leader, wake.clone()).is_some();
            (had, !q.msgs.is_empty())
        };
        self.cursor.set_fetcher(wake);
        (old_id != id || had != has).then_some((old_id, has_msgs))
    }
}
