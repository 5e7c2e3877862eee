"""kafkars.error: the exceptions of the serializing clients (confluent_kafka.error)."""

from typing import Optional

from ._native import KafkaError, KafkaException, Message
from .serialization import SerializationError

__all__ = ["ConsumeError", "KafkaError", "KafkaException", "KeyDeserializationError",
           "KeySerializationError", "Message", "ProduceError", "SerializationError",
           "ValueDeserializationError", "ValueSerializationError"]


class _KafkaClientError(KafkaException):
    """A client error: args[0] is the KafkaError; `exception` is what caused it and
    `kafka_message` the message concerned, if any."""

    def __init__(self, kafka_error: KafkaError, exception: Optional[Exception] = None,
                 kafka_message: Optional[Message] = None) -> None:
        super().__init__(kafka_error)
        self.exception = exception
        self.kafka_message = kafka_message

    @property
    def code(self):
        return self.args[0].code()

    @property
    def name(self):
        return self.args[0].name()


class ConsumeError(_KafkaClientError):
    """Consuming failed (poll() of a DeserializingConsumer)."""


class KeyDeserializationError(ConsumeError, SerializationError):
    """The key deserializer raised."""

    def __init__(self, exception: Optional[Exception] = None, kafka_message: Optional[Message] = None) -> None:
        super().__init__(KafkaError(KafkaError._KEY_DESERIALIZATION, str(exception)),
                         exception=exception, kafka_message=kafka_message)


class ValueDeserializationError(ConsumeError, SerializationError):
    """The value deserializer raised."""

    def __init__(self, exception: Optional[Exception] = None, kafka_message: Optional[Message] = None) -> None:
        super().__init__(KafkaError(KafkaError._VALUE_DESERIALIZATION, str(exception)),
                         exception=exception, kafka_message=kafka_message)


class ProduceError(_KafkaClientError):
    """Producing failed (produce() of a SerializingProducer)."""

    def __init__(self, kafka_error: KafkaError, exception: Optional[Exception] = None) -> None:
        super().__init__(kafka_error, exception=exception)


class KeySerializationError(ProduceError, SerializationError):
    """The key serializer raised."""

    def __init__(self, exception: Optional[Exception] = None) -> None:
        super().__init__(KafkaError(KafkaError._KEY_SERIALIZATION, str(exception)), exception=exception)


class ValueSerializationError(ProduceError, SerializationError):
    """The value serializer raised."""

    def __init__(self, exception: Optional[Exception] = None) -> None:
        super().__init__(KafkaError(KafkaError._VALUE_SERIALIZATION, str(exception)), exception=exception)
