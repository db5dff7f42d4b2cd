"""Prefect flows: thin wrappers that call the plain functions of ``vnfacts.pipeline``.

Only listing a source (network I/O) retries; processing and storing are plain calls that record
their own failures. Run one with ``vnfacts run`` or deploy ``ingest_flow`` to a Prefect server.
"""
from __future__ import annotations

from pathlib import Path

from prefect import flow, task

from vnfacts.pipeline.ingest import Listed, RunSummary, ingest_source, list_articles
from vnfacts.pipeline.sources import SourceConfig, load_sources
from vnfacts.pipeline.store import db


@task(retries=2, retry_delay_seconds=[5, 30])
def collect_articles(source: SourceConfig) -> list[Listed]:
    return list(list_articles(source))


@task
def store_articles(source: SourceConfig, articles: list[Listed], database_url: str) -> RunSummary:
    return ingest_source(source, database_url, articles)


@flow(name="vnfacts-ingest", log_prints=True)
def ingest_flow(sources_file: str, database_url: str) -> RunSummary:
    """Every enabled source of ``sources_file``, listed, processed and stored into ``database_url``."""
    db.upgrade(database_url)
    summary = RunSummary()
    for source in load_sources(Path(sources_file)):
        if not source.enabled:
            continue
        articles = collect_articles(source)
        summary.written.extend(store_articles(source, articles, database_url).written)
    return summary
