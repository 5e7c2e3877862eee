"""kafka-python's Future (``kafka.future.Future``): a result set once, with callbacks."""
import functools
import logging
import threading

from .errors import RetriableError

log = logging.getLogger(__name__)


class Future:
    error_on_callbacks = False  # re-raise what a callback raised (kafka-python's switch)

    def __init__(self):
        self.is_done = False
        self.value = None
        self.exception = None
        self._callbacks = []
        self._errbacks = []
        self._lock = threading.Lock()
        # Made only when someone waits: most futures of a producer are never waited on.
        self._done_event = None

    def succeeded(self):
        return self.is_done and self.exception is None

    def failed(self):
        return self.is_done and self.exception is not None

    def retriable(self):
        return self.is_done and isinstance(self.exception, RetriableError)

    def _complete(self, value, exception):
        with self._lock:
            if self.is_done:
                raise RuntimeError("Future already completed")
            self.value, self.exception, self.is_done = value, exception, True
            todo = self._errbacks if exception is not None else self._callbacks
            self._callbacks = self._errbacks = None
            event = self._done_event
        if event is not None:
            event.set()
        for f in todo:
            self._call(f, exception if exception is not None else value)
        return self

    def _call(self, f, arg):
        try:
            f(arg)
        except Exception:
            log.exception("Error processing callback")
            if self.error_on_callbacks:
                raise

    def success(self, value):
        return self._complete(value, None)

    def failure(self, e):
        exc = e() if isinstance(e, type) else e
        if not isinstance(exc, BaseException):
            raise TypeError("future failed without an exception")
        return self._complete(None, exc)

    def _add(self, f, args, kwargs, on_error):
        if args or kwargs:
            f = functools.partial(f, *args, **kwargs)
        with self._lock:
            if not self.is_done:
                (self._errbacks if on_error else self._callbacks).append(f)
                return self
        if (self.exception is not None) == on_error:
            self._call(f, self.exception if on_error else self.value)
        return self

    def add_callback(self, f, *args, **kwargs):
        return self._add(f, args, kwargs, False)

    def add_errback(self, f, *args, **kwargs):
        return self._add(f, args, kwargs, True)

    def add_both(self, f, *args, **kwargs):
        self.add_callback(f, *args, **kwargs)
        self.add_errback(f, *args, **kwargs)
        return self

    def chain(self, future):
        self.add_callback(future.success)
        self.add_errback(future.failure)
        return self

    def wait(self, timeout=None):
        with self._lock:
            if self.is_done:
                return True
            if self._done_event is None:
                self._done_event = threading.Event()
            event = self._done_event
        return event.wait(timeout)
