"""kafkars.serialization: confluent_kafka.serialization's serializers and their context."""

import struct
from enum import Enum
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

from ._native import KafkaException

__all__ = ["Deserializer", "DoubleDeserializer", "DoubleSerializer", "IntegerDeserializer",
           "IntegerSerializer", "MessageField", "SerializationContext", "SerializationError",
           "Serializer", "StringDeserializer", "StringSerializer"]

HeadersType = Union[List[Tuple[str, Union[str, bytes, None]]], Dict[str, Union[str, bytes, None]]]


class SerializationError(KafkaException):
    """A serializer or deserializer failed."""


class MessageField(str, Enum):
    """Which part of a message is being (de)serialized."""

    NONE = "none"
    KEY = "key"
    VALUE = "value"


class SerializationContext(object):
    """What a serializer is given besides the object: the topic, the field and the headers."""

    __slots__ = ["topic", "field", "headers"]

    def __init__(self, topic: str, field: MessageField, headers: Optional[HeadersType] = None) -> None:
        self.topic = topic
        self.field = field
        self.headers = headers


class Serializer(object):
    """Turns an object into bytes: ``serializer(obj, ctx)``."""

    __slots__ = []

    def __call__(self, obj: Any, ctx: Optional[SerializationContext] = None) -> Optional[bytes]:
        raise NotImplementedError


class Deserializer(object):
    """Turns bytes into an object: ``deserializer(value, ctx)``."""

    __slots__ = []

    def __call__(self, value: Optional[bytes], ctx: Optional[SerializationContext] = None) -> Any:
        raise NotImplementedError


def _packer(fmt: str, what: str) -> Tuple[Callable[[Any], bytes], Callable[[bytes], Any]]:
    s = struct.Struct(fmt)

    def pack(obj):
        try:
            return s.pack(obj)
        except struct.error as e:
            raise SerializationError(str(e))

    def unpack(value):
        try:
            return s.unpack(value)[0]
        except struct.error as e:
            raise SerializationError(str(e))

    return pack, unpack


_int_pack, _int_unpack = _packer(">i", "int")
_double_pack, _double_unpack = _packer(">d", "float")


class IntegerSerializer(Serializer):
    """A 32-bit signed int, big-endian (Java's IntegerSerializer)."""

    def __call__(self, obj, ctx=None):
        return None if obj is None else _int_pack(obj)


class IntegerDeserializer(Deserializer):
    """A 32-bit signed int, big-endian."""

    def __call__(self, value, ctx=None):
        return None if value is None else _int_unpack(value)


class DoubleSerializer(Serializer):
    """An IEEE 754 double, big-endian (Java's DoubleSerializer)."""

    def __call__(self, obj, ctx=None):
        return None if obj is None else _double_pack(obj)


class DoubleDeserializer(Deserializer):
    """An IEEE 754 double, big-endian."""

    def __call__(self, value, ctx=None):
        return None if value is None else _double_unpack(value)


class StringSerializer(Serializer):
    """A str encoded with `codec` (default UTF-8)."""

    __slots__ = ["codec"]

    def __init__(self, codec: str = "utf_8") -> None:
        self.codec = codec

    def __call__(self, obj, ctx=None):
        if obj is None:
            return None
        try:
            return obj.encode(self.codec)
        except (AttributeError, UnicodeError, LookupError) as e:
            raise SerializationError(str(e))


class StringDeserializer(Deserializer):
    """Bytes decoded with `codec` (default UTF-8)."""

    __slots__ = ["codec"]

    def __init__(self, codec: str = "utf_8") -> None:
        self.codec = codec

    def __call__(self, value, ctx=None):
        if value is None:
            return None
        try:
            return value.decode(self.codec)
        except (AttributeError, UnicodeError, LookupError) as e:
            raise SerializationError(str(e))
