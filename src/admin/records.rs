//! DeleteRecords: the partitions to truncate and the offsets to truncate them before.

use super::partitions::TopicPartition;

/// Delete the records of each partition before its offset (RD_KAFKA_OFFSET_END: all).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeleteRecords {
    pub before_offsets: Vec<TopicPartition>,
}
