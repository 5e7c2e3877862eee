"""Cluster metadata as list_topics() returns it (confluent_kafka.admin's classes)."""


class ClusterMetadata(object):
    """The cluster: its id, controller, brokers {id: BrokerMetadata} and topics
    {name: TopicMetadata}, and the broker that answered."""

    def __init__(self):
        self.cluster_id = None
        self.controller_id = -1
        self.brokers = {}
        self.topics = {}
        self.orig_broker_id = -1
        self.orig_broker_name = None

    def __repr__(self):
        return "ClusterMetadata({})".format(self.cluster_id)

    def __str__(self):
        return str(self.cluster_id)


class BrokerMetadata(object):
    """A broker: id, host, port."""

    def __init__(self):
        self.id = -1
        self.host = None
        self.port = -1

    def __repr__(self):
        return "BrokerMetadata({}, {}:{})".format(self.id, self.host, self.port)

    def __str__(self):
        return "{}:{}/{}".format(self.host, self.port, self.id)


class TopicMetadata(object):
    """A topic: its name, partitions {id: PartitionMetadata} and error (KafkaError or None)."""

    def __init__(self):
        self.topic = None
        self.partitions = {}
        self.error = None

    def __repr__(self):
        if self.error is not None:
            return "TopicMetadata({}, {} partitions, {})".format(self.topic, len(self.partitions), self.error)
        return "TopicMetadata({}, {} partitions)".format(self.topic, len(self.partitions))

    def __str__(self):
        return self.topic


class PartitionMetadata(object):
    """A partition: id, leader, replicas, in-sync replicas (isrs) and error."""

    def __init__(self):
        self.id = -1
        self.leader = -1
        self.replicas = []
        self.isrs = []
        self.error = None

    def __repr__(self):
        if self.error is not None:
            return "PartitionMetadata({}, {})".format(self.id, self.error)
        return "PartitionMetadata({})".format(self.id)

    def __str__(self):
        return "{}".format(self.id)


class GroupMember(object):
    """A member of a group as list_groups() reports it: id, client_id, client_host,
    metadata and assignment (bytes, in the group protocol's format)."""

    def __init__(self):
        self.id = None
        self.client_id = None
        self.client_host = None
        self.metadata = None
        self.assignment = None


class GroupMetadata(object):
    """A group as list_groups() reports it: broker (BrokerMetadata), id, error, state,
    protocol_type, protocol, members (GroupMember list)."""

    def __init__(self):
        self.broker = None
        self.id = None
        self.error = None
        self.state = None
        self.protocol_type = None
        self.protocol = None
        self.members = []

    def __repr__(self):
        if self.error is not None:
            return "GroupMetadata({}, {})".format(self.id, self.error)
        return "GroupMetadata({})".format(self.id)

    def __str__(self):
        return str(self.id)
