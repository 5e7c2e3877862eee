"""AsyncDeserializingConsumer: an AIOConsumer deserializing the keys and values it returns."""

from ..error import ConsumeError, KeyDeserializationError, ValueDeserializationError
from ..serialization import MessageField, SerializationContext
from ._AIOConsumer import AIOConsumer
from ._common import maybe_await
from ._serdes import asyncinit, close_serdes, init_with_serdes


@asyncinit
class AsyncDeserializingConsumer(AIOConsumer):
    """An AIOConsumer whose config may hold 'key.deserializer' / 'value.deserializer'
    (callables (bytes, SerializationContext) -> obj, or returning an awaitable of it), or
    '<prop>.builder' objects building them. Construct it with
    ``await AsyncDeserializingConsumer(conf, **aioconsumer_kwargs)``.

    Deserializers built from a builder belong to the consumer: close() closes them.
    """

    async def _ainit(self, conf, **kwargs):
        self._key_deserializer, self._value_deserializer = await init_with_serdes(
            self, AIOConsumer, conf, kwargs, "key.deserializer", "value.deserializer")

    async def close(self, *args, **kwargs):
        """Closes the consumer (see AIOConsumer.close), then the deserializers it built."""
        result = None
        if not self._closed:
            result = await super().close(*args, **kwargs)
        owned, self._owned_serdes = self._owned_serdes, []
        await close_serdes(owned)
        return result

    async def poll(self, timeout=-1):
        """A deserialized message, or None after the timeout; raises ConsumeError for an
        error event and Key/ValueDeserializationError when a deserializer fails."""
        msg = await super().poll(timeout)
        if msg is None:
            return None
        if msg.error() is not None:
            raise ConsumeError(msg.error(), kafka_message=msg)
        return await self._deserialize(msg)

    async def consume(self, num_messages=1, timeout=-1):
        """Up to num_messages deserialized messages; error events are returned as they are
        (so the rest of the batch is not lost)."""
        msgs = await super().consume(num_messages, timeout)
        return [m if m.error() is not None else await self._deserialize(m) for m in msgs]

    async def _deserialize(self, msg):
        # the key first: a key deserializer may leave state for the value's (as in the
        # blocking DeserializingConsumer of confluent_kafka)
        ctx = SerializationContext(msg.topic(), MessageField.KEY, msg.headers())
        key, value = msg.key(), msg.value()
        if self._key_deserializer is not None:
            try:
                key = await maybe_await(self._key_deserializer(key, ctx))
            except Exception as se:
                raise KeyDeserializationError(exception=se, kafka_message=msg)
        if self._value_deserializer is not None:
            ctx.field = MessageField.VALUE
            try:
                value = await maybe_await(self._value_deserializer(value, ctx))
            except Exception as se:
                raise ValueDeserializationError(exception=se, kafka_message=msg)
        msg.set_key(key)
        msg.set_value(value)
        return msg
