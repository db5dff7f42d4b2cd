"""The ingest path as plain functions: list a source's articles, process each, store each.

The Prefect flow (``flows.py``), the CLI and the tests all call these. An article that fails is
stored with its status and error and the run goes on; the next run retries it.
"""
from __future__ import annotations

import collections
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from vnfacts.pipeline.errors import ArticleError
from vnfacts.pipeline.extract import extract_article
from vnfacts.pipeline.fetch import RawArticle, list_files, read_file
from vnfacts.pipeline.normalise import normalise
from vnfacts.pipeline.sources import SourceConfig
from vnfacts.pipeline.store import db
from vnfacts.pipeline.store.write import Written, is_unchanged, save_article, save_failure, sync_source

ARTICLE_TIME_LIMIT_S = 60        # an article that takes longer is quarantined, never hangs the run


@dataclass
class Listed:
    """One entry of a source listing: the raw article, or why it could not be read."""
    key: str
    raw: RawArticle | None = None
    error: str | None = None
    status: str = "failed"


@dataclass
class RunSummary:
    written: list[Written] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return dict(collections.Counter(w.status for w in self.written))

    @property
    def facts(self) -> int:
        return sum(w.facts for w in self.written)


def list_articles(source: SourceConfig) -> Iterator[Listed]:
    """The articles of a source. Network kinds live in ``fetch_web``; files are read here."""
    if source.kind != "files":
        from vnfacts.pipeline.fetch_web import list_web_articles

        yield from list_web_articles(source)
        return
    folder = Path(source.location)
    if not folder.is_dir():
        raise ArticleError(f"source {source.key!r}: folder not found: {folder}")
    for path in list_files([folder])[: source.max_articles or None]:
        try:
            yield Listed(path.stem, raw=read_file(path))
        except ArticleError as exc:
            yield Listed(path.stem, error=str(exc), status="quarantined")


def ingest_source(source: SourceConfig, url: str, articles: list[Listed] | None = None) -> RunSummary:
    """Process and store every article of one source into the database at ``url``."""
    summary = RunSummary()
    with db.session(url) as session:
        source_id = sync_source(session, source).id
        session.commit()
    for listed in (articles if articles is not None else list_articles(source)):
        summary.written.append(ingest_article(source, source_id, listed, url))
    return summary


def ingest_article(source: SourceConfig, source_id: int, listed: Listed, url: str) -> Written:
    """One article, one transaction: stored with its facts, or kept as failed/quarantined."""
    with db.session(url) as session:
        if listed.raw is None:
            written = save_failure(session, source_id, listed.key, listed.error or "unreadable", listed.status)
            session.commit()
            return written
        if is_unchanged(session, source_id, listed.raw):
            return Written(listed.key, "unchanged")
        try:
            with time_limit(ARTICLE_TIME_LIMIT_S):
                result = normalise(extract_article(listed.raw, source.clean, source.province))
        except ArticleError as exc:
            written = save_failure(session, source_id, listed.key, str(exc), "quarantined", listed.raw)
        except TimeoutError:
            written = save_failure(session, source_id, listed.key,
                                   f"processing took longer than {ARTICLE_TIME_LIMIT_S} s", "quarantined", listed.raw)
        except Exception as exc:  # an extractor bug must not stop the run; the article is kept and retried
            written = save_failure(session, source_id, listed.key, f"{type(exc).__name__}: {exc}", "failed", listed.raw)
        else:
            written = save_article(session, source_id, listed.raw, result)
        session.commit()
        return written


@contextmanager
def time_limit(seconds: int):
    """Raise TimeoutError in the main thread after ``seconds`` (no-op where SIGALRM is unavailable)."""
    import threading

    if not hasattr(signal, "SIGALRM") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def _raise(_signum, _frame):
        raise TimeoutError

    previous = signal.signal(signal.SIGALRM, _raise)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
