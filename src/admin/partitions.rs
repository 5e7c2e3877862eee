//! The topic partitions admin requests name (with an offset, for DeleteRecords and the
//! group offsets requests).

/// One partition of a request, as the application listed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopicPartition {
    pub topic: String,
    pub partition: i32,
    /// The offset the request is about (RD_KAFKA_OFFSET_* or an offset), if any.
    pub offset: i64,
    /// Commit metadata (AlterConsumerGroupOffsets).
    pub metadata: Option<Vec<u8>>,
    /// -1: not known.
    pub leader_epoch: i32,
}
