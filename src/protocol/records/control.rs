//! Transaction control markers and read-committed filtering.

use super::types::BatchInfo;

/// A control record's marker type.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ControlType {
    Abort,
    Commit,
    Other(i16),
}

/// Parses a control record key (version i16, type i16).
pub fn control_type(key: &[u8]) -> Option<ControlType> {
    if key.len() < 4 {
        return None;
    }
    Some(match i16::from_be_bytes([key[2], key[3]]) {
        0 => ControlType::Abort,
        1 => ControlType::Commit,
        t => ControlType::Other(t),
    })
}

/// Read-committed filtering (KIP-98). The broker lists each aborted transaction in a
/// fetched range as (producer id, first offset); that producer's transactional batches
/// are hidden from the first offset up to its next control batch (the abort marker).
pub struct AbortedTxns {
    /// Listed aborts not reached yet, by first offset.
    pending: Vec<(i64, i64)>,
    /// Producers whose aborted transaction is open at the current batch.
    active: Vec<i64>,
}

impl AbortedTxns {
    pub fn new(mut list: Vec<(i64, i64)>) -> AbortedTxns {
        list.sort_by_key(|a| std::cmp::Reverse(a.1));
        AbortedTxns { pending: list, active: Vec::new() }
    }

    /// Whether the application must not see this batch's records: control batches
    /// always, transactional data of an aborted transaction under read_committed.
    pub fn hides(&mut self, info: &BatchInfo) -> bool {
        while self.pending.last().is_some_and(|a| a.1 <= info.last_offset) {
            let (pid, _) = self.pending.pop().unwrap_or_default();
            self.active.push(pid);
        }
        if info.is_control {
            // The marker ends the producer's transaction, committed or aborted.
            self.active.retain(|&pid| pid != info.producer_id);
            return true;
        }
        info.is_transactional && self.active.contains(&info.producer_id)
    }
}
