"""The head start of a run (run/ingest.py: HeadStart): the first batches of a files source processed
while Prefect starts up, taken by the flow when it hands out the very same batches, and what the run
stores is what a run without it stores.

Real Prefect (the session's temporary API), real SQLite and PostgreSQL, real worker processes."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from run.ingest import HeadStart, ingest_source
from pipeline.sources import load_sources
from settings import thresholds
from store import db

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))

pytestmark = pytest.mark.slow


def _folder(tmp_path: Path, copies: int) -> Path:
    """``copies`` articles (the seeds under new names, so several batches), and a sources file."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for i in range(copies):
        shutil.copy(SEEDS[i % len(SEEDS)], folder / f"a{i:03d}.txt")
    (tmp_path / "sources.yaml").write_text(f"sources:\n  - {{key: heads, kind: files, path: '{folder}'}}\n",
                                           encoding="utf-8")
    return tmp_path / "sources.yaml"


def _facts(url: str) -> set[tuple]:
    with db.session(url) as s:
        return {tuple(r) for r in s.execute(text(
            "SELECT article, kind, value, unit, qualifier, role, period, concept, value_start FROM facts_current"))}


def _statuses(summary) -> dict[str, int]:
    return summary.counts()


def _run_with(head: HeadStart, sources: Path, configs, url: str, monkeypatch, workers: int = 1, also=()):
    """The Prefect flow over the sources into ``url`` with the head start, which (and ``also``) is closed after."""
    from flows import run_flow          # (Prefect is imported only by the tests that run it)

    monkeypatch.setenv("VNFACTS_HEADS", url)
    try:
        return run_flow(str(sources), "VNFACTS_HEADS", workers=workers, sources=configs, upgrade=False, head_start=head)
    finally:
        head.close()
        for other in also:
            other.close()


@pytest.fixture
def expected(tmp_path):
    """What one process stores from the same articles, without Prefect or a head start: the facts,
    and the articles by status (the copies of a seed are duplicates of the first)."""
    def of(sources: Path) -> tuple[set[tuple], dict[str, int]]:
        url = f"sqlite:///{tmp_path / 'expected.db'}"
        db.upgrade(url)
        summary = None
        for source in load_sources(sources):
            summary = ingest_source(source, url, summary=summary)
        return _facts(url), summary.counts()
    return of


def test_the_flow_takes_the_batches_processed_while_it_started(prefect_harness, database_url, tmp_path, expected,
                                                               monkeypatch):
    sources = _folder(tmp_path, 3 * thresholds.BATCH_SIZE + 5)          # 4 batches
    configs = load_sources(sources)
    db.upgrade(database_url)
    head = HeadStart(configs, database_url, batches=2)
    summary = _run_with(head, sources, configs, database_url, monkeypatch)
    assert head.taken == 2                                    # the other two batches processed by the flow
    assert (_facts(database_url), _statuses(summary)) == expected(sources)
    assert "heads: 2 batches were processed while the run started up" in _logged()


def _logged() -> list[str]:
    """Every log message the session's Prefect API holds (the flow's logs are sent in batches)."""
    import asyncio

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import LogFilter
    from prefect.logging.handlers import APILogWorker

    APILogWorker.drain_all(timeout=60)

    async def logs():
        async with get_client() as client:
            found, offset = [], 0
            while page := await client.read_logs(LogFilter(), limit=200, offset=offset):
                found += [log.message for log in page]
                offset += len(page)
            return found

    return asyncio.run(logs())


def test_worker_processes_started_early_process_the_head_start_and_then_the_run(prefect_harness, tmp_path, expected,
                                                                               monkeypatch):
    from run.runner import EarlyStart

    sources = _folder(tmp_path, 2 * thresholds.BATCH_SIZE + 3)
    configs = load_sources(sources)
    url = f"sqlite:///{tmp_path / 'pooled.db'}"
    db.upgrade(url)
    early = EarlyStart(workers=2)
    head = HeadStart(configs, url, early.executor())
    summary = _run_with(head, sources, configs, url, monkeypatch, workers=2, also=(early,))
    assert head.taken == 3
    assert (_facts(url), _statuses(summary)) == expected(sources)


def test_a_listing_that_changed_since_the_head_start_is_processed_as_listed(prefect_harness, tmp_path, expected,
                                                                           monkeypatch):
    """A file added in front after the head start listed the folder shifts every batch: none is the
    same, so none is taken, and the new file is stored like the others — the flow's listing decides."""
    sources = _folder(tmp_path, 30)
    configs = load_sources(sources)
    url = f"sqlite:///{tmp_path / 'moved.db'}"
    db.upgrade(url)
    head = HeadStart(configs, url)
    head.listed.wait()
    shutil.copy(SEEDS[0], tmp_path / "articles" / "a000-new.txt")
    summary = _run_with(head, sources, configs, url, monkeypatch)
    assert head.taken == 0
    assert (_facts(url), _statuses(summary)) == expected(sources)
    assert sum(_statuses(summary).values()) == 31


def test_a_head_start_older_than_the_store_is_not_taken(prefect_harness, database_url, tmp_path, monkeypatch):
    """Articles stored since the head start looked at the store: its batches were processed as new
    articles, the flow's are unchanged ones — not the same batches, so the flow processes its own."""
    sources = _folder(tmp_path, 30)
    configs = load_sources(sources)
    db.upgrade(database_url)
    stale = HeadStart(configs, database_url)
    stale.listed.wait()
    for source in configs:
        ingest_source(source, database_url)
    summary = _run_with(stale, sources, configs, database_url, monkeypatch)
    assert stale.taken == 0
    assert _statuses(summary) == {"unchanged": 30}


def test_only_a_files_source_that_comes_first_gets_a_head_start(tmp_path):
    sources = _folder(tmp_path, 5)
    (tmp_path / "web.yaml").write_text("sources:\n  - {key: news, kind: rss, url: 'http://127.0.0.1:9/feed'}\n"
                                       "  - {key: heads, kind: files, path: articles}\n", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'h.db'}"
    db.upgrade(url)
    for configs, batches in ((load_sources(tmp_path / "web.yaml"), 0), (load_sources(sources), 1)):
        head = HeadStart(configs, url)
        head.listed.wait()
        assert len(head.pending) == batches
        head.close()
