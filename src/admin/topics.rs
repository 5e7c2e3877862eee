//! Topics in the Admin API: topics to create or delete, partitions to add, topic names to
//! describe, with librdkafka's limits and error texts.

use super::configs::ConfigEntry;
use crate::error::{ErrorCode, KafkaError};

/// librdkafka's protocol limits (RD_KAFKAP_PARTITIONS_MAX / RD_KAFKAP_BROKERS_MAX).
pub const PARTITIONS_MAX: i32 = 100_000;
pub const BROKERS_MAX: i32 = 10_000;

/// A topic to create.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewTopic {
    topic: String,
    num_partitions: i32,
    replication_factor: i32,
    /// The replicas of partitions 0, 1, ... in order.
    replicas: Vec<Vec<i32>>,
    configs: Vec<ConfigEntry>,
}

impl NewTopic {
    /// `num_partitions` up to 100000 or -1 (the broker's default; librdkafka lets 0
    /// through to the broker), `replication_factor` -1..10000.
    pub fn new(topic: String, num_partitions: i32, replication_factor: i32) -> Result<NewTopic, KafkaError> {
        if !(-1..=PARTITIONS_MAX).contains(&num_partitions) {
            return Err(invalid(format!(
                "num_partitions out of expected range 1..{PARTITIONS_MAX} or -1 for broker default"
            )));
        }
        if !(-1..=BROKERS_MAX).contains(&replication_factor) {
            return Err(invalid(format!("replication_factor out of expected range -1..{BROKERS_MAX}")));
        }
        Ok(NewTopic { topic, num_partitions, replication_factor, replicas: Vec::new(), configs: Vec::new() })
    }

    /// Sets the replicas of `partition`, the next one from 0. Only for a topic made with
    /// replication factor -1 and an explicit partition count. `broker_ids` reads the
    /// `broker_id_cnt` ids once the rest is known to be right; None if none were given.
    pub fn set_replica_assignment(
        &mut self,
        partition: i32,
        broker_id_cnt: usize,
        broker_ids: impl FnOnce() -> Option<Vec<i32>>,
    ) -> Result<(), KafkaError> {
        if self.replication_factor != -1 {
            return Err(invalid(
                "Specifying a replication factor and a replica assignment are mutually exclusive".into(),
            ));
        }
        if self.num_partitions == -1 {
            return Err(invalid(
                "Specifying a default partition count and a replica assignment are mutually exclusive".into(),
            ));
        }
        let ids = replica_list("partition", self.replicas.len(), partition, broker_id_cnt, broker_ids)?;
        self.replicas.push(ids);
        Ok(())
    }

    /// Sets a topic config for the topic to create (None: the broker's default).
    pub fn set_config(&mut self, name: String, value: Option<String>) {
        self.configs.push(ConfigEntry::set(name, value));
    }

    pub fn topic(&self) -> &str {
        &self.topic
    }

    pub fn num_partitions(&self) -> i32 {
        self.num_partitions
    }

    pub fn replication_factor(&self) -> i32 {
        self.replication_factor
    }

    pub fn replicas(&self) -> &[Vec<i32>] {
        &self.replicas
    }

    pub fn configs(&self) -> &[ConfigEntry] {
        &self.configs
    }
}

/// A topic to delete.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeleteTopic {
    pub topic: String,
}

/// Partitions to add to a topic: it grows to `total_cnt`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewPartitions {
    topic: String,
    total_cnt: usize,
    /// The replicas of the new partitions, the first new one first.
    replicas: Vec<Vec<i32>>,
}

impl NewPartitions {
    /// `new_total_cnt` is 1..100000.
    pub fn new(topic: String, new_total_cnt: usize) -> Result<NewPartitions, KafkaError> {
        if new_total_cnt < 1 || new_total_cnt > PARTITIONS_MAX as usize {
            return Err(invalid(format!("new_total_cnt out of expected range 1..{PARTITIONS_MAX}")));
        }
        Ok(NewPartitions { topic, total_cnt: new_total_cnt, replicas: Vec::new() })
    }

    /// Sets the replicas of new partition `new_partition_idx` (0: the first new one; in
    /// order). `broker_ids` as for NewTopic::set_replica_assignment.
    pub fn set_replica_assignment(
        &mut self,
        new_partition_idx: i32,
        broker_id_cnt: usize,
        broker_ids: impl FnOnce() -> Option<Vec<i32>>,
    ) -> Result<(), KafkaError> {
        let ids = replica_list(
            "partition index",
            self.replicas.len(),
            new_partition_idx,
            broker_id_cnt,
            broker_ids,
        )?;
        self.replicas.push(ids);
        Ok(())
    }

    pub fn topic(&self) -> &str {
        &self.topic
    }

    pub fn total_cnt(&self) -> usize {
        self.total_cnt
    }

    pub fn replicas(&self) -> &[Vec<i32>] {
        &self.replicas
    }
}

/// The topics to describe (DescribeTopics).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopicCollection {
    pub topics: Vec<String>,
}

/// The replicas of the partition numbered `partition`, which must be `next`: checks the
/// order and the count, then reads the ids.
fn replica_list(
    what: &str,
    next: usize,
    partition: i32,
    broker_id_cnt: usize,
    broker_ids: impl FnOnce() -> Option<Vec<i32>>,
) -> Result<Vec<i32>, KafkaError> {
    if usize::try_from(partition).ok() != Some(next) {
        return Err(invalid(format!(
            "Partitions must be added in order, starting at 0: expecting {what} {next}, not {partition}"
        )));
    }
    if broker_id_cnt > BROKERS_MAX as usize {
        return Err(invalid(format!("Too many brokers specified (RD_KAFKAP_BROKERS_MAX={BROKERS_MAX})")));
    }
    broker_ids().ok_or_else(|| invalid("broker_ids must not be NULL".into()))
}

fn invalid(msg: String) -> KafkaError {
    KafkaError::new(ErrorCode::_INVALID_ARG, msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg<T: std::fmt::Debug>(r: Result<T, KafkaError>) -> String {
        let e = r.unwrap_err();
        assert_eq!(e.code, ErrorCode::_INVALID_ARG);
        e.msg
    }

    #[test]
    fn new_topic_limits() {
        assert!(NewTopic::new("t".into(), 0, 1).is_ok());
        assert!(NewTopic::new("t".into(), -1, -1).is_ok());
        assert_eq!(
            msg(NewTopic::new("t".into(), 100_001, 1)),
            "num_partitions out of expected range 1..100000 or -1 for broker default"
        );
        assert_eq!(
            msg(NewTopic::new("t".into(), 3, 10_001)),
            "replication_factor out of expected range -1..10000"
        );
        assert!(NewTopic::new("t".into(), -2, 1).is_err());
    }

    #[test]
    fn replicas_need_no_replication_factor_and_come_in_order() {
        let ids = || Some(vec![1, 2]);
        let mut t = NewTopic::new("t".into(), 3, 2).unwrap();
        assert!(msg(t.set_replica_assignment(0, 2, ids)).contains("replication factor"));
        let mut t = NewTopic::new("t".into(), -1, -1).unwrap();
        assert!(msg(t.set_replica_assignment(0, 2, ids)).contains("default partition count"));
        let mut t = NewTopic::new("t".into(), 2, -1).unwrap();
        assert_eq!(
            msg(t.set_replica_assignment(1, 2, ids)),
            "Partitions must be added in order, starting at 0: expecting partition 0, not 1"
        );
        assert!(t.set_replica_assignment(0, 2, ids).is_ok());
        // The ids are not read when the count is refused.
        let unread = || -> Option<Vec<i32>> { panic!("read") };
        assert_eq!(
            msg(t.set_replica_assignment(1, 10_001, unread)),
            "Too many brokers specified (RD_KAFKAP_BROKERS_MAX=10000)"
        );
        assert_eq!(msg(t.set_replica_assignment(1, 2, || None)), "broker_ids must not be NULL");
        assert!(t.set_replica_assignment(1, 2, ids).is_ok());
        assert_eq!(t.replicas(), [vec![1, 2], vec![1, 2]]);
        t.set_config("cleanup.policy".into(), Some("compact".into()));
        assert_eq!(t.configs(), [ConfigEntry::set("cleanup.policy".into(), Some("compact".into()))]);
    }

    #[test]
    fn new_partitions_limits_and_order() {
        assert_eq!(msg(NewPartitions::new("t".into(), 0)), "new_total_cnt out of expected range 1..100000");
        assert!(NewPartitions::new("t".into(), 100_001).is_err());
        let mut p = NewPartitions::new("t".into(), 4).unwrap();
        assert_eq!((p.topic(), p.total_cnt()), ("t", 4));
        assert!(p.set_replica_assignment(0, 1, || Some(vec![1])).is_ok());
        assert!(msg(p.set_replica_assignment(2, 1, || Some(vec![1])))
            .contains("expecting partition index 1, not 2"));
        assert!(p.set_replica_assignment(-1, 1, || Some(vec![1])).is_err());
    }
}
