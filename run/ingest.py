"""The ingest path as plain functions: list a source's articles, process them, store them.

:func:`run_sources` is the body of a run — the command line and the Prefect flow (``flows.py``)
both call it — and :func:`ingest_source` is one source of it. Listing yields light references (a
path or a URL); processing (read or fetch, then :func:`pipeline.process.outcome`) turns a batch of
references into :class:`~pipeline.process.Processed` results, plain data that may be made in
other processes or on other machines; storing is done by one writer, a batch per transaction
(article by article when the batch fails). An article that fails is stored with its status and
error, the run goes on, and the next run retries it. Every per-article failure — reading,
decoding, fetching, extracting, a value the database refuses — is caught at that article and
stored with its reason; a source that cannot be listed (a missing folder, an index page that is
down) is recorded as failed and the run goes on with the next source. Only a database that cannot
be reached at all ends a run.
"""
from __future__ import annotations

import collections
import itertools
import time

from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select, update

import extractors
from pipeline.errors import ArticleError
from pipeline.fetch import ArticleRef, RawArticle, file_key, list_files
from pipeline.process import Processed, outcome
from pipeline.sources import SourceConfig
from store import db
from store.models import Article
from store.write import Written, one_line, record_source_run, save_article, save_failure, sync_source
from run.work import Known, process_batch, process_refs  # noqa: F401  (the worker's side; tests import process_refs from here)
from settings import thresholds



@dataclass
class RunSummary:
    written: list[Written] = field(default_factory=list)
    failed_sources: dict[str, str] = field(default_factory=dict)     # source key → why it could not be listed
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

    @property
    def partial(self) -> bool:
        """Something was reported as a failure (the command exits 3): an article or a whole source."""
        return bool(self.failed_sources) or any(w.status in PROBLEMS for w in self.written)

    def table(self) -> list[dict]:
        """One row per source of this run — its articles by status and the facts written: the table
        the command prints and the flow run carries as an artifact."""
        rows = []
        for source, written in self.by_source.items():
            counts = collections.Counter(w.status for w in written)
            rows.append({"source": source, **{s: counts.get(s, 0) for s in STATUSES},
                         "facts written": sum(w.facts for w in written)})
        return rows

    def problems(self) -> list[tuple[str, Written]]:
        """This run's failed or quarantined articles, with their source."""
        return [(source, w) for source, written in self.by_source.items() for w in written if w.status in PROBLEMS]

    def describe(self) -> str:
        """One line: ``12 ok, 1 quarantined, 40 facts written; 1 source could not be listed (news)``."""
        counts = self.counts()
        line = ", ".join(f"{counts[s]} {s}" for s in STATUSES if counts.get(s)) or "no articles"
        line += f", {self.facts} facts written"
        if self.failed_sources:
            line += f"; {len(self.failed_sources)} source(s) could not be listed ({', '.join(self.failed_sources)})"
        return line


STATUSES = ("ok", "unchanged", "duplicate", "failed", "quarantined")    # what became of each article of a run
PROBLEMS = ("failed", "quarantined")


def list_refs(source: SourceConfig) -> list[ArticleRef]:
    """References to a source's articles (no content is read here)."""
    if source.kind != "files":
        from pipeline.fetch_web import list_web_refs

        return list_web_refs(source)
    folder = Path(source.location)
    if not folder.is_dir():
        raise ArticleError(f"source {source.key!r}: folder not found: {folder}")
    return [ArticleRef(file_key(p), str(p)) for p in list_files([folder])[: source.max_articles or None]]


def known_hashes(source: SourceConfig, url: str) -> dict[str, Known]:
    """The articles of a source already stored ok by this extractor version, by key."""
    from store.models import Source

    query = (select(Article.article_key, Article.raw_hash, Article.etag, Article.last_modified)
             .join(Source, Source.id == Article.source_id)
             .where(Source.key == source.key, Article.status == "ok", Article.extractor_version == extractors.EXTRACTOR_VERSION))
    rows = db.retrying(url, lambda session: session.execute(query).all())
    return {key: Known(h, etag, modified) for key, h, etag, modified in rows if h}


def store_processed(source_id: int, processed: Iterable[Processed], url: str) -> list[Written]:
    """The single writer: a batch of articles in one transaction (a commit per article would cost more
    than storing it), retried when the database hiccups (a dropped connection, a deadlock with a
    concurrent run). When the batch fails for any other reason — a value the database refuses — it is
    rolled back and stored again article by article, so each article is still all or nothing and only
    the bad one is kept as failed; what still fails is left for the next run."""
    items = list(processed)
    unchanged = [item.key for item in items if item.status == "unchanged"]
    changed = [item for item in items if item.status != "unchanged"]

    def write_batch(session) -> list[Written]:
        written = [_write(session, source_id, item, False) for item in changed]
        _failures_over(session, source_id, unchanged)
        return written

    try:
        written = iter(db.retrying(url, write_batch, commit=True))
    except db.StoreUnavailable:
        raise
    except Exception:        # one article spoils the batch: each on its own, the bad one stored as failed
        written = iter([_store_one(source_id, item, url) for item in changed])
        if unchanged:
            db.retrying(url, lambda session: _failures_over(session, source_id, unchanged), commit=True)
    return [Written(item.key, "unchanged") if item.status == "unchanged" else next(written) for item in items]


def _failures_over(session, source_id: int, unchanged: list[str]) -> None:
    """The latest attempt at these articles found them unchanged: a failure recorded beside their
    stored version is over."""
    if unchanged:
        session.execute(update(Article).where(Article.source_id == source_id, Article.article_key.in_(unchanged),
                                              Article.last_failure.is_not(None)).values(last_failure=None, last_failure_at=None))


def _store_one(source_id: int, item: Processed, url: str, force: bool = False) -> Written:
    """Store one article in its own transaction, retried through transient errors. A value the
    database refuses (or any other error of this article's write) stores the article as ``failed``
    with that reason instead; only a database that cannot be reached raises (:class:`StoreUnavailable`)."""
    try:
        return db.retrying(url, lambda session: _write(session, source_id, item, force), commit=True)
    except db.StoreUnavailable:
        raise
    except Exception as exc:
        reason = f"cannot be stored: {type(getattr(exc, 'orig', None) or exc).__name__}: {getattr(exc, 'orig', None) or exc}"
    failed = Processed(item.key, "failed", raw=None, error=reason)
    try:
        return db.retrying(url, lambda session: _write(session, source_id, failed, False), commit=True)
    except db.StoreUnavailable:
        raise
    except Exception as exc:   # not even the failure can be written: reported, and the next run tries again
        return Written(item.key, "failed", error=one_line(f"{reason}; recording it failed too: {exc}"))


def _write(session, source_id: int, item: Processed, force: bool) -> Written:
    if item.status == "ok":
        return save_article(session, source_id, item.raw, item.result, force)
    seen = item.seen
    return save_failure(session, source_id, item.key, item.error or "unknown error", item.status, item.raw,
                        seen.text if seen else None, seen.language if seen else None)


def prepare_source(source: SourceConfig, url: str) -> int:
    """The source's row, created or brought up to date with its settings; its id."""
    return db.retrying(url, lambda session: sync_source(session, source).id, commit=True)


def run_sources(sources: Iterable[SourceConfig], url: str, workers: int = 1, dask: str | None = None,
                upgrade: bool = True, lister=list_refs, on_start=None, on_batch=None, on_source=None,
                head_start: "HeadStart | None" = None, executor=None) -> RunSummary:
    """The body of a run, the same with and without Prefect (``vnfacts run`` and the flow call it):
    the store brought to the newest schema (skipped with ``upgrade=False`` when the caller did it
    already, to fail before a slow start-up), the models loaded when articles are processed in this
    process, then every enabled source of ``sources`` ingested on the executor that ``workers`` and
    ``dask`` ask for (:func:`run.runner.executor_for`), which is closed at the end.

    The flow's hooks: ``on_start(executor)`` once the executor is up, ``on_batch(source, batch,
    written, total, summary)`` after each stored batch, ``on_source(source, summary)`` after each source;
    ``lister`` lists a source (the flow passes its retried task).

    ``head_start``: the batches a :class:`HeadStart` processed while the run started up, taken
    instead of processing them again, and its executor (the run's workers, started early).
    ``executor``: the run's workers started early without a head start (closed here too)."""
    from pipeline.process import warm_up
    from run.runner import InProcess, executor_for

    if upgrade:
        db.upgrade(url)
    summary = RunSummary()
    if head_start is not None:
        executor = head_start.hand_over()
    elif executor is None:
        executor = executor_for(workers, dask)
    if isinstance(executor, InProcess):         # (worker processes load their own)
        warm_up()
    if on_start is not None:
        on_start(executor)
    try:
        for source in sources:
            if not source.enabled:
                continue
            batch_hook = None if on_batch is None else \
                (lambda batch, written, total, source=source: on_batch(source, batch, written, total, summary))
            ingest_source(source, url, executor, summary=summary, lister=lister, on_batch=batch_hook,
                          head_start=head_start)
            if on_source is not None:
                on_source(source, summary)
    finally:
        executor.close()
    return summary


def ingest_source(source: SourceConfig, url: str, executor=None, timings: dict[str, float] | None = None,
                  summary: RunSummary | None = None, lister=list_refs, on_batch=None,
                  head_start: "HeadStart | None" = None) -> RunSummary:
    """Every article of one source, listed by ``lister`` (the flow passes its retried task),
    processed (in this process unless another ``executor`` of :mod:`run.runner` is given) and
    stored, added to ``summary`` (a new one when not given), which is returned. A source that cannot
    be listed is recorded as failed (``summary.failed_sources``), not raised. ``on_batch`` and
    ``timings``: see :func:`ingest_refs`."""
    from run.runner import InProcess

    source_id = prepare_source(source, url)
    known = known_hashes(source, url)
    summary = RunSummary() if summary is None else summary
    summary.by_source[source.key] = []
    try:
        refs = lister(source)
    except Exception as exc:
        source_failed(summary, source, source_id, exc, url)
        return summary
    executor = executor or InProcess()
    if head_start is not None:
        executor = head_start.taking_over(executor)
    ingest_refs(source, source_id, refs, known, url, executor, summary, on_batch, timings)
    return summary


def ingest_refs(source: SourceConfig, source_id: int, refs: list[ArticleRef], known: dict[str, Known], url: str,
                executor, summary: RunSummary, on_batch=None, timings: dict[str, float] | None = None) -> None:
    """The listed articles of a source, processed in batches on ``executor`` and stored by this
    process as each batch comes back (the one writer); ``on_batch(batch, written, total)`` is told of
    each (the flow logs it). The source's run is then recorded as done. ``timings`` gets seconds per
    stage, "store" included (the stages are timed only where they run in this process)."""
    from run.progress import reporter
    from run.runner import InProcess, run_batches

    reporter().source_started(source.key, len(refs))
    batches = batched(refs, thresholds.BATCH_SIZE)
    local_timings = timings if isinstance(executor, InProcess) else None    # (a head start's batches are not timed)
    for batch, done in run_batches(executor, process_batch, batches,
                                   lambda b: (source, {r.key: known[r.key] for r in b if r.key in known}, local_timings,
                                              executor.simhash_in_workers)):
        if isinstance(done, BaseException):      # every article's own failure is caught inside: the worker died
            reason = one_line(f"processing worker failed: {type(done).__name__}: {done}")
            done = [Processed(ref.key, "failed", error=reason) for ref in batch]
        started = time.perf_counter()
        written = summary.add(source.key, store_processed(source_id, done, url))
        if timings is not None:
            timings["store"] = timings.get("store", 0.0) + time.perf_counter() - started
        reporter().stored(source.key, written)
        if on_batch is not None:
            on_batch(batch, written, len(refs))
    finish_source(source_id, url)
    reporter().source_finished(source.key)


class HeadStart:
    """The first batches of a run, processed while the run starts up — while Prefect's server boots
    and the flow run is created, when no article would otherwise be processed — as plain data:
    nothing is stored here, the flow's writer stores them.

    Only the first enabled source, and only a ``files`` source (listing a folder is local and quick;
    a web source is listed by the flow's retried task only). Its first ``batches`` batches are handed
    to ``executor`` — the run's workers, started early (a process pool, a Dask cluster) — or, for a
    run that processes in its own process (``executor`` None), to a thread of this process that
    processes them one after the other (the models are loaded first, in the caller's thread: loading
    them in two threads at once is not safe). At most ``batches`` results are held: memory stays flat.

    Inside the flow, the listing task still lists the source and is the authority:
    :func:`ingest_refs` takes a batch from here only when the flow hands out the very same batch —
    the same source settings, the same references in the same order, the same stored hashes
    (:func:`known_hashes`, which decide "unchanged") — and processes anything else as usual.
    Batches nobody took are dropped by :meth:`close`."""

    def __init__(self, sources: Iterable[SourceConfig], url: str, executor=None,
                 batches: int = thresholds.HEAD_START_BATCHES):
        import threading

        from run.runner import InProcess

        self.executor = executor
        self.source = next((s for s in sources if s.enabled), None)
        self.pending: dict[tuple, Future] = {}
        self.taken = 0                          # batches the run took from here
        self.listed = threading.Event()
        self._handed_over = self._closed = False
        if self.source is None or self.source.kind != "files" or batches < 1:
            self.listed.set()
            return
        if executor is None:          # the models, loaded here: a thread must not load them beside the run's own
            from pipeline.process import warm_up

            warm_up()
        self._runner = executor or InProcess()
        self._thread = threading.Thread(target=self._start, args=(url, batches), name="vnfacts-head-start",
                                        daemon=True)
        self._thread.start()

    def _start(self, url: str, batches: int) -> None:
        try:
            refs = list_refs(self.source)
            known = known_hashes(self.source, url)
            work = []
            for batch in itertools.islice(batched(refs, thresholds.BATCH_SIZE), batches):
                subset = {r.key: known[r.key] for r in batch if r.key in known}
                future: Future = Future()
                self.pending[_batch_key(batch, subset)] = future
                work.append((batch, subset, future))
        except Exception:           # the flow's listing reports what is wrong with the source
            work = []
        finally:
            self.listed.set()
        for batch, subset, future in work:
            if self._closed or not future.set_running_or_notify_cancel():
                continue
            try:
                runner = self._runner
                _chain(runner.submit(process_batch, batch, self.source, subset, None, runner.simhash_in_workers), future)
            except Exception as exc:         # the workers cannot be reached: the batch comes back failed
                future.set_exception(exc)

    def taking_over(self, executor):
        """``executor`` as :func:`ingest_refs` uses it, except that a batch this head start holds is
        taken from here instead of being submitted."""
        return _TakingOver(executor, self)

    def take(self, source: SourceConfig, batch: list[ArticleRef], known: dict[str, Known]) -> Future | None:
        """The future of this very batch (same source settings, references and known hashes), once."""
        self.listed.wait()
        future = self.pending.pop(_batch_key(batch, known), None) if source == self.source else None
        self.taken += future is not None
        return future

    def hand_over(self):
        """The run's executor (a new in-process one when the run processes in this process); the run
        closes it."""
        from run.runner import InProcess

        self._handed_over = True
        return self.executor or InProcess()

    def close(self) -> None:
        """Drop what nobody took (and close the executor, unless it was handed over to a run)."""
        self._closed = True
        for future in self.pending.values():
            future.cancel()
        self.pending.clear()
        if self.executor is not None and not self._handed_over:
            self.executor.close()


_HANDED_OVER: ContextVar[HeadStart | None] = ContextVar("vnfacts_head_start", default=None)


@contextmanager
def handing_over(head_start: HeadStart | None) -> Iterator[None]:
    """Within this block, :func:`handed_over` is ``head_start``: how a run hands its head start to the
    Prefect flow it calls, whose parameters go to the Prefect API and so cannot carry it."""
    token = _HANDED_OVER.set(head_start)
    try:
        yield
    finally:
        _HANDED_OVER.reset(token)


def handed_over() -> HeadStart | None:
    """The head start of the run calling the flow (see :func:`handing_over`); None in a deployment's run."""
    return _HANDED_OVER.get()


class _TakingOver:
    def __init__(self, executor, head_start: HeadStart):
        self.executor, self.head_start = executor, head_start
        self.in_flight, self.name = executor.in_flight, executor.name
        self.simhash_in_workers = executor.simhash_in_workers

    def submit(self, fn, batch, source, known, *rest):
        taken = self.head_start.take(source, batch, known) if fn is process_batch else None
        return taken if taken is not None else self.executor.submit(fn, batch, source, known, *rest)


def _batch_key(batch: list[ArticleRef], known: dict[str, Known]) -> tuple:
    return tuple(batch), tuple(sorted(known.items()))


def _chain(inner, outer: Future) -> None:
    """``outer`` gets ``inner``'s result or exception (``inner``: a concurrent or a Dask future)."""
    def copy(done) -> None:
        try:
            outer.set_result(done.result())
        except BaseException as exc:         # a dead worker: the batch comes back as the exception
            outer.set_exception(exc)

    inner.add_done_callback(copy)


def source_failed(summary: RunSummary, source: SourceConfig, source_id: int, exc: BaseException, url: str) -> None:
    """Record that a source could not be listed (its run failed with the reason); the run goes on."""
    reason = one_line(str(exc) if isinstance(exc, ArticleError) else f"{type(exc).__name__}: {exc}")
    summary.failed_sources[source.key] = reason
    db.retrying(url, lambda session: record_source_run(session, source_id, reason), commit=True)


def finish_source(source_id: int, url: str) -> None:
    db.retrying(url, lambda session: record_source_run(session, source_id, None), commit=True)


def batched(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def reprocess(url: str, source_key: str | None = None, configs: dict[str, SourceConfig] | None = None) -> RunSummary:
    """Clean and extract again from the raw content stored with each article — no fetching.

    Useful after a change of cleaning rules or extractors: articles whose raw content is stored are
    processed with their source's current settings (from ``configs`` when given, else as stored).
    Every read and write goes through the store's retry, as a run's do: a dropped connection or a
    deadlock with a concurrent reprocess costs a retry, not the command."""
    from pipeline.fetch import read_meta
    from pipeline.sources import parse_source
    from store.models import Source

    summary = RunSummary()
    query = select(Article.id, Article.article_key, Article.url, Article.raw_hash, Article.raw_is_html, Source.key,
                   Source.config, Source.id, Source.location).join(Source, Source.id == Article.source_id) \
        .where(Article.raw_content.is_not(None))
    if source_key:
        query = query.where(Source.key == source_key)
    rows = db.retrying(url, lambda session: session.execute(query.order_by(Article.id)).all())
    for article_id, key, article_url, raw_hash, is_html, skey, config, source_id, location in rows:
        source = (configs or {}).get(skey)
        if source is None:
            source = parse_source(config, Path("."), f"stored source {skey!r}")
            source.location = location          # the stored, already resolved folder or URL
        content = db.retrying(url, lambda session: session.scalar(select(Article.raw_content).where(Article.id == article_id)))
        if content is None:      # deleted or emptied since it was listed
            continue
        warnings: list[str] = []
        meta = read_meta(Path(source.location) / f"{key}.txt", warnings) if source.kind == "files" else {}
        raw = RawArticle(article=key, content=content, is_html=bool(is_html), meta=meta, url=article_url,
                         content_hash=raw_hash or "", warnings=warnings)
        item = outcome(raw, source.clean, source.province, source.language)
        summary.written.append(_store_one(source_id, item, url, force=True))
    return summary
