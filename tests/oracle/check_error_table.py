#!/usr/bin/env python3
"""Compare src/error_table.rs with genuine librdkafka's error table.

Loads librdkafka (by default the copy bundled in the confluent-kafka wheel;
override with LIBRDKAFKA=/path/to/librdkafka.so.1 or the first argument),
reads rd_kafka_get_err_descs() and checks that src/error_table.rs lists
exactly the same codes, names and descriptions. Also checks that the
fallback strings for unknown codes (rd_kafka_err2str "Err-%i?",
rd_kafka_err2name "ERR_%i?") are what kafkars' error.rs produces.
Exit status: 0 = equal, 1 = mismatch, 2 = library not found.
"""
import ctypes
import glob
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TABLE = os.environ.get("ERROR_TABLE_RS") or os.path.join(ROOT, "src", "error_table.rs")


def find_lib():
    if len(sys.argv) > 1:
        return sys.argv[1]
    if os.environ.get("LIBRDKAFKA"):
        return os.environ["LIBRDKAFKA"]
    try:
        import confluent_kafka  # noqa: F401  (only to locate the wheel)
        base = os.path.dirname(os.path.dirname(confluent_kafka.__file__))
    except ImportError:
        base = None
    pats = []
    if base:
        pats.append(os.path.join(base, "confluent_kafka.libs", "librdkafka*.so*"))
    pats.append("/root/.pyenv/versions/*/lib/python3*/site-packages/confluent_kafka.libs/librdkafka*.so*")
    for pat in pats:
        hits = sorted(glob.glob(pat))
        if hits:
            return hits[0]
    return None


class ErrDesc(ctypes.Structure):
    _fields_ = [("code", ctypes.c_int), ("name", ctypes.c_char_p), ("desc", ctypes.c_char_p)]


def genuine(lib):
    p = ctypes.POINTER(ErrDesc)()
    n = ctypes.c_size_t()
    lib.rd_kafka_get_err_descs(ctypes.byref(p), ctypes.byref(n))
    out = {}
    for i in range(n.value):
        d = p[i]
        if d.name is None:  # hole in the designated-initializer array
            continue
        out[d.code] = (d.name.decode(), d.desc.decode() if d.desc is not None else "")
    return out


def ours():
    text = open(TABLE, encoding="utf-8").read()
    body = text.split("ERROR_TABLE", 1)[1].split("];", 1)[0]
    rows = re.findall(r'\(\s*(-?\d+)\s*,\s*"((?:[^"\\]|\\.)*)"\s*,\s*"((?:[^"\\]|\\.)*)"\s*,?\s*\)', body)
    out = {}
    for code, name, desc in rows:
        c = int(code)
        if c in out:
            raise SystemExit(f"duplicate code {c} in error_table.rs")
        out[c] = (name, desc.replace('\\"', '"').replace("\\\\", "\\"))
    codes = [int(r[0]) for r in rows]
    if codes != sorted(codes):
        raise SystemExit("error_table.rs is not sorted by code")
    return out


def main():
    path = find_lib()
    if not path or not os.path.exists(path):
        print("check_error_table: genuine librdkafka not found "
              "(pip install confluent-kafka, or set LIBRDKAFKA)", file=sys.stderr)
        return 2
    lib = ctypes.CDLL(path)
    lib.rd_kafka_version_str.restype = ctypes.c_char_p
    lib.rd_kafka_err2str.restype = ctypes.c_char_p
    lib.rd_kafka_err2name.restype = ctypes.c_char_p
    version = lib.rd_kafka_version_str().decode()

    g = genuine(lib)
    o = ours()
    bad = []
    for c in sorted(set(g) | set(o)):
        if g.get(c) != o.get(c):
            bad.append(f"  code {c}: librdkafka {g.get(c)!r} != ours {o.get(c)!r}")

    # err2str/err2name over a wide range, using the rules error.rs implements:
    # a listed code with a description -> its strings, anything else -> fallback.
    for c in list(range(-260, 260)) + [-12345, 12345, -2**31, 2**31 - 1]:
        name, desc = o.get(c, ("", ""))
        exp_s = desc if desc else f"Err-{c}?"
        exp_n = name if desc else f"ERR_{c}?"
        got_s = lib.rd_kafka_err2str(ctypes.c_int(c)).decode()
        got_n = lib.rd_kafka_err2name(ctypes.c_int(c)).decode()
        if (got_s, got_n) != (exp_s, exp_n):
            bad.append(f"  err2str/err2name({c}): librdkafka {(got_s, got_n)!r} != ours {(exp_s, exp_n)!r}")

    if bad:
        print(f"check_error_table: src/error_table.rs differs from librdkafka {version} ({path}):")
        print("\n".join(bad))
        return 1
    print(f"check_error_table: {len(o)} entries equal to librdkafka {version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
