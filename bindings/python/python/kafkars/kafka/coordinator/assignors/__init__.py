"""kafka-python's partition assignors, as names for librdkafka's built-in ones.

partition_assignment_strategy takes these classes (or instances, or their ``name``
strings); KafkaConsumer maps them to librdkafka's partition.assignment.strategy: 'range',
'roundrobin', 'cooperative-sticky'. The assignment itself is computed by librdkafka, so a
custom assignor (any other class) and kafka-python's eager 'sticky' are refused.
"""


class AbstractPartitionAssignor:
    name = None

    def assign(self, cluster, members):  # pragma: no cover - never called
        raise NotImplementedError("kafkars.kafka: assignments are computed by librdkafka")

    def metadata(self, topics):  # pragma: no cover
        raise NotImplementedError("kafkars.kafka: assignments are computed by librdkafka")

    def on_assignment(self, assignment, generation=-1):  # pragma: no cover
        pass


class RangePartitionAssignor(AbstractPartitionAssignor):
    name = "range"


class RoundRobinPartitionAssignor(AbstractPartitionAssignor):
    name = "roundrobin"


class StickyPartitionAssignor(AbstractPartitionAssignor):
    name = "sticky"  # eager sticky: librdkafka has none (refused)


class CooperativeStickyAssignor(AbstractPartitionAssignor):
    name = "cooperative-sticky"


SUPPORTED = {"range": "range", "roundrobin": "roundrobin", "cooperative-sticky": "cooperative-sticky"}
