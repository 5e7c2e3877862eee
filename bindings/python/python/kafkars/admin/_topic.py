"""Topic descriptions (describe_topics)."""

from ._group import _operations


class TopicDescription:
    """describe_topics()' answer for one topic: name, topic_id (Uuid), is_internal,
    partitions (TopicPartitionInfo list), authorized_operations (AclOperation list or None)."""

    def __init__(self, name, topic_id, is_internal, partitions, authorized_operations=None):
        self.name = name
        self.topic_id = topic_id
        self.is_internal = is_internal
        self.partitions = partitions
        self.authorized_operations = _operations(authorized_operations)
