"""Reliability: bad input, killed runs, database faults, HTTP faults, concurrent runs, unauthenticated writes."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from settings import thresholds
from run.ingest import ingest_source
from pipeline.sources import SourceConfig
from store import db
from store.models import Article

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "corpus" / "seeds"
SENTENCE = "Tỷ lệ kích hoạt tài khoản định danh điện tử toàn tỉnh đạt 75,1%, với 1.456.363 lượt tra cứu."


def bad_inputs(folder: Path) -> dict[str, str | None]:
    """Write the bad-input corpus; returns file stem → the reason it must be quarantined (None: processed)."""
    from legacy import to_cp1258, to_legacy

    files: dict[str, tuple[bytes, str | None]] = {
        "empty": (b"", "empty file"),
        "blank": (b"   \n\n  \t", "empty file"),
        "binary": (os.urandom(4096) + b"\x00" * 64, "binary content"),
        "huge": (b"x" * (50 * 1024 * 1024), "file too large"),
        "nested": (("<html><body>" + "<div>" * 3000 + SENTENCE + "</div>" * 3000 + "</body></html>").encode(), None),
        "scripts_only": (b"<html><head><script>var a = 1;</script><style>p{}</style></head><body></body></html>",
                         "no main text"),
        "declared_wrong": ('<html><head><meta charset="iso-8859-1"></head><body><article><p>'
                           f"{SENTENCE} {SENTENCE}</p></article></body></html>".encode(), None),
        "tcvn3": (to_legacy(SENTENCE, "tcvn3"), None),
        "vni": (to_legacy(SENTENCE, "vni"), None),
        "cp1258": (to_cp1258(SENTENCE), None),
        "nfd": (unicodedata.normalize("NFD", SENTENCE).encode(), None),
        "zero_width": (SENTENCE.replace(" ", " \u200b").replace("%", "\u200d%").encode(), None),
        "rtl_marks": (("\u202e\u200f" + SENTENCE + "\u200e").encode(), None),
        "big_number": ("Có 1.000.000.000.000.000.000 người và 95/0 cơ sở, tỷ lệ %%%, mã 1,2,3,4.".encode(), None),
        "long_line": (("a" * (1024 * 1024) + " " + SENTENCE).encode(), None),
        "control_chars": (("\x07\x1b[31m" + SENTENCE).encode(), None),
    }
    suffix = {"nested": ".html", "scripts_only": ".html", "declared_wrong": ".html"}
    expect = {}
    for stem, (data, reason) in files.items():
        (folder / f"{stem}{suffix.get(stem, '.txt')}").write_bytes(data)
        expect[stem] = reason
    return expect


def test_every_bad_input_is_processed_or_quarantined_with_a_reason(tmp_path, monkeypatch):
    folder = tmp_path / "bad"
    folder.mkdir()
    expect = bad_inputs(folder)
    monkeypatch.setattr(thresholds, "ARTICLE_TIME_LIMIT_S", 30)
    url = f"sqlite:///{tmp_path / 'bad.db'}"
    db.upgrade(url)
    summary = ingest_source(SourceConfig(key="bad", kind="files", location=str(folder)), url)
    assert len(summary.written) == len(expect)
    with db.session(url) as s:
        stored = {a.article_key: a for a in s.scalars(select(Article))}
    assert set(stored) == set(expect)
    for stem, reason in expect.items():
        article = stored[stem]
        if reason is None:
            assert article.status == "ok", (stem, article.error)
        else:
            assert article.status == "quarantined" and reason in article.error, (stem, article.status, article.error)
    for stem in ("tcvn3", "vni", "cp1258", "nfd", "zero_width", "rtl_marks", "declared_wrong", "nested"):
        assert "kích hoạt tài khoản định danh điện tử" in stored[stem].cleaned_text, stem
    same_text = ("tcvn3", "vni", "cp1258", "nfd", "zero_width", "rtl_marks")
    assert len({stored[stem].text_hash for stem in same_text}) == 1          # every encoding decodes to one text
    assert sum(stored[stem].duplicate_of_id is None for stem in same_text) == 1   # stored once, the rest linked
    with db.session(url) as s:
        values = {v for (v,) in s.execute(text("SELECT value FROM facts_current WHERE article IN "
                                                "('tcvn3', 'vni', 'cp1258', 'nfd', 'zero_width', 'rtl_marks')"))}
    assert values == {75.1, 1456363}


def test_a_slow_article_is_quarantined_by_the_time_limit(tmp_path, monkeypatch):
    from pipeline import extract

    folder = tmp_path / "slow"
    folder.mkdir()
    (folder / "a.txt").write_text(SENTENCE, encoding="utf-8")
    (folder / "b.txt").write_text("Toàn tỉnh cấp 120 thẻ căn cước.", encoding="utf-8")
    real = extract.find_quantities

    def crawl(analysis):
        if "75,1" in analysis.text:
            while True:
                time.sleep(0.05)
                from extractors import deadline

                deadline.check()
        return real(analysis)

    monkeypatch.setattr(extract, "find_quantities", crawl)
    monkeypatch.setattr(thresholds, "ARTICLE_TIME_LIMIT_S", 1)
    url = f"sqlite:///{tmp_path / 'slow.db'}"
    db.upgrade(url)
    summary = ingest_source(SourceConfig(key="slow", kind="files", location=str(folder)), url)
    assert {w.article_key: w.status for w in summary.written} == {"a": "quarantined", "b": "ok"}


PROVINCES = ["Hà Giang", "Hậu Giang", "Đồng Tháp", "Hải Dương", "Thái Bình", "Quảng Ninh", "Nghệ An", "Lào Cai"]
TEMPLATES = [
    "Năm {y}, tỉnh {p} ban hành {a} văn bản chỉ đạo và tổ chức {b} cuộc họp về Đề án 06.",
    "Tỷ lệ hồ sơ giải quyết trực tuyến của tỉnh {p} đạt {c},{d}%, tăng {e},{f}% so với năm {y0}.",
    "Toàn tỉnh đã thu nhận gần {g}.{h:03d} hồ sơ cấp căn cước công dân và trả {i}.{j:03d} thẻ.",
    "Có {k}/{l} cơ sở khám chữa bệnh tra cứu thẻ bảo hiểm y tế bằng căn cước công dân.",
    "Tỷ lệ kích hoạt tài khoản định danh điện tử tính đến ngày {dd}.{mm} đạt {m},{n}%.",
    "Sở Tư pháp số hóa dữ liệu hộ tịch đạt {o}%, Công an tỉnh làm sạch {q}.{r:03d} hồ sơ cư trú.",
    "Dịp này, UBND tỉnh {p} khen thưởng cho {s} tập thể và {t} cá nhân có thành tích xuất sắc.",
    "Chi trả an sinh xã hội không dùng tiền mặt đạt {u}%, vượt chỉ tiêu {v}%.",
]


def _many_articles(folder: Path, n: int) -> None:
    """n distinct articles: the same kinds of statements with different numbers, places and years,
    so that no two are duplicates of each other."""
    import random

    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        rng = random.Random(i)
        values = {k: rng.randint(2, 97) for k in "abcdefklmnostuv"}
        values.update(g=rng.randint(100, 999), h=rng.randint(0, 999), i=rng.randint(100, 999), j=rng.randint(0, 999),
                      q=rng.randint(10, 99), r=rng.randint(0, 999), dd=rng.randint(1, 28), mm=rng.randint(1, 12),
                      y=2018 + i % 7, y0=2017 + i % 7, p=PROVINCES[i % len(PROVINCES)])
        values["l"] = values["k"] + rng.randint(0, 20)
        lines = [f"Báo cáo số {i} về Đề án 06 của tỉnh {values['p']}"]
        lines += [t.format(**values) for t in rng.sample(TEMPLATES, len(TEMPLATES))]
        (folder / f"a{i:03d}.txt").write_text("\n".join(lines), encoding="utf-8")


def _sources(path: Path, folder: Path) -> Path:
    path.write_text(f"sources:\n  - key: many\n    kind: files\n    path: {folder}\n", encoding="utf-8")
    return path


def _run(sources: Path, url: str, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "cli.main", "run", "--no-prefect", "--sources",
                             str(sources), "--db", url], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, **kw)


def _snapshot(url: str) -> set[tuple]:
    with db.session(url) as s:
        return {tuple(r) for r in s.execute(text(
            "SELECT article, kind, value, unit, role, period, concept, value_start FROM facts_current"))}


def _reference(tmp_path: Path, folder: Path) -> set[tuple]:
    url = f"sqlite:///{tmp_path / 'reference.db'}"
    db.upgrade(url)
    ingest_source(SourceConfig(key="many", kind="files", location=str(folder)), url)
    return _snapshot(url)


@pytest.mark.slow
def test_a_run_killed_mid_way_is_completed_by_the_next_with_nothing_twice(tmp_path):
    folder = tmp_path / "many"
    _many_articles(folder, 120)
    sources = _sources(tmp_path / "sources.yaml", folder)
    url = f"sqlite:///{tmp_path / 'killed.db'}"
    db.upgrade(url)
    run = _run(sources, url)
    stored = 0
    for _ in range(600):
        time.sleep(0.05)
        with db.session(url) as s:
            stored = s.scalar(select(func.count()).select_from(Article))
        if stored >= 10:
            break
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=30)
    assert 10 <= stored < 120, "the kill must land in the middle of the run"
    partial = _snapshot(url)
    reference = _reference(tmp_path, folder)
    assert partial < reference                 # what was stored is whole articles, each exactly as a clean run has it
    with db.session(url) as s:
        ok = {k for (k,) in s.execute(select(Article.article_key).where(Article.status == "ok"))}
    assert {f[0] for f in partial} == ok
    finish = _run(sources, url)
    out, err = finish.communicate(timeout=600)
    assert finish.returncode == 0, err
    assert _snapshot(url) == reference
    with db.session(url) as s:
        assert s.scalar(select(func.count()).select_from(Article)) == 120
        dupes = s.execute(text("SELECT COUNT(*) FROM (SELECT article_id, value_start, kind, extractor_version, COUNT(*) "
                               "FROM facts GROUP BY article_id, value_start, kind, extractor_version "
                               "HAVING COUNT(*) > 1) d")).scalar()
        assert dupes == 0


def test_an_unreachable_database_is_one_clear_line(tmp_path):
    result = subprocess.run([sys.executable, "-m", "cli.main", "run", "--no-prefect", "--db",
                             "postgresql+psycopg://postgres@127.0.0.1:1/test"], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.startswith("error: cannot open the database postgresql+psycopg://postgres@127.0.0.1:1/test")
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.slow
@pytest.mark.postgres
def test_connections_dropped_mid_run_lose_nothing(postgres_url, tmp_path):
    folder = tmp_path / "many"
    _many_articles(folder, 80)
    sources = _sources(tmp_path / "sources.yaml", folder)
    tagged = postgres_url + "&application_name=vnfacts_drop_test"
    db.upgrade(tagged)
    run = _run(sources, tagged)
    admin = create_engine(postgres_url.split("?")[0])
    killed = 0
    try:
        for _ in range(400):
            time.sleep(0.05)
            with admin.begin() as conn:
                stored = conn.execute(text("SELECT COUNT(*) FROM " + postgres_url.split("%3D")[1] + ".articles")).scalar()
                if stored >= 10 and killed < 3:
                    killed += conn.execute(text("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                                "WHERE application_name = 'vnfacts_drop_test'")).scalar()
            if killed >= 3 or run.poll() is not None:
                break
        out, err = run.communicate(timeout=600)
    finally:
        admin.dispose()
    assert killed >= 1
    assert "Traceback" not in err
    again = _run(sources, tagged)
    _, err2 = again.communicate(timeout=600)
    assert again.returncode == 0, err2
    assert _snapshot(tagged) == _reference(tmp_path, folder)


@pytest.mark.slow
@pytest.mark.postgres
def test_two_reprocesses_under_terminated_backends_exit_0_or_3_and_the_next_call_is_complete(postgres_url, tmp_path):
    """`vnfacts reprocess` twice at once while another connection terminates their backends in a loop:
    every read and write retries, so each exits 0 or 3 (never 1 with an OperationalError), nothing is
    lost or stored twice, and the next call leaves the table of a clean run."""
    folder = tmp_path / "many"
    _many_articles(folder, 40)
    tagged = postgres_url + "&application_name=vnfacts_reprocess_drop"
    first = _run(_sources(tmp_path / "sources.yaml", folder), tagged)
    assert first.wait(timeout=600) == 0, first.communicate()[1]
    reference = _snapshot(tagged)
    assert len(reference) > 100
    reprocess = [sys.executable, "-m", "cli.main", "reprocess", "--db", tagged]
    both = [subprocess.Popen(reprocess, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    admin = create_engine(postgres_url.split("?")[0])
    killed = 0
    try:
        while any(p.poll() is None for p in both):
            time.sleep(0.5)
            with admin.begin() as conn:
                killed += conn.execute(text("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                            "WHERE application_name = 'vnfacts_reprocess_drop'")).scalar()
        ended = [(p.returncode, *p.communicate(timeout=60)) for p in both]
    finally:
        admin.dispose()
    assert killed >= 5                                       # their connections were dropped, again and again
    for code, out, err in ended:
        assert code in (0, 3), err
        assert "Traceback" not in err and "OperationalError" not in err and out.startswith("reprocessed: ")
    with db.session(tagged) as s:
        assert s.scalar(select(func.count()).select_from(Article)) == 40
    again = subprocess.run(reprocess, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("reprocessed: 40 ok;")
    assert _snapshot(tagged) == reference


@pytest.mark.slow
@pytest.mark.postgres
def test_two_runs_at_once_produce_the_table_of_one_run(postgres_url, tmp_path):
    folder = tmp_path / "many"
    _many_articles(folder, 60)
    shutil.copy(SEEDS / "000_347ef5340c29b66c.txt", folder / "copy_of_seed.txt")   # the same text twice in the source
    shutil.copy(SEEDS / "000_347ef5340c29b66c.txt", folder / "again_seed.txt")
    sources = _sources(tmp_path / "sources.yaml", folder)
    db.upgrade(postgres_url)
    first, second = _run(sources, postgres_url), _run(sources, postgres_url)
    for proc in (first, second):
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
    assert _snapshot(postgres_url) == _reference(tmp_path, folder)
    with db.session(postgres_url) as s:
        assert s.scalar(select(func.count()).select_from(Article)) == 62
        assert s.scalar(text("SELECT COUNT(*) FROM articles WHERE duplicate_of_id IS NOT NULL")) == 1
        assert s.scalar(text("SELECT COUNT(*) FROM sources")) == 1


def test_http_resets_and_truncated_bodies_fail_with_a_reason(web, tmp_path):
    web.site.add("/x/index.html", 200, {"Content-Type": "text/html; charset=utf-8"},
                 b'<h3 class="t"><a href="/truncated.html">a</a></h3><h3 class="t"><a href="/reset.html">b</a></h3>')
    cfg = SourceConfig(key="faulty", kind="html_index", location=f"{web.base}/x/index.html", link_selector="h3.t a",
                       delay=0, timeout=2, retry_delays=(0.05,))
    url = f"sqlite:///{tmp_path / 'h.db'}"
    db.upgrade(url)
    ingest_source(cfg, url)
    with db.session(url) as s:
        got = {a.article_key.rsplit("_", 1)[0]: (a.status, a.error) for a in s.scalars(select(Article))}
    assert got["truncated"][0] == "failed" and "2 attempts" in got["truncated"][1]
    assert got["reset"][0] == "failed" and "2 attempts" in got["reset"][1]
    assert web.site.hits["/truncated.html"] == 2 and web.site.hits["/reset.html"] == 2


def test_the_web_app_refuses_unauthenticated_writes(tmp_path):
    from fastapi.testclient import TestClient

    from web.app import create_app

    url = f"sqlite:///{tmp_path / 'w.db'}"
    db.upgrade(url)
    ingest_source(SourceConfig(key="seeds", kind="files", location=str(SEEDS)), url)
    client = TestClient(create_app(url))
    for path, form in (("/facts/1/review", {"action": "reject"}), ("/admin/users", {"name": "x", "password": "y" * 10}),
                       ("/logout", {})):
        response = client.post(path, data=form, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/login"), path
    with db.session(url) as s:
        assert s.scalar(text("SELECT COUNT(*) FROM reviews")) == 0
        assert s.scalar(text("SELECT COUNT(*) FROM users")) == 0


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

MARKUP = ["<div>", "</div>", "<p>", "</p>", "<script>", "</script>", "<style>", "</style>", "<!--", "-->", "<a href='",
          "'>", "&amp;", "&#x1F600;", "<table><tr><td>", "</td></tr></table>", "<", ">", "\"", "\x00",
          " Tỷ lệ kích hoạt đạt 75,1%", " năm 2024 ", " 1.456.363 lượt ", "\u200b", "\n"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(MARKUP), max_size=60).map("".join))
def test_html_fuzz_is_text_or_a_readable_refusal(html):
    from pipeline.errors import ArticleError
    from pipeline.html import html_to_text

    try:
        page = html_to_text(html)
    except ArticleError as exc:
        assert str(exc) == "no main text found in the HTML page"
        return
    assert page.text.strip()
