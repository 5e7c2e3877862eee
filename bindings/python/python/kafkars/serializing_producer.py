"""SerializingProducer: a Producer that serializes keys and values first."""

from ._native import Producer
from .error import KeySerializationError, ValueSerializationError
from .serialization import MessageField, SerializationContext


class SerializingProducer(Producer):
    """A Producer that serializes keys and values before it produces them.

    :param dict conf: a Producer configuration that may also hold 'key.serializer' and
        'value.serializer': callables ``(obj, SerializationContext) -> bytes or None``
        (kafkars.serialization.Serializer instances, say). Without one, keys or values
        must be str, bytes or None.
    :raises KafkaException: when a property is unknown or invalid.
    """

    def __init__(self, conf):
        native = dict(conf)
        native.pop("key.serializer", None)
        native.pop("value.serializer", None)
        super().__init__(native)
        self._key_serializer = conf.get("key.serializer")
        self._value_serializer = conf.get("value.serializer")

    def produce(self, topic, key=None, value=None, partition=-1, on_delivery=None, timestamp=0, headers=None):
        """Serializes the key and value, then queues the message as Producer.produce() does.

        :param str topic: the topic.
        :param object key: the key, given to the key serializer (with a
            SerializationContext of the topic, MessageField.KEY and the headers).
        :param object value: the value, given to the value serializer (MessageField.VALUE).
        :param int partition: the partition; -1 (default): the partitioner picks it.
        :param callable on_delivery: called as (KafkaError or None, Message) with the
            delivery report, from poll() or flush().
        :param int timestamp: the timestamp in milliseconds since the epoch; 0 (default): now.
        :param headers: a dict, or a list of (name, value) tuples.
        :type headers: dict or list
        :returns: None
        :raises KeySerializationError: when the key serializer raised.
        :raises ValueSerializationError: when the value serializer raised.
        :raises BufferError: when the producer's queue is full.
        :raises KafkaException: when the message cannot be queued.
        """
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
