"""A per-article time limit that holds in any thread or process.

``time_limit(seconds)`` sets a deadline in a context variable that the extractors check between
sentences (``check()``), and, in the main thread, also arms SIGALRM so that a single slow step is
interrupted too. Either way the caller sees ``TimeoutError`` and the article is quarantined.
"""
from __future__ import annotations

import contextvars
import signal
import threading
import time
from contextlib import contextmanager

_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar("vnfacts_deadline", default=None)


def check() -> None:
    """Raise TimeoutError when the current article's time is up."""
    deadline = _deadline.get()
    if deadline is not None and time.monotonic() > deadline:
        raise TimeoutError


@contextmanager
def time_limit(seconds: float):
    token = _deadline.set(time.monotonic() + seconds)
    use_alarm = hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()
    previous = None
    if use_alarm:
        def _raise(_signum, _frame):
            raise TimeoutError

        previous = signal.signal(signal.SIGALRM, _raise)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        _deadline.reset(token)
