"""Decoding of the consumer protocol's member metadata (subscription) and assignment bytes,
as kafka-python's describe_groups() shows them (dicts)."""
import struct


class _Reader:
    def __init__(self, data):
        self.b, self.i = bytes(data), 0

    def _take(self, fmt):
        v = struct.unpack_from(fmt, self.b, self.i)[0]
        self.i += struct.calcsize(fmt)
        return v

    def i16(self):
        return self._take(">h")

    def i32(self):
        return self._take(">i")

    def string(self):
        n = self.i16()
        if n < 0:
            return None
        s = self.b[self.i:self.i + n].decode("utf-8")
        self.i += n
        return s

    def blob(self):
        n = self.i32()
        if n < 0:
            return None
        s = self.b[self.i:self.i + n]
        self.i += n
        return s

    def array(self, item):
        n = self.i32()
        return [] if n < 0 else [item() for _ in range(n)]

    def more(self):  # fields of newer versions may be absent
        return self.i < len(self.b)


def _tps(r):
    return {"topic": r.string(), "partitions": r.array(r.i32)}


def _text(blob):
    """user_data as kafka-python's to_dict() shows it (str, undecodable bytes escaped)."""
    return None if blob is None else blob.decode("utf-8", "backslashreplace")


def decode_subscription(data):
    """{'topics', 'user_data'} plus, by version, 'owned_partitions' (v1), 'generation_id' (v2),
    'rack_id' (v3); the raw bytes when they do not decode."""
    if not data:
        return _text(None if data is None else bytes(data))
    try:
        r = _Reader(data)
        version = r.i16()
        out = {"topics": r.array(r.string), "user_data": _text(r.blob())}
        if version >= 1:
            out["owned_partitions"] = r.array(lambda: _tps(r)) if r.more() else []
        if version >= 2:
            out["generation_id"] = r.i32() if r.more() else -1
        if version >= 3:
            out["rack_id"] = r.string() if r.more() else None
        return out
    except (struct.error, UnicodeDecodeError):
        return _text(bytes(data))


def decode_assignment(data):
    """{'assigned_partitions': [{'topic', 'partitions'}], 'user_data'}; the raw bytes as text
    when they do not decode."""
    if not data:
        return _text(None if data is None else bytes(data))
    try:
        r = _Reader(data)
        r.i16()
        return {"assigned_partitions": r.array(lambda: _tps(r)), "user_data": _text(r.blob())}
    except (struct.error, UnicodeDecodeError):
        return _text(bytes(data))
