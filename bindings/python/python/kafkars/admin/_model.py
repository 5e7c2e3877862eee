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
    """A consumer group and some of its partitions: what AdminClient.list_consumer_group_offsets()
    and alter_consumer_group_offsets() take, and what their results give.

    :param str group_id: the group id.
    :param list(TopicPartition) topic_partitions: the partitions (with offsets, for an
        alter); None (default): all of the group's partitions, where that applies.
    """

    def __init__(self, group_id, topic_partitions=None):
        self.group_id = group_id
        self.topic_partitions = topic_partitions


class ConsumerGroupState(_OrderedEnum):
    """The state of a consumer group, as ConsumerGroupDescription.state and
    ConsumerGroupListing.state give it and list_consumer_groups(states=...) filters by.
    Members order by value.

    :cvar UNKNOWN: not known (UNKOWN is its old misspelt alias).
    :cvar PREPARING_REBALANCING: a rebalance started; members are (re)joining.
    :cvar COMPLETING_REBALANCING: the members joined; waiting for the assignment.
    :cvar STABLE: the group has members and an assignment.
    :cvar DEAD: the group has no members and no metadata left; it is being removed.
    :cvar EMPTY: the group has no members (it may still have committed offsets).
    """

    UNKNOWN = 0
    UNKOWN = 0
    PREPARING_REBALANCING = 1
    COMPLETING_REBALANCING = 2
    STABLE = 3
    DEAD = 4
    EMPTY = 5


class ConsumerGroupType(_OrderedEnum):
    """The type of a consumer group (its rebalance protocol). Members order by value.

    :cvar UNKNOWN: not known (say, a broker too old to tell).
    :cvar CONSUMER: KIP-848's consumer protocol (group.protocol=consumer).
    :cvar CLASSIC: the classic rebalance protocol.
    """

    UNKNOWN = 0
    CONSUMER = 1
    CLASSIC = 2


class TopicCollection:
    """A set of topics, named, for AdminClient.describe_topics().

    :param list(str) topic_names: the topic names.
    """

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
    """The isolation level of an offset lookup (AdminClient.list_offsets()). Members
    order by value.

    :cvar READ_UNCOMMITTED: every offset written counts, open transactions' too.
    :cvar READ_COMMITTED: only offsets up to the last stable offset count (none of an
        open transaction).
    """

    READ_UNCOMMITTED = 0
    READ_COMMITTED = 1


class ElectionType(_OrderedEnum):
    """The kind of a leader election (AdminClient.elect_leaders()). Members order by
    value.

    :cvar PREFERRED: make the preferred replica the leader.
    :cvar UNCLEAN: let an out-of-sync replica become leader when no in-sync one is
        available (data may be lost).
    """

    PREFERRED = 0
    UNCLEAN = 1


class AcknowledgeType(IntEnum):
    """How a share consumer acknowledges a record (KIP-932; ShareConsumer.acknowledge());
    an IntEnum.

    :cvar ACCEPT: the record was processed.
    :cvar RELEASE: give the record out again (to this or another consumer).
    :cvar REJECT: the record cannot be processed; never give it out again.
    """

    ACCEPT = 1
    RELEASE = 2
    REJECT = 3


def _int64(v):
    v = operator.index(v)
    if not _I64_MIN <= v <= _I64_MAX:
        raise OverflowError("int too big to convert")
    return v


class _UuidSlots(object):
    """Uuid's storage: its two 64-bit halves (signed), kept in slots. A base class of its
    own so that Uuid's namespace holds only the documented API."""

    __slots__ = ("_msb", "_lsb")


class Uuid(_UuidSlots):
    """A 128-bit id (topic ids), from its two halves; str() is its base64 form
    without padding, as Kafka prints it. Hashable.

    :param int most_significant_bits: the upper 64 bits, as a signed 64-bit int.
    :param int least_significant_bits: the lower 64 bits, as a signed 64-bit int.
    :raises OverflowError: when a half does not fit a signed 64-bit int.
    :raises TypeError: when a half is not an int.
    """

    __slots__ = ()

    def __init__(self, most_significant_bits, least_significant_bits):
        self._msb = _int64(most_significant_bits)
        self._lsb = _int64(least_significant_bits)

    @classmethod
    def _from_bytes(cls, b):
        """The Uuid of 16 bytes, as the protocol carries it.

        :param bytes b: the id, big-endian (more is ignored).
        :rtype: Uuid
        """
        return cls(int.from_bytes(b[:8], "big", signed=True), int.from_bytes(b[8:16], "big", signed=True))

    def get_most_significant_bits(self):
        """The upper 64 bits of the id.

        :returns: them, as a signed 64-bit int.
        :rtype: int
        """
        return self._msb

    def get_least_significant_bits(self):
        """The lower 64 bits of the id.

        :returns: them, as a signed 64-bit int.
        :rtype: int
        """
        return self._lsb

    def __str__(self):
        raw = self._msb.to_bytes(8, "big", signed=True) + self._lsb.to_bytes(8, "big", signed=True)
        return base64.b64encode(raw).decode("ascii").rstrip("=")

    __repr__ = __str__

    def __hash__(self):
        return hash(self._msb ^ self._lsb)
