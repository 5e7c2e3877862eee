"""kafkars.admin: confluent_kafka.admin's API - AdminClient (futures over the Admin API)
and the classes and enums it takes and returns."""

from .._native import KafkaError, KafkaException  # noqa: F401
from ._acl import AclBinding, AclBindingFilter, AclOperation, AclPermissionType  # noqa: F401
from ._client import AdminClient, _Impl as _AdminClientImpl  # noqa: F401
from ._cluster import DescribeClusterResult  # noqa: F401
from ._config import AlterConfigOpType, ConfigEntry, ConfigResource, ConfigSource  # noqa: F401
from ._group import (  # noqa: F401
    ConsumerGroupDescription, ConsumerGroupListing, ListConsumerGroupsResult, MemberAssignment, MemberDescription,
)
from ._listoffsets import ListOffsetsResultInfo, OffsetSpec  # noqa: F401
from ._metadata import (  # noqa: F401
    BrokerMetadata, ClusterMetadata, GroupMember, GroupMetadata, PartitionMetadata, TopicMetadata,
)
from ._newtopic import NewPartitions, NewTopic  # noqa: F401
from ._records import DeletedRecords  # noqa: F401
from ._resource import ResourcePatternType, ResourceType  # noqa: F401
from ._scram import (  # noqa: F401
    ScramCredentialInfo, ScramMechanism, UserScramCredentialAlteration, UserScramCredentialDeletion,
    UserScramCredentialsDescription, UserScramCredentialUpsertion,
)
from ._topic import TopicDescription  # noqa: F401
# confluent_kafka.admin's private aliases of the root's enums (its tests import them).
from .._native import TopicPartition as _TopicPartition  # noqa: F401,E402
from ..admin._model import (  # noqa: F401,E402
    ConsumerGroupState as _ConsumerGroupState,
    ConsumerGroupTopicPartitions as _ConsumerGroupTopicPartitions,
    ConsumerGroupType as _ConsumerGroupType,
    ElectionType as _ElectionType,
    IsolationLevel as _IsolationLevel,
    TopicCollection as _TopicCollection,
)

OFFSET_INVALID = -1001

CONFIG_SOURCE_UNKNOWN_CONFIG = 0
CONFIG_SOURCE_DYNAMIC_TOPIC_CONFIG = 1
CONFIG_SOURCE_DYNAMIC_BROKER_CONFIG = 2
CONFIG_SOURCE_DYNAMIC_DEFAULT_BROKER_CONFIG = 3
CONFIG_SOURCE_STATIC_BROKER_CONFIG = 4
CONFIG_SOURCE_DEFAULT_CONFIG = 5
CONFIG_SOURCE_GROUP_CONFIG = 8

RESOURCE_UNKNOWN = 0
RESOURCE_ANY = 1
RESOURCE_TOPIC = 2
RESOURCE_GROUP = 3
RESOURCE_BROKER = 4
RESOURCE_TRANSACTIONAL_ID = 5
