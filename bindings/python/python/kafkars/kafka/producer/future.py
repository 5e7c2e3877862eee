"""kafka-python's producer futures (``kafka.producer.future``)."""
import collections
import time

from .. import errors as Errors
from ..future import Future

_RecordMetadata = collections.namedtuple(
    "RecordMetadata", ["topic", "partition", "topic_partition", "offset", "timestamp", "checksum",
                       "serialized_key_size", "serialized_value_size", "serialized_header_size"])


class RecordMetadata(_RecordMetadata):
    """kafka-python 3's RecordMetadata; `log_start_offset` (kafka-python 2.x's field, gone from
    3.x's tuple) is kept as an attribute outside the tuple: -1, librdkafka does not report it."""
    __slots__ = ()

    @property
    def log_start_offset(self):
        return -1


class FutureRecordMetadata(Future):
    """What KafkaProducer.send() returns: resolves to RecordMetadata (or fails) when the
    record's delivery report arrives on the producer's background thread."""

    def __init__(self, topic_partition=None, timestamp_ms=None, key_size=-1, value_size=-1,
                 header_size=-1):
        super().__init__()
        self.topic_partition = topic_partition
        self.args = (None, timestamp_ms, None, key_size, value_size, header_size)

    def get(self, timeout=None):
        """Wait up to `timeout` seconds (None: forever) for the result; raises
        KafkaTimeoutError when it does not come, the failure's exception when it failed."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self.is_done:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                raise Errors.KafkaTimeoutError("Timeout after waiting for %s secs." % (timeout,))
            self.wait(left)
        if self.failed():
            raise self.exception
        return self.value
