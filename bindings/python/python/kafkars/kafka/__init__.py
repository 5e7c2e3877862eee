"""kafka-python's API (``import kafka``) on kafkars: replace ``kafka`` with ``kafkars.kafka``.

KafkaProducer, KafkaConsumer, KafkaAdminClient, the structs, errors, serializers and
partitioners are here.
"""
import logging

from .admin import KafkaAdminClient, OffsetSpec  # noqa: F401
from .admin._types import IsolationLevel  # noqa: F401
from .consumer import KafkaConsumer  # noqa: F401
from .consumer.subscription_state import ConsumerRebalanceListener  # noqa: F401
from .producer import KafkaProducer  # noqa: F401
from .serializer import DefaultSerializer, Deserializer, JsonSerializer, Serializer  # noqa: F401
from .structs import (  # noqa: F401
    ConsumerGroupMetadata, OffsetAndMetadata, OffsetAndTimestamp, TopicPartition,
    TopicPartitionReplica,
)

__title__ = "kafka"
__version__ = "3.0.12"  # the kafka-python API version this mirrors
logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "KafkaAdminClient", "KafkaConsumer", "KafkaProducer", "ConsumerRebalanceListener",
    "DefaultSerializer", "JsonSerializer", "Serializer", "Deserializer", "ConsumerGroupMetadata",
    "OffsetAndMetadata", "OffsetAndTimestamp", "TopicPartition", "TopicPartitionReplica",
    "OffsetSpec", "IsolationLevel",
]
