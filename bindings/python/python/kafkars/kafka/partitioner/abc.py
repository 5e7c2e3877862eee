"""The partitioner interface (kafka-python's ``kafka.partitioner.abc``)."""
from abc import ABC, abstractmethod


class Partitioner(ABC):
    """Chooses the partition of a record sent without an explicit ``partition``.

    Give an instance as KafkaProducer's ``partitioner``. A partitioner may also define
    ``on_new_batch(topic, cluster, prev_partition)`` (StickyPartitioner does); kafka-python's
    producer calls it when a keyless record starts a new batch. kafkars batches in librdkafka,
    so it never calls that hook (see StickyPartitioner for what it does instead).
    """

    @abstractmethod
    def partition(self, topic, key, serialized_key, value, serialized_value, cluster):
        """Returns the partition (int) for a record of `topic`.

        `key`/`value` are the application's objects, `serialized_key`/`serialized_value` their
        bytes (None for a None key/value). `cluster` answers ``topics()``,
        ``partitions_for_topic(topic)`` and ``available_partitions_for_topic(topic)`` (the
        partitions with a known leader). Raises ValueError for a topic `cluster` does not know.
        """
