"""The value types of kafka-python's ``kafka.admin``: enums, ACL classes, ConfigResource,
NewTopic/NewPartitions, MemberToRemove, the transaction tuples and the SCRAM alterations.
Same names, values, validation and reprs as kafka-python 3.0.12."""
import hashlib
import os
from enum import Enum, IntEnum
from typing import List, NamedTuple, Set

from ..errors import IllegalArgumentError
from ..structs import TopicPartition


class _Lookup:
    """kafka-python's EnumHelper: build_from(value or name) and value_for(...)."""

    @staticmethod
    def _key(val):
        return str(val).strip().upper().replace("-", "_")

    @classmethod
    def build_from(cls, val):
        if isinstance(val, cls):
            return val
        try:
            return cls(val)
        except ValueError:
            pass
        try:
            return cls[cls._key(val)]
        except KeyError:
            raise ValueError("Unrecognized %s: %s" % (cls.__name__, val)) from None

    @classmethod
    def value_for(cls, val):
        if isinstance(val, cls):
            return val.value
        if isinstance(val, int):
            return cls(val).value
        try:
            return cls[str(val).upper().replace("-", "_")].value
        except KeyError:
            raise ValueError("Unrecognized %s: %s" % (cls.__name__, val)) from None


# ---------------------------------------------------------------------------- ACLs

class ResourceType(IntEnum):
    UNKNOWN = 0
    ANY = 1
    TOPIC = 2
    GROUP = 3
    CLUSTER = 4
    TRANSACTIONAL_ID = 5
    DELEGATION_TOKEN = 6
    USER = 7


class ACLOperation(IntEnum):
    UNKNOWN = 0
    ANY = 1
    ALL = 2
    READ = 3
    WRITE = 4
    CREATE = 5
    DELETE = 6
    ALTER = 7
    DESCRIBE = 8
    CLUSTER_ACTION = 9
    DESCRIBE_CONFIGS = 10
    ALTER_CONFIGS = 11
    IDEMPOTENT_WRITE = 12
    CREATE_TOKENS = 13
    DESCRIBE_TOKENS = 14


class ACLPermissionType(IntEnum):
    UNKNOWN = 0
    ANY = 1
    DENY = 2
    ALLOW = 3


class ACLResourcePatternType(IntEnum):
    UNKNOWN = 0
    ANY = 1
    MATCH = 2
    LITERAL = 3
    PREFIXED = 4


class ResourcePatternFilter:
    """A pattern of resources (type, name, pattern type) as used in ACL filters."""

    def __init__(self, resource_type, resource_name, pattern_type):
        self.resource_type = resource_type
        self.resource_name = resource_name
        self.pattern_type = pattern_type
        self.validate()

    def validate(self):
        if not isinstance(self.resource_type, ResourceType):
            raise IllegalArgumentError("resource_type must be a ResourceType object")
        if not isinstance(self.pattern_type, ACLResourcePatternType):
            raise IllegalArgumentError("pattern_type must be an ACLResourcePatternType object")

    def _key(self):
        return (self.resource_type, self.resource_name, self.pattern_type)

    def __repr__(self):
        return "<ResourcePattern type=%s, name=%s, pattern=%s>" % (
            self.resource_type.name, self.resource_name, self.pattern_type.name)

    def __eq__(self, other):
        return self._key() == other._key()

    def __hash__(self):
        return hash(self._key())


class ResourcePattern(ResourcePatternFilter):
    """A concrete resource pattern (no ANY, no MATCH)."""

    def __init__(self, resource_type, resource_name, pattern_type=ACLResourcePatternType.LITERAL):
        super().__init__(resource_type, resource_name, pattern_type)
        self.validate()

    def validate(self):
        if self.resource_type == ResourceType.ANY:
            raise IllegalArgumentError("resource_type cannot be ANY")
        if self.pattern_type in (ACLResourcePatternType.ANY, ACLResourcePatternType.MATCH):
            raise IllegalArgumentError(
                "pattern_type cannot be %s on a concrete ResourcePattern" % self.pattern_type.name)


class ACLFilter:
    """A filter of ACLs for describe_acls / delete_acls."""

    def __init__(self, principal, host, operation, permission_type, resource_pattern):
        self.principal = principal
        self.host = host
        self.operation = operation
        self.permission_type = permission_type
        self.resource_pattern = resource_pattern
        self.validate()

    def validate(self):
        if not isinstance(self.operation, ACLOperation):
            raise IllegalArgumentError("operation must be an ACLOperation object, and cannot be ANY")
        if not isinstance(self.permission_type, ACLPermissionType):
            raise IllegalArgumentError(
                "permission_type must be an ACLPermissionType object, and cannot be ANY")
        if not isinstance(self.resource_pattern, ResourcePatternFilter):
            raise IllegalArgumentError("resource_pattern must be a ResourcePatternFilter object")

    def _key(self):
        return (self.principal, self.host, self.operation, self.permission_type,
                self.resource_pattern)

    def __repr__(self):
        return "<ACL principal=%s, resource=%s, operation=%s, type=%s, host=%s>" % (
            self.principal, self.resource_pattern, self.operation.name,
            self.permission_type.name, self.host)

    def __eq__(self, other):
        return self._key() == other._key()

    def __hash__(self):
        return hash(self._key())


class ACL(ACLFilter):
    """A concrete ACL (no ANY) on a ResourcePattern."""

    def __init__(self, principal, host, operation, permission_type, resource_pattern):
        super().__init__(principal, host, operation, permission_type, resource_pattern)
        self.validate()

    def validate(self):
        if self.operation == ACLOperation.ANY:
            raise IllegalArgumentError("operation cannot be ANY")
        if self.permission_type == ACLPermissionType.ANY:
            raise IllegalArgumentError("permission_type cannot be ANY")
        if not isinstance(self.resource_pattern, ResourcePattern):
            raise IllegalArgumentError("resource_pattern must be a ResourcePattern object")


def acl_operation_names(ops):
    """Authorized operations (ints) -> sorted-by-set names, leaving out UNKNOWN/ANY/ALL."""
    if ops is None:
        return None
    return [o.name for o in {ACLOperation(v) for v in ops if v not in (0, 1, 2)}]


# ---------------------------------------------------------------------------- configs

class AlterConfigOp(_Lookup, IntEnum):
    SET = 0
    DELETE = 1
    APPEND = 2
    SUBTRACT = 3


class ConfigSourceType(_Lookup, IntEnum):
    UNKNOWN = 0
    DYNAMIC_TOPIC_CONFIG = 1
    DYNAMIC_BROKER_CONFIG = 2
    DYNAMIC_DEFAULT_BROKER_CONFIG = 3
    STATIC_BROKER_CONFIG = 4
    DEFAULT_CONFIG = 5
    DYNAMIC_BROKER_LOGGER_CONFIG = 6
    DYNAMIC_CLIENT_METRICS_CONFIG = 7
    DYNAMIC_GROUP_CONFIG = 8

    def is_modified(self):
        return self.value not in (3, 4, 5)

    @classmethod
    def dynamic_for_resource_type(cls, resource_type):
        table = {0: cls.UNKNOWN, 2: cls.DYNAMIC_TOPIC_CONFIG, 4: cls.DYNAMIC_BROKER_CONFIG,
                 8: cls.DYNAMIC_BROKER_LOGGER_CONFIG, 16: cls.DYNAMIC_CLIENT_METRICS_CONFIG,
                 32: cls.DYNAMIC_GROUP_CONFIG}
        if int(resource_type) not in table:
            raise RuntimeError("Unrecognized resource type %s" % (resource_type,))
        return table[int(resource_type)]


class ConfigFilterType(_Lookup, IntEnum):
    ALL = 0
    DYNAMIC = 1
    MODIFIED = 2
    DEFAULT = 3
    STATIC = 4

    def should_skip(self, config_source):
        if self is ConfigFilterType.MODIFIED:
            return not config_source.is_modified()
        if self is ConfigFilterType.DEFAULT:
            return config_source.is_modified()
        if self is ConfigFilterType.STATIC:
            return config_source is not ConfigSourceType.STATIC_BROKER_CONFIG
        return False


class ConfigResourceType(_Lookup, IntEnum):
    UNKNOWN = 0
    TOPIC = 2
    BROKER = 4
    BROKER_LOGGER = 8
    CLIENT_METRICS = 16
    GROUP = 32


class ConfigType(_Lookup, IntEnum):
    UNKNOWN = 0
    BOOLEAN = 1
    STRING = 2
    INT = 3
    SHORT = 4
    LONG = 5
    DOUBLE = 6
    LIST = 7
    CLASS = 8
    PASSWORD = 9


class ConfigResource:
    """A resource whose configs to describe (configs: keys or None) or alter ({key: value})."""

    def __init__(self, resource_type, name, configs=None):
        if not isinstance(resource_type, ConfigResourceType):
            resource_type = ConfigResourceType[str(resource_type).upper()]
        self.resource_type = resource_type
        self.name = name
        self.configs = configs

    def __str__(self):
        return "ConfigResource %s=%s" % (self.name, self.resource_type)

    def __repr__(self):
        return "ConfigResource(%s, %s, %s)" % (self.resource_type, self.name, self.configs)


# ---------------------------------------------------------------------------- topics, partitions

class NewTopic:
    """Deprecated in kafka-python: a topic to create (create_topics also takes names or a dict)."""

    def __init__(self, name, num_partitions=-1, replication_factor=-1,
                 replica_assignments=None, topic_configs=None):
        self.name = name
        self.num_partitions = num_partitions
        self.replication_factor = replication_factor
        self.replica_assignments = replica_assignments or {}
        self.topic_configs = topic_configs or {}


class NewPartitions:
    """Deprecated in kafka-python: the new total partition count (and new replicas) of a topic."""

    def __init__(self, total_count, new_assignments=None):
        self.total_count = total_count
        self.new_assignments = new_assignments


class OffsetSpec(_Lookup, IntEnum):
    LATEST = -1
    EARLIEST = -2
    MAX_TIMESTAMP = -3
    EARLIEST_LOCAL = -4
    LATEST_TIERED = -5


class OffsetTimestamp(int):
    """A timestamp (ms) to look an offset up by, as opposed to a plain offset."""
    __slots__ = ()

    def __repr__(self):
        return "OffsetTimestamp(%d)" % int(self)


class IsolationLevel(_Lookup, IntEnum):
    READ_UNCOMMITTED = 0
    READ_COMMITTED = 1


# ---------------------------------------------------------------------------- groups

class GroupState(_Lookup, str, Enum):
    UNKNOWN = "Unknown"
    PREPARING_REBALANCE = "PreparingRebalance"
    COMPLETING_REBALANCE = "CompletingRebalance"
    STABLE = "Stable"
    DEAD = "Dead"
    EMPTY = "Empty"
    ASSIGNING = "Assigning"
    RECONCILING = "Reconciling"


class GroupType(_Lookup, str, Enum):
    UNKNOWN = "Unknown"
    CLASSIC = "classic"
    CONSUMER = "consumer"
    SHARE = "share"


class MemberToRemove:
    """A member to remove from a group: member_id (dynamic) and/or group_instance_id (static)."""
    __slots__ = ("member_id", "group_instance_id", "reason")

    def __init__(self, member_id=None, group_instance_id=None, reason=None):
        self.member_id = member_id
        self.group_instance_id = group_instance_id
        self.reason = reason

    def __repr__(self):
        return "<MemberToRemove member_id=%s, group_instance_id=%s, reason=%s>" % (
            self.member_id, self.group_instance_id, self.reason)

    def __eq__(self, other):
        return (self.member_id, self.group_instance_id, self.reason) == (
            other.member_id, other.group_instance_id, other.reason)

    def __hash__(self):
        return hash((self.member_id, self.group_instance_id, self.reason))


# ---------------------------------------------------------------------------- cluster

class UpdateFeatureType(_Lookup, IntEnum):
    UNKNOWN = 0
    UPGRADE = 1
    SAFE_DOWNGRADE = 2
    UNSAFE_DOWNGRADE = 3


# ---------------------------------------------------------------------------- transactions

class TransactionState(_Lookup, str, Enum):
    EMPTY = "Empty"
    ONGOING = "Ongoing"
    PREPARE_COMMIT = "PrepareCommit"
    PREPARE_ABORT = "PrepareAbort"
    COMPLETE_COMMIT = "CompleteCommit"
    COMPLETE_ABORT = "CompleteAbort"
    DEAD = "Dead"
    PREPARE_EPOCH_FENCE = "PrepareEpochFence"
    UNKNOWN = "Unknown"


class TransactionListing(NamedTuple):
    transactional_id: str
    producer_id: int
    state: TransactionState


class TransactionDescription(NamedTuple):
    coordinator_id: int
    state: TransactionState
    producer_id: int
    producer_epoch: int
    transaction_timeout_ms: int
    transaction_start_time_ms: int
    topic_partitions: Set[TopicPartition]


class ProducerState(NamedTuple):
    producer_id: int
    producer_epoch: int
    last_sequence: int
    last_timestamp: int
    coordinator_epoch: int
    current_transaction_start_offset: int


class PartitionProducerState(NamedTuple):
    active_producers: List[ProducerState]


class AbortTransactionSpec(NamedTuple):
    topic_partition: TopicPartition
    producer_id: int
    producer_epoch: int
    coordinator_epoch: int = -1


# ---------------------------------------------------------------------------- SCRAM users

class ScramMechanism(IntEnum):
    UNKNOWN = 0
    SCRAM_SHA_256 = 1
    SCRAM_SHA_512 = 2

    @property
    def hash_name(self):
        return {1: "sha256", 2: "sha512"}[self.value]


def _mechanism(m):
    if isinstance(m, ScramMechanism):
        return m
    if isinstance(m, str):
        return ScramMechanism[m.upper().replace("-", "_")]
    return ScramMechanism(m)


class UserScramCredentialDeletion:
    """Delete a user's SCRAM credential of one mechanism."""

    def __init__(self, user, mechanism):
        self.user = user
        self.mechanism = _mechanism(mechanism)

    def __repr__(self):
        return "UserScramCredentialDeletion(%s, %s)" % (self.user, self.mechanism.name)


class UserScramCredentialUpsertion:
    """Insert or update a user's SCRAM credential (the salted password is computed here)."""
    DEFAULT_ITERATIONS = 4096

    def __init__(self, user, mechanism, password, iterations=None, salt=None):
        mechanism = _mechanism(mechanism)
        if mechanism == ScramMechanism.UNKNOWN:
            raise IllegalArgumentError("SCRAM mechanism must not be UNKNOWN")
        self.user = user
        self.mechanism = mechanism
        self.iterations = self.DEFAULT_ITERATIONS if iterations is None else iterations
        self.salt = os.urandom(24) if salt is None else salt
        if isinstance(password, str):
            password = password.encode("utf-8")
        self._password = password  # librdkafka derives the salted password itself
        self.salted_password = hashlib.pbkdf2_hmac(mechanism.hash_name, password, self.salt,
                                                   self.iterations)

    def __repr__(self):
        return "UserScramCredentialUpsertion(%s, %s, iterations=%s)" % (
            self.user, self.mechanism.name, self.iterations)
