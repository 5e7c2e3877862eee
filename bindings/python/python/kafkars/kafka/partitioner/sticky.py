"""kafka-python's StickyPartitioner (``kafka.partitioner.sticky``, KIP-480).

In kafkars.kafka, KafkaProducer(partitioner=StickyPartitioner()) runs natively: librdkafka's
``murmur2_random`` partitioner with its sticky partitioning of keyless records
(``sticky.partitioning.linger.ms``), since kafkars batches in librdkafka and has no Python
batch accumulator to call ``on_new_batch``. A subclass is called in Python on every send, like
any other custom partitioner, and then ``on_new_batch`` is never called: keyless records stay
on one partition per topic for the producer's lifetime unless that partition loses its leader
or the subclass rotates it itself.
"""
import random
import threading

from .default import DefaultPartitioner, _hashed, _topic_partitions


class StickyPartitioner(DefaultPartitioner):
    """Keyed records are hashed like DefaultPartitioner. Keyless records of a topic all go to
    one partition (the "sticky" one) until ``on_new_batch`` moves that topic to another; a
    sticky partition that lost its leader (or left the topic) is replaced on the next record.
    Safe to share between threads."""

    def __init__(self):
        self._lock = threading.Lock()
        self._sticky = {}  # topic -> its current sticky partition

    def partition(self, topic, key, serialized_key, value, serialized_value, cluster):
        every, available = _topic_partitions(topic, cluster)
        if serialized_key is not None:
            return _hashed(serialized_key, every, topic)
        with self._lock:
            current = self._sticky.get(topic)
            if current is not None and current in (available or every):
                return current
            return self._pick_sticky_locked(topic, cluster)

    def on_new_batch(self, topic, cluster, prev_partition):
        """A keyless record of `topic` started a new batch on `prev_partition`: move the
        topic's sticky partition elsewhere. Nothing happens when the sticky partition is no
        longer `prev_partition` (another thread moved it already)."""
        with self._lock:
            if self._sticky.get(topic) == prev_partition:
                self._pick_sticky_locked(topic, cluster, avoid=prev_partition)

    def _pick_sticky_locked(self, topic, cluster, avoid=None):
        """Chooses, records and returns a new sticky partition for `topic` (the caller holds
        the lock): a random available partition other than `avoid` (`avoid` itself when it
        is the only available one); with none available, a random one of all partitions.
        None when `cluster` has no partitions for `topic` (nothing is recorded then)."""
        every = cluster.partitions_for_topic(topic)
        if not every:
            return None
        available = sorted(cluster.available_partitions_for_topic(topic) or ())
        if available:
            choices = [p for p in available if p != avoid] or available
        else:
            choices = sorted(every)
        chosen = random.choice(choices)
        self._sticky[topic] = chosen
        return chosen
