"""The sign-in throttle of the web app: failed sign-ins counted in memory, before any password is hashed."""
from __future__ import annotations

import collections
import threading
import time


class SignInThrottle:
    """Failed sign-ins counted per account and per address over a sliding window; past the limit the
    next attempt is refused before any password is hashed (scrypt is costly: a refused guess must not
    be a CPU target). In memory, per process: one app process serves the reviewers."""

    def __init__(self, limit: int, window_s: float, clock=time.monotonic):
        self.limit, self.window_s, self.clock = limit, window_s, clock
        self._failures: dict[str, collections.deque] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str) -> collections.deque:
        q = self._failures.setdefault(key, collections.deque())
        while q and q[0] < self.clock() - self.window_s:
            q.popleft()
        return q

    def blocked(self, *keys: str) -> bool:
        with self._lock:
            return any(len(self._recent(k)) >= self.limit for k in keys)

    def failed(self, *keys: str) -> None:
        with self._lock:
            for k in keys:
                self._recent(k).append(self.clock())

    def succeeded(self, account_key: str) -> None:
        with self._lock:
            self._failures.pop(account_key, None)
