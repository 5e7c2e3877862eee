"""AIOProducer's message buffer and its linger timer.

produce() only appends to a buffer; the buffer goes to the native producer in batches
(produce_batch, one call per topic and partition) when it holds batch_size messages, when
its oldest message has waited buffer_timeout seconds, or on flush(). Each message carries
an asyncio future that its delivery report settles.

The attribute and method names follow confluent_kafka.aio's (its tests and some programs
look at them: _message_buffer, _buffer_futures, create_batches(), _timeout_task, ...).
"""

import asyncio
import logging
import time
import weakref
from typing import Any, List, NamedTuple

from kafkars import KafkaException

log = logging.getLogger("kafkars.aio")

# produce_batch cannot carry these: such messages go through produce() one by one
_SINGLE_ONLY = ("timestamp", "headers")


class MessageBatch(NamedTuple):
    """Messages of one topic and partition, ready for produce_batch, and their futures."""
    topic: str
    partition: int
    messages: List[dict]
    futures: List[Any]


def settle(loop, fut, err, msg):
    """Delivery report -> future. Runs on whatever thread served the report: the future is
    only touched on its loop."""
    def apply():
        if fut.done():
            return
        if err is not None:
            fut.set_exception(KafkaException(err))
        else:
            fut.set_result(msg)
    try:
        if loop.is_closed():
            return
        loop.call_soon_threadsafe(apply)
    except RuntimeError:  # the loop closed meanwhile: nobody awaits the future any more
        pass


class MessageBuffer:
    """Messages produce() accepted and not yet handed to the native producer."""

    def __init__(self, send_batch):
        self._send_batch = send_batch  # coroutine function(MessageBatch) (the producer's)
        self._message_buffer = []
        self._buffer_futures = []
        # batches leave in the order they were cut, whatever the executor's thread count
        self._send_lock = asyncio.Lock()

    def add_message(self, msg_data, future):
        self._message_buffer.append(msg_data)
        self._buffer_futures.append(future)

    def get_buffer_size(self):
        return len(self._message_buffer)

    def is_buffer_empty(self):
        return not self._message_buffer

    def clear_buffer(self):
        self._message_buffer = []
        self._buffer_futures = []

    def cancel_pending_futures(self):
        for fut in self._buffer_futures:
            if not fut.done():
                fut.cancel()

    def _group_messages_by_topic_and_partition(self):
        """{(topic, partition): {'messages': [...], 'futures': [...]}}, in buffer order;
        partition -1 = the partitioner decides."""
        groups = {}
        for msg_data, fut in zip(self._message_buffer, self._buffer_futures):
            g = groups.setdefault((msg_data["topic"], msg_data.get("partition", -1)),
                                  {"messages": [], "futures": []})
            g["messages"].append(msg_data)
            g["futures"].append(fut)
        return groups

    def create_batches(self, target_topic=None):
        """The buffer (or its messages for target_topic) as batches whose message dicts
        carry a 'callback' settling their future; the buffer itself is left as it is."""
        loop = asyncio.get_running_loop()
        batches = []
        for (topic, partition), g in self._group_messages_by_topic_and_partition().items():
            if target_topic is not None and topic != target_topic:
                continue
            messages = []
            for msg_data, fut in zip(g["messages"], g["futures"]):
                m = {k: v for k, v in msg_data.items() if k != "topic"}
                m["callback"] = _settler(loop, fut, m.pop("user_callback", None))
                messages.append(m)
            batches.append(MessageBatch(topic, partition, messages, g["futures"]))
        return batches

    def _take(self, target_topic):
        """Cuts the batches and removes their messages from the buffer."""
        batches = self.create_batches(target_topic)
        if target_topic is None:
            self.clear_buffer()
        else:
            keep = [(m, f) for m, f in zip(self._message_buffer, self._buffer_futures)
                    if m["topic"] != target_topic]
            self._message_buffer = [m for m, _ in keep]
            self._buffer_futures = [f for _, f in keep]
        return batches

    async def flush_buffer(self, target_topic=None):
        """Hands the buffered messages to the native producer. A batch the producer refuses
        as a whole fails its futures and raises; later batches still go."""
        if self.is_buffer_empty():
            return
        batches = self._take(target_topic)
        first_error = None
        async with self._send_lock:
            for batch in batches:
                try:
                    await self._send_batch(batch)
                except Exception as e:  # noqa: BLE001 - given to the futures, then raised
                    for fut in batch.futures:
                        if not fut.done():
                            fut.set_exception(e)
                    first_error = first_error or e
        if first_error is not None:
            raise first_error


def _settler(loop, fut, user_callback):
    def callback(err, msg):
        settle(loop, fut, err, msg)
        if user_callback is not None:
            user_callback(err, msg)
    return callback


def send_batch_blocking(producer, batch):
    """Runs on an executor thread: produce_batch for what it can carry, produce() for the
    rest, and the refused messages' callbacks (produce_batch marks them with '_error' and
    reports nothing for them). Returns how many were refused."""
    if not any(m.get(k) is not None for m in batch.messages for k in _SINGLE_ONLY):
        producer.produce_batch(batch.topic, batch.messages, partition=batch.partition)
    else:  # rare (timestamps, headers): one by one, keeping the order
        for m in batch.messages:
            kw = {k: m[k] for k in _SINGLE_ONLY if m.get(k) is not None}
            try:
                producer.produce(batch.topic, m.get("value"), m.get("key"), partition=batch.partition,
                                 on_delivery=m["callback"], **kw)
            except KafkaException as e:
                m["_error"] = e.args[0]
    refused = 0
    for m in batch.messages:
        if isinstance(m, dict) and "_error" in m:
            refused += 1
            m["callback"](m["_error"], None)
    producer.poll(0)  # serve the reports already there
    return refused


class BufferTimer:
    """The linger timer: a task that sends the buffer once its oldest message has waited
    `timeout` seconds. Holds the producer weakly, so an unclosed one can be collected."""

    def __init__(self, producer, timeout):
        self._producer_ref = weakref.ref(producer)
        self._timeout = timeout
        self._last_activity = time.monotonic()  # last produce/flush/purge
        self._oldest = None  # when the buffer last went from empty to non-empty
        self._timeout_task = None
        self._running = False

    def start_timeout_monitoring(self):
        if self._timeout and self._timeout > 0:
            self._running = True
            self._timeout_task = asyncio.get_running_loop().create_task(self._monitor())

    def stop_timeout_monitoring(self):
        self._running = False
        if self._timeout_task is not None and not self._timeout_task.done():
            self._timeout_task.cancel()
        self._timeout_task = None

    def mark_activity(self, buffered=None):
        now = time.monotonic()
        self._last_activity = now
        if not buffered:
            self._oldest = None
        elif self._oldest is None:
            self._oldest = now

    async def _monitor(self):
        interval = max(0.01, min(1.0, self._timeout / 4))
        while self._running:
            await asyncio.sleep(interval)
            producer = self._producer_ref()
            if producer is None or not self._running:
                return
            oldest = self._oldest
            if oldest is not None and time.monotonic() - oldest >= self._timeout:
                try:
                    await producer._flush_buffer()
                except Exception:  # noqa: BLE001 - the futures carry it; keep the timer alive
                    log.warning("sending buffered messages failed", exc_info=True)
                self.mark_activity(producer._batch_processor.get_buffer_size())
            del producer
