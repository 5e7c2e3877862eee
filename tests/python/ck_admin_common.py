"""Helpers of the admin scenarios (ck_admin_offline.py, ck_admin_scenarios.py): admin
objects as JSON-able data, calls recorded with their exceptions, futures waited for.

Class reprs inside exception texts ("Expected list of <class 'confluent_kafka.admin.
_acl.AclBinding'>") are reduced to the class name: the two packages' module paths differ
by nature (confluent_kafka.admin._acl vs kafkars.admin._acl, cimpl vs kafkars._native).
"""

import concurrent.futures
import enum
import re

from ck_common import J, ck, exc, norm, out

CLASS_RE = re.compile(r"<class '(?:[\w]+\.)*(\w+)'>")
WAIT = 30  # seconds any future is waited for


def adm():
    """The module under test's admin package."""
    import importlib
    return importlib.import_module(ck.__name__ + ".admin")


def xexc(e):
    d = exc(e)
    d["msg"] = CLASS_RE.sub(r"<class \1>", d["msg"])
    return d


def A(x, depth=0):
    """x as JSON-able data: admin objects by their public attributes, enums by name."""
    if depth > 8:
        return "..."
    if x is None or isinstance(x, (bool, int, float, str)) and not isinstance(x, enum.Enum):
        return x
    if isinstance(x, enum.Enum):
        return "%s.%s" % (type(x).__name__, x.name)
    if isinstance(x, bytes):
        return J(x)
    if isinstance(x, (list, tuple)):
        return [A(y, depth + 1) for y in x]
    if isinstance(x, (set, frozenset)):
        return sorted((A(y, depth + 1) for y in x), key=str)
    if isinstance(x, dict):
        return sorted(([A(k, depth + 1), A(v, depth + 1)] for k, v in x.items()), key=str)
    if isinstance(x, concurrent.futures.Future):
        return fut(x)
    if isinstance(x, (ck.KafkaError, ck.TopicPartition, BaseException)):
        return xexc(x) if isinstance(x, BaseException) else J(x)
    name = type(x).__name__
    if name == "Uuid":
        return ["Uuid", str(x)]
    if name in ("NewTopic", "NewPartitions"):
        return [name, repr(x), A(getattr(x, "replica_assignment", None)), A(getattr(x, "config", None))]
    d = getattr(x, "__dict__", None)
    if d is None:
        return "<%s>" % name
    return {"cls": name, "attrs": {k: A(v, depth + 1) for k, v in sorted(d.items()) if not k.startswith("_")}}


def fut(f, timeout=WAIT):
    """A future's outcome: {"result": ...} or {"exception": ...} (or a timeout)."""
    try:
        return {"result": A(f.result(timeout))}
    except concurrent.futures.TimeoutError:
        return {"timeout": True}
    except Exception as e:  # noqa: BLE001 - recorded
        return {"exception": xexc(e)}


def aout(k, v):
    out(k, A(v))


def acall(k, fn, *a, **kw):
    """Runs fn, prints its result (futures waited for) or exception under k; returns the
    result or None."""
    try:
        r = fn(*a, **kw)
    except Exception as e:  # noqa: BLE001 - recorded
        out(k, {"raised": xexc(e)})
        return None
    out(k, A(r))
    return r


def futures_keys(d):
    """A dict of futures: its keys (sorted) and whether every value is a Future."""
    return [sorted((A(k) for k in d), key=str), all(isinstance(v, concurrent.futures.Future) for v in d.values())]


__all__ = ["A", "adm", "aout", "acall", "fut", "futures_keys", "norm", "xexc"]
