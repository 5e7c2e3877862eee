"""confluent_kafka's partitioner functions murmur2(), consistent() and fnv1a() (in the kafkars
root, as in confluent_kafka's): the partition librdkafka's partitioners of the same names give
a record with `key` on a topic of `partition_count` partitions. Pure Python, with
confluent_kafka's argument checks and errors (two positional arguments; `key` bytes, not
bytearray or memoryview; `partition_count` a C int > 0).
"""
import operator
import zlib

_MASK32 = 0xFFFFFFFF
_INT_MAX = 2**31 - 1
_LONG_MAX = 2**63 - 1


def _murmur2_hash(data):
    """Java Kafka's murmur2 (Utils.murmur2, seed 0x9747b28c) of the bytes `data`, unsigned."""
    m = 0x5BD1E995
    n = len(data)
    h = (0x9747B28C ^ n) & _MASK32
    whole = n - n % 4
    for i in range(0, whole, 4):
        k = (int.from_bytes(data[i:i + 4], "little") * m) & _MASK32
        k = ((k ^ (k >> 24)) * m) & _MASK32
        h = ((h * m) & _MASK32) ^ k
    if whole < n:
        h = ((h ^ int.from_bytes(data[whole:], "little")) * m) & _MASK32
    h = ((h ^ (h >> 13)) * m) & _MASK32
    return h ^ (h >> 15)


def _fnv1a_hash(data):
    """librdkafka's rd_fnv1a(): 32-bit FNV-1a, then the absolute value of it as a signed int
    (as Sarama); -2**31 stays 0x80000000."""
    h = 0x811C9DC5
    for b in data:
        h = ((h ^ b) * 0x01000193) & _MASK32
    if h > 0x80000000:
        h = 2**32 - h
    return h


def _args(name, args, kwargs):
    """(key, partition_count) checked as confluent_kafka's C functions check them."""
    if kwargs:
        raise TypeError("%s() takes no keyword arguments" % (name,))
    if len(args) != 2:
        raise TypeError("function takes exactly 2 arguments (%d given)" % (len(args),))
    key, count = args
    if not isinstance(key, bytes):
        try:
            memoryview(key).release()
        except TypeError:
            raise TypeError("a bytes-like object is required, not '%s'"
                            % (type(key).__name__,)) from None
        raise TypeError("argument 1 must be read-only bytes-like object, not %s"
                        % (type(key).__name__,))
    count = operator.index(count)
    if count > _LONG_MAX or count < -_LONG_MAX - 1:
        raise OverflowError("Python int too large to convert to C long")
    if count > _INT_MAX:
        raise OverflowError("signed integer is greater than maximum")
    if count < -_INT_MAX - 1:
        raise OverflowError("signed integer is less than minimum")
    if count <= 0:
        raise ValueError("partition_count must be > 0, got %d" % (count,))
    return bytes(key), count


def murmur2(*args, **kwargs):
    """murmur2(key, partition_count)

    Calculate partition using Murmur2 hash (Java-compatible): librdkafka's ``murmur2``
    partitioner, ``(murmur2(key) & 0x7fffffff) % partition_count``.

    :param bytes key: The message key
    :param int partition_count: Number of partitions (must be > 0)
    :returns: Partition ID (0 to partition_count-1)
    :rtype: int
    :raises ValueError: If partition_count <= 0
    :raises TypeError: If key is not bytes or partition_count is not int
    """
    key, count = _args("murmur2", args, kwargs)
    return (_murmur2_hash(key) & 0x7FFFFFFF) % count


def consistent(*args, **kwargs):
    """consistent(key, partition_count)

    Calculate partition using CRC32-based consistent hash: librdkafka's ``consistent``
    partitioner, ``crc32(key) % partition_count``.

    :param bytes key: The message key
    :param int partition_count: Number of partitions (must be > 0)
    :returns: Partition ID (0 to partition_count-1)
    :rtype: int
    :raises ValueError: If partition_count <= 0
    :raises TypeError: If key is not bytes or partition_count is not int
    """
    key, count = _args("consistent", args, kwargs)
    return zlib.crc32(key) % count


def fnv1a(*args, **kwargs):
    """fnv1a(key, partition_count)

    Calculate partition using FNV-1a hash: librdkafka's ``fnv1a`` partitioner (Sarama's),
    ``abs(fnv1a_32(key) as a signed int) % partition_count``.

    :param bytes key: The message key
    :param int partition_count: Number of partitions (must be > 0)
    :returns: Partition ID (0 to partition_count-1)
    :rtype: int
    :raises ValueError: If partition_count <= 0
    :raises TypeError: If key is not bytes or partition_count is not int
    """
    key, count = _args("fnv1a", args, kwargs)
    return _fnv1a_hash(key) % count
