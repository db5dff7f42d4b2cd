"""What a worker runs: a batch of article references in, plain results out (read or fetch, clean,
extract, normalise). Nothing here reaches the store, so a worker process (forked from the fork server
that preloads this module, or a Dask worker) imports no SQLAlchemy and no store models: the fork
server's warm-up is the models', not the writer's. :mod:`run.ingest` stores what comes back.
"""
from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import ArticleError
from pipeline.fetch import ArticleRef, RawArticle, read_file
from pipeline.process import Processed, outcome
from pipeline.sources import SourceConfig


@dataclass(frozen=True)
class Known:
    """What the store holds of an article already processed by this extractor version."""
    raw_hash: str
    etag: str | None = None
    last_modified: str | None = None


def load(source: SourceConfig, ref: ArticleRef, known: Known | None = None) -> RawArticle:
    if source.kind != "files":
        from pipeline.fetch_web import fetch_article

        return fetch_article(source, ref, known.etag if known else None, known.last_modified if known else None)
    return read_file(Path(ref.location))


def process_refs(source: SourceConfig, refs: Iterable[ArticleRef], known: dict[str, Known] | None = None,
                 timings: dict[str, float] | None = None, simhash: bool = False) -> list[Processed]:
    """Read or fetch, clean, extract and normalise each reference; failures become results too.
    ``timings`` (seconds per stage) is added to when given (the benchmark's stage shares); with
    ``simhash``, each result's SimHash is worked out here, before it is handed over (else by whoever
    asks for it: the store)."""
    out = [process_ref(source, ref, known or {}, timings) for ref in refs]
    if simhash:
        for processed in out:
            if processed.result is not None:
                processed.result.simhash  # noqa: B018  (worked out and kept on the result)
    return out


def process_ref(source: SourceConfig, ref: ArticleRef, known: dict[str, Known],
                timings: dict[str, float] | None = None) -> Processed:
    from pipeline.fetch_web import NotModified

    stored = known.get(ref.key)
    started = time.perf_counter()
    try:
        raw = load(source, ref, stored)
    except NotModified:
        return Processed(ref.key, "unchanged")
    except ArticleError as exc:
        status = "failed" if getattr(exc, "retryable", False) else "quarantined"
        return Processed(ref.key, status, error=one_line(str(exc)))
    except Exception as exc:  # an unreadable file, a fetcher bug: this article fails, the run goes on
        return Processed(ref.key, "failed", error=one_line(f"{type(exc).__name__}: {exc}"))
    if timings is not None:
        timings["read"] = timings.get("read", 0.0) + time.perf_counter() - started
    if stored and stored.raw_hash == raw.content_hash:
        return Processed(ref.key, "unchanged")
    return outcome(raw, source.clean, source.province, source.language, timings)


def process_batch(refs: list[ArticleRef], source: SourceConfig, known: dict[str, Known],
                  timings: dict[str, float] | None = None, simhash: bool = False) -> list[Processed]:
    """What a worker runs (in this process, a pool's process or a Dask worker): plain data in and out.
    ``simhash``: see :func:`process_refs` (the executor's ``simhash_in_workers``)."""
    return process_refs(source, refs, known, timings, simhash)


def one_line(message: str) -> str:
    """The reason as the store keeps it (imported from the store only when an article fails)."""
    from store.write import one_line as stored

    return stored(message)
