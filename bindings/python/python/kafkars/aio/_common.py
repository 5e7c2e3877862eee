"""Shared plumbing of the asyncio clients: running blocking client calls in an executor and
turning the clients' callbacks (fired on executor threads) into coroutines on the loop."""

import asyncio
import contextvars
import functools
import inspect

# Set (to the AIOConsumer's id) while one of its callbacks runs on the loop, so that calls
# the callback makes on the same consumer bypass the serializing lock: the call that fired
# the callback still holds it, and waiting for it would deadlock.
IN_CALLBACK = contextvars.ContextVar("kafkars_aio_in_callback", default=None)


async def maybe_await(result):
    """Awaits result when it is awaitable (an async callback or serde), else returns it."""
    if inspect.isawaitable(result):
        return await result
    return result


async def async_call(executor, blocking_task, *args, **kwargs):
    """Runs blocking_task(*args, **kwargs) on executor without blocking the event loop."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(executor, functools.partial(blocking_task, *args, **kwargs))


def wrap_callback(loop, callback, edit_args=None, owner=None):
    """A plain function for the native client that runs `callback` (a coroutine function or
    a plain callable) on `loop` and returns its result.

    The native client fires callbacks on the thread calling poll()/consume()/flush(), an
    executor thread: it blocks there until the loop has run the callback, so the callback
    sees the client in the state the native call left it (as with the blocking clients).
    """

    def fire(*args):
        if edit_args is not None:
            args = edit_args(args)

        async def run():
            IN_CALLBACK.set(owner)
            return await maybe_await(callback(*args))

        if _on_loop_thread(loop):
            # fired from the loop thread itself, which cannot block on it: run it as a task
            loop.create_task(run())
            return None
        return asyncio.run_coroutine_threadsafe(run(), loop).result()

    return fire


def _on_loop_thread(loop):
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False


class _LoopLogger:
    """A `logger` config value whose records are emitted on the loop thread (the native
    client logs from its own threads; asyncio programs' handlers expect the loop's)."""

    def __init__(self, loop, logger):
        self.loop = loop
        self.logger = logger

    def log(self, *args, **kwargs):
        if self.loop.is_closed():
            return
        self.loop.call_soon_threadsafe(functools.partial(self.logger.log, *args, **kwargs))


def wrap_common_callbacks(loop, conf, extra=()):
    """Returns a copy of conf with its callbacks (error_cb, throttle_cb, stats_cb, `extra`)
    run on the loop and its logger logging there. oauth_cb is left as it is: the native
    client calls it while it is being constructed, on the loop thread."""
    conf = dict(conf)
    for name in ("error_cb", "throttle_cb", "stats_cb") + tuple(extra):
        if conf.get(name) is not None:
            conf[name] = wrap_callback(loop, conf[name])
    if conf.get("logger") is not None:
        conf["logger"] = _LoopLogger(loop, conf["logger"])
    return conf
