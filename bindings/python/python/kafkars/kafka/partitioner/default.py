"""kafka-python's DefaultPartitioner and murmur2 (``kafka.partitioner.default``)."""
import random

from ..._partitioner import _murmur2_hash
from .abc import Partitioner


def _topic_partitions(topic, cluster):
    """(sorted partitions, available partitions) of `topic`; ValueError if `cluster` lacks it."""
    if topic not in cluster.topics():
        raise ValueError("Topic %s not found in ClusterMetadata" % (topic,))
    every = sorted(cluster.partitions_for_topic(topic) or ())
    available = list(cluster.available_partitions_for_topic(topic) or ())
    return every, available


def _hashed(serialized_key, every, topic):
    if not every:
        raise ValueError("Topic %s has no partitions in ClusterMetadata" % (topic,))
    return every[(murmur2(serialized_key) & 0x7FFFFFFF) % len(every)]


class DefaultPartitioner(Partitioner):
    """Keyed records: Java's murmur2 of the key bytes (the partition Java clients and
    librdkafka's murmur2 partitioners give). Keyless records: a random available partition,
    or a random one of all partitions when none is available."""

    def partition(self, topic, key, serialized_key, value, serialized_value, cluster):
        every, available = _topic_partitions(topic, cluster)
        if serialized_key is not None:
            return _hashed(serialized_key, every, topic)
        return random.choice(available or every)


def murmur2(data):
    """Java Kafka's murmur2 (Utils.murmur2, seed 0x9747b28c) of the bytes `data`, as an
    unsigned 32-bit int (partitioners clear the top bit before taking the modulo)."""
    return _murmur2_hash(bytes(data))
