//! Moving replicas (kafkars extensions, as kafka-python's alter_partition_reassignments
//! and alter_replica_log_dirs): the brokers a partition should move to, or none to
//! cancel a reassignment in progress; the log directory a replica should move to.

use crate::error::{ErrorCode, KafkaError};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartitionReassignment {
    pub topic: String,
    pub partition: i32,
    /// None: cancel the partition's reassignment in progress.
    pub replicas: Option<Vec<i32>>,
}

impl PartitionReassignment {
    /// A reassignment of `topic` `partition` to `replicas` (None cancels). As kafka-python,
    /// an empty replica list is refused.
    pub fn new(
        topic: String,
        partition: i32,
        replicas: Option<Vec<i32>>,
    ) -> Result<PartitionReassignment, KafkaError> {
        if topic.is_empty() {
            return Err(KafkaError::new(ErrorCode::_INVALID_ARG, "topic name must not be empty"));
        }
        if partition < 0 {
            return Err(KafkaError::new(ErrorCode::_INVALID_ARG, "partition must not be negative"));
        }
        if replicas.as_ref().is_some_and(|r| r.is_empty()) {
            return Err(KafkaError::new(
                ErrorCode::_INVALID_ARG,
                "replicas must not be empty (NULL cancels the reassignment)",
            ));
        }
        Ok(PartitionReassignment { topic, partition, replicas })
    }
}

/// The log directory a broker's replica of a partition should move to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplicaLogDir {
    pub topic: String,
    pub partition: i32,
    pub broker_id: i32,
    pub path: String,
}

impl ReplicaLogDir {
    pub fn new(
        topic: String,
        partition: i32,
        broker_id: i32,
        path: String,
    ) -> Result<ReplicaLogDir, KafkaError> {
        let bad = |m: &str| Err(KafkaError::new(ErrorCode::_INVALID_ARG, m.to_string()));
        if topic.is_empty() {
            return bad("topic name must not be empty");
        }
        if partition < 0 {
            return bad("partition must not be negative");
        }
        if broker_id < 0 {
            return bad("broker id must not be negative");
        }
        if path.is_empty() {
            return bad("log directory path must not be empty");
        }
        Ok(ReplicaLogDir { topic, partition, broker_id, path })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reassignments_need_a_partition_and_replicas_or_none() {
        assert!(PartitionReassignment::new("t".into(), 0, Some(vec![1, 2])).is_ok());
        assert!(PartitionReassignment::new("t".into(), 0, None).is_ok());
        assert!(PartitionReassignment::new("t".into(), 0, Some(vec![])).is_err());
        assert!(PartitionReassignment::new("".into(), 0, None).is_err());
        assert!(PartitionReassignment::new("t".into(), -1, None).is_err());
    }

    #[test]
    fn replica_log_dirs_are_checked() {
        assert!(ReplicaLogDir::new("t".into(), 0, 1, "/d".into()).is_ok());
        assert!(ReplicaLogDir::new("t".into(), 0, -1, "/d".into()).is_err());
        assert!(ReplicaLogDir::new("t".into(), 0, 1, "".into()).is_err());
    }
}
