"""kafka-python's ``kafka.admin`` on kafkars: KafkaAdminClient and its value types."""
from ._types import (  # noqa: F401
    ACL, ACLFilter, ACLOperation, ACLPermissionType, ACLResourcePatternType, AbortTransactionSpec,
    AlterConfigOp, ConfigFilterType, ConfigResource, ConfigResourceType, ConfigSourceType,
    ConfigType, GroupState, GroupType, IsolationLevel, MemberToRemove, NewPartitions, NewTopic,
    OffsetSpec, OffsetTimestamp, PartitionProducerState, ProducerState, ResourcePattern,
    ResourcePatternFilter, ResourceType, ScramMechanism, TransactionDescription,
    TransactionListing, TransactionState, UpdateFeatureType, UserScramCredentialDeletion,
    UserScramCredentialUpsertion,
)
from .client import KafkaAdminClient  # noqa: F401

del IsolationLevel  # kafka.admin does not export it (kafka does)

__all__ = [
    "KafkaAdminClient",
    "ACL", "ACLFilter", "ACLOperation", "ACLPermissionType", "ACLResourcePatternType",
    "ResourceType", "ResourcePattern", "ResourcePatternFilter",
    "AlterConfigOp", "ConfigResource", "ConfigResourceType", "ConfigType", "ConfigSourceType",
    "UpdateFeatureType",
    "GroupState", "GroupType", "MemberToRemove",
    "OffsetSpec", "OffsetTimestamp",
    "AbortTransactionSpec", "PartitionProducerState", "ProducerState",
    "TransactionDescription", "TransactionListing", "TransactionState",
    "ScramMechanism", "UserScramCredentialDeletion", "UserScramCredentialUpsertion",
]
