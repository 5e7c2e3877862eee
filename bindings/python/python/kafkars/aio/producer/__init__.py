"""The asyncio producer (confluent_kafka.aio.producer's layout)."""

from ._AIOProducer import AIOProducer

__all__ = ["AIOProducer"]
