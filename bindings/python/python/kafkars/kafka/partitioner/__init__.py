"""kafka-python's partitioners (``kafka.partitioner``): Partitioner (abc), DefaultPartitioner and
murmur2 (default), StickyPartitioner (sticky).

KafkaProducer hands an unset partitioner, a DefaultPartitioner and a StickyPartitioner (exact
classes) to librdkafka's ``murmur2_random`` (the same partitions for keyed records: Java's
murmur2 of the key bytes; records without a key go to a random partition, or for
StickyPartitioner to librdkafka's sticky partition, see KAFKA_PYTHON_CONFIG.md). Any other
partitioner, subclasses included, is called in Python on every send with a ``cluster`` view of
the topic's partitions.
"""
from .abc import Partitioner
from .default import DefaultPartitioner, murmur2
from .sticky import StickyPartitioner

__all__ = ["Partitioner", "DefaultPartitioner", "StickyPartitioner", "murmur2"]
