"""kafka-python's partitioners (``kafka.partitioner``).

KafkaProducer maps an unset or default ``partitioner`` to librdkafka's ``murmur2_random``
(the same partition as kafka-python's DefaultPartitioner for keyed records: Java's murmur2
of the key bytes; a random partition for records without a key). Any other partitioner is
called in Python on every send, with a ``cluster`` view of the topic's partitions.
"""
import random
from abc import ABC, abstractmethod


class Partitioner(ABC):
    @abstractmethod
    def partition(self, topic, key, serialized_key, value, serialized_value, cluster):
        """The partition (int) for a record of `topic`."""


class DefaultPartitioner(Partitioner):
    """murmur2(key) for keyed records, else a random available partition."""

    def partition(self, topic, key, serialized_key, value, serialized_value, cluster):
        all_partitions = sorted(cluster.partitions_for_topic(topic) or ())
        if not all_partitions:
            raise ValueError("Topic %s not found in ClusterMetadata" % (topic,))
        if serialized_key is not None:
            return all_partitions[(murmur2(serialized_key) & 0x7FFFFFFF) % len(all_partitions)]
        available = list(cluster.available_partitions_for_topic(topic) or ())
        return random.choice(available or all_partitions)


def murmur2(data):
    """Java Kafka's murmur2 (Utils.murmur2, seed 0x9747b28c) of `data`, as kafka-python
    returns it (an unsigned 32-bit int)."""
    data = bytes(data)
    m, mask = 0x5BD1E995, 0xFFFFFFFF
    n = len(data)
    h = (0x9747B28C ^ n) & mask
    full = n - n % 4
    for i in range(0, full, 4):
        k = int.from_bytes(data[i:i + 4], "little")
        k = (k * m) & mask
        k ^= k >> 24
        k = (k * m) & mask
        h = ((h * m) & mask) ^ k
    rest = n % 4
    if rest:
        tail = int.from_bytes(data[full:], "little")
        h = ((h ^ tail) * m) & mask
    h ^= h >> 13
    h = (h * m) & mask
    h ^= h >> 15
    return h
