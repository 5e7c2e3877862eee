"""Types confluent_kafka exports from its package root and its admin API shares: nodes,
topic ids, group/isolation/election enums, request holders (kafkars re-exports them from
the package root too)."""

import base64
import operator
from enum import Enum, IntEnum

_I64_MIN, _I64_MAX = -(1 << 63), (1 << 63) - 1


class _OrderedEnum(Enum):
    """An enum whose members order by value (only against members of the same enum)."""

    def __lt__(self, other):
        if not isinstance(other, type(self)):
            return NotImplemented
        return self.value < other.value


def to_enum(val, cls):
    """val (member, case-insensitive member name, or int value) as a member of cls."""
    if isinstance(val, str):
        try:
            return cls[val.upper()]
        except KeyError:
            raise ValueError('Unknown value "%s": should be a %s' % (val, cls.__name__))
    if isinstance(val, int):
        return cls(val)
    if not isinstance(val, cls):
        raise TypeError('Unknown value "%s": should be a %s' % (val, cls.__name__))
    return val


class Node:
    """A broker: id (also as id_string), host, port and rack (None if unknown)."""

    def __init__(self, id, host, port, rack=None):
        self.id = id
        self.id_string = str(id)
        self.host = host
        self.port = port
        self.rack = rack

    def __str__(self):
        rack = "(Rack - %s)" % self.rack if self.rack else ""
        return "(%s) %s:%s %s" % (self.id, self.host, self.port, rack)


class ConsumerGroupTopicPartitions:
    """A consumer group id with (optionally) a list of TopicPartition."""

    def __init__(self, group_id, topic_partitions=None):
        self.group_id = group_id
        self.topic_partitions = topic_partitions


class ConsumerGroupState(_OrderedEnum):
    """The state of a consumer group (UNKOWN is the old misspelt alias of UNKNOWN)."""

    UNKNOWN = 0
    UNKOWN = 0
    PREPARING_REBALANCING = 1
    COMPLETING_REBALANCING = 2
    STABLE = 3
    DEAD = 4
    EMPTY = 5


class ConsumerGroupType(_OrderedEnum):
    """The protocol type of a consumer group."""

    UNKNOWN = 0
    CONSUMER = 1
    CLASSIC = 2


class TopicCollection:
    """Topics named by topic_names (a list of str)."""

    def __init__(self, topic_names):
        self.topic_names = topic_names


class TopicPartitionInfo:
    """A partition in a TopicDescription: id, leader (Node), replicas and isr (lists of Node)."""

    def __init__(self, id, leader, replicas, isr):
        self.id = id
        self.leader = leader
        self.replicas = replicas
        self.isr = isr


class IsolationLevel(_OrderedEnum):
    """Which offsets a read may see."""

    READ_UNCOMMITTED = 0
    READ_COMMITTED = 1


class ElectionType(_OrderedEnum):
    """The kind of a leader election."""

    PREFERRED = 0
    UNCLEAN = 1


class AcknowledgeType(IntEnum):
    """How a share consumer acknowledges a record."""

    ACCEPT = 1
    RELEASE = 2
    REJECT = 3


def _int64(v):
    v = operator.index(v)
    if not _I64_MIN <= v <= _I64_MAX:
        raise OverflowError("int too big to convert")
    return v


class Uuid(object):
    """A 128-bit id (topic ids) from its two signed 64-bit halves; str() is its base64
    form, as Kafka prints it."""

    __slots__ = ("_msb", "_lsb")

    def __init__(self, most_significant_bits, least_significant_bits):
        self._msb = _int64(most_significant_bits)
        self._lsb = _int64(least_significant_bits)

    @classmethod
    def _from_bytes(cls, b):
        return cls(int.from_bytes(b[:8], "big", signed=True), int.from_bytes(b[8:16], "big", signed=True))

    def get_most_significant_bits(self):
        return self._msb

    def get_least_significant_bits(self):
        return self._lsb

    def __str__(self):
        raw = self._msb.to_bytes(8, "big", signed=True) + self._lsb.to_bytes(8, "big", signed=True)
        return base64.b64encode(raw).decode("ascii").rstrip("=")

    __repr__ = __str__

    def __hash__(self):
        return hash(self._msb ^ self._lsb)
