"""asyncio clients: confluent_kafka.aio's API (replace ``confluent_kafka.aio`` with
``kafkars.aio``). Blocking kafkars calls run on a thread pool; see AIOProducer and
AIOConsumer."""

from ._AIOConsumer import AIOConsumer
from ._AsyncDeserializingConsumer import AsyncDeserializingConsumer
from ._AsyncSerializingProducer import AsyncSerializingProducer
from .producer import AIOProducer

__all__ = ["AIOConsumer", "AIOProducer", "AsyncDeserializingConsumer", "AsyncSerializingProducer"]
