"""AsyncSerializingProducer: an AIOProducer serializing keys and values first."""

from ..error import KeySerializationError, ValueSerializationError
from ..serialization import MessageField, SerializationContext
from ._common import maybe_await
from ._serdes import asyncinit, close_serdes, init_with_serdes
from .producer import AIOProducer


@asyncinit
class AsyncSerializingProducer(AIOProducer):
    """An AIOProducer whose config may hold 'key.serializer' / 'value.serializer'
    (callables (obj, SerializationContext) -> bytes, or returning an awaitable of it), or
    '<prop>.builder' objects building them. Construct it with
    ``await AsyncSerializingProducer(conf, **aioproducer_kwargs)``.

    Serializers built from a builder belong to the producer: close() closes them.
    """

    async def _ainit(self, conf, **kwargs):
        self._key_serializer, self._value_serializer = await init_with_serdes(
            self, AIOProducer, conf, kwargs, "key.serializer", "value.serializer")

    async def close(self):
        """Closes the producer (see AIOProducer.close), then the serializers it built."""
        if not self._is_closed:
            await super().close()
        owned, self._owned_serdes = self._owned_serdes, []
        await close_serdes(owned)

    async def produce(self, topic, key=None, value=None, partition=-1, timestamp=0, headers=None):
        """Serializes key and value, then produces (see AIOProducer.produce); raises
        Key/ValueSerializationError when a serializer fails."""
        if self._is_closed:
            raise RuntimeError("Producer has been closed")
        if not isinstance(topic, str):
            raise TypeError("topic must be a str, not %s" % type(topic).__name__)
        ctx = SerializationContext(topic, MessageField.KEY, headers)
        if self._key_serializer is not None:
            try:
                key = await maybe_await(self._key_serializer(key, ctx))
            except Exception as se:
                raise KeySerializationError(se)
        ctx.field = MessageField.VALUE
        if self._value_serializer is not None:
            try:
                value = await maybe_await(self._value_serializer(value, ctx))
            except Exception as se:
                raise ValueSerializationError(se)
        kwargs = {}
        if partition != -1:
            kwargs["partition"] = partition
        if timestamp:
            kwargs["timestamp"] = timestamp
        if headers is not None:
            kwargs["headers"] = headers
        return await super().produce(topic, value, key, **kwargs)
