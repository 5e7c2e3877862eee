"""AIOProducer: confluent_kafka.aio's asyncio producer, over kafkars.Producer."""

import asyncio
import concurrent.futures
import logging

import kafkars

from .. import _common
from ._batching import BufferTimer, MessageBuffer, send_batch_blocking

# confluent_kafka.aio's producer module holds its package under this name, and code
# written for it (its tests among them) patches `<this module>.confluent_kafka.Producer`
confluent_kafka = kafkars

log = logging.getLogger("kafkars.aio")

_PRODUCE_KWARGS = ("partition", "timestamp", "headers", "on_delivery", "callback")


class AIOProducer:
    """An asyncio Kafka producer: every method is a coroutine, and none blocks the loop.

    produce() buffers the message and returns an asyncio future of its delivery (the
    delivered Message, or a KafkaException); the buffer goes to the native producer every
    `batch_size` messages, once its oldest message has waited `buffer_timeout` seconds (0:
    only by size and flush()), and on flush()/close(). Blocking native calls run on
    `executor` (default: a ThreadPoolExecutor of `max_workers` threads, owned and shut down
    by close()). While messages await delivery a background task serves their reports.

    Config callbacks (error_cb, throttle_cb, stats_cb) may be coroutine functions or plain
    functions; they run on the event loop.
    """

    def __init__(self, producer_conf, max_workers=4, executor=None, batch_size=1000, buffer_timeout=1.0):
        self._loop = asyncio.get_running_loop()
        self._owns_executor = executor is None
        self.executor = executor if executor is not None else \
            concurrent.futures.ThreadPoolExecutor(max_workers=max_workers)
        conf = _common.wrap_common_callbacks(self._loop, producer_conf)
        self._producer = kafkars.Producer(conf)
        self._batch_size = batch_size
        self._is_closed = False
        self._pump_task = None
        self._batch_processor = MessageBuffer(self._send_batch)
        self._buffer_timeout_manager = BufferTimer(self, buffer_timeout)
        self._buffer_timeout_manager.start_timeout_monitoring()

    async def __aenter__(self):
        return self

    async def __aexit__(self, *_):
        await self.close()

    def __len__(self):
        """Messages not yet delivered: buffered here plus in the native producer's queue."""
        if self._is_closed:
            return 0
        return len(self._producer) + self._batch_processor.get_buffer_size()

    def __del__(self):
        timer = getattr(self, "_buffer_timeout_manager", None)
        if timer is not None:
            timer._running = False

    async def close(self):
        """Sends what is buffered, waits for every delivery (flush()), stops the background
        tasks and shuts the executor down if this producer made it. Later calls do nothing."""
        if self._is_closed:
            return
        self._is_closed = True
        self._buffer_timeout_manager.stop_timeout_monitoring()
        try:
            await self.flush()
        finally:
            pump, self._pump_task = self._pump_task, None
            if pump is not None and not pump.done():
                pump.cancel()
                await asyncio.gather(pump, return_exceptions=True)
            if self._owns_executor:
                await self._loop.run_in_executor(None, self.executor.shutdown, True)

    async def produce(self, topic, value=None, key=None, *args, **kwargs):
        """Buffers a message; returns an asyncio future resolving to the delivered Message
        (or raising KafkaException). Keyword arguments: partition, timestamp, headers and
        on_delivery/callback (a plain function called with (err, msg) on delivery)."""
        if args:
            raise TypeError("produce() takes topic, value and key positionally; pass the rest by keyword")
        unknown = set(kwargs) - set(_PRODUCE_KWARGS)
        if unknown:
            raise TypeError("produce() got unexpected keyword arguments: %s" % ", ".join(sorted(unknown)))
        if self._is_closed:
            raise RuntimeError("Producer has been closed")
        fut = self._loop.create_future()
        msg_data = {"topic": topic, "value": value, "key": key}
        for k in ("partition", "timestamp", "headers"):
            if kwargs.get(k) is not None:
                msg_data[k] = kwargs[k]
        cb = kwargs.get("on_delivery") or kwargs.get("callback")
        if cb is not None:
            msg_data["user_callback"] = cb
        self._batch_processor.add_message(msg_data, fut)
        self._buffer_timeout_manager.mark_activity(self._batch_processor.get_buffer_size())
        if self._batch_processor.get_buffer_size() >= self._batch_size:
            await self._flush_buffer()
        return fut

    async def poll(self, timeout=0, *args, **kwargs):
        """Serves delivery reports and config callbacks (the background task also does);
        returns how many events were served."""
        return await self._call(self._producer.poll, timeout, *args, **kwargs)

    async def flush(self, *args, **kwargs):
        """Sends the buffer, then waits (up to the timeout given, default forever) for every
        delivery; returns how many messages are still undelivered."""
        if not self._batch_processor.is_buffer_empty():
            await self._flush_buffer()
        self._buffer_timeout_manager.mark_activity(self._batch_processor.get_buffer_size())
        return await self._call(self._producer.flush, *args, **kwargs)

    async def purge(self, *args, **kwargs):
        """Drops the buffered messages (their futures are cancelled) and purges the native
        producer's queues (those messages' futures fail with _PURGE_QUEUE/_PURGE_INFLIGHT)."""
        self._batch_processor.cancel_pending_futures()
        self._batch_processor.clear_buffer()
        self._buffer_timeout_manager.mark_activity(0)
        return await self._call(self._producer.purge, *args, **kwargs)

    async def list_topics(self, *args, **kwargs):
        return await self._call(self._producer.list_topics, *args, **kwargs)

    async def cluster_id(self, *args, **kwargs):
        return await self._call(self._producer.cluster_id, *args, **kwargs)

    async def init_transactions(self, *args, **kwargs):
        return await self._call(self._producer.init_transactions, *args, **kwargs)

    async def begin_transaction(self, *args, **kwargs):
        # messages buffered before the transaction must not end up inside it
        await self.flush()
        return await self._call(self._producer.begin_transaction, *args, **kwargs)

    async def send_offsets_to_transaction(self, *args, **kwargs):
        return await self._call(self._producer.send_offsets_to_transaction, *args, **kwargs)

    async def commit_transaction(self, *args, **kwargs):
        # the buffered messages belong to the transaction: send them first
        await self.flush()
        return await self._call(self._producer.commit_transaction, *args, **kwargs)

    async def abort_transaction(self, *args, **kwargs):
        await self.flush()
        return await self._call(self._producer.abort_transaction, *args, **kwargs)

    async def set_sasl_credentials(self, *args, **kwargs):
        return await self._call(self._producer.set_sasl_credentials, *args, **kwargs)

    # ------------------------------------------------------------------ internals

    async def _flush_buffer(self, target_topic=None):
        """Hands the buffer to the native producer (see MessageBuffer.flush_buffer)."""
        try:
            await self._batch_processor.flush_buffer(target_topic)
        finally:
            self._start_pump()

    async def _send_batch(self, batch):
        return await self._loop.run_in_executor(self.executor, send_batch_blocking, self._producer, batch)

    def _start_pump(self):
        """Starts the task serving delivery reports, unless it runs already."""
        if self._pump_task is None or self._pump_task.done():
            self._pump_task = self._loop.create_task(self._pump())

    async def _pump(self):
        # polls while the native producer holds undelivered messages; short waits, so the
        # thread it occupies comes back soon and futures resolve promptly
        try:
            while len(self._producer) > 0:
                await self._loop.run_in_executor(self.executor, self._producer.poll, 0.05)
        except RuntimeError:  # the executor was shut down (a caller's own executor)
            pass
        except Exception:  # noqa: BLE001 - a callback raised: report, keep serving via flush/poll
            log.warning("serving delivery reports failed", exc_info=True)

    async def _call(self, blocking_task, *args, **kwargs):
        """Runs a blocking native call on the executor."""
        return await _common.async_call(self.executor, blocking_task, *args, **kwargs)
