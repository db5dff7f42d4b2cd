"""Prefect flows: thin wrappers over :func:`run.ingest.run_sources`, the body of every run.

Listing a source (network I/O) is a task that retries; the articles are processed in batches by the
executor of ``run.runner`` (this process by default, processes with ``--workers N``, a Dask
cluster with ``--dask``) and the flow itself is the single writer, storing each batch as it comes
back. At most ``2 × workers`` batches are in flight, so memory stays flat however large the source.
Batches are not Prefect tasks: each task run costs API calls from every worker (their states, their
logs), which on a small machine cost more than the batch itself; the flow logs each batch instead.

The flow's parameters are stored by the Prefect server and shown in its UI, so the database is
named, never given: ``database`` is the name of the environment variable that holds its URL (and
its password), read where the flow runs.

What the flow run shows in Prefect: its final state says how the run went — ``Completed``, or a
COMPLETED state named ``Completed with failures`` when articles were quarantined or failed or a source
could not be listed (the command's exit status 3: everything that could be stored was, and the
next run retries the rest), ``Failed`` when the run itself could not go on (exit status 1) — and a
table artifact carries the per-source summary the command prints. A flow run left ``Running`` by a
process killed on this machine (SIGKILL, out of memory, a power cut) is marked ``Crashed`` by the
next run: each run records its process as the flow run's ``infrastructure_pid`` (``HOST:PID``,
Prefect's own form).

Scheduled runs: ``python flows.py`` serves :data:`DEPLOYMENT` (nightly ingest) to the Prefect API
in ``PREFECT_API_URL``; ``prefect deploy flows.py:ingest_flow --name nightly-ingest --cron "0 2 * * *"
--pool POOL`` deploys the same flow to a work pool.
"""
from __future__ import annotations

import logging
import os
import socket
from pathlib import Path

import regex
from prefect import flow, get_run_logger, task

from settings import settings, thresholds
from run import ingest
from pipeline.errors import ConfigError, VnfactsError
from pipeline.fetch import ArticleRef
from run.ingest import RunSummary
from pipeline.sources import SourceConfig, load_sources

DATABASE_ENV = "VNFACTS_DATABASE_URL"
FLOW_NAME = "vnfacts-ingest"
COMPLETED_WITH_FAILURES = "Completed with failures"      # the state name of a run that exits 3
SUMMARY_ARTIFACT = "vnfacts-run-summary"                 # the key of the per-source table of each run

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


@flow(name=FLOW_NAME)
def ingest_flow(sources_file: str = "corpus/sources.yaml", database: str = DATABASE_ENV, workers: int = 1,
                dask: str | None = None, sources: list[SourceConfig] | None = None,
                upgrade: bool = True) -> RunSummary:
    """Every enabled source of ``sources_file``, listed, processed and stored into the database whose
    URL the environment variable ``database`` holds; processed in this process, in ``workers``
    processes, or on the Dask cluster ``dask`` (local:N or tcp://HOST:PORT), the flow being the one
    writer. The body is :func:`run.ingest.run_sources`, the same as a run without Prefect; the run's
    summary is carried by its final state (:func:`final_state`) and published as a table artifact.

    ``vnfacts run`` reads the sources file and migrates the store before Prefect starts (a bad file or
    an unreachable database is one line, at once): it passes the ``sources`` it read and
    ``upgrade=False``, so that neither is done twice."""
    log = get_run_logger()
    take_over_from_killed_runs(log)
    configs = sources if sources is not None else load_sources(Path(sources_file))

    def batch_logged(source: SourceConfig, batch: list[ArticleRef], written: list, total: int,
                     summary: RunSummary) -> None:
        log.info("%s: %d articles processed (%s … %s)", source.key, len(batch), batch[0].key, batch[-1].key)
        for w in written:
            if w.status in ("failed", "quarantined"):
                log.warning("%s/%s %s: %s", source.key, w.article_key, w.status, w.error)
        done = summary.by_source[source.key]
        log.info("%s: %d/%d articles stored, %d facts", source.key, len(done), total, sum(w.facts for w in done))

    def source_logged(source: SourceConfig, summary: RunSummary) -> None:
        if source.key in summary.failed_sources:     # recorded as this source's failure; the next source runs
            log.warning("%s: source failed: %s", source.key, summary.failed_sources[source.key])
            return
        counts = RunSummary(summary.by_source[source.key]).counts()
        log.info("%s: done: %s", source.key, ", ".join(f"{n} {s}" for s, n in sorted(counts.items())) or "no articles")

    head_start = ingest.handed_over()
    summary = ingest.run_sources(configs, database_url(database), workers, dask, upgrade, lister=collect_articles,
                                 on_start=lambda executor: log.info("processing in %s", executor.name),
                                 on_batch=batch_logged, on_source=source_logged, head_start=head_start)
    if head_start is not None and head_start.taken:
        log.info("%s: %d batches were processed while the run started up", head_start.source.key, head_start.taken)
    publish_summary(summary)
    return final_state(summary)


def final_state(summary: RunSummary):
    """``Completed`` when every article was processed; a COMPLETED state named ``Completed with
    failures`` when some were quarantined or failed or a source could not be listed. Not ``Failed``:
    the run did its work and kept every bad input with its reason (retrying the flow would redo it
    all for nothing); the name says what happened, and automations can match it."""
    from prefect.states import Completed

    if summary.partial:
        return Completed(name=COMPLETED_WITH_FAILURES, message=summary.describe(), data=summary)
    return Completed(message=summary.describe(), data=summary)


def publish_summary(summary: RunSummary) -> None:
    """The per-source table of this run as a Prefect table artifact of the flow run (under one key,
    so the UI's Artifacts page shows the latest run's and keeps the history)."""
    from prefect.artifacts import create_table_artifact

    problems = summary.problems()
    lines = [f"vnfacts run: {summary.describe()}."]
    lines += [f"- source {key} could not be listed: {reason}" for key, reason in summary.failed_sources.items()]
    lines += [f"- {source}/{w.article_key}: {w.status}: {w.error}" for source, w in problems[:thresholds.ARTIFACT_MAX_PROBLEMS]]
    if len(problems) > thresholds.ARTIFACT_MAX_PROBLEMS:
        lines.append(f"- … and {len(problems) - thresholds.ARTIFACT_MAX_PROBLEMS} more: `vnfacts failures` lists them all")
    create_table_artifact(table=summary.table(), key=SUMMARY_ARTIFACT, description="\n".join(lines))


def take_over_from_killed_runs(log) -> list[str]:
    """Record this process as the flow run's infrastructure (``HOST:PID``), then mark ``Crashed``
    every other flow run of this flow still ``Running`` whose recorded process on this machine is
    gone — killed without a chance to report (SIGKILL, the OOM killer, a power cut). A run recorded
    on another machine, or before this record existed, is left alone: nothing here can tell whether
    it still runs. Returns the names of the runs marked."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (FlowFilter, FlowFilterName, FlowRunFilter, FlowRunFilterState,
                                                FlowRunFilterStateType)
    from prefect.client.schemas.objects import StateType
    from prefect.context import get_run_context
    from prefect.states import Crashed

    own = get_run_context().flow_run
    host = socket.gethostname()
    marked = []
    with get_client(sync_client=True) as client:
        client.update_flow_run(own.id, infrastructure_pid=f"{host}:{os.getpid()}")
        running = client.read_flow_runs(
            flow_filter=FlowFilter(name=FlowFilterName(any_=[FLOW_NAME])),
            flow_run_filter=FlowRunFilter(state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.RUNNING]))))
        for other in running:
            where, _, pid = (other.infrastructure_pid or "").rpartition(":")
            if other.id == own.id or where != host or not pid.isdigit() or _still_running(int(pid), other.start_time):
                continue
            message = f"its process ({pid} on {host}) is gone: marked Crashed by flow run {own.name!r}"
            client.set_flow_run_state(other.id, Crashed(message=message), force=True)
            log.warning("flow run %r was left Running; %s", other.name, message)
            marked.append(other.name)
    return marked


def _still_running(pid: int, started) -> bool:
    """The process ``pid`` exists and is the one that started the run (a process created after the
    run started merely reuses its number)."""
    import psutil

    try:
        created = psutil.Process(pid).create_time()
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return False
    return started is None or created <= started.timestamp() + 1




class _KnownFailures(logging.Filter):
    """Drops Prefect's traceback of a failure that vnfacts reports itself in one line (a database that
    cannot be reached, a bad setting); ``VNFACTS_DEBUG=1`` keeps it."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, VnfactsError) or bool(os.environ.get("VNFACTS_DEBUG"))


def run_flow(sources_file: str, database: str = DATABASE_ENV, workers: int = 1, dask: str | None = None,
             sources: list[SourceConfig] | None = None, upgrade: bool = True,
             head_start: ingest.HeadStart | None = None) -> RunSummary:
    """Run the flow (arguments: see :func:`ingest_flow`), with Prefect's tracebacks of failures
    vnfacts reports itself kept off the terminal. ``head_start``: what the run processed while it
    started up (:class:`run.ingest.HeadStart`), which the flow takes instead of processing it again."""
    for name in ("prefect.flow_runs", "prefect.task_runs"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, _KnownFailures) for f in logger.filters):
            logger.addFilter(_KnownFailures())
    with ingest.handing_over(head_start):
        return ingest_flow(sources_file, database, workers, dask, sources, upgrade)


def send_pending(timeout: float = 10.0) -> None:
    """Send the logs and events still queued to the API now: a temporary server is about to stop,
    and what Prefect would send at exit would find nobody listening."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    APILogWorker.drain_all(timeout=timeout)
    EventsWorker.drain_all(timeout=timeout)


if __name__ == "__main__":
    ingest_flow.serve(**DEPLOYMENT)
