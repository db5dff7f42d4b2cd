"""Prefect flows: thin wrappers that call the plain functions of ``pipeline.ingest``.

Listing a source (network I/O) retries; processing batches of articles runs on the flow's task
runner (threads by default, processes with ``--workers N``, a Dask cluster with ``--dask``), and
the flow itself is the single writer. At most ``2 × workers`` batches are in flight, so memory stays
flat however large the source.

The flow's parameters are stored by the Prefect server and shown in its UI, so the database is
named, never given: ``database`` is the name of the environment variable that holds its URL (and
its password), read where the flow runs.

Scheduled runs: ``python flows.py`` serves :data:`DEPLOYMENT` (nightly ingest) to the Prefect API
in ``PREFECT_API_URL``; ``prefect deploy flows.py:ingest_flow --name nightly-ingest --cron "0 2 * * *"
--pool POOL`` deploys the same flow to a work pool.
"""
from __future__ import annotations

import logging
import os
import threading
from collections import deque
from pathlib import Path

import regex
from prefect import flow, get_run_logger, task

from settings import settings, thresholds
from pipeline import ingest
from pipeline.errors import ConfigError, VnfactsError
from pipeline.ingest import ArticleRef, Processed, RunSummary
from pipeline.progress import reporter
from pipeline.sources import SourceConfig, load_sources
from pipeline.store import db

DATABASE_ENV = "VNFACTS_DATABASE_URL"

# What `python flows.py` serves (and what `prefect deploy` takes on its command line): the bundled
# sources every night into the database of VNFACTS_DATABASE_URL on the machine that runs it.
DEPLOYMENT = {"name": "nightly-ingest", "cron": thresholds.INGEST_SCHEDULE_CRON,
              "parameters": {"sources_file": "corpus/sources.yaml", "database": DATABASE_ENV},
              "description": "Ingest every enabled source of the sources file into the fact store."}


def database_url(name: str) -> str:
    """The database URL held by the environment variable ``name`` (the settings' default for
    VNFACTS_DATABASE_URL when unset). A URL passed instead of a name is refused: it would be stored
    with the flow run, password and all."""
    if not regex.fullmatch(r"[A-Z_][A-Z0-9_]*", name or ""):
        raise ConfigError("the flow's database parameter is the NAME of an environment variable holding the URL "
                          f"(e.g. {DATABASE_ENV}), not a URL")
    if name == DATABASE_ENV:
        return settings().database_url
    if not os.environ.get(name):
        raise ConfigError(f"environment variable {name} is not set")
    return os.environ[name]


def _worth_retrying(task, task_run, state) -> bool:
    """Listing is retried for network trouble only (a missing folder or a refused page will not heal)."""
    try:
        state.result()
    except Exception as exc:
        return bool(getattr(exc, "retry_now", False))
    return False


@task(retries=2, retry_delay_seconds=list(thresholds.LIST_RETRY_DELAYS), retry_condition_fn=_worth_retrying)
def collect_articles(source: SourceConfig) -> list[ArticleRef]:
    refs = ingest.list_refs(source)
    get_run_logger().info("%s: %d articles listed", source.key, len(refs))
    return refs


@task
def process_batch(source: SourceConfig, refs: list[ArticleRef], known: dict[str, ingest.Known]) -> list[Processed]:
    done = ingest.process_refs(source, refs, known)
    get_run_logger().info("%s: %d articles processed (%s … %s)", source.key, len(done), refs[0].key, refs[-1].key)
    return done


@flow(name="vnfacts-ingest")
def ingest_flow(sources_file: str = "corpus/sources.yaml", database: str = DATABASE_ENV, in_flight: int = 2) -> RunSummary:
    """Every enabled source of ``sources_file``, listed, processed and stored into the database whose
    URL the environment variable ``database`` holds."""
    log = get_run_logger()
    url = database_url(database)
    db.upgrade(url)
    summary = RunSummary()
    for source in load_sources(Path(sources_file)):
        if not source.enabled:
            continue
        source_id = ingest.prepare_source(source, url)
        known = ingest.known_hashes(source, url)
        summary.by_source[source.key] = []
        try:
            refs = collect_articles(source)
        except Exception as exc:         # recorded as this source's failure; the next source runs
            ingest.source_failed(summary, source, source_id, exc, url)
            log.warning("%s: source failed: %s", source.key, exc)
            continue
        reporter().source_started(source.key, len(refs))
        pending: deque = deque()

        def store(item) -> None:
            written = summary.add(source.key, ingest.store_processed(source_id, _results(*item), url))
            reporter().stored(source.key, written)
            for w in written:
                if w.status in ("failed", "quarantined"):
                    log.warning("%s/%s %s: %s", source.key, w.article_key, w.status, w.error)
            done = summary.by_source[source.key]
            log.info("%s: %d/%d articles stored, %d facts", source.key, len(done), len(refs), sum(w.facts for w in done))

        for batch in ingest.batched(refs, thresholds.BATCH_SIZE):
            pending.append((batch, process_batch.submit(source, batch, known)))
            if len(pending) >= in_flight:
                store(pending.popleft())
        while pending:
            store(pending.popleft())
        ingest.finish_source(source_id, url)
        reporter().source_finished(source.key)
        counts = ingest.RunSummary(summary.by_source[source.key]).counts()
        log.info("%s: done: %s", source.key, ", ".join(f"{n} {s}" for s, n in sorted(counts.items())) or "no articles")
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


def run_flow(sources_file: str, database: str = DATABASE_ENV, workers: int = 1, dask: str | None = None) -> RunSummary:
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
    return ingest_flow.with_options(task_runner=runner)(sources_file, database, in_flight)


def check_dask(spec: str) -> None:
    """``local:N`` (N ≥ 1) or ``tcp://HOST:PORT``; anything else is a usage error."""
    if not regex.fullmatch(r"local:[1-9]\d*|tcp://[^\s:/]+:\d{1,5}", spec):
        raise ConfigError(f"--dask must be local:N or tcp://HOST:PORT, not {spec!r}")


def dask_runner(spec: str):
    """``local:N`` starts a local cluster of N workers; ``tcp://HOST:PORT`` uses an existing scheduler."""
    from prefect_dask import DaskTaskRunner

    check_dask(spec)
    if spec.startswith("local:"):
        n = int(spec.split(":", 1)[1])
        return DaskTaskRunner(cluster_kwargs={"n_workers": n, "threads_per_worker": 1, "processes": True,
                                              "dashboard_address": None})
    return DaskTaskRunner(address=spec)


def running_server(api_url: str) -> bool:
    """True when a Prefect API answers its health check at ``api_url`` within half a second."""
    import httpx

    try:
        return httpx.get(f"{api_url.rstrip('/')}/health", timeout=0.5).status_code == 200
    except httpx.HTTPError:
        return False


def start_api_early(local_api: str = thresholds.PREFECT_LOCAL_API) -> tuple[threading.Thread | None, str | None]:
    """Where the flow will report, decided before it runs: with PREFECT_API_URL set, there (nothing
    to do); else a server already running at ``local_api`` (``prefect server start`` on this machine),
    returned for the caller to use; else Prefect's temporary server, started now in the background so
    that it boots while the caller migrates the store and loads the extractors (join the thread
    before the flow runs)."""
    from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_ENABLED

    if PREFECT_API_URL.value():
        return None, None
    if running_server(local_api):
        return None, local_api
    if not PREFECT_SERVER_EPHEMERAL_ENABLED.value():
        return None, None
    from prefect.server.api.server import SubprocessASGIServer

    thread = threading.Thread(target=SubprocessASGIServer().start, name="prefect-server-start", daemon=True)
    thread.start()
    return thread, None


if __name__ == "__main__":
    ingest_flow.serve(**DEPLOYMENT)
