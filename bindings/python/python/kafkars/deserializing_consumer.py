"""DeserializingConsumer: a Consumer that deserializes keys and values it returns."""

from ._native import Consumer
from .error import ConsumeError, KeyDeserializationError, ValueDeserializationError
from .serialization import MessageField, SerializationContext


class DeserializingConsumer(Consumer):
    """A Consumer whose config may name 'key.deserializer' and 'value.deserializer'
    (callables ``(bytes, SerializationContext) -> obj``); poll() returns messages with
    both deserialized, and raises ConsumeError for an error event and
    Key/ValueDeserializationError when a deserializer fails."""

    def __new__(cls, conf):
        conf = dict(conf)
        conf.pop("key.deserializer", None)
        conf.pop("value.deserializer", None)
        return super().__new__(cls, conf)

    def __init__(self, conf):
        self._key_deserializer = conf.get("key.deserializer")
        self._value_deserializer = conf.get("value.deserializer")

    def poll(self, timeout=-1):
        msg = super().poll(timeout)
        if msg is None:
            return None
        if msg.error() is not None:
            raise ConsumeError(msg.error(), kafka_message=msg)
        ctx = SerializationContext(msg.topic(), MessageField.VALUE, msg.headers())
        value = msg.value()
        if self._value_deserializer is not None:
            try:
                value = self._value_deserializer(value, ctx)
            except Exception as se:
                raise ValueDeserializationError(exception=se, kafka_message=msg)
        key = msg.key()
        ctx.field = MessageField.KEY
        if self._key_deserializer is not None:
            try:
                key = self._key_deserializer(key, ctx)
            except Exception as se:
                raise KeyDeserializationError(exception=se, kafka_message=msg)
        msg.set_key(key)
        msg.set_value(value)
        return msg

    def consume(self, num_messages=1, timeout=-1):
        raise NotImplementedError
