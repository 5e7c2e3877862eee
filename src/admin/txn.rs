//! Transactions as the admin extensions see them (kafka-python's list_transactions,
//! describe_transactions, abort_transaction): the coordinator's states with their wire
//! names, ListTransactions' filters and the marker that aborts a hanging transaction.

use crate::error::{ErrorCode, KafkaError};

/// A transaction's state as the coordinator names it (KAFKARS_TXN_STATE_*).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TxnState {
    Unknown = 0,
    Empty,
    Ongoing,
    PrepareCommit,
    PrepareAbort,
    CompleteCommit,
    CompleteAbort,
    Dead,
    PrepareEpochFence,
}

const STATES: [(TxnState, &str); 9] = [
    (TxnState::Unknown, "Unknown"),
    (TxnState::Empty, "Empty"),
    (TxnState::Ongoing, "Ongoing"),
    (TxnState::PrepareCommit, "PrepareCommit"),
    (TxnState::PrepareAbort, "PrepareAbort"),
    (TxnState::CompleteCommit, "CompleteCommit"),
    (TxnState::CompleteAbort, "CompleteAbort"),
    (TxnState::Dead, "Dead"),
    (TxnState::PrepareEpochFence, "PrepareEpochFence"),
];

impl TxnState {
    pub fn from_i32(v: i32) -> Option<TxnState> {
        STATES.get(usize::try_from(v).ok()?).map(|s| s.0)
    }

    /// The state a broker names (Unknown for a name it does not know).
    pub fn from_wire(name: &str) -> TxnState {
        STATES.iter().find(|s| s.1 == name).map_or(TxnState::Unknown, |s| s.0)
    }

    /// The wire name ("Ongoing").
    pub fn name(self) -> &'static str {
        STATES[self as usize].1
    }
}

/// Which transactions ListTransactions lists (AdminOptions; empty: all).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TxnFilter {
    pub states: Vec<TxnState>,
    pub producer_ids: Vec<i64>,
    /// Only transactions running at least this long (needs ListTransactions v1); -1: any.
    pub min_duration_ms: i64,
    /// A regular expression the transactional id must match (needs v2).
    pub id_pattern: Option<String>,
}

/// The abort marker of one partition's hanging transaction (WriteTxnMarkers).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AbortSpec {
    pub topic: String,
    pub partition: i32,
    pub producer_id: i64,
    pub producer_epoch: i16,
    /// -1: the broker skips the coordinator epoch check.
    pub coordinator_epoch: i32,
}

impl AbortSpec {
    pub fn new(
        topic: String,
        partition: i32,
        producer_id: i64,
        producer_epoch: i16,
        coordinator_epoch: i32,
    ) -> Result<AbortSpec, KafkaError> {
        let bad = |m: &str| Err(KafkaError::new(ErrorCode::_INVALID_ARG, m.to_string()));
        if topic.is_empty() {
            return bad("topic name must not be empty");
        }
        if partition < 0 {
            return bad("partition must not be negative");
        }
        if producer_id < 0 {
            return bad("producer id must not be negative");
        }
        if producer_epoch < 0 {
            return bad("producer epoch must not be negative");
        }
        Ok(AbortSpec { topic, partition, producer_id, producer_epoch, coordinator_epoch })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_round_trip_their_wire_names() {
        for i in 0..9 {
            let s = TxnState::from_i32(i).unwrap();
            assert_eq!(s as i32, i);
            assert_eq!(TxnState::from_wire(s.name()), s);
        }
        assert_eq!(TxnState::from_i32(9), None);
        assert_eq!(TxnState::from_wire("Sleeping"), TxnState::Unknown);
        assert_eq!(TxnState::Ongoing.name(), "Ongoing");
    }

    #[test]
    fn abort_specs_are_checked() {
        assert!(AbortSpec::new("t".into(), 0, 7, 0, -1).is_ok());
        assert!(AbortSpec::new("".into(), 0, 7, 0, -1).is_err());
        assert!(AbortSpec::new("t".into(), -1, 7, 0, -1).is_err());
        assert!(AbortSpec::new("t".into(), 0, -1, 0, -1).is_err());
        assert!(AbortSpec::new("t".into(), 0, 7, -1, -1).is_err());
    }
}
