"""kafka-python's ConsumerRebalanceListener (``kafka.consumer.subscription_state``)."""
from abc import ABC, abstractmethod


class ConsumerRebalanceListener(ABC):
    """Called (on the thread calling poll()/iterating) when the group's assignment changes:
    on_partitions_revoked(set of TopicPartition) before a rebalance, then
    on_partitions_assigned(set) after it; on_partitions_lost (default: revoked) when the
    member was evicted."""

    @abstractmethod
    def on_partitions_revoked(self, revoked):
        pass

    @abstractmethod
    def on_partitions_assigned(self, assigned):
        pass

    def on_partitions_lost(self, lost):
        return self.on_partitions_revoked(lost)


class AsyncConsumerRebalanceListener(ABC):
    """kafka-python's coroutine listener: kafkars.kafka runs the coroutines to completion."""

    @abstractmethod
    async def on_partitions_revoked(self, revoked):
        pass

    @abstractmethod
    async def on_partitions_assigned(self, assigned):
        pass

    async def on_partitions_lost(self, lost):
        return await self.on_partitions_revoked(lost)
