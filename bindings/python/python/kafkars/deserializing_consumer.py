"""DeserializingConsumer: a Consumer that deserializes keys and values it returns."""

from ._native import Consumer
from .error import ConsumeError, KeyDeserializationError, ValueDeserializationError
from .serialization import MessageField, SerializationContext


class DeserializingConsumer(Consumer):
    """A Consumer that deserializes the keys and values of the messages poll() returns.

    :param dict conf: a Consumer configuration that may also hold 'key.deserializer' and
        'value.deserializer': callables ``(bytes or None, SerializationContext) -> obj``
        (kafkars.serialization.Deserializer instances, say). Without one, keys or values
        stay bytes.
    :raises ValueError: when group.id is not set.
    :raises KafkaException: when a property is unknown or invalid.
    """

    def __init__(self, conf):
        native = dict(conf)
        native.pop("key.deserializer", None)
        native.pop("value.deserializer", None)
        super().__init__(native)
        self._key_deserializer = conf.get("key.deserializer")
        self._value_deserializer = conf.get("value.deserializer")

    def poll(self, timeout=-1):
        """The next message, with its key and value deserialized; serves callbacks meanwhile.

        :param float timeout: the longest wait in seconds; -1 (default) or None: no limit.
        :returns: the message, or None when the timeout passed.
        :rtype: Message
        :raises ConsumeError: for a consumer error event (its KafkaError and message).
        :raises KeyDeserializationError: when the key deserializer raised.
        :raises ValueDeserializationError: when the value deserializer raised.
        :raises RuntimeError: when the consumer is closed.
        """
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
        """Not offered by DeserializingConsumer (as in confluent_kafka): use poll().

        :raises NotImplementedError: always.
        """
        raise NotImplementedError
