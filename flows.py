"""Prefect flows: thin wrappers that call the plain functions of ``pipeline.ingest``.

Listing a source (network I/O) retries; processing batches of articles runs on the flow's task
runner (threads by default, processes with ``--workers N``, a Dask cluster with ``--dask``), and
the flow itself is the single writer. At most ``2 × workers`` batches are in flight, so memory stays
flat however large the source.
"""
from __future__ import annotations

import logging
import os
from collections import deque
from pathlib import Path

from prefect import flow, task

from settings import thresholds
from pipeline import ingest
from pipeline.errors import VnfactsError
from pipeline.ingest import ArticleRef, Processed, RunSummary
from pipeline.sources import SourceConfig, load_sources
from pipeline.store import db


def _worth_retrying(task, task_run, state) -> bool:
    """Listing is retried for network trouble only (a missing folder or a refused page will not heal)."""
    try:
        state.result()
    except Exception as exc:
        return bool(getattr(exc, "retry_now", False))
    return False


@task(retries=2, retry_delay_seconds=list(thresholds.LIST_RETRY_DELAYS), retry_condition_fn=_worth_retrying)
def collect_articles(source: SourceConfig) -> list[ArticleRef]:
    return ingest.list_refs(source)


@task
def process_batch(source: SourceConfig, refs: list[ArticleRef], known: dict[str, ingest.Known]) -> list[Processed]:
    return ingest.process_refs(source, refs, known)


@flow(name="vnfacts-ingest")
def ingest_flow(sources_file: str, database_url: str, in_flight: int = 2) -> RunSummary:
    """Every enabled source of ``sources_file``, listed, processed and stored into ``database_url``."""
    db.upgrade(database_url)
    summary = RunSummary()
    for source in load_sources(Path(sources_file)):
        if not source.enabled:
            continue
        source_id = ingest.prepare_source(source, database_url)
        known = ingest.known_hashes(source, database_url)
        try:
            refs = collect_articles(source)
        except Exception as exc:         # recorded as this source's failure; the next source runs
            ingest.source_failed(summary, source, source_id, exc, database_url)
            continue
        pending: deque = deque()
        for batch in ingest.batched(refs, thresholds.BATCH_SIZE):
            pending.append((batch, process_batch.submit(source, batch, known)))
            if len(pending) >= in_flight:
                summary.written += ingest.store_processed(source_id, _results(*pending.popleft()), database_url)
        while pending:
            summary.written += ingest.store_processed(source_id, _results(*pending.popleft()), database_url)
        ingest.finish_source(source_id, database_url)
    return summary


def _results(batch: list[ArticleRef], future) -> list[Processed]:
    """A batch's results; a batch whose worker died (every article's own failure is caught inside) is
    stored as failed, article by article, and retried next run."""
    try:
        return future.result()
    except Exception as exc:
        reason = f"processing worker failed: {type(exc).__name__}: {exc}"
        return [Processed(ref.key, "failed", error=reason) for ref in batch]


class _KnownFailures(logging.Filter):
    """Drops Prefect's traceback of a failure that vnfacts reports itself in one line (a database that
    cannot be reached, a bad setting); ``VNFACTS_DEBUG=1`` keeps it."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, VnfactsError) or bool(os.environ.get("VNFACTS_DEBUG"))


def run_flow(sources_file: str, database_url: str, workers: int = 1, dask: str | None = None) -> RunSummary:
    """Run the flow with the task runner the options ask for."""
    from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner

    for name in ("prefect.flow_runs", "prefect.task_runs"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, _KnownFailures) for f in logger.filters):
            logger.addFilter(_KnownFailures())

    if dask:
        runner = dask_runner(dask)
        in_flight = 2 * max(workers, 2)
    elif workers > 1:
        runner, in_flight = ProcessPoolTaskRunner(max_workers=workers), 2 * workers
    else:
        runner, in_flight = ThreadPoolTaskRunner(max_workers=1), 1
    return ingest_flow.with_options(task_runner=runner)(sources_file, database_url, in_flight)


def dask_runner(spec: str):
    """``local:N`` starts a local cluster of N workers; ``tcp://HOST:PORT`` uses an existing scheduler."""
    from prefect_dask import DaskTaskRunner

    from pipeline.errors import ConfigError

    if spec.startswith("local:"):
        try:
            n = int(spec.split(":", 1)[1])
        except ValueError:
            raise ConfigError(f"--dask local:N needs a number of workers, not {spec!r}") from None
        return DaskTaskRunner(cluster_kwargs={"n_workers": n, "threads_per_worker": 1, "processes": True,
                                              "dashboard_address": None})
    if spec.startswith("tcp://"):
        return DaskTaskRunner(address=spec)
    raise ConfigError(f"--dask must be local:N or tcp://HOST:PORT, not {spec!r}")
