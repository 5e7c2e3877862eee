//! The Admin API's C surface (rd_kafka_AdminOptions_*, rd_kafka_<Op>, request objects,
//! results) over the domain in `crate::admin`, split by concept.
//!
//! Each request object C builds is a tagged handle wrapping its domain object, checked
//! as librdkafka checks it, plus what C reads back (the strings C gave, arrays of handles).
//! `call` is one operation call from C (checks, then the admin client); results' objects
//! are owned by their result event (`view`); `replicas` holds the kafkars extensions.
//!
//! This file defines the C types its children share and imports none of them.

pub mod acls;
mod call;
pub mod cluster;
pub mod configs;
mod conv;
pub mod elect;
pub mod enums;
#[cfg(test)]
mod ext_tests;
pub mod groups;
pub mod members;
mod node;
pub mod ops;
pub mod options;
pub mod records;
pub mod replicas;
pub mod results;
pub mod scram;
pub mod topics;
pub mod txns;
pub mod uuid;
mod view;

use super::types::*;
use libc::c_int;

// librdkafka's admin enums, as ints (build.rs writes the C enums).
pub type rd_kafka_admin_op_t = c_int;
pub type rd_kafka_ResourceType_t = c_int;
pub type rd_kafka_ResourcePatternType_t = c_int;
pub type rd_kafka_ConfigSource_t = c_int;
pub type rd_kafka_AlterConfigOpType_t = c_int;
pub type rd_kafka_AclOperation_t = c_int;
pub type rd_kafka_AclPermissionType_t = c_int;
pub type rd_kafka_consumer_group_state_t = c_int;
pub type rd_kafka_consumer_group_type_t = c_int;
pub type rd_kafka_ScramMechanism_t = c_int;
pub type rd_kafka_IsolationLevel_t = c_int;
pub type rd_kafka_ElectionType_t = c_int;
// kafkars extensions' enums, as ints (build.rs writes their KAFKARS_* values).
pub type kafkars_ConfigResourceType_t = c_int;
pub type kafkars_TransactionState_t = c_int;
pub type kafkars_FeatureUpgradeType_t = c_int;

// Handle types C sees only through pointers; each points to the Rust type bound to it by
// `tagged!` in the file of its concept.
opaque!(
    rd_kafka_AdminOptions_t,
    rd_kafka_NewTopic_t,
    rd_kafka_DeleteTopic_t,
    rd_kafka_NewPartitions_t,
    rd_kafka_ConfigEntry_t,
    rd_kafka_ConfigResource_t,
    rd_kafka_DeleteRecords_t,
    rd_kafka_TopicCollection_t,
    rd_kafka_TopicPartitionInfo_t,
    rd_kafka_TopicDescription_t,
    rd_kafka_Node_t,
    rd_kafka_ConsumerGroupListing_t,
    rd_kafka_ConsumerGroupDescription_t,
    rd_kafka_MemberDescription_t,
    rd_kafka_MemberAssignment_t,
    rd_kafka_DeleteGroup_t,
    rd_kafka_ListConsumerGroupOffsets_t,
    rd_kafka_AlterConsumerGroupOffsets_t,
    rd_kafka_DeleteConsumerGroupOffsets_t,
    rd_kafka_ListOffsetsResultInfo_t,
    rd_kafka_ScramCredentialInfo_t,
    rd_kafka_UserScramCredentialsDescription_t,
    rd_kafka_UserScramCredentialAlteration_t,
    rd_kafka_AlterUserScramCredentials_result_response_t,
    rd_kafka_AclBinding_t,
    rd_kafka_DeleteAcls_result_response_t,
    rd_kafka_ElectLeaders_t,
    rd_kafka_topic_result_t,
    rd_kafka_group_result_t,
    rd_kafka_acl_result_t,
    rd_kafka_topic_partition_result_t,
    rd_kafka_Uuid_t,
    kafkars_PartitionReassignment_t,
    kafkars_OngoingReassignment_t,
    kafkars_BrokerLogDirs_t,
    kafkars_LogDir_t,
    kafkars_ReplicaInfo_t,
    kafkars_ReplicaLogDir_t,
    kafkars_ReplicaLogDirResult_t,
    kafkars_QuorumInfo_t,
    kafkars_ReplicaState_t,
    kafkars_Feature_t,
    kafkars_FeatureUpdate_t,
    kafkars_FeatureUpdateResult_t,
    kafkars_ConfigResourceListing_t,
    kafkars_RemoveGroupMembers_t,
    kafkars_MemberRemoval_t,
    kafkars_TransactionListing_t,
    kafkars_TransactionDescription_t,
    kafkars_PartitionProducers_t,
    kafkars_ProducerState_t,
    kafkars_AbortTransactionSpec_t
);

/// An ACL binding filter is an ACL binding whose fields may be ANY / NULL.
pub type rd_kafka_AclBindingFilter_t = rd_kafka_AclBinding_t;

// Result types are the result event itself, as in librdkafka.
pub type rd_kafka_CreateTopics_result_t = rd_kafka_event_t;
pub type rd_kafka_DeleteTopics_result_t = rd_kafka_event_t;
pub type rd_kafka_CreateAcls_result_t = rd_kafka_event_t;
pub type rd_kafka_DescribeAcls_result_t = rd_kafka_event_t;
pub type rd_kafka_DeleteAcls_result_t = rd_kafka_event_t;
pub type rd_kafka_CreatePartitions_result_t = rd_kafka_event_t;
pub type rd_kafka_AlterConfigs_result_t = rd_kafka_event_t;
pub type rd_kafka_IncrementalAlterConfigs_result_t = rd_kafka_event_t;
pub type rd_kafka_DescribeConfigs_result_t = rd_kafka_event_t;
pub type rd_kafka_DeleteRecords_result_t = rd_kafka_event_t;
pub type rd_kafka_ListConsumerGroups_result_t = rd_kafka_event_t;
pub type rd_kafka_DescribeConsumerGroups_result_t = rd_kafka_event_t;
pub type rd_kafka_DeleteGroups_result_t = rd_kafka_event_t;
pub type rd_kafka_DeleteConsumerGroupOffsets_result_t = rd_kafka_event_t;
pub type rd_kafka_AlterConsumerGroupOffsets_result_t = rd_kafka_event_t;
pub type rd_kafka_ListConsumerGroupOffsets_result_t = rd_kafka_event_t;
pub type rd_kafka_DescribeTopics_result_t = rd_kafka_event_t;
pub type rd_kafka_DescribeCluster_result_t = rd_kafka_event_t;
pub type rd_kafka_DescribeUserScramCredentials_result_t = rd_kafka_event_t;
pub type rd_kafka_AlterUserScramCredentials_result_t = rd_kafka_event_t;
pub type rd_kafka_ListOffsets_result_t = rd_kafka_event_t;
pub type rd_kafka_ElectLeaders_result_t = rd_kafka_event_t;
pub type kafkars_AlterPartitionReassignments_result_t = rd_kafka_event_t;
pub type kafkars_ListPartitionReassignments_result_t = rd_kafka_event_t;
pub type kafkars_DescribeLogDirs_result_t = rd_kafka_event_t;
pub type kafkars_AlterReplicaLogDirs_result_t = rd_kafka_event_t;
pub type kafkars_DescribeMetadataQuorum_result_t = rd_kafka_event_t;
pub type kafkars_DescribeFeatures_result_t = rd_kafka_event_t;
pub type kafkars_UpdateFeatures_result_t = rd_kafka_event_t;
pub type kafkars_ListConfigResources_result_t = rd_kafka_event_t;
pub type kafkars_RemoveGroupMembers_result_t = rd_kafka_event_t;
pub type kafkars_ListTransactions_result_t = rd_kafka_event_t;
pub type kafkars_DescribeTransactions_result_t = rd_kafka_event_t;
pub type kafkars_DescribeProducers_result_t = rd_kafka_event_t;
pub type kafkars_AbortTransaction_result_t = rd_kafka_event_t;
