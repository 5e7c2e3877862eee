//! ElectLeaders: which partitions get a new leader, and how it is chosen.

use super::partitions::TopicPartition;

/// A leader election request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ElectLeaders {
    /// RD_KAFKA_ELECTION_TYPE_* (0: preferred replica, 1: unclean), kept unchecked as
    /// rd_kafka_ElectLeaders_new() keeps it.
    pub election_type: i32,
    /// None: every partition.
    pub partitions: Option<Vec<TopicPartition>>,
}
