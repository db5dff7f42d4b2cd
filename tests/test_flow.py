"""The Prefect flow end to end, against a temporary Prefect API and a real database."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from pipeline.store import db
from pipeline.store.models import Article

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def test_ingest_flow_over_the_bundled_corpus_then_again(prefect_harness, database_url, tmp_path):
    from flows import ingest_flow

    summary = ingest_flow(str(ROOT / "corpus" / "sources.yaml"), database_url)
    assert summary.counts() == {"ok": 5}
    assert summary.facts >= 85
    again = ingest_flow(str(ROOT / "corpus" / "sources.yaml"), database_url)
    assert again.counts() == {"unchanged": 5}
    with db.session(database_url) as s:
        assert s.scalar(select(func.count()).select_from(Article)) == 5


def test_flow_goes_on_past_a_bad_article_and_skips_disabled_sources(prefect_harness, tmp_path):
    from flows import ingest_flow

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "ok.txt").write_text("Toàn tỉnh cấp 120 thẻ căn cước.", encoding="utf-8")
    (folder / "broken.txt").write_bytes(b"\x00" * 10)
    (tmp_path / "sources.yaml").write_text(
        "sources:\n"
        "  - {key: local, kind: files, path: articles}\n"
        "  - {key: paused, kind: files, path: nowhere, enabled: false}\n", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'f.db'}"
    summary = ingest_flow(str(tmp_path / "sources.yaml"), url)
    assert sorted(w.status for w in summary.written) == ["ok", "quarantined"]


def _facts(url: str) -> set[tuple]:
    from sqlalchemy import text

    with db.session(url) as s:
        return {tuple(r) for r in s.execute(text(
            "SELECT article, kind, value, unit, qualifier, role, period, concept, value_start FROM facts_current"))}


def test_process_pool_and_dask_runs_store_the_same_facts_as_one_process(prefect_harness, postgres_url, tmp_path):
    from flows import run_flow
    from pipeline.ingest import ingest_source
    from pipeline.sources import load_sources

    sources = str(ROOT / "corpus" / "sources.yaml")
    single = f"sqlite:///{tmp_path / 'single.db'}"
    db.upgrade(single)
    for source in load_sources(Path(sources)):
        ingest_source(source, single)
    expected = _facts(single)
    assert len(expected) >= 85

    pooled = f"sqlite:///{tmp_path / 'pooled.db'}"
    assert run_flow(sources, pooled, workers=2).counts() == {"ok": 5}
    assert _facts(pooled) == expected

    assert run_flow(sources, postgres_url, dask="local:2").counts() == {"ok": 5}
    assert _facts(postgres_url) == expected


def test_flow_over_a_web_source_stores_pages_and_failures(prefect_harness, web, tmp_path):
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
    summary = ingest_flow(str(tmp_path / "sources.yaml"), url)
    assert sorted(w.status for w in summary.written) == ["failed", "ok", "ok", "quarantined"]
    with db.session(url) as s:
        rows = {a.article_key.rsplit("_", 1)[0]: a for a in s.scalars(select(Article))}
    assert "HTTP 500" in rows["error500"].error and "redirects" in rows["loop-a"].error
    assert "Tin liên quan" not in rows["bai-1"].cleaned_text and rows["bai-1"].etag
    again = ingest_flow(str(tmp_path / "sources.yaml"), url)
    assert sorted(w.status for w in again.written) == ["failed", "quarantined", "unchanged", "unchanged"]
