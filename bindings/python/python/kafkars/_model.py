"""Types of the package root that are plain Python (confluent_kafka._model's)."""


class Messages(object):
    """The records one ShareConsumer.poll() returned, in order: a read-only sequence
    (len(), iteration, indexing; a slice is a Messages too).

    :param messages: the Message objects (any iterable; default none).
    """

    def __init__(self, messages=()):
        self._items = tuple(messages)

    @classmethod
    def _from_list(cls, messages):
        """A batch over `messages` (poll() builds its result with it).

        :param list(Message) messages: the records.
        :rtype: Messages
        """
        batch = cls.__new__(cls)
        batch._items = tuple(messages)
        return batch

    def records(self):
        """The records as a new list (changing it leaves the batch as it is).

        :rtype: list(Message)
        """
        return list(self._items)

    def count(self):
        """The number of records.

        :rtype: int
        """
        return len(self._items)

    def is_empty(self):
        """Whether the batch has no records (poll()'s timeout passed first).

        :rtype: bool
        """
        return not self._items

    def __len__(self):
        return len(self._items)

    def __iter__(self):
        return iter(self._items)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return Messages._from_list(self._items[index])
        return self._items[index]

    def __repr__(self):
        return "Messages({!r})".format(list(self._items))
