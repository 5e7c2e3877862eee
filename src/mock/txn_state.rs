//! The transaction coordinator's state: producer ids and epochs, and each
//! transactional id's open transaction (partitions, groups, staged offsets).

use super::groups::Committed;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::Instant;

/// Kafka moves to a new producer id rather than reach this epoch.
pub const EPOCH_EXHAUSTED: i16 = i16::MAX - 1;

/// A producer id and epoch, and the epoch before the last InitProducerId bump: a
/// retried bump is answered with the bumped epoch instead of bumping twice.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Producer {
    pub id: i64,
    pub epoch: i16,
    pub last: i16,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Phase {
    Empty,
    Ongoing,
    /// Completed: remembered so that a retried EndTxn gets the same answer.
    CompleteCommit,
    CompleteAbort,
}

/// A transactional id's state.
pub struct Txn {
    pub producer: Producer,
    pub timeout_ms: i32,
    pub phase: Phase,
    /// When the open transaction began (its first partition or group).
    pub started: Instant,
    pub partitions: BTreeSet<(String, i32)>,
    pub groups: BTreeSet<String>,
    /// Offsets committed in the transaction: (group, topic, partition).
    pub offsets: BTreeMap<(String, String, i32), Committed>,
}

pub struct Txns {
    pub next_pid: i64,
    pub by_id: HashMap<String, Txn>,
    /// Idempotent producers without a transactional id, for their epoch bumps.
    pub idempotent: HashMap<i64, Producer>,
}

impl Default for Txns {
    fn default() -> Txns {
        Txns { next_pid: 1000, by_id: HashMap::new(), idempotent: HashMap::new() }
    }
}

impl Txns {
    pub fn new_producer(&mut self) -> Producer {
        let id = self.next_pid;
        self.next_pid += 1;
        Producer { id, epoch: 0, last: -1 }
    }

    /// Whether an open transaction will commit an offset for this group's partition
    /// (OffsetFetch with require_stable answers UNSTABLE_OFFSET_COMMIT meanwhile).
    pub fn pending_offsets(&self, group: &str, topic: &str, partition: i32) -> bool {
        let key = (group.to_string(), topic.to_string(), partition);
        self.by_id.values().any(|t| t.phase == Phase::Ongoing && t.offsets.contains_key(&key))
    }
}

impl Txn {
    pub fn new(producer: Producer, timeout_ms: i32, now: Instant) -> Txn {
        Txn {
            producer,
            timeout_ms,
            phase: Phase::Empty,
            started: now,
            partitions: BTreeSet::new(),
            groups: BTreeSet::new(),
            offsets: BTreeMap::new(),
        }
    }

    /// A partition or group joins: the transaction is open from now on.
    pub fn open(&mut self, now: Instant) {
        if self.phase != Phase::Ongoing {
            self.phase = Phase::Ongoing;
            self.started = now;
        }
    }
}
