//! The Admin API's operations: their identities, librdkafka's numbering and the result
//! event each answers with.

/// One Admin API operation, with librdkafka's numbering.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AdminOp {
    CreateTopics,
    DeleteTopics,
    CreatePartitions,
    AlterConfigs,
    DescribeConfigs,
    DeleteRecords,
    DeleteGroups,
    DeleteConsumerGroupOffsets,
    CreateAcls,
    DescribeAcls,
    DeleteAcls,
    ListConsumerGroups,
    DescribeConsumerGroups,
    ListConsumerGroupOffsets,
    AlterConsumerGroupOffsets,
    IncrementalAlterConfigs,
    DescribeUserScramCredentials,
    AlterUserScramCredentials,
    DescribeTopics,
    DescribeCluster,
    ListOffsets,
    ElectLeaders,
    // kafkars extensions (kafka-python's KafkaAdminClient has them, librdkafka not).
    DescribeLogDirs,
    AlterReplicaLogDirs,
    DescribeMetadataQuorum,
    DescribeFeatures,
    UpdateFeatures,
    AlterPartitionReassignments,
    ListPartitionReassignments,
    ListConfigResources,
    RemoveGroupMembers,
    ListTransactions,
    DescribeTransactions,
    DescribeProducers,
    AbortTransaction,
}

impl AdminOp {
    pub const ALL: [AdminOp; 22] = [
        AdminOp::CreateTopics,
        AdminOp::DeleteTopics,
        AdminOp::CreatePartitions,
        AdminOp::AlterConfigs,
        AdminOp::DescribeConfigs,
        AdminOp::DeleteRecords,
        AdminOp::DeleteGroups,
        AdminOp::DeleteConsumerGroupOffsets,
        AdminOp::CreateAcls,
        AdminOp::DescribeAcls,
        AdminOp::DeleteAcls,
        AdminOp::ListConsumerGroups,
        AdminOp::DescribeConsumerGroups,
        AdminOp::ListConsumerGroupOffsets,
        AdminOp::AlterConsumerGroupOffsets,
        AdminOp::IncrementalAlterConfigs,
        AdminOp::DescribeUserScramCredentials,
        AdminOp::AlterUserScramCredentials,
        AdminOp::DescribeTopics,
        AdminOp::DescribeCluster,
        AdminOp::ListOffsets,
        AdminOp::ElectLeaders,
    ];

    /// The kafkars extensions, numbered KAFKARS_ADMIN_OP_* (1001-1013; their events are
    /// 9000 more). Never powers of two, which librdkafka takes for its new events.
    pub const EXTENSIONS: [(AdminOp, i32); 13] = [
        (AdminOp::DescribeLogDirs, 1001),
        (AdminOp::AlterReplicaLogDirs, 1002),
        (AdminOp::DescribeMetadataQuorum, 1003),
        (AdminOp::DescribeFeatures, 1004),
        (AdminOp::UpdateFeatures, 1005),
        (AdminOp::AlterPartitionReassignments, 1006),
        (AdminOp::ListPartitionReassignments, 1007),
        (AdminOp::ListConfigResources, 1008),
        (AdminOp::RemoveGroupMembers, 1009),
        (AdminOp::ListTransactions, 1010),
        (AdminOp::DescribeTransactions, 1011),
        (AdminOp::DescribeProducers, 1012),
        (AdminOp::AbortTransaction, 1013),
    ];

    /// The operation numbered `n`, if any (ANY and out-of-range numbers are none).
    pub fn from_number(n: i32) -> Option<AdminOp> {
        if let Some((op, _)) = AdminOp::EXTENSIONS.iter().find(|(_, x)| *x == n) {
            return Some(*op);
        }
        let i = usize::try_from(n).ok()?.checked_sub(1)?;
        AdminOp::ALL.get(i).copied()
    }

    /// The API name, as in rd_kafka_<name>().
    pub fn api_name(self) -> &'static str {
        self.info().0
    }

    /// The API name, as in rd_kafka_<name>().
    #[cfg(test)]
    pub fn name(self) -> &'static str {
        self.info().0
    }

    /// The RD_KAFKA_EVENT_*_RESULT type of this operation's result event.
    pub fn event_type(self) -> i32 {
        match AdminOp::EXTENSIONS.iter().find(|(op, _)| *op == self) {
            Some((_, n)) => n + 9000,
            None => self.info().1,
        }
    }

    /// rd_kafka_event_name() of the result event (librdkafka's spelling, which drops the
    /// "Result" suffix for the SCRAM operations).
    pub fn event_name(self) -> &'static str {
        self.info().2
    }

    /// (name, event type, event name); an extension's event type comes from EXTENSIONS.
    fn info(self) -> (&'static str, i32, &'static str) {
        match self {
            AdminOp::CreateTopics => ("CreateTopics", 100, "CreateTopicsResult"),
            AdminOp::DeleteTopics => ("DeleteTopics", 101, "DeleteTopicsResult"),
            AdminOp::CreatePartitions => ("CreatePartitions", 102, "CreatePartitionsResult"),
            AdminOp::AlterConfigs => ("AlterConfigs", 103, "AlterConfigsResult"),
            AdminOp::DescribeConfigs => ("DescribeConfigs", 104, "DescribeConfigsResult"),
            AdminOp::DeleteRecords => ("DeleteRecords", 105, "DeleteRecordsResult"),
            AdminOp::DeleteGroups => ("DeleteGroups", 106, "DeleteGroupsResult"),
            AdminOp::DeleteConsumerGroupOffsets => {
                ("DeleteConsumerGroupOffsets", 107, "DeleteConsumerGroupOffsetsResult")
            }
            AdminOp::CreateAcls => ("CreateAcls", 0x400, "CreateAclsResult"),
            AdminOp::DescribeAcls => ("DescribeAcls", 0x800, "DescribeAclsResult"),
            AdminOp::DeleteAcls => ("DeleteAcls", 0x1000, "DeleteAclsResult"),
            AdminOp::ListConsumerGroups => ("ListConsumerGroups", 0x2000, "ListConsumerGroupsResult"),
            AdminOp::DescribeConsumerGroups => {
                ("DescribeConsumerGroups", 0x4000, "DescribeConsumerGroupsResult")
            }
            AdminOp::ListConsumerGroupOffsets => {
                ("ListConsumerGroupOffsets", 0x8000, "ListConsumerGroupOffsetsResult")
            }
            AdminOp::AlterConsumerGroupOffsets => {
                ("AlterConsumerGroupOffsets", 0x10000, "AlterConsumerGroupOffsetsResult")
            }
            AdminOp::IncrementalAlterConfigs => {
                ("IncrementalAlterConfigs", 0x20000, "IncrementalAlterConfigsResult")
            }
            AdminOp::DescribeUserScramCredentials => {
                ("DescribeUserScramCredentials", 0x40000, "DescribeUserScramCredentials")
            }
            AdminOp::AlterUserScramCredentials => {
                ("AlterUserScramCredentials", 0x80000, "AlterUserScramCredentials")
            }
            AdminOp::DescribeTopics => ("DescribeTopics", 0x100000, "DescribeTopicsResult"),
            AdminOp::DescribeCluster => ("DescribeCluster", 0x200000, "DescribeClusterResult"),
            AdminOp::ListOffsets => ("ListOffsets", 0x400000, "ListOffsetsResult"),
            AdminOp::ElectLeaders => ("ElectLeaders", 0x800000, "ElectLeadersResult"),
            AdminOp::DescribeLogDirs => ("DescribeLogDirs", 0, "DescribeLogDirsResult"),
            AdminOp::AlterReplicaLogDirs => ("AlterReplicaLogDirs", 0, "AlterReplicaLogDirsResult"),
            AdminOp::DescribeMetadataQuorum => ("DescribeMetadataQuorum", 0, "DescribeMetadataQuorumResult"),
            AdminOp::DescribeFeatures => ("DescribeFeatures", 0, "DescribeFeaturesResult"),
            AdminOp::UpdateFeatures => ("UpdateFeatures", 0, "UpdateFeaturesResult"),
            AdminOp::AlterPartitionReassignments => {
                ("AlterPartitionReassignments", 0, "AlterPartitionReassignmentsResult")
            }
            AdminOp::ListPartitionReassignments => {
                ("ListPartitionReassignments", 0, "ListPartitionReassignmentsResult")
            }
            AdminOp::ListConfigResources => ("ListConfigResources", 0, "ListConfigResourcesResult"),
            AdminOp::RemoveGroupMembers => ("RemoveGroupMembers", 0, "RemoveGroupMembersResult"),
            AdminOp::ListTransactions => ("ListTransactions", 0, "ListTransactionsResult"),
            AdminOp::DescribeTransactions => ("DescribeTransactions", 0, "DescribeTransactionsResult"),
            AdminOp::DescribeProducers => ("DescribeProducers", 0, "DescribeProducersResult"),
            AdminOp::AbortTransaction => ("AbortTransaction", 0, "AbortTransactionResult"),
        }
    }

    /// librdkafka's text when no broker version range serves this operation.
    pub fn unsupported_text(self) -> &'static str {
        match self {
            AdminOp::CreateTopics | AdminOp::DeleteTopics => {
                "Topic Admin API (KIP-4) not supported by broker, requires broker version >= 0.10.2.0"
            }
            AdminOp::CreatePartitions => {
                "CreatePartitions (KIP-195) not supported by broker, requires broker version >= 1.0.0"
            }
            AdminOp::AlterConfigs => {
                "AlterConfigs (KIP-133) not supported by broker, requires broker version >= 0.11.0"
            }
            AdminOp::DescribeConfigs => {
                "DescribeConfigs (KIP-133) not supported by broker, requires broker version >= 0.11.0"
            }
            AdminOp::IncrementalAlterConfigs => {
                "IncrementalAlterConfigs (KIP-339) not supported by broker, requires broker version >= 2.3.0"
            }
            AdminOp::DeleteRecords => {
                "DeleteRecords Admin API (KIP-107) not supported by broker, requires broker version >= 0.11.0"
            }
            AdminOp::ListOffsets => {
                "ListOffsets (KIP-396) not supported by broker, requires broker version >= 2.5.0"
            }
            AdminOp::ElectLeaders => {
                "ElectLeaders Admin API (KIP-460) not supported by broker, requires broker version >= 2.4.0"
            }
            AdminOp::CreateAcls | AdminOp::DescribeAcls | AdminOp::DeleteAcls => {
                "ACLs Admin API (KIP-140) not supported by broker, requires broker version >= 0.11.0.0"
            }
            AdminOp::ListConsumerGroups => "ListGroupsRequest not supported by broker",
            AdminOp::DescribeConsumerGroups => "DescribeGroupsRequest not supported by broker",
            AdminOp::DeleteGroups => {
                "DeleteGroups Admin API (KIP-229) not supported by broker, requires broker version >= 1.1.0"
            }
            AdminOp::DeleteConsumerGroupOffsets => {
                "OffsetDelete API (KIP-496) not supported by broker, requires broker version >= 2.4.0"
            }
            AdminOp::DescribeUserScramCredentials => {
                "DescribeUserScramCredentials API (KIP-554) not supported by broker"
            }
            AdminOp::AlterUserScramCredentials => {
                "AlterUserScramCredentials API (KIP-554) not supported by broker"
            }
            AdminOp::ListConsumerGroupOffsets => "OffsetFetch not supported by broker",
            AdminOp::AlterConsumerGroupOffsets => "OffsetCommit not supported by broker",
            AdminOp::DescribeTopics | AdminOp::DescribeCluster => "Metadata not supported by broker",
            AdminOp::DescribeLogDirs => "DescribeLogDirs (KIP-113) not supported by broker, requires broker version >= 2.0.0",
            AdminOp::AlterPartitionReassignments => {
                "AlterPartitionReassignments (KIP-455) not supported by broker, requires broker version >= 2.4.0"
            }
            AdminOp::ListPartitionReassignments => {
                "ListPartitionReassignments (KIP-455) not supported by broker, requires broker version >= 2.4.0"
            }
            AdminOp::AlterReplicaLogDirs => {
                "AlterReplicaLogDirs (KIP-113) not supported by broker, requires broker version >= 2.0.0"
            }
            AdminOp::DescribeMetadataQuorum => {
                "DescribeQuorum (KIP-595) not supported by broker, requires a KRaft broker >= 3.3.0"
            }
            AdminOp::DescribeFeatures => {
                "ApiVersions v3 (KIP-584) not supported by broker, requires broker version >= 2.7.0"
            }
            AdminOp::UpdateFeatures => {
                "UpdateFeatures (KIP-584) not supported by broker, requires broker version >= 2.7.0"
            }
            AdminOp::ListConfigResources => {
                "ListConfigResources (KIP-714, KIP-1142) not supported by broker, requires broker version >= 3.7.0"
            }
            AdminOp::RemoveGroupMembers => {
                "LeaveGroup v3 (KIP-345) not supported by broker, requires broker version >= 2.4.0"
            }
            AdminOp::ListTransactions | AdminOp::DescribeTransactions | AdminOp::DescribeProducers => {
                "Transaction Admin API (KIP-664) not supported by broker, requires broker version >= 3.0.0"
            }
            AdminOp::AbortTransaction => {
                "WriteTxnMarkers (KIP-98) not supported by broker, requires broker version >= 0.11.0"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_types_are_distinct() {
        let ops = AdminOp::ALL.iter().chain(AdminOp::EXTENSIONS.iter().map(|(o, _)| o));
        let mut seen: Vec<i32> = ops.map(|o| o.event_type()).collect();
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), AdminOp::ALL.len() + AdminOp::EXTENSIONS.len());
        assert_eq!(AdminOp::DescribeLogDirs.event_type(), 10001);
        assert_eq!(AdminOp::AbortTransaction.event_type(), 10013);
        assert_eq!(AdminOp::ElectLeaders.event_type(), 0x800000);
        assert_eq!(AdminOp::CreateTopics.name(), "CreateTopics");
    }

    #[test]
    fn numbers_are_librdkafkas() {
        assert_eq!(AdminOp::from_number(1), Some(AdminOp::CreateTopics));
        assert_eq!(AdminOp::from_number(22), Some(AdminOp::ElectLeaders));
        for (i, op) in AdminOp::ALL.into_iter().enumerate() {
            assert_eq!(AdminOp::from_number(i as i32 + 1), Some(op));
        }
        assert_eq!(AdminOp::from_number(0), None);
        assert_eq!(AdminOp::from_number(23), None);
        assert_eq!(AdminOp::from_number(-1), None);
    }
}
