"""AIOConsumer: confluent_kafka.aio's asyncio consumer, over kafkars.Consumer."""

import asyncio
import concurrent.futures

import kafkars

from . import _common

# confluent_kafka.aio's consumer module holds its package under this name, and code
# written for it (its tests among them) patches `<this module>.confluent_kafka.Consumer`
confluent_kafka = kafkars


class AIOConsumer:
    """An asyncio Kafka consumer: each method runs the kafkars.Consumer method of the same
    name on `executor` (default: a ThreadPoolExecutor of `max_workers` threads, owned and
    shut down by close()) and returns its result.

    Calls on one consumer are serialized: a call waits for the one in flight (a poll()
    holds the consumer for up to its timeout). Calls made from within the consumer's own
    callbacks (on_assign calling assign(), on_commit, ...) are let through at once, as the
    call that fired the callback is still in flight.

    Callbacks - subscribe()'s on_assign/on_revoke/on_lost (given this AIOConsumer and the
    partitions) and the config's on_commit, error_cb, throttle_cb, stats_cb - may be
    coroutine functions or plain functions; they run on the event loop while the native
    call that fired them waits, so the executor needs two threads or more for callbacks
    that call the consumer.
    """

    def __init__(self, consumer_conf, max_workers=100, executor=None):
        self._closed = False
        self._owns_executor = executor is None
        if executor is None:
            if max_workers < 1:
                raise ValueError("max_workers must be at least 1")
            executor = concurrent.futures.ThreadPoolExecutor(max_workers=max_workers)
        self.executor = executor
        loop = asyncio.get_running_loop()
        self._lock = asyncio.Lock()
        conf = _common.wrap_common_callbacks(loop, consumer_conf)
        if isinstance(conf, dict) and conf.get("on_commit") is not None:
            conf["on_commit"] = _common.wrap_callback(loop, conf["on_commit"], owner=id(self))
        self._consumer = kafkars.Consumer(conf)

    async def __aenter__(self):
        return self

    async def __aexit__(self, *_):
        await self.close()

    async def _call(self, blocking_task, *args, **kwargs):
        if self._closed:
            raise RuntimeError("Consumer closed")
        if _common.IN_CALLBACK.get() == id(self):
            return await _common.async_call(self.executor, blocking_task, *args, **kwargs)
        async with self._lock:
            return await _common.async_call(self.executor, blocking_task, *args, **kwargs)

    def _rebalance_cb(self, callback):
        # the native consumer passes itself: the callback gets this AIOConsumer instead
        return _common.wrap_callback(asyncio.get_running_loop(), callback,
                                     edit_args=lambda args: (self,) + tuple(args[1:]), owner=id(self))

    async def poll(self, *args, **kwargs):
        """One message (or event), or None after the timeout (default: wait forever).
        consume() amortizes the hop to the executor over many messages."""
        return await self._call(self._consumer.poll, *args, **kwargs)

    async def consume(self, *args, **kwargs):
        """A list of up to num_messages messages, gathered within the timeout."""
        return await self._call(self._consumer.consume, *args, **kwargs)

    async def subscribe(self, *args, **kwargs):
        for name in ("on_assign", "on_revoke", "on_lost"):
            if kwargs.get(name) is not None:
                kwargs[name] = self._rebalance_cb(kwargs[name])
        return await self._call(self._consumer.subscribe, *args, **kwargs)

    async def unsubscribe(self, *args, **kwargs):
        return await self._call(self._consumer.unsubscribe, *args, **kwargs)

    async def commit(self, *args, **kwargs):
        return await self._call(self._consumer.commit, *args, **kwargs)

    async def close(self, *args, **kwargs):
        """Leaves the group and closes the native consumer, then shuts the executor down if
        this consumer made it. Later calls do nothing."""
        if self._closed:
            return None
        try:
            return await self._call(self._consumer.close, *args, **kwargs)
        finally:
            self._closed = True
            if self._owns_executor:
                await asyncio.get_running_loop().run_in_executor(None, self.executor.shutdown, True)

    async def seek(self, *args, **kwargs):
        return await self._call(self._consumer.seek, *args, **kwargs)

    async def pause(self, *args, **kwargs):
        return await self._call(self._consumer.pause, *args, **kwargs)

    async def resume(self, *args, **kwargs):
        return await self._call(self._consumer.resume, *args, **kwargs)

    async def store_offsets(self, *args, **kwargs):
        return await self._call(self._consumer.store_offsets, *args, **kwargs)

    async def committed(self, *args, **kwargs):
        return await self._call(self._consumer.committed, *args, **kwargs)

    async def assign(self, *args, **kwargs):
        return await self._call(self._consumer.assign, *args, **kwargs)

    async def unassign(self, *args, **kwargs):
        return await self._call(self._consumer.unassign, *args, **kwargs)

    async def incremental_assign(self, *args, **kwargs):
        return await self._call(self._consumer.incremental_assign, *args, **kwargs)

    async def incremental_unassign(self, *args, **kwargs):
        return await self._call(self._consumer.incremental_unassign, *args, **kwargs)

    async def assignment(self, *args, **kwargs):
        return await self._call(self._consumer.assignment, *args, **kwargs)

    async def position(self, *args, **kwargs):
        return await self._call(self._consumer.position, *args, **kwargs)

    async def consumer_group_metadata(self, *args, **kwargs):
        return await self._call(self._consumer.consumer_group_metadata, *args, **kwargs)

    async def set_sasl_credentials(self, *args, **kwargs):
        return await self._call(self._consumer.set_sasl_credentials, *args, **kwargs)

    async def list_topics(self, *args, **kwargs):
        return await self._call(self._consumer.list_topics, *args, **kwargs)

    async def cluster_id(self, *args, **kwargs):
        return await self._call(self._consumer.cluster_id, *args, **kwargs)

    async def get_watermark_offsets(self, *args, **kwargs):
        return await self._call(self._consumer.get_watermark_offsets, *args, **kwargs)

    async def offsets_for_times(self, *args, **kwargs):
        return await self._call(self._consumer.offsets_for_times, *args, **kwargs)
