//! What admin operations answer, as the domain keeps it: one type per kind of result
//! entry, read by the C surface's accessors. An entry's error is None on success.

use super::acls::AclBinding;
use super::uuid::Uuid;
use crate::error::KafkaError;

/// A broker as results name it.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub id: i32,
    pub host: String,
    pub port: u16,
    pub rack: Option<String>,
}

/// One topic of CreateTopics, DeleteTopics, CreatePartitions.
#[derive(Debug)]
pub struct TopicResult {
    pub name: String,
    pub err: Option<KafkaError>,
}

/// A config entry as DescribeConfigs reports it.
#[derive(Clone, Debug, Default)]
pub struct ConfigEntryInfo {
    pub name: String,
    pub value: Option<String>,
    /// RD_KAFKA_CONFIG_SOURCE_*.
    pub source: i32,
    pub read_only: bool,
    pub is_default: bool,
    pub sensitive: bool,
    pub synonym: bool,
    pub synonyms: Vec<ConfigEntryInfo>,
}

/// One resource of DescribeConfigs, AlterConfigs, IncrementalAlterConfigs.
#[derive(Debug)]
pub struct ConfigResourceResult {
    pub restype: i32,
    pub name: String,
    pub err: Option<KafkaError>,
    pub entries: Vec<ConfigEntryInfo>,
}

/// A partition of a described topic.
#[derive(Debug)]
pub struct PartitionInfo {
    pub id: i32,
    pub leader: Option<Node>,
    pub isr: Vec<Node>,
    pub replicas: Vec<Node>,
}

/// One topic of DescribeTopics.
#[derive(Debug)]
pub struct TopicDescription {
    pub name: String,
    pub topic_id: Uuid,
    pub internal: bool,
    pub err: Option<KafkaError>,
    pub partitions: Vec<PartitionInfo>,
    /// RD_KAFKA_ACL_OPERATION_*; None when not asked for.
    pub authorized_ops: Option<Vec<i32>>,
}

/// DescribeCluster's answer.
#[derive(Debug)]
pub struct ClusterDescription {
    pub cluster_id: Option<String>,
    pub controller: Option<Node>,
    pub nodes: Vec<Node>,
    pub authorized_ops: Option<Vec<i32>>,
}

/// A partition in a result: offsets of groups, DeleteRecords' low watermarks,
/// ElectLeaders' outcome.
#[derive(Clone, Debug)]
pub struct PartitionResult {
    pub topic: String,
    pub partition: i32,
    pub offset: i64,
    pub metadata: Option<Vec<u8>>,
    pub leader_epoch: i32,
    pub err: Option<KafkaError>,
}

impl PartitionResult {
    pub fn new(topic: &str, partition: i32, offset: i64) -> PartitionResult {
        PartitionResult {
            topic: topic.to_string(),
            partition,
            offset,
            metadata: None,
            leader_epoch: -1,
            err: None,
        }
    }

    pub fn with_err(mut self, err: Option<KafkaError>) -> PartitionResult {
        self.err = err;
        self
    }
}

/// One group of DeleteGroups and of the group-offset operations.
#[derive(Debug)]
pub struct GroupResult {
    pub group: String,
    pub err: Option<KafkaError>,
    pub partitions: Option<Vec<PartitionResult>>,
}

/// One group of ListConsumerGroups.
#[derive(Debug)]
pub struct GroupListing {
    pub group_id: String,
    pub simple: bool,
    /// RD_KAFKA_CONSUMER_GROUP_STATE_*.
    pub state: i32,
    /// RD_KAFKA_CONSUMER_GROUP_TYPE_*.
    pub group_type: i32,
}

/// ListConsumerGroups' answer: the groups, and the brokers that could not answer.
#[derive(Debug, Default)]
pub struct GroupListings {
    pub valid: Vec<GroupListing>,
    pub errors: Vec<KafkaError>,
}

/// A member of a described group.
#[derive(Debug)]
pub struct MemberDescription {
    pub client_id: String,
    pub group_instance_id: Option<String>,
    pub member_id: String,
    pub host: String,
    pub assignment: Vec<PartitionResult>,
    pub target_assignment: Option<Vec<PartitionResult>>,
}

/// One group of DescribeConsumerGroups.
#[derive(Debug)]
pub struct GroupDescription {
    pub group_id: String,
    pub err: Option<KafkaError>,
    pub simple: bool,
    /// None for a group that could not be described.
    pub partition_assignor: Option<String>,
    pub state: i32,
    pub group_type: i32,
    pub coordinator: Option<Node>,
    pub members: Vec<MemberDescription>,
    pub authorized_ops: Option<Vec<i32>>,
}

/// One partition of ListOffsets.
#[derive(Debug)]
pub struct ListOffsetsInfo {
    pub part: PartitionResult,
    pub timestamp: i64,
}

/// DeleteAcls' answer to one filter.
#[derive(Debug)]
pub struct DeleteAclsResponse {
    pub err: Option<KafkaError>,
    pub matching: Vec<AclBinding>,
}

/// A user's SCRAM credential (DescribeUserScramCredentials).
#[derive(Clone, Copy, Debug)]
pub struct ScramCredentialInfo {
    /// RD_KAFKA_SCRAM_MECHANISM_*.
    pub mechanism: i32,
    pub iterations: i32,
}

/// One user of DescribeUserScramCredentials.
#[derive(Debug)]
pub struct UserScramDescription {
    pub user: String,
    /// Never None (code 0 on success), its text exactly the broker's message.
    pub err: Option<KafkaError>,
    pub err_text: String,
    pub credentials: Vec<ScramCredentialInfo>,
}

/// One user of AlterUserScramCredentials.
#[derive(Debug)]
pub struct UserScramAlterResult {
    pub user: String,
    pub err: Option<KafkaError>,
    pub err_text: String,
}

/// A partition's replica in a log directory (DescribeLogDirs).
#[derive(Debug)]
pub struct ReplicaInfo {
    pub topic: String,
    pub partition: i32,
    pub size: i64,
    pub offset_lag: i64,
    pub is_future: bool,
}

/// One log directory of a broker (DescribeLogDirs).
#[derive(Debug)]
pub struct LogDir {
    pub path: String,
    pub err: Option<KafkaError>,
    /// -1 when the broker does not tell (before v4).
    pub total_bytes: i64,
    pub usable_bytes: i64,
    pub replicas: Vec<ReplicaInfo>,
}

/// One broker's log directories, or why it could not tell (DescribeLogDirs).
#[derive(Debug)]
pub struct BrokerLogDirs {
    pub broker_id: i32,
    pub err: Option<KafkaError>,
    pub log_dirs: Vec<LogDir>,
}

/// A reassignment in progress (ListPartitionReassignments).
#[derive(Debug)]
pub struct OngoingReassignment {
    pub topic: String,
    pub partition: i32,
    pub replicas: Vec<i32>,
    pub adding: Vec<i32>,
    pub removing: Vec<i32>,
}

/// A replica's move to another log directory (AlterReplicaLogDirs).
#[derive(Debug)]
pub struct ReplicaLogDirResult {
    pub dir: super::reassign::ReplicaLogDir,
    pub err: Option<KafkaError>,
}

/// A voter or observer of the metadata quorum (DescribeMetadataQuorum).
#[derive(Debug)]
pub struct ReplicaState {
    pub replica_id: i32,
    /// v2 and later.
    pub directory_id: Option<Uuid>,
    pub log_end_offset: i64,
    /// -1 when unknown (before v1).
    pub last_fetch_timestamp: i64,
    pub last_caught_up_timestamp: i64,
}

/// The metadata quorum (DescribeMetadataQuorum, partition __cluster_metadata-0).
#[derive(Debug)]
pub struct QuorumInfo {
    pub leader_id: i32,
    pub leader_epoch: i32,
    pub high_watermark: i64,
    pub voters: Vec<ReplicaState>,
    pub observers: Vec<ReplicaState>,
    /// One per node and listener (v2 and later); the listener's name is the rack.
    pub nodes: Vec<Node>,
}

/// A feature the broker supports or the cluster finalized (DescribeFeatures).
#[derive(Debug)]
pub struct FeatureInfo {
    pub name: String,
    /// (min, max) versions; None when the broker does not support it.
    pub supported: Option<(i16, i16)>,
    /// (min, max) finalized levels; None when not finalized.
    pub finalized: Option<(i16, i16)>,
}

/// DescribeFeatures' answer.
#[derive(Debug)]
pub struct Features {
    pub features: Vec<FeatureInfo>,
    /// -1 when unknown.
    pub finalized_epoch: i64,
}

/// One feature of UpdateFeatures.
#[derive(Debug)]
pub struct FeatureUpdateResult {
    pub name: String,
    pub err: Option<KafkaError>,
}

/// A config resource the cluster has (ListConfigResources).
#[derive(Debug)]
pub struct ConfigResourceListing {
    pub name: String,
    /// The wire's type (KAFKARS_CONFIG_RESOURCE_*).
    pub restype: i8,
}

/// One member of RemoveGroupMembers.
#[derive(Debug)]
pub struct MemberRemoval {
    pub member_id: String,
    pub group_instance_id: Option<String>,
    pub err: Option<KafkaError>,
}

/// A transaction a broker coordinates (ListTransactions).
#[derive(Debug)]
pub struct TransactionListing {
    pub transactional_id: String,
    pub producer_id: i64,
    pub state: super::txn::TxnState,
    /// The broker that reported it.
    pub broker_id: i32,
}

/// ListTransactions' answer: the transactions, and the brokers that could not answer.
#[derive(Debug, Default)]
pub struct TransactionListings {
    pub valid: Vec<TransactionListing>,
    pub errors: Vec<KafkaError>,
}

/// One transactional id of DescribeTransactions.
#[derive(Debug)]
pub struct TransactionDescription {
    pub transactional_id: String,
    pub err: Option<KafkaError>,
    pub coordinator: Option<Node>,
    pub state: super::txn::TxnState,
    pub producer_id: i64,
    pub producer_epoch: i16,
    pub timeout_ms: i32,
    /// -1 when no transaction is open.
    pub start_time_ms: i64,
    pub partitions: Vec<PartitionResult>,
}

/// An active producer of a partition (DescribeProducers).
#[derive(Debug)]
pub struct ProducerState {
    pub producer_id: i64,
    pub producer_epoch: i32,
    pub last_sequence: i32,
    pub last_timestamp: i64,
    pub coordinator_epoch: i32,
    /// -1 when no transaction is open.
    pub txn_start_offset: i64,
}

/// One partition of DescribeProducers.
#[derive(Debug)]
pub struct PartitionProducers {
    pub topic: String,
    pub partition: i32,
    pub err: Option<KafkaError>,
    pub producers: Vec<ProducerState>,
}

/// The RD_KAFKA_ACL_OPERATION_* values set in a Kafka authorized-operations bit field,
/// READ (3) to IDEMPOTENT_WRITE (12) as librdkafka reads them; None when the broker did
/// not report them (any negative value: i32::MIN "not asked", -1 from older brokers).
pub fn authorized_ops(bits: i32) -> Option<Vec<i32>> {
    (bits >= 0).then(|| (3..=12).filter(|i| bits & (1 << i) != 0).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorized_operations_decode_the_bit_field() {
        assert_eq!(authorized_ops(i32::MIN), None);
        // READ (3), WRITE (4), DESCRIBE (8)
        assert_eq!(authorized_ops((1 << 3) | (1 << 4) | (1 << 8)), Some(vec![3, 4, 8]));
        assert_eq!(authorized_ops(0), Some(vec![]));
        assert_eq!(authorized_ops(-1), None);
        assert_eq!(authorized_ops(0b111 | (1 << 13)), Some(vec![]));
    }
}
