"""Sources, fetching and cleaning against a real HTTP server on 127.0.0.1 serving fixture pages."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from pipeline.fetch_web import list_web_refs
from run.ingest import ingest_source
from pipeline.sources import load_sources
from store import db
from store.models import Article
from store.read import facts_current


def write_sources(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text("sources:\n" + body, encoding="utf-8")
    return path


def source(tmp_path: Path, body: str):
    (cfg,) = load_sources(write_sources(tmp_path, body))
    return cfg


def articles(url: str) -> dict[str, Article]:
    with db.session(url) as s:
        return {a.url or a.article_key: a for a in s.scalars(select(Article))}


def test_html_index_with_pagination_include_filter_and_robots(web, tmp_path):
    cfg = source(tmp_path, f"""  - key: tin
    kind: html_index
    url: {web.base}/tin-tuc/index.html
    link_selector: "h3.title a"
    next_selector: "a.next"
    max_pages: 3
    include: ["/tin-tuc/"]
    delay: 0
""")
    urls = [r.location for r in list_web_refs(cfg)]
    assert urls == [f"{web.base}/tin-tuc/bai-{n}.html" for n in (1, 2, 3)]     # deduplicated, in page order


@pytest.mark.parametrize("kind, path, expected", [
    ("rss", "/rss.xml", ["bai-1", "bai-2"]),
    ("rss", "/atom.xml", ["bai-3"]),
    ("sitemap", "/sitemap.xml", ["bai-2", "bai-3"]),
])
def test_feeds_and_sitemaps_list_their_articles(web, tmp_path, kind, path, expected):
    cfg = source(tmp_path, f"  - {{key: feed, kind: {kind}, url: '{web.base}{path}', delay: 0}}\n")
    assert [r.location.rsplit("/", 1)[1].removesuffix(".html") for r in list_web_refs(cfg)] == expected


def test_ingest_cleans_boilerplate_and_reruns_with_conditional_requests(web, tmp_path):
    cfg = source(tmp_path, f"""  - key: tin
    kind: html_index
    url: {web.base}/tin-tuc/index.html
    link_selector: "h3.title a"
    next_selector: "a.next"
    max_pages: 2
    include: ["/tin-tuc/"]
    province: Hà Giang
    delay: 0
    clean:
      remove_selectors: [".related", ".share"]
""")
    url = f"sqlite:///{tmp_path / 'web.db'}"
    db.upgrade(url)
    assert ingest_source(cfg, url).counts() == {"ok": 3}
    stored = articles(url)
    first = stored[f"{web.base}/tin-tuc/bai-1.html"]
    assert "Tin liên quan" not in first.cleaned_text and "Chia sẻ" not in first.cleaned_text
    assert "Bản quyền" not in first.cleaned_text and "Trang chủ" not in first.cleaned_text
    assert first.etag == web.site.etag and first.raw_content and len(first.raw_hash) == 64
    assert first.province_current_code == "08"
    assert "Chữ ký số năm 2023" in stored[f"{web.base}/tin-tuc/bai-3.html"].cleaned_text   # cp1258 served as utf-8
    with db.session(url) as s:
        values = {r["value"] for r in facts_current(s)}
    assert {75.1, 180000, 48.5, 25000} <= values and 999 not in values
    before = web.site.hits.get("/tin-tuc/bai-1.html")
    assert ingest_source(cfg, url).counts() == {"unchanged": 3}
    assert web.site.hits["/tin-tuc/bai-1.html"] == before + 1
    conditional = [h for _, path, h in web.site.log if path == "/tin-tuc/bai-1.html"][-1]
    assert conditional.get("If-None-Match") == web.site.etag


def test_faults_are_stored_with_their_reason_and_retried_next_run(web, tmp_path):
    links = ["/slow.html", "/error500.html", "/flaky.html", "/loop-a.html", "/huge.html", "/en.html",
             "/private/bai-an.html", "/tin-tuc/tcvn3.html", "/missing.html"]
    web.site.add("/faults/index.html", 200, {"Content-Type": "text/html; charset=utf-8"},
                 "".join(f'<h3 class="title"><a href="{link}">x</a></h3>' for link in links).encode())
    cfg = source(tmp_path, f"""  - key: faults
    kind: html_index
    url: {web.base}/faults/index.html
    link_selector: "h3.title a"
    delay: 0
    timeout: 1
    retry_delays: [0.1, 0.1]
""")
    url = f"sqlite:///{tmp_path / 'faults.db'}"
    db.upgrade(url)
    ingest_source(cfg, url)
    got = {path: (a.status, a.error) for path, a in
           ((u.replace(web.base, ""), a) for u, a in articles(url).items())}
    by_key = {a.article_key: a for a in articles(url).values()}
    status = {k.rsplit("_", 1)[0]: (a.status, a.error or "") for k, a in by_key.items()}
    assert status["slow"][0] == "failed" and "timed out" in status["slow"][1]
    assert status["error500"][0] == "failed" and "HTTP 500" in status["error500"][1] and "3 attempts" in status["error500"][1]
    assert web.site.hits["/error500.html"] == 3
    assert status["flaky"][0] == "ok"                                   # 503 twice, then served
    assert status["loop-a"][0] == "quarantined" and "redirects" in status["loop-a"][1]
    assert status["huge"][0] == "quarantined" and "too large" in status["huge"][1]
    assert status["en"][0] == "quarantined" and "not Vietnamese" in status["en"][1]
    assert status["bai-an"][0] == "quarantined" and "robots.txt" in status["bai-an"][1]
    assert status["missing"][0] == "failed" and "HTTP 404" in status["missing"][1]
    assert status["tcvn3"][0] == "ok" and "Chữ ký số" in by_key[next(k for k in by_key if k.startswith("tcvn3"))].cleaned_text
    assert got  # every listed page is stored, whatever happened to it

    web.site.add("/error500.html", 200, {"Content-Type": "text/html; charset=utf-8"},
                 "<html><body><p>Năm 2023 tỉnh cấp 1.200 thẻ căn cước công dân cho người dân.</p></body></html>".encode())
    ingest_source(cfg, url)
    again = {a.article_key.rsplit("_", 1)[0]: a.status for a in articles(url).values()}
    assert again["error500"] == "ok"


def test_requests_to_one_host_keep_the_politeness_delay(web, tmp_path):
    cfg = source(tmp_path, f"""  - key: polite
    kind: rss
    url: {web.base}/rss.xml
    delay: 0.4
""")
    url = f"sqlite:///{tmp_path / 'p.db'}"
    db.upgrade(url)
    ingest_source(cfg, url)
    times = [t for t, path, _ in web.site.log if path != "/robots.txt"]
    assert len(times) == 3
    assert all(b - a >= 0.38 for a, b in zip(times, times[1:]))


def test_near_duplicates_are_linked_not_extracted_twice(web, tmp_path):
    from http_fixtures import BODY_1, article

    web.site.add("/copy.html", 200, {"Content-Type": "text/html; charset=utf-8"},
                 article("Đăng lại: Sơ kết Đề án 06 của tỉnh", BODY_1).encode())   # same body, new headline
    cfg = source(tmp_path, f"""  - key: dup
    kind: sitemap
    url: {web.base}/dup-sitemap.xml
    delay: 0
""")
    web.site.add("/dup-sitemap.xml", 200, {"Content-Type": "application/xml"},
                 (f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{web.base}/tin-tuc/bai-1.html'
                  f'</loc></url><url><loc>{web.base}/copy.html</loc></url></urlset>').encode())
    url = f"sqlite:///{tmp_path / 'd.db'}"
    db.upgrade(url)
    assert sorted(w.status for w in ingest_source(cfg, url).written) == ["duplicate", "ok"]


def test_a_new_source_is_previewed_then_ingested_with_no_code_change(web, tmp_path):
    import subprocess
    import sys

    sources = write_sources(tmp_path, f"""  - key: new-portal
    kind: html_index
    url: {web.base}/tin-tuc/index.html
    link_selector: "h3.title a"
    include: ["/tin-tuc/"]
    delay: 0
""")
    run = lambda *a: subprocess.run([sys.executable, "-m", "cli.main", *a], capture_output=True, text=True,
                                    timeout=300, cwd=Path(__file__).resolve().parents[1])
    url = f"sqlite:///{tmp_path / 'n.db'}"
    check = run("sources", "check", str(sources))
    assert check.returncode == 0 and "ok   new-portal" in check.stdout
    preview = run("sources", "preview", "new-portal", "--sources", str(sources), "--limit", "1", "--format", "json")
    items = json.loads(preview.stdout)
    assert items[0]["status"] == "ok" and any(f["value"] == 75.1 for f in items[0]["facts"])
    assert not (tmp_path / "n.db").exists()                          # preview writes nothing
    ingest = run("run", "--sources", str(sources), "--db", url, "--no-prefect")
    assert ingest.returncode == 0, ingest.stderr
    assert len(articles(url)) == 2


def test_reprocess_cleans_again_from_stored_raw_content_without_fetching(web, tmp_path):
    """A new cleaning rule applies to stored pages with no request to the site."""
    from run.ingest import reprocess

    entry = f"  - key: tin\n    kind: rss\n    url: {web.base}/rss.xml\n    delay: 0\n"
    cfg = source(tmp_path, entry)
    url = f"sqlite:///{tmp_path / 'r.db'}"
    db.upgrade(url)
    ingest_source(cfg, url)
    with db.session(url) as s:
        before = {r["value"] for r in facts_current(s)}
    assert 48.5 in before
    requests = len(web.site.log)
    rules = load_sources(write_sources(tmp_path, entry + '    clean:\n      replace: {"48,5%": "48,6%"}\n'))
    summary = reprocess(url, "tin", {c.key: c for c in rules})
    assert summary.counts() == {"ok": 2} and len(web.site.log) == requests
    with db.session(url) as s:
        after = {r["value"] for r in facts_current(s)}
    assert 48.6 in after and 48.5 not in after
