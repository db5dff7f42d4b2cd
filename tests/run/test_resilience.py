"""Issue 15: a run never aborts and never loses a decision.

Real SQLite and PostgreSQL, the real ``vnfacts`` command in subprocesses, a real local HTTP server:
reviews survive changed texts and ``reprocess``; every bad file is stored with its reason while the
good ones are stored; a dead source does not stop the next; a 503 on re-fetch keeps the facts;
concurrent runs link every re-post; concurrent first migrations both succeed.
"""
from __future__ import annotations

from web.edits import addition_values, validate_edits

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from run.ingest import ingest_source
from pipeline.sources import SourceConfig
from store import db
from store.models import Article, Fact, Review, Source

ROOT = Path(__file__).resolve().parents[2]
TITLE = "Báo cáo kết quả Đề án 06 của tỉnh Hà Giang"


def sentence(percent: str, count: str) -> str:
    return (f"Tỷ lệ kích hoạt tài khoản định danh điện tử toàn tỉnh đạt {percent}%, "
            f"với {count} lượt tra cứu thông tin dân cư.")


def vnfacts(*args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    """The real command in a subprocess, from this worktree."""
    return subprocess.run([sys.executable, "-m", "cli", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)


def run(sources: Path, url: str, *extra: str) -> subprocess.CompletedProcess:
    return vnfacts("run", "--no-prefect", "--sources", str(sources), "--db", url, *extra)


def files_source(path: Path, folder: Path, key: str = "local") -> Path:
    path.write_text(f"sources:\n  - key: {key}\n    kind: files\n    path: {folder}\n", encoding="utf-8")
    return path


def no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout, result.stderr[-3000:]


# -- reviews never block re-extraction ---------------------------------------------------------------

def test_a_review_survives_a_changed_text_a_run_and_reprocess(database_url, tmp_path):
    from store.reviews import article_view, record_review

    folder = tmp_path / "src"
    folder.mkdir()
    body = f"{TITLE}\n{sentence('75,1', '1.456.363')}"
    (folder / "a.txt").write_text(body, encoding="utf-8")
    sources = files_source(tmp_path / "sources.yaml", folder)
    first = run(sources, database_url)
    assert first.returncode == 0, first.stderr
    with db.session(database_url) as s:
        facts = {f.value: f for f in s.scalars(select(Fact))}
        assert {75.1, 1456363} <= set(facts)
        record_review(s, facts[75.1].id, "edit", "lan", validate_edits({"value": "75.2"}))
        record_review(s, facts[1456363].id, "accept", "lan")
        s.commit()

    # 1. Any byte of the text changes (a line added at the end): the facts are replaced, the reviews follow.
    (folder / "a.txt").write_text(body + "\nTrang thông tin điện tử tỉnh cập nhật tin tức mới.", encoding="utf-8")
    changed = run(sources, database_url)
    assert changed.returncode == 0, changed.stderr
    no_traceback(changed)

    def state():
        with db.session(database_url) as s:
            links = {r.fact_kind: (r.fact_id, s.get(Fact, r.fact_id).value if r.fact_id else None)
                     for r in s.scalars(select(Review))}
            view = {(row.kind, row.value): row.review_status for row in s.execute(text(
                "SELECT kind, value, review_status FROM facts_current"))}
        return links, view

    links, view = state()
    assert links["percent"][1] == 75.1 and links["count"][1] == 1456363          # re-pointed to the new facts
    with db.session(database_url) as s:                                          # (the text did change)
        assert s.scalar(select(Article.cleaned_text)).endswith("cập nhật tin tức mới.")
    assert view[("percent", 75.2)] == "edited" and view[("count", 1456363)] == "accepted"

    # 2. reprocess replaces the facts of the same version again: same outcome, exit 0.
    again = vnfacts("reprocess", "--db", database_url)
    assert again.returncode == 0, again.stderr
    no_traceback(again)
    assert state()[1] == view and state()[0]["percent"][1] == 75.1

    # 3. The reviewed numbers move (a line added before them): the decisions follow them (issue 25).
    (folder / "a.txt").write_text("Tin tổng hợp\n" + body, encoding="utf-8")
    moved = run(sources, database_url)
    assert moved.returncode == 0, moved.stderr
    links, view = state()
    assert links["percent"][1] == 75.1 and links["count"][1] == 1456363
    assert view[("percent", 75.2)] == "edited" and view[("count", 1456363)] == "accepted"

    # 4. A reviewed number itself changes (the source corrects 75,1 to 76,3): that decision is an
    #    orphan, kept and listed on the article's page, the new figure pending; the run still succeeds.
    (folder / "a.txt").write_text("Tin tổng hợp\n" + body.replace("75,1", "76,3"), encoding="utf-8")
    corrected = run(sources, database_url)
    assert corrected.returncode == 0, corrected.stderr
    links, view = state()
    assert links == {"percent": (None, None), "count": (links["count"][0], 1456363)}
    assert view[("percent", 76.3)] == "pending" and view[("count", 1456363)] == "accepted"
    with db.session(database_url) as s:
        article_id = s.scalar(select(Article.id))
        assert len(article_view(s, article_id).orphans) == 1
    assert vnfacts("reprocess", "--db", database_url).returncode == 0


# -- every bad input is stored with its reason; the run goes on -----------------------------------------

def bad_folder(folder: Path) -> dict[str, tuple[str, str]]:
    """Good files and every kind of bad one; returns article key → (status, reason expected in its
    error or warnings)."""
    folder.mkdir()
    expect: dict[str, tuple[str, str]] = {}

    def text_of(i: int) -> str:
        return f"{TITLE} số {i}\n{sentence(f'{60 + i},{i}', f'{i}.{100 + i}.000')}"

    (folder / "good_1.txt").write_text(text_of(1), encoding="utf-8")
    (folder / "good_2.txt").write_text(text_of(2), encoding="utf-8")
    expect["good_1"] = expect["good_2"] = ("ok", "")
    (folder / "utf16_truncated.txt").write_bytes(text_of(3).encode("utf-16")[:-1])
    expect["utf16_truncated"] = ("ok", "invalid UTF-16")
    with open(os.path.join(os.fsencode(folder), b"bad_\xff_name.txt"), "wb") as fh:
        fh.write(text_of(4).encode("utf-8"))
    name_key = [k for k in (p.stem for p in folder.iterdir()) if k.startswith("bad_")][0]
    from pipeline.fetch import file_key

    expect[file_key(folder / f"{name_key}.txt")] = ("ok", "bad_%FF_name.txt")   # the exact bytes, percent-encoded
    filler = "\n".join(f"Đoạn {i}: hội nghị bàn về cải cách hành chính và chuyển đổi số của tỉnh." for i in range(80))
    (folder / "nul_after_4k.txt").write_bytes(f"{text_of(5)}\n{filler}".encode("utf-8") + b"\x00\x00"
                                              + "\nKết thúc báo cáo.".encode("utf-8"))
    expect["nul_after_4k"] = ("ok", "removed 2 control characters (U+0000)")
    scattered = text_of(6).replace("Tỷ lệ", "Tỷ\x07 lệ").replace("toàn tỉnh", "toàn\x1b tỉnh").replace("với", "\x00với")
    (folder / "control_chars.txt").write_text(scattered, encoding="utf-8")
    expect["control_chars"] = ("ok", "removed 3 control characters")
    (folder / "bad_sidecar.txt").write_text(text_of(7), encoding="utf-8")
    (folder / "bad_sidecar.meta.json").write_text('{"url": "https://x/1", "published": ', encoding="utf-8")
    expect["bad_sidecar"] = ("ok", "sidecar bad_sidecar.meta.json ignored")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 16)
    expect["binary"] = ("quarantined", "binary content")
    return expect


def stored_articles(url: str) -> dict[str, tuple[str, str, int]]:
    with db.session(url) as s:
        rows = s.execute(select(Article.article_key, Article.status, Article.error, Article.warnings, Article.id))
        out = {}
        for key, status, error, warnings, article_id in rows:
            facts = s.scalar(select(func.count()).select_from(Fact).where(Fact.article_id == article_id))
            out[key] = (status, (error or "") + " | " + " | ".join(warnings or []), facts)
        return out


def reported(result) -> list[str]:
    """stderr without the progress log lines (they start with a clock time)."""
    return [line for line in result.stderr.strip().splitlines() if not line[:2].isdigit()]


def test_a_folder_of_good_and_bad_files_stores_every_file_with_its_reason(database_url, tmp_path):
    expect = bad_folder(tmp_path / "mixed")
    sources = files_source(tmp_path / "sources.yaml", tmp_path / "mixed")
    for attempt in (1, 2):
        result = run(sources, database_url)
        assert result.returncode == 3, (attempt, result.stderr)
        no_traceback(result)
        listed = [line for line in reported(result) if line.startswith("  ")]
        assert listed and all(line.split("/")[1].split(":")[0] in expect for line in listed), result.stderr
        got = stored_articles(database_url)
        assert set(got) == set(expect), attempt
        for key, (status, reason) in expect.items():
            assert got[key][0] == status, (attempt, key, got[key])
            assert reason in got[key][1], (attempt, key, got[key])
            if status == "ok":
                assert got[key][2] >= 2, (attempt, key, got[key])      # the readable text was extracted
        if attempt == 1:
            first = got
    assert got == first                                                 # the second run changes nothing
    with db.session(database_url) as s:
        text_ = s.scalar(select(Article.cleaned_text).where(Article.article_key == "nul_after_4k"))
        assert "\x00" not in text_ and text_.endswith("Kết thúc báo cáo.")


def test_over_long_validators_and_an_extractor_bug_are_stored_per_article(database_url, tmp_path, web, monkeypatch):
    from pipeline import extract

    long_etag = '"' + "e" * 300 + '"'
    html = {"Content-Type": "text/html; charset=utf-8"}
    from http_fixtures import BODY_2, article, index_page

    web.site.add("/v/index.html", 200, html, index_page(["/v/long.html", "/v/bug.html"]).encode())
    web.site.add("/v/long.html", 200, {**html, "ETag": long_etag, "Last-Modified": "x" * 150},
                 article("Kết quả năm 2023", BODY_2).encode())
    web.site.add("/v/bug.html", 200, html, article("Bài lỗi", "Năm 2023 tỉnh có 777 mô hình mới.").encode())
    real = extract.find_quantities

    def buggy(analysis):
        if "777" in analysis.text:
            raise KeyError("a bug in an extractor")
        return real(analysis)

    monkeypatch.setattr(extract, "find_quantities", buggy)
    cfg = SourceConfig(key="v", kind="html_index", location=f"{web.base}/v/index.html", link_selector="h3.title a",
                       delay=0, retry_delays=(0.05,))
    db.upgrade(database_url)
    summary = ingest_source(cfg, database_url)
    assert summary.counts() == {"ok": 1, "failed": 1} and summary.partial
    with db.session(database_url) as s:
        rows = {a.article_key.rsplit("_", 1)[0]: a for a in s.scalars(select(Article))}
        assert rows["long"].status == "ok" and rows["long"].etag is None and rows["long"].last_modified is None
        assert rows["bug"].status == "failed" and rows["bug"].error == "KeyError: 'a bug in an extractor'"


# -- a dead source does not stop the next one -------------------------------------------------------------

def test_dead_sources_before_a_good_one(database_url, tmp_path):
    from http_fixtures import FixtureServer  # noqa: F401  (only to make sure the port below is not ours)
    from conftest import free_port

    good = tmp_path / "good"
    good.mkdir()
    (good / "a.txt").write_text(f"{TITLE}\n{sentence('75,1', '1.456.363')}", encoding="utf-8")
    dead_port = free_port()
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        "sources:\n"
        f"  - key: gone\n    kind: files\n    path: {tmp_path / 'gone'}\n"
        f"  - key: down\n    kind: html_index\n    url: http://127.0.0.1:{dead_port}/index.html\n"
        "    link_selector: 'a'\n    delay: 0\n    timeout: 2\n    retry_delays: [0.05]\n"
        f"  - key: good\n    kind: files\n    path: {good}\n", encoding="utf-8")
    result = run(sources, database_url)
    assert result.returncode == 3, result.stderr
    no_traceback(result)
    lines = [line for line in reported(result) if line.startswith("source ")]
    assert len(lines) == 2 and lines[0].startswith("source gone failed: source 'gone': folder not found")
    assert lines[1].startswith("source down failed: ")
    with db.session(database_url) as s:
        state = {src.key: (src.last_status, src.last_error) for src in s.scalars(select(Source))}
        assert state["good"] == ("ok", None)
        assert state["gone"][0] == "failed" and "folder not found" in state["gone"][1]
        assert state["down"][0] == "failed" and "ConnectError" in state["down"][1]
        assert s.scalar(text("SELECT COUNT(*) FROM facts_current WHERE source = 'good'")) >= 2


def test_the_flow_goes_on_past_dead_sources(prefect_harness, web, tmp_path, monkeypatch):
    from flows import ingest_flow

    good = tmp_path / "good"
    good.mkdir()
    (good / "a.txt").write_text(f"{TITLE}\n{sentence('75,1', '1.456.363')}", encoding="utf-8")
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        "sources:\n"
        f"  - key: gone\n    kind: files\n    path: {tmp_path / 'gone'}\n"
        f"  - key: missing-index\n    kind: html_index\n    url: {web.base}/no/such/index.html\n"
        "    link_selector: 'a'\n    delay: 0\n    retry_delays: [0.05]\n"
        f"  - key: good\n    kind: files\n    path: {good}\n", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'flow.db'}"
    monkeypatch.setenv("VNFACTS_TEST_FLOW_DB", url)        # the flow is given the variable's name, never the URL
    summary = ingest_flow(str(sources), "VNFACTS_TEST_FLOW_DB")
    assert set(summary.failed_sources) == {"gone", "missing-index"} and "HTTP 404" in summary.failed_sources["missing-index"]
    assert summary.counts() == {"ok": 1} and summary.partial


# -- a failed re-fetch keeps the last good version -------------------------------------------------------

def test_a_503_on_refetch_keeps_the_facts_current(database_url, tmp_path, web):
    from http_fixtures import BODY_2, article

    page = article("Kết quả Đề án 06 năm 2023", BODY_2).encode()
    html = {"Content-Type": "text/html; charset=utf-8"}
    web.site.add("/r/index.html", 200, html, b'<h3 class="title"><a href="/r/bai.html">a</a></h3>')
    web.site.add("/r/bai.html", 200, html, page)
    cfg = SourceConfig(key="r", kind="html_index", location=f"{web.base}/r/index.html", link_selector="h3.title a",
                       delay=0, retry_delays=(0.05,))
    db.upgrade(database_url)
    assert ingest_source(cfg, database_url).counts() == {"ok": 1}

    def current():
        with db.session(database_url) as s:
            return sorted(v for (v,) in s.execute(text("SELECT value FROM facts_current")))

    before = current()
    assert 48.5 in before
    web.site.add("/r/bai.html", 503, html, b"busy")
    summary = ingest_source(cfg, database_url)
    assert summary.counts() == {"failed": 1} and summary.partial       # reported …
    assert current() == before                                           # … but the facts stay current
    with db.session(database_url) as s:
        row = s.scalars(select(Article)).one()
        assert row.status == "ok" and row.error is None
        assert row.last_failure.startswith("failed: HTTP 503") and row.last_failure_at is not None
    web.site.add("/r/bai.html", 200, html, page)
    assert ingest_source(cfg, database_url).counts() == {"unchanged": 1}     # the same page again
    with db.session(database_url) as s:
        assert s.scalars(select(Article)).one().last_failure is None


# -- concurrency -----------------------------------------------------------------------------------------

PROVINCES = ["Hà Giang", "Hậu Giang", "Đồng Tháp", "Hải Dương", "Thái Bình", "Quảng Ninh", "Nghệ An", "Lào Cai"]


def reposts(folder: Path, pairs: int) -> None:
    """``pairs`` distinct reports in ``a/`` (a figure among sentences of random Vietnamese syllables, so
    no two share their wording), each also re-posted in ``b/`` with a credit in its headline and another site's
    punctuation: near-duplicates (the same body words), not copies (another text hash)."""
    import random

    import gazetteer

    vocabulary = sorted(gazetteer.syllables())
    (folder / "a").mkdir(parents=True)
    (folder / "b").mkdir()
    for i in range(pairs):
        rng = random.Random(i)
        p = PROVINCES[i % len(PROVINCES)]
        lines = [f"Báo cáo số {i} về Đề án 06 của tỉnh {p}",
                 f"Tỷ lệ hồ sơ giải quyết trực tuyến của tỉnh {p} đạt {rng.randint(10, 97)},{rng.randint(1, 9)}%."]
        lines += [" ".join(rng.choice(vocabulary) for _ in range(14)).capitalize() + ", "
                  + " ".join(rng.choice(vocabulary) for _ in range(6)) + "." for _ in range(12)]
        (folder / "a" / f"p{i:03d}.txt").write_text("\n".join(lines), encoding="utf-8")
        repost = "\n".join([lines[0] + " (theo TTXVN)", *lines[1:]]).replace(", ", "; ", 3)
        (folder / "b" / f"p{i:03d}.txt").write_text(repost, encoding="utf-8")


@pytest.mark.slow
def test_two_concurrent_runs_link_every_repost(database_url, tmp_path):
    from pipeline.clean import clean_text
    from pipeline.result import body_of
    from pipeline.simhash import distance, simhash
    from settings import thresholds

    folder = tmp_path / "reposts"
    pairs = 120
    reposts(folder, pairs)
    for i in range(pairs):                        # near-duplicates indeed: other texts, within the distance
        a, b = (body_of(clean_text((folder / x / f"p{i:03d}.txt").read_text(encoding="utf-8")).text) for x in "ab")
        assert a != b and distance(simhash(a), simhash(b)) <= thresholds.SIMHASH_MAX_DISTANCE, i
    # Two sites carry the same stories; their runs go at the same time, story by story.
    db.upgrade(database_url)
    procs = [subprocess.Popen([sys.executable, "-m", "cli.main", "run", "--no-prefect", "--sources",
                               str(files_source(tmp_path / f"{x}.yaml", folder / x, f"site-{x}")),
                               "--db", database_url], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for x in "ab"]
    for proc in procs:
        _, err = proc.communicate(timeout=1200)
        assert proc.returncode == 0, err[-3000:]
    with db.session(database_url) as s:
        assert s.scalar(select(func.count()).select_from(Article)) == 2 * pairs
        linked = s.execute(text("SELECT a.article_key, o.article_key, a.source_id <> o.source_id FROM articles a "
                                "JOIN articles o ON o.id = a.duplicate_of_id")).all()
        extracted = s.scalar(text("SELECT COUNT(DISTINCT article_id) FROM facts WHERE kind = 'percent'"))
    assert len(linked) == pairs                                          # every pair linked once …
    assert all(mine == theirs and across for mine, theirs, across in linked)   # … to its own twin
    assert extracted == pairs           # and extracted once: the report's percentage, in one copy of each pair


def test_two_concurrent_first_migrations(database_url):
    procs = [subprocess.Popen([sys.executable, "-m", "cli.main", "db", "upgrade", "--db", database_url], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        assert out.startswith("database at revision head")
    assert db.is_current(database_url)
    with db.session(database_url) as s:
        assert s.scalar(text("SELECT COUNT(*) FROM alembic_version")) == 1


# -- clean endings ---------------------------------------------------------------------------------------

def group_members(*groups: int) -> list[tuple[int, int, str]]:
    """(pid, pgid, command line) of every live process in the given process groups."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, IndexError):
            continue
        if fields[0] != "Z" and int(fields[2]) in groups:
            out.append((int(stat.parent.name), int(fields[2]), cmdline[:150]))
    return out


def children_of(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(c) for c in path.read_text().split()] if path.exists() else []


@pytest.mark.slow
def test_sigkill_of_a_prefect_run_leaves_no_process_behind(tmp_path):
    import signal
    import time

    from test_reliability import _many_articles

    folder = tmp_path / "many"
    _many_articles(folder, 60)
    sources = files_source(tmp_path / "sources.yaml", folder)
    url = f"sqlite:///{tmp_path / 'k.db'}"
    proc = subprocess.Popen([sys.executable, "-m", "cli.main", "run", "--sources", str(sources), "--db", url,
                             "--workers", "2"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        members: list = []
        for _ in range(1200):               # until the Prefect server and the process pool are up
            time.sleep(0.1)
            groups = {proc.pid, *children_of(proc.pid)}
            members = group_members(*groups)
            if any("uvicorn" in m[2] for m in members) and any("multiprocessing" in m[2] for m in members):
                break
            assert proc.poll() is None, proc.stderr.read()
        assert any("multiprocessing" in m[2] for m in members), members
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        for _ in range(300):
            left = group_members(*groups)
            if not left:
                break
            time.sleep(0.1)
        assert left == [], left
    finally:
        for pid, _, _ in group_members(*groups):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.slow
def test_a_prefect_run_ends_with_its_server_and_an_unreachable_database_is_one_line(tmp_path):
    import signal  # noqa: F401

    dead = vnfacts("run", "--db", "postgresql+psycopg://postgres@127.0.0.1:1/test", "--workers", "2")
    assert dead.returncode == 1
    assert dead.stderr.startswith("error: cannot open the database postgresql+psycopg://postgres@127.0.0.1:1/test")
    assert len(dead.stderr.strip().splitlines()) == 1, dead.stderr
    folder = tmp_path / "one"
    folder.mkdir()
    (folder / "a.txt").write_text(f"{TITLE}\n{sentence('75,1', '1.456.363')}", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "cli.main", "run", "--sources",
                             str(files_source(tmp_path / "s.yaml", folder)), "--db", f"sqlite:///{tmp_path / 'p.db'}"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    seen: set[int] = {proc.pid}
    while proc.poll() is None:
        seen.update(children_of(proc.pid))
        import time

        time.sleep(0.05)
    out, err = proc.communicate()
    assert proc.returncode == 0, err
    assert group_members(*seen) == []


def test_a_failure_vnfacts_reports_itself_is_not_also_a_prefect_traceback(prefect_harness, tmp_path, monkeypatch,
                                                                            capfd):
    from flows import run_flow
    from run import ingest

    def unreachable(*_args):
        raise db.StoreUnavailable("database postgresql://db: terminating connection due to administrator command")

    monkeypatch.setattr(ingest, "prepare_source", unreachable)
    monkeypatch.delenv("VNFACTS_DEBUG", raising=False)
    monkeypatch.setenv("VNFACTS_TEST_FLOW_DB", f"sqlite:///{tmp_path / 'f.db'}")
    with pytest.raises(db.StoreUnavailable):
        run_flow(str(ROOT / "corpus" / "sources.yaml"), "VNFACTS_TEST_FLOW_DB")
    out, err = capfd.readouterr()
    # (The shared test harness of Prefect logs noise of its own; what matters is the flow run's traceback.)
    assert "Encountered exception" not in err and "store.db.StoreUnavailable:" not in err, err


@pytest.mark.postgres
def test_the_final_summary_query_is_retried_through_a_terminated_connection(postgres_url):
    from store.read import facts_per_article_and_kind

    db.upgrade(postgres_url)
    calls: list[int] = []

    def summary(session):
        calls.append(1)
        if len(calls) == 1:           # the server ends this connection in the middle of the work
            session.execute(text("SELECT pg_terminate_backend(pg_backend_pid())"))
        return facts_per_article_and_kind(session)

    assert db.retrying(postgres_url, summary) == [] and len(calls) == 2

    def always(session):
        session.execute(text("SELECT pg_terminate_backend(pg_backend_pid())"))

    with pytest.raises(db.StoreUnavailable, match="terminating connection"):
        db.retrying(postgres_url, always)
