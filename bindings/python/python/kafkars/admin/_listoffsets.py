"""What list_offsets() asks (OffsetSpec) and answers (ListOffsetsResultInfo)."""

from abc import ABC, abstractmethod

_LATEST, _EARLIEST, _MAX_TIMESTAMP = -1, -2, -3


class OffsetSpec(ABC):
    """Which offset list_offsets() looks up: OffsetSpec.earliest(), latest(),
    max_timestamp() or for_timestamp(ms). OffsetSpec(n) gives the same objects
    (n < 0: the special ones, else for_timestamp(n))."""

    _values = {}
    _earliest = _latest = _max_timestamp = None

    @property
    @abstractmethod
    def _value(self):
        """The spec as the native layer takes it."""

    @classmethod
    def earliest(cls):
        return cls._earliest

    @classmethod
    def latest(cls):
        return cls._latest

    @classmethod
    def max_timestamp(cls):
        return cls._max_timestamp

    @classmethod
    def for_timestamp(cls, timestamp):
        return TimestampSpec(timestamp)

    def __new__(cls, index):
        if index < 0:
            return cls._values[index]
        return cls.for_timestamp(index)

    def __lt__(self, other):
        if not isinstance(other, OffsetSpec):
            return NotImplemented
        return self._value < other._value


class TimestampSpec(OffsetSpec):
    """The first offset whose timestamp is >= timestamp (ms)."""

    def __new__(cls, _timestamp):
        return object.__new__(cls)

    def __init__(self, timestamp):
        self.timestamp = timestamp

    @property
    def _value(self):
        return self.timestamp


class MaxTimestampSpec(OffsetSpec):
    """The offset of the record with the largest timestamp."""

    def __new__(cls):
        return object.__new__(cls)

    @property
    def _value(self):
        return _MAX_TIMESTAMP


class LatestSpec(OffsetSpec):
    """The partition's end offset."""

    def __new__(cls):
        return object.__new__(cls)

    @property
    def _value(self):
        return _LATEST


class EarliestSpec(OffsetSpec):
    """The partition's first offset."""

    def __new__(cls):
        return object.__new__(cls)

    @property
    def _value(self):
        return _EARLIEST


OffsetSpec._earliest = EarliestSpec()
OffsetSpec._latest = LatestSpec()
OffsetSpec._max_timestamp = MaxTimestampSpec()
OffsetSpec._values.update({_MAX_TIMESTAMP: OffsetSpec._max_timestamp, _EARLIEST: OffsetSpec._earliest,
                           _LATEST: OffsetSpec._latest})


class ListOffsetsResultInfo:
    """A partition's answer to list_offsets(): offset, timestamp (ms, -1 if none) and
    leader_epoch (None if unknown)."""

    def __init__(self, offset, timestamp, leader_epoch):
        self.offset = offset
        self.timestamp = timestamp
        self.leader_epoch = leader_epoch if leader_epoch >= 0 else None
