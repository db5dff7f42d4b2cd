"""Progress of a run, reported as it happens: the flow and the in-process ingest call these hooks,
the command line installs a reporter that draws a bar on a terminal or logs plain lines otherwise.

The default reporter does nothing, so library callers and tests that do not ask for progress pay
nothing. Reporters live in the process that writes (the flow), never in workers.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


class Reporter:
    """Hooks a run calls; override what you show."""

    def source_started(self, source: str, total: int) -> None:
        """``total`` articles of ``source`` are about to be processed."""

    def stored(self, source: str, written: list) -> None:
        """These articles (``Written`` rows) of ``source`` were just stored."""

    def source_finished(self, source: str) -> None:
        """Every article of ``source`` is stored."""


_current: Reporter = Reporter()


def reporter() -> Reporter:
    return _current


@contextmanager
def reporting(r: Reporter) -> Iterator[Reporter]:
    """Report this run's progress to ``r``."""
    global _current
    before, _current = _current, r
    try:
        yield r
    finally:
        _current = before
