"""Consumer group listings and descriptions."""

from ._acl import AclOperation
from ._model import ConsumerGroupState, ConsumerGroupType, to_enum


def _operations(ops):
    """Authorized operations as AclOperation members (None when not reported or empty)."""
    return [to_enum(op, AclOperation) for op in ops] if ops else None


class ConsumerGroupListing:
    """A group as list_consumer_groups() lists it (state and type only when known)."""

    def __init__(self, group_id, is_simple_consumer_group, state=None, type=None):
        self.group_id = group_id
        self.is_simple_consumer_group = is_simple_consumer_group
        if state is not None:
            self.state = to_enum(state, ConsumerGroupState)
        if type is not None:
            self.type = to_enum(type, ConsumerGroupType)


class ListConsumerGroupsResult:
    """list_consumer_groups()' result: valid (ConsumerGroupListing list) and errors
    (KafkaError list, one per broker that failed)."""

    def __init__(self, valid=None, errors=None):
        self.valid = valid
        self.errors = errors


class MemberAssignment:
    """The partitions (TopicPartition list) assigned to a group member."""

    def __init__(self, topic_partitions):
        self.topic_partitions = topic_partitions or []


class MemberDescription:
    """A group member: ids, host, assignment and target assignment (MemberAssignment)."""

    def __init__(self, member_id, client_id, host, assignment, group_instance_id=None, target_assignment=None):
        self.member_id = member_id
        self.client_id = client_id
        self.host = host
        self.assignment = assignment
        self.target_assignment = target_assignment
        self.group_instance_id = group_instance_id


class ConsumerGroupDescription:
    """describe_consumer_groups()' answer for one group."""

    def __init__(self, group_id, is_simple_consumer_group, members, partition_assignor, state, coordinator,
                 authorized_operations=None, type=ConsumerGroupType.UNKNOWN):
        self.group_id = group_id
        self.is_simple_consumer_group = is_simple_consumer_group
        self.members = members
        self.authorized_operations = _operations(authorized_operations)
        self.partition_assignor = partition_assignor
        if state is not None:
            self.state = to_enum(state, ConsumerGroupState)
        if type is not None:
            self.type = to_enum(type, ConsumerGroupType)
        self.coordinator = coordinator
