"""Serializer/deserializer configuration of the asyncio serializing clients."""

import logging

from ._common import maybe_await

log = logging.getLogger("kafkars.aio")


def asyncinit(cls):
    """Makes `await cls(...)` construct the instance with `async def _ainit(...)`: the
    serde builders these clients run may be coroutines."""

    def __new__(klass, *args, **kwargs):
        async def build():
            obj = object.__new__(klass)
            await obj._ainit(*args, **kwargs)
            return obj
        return build()

    cls.__new__ = __new__
    return cls


async def build_serdes(conf, key_prop, value_prop):
    """Pops `<prop>` and `<prop>.builder` for the key and the value from a copy of conf.
    A builder's build(conf, is_key) (possibly a coroutine) gives (serde, leftover conf);
    the client gets the properties every builder left. Returns ([key, value] serdes, the
    serdes built here (the client closes them), the client's conf)."""
    conf = dict(conf)
    specs = []
    for prop, is_key in ((key_prop, True), (value_prop, False)):
        serde, builder = conf.pop(prop, None), conf.pop(prop + ".builder", None)
        if serde is not None and builder is not None:
            raise ValueError("Cannot configure both %s and %s.builder" % (prop, prop))
        specs.append((prop, serde, builder, is_key))
    serdes, owned, leftovers = [], [], []
    try:
        for prop, serde, builder, is_key in specs:
            if builder is not None:
                result = await maybe_await(builder.build(dict(conf), is_key))
                try:
                    serde, leftover = result
                except (TypeError, ValueError):
                    raise ValueError("%s.builder's build() must return a (serde, conf) pair" % prop)
                if not isinstance(leftover, dict):
                    raise ValueError("%s.builder's build() must return a dict as the conf" % prop)
                owned.append(serde)
                leftovers.append(leftover)
            serdes.append(serde)
    except BaseException:
        await close_serdes(owned)
        raise
    for leftover in leftovers:
        conf = {k: v for k, v in conf.items() if k in leftover}
    return serdes, owned, conf


async def init_with_serdes(client, base, conf, kwargs, key_prop, value_prop):
    """Builds the (de)serializers of conf, then runs base.__init__ on the client with the
    rest; the serdes built here are the client's (client._owned_serdes), closed again if the
    client cannot be made. Returns the [key, value] serdes."""
    serdes, client._owned_serdes, conf = await build_serdes(conf, key_prop, value_prop)
    try:
        base.__init__(client, conf, **kwargs)
    except BaseException:
        owned, client._owned_serdes = client._owned_serdes, []
        try:
            await close_serdes(owned)
        except Exception:  # noqa: BLE001 - the construction error matters more
            pass
        raise
    return serdes


async def close_serdes(serdes):
    """Closes each serde (aclose() or close(), possibly coroutines); raises the first error
    after trying them all."""
    first = None
    for serde in serdes:
        close = getattr(serde, "aclose", None) or getattr(serde, "close", None)
        if not callable(close):
            continue
        try:
            await maybe_await(close())
        except BaseException as e:  # noqa: BLE001 - re-raised below
            if first is None:
                first = e
            else:
                log.warning("closing %r failed", serde, exc_info=True)
    if first is not None:
        raise first
