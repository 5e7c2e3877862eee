"""DeserializingShareConsumer: a ShareConsumer that deserializes the records it returns."""

from ._native import KafkaError, ShareConsumer
from .serialization import MessageField, SerializationContext


class DeserializingShareConsumer(ShareConsumer):
    """A ShareConsumer whose poll() deserializes each record's key and value.

    A record that fails to deserialize is not raised: its error() is set
    (_KEY_DESERIALIZATION or _VALUE_DESERIALIZATION, the deserializer's exception as the
    text) and its key and value stay the bytes the broker sent, so it can still be
    acknowledged (RELEASE or REJECT, say) by its coordinates.

    :param dict conf: a ShareConsumer configuration that may also hold
        'key.deserializer' and 'value.deserializer': callables
        ``(bytes or None, SerializationContext) -> obj``. Without one, keys or values
        stay bytes.
    :raises ValueError: when group.id is not set or the share consumer cannot be made.
    :raises KafkaException: when a property is unknown or invalid.
    """

    def __init__(self, conf):
        native = dict(conf)
        self._key_deserializer = native.pop("key.deserializer", None)
        self._value_deserializer = native.pop("value.deserializer", None)
        super().__init__(native)

    def poll(self, timeout=-1):
        """The next batch of records, each deserialized in place (see the class).

        :param float timeout: the longest wait in seconds; -1 (default): no limit.
        :returns: the records (empty when the timeout passed first).
        :rtype: Messages
        :raises IllegalStateException: as ShareConsumer.poll().
        :raises KafkaException: as ShareConsumer.poll().
        """
        batch = super().poll(timeout)
        for msg in batch:
            if msg.error() is None:
                self._deserialize(msg)
        return batch

    def _deserialize(self, msg):
        """Deserializes `msg` in place; a failure marks it (error()) and keeps the bytes.

        :raises TypeError: when the message has no topic.
        """
        topic = msg.topic()
        if topic is None:
            raise TypeError("Message topic is None")
        ctx = SerializationContext(topic, MessageField.VALUE, msg.headers())
        value, key = msg.value(), msg.key()
        if self._value_deserializer is not None:
            try:
                value = self._value_deserializer(value, ctx)
            except Exception as e:
                msg.set_error(KafkaError(KafkaError._VALUE_DESERIALIZATION, str(e)))
                return
        if self._key_deserializer is not None:
            ctx.field = MessageField.KEY
            try:
                key = self._key_deserializer(key, ctx)
            except Exception as e:
                msg.set_error(KafkaError(KafkaError._KEY_DESERIALIZATION, str(e)))
                return
        # Both or neither: a record is either wholly decoded or wholly raw.
        msg.set_value(value)
        msg.set_key(key)
