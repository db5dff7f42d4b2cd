"""The ingest path as plain functions: list a source's articles, process them, store them.

Listing yields light references (a path or a URL); processing (read or fetch, clean, extract,
normalise) turns a batch of references into plain-data results and may run in other processes or
on other machines; storing is done by one writer, one transaction per article. An article that
fails is stored with its status and error, the run goes on, and the next run retries it.
The Prefect flow (``flows.py``), the CLI and the tests all call these.
"""
from __future__ import annotations

import collections
import time

import regex
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

import extractors
from pipeline.errors import ArticleError
from pipeline.fetch import ArticleRef, RawArticle, list_files, read_file
from pipeline.normalise import ArticleResult
from pipeline.process import outcome
from pipeline.sources import SourceConfig
from pipeline.store import db
from pipeline.store.models import Article
from pipeline.store.write import Written, save_article, save_failure, sync_source
from settings import thresholds



@dataclass
class Processed:
    """The outcome of processing one reference: plain data that crosses processes and machines."""
    key: str
    status: str                   # ok | unchanged | failed | quarantined
    raw: RawArticle | None = None
    result: ArticleResult | None = None
    error: str | None = None


@dataclass
class RunSummary:
    written: list[Written] = field(default_factory=list)
    by_source: dict[str, list[Written]] = field(default_factory=dict)   # this run's articles, per source

    def add(self, source: str, written: list[Written]) -> list[Written]:
        self.written += written
        self.by_source.setdefault(source, []).extend(written)
        return written

    def counts(self) -> dict[str, int]:
        return dict(collections.Counter(w.status for w in self.written))

    @property
    def facts(self) -> int:
        return sum(w.facts for w in self.written)


def list_refs(source: SourceConfig) -> list[ArticleRef]:
    """References to a source's articles (no content is read here)."""
    if source.kind != "files":
        from pipeline.fetch_web import list_web_refs

        return list_web_refs(source)
    folder = Path(source.location)
    if not folder.is_dir():
        raise ArticleError(f"source {source.key!r}: folder not found: {folder}")
    return [ArticleRef(p.stem, str(p)) for p in list_files([folder])[: source.max_articles or None]]


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


def known_hashes(source: SourceConfig, url: str) -> dict[str, Known]:
    """The articles of a source already stored ok by this extractor version, by key."""
    from pipeline.store.models import Source

    with db.session(url) as session:
        rows = session.execute(select(Article.article_key, Article.raw_hash, Article.etag, Article.last_modified)
                               .join(Source, Source.id == Article.source_id)
                               .where(Source.key == source.key, Article.status == "ok",
                                      Article.extractor_version == extractors.EXTRACTOR_VERSION))
        return {key: Known(h, etag, modified) for key, h, etag, modified in rows if h}


def process_refs(source: SourceConfig, refs: Iterable[ArticleRef], known: dict[str, Known] | None = None) -> list[Processed]:
    """Read or fetch, clean, extract and normalise each reference; failures become results too."""
    return [process_ref(source, ref, known or {}) for ref in refs]


def process_ref(source: SourceConfig, ref: ArticleRef, known: dict[str, Known]) -> Processed:
    from pipeline.fetch_web import NotModified

    stored = known.get(ref.key)
    try:
        raw = load(source, ref, stored)
    except NotModified:
        return Processed(ref.key, "unchanged")
    except ArticleError as exc:
        status = "failed" if getattr(exc, "retryable", False) else "quarantined"
        return Processed(ref.key, status, error=str(exc))
    if stored and stored.raw_hash == raw.content_hash:
        return Processed(ref.key, "unchanged")
    return _extract(source, ref, raw)


def _extract(source: SourceConfig, ref: ArticleRef, raw: RawArticle) -> Processed:
    done = outcome(raw, source.clean, source.province, source.language)
    return Processed(ref.key, done.status, raw, done.result, done.error)


def store_processed(source_id: int, processed: Iterable[Processed], url: str) -> list[Written]:
    """The single writer: one transaction per article, retried when the database hiccups (a dropped
    connection, a deadlock with a concurrent run); what still fails is left for the next run."""
    out = []
    for item in processed:
        if item.status == "unchanged":
            out.append(Written(item.key, "unchanged"))
            continue
        out.append(_store_one(source_id, item, url))
    return out


def _store_one(source_id: int, item: Processed, url: str, force: bool = False) -> Written:
    from sqlalchemy.exc import DBAPIError

    for attempt in range(1, thresholds.STORE_ATTEMPTS + 1):
        try:
            with db.session(url) as session:
                if item.status == "ok":
                    written = save_article(session, source_id, item.raw, item.result, force)
                else:
                    written = save_failure(session, source_id, item.key, item.error or "unknown error", item.status,
                                           item.raw)
                session.commit()
                return written
        except DBAPIError as exc:
            if attempt == thresholds.STORE_ATTEMPTS or not _transient(exc):
                raise
            time.sleep(0.2 * attempt)
    raise AssertionError("unreachable")


def _transient(exc) -> bool:
    """Errors worth one more try: a connection that went away, a deadlock, a serialization failure."""
    code = getattr(getattr(exc, "orig", None), "sqlstate", None) or ""
    return bool(exc.connection_invalidated or code.startswith(("08", "40")) or "database is locked" in str(exc))


def prepare_source(source: SourceConfig, url: str) -> int:
    with db.session(url) as session:
        source_id = sync_source(session, source).id
        session.commit()
    return source_id


def ingest_source(source: SourceConfig, url: str) -> RunSummary:
    """Every article of one source, processed and stored in this process (no Prefect)."""
    from pipeline.progress import reporter

    source_id = prepare_source(source, url)
    known = known_hashes(source, url)
    summary = RunSummary()
    summary.by_source[source.key] = []
    refs = list_refs(source)
    reporter().source_started(source.key, len(refs))
    for batch in batched(refs, thresholds.BATCH_SIZE):
        reporter().stored(source.key, summary.add(source.key, store_processed(source_id, process_refs(source, batch, known), url)))
    reporter().source_finished(source.key)
    return summary


def batched(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def reprocess(url: str, source_key: str | None = None, configs: dict[str, SourceConfig] | None = None) -> RunSummary:
    """Clean and extract again from the raw content stored with each article — no fetching.

    Useful after a change of cleaning rules or extractors: articles whose raw content is stored are
    processed with their source's current settings (from ``configs`` when given, else as stored)."""
    from pipeline.fetch import read_meta
    from pipeline.sources import parse_source
    from pipeline.store.models import Source

    summary = RunSummary()
    with db.session(url) as session:
        query = select(Article.id, Article.article_key, Article.url, Article.raw_hash, Source.key, Source.config,
                       Source.id, Source.location).join(Source, Source.id == Article.source_id) \
            .where(Article.raw_content.is_not(None))
        if source_key:
            query = query.where(Source.key == source_key)
        rows = session.execute(query.order_by(Article.id)).all()
    for article_id, key, article_url, raw_hash, skey, config, source_id, location in rows:
        source = (configs or {}).get(skey)
        if source is None:
            source = parse_source(config, Path("."), f"stored source {skey!r}")
            source.location = location          # the stored, already resolved folder or URL
        with db.session(url) as session:
            content = session.get(Article, article_id).raw_content
        meta = read_meta(Path(source.location) / f"{key}.txt") if source.kind == "files" else {}
        raw = RawArticle(article=key, content=content, is_html=looks_like_html(content), meta=meta, url=article_url,
                         content_hash=raw_hash or "")
        item = _extract(source, ArticleRef(key, article_url or key), raw)
        summary.written.append(_store_one(source_id, item, url, force=True))
    return summary


HTML_START = regex.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype|html|head|body|div|p|article|section|meta)\b",
                           regex.IGNORECASE | regex.DOTALL)


def looks_like_html(content: str) -> bool:
    return bool(HTML_START.match(content[:2000]))
