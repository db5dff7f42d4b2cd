"""The Prefect flow end to end, against a temporary Prefect API and a real database."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from store import db
from store.models import Article

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def test_ingest_flow_over_the_bundled_corpus_then_again(prefect_harness, database_url, tmp_path, monkeypatch):
    from flows import ingest_flow

    monkeypatch.setenv("VNFACTS_DATABASE_URL", database_url)
    summary = ingest_flow(str(ROOT / "corpus" / "sources.yaml"))
    assert summary.counts() == {"ok": 5}
    assert summary.facts >= 85
    again = ingest_flow(str(ROOT / "corpus" / "sources.yaml"))
    assert again.counts() == {"unchanged": 5}
    with db.session(database_url) as s:
        assert s.scalar(select(func.count()).select_from(Article)) == 5


def test_flow_goes_on_past_a_bad_article_and_skips_disabled_sources(prefect_harness, tmp_path, monkeypatch):
    from flows import ingest_flow

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "ok.txt").write_text("Toàn tỉnh cấp 120 thẻ căn cước.", encoding="utf-8")
    (folder / "broken.txt").write_bytes(b"\x00" * 10)
    (tmp_path / "sources.yaml").write_text(
        "sources:\n"
        "  - {key: local, kind: files, path: articles}\n"
        "  - {key: paused, kind: files, path: nowhere, enabled: false}\n", encoding="utf-8")
    monkeypatch.setenv("VNFACTS_TEST_DB", f"sqlite:///{tmp_path / 'f.db'}")
    summary = ingest_flow(str(tmp_path / "sources.yaml"), "VNFACTS_TEST_DB")
    assert sorted(w.status for w in summary.written) == ["ok", "quarantined"]


def _facts(url: str) -> set[tuple]:
    from sqlalchemy import text

    with db.session(url) as s:
        return {tuple(r) for r in s.execute(text(
            "SELECT article, kind, value, unit, qualifier, role, period, concept, value_start FROM facts_current"))}


def test_process_pool_and_dask_runs_store_the_same_facts_as_one_process(prefect_harness, postgres_url, tmp_path,
                                                                       monkeypatch):
    from flows import run_flow
    from run.ingest import ingest_source
    from pipeline.sources import load_sources

    sources = str(ROOT / "corpus" / "sources.yaml")
    single = f"sqlite:///{tmp_path / 'single.db'}"
    db.upgrade(single)
    for source in load_sources(Path(sources)):
        ingest_source(source, single)
    expected = _facts(single)
    assert len(expected) >= 85

    pooled = f"sqlite:///{tmp_path / 'pooled.db'}"
    monkeypatch.setenv("VNFACTS_POOLED", pooled)
    assert run_flow(sources, "VNFACTS_POOLED", workers=2).counts() == {"ok": 5}
    assert _facts(pooled) == expected

    monkeypatch.setenv("VNFACTS_DATABASE_URL", postgres_url)
    assert run_flow(sources, dask="local:2").counts() == {"ok": 5}
    assert _facts(postgres_url) == expected


def test_flow_over_a_web_source_stores_pages_and_failures(prefect_harness, web, tmp_path, monkeypatch):
    """The Prefect flow against the fixture site: pages cleaned and stored, faults stored with reasons."""
    from flows import ingest_flow

    web.site.add("/mix/index.html", 200, {"Content-Type": "text/html; charset=utf-8"},
                 "".join(f'<h3 class="title"><a href="{p}">x</a></h3>' for p in
                         ("/tin-tuc/bai-1.html", "/tin-tuc/bai-3.html", "/error500.html", "/loop-a.html")).encode())
    (tmp_path / "sources.yaml").write_text(
        "sources:\n"
        f"  - {{key: mix, kind: html_index, url: '{web.base}/mix/index.html', link_selector: 'h3.title a',\n"
        "      delay: 0, timeout: 2, retry_delays: [0.05], clean: {remove_selectors: ['.related', '.share']}}\n",
        encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'flow-web.db'}"
    monkeypatch.setenv("VNFACTS_DATABASE_URL", url)
    summary = ingest_flow(str(tmp_path / "sources.yaml"))
    assert sorted(w.status for w in summary.written) == ["failed", "ok", "ok", "quarantined"]
    with db.session(url) as s:
        rows = {a.article_key.rsplit("_", 1)[0]: a for a in s.scalars(select(Article))}
    assert "HTTP 500" in rows["error500"].error and "redirects" in rows["loop-a"].error
    assert "Tin liên quan" not in rows["bai-1"].cleaned_text and rows["bai-1"].etag
    again = ingest_flow(str(tmp_path / "sources.yaml"))
    assert sorted(w.status for w in again.written) == ["failed", "quarantined", "unchanged", "unchanged"]


def test_flow_and_task_logs_reach_the_prefect_api(prefect_harness, tmp_path, monkeypatch):
    """The UI shows what the run logged: read the flow run's logs back from the API."""
    import asyncio

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
    from prefect.logging.handlers import APILogWorker

    from flows import ingest_flow

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "ok.txt").write_text("Toàn tỉnh cấp 120 thẻ căn cước.", encoding="utf-8")
    (folder / "broken.txt").write_bytes(b"\x00" * 10)
    (tmp_path / "sources.yaml").write_text("sources:\n  - {key: local, kind: files, path: articles}\n", encoding="utf-8")
    monkeypatch.setenv("VNFACTS_DATABASE_URL", f"sqlite:///{tmp_path / 'logs.db'}")
    state = ingest_flow(str(tmp_path / "sources.yaml"), return_state=True)
    flow_run_id = state.state_details.flow_run_id
    APILogWorker.drain_all(timeout=60)              # logs are sent in batches: send what is queued

    async def logs():
        async with get_client() as client:
            # limit and offset given: this Prefect's client sends null for them, which its server refuses
            return await client.read_logs(LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run_id])), limit=200,
                                          offset=0)

    messages = [log.message for log in asyncio.run(logs())]
    assert "local: 2 articles listed" in messages                                  # a task's log
    assert any(m.startswith("local: 2 articles processed") for m in messages)
    assert "local: 2/2 articles stored, 1 facts" in messages                       # the flow's
    assert "local/broken quarantined: binary content, not text" in messages


def test_the_deployment_names_the_database_never_a_url(monkeypatch):
    """The served deployment carries a schedule and parameters without a secret; a URL passed as the
    database parameter is refused before anything is stored."""
    from flows import DEPLOYMENT, database_url, ingest_flow
    from pipeline.errors import ConfigError

    deployment = ingest_flow.to_deployment(**DEPLOYMENT)
    assert deployment.parameters == {"sources_file": "corpus/sources.yaml", "database": "VNFACTS_DATABASE_URL"}
    assert deployment.schedules[0].schedule.cron == "0 2 * * *"
    monkeypatch.setenv("VNFACTS_DATABASE_URL", "postgresql+psycopg://app:secret@db:5432/vnfacts")
    assert database_url("VNFACTS_DATABASE_URL").endswith("@db:5432/vnfacts")
    with pytest.raises(ConfigError, match="NAME of an environment variable"):
        database_url("postgresql+psycopg://app:secret@db:5432/vnfacts")


def test_prefect_flow_run_ls_and_logs_work_against_the_server(prefect_harness, tmp_path, monkeypatch):
    """The README's way of watching runs: `prefect flow-run ls` and `prefect flow-run logs` against the
    API the runs report to (fastapi is pinned to a version whose body parsing Prefect's server expects)."""
    import os
    import subprocess
    import sys
    from importlib.metadata import version

    from prefect.settings import PREFECT_API_URL

    pinned = next(line.split("==")[1] for line in (ROOT / "requirements.lock").read_text().splitlines()
                  if line.startswith("fastapi=="))
    if version("fastapi") != pinned:
        pytest.skip(f"fastapi {version('fastapi')} installed, {pinned} pinned: make install (or pip install -c requirements.lock)")

    from flows import ingest_flow

    monkeypatch.setenv("VNFACTS_DATABASE_URL", f"sqlite:///{tmp_path / 'ls.db'}")
    state = ingest_flow(str(ROOT / "corpus" / "sources.yaml"), return_state=True)
    prefect_cli = str(Path(sys.executable).with_name("prefect"))
    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value()}
    listed = subprocess.run([prefect_cli, "flow-run", "ls", "--flow-name", "vnfacts-ingest"], capture_output=True,
                            text=True, env=env, timeout=300)
    assert listed.returncode == 0 and "Traceback" not in listed.stdout + listed.stderr, listed.stdout + listed.stderr
    assert str(state.state_details.flow_run_id)[:8] in listed.stdout
    from prefect.logging.handlers import APILogWorker

    APILogWorker.drain_all(timeout=60)
    logs = subprocess.run([prefect_cli, "flow-run", "logs", str(state.state_details.flow_run_id)], capture_output=True,
                          text=True, env=env, timeout=300)
    assert logs.returncode == 0, logs.stdout + logs.stderr
    assert "seeds: 5/5 articles stored, 91 facts" in logs.stdout


def test_a_run_reports_to_a_running_local_server_instead_of_starting_one(prefect_harness, monkeypatch):
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from cli.prefect_api import api_for_run, running_server, start_early

    api = PREFECT_API_URL.value()
    assert running_server(api) and not running_server("http://127.0.0.1:9/api")
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        assert not PREFECT_API_URL.value()
        assert start_early(local_api=api) is None                   # nothing started: one answers there
        assert api_for_run(None, api, timeout=5) == api
    monkeypatch.setenv("PREFECT_API_URL", api)
    assert start_early(local_api="http://127.0.0.1:9/api") is None  # PREFECT_API_URL is set


def test_a_temporary_server_started_early_answers_and_stops(monkeypatch):
    """The server a run starts before importing Prefect is a working Prefect API, and gone after stop()."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from cli.prefect_api import TemporaryServer, api_for_run, running_server, start_early
    from settings import thresholds

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    server = start_early(local_api="http://127.0.0.1:9/api")
    assert isinstance(server, TemporaryServer)
    try:
        with temporary_settings(restore_defaults={PREFECT_API_URL}):
            assert api_for_run(server, "http://127.0.0.1:9/api", thresholds.PREFECT_SERVER_START_TIMEOUT_S) == server.api_url
        assert running_server(server.api_url)
    finally:
        server.stop()
    assert server.process.poll() is not None and not running_server(server.api_url)
