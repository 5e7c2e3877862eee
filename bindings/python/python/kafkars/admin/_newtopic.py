"""NewTopic and NewPartitions: what create_topics() and create_partitions() take
(confluent_kafka's C types, with their argument checks and comparisons)."""

import operator

_INT_MIN, _INT_MAX = -(1 << 31), (1 << 31) - 1


def _c_int(v):
    """v as a C int the way Python's argument parser takes one."""
    if isinstance(v, float):
        raise TypeError("'float' object cannot be interpreted as an integer")
    v = operator.index(v)
    if v > _INT_MAX:
        raise OverflowError("signed integer is greater than maximum")
    if v < _INT_MIN:
        raise OverflowError("signed integer is less than minimum")
    return v


def _c_str(v, pos, fn):
    if not isinstance(v, str):
        raise TypeError("argument %d must be str, not %s" % (pos, type(v).__name__))
    if "\0" in v:
        raise ValueError("embedded null character")
    return v


class _Spec(object):
    """Common parts: a read-only topic, an int count, ordering by (topic, count)."""

    __slots__ = ()
    _count = None  # name of the count attribute

    @property
    def topic(self):
        return self._topic

    @topic.setter
    def topic(self, _value):
        raise AttributeError("readonly attribute")

    def _key(self):
        return (self._topic, getattr(self, self._count))

    def _cmp(self, other, op):
        if type(other) is not type(self):
            raise NotImplementedError
        return op(self._key(), other._key())

    def __eq__(self, other):
        return self._cmp(other, operator.eq)

    def __ne__(self, other):
        return self._cmp(other, operator.ne)

    def __lt__(self, other):
        return self._cmp(other, operator.lt)

    def __le__(self, other):
        return self._cmp(other, operator.le)

    def __gt__(self, other):
        return self._cmp(other, operator.gt)

    def __ge__(self, other):
        return self._cmp(other, operator.ge)


class NewTopic(_Spec):
    """A topic to create: num_partitions and replication_factor (-1: broker default, or
    replica_assignment given: one list of broker ids per partition), config {name: value}."""

    __slots__ = ("_topic", "_num_partitions", "_replication_factor", "replica_assignment", "_config")
    _count = "num_partitions"

    def __init__(self, topic, num_partitions=-1, replication_factor=-1, replica_assignment=None, config=None):
        self._topic = _c_str(topic, 1, "NewTopic")
        self._num_partitions = _c_int(num_partitions)
        self._replication_factor = _c_int(replication_factor)
        if config is not None and not isinstance(config, dict):
            raise TypeError("config must be a dict of strings")
        self.replica_assignment = replica_assignment
        self._config = config

    num_partitions = property(lambda self: self._num_partitions,
                              lambda self, v: setattr(self, "_num_partitions", _c_int(v)))
    replication_factor = property(lambda self: self._replication_factor,
                                  lambda self, v: setattr(self, "_replication_factor", _c_int(v)))
    config = property(lambda self: self._config, lambda self, v: setattr(self, "_config", v))

    def __repr__(self):
        if self._num_partitions == -1:
            return "NewTopic(topic=%s)" % self._topic
        return "NewTopic(topic=%s,num_partitions=%d)" % (self._topic, self._num_partitions)

    def __hash__(self):
        h = hash(self._topic)
        return h if self._num_partitions == -1 else h ^ self._num_partitions


class NewPartitions(_Spec):
    """Grows topic to new_total_count partitions (replica_assignment: one list of broker ids
    per new partition)."""

    __slots__ = ("_topic", "_new_total_count", "replica_assignment")
    _count = "new_total_count"

    def __init__(self, topic, new_total_count, replica_assignment=None):
        self._topic = _c_str(topic, 1, "NewPartitions")
        self._new_total_count = _c_int(new_total_count)
        self.replica_assignment = replica_assignment

    new_total_count = property(lambda self: self._new_total_count,
                               lambda self, v: setattr(self, "_new_total_count", _c_int(v)))

    def __repr__(self):
        return "NewPartitions(topic=%s,new_total_count=%d)" % (self._topic, self._new_total_count)

    def __hash__(self):
        return hash(self._topic) ^ self._new_total_count
