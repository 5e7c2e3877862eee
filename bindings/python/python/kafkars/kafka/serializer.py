"""kafka-python's serializer interfaces (``kafka.serializer``)."""
import json
from abc import ABC, abstractmethod


class Serializer(ABC):
    @abstractmethod
    def serialize(self, topic, headers, data):
        pass

    def close(self):
        pass


class Deserializer(ABC):
    @abstractmethod
    def deserialize(self, topic, headers, data):
        pass

    def close(self):
        pass


class SerializeWrapper(Serializer):
    """A plain callable(data) as a Serializer."""

    def __init__(self, fn):
        self.fn = fn

    def serialize(self, topic, headers, data):
        return data if self.fn is None else self.fn(data)


class DeserializeWrapper(Deserializer):
    """A plain callable(data) as a Deserializer."""

    def __init__(self, fn):
        self.fn = fn

    def deserialize(self, topic, headers, data):
        return data if self.fn is None else self.fn(data)


class DefaultSerializer(Serializer, Deserializer):
    """str <-> bytes in `encoding`; bytes-like and None pass through."""

    def __init__(self, encoding="utf-8"):
        self.encoding = encoding

    def serialize(self, topic, headers, data):
        if data is None or isinstance(data, (bytes, bytearray, memoryview)):
            return data
        return data.encode(self.encoding)

    def deserialize(self, topic, headers, data):
        return None if data is None else data.decode(self.encoding)


class JsonSerializer(Serializer, Deserializer):
    """JSON <-> utf-8 bytes; None passes through."""

    def __init__(self, **json_kwargs):
        self.json_kwargs = json_kwargs

    def serialize(self, topic, headers, data):
        return None if data is None else json.dumps(data, **self.json_kwargs).encode("utf-8")

    def deserialize(self, topic, headers, data):
        return None if data is None else json.loads(data)


def as_serializer(obj, wrapper):
    """kafka-python accepts a Serializer or a plain callable(data) (wrapped)."""
    if obj is None or hasattr(obj, "serialize") or hasattr(obj, "deserialize"):
        return obj
    if not callable(obj):
        raise TypeError("serializer must be callable or implement serialize/deserialize")
    return wrapper(obj)
