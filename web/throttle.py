"""The sign-in throttle of the web app: failed sign-ins counted in memory, before any password is hashed."""
from __future__ import annotations

import collections
import threading
import time


class SignInThrottle:
    """Failed sign-ins counted over a sliding window per account *and address* pair, and — with a much
    higher ceiling — per address alone (OWASP's advice): behind a reverse proxy every reviewer shares
    one address, so one person's mistyped password must not lock the others out, while a guesser
    trying many accounts from one address still meets the address ceiling. Past a limit the next
    attempt is refused before any password is hashed (scrypt is costly: a refused guess must not be a
    CPU target). In memory, per process: one app process serves the reviewers."""

    def __init__(self, pair_limit: int, address_limit: int, window_s: float, clock=time.monotonic):
        self.pair_limit, self.address_limit, self.window_s, self.clock = pair_limit, address_limit, window_s, clock
        self._failures: dict[tuple, collections.deque] = {}
        self._lock = threading.Lock()

    def _keys(self, name: str, address: str) -> list[tuple[tuple, int]]:
        """Each counter an attempt touches, with its limit."""
        return [(("pair", name.strip().lower(), address), self.pair_limit), (("address", address), self.address_limit)]

    def _recent(self, key: tuple) -> collections.deque:
        q = self._failures.setdefault(key, collections.deque())
        while q and q[0] < self.clock() - self.window_s:
            q.popleft()
        return q

    def blocked(self, name: str, address: str) -> bool:
        with self._lock:
            return any(len(self._recent(key)) >= limit for key, limit in self._keys(name, address))

    def failed(self, name: str, address: str) -> None:
        with self._lock:
            for key, _ in self._keys(name, address):
                self._recent(key).append(self.clock())

    def succeeded(self, name: str, address: str) -> None:
        """A right password clears its own pair's count, not the address's: a guesser who owns one
        account cannot reset the address ceiling by signing in to it."""
        with self._lock:
            self._failures.pop(self._keys(name, address)[0][0], None)
