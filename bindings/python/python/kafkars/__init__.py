"""kafkars: an Apache Kafka client on the kafkars core (a librdkafka drop-in in Rust).

This package is confluent_kafka's API: replace ``import confluent_kafka`` with
``import kafkars``. kafka-python's API is ``kafkars.kafka``.
"""

from ._native import (  # noqa: F401
    ConcurrentModificationException,
    Consumer,
    IllegalStateException,
    KafkaError,
    KafkaException,
    Message,
    Producer,
    ShareConsumer,
    TopicPartition,
)
from ._native import libversion as _libversion
from . import _native as cimpl  # noqa: F401 - confluent_kafka.cimpl, the native types' module
from .deserializing_consumer import DeserializingConsumer  # noqa: F401,E402
from .serializing_producer import SerializingProducer  # noqa: F401,E402
from .deserializing_share_consumer import DeserializingShareConsumer  # noqa: F401,E402
from ._model import Messages  # noqa: F401,E402
from ._partitioner import consistent, fnv1a, murmur2  # noqa: F401,E402
from .admin._model import (  # noqa: F401,E402 - confluent_kafka's root exports them too
    AcknowledgeType,
    ConsumerGroupState,
    ConsumerGroupTopicPartitions,
    ConsumerGroupType,
    ElectionType,
    IsolationLevel,
    Node,
    TopicCollection,
    TopicPartitionInfo,
    Uuid,
)

__version__ = "0.1.0"

# as confluent_kafka's (ThrottleEvent is left out there too)
__all__ = [
    "AcknowledgeType", "ConcurrentModificationException", "Consumer", "ConsumerGroupState",
    "ConsumerGroupTopicPartitions", "ConsumerGroupType", "DeserializingConsumer",
    "DeserializingShareConsumer", "ElectionType", "IllegalStateException", "IsolationLevel",
    "KafkaError", "KafkaException", "Message", "Messages", "Node", "OFFSET_BEGINNING",
    "OFFSET_END", "OFFSET_INVALID", "OFFSET_STORED", "Producer", "SerializingProducer",
    "ShareConsumer", "TIMESTAMP_CREATE_TIME", "TIMESTAMP_LOG_APPEND_TIME",
    "TIMESTAMP_NOT_AVAILABLE", "TopicCollection", "TopicPartition",
    "TopicPartitionInfo", "Uuid", "admin", "aio", "consistent", "fnv1a", "libversion", "murmur2", "version",
]

OFFSET_BEGINNING = -2
OFFSET_END = -1
OFFSET_STORED = -1000
OFFSET_INVALID = -1001

TIMESTAMP_NOT_AVAILABLE = 0
TIMESTAMP_CREATE_TIME = 1
TIMESTAMP_LOG_APPEND_TIME = 2


def version():
    """The version of this package (where confluent_kafka.version() gives its own).

    :returns: the version string, as ``kafkars.__version__``.
    :rtype: str
    """
    return __version__


def libversion():
    """The version of the kafkars core, in librdkafka's terms (as
    confluent_kafka.libversion() gives librdkafka's).

    :returns: (version string, version int): the librdkafka API level kafkars implements
        followed by kafkars' own version ("2.16.0-kafkars-0.1.0"), and that API level as
        librdkafka's 0xMMmmrrpp int.
    :rtype: tuple(str, int)
    """
    return _libversion()


class ThrottleEvent(object):
    """A broker throttled a request: given to the throttle_cb config callback.

    broker_name and broker_id name the broker; throttle_time is in seconds.
    """

    def __init__(self, broker_name, broker_id, throttle_time):
        self.broker_name = broker_name
        self.broker_id = broker_id
        self.throttle_time = throttle_time

    def __str__(self):
        return "{}/{} throttled for {} ms".format(self.broker_name, self.broker_id,
                                                   int(self.throttle_time * 1000))
