"""SerializingProducer: a Producer that serializes keys and values first."""

from ._native import Producer
from .error import KeySerializationError, ValueSerializationError
from .serialization import MessageField, SerializationContext


class SerializingProducer(Producer):
    """A Producer whose config may name 'key.serializer' and 'value.serializer'
    (callables ``(obj, SerializationContext) -> bytes``); produce() serializes with them
    and raises Key/ValueSerializationError when they fail."""

    def __new__(cls, conf):
        conf = dict(conf)
        conf.pop("key.serializer", None)
        conf.pop("value.serializer", None)
        return super().__new__(cls, conf)

    def __init__(self, conf):
        self._key_serializer = conf.get("key.serializer")
        self._value_serializer = conf.get("value.serializer")

    def produce(self, topic, key=None, value=None, partition=-1, on_delivery=None, timestamp=0, headers=None):
        ctx = SerializationContext(topic, MessageField.KEY, headers)
        if self._key_serializer is not None:
            try:
                key = self._key_serializer(key, ctx)
            except Exception as se:
                raise KeySerializationError(se)
        ctx.field = MessageField.VALUE
        if self._value_serializer is not None:
            try:
                value = self._value_serializer(value, ctx)
            except Exception as se:
                raise ValueSerializationError(se)
        super().produce(topic, value, key, headers=headers, partition=partition, timestamp=timestamp,
                        on_delivery=on_delivery)
