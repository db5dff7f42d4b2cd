"""The reviewer app in a real browser: Playwright driving Debian's Chromium against 127.0.0.1."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import LiveServer
from sqlalchemy import select, text

import extractors
from pipeline.ingest import ingest_source
from pipeline.sources import SourceConfig
from pipeline.store import db
from pipeline.store.models import Article, Fact, Review

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "artifacts" / "screenshots"
HOSTILE = ("Bài có mã độc <script>window.__pwned = 1; alert('x')</script> và ảnh "
           "<img src=x onerror=\"window.__pwned = 2\">. Toàn tỉnh cấp 120 thẻ căn cước.")

if not Path(CHROMIUM).exists() and os.environ.get("VNFACTS_REQUIRE_BROWSER") == "1":
    raise RuntimeError("VNFACTS_REQUIRE_BROWSER=1 but Debian's chromium is not installed (make browser)")
pytestmark = [pytest.mark.slow, pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed")]


@pytest.fixture
def live_app(tmp_path):
    from web.accounts import add_user
    from web.app import create_app

    url = f"sqlite:///{tmp_path / 'app.db'}"
    db.upgrade(url)
    seeds = ROOT / "corpus" / "seeds"
    ingest_source(SourceConfig(key="seeds", kind="files", location=str(seeds)), url)
    hostile = tmp_path / "hostile"
    hostile.mkdir()
    (hostile / "zz_hostile.txt").write_text(HOSTILE, encoding="utf-8")
    ingest_source(SourceConfig(key="hostile", kind="files", location=str(hostile)), url)
    with db.session(url) as s:
        add_user(s, "lan", "reviewer", "reviewer-pass")
        add_user(s, "boss", "admin", "admin-pass-1")
        s.commit()
    with LiveServer(create_app(url)) as server:
        yield url, server.base


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--no-first-run", "--disable-sync", "--disable-quic"])
        yield b
        b.close()


def sign_in(page, base: str, name: str, password: str) -> None:
    page.goto(f"{base}/articles")
    assert "/login" in page.url
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/articles")


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_review_a_seed_article_end_to_end(live_app, browser, monkeypatch):
    url, base = live_app
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{base}/login")
    shot(page, "login")
    sign_in(page, base, "lan", "reviewer-pass")
    shot(page, "articles")
    with db.session(url) as s:
        article = s.scalars(select(Article).where(Article.article_key == "000_347ef5340c29b66c")).one()
        facts = s.scalars(select(Fact).where(Fact.article_id == article.id).order_by(Fact.value_start)).all()
    page.goto(f"{base}/articles/{article.id}")
    marks = page.locator("article.text mark")
    assert marks.count() == len(facts) == 14
    assert marks.first.inner_text() == "43" and "kind-count" in marks.first.get_attribute("class")
    shot(page, "article")

    first, second, third = facts[0], facts[1], facts[2]
    page.locator(f"#f{first.id} form.decide button.accept").click()
    page.wait_for_load_state()
    page.locator(f"#f{second.id} details.edit summary").click()
    page.fill(f"#f{second.id} details.edit input[name=value]", "32")
    page.select_option(f"#f{second.id} details.edit select[name=qualifier]", "approx")
    page.locator(f"#f{second.id} details.edit button.save").click()
    page.wait_for_load_state()
    page.locator(f"#f{third.id} form.decide button.reject").click()
    page.wait_for_load_state()
    assert "status-accepted" in page.locator(f"#m{first.id}").get_attribute("class")
    assert "status-rejected" in page.locator(f"#m{third.id}").get_attribute("class")
    shot(page, "article-reviewed")

    def view() -> dict[int, dict]:
        with db.session(url) as s:
            return {r["value_start"]: dict(r) for r in s.execute(text(
                "SELECT * FROM facts_current WHERE article_id = :a"), {"a": article.id}).mappings()}

    def check_decisions() -> None:
        rows = view()
        assert rows[first.value_start]["review_status"] == "accepted"
        assert (rows[second.value_start]["value"], rows[second.value_start]["qualifier"],
                rows[second.value_start]["review_status"]) == (32.0, "approx", "edited")
        assert third.value_start not in rows
        assert len(rows) == len(facts) - 1

    check_decisions()
    with db.session(url) as s:
        actions = [(r.action, r.reviewer) for r in s.scalars(select(Review).order_by(Review.id))]
    assert actions == [("accept", "lan"), ("edit", "lan"), ("reject", "lan")]

    # The pipeline runs again with a new extractor version: every decision is still in force.
    monkeypatch.setattr(extractors, "EXTRACTOR_VERSION", extractors.EXTRACTOR_VERSION + "-rerun")
    ingest_source(SourceConfig(key="seeds", kind="files", location=str(ROOT / "corpus" / "seeds")), url)
    assert {r["extractor_version"] for r in view().values()} == {extractors.EXTRACTOR_VERSION}
    check_decisions()
    assert dialogs == []


def test_reviewers_cannot_reach_admin_pages_and_forms_need_the_csrf_token(live_app, browser):
    url, base = live_app
    page = browser.new_page()
    sign_in(page, base, "lan", "reviewer-pass")
    response = page.goto(f"{base}/admin/users")
    assert response.status == 403
    with db.session(url) as s:
        fact_id = s.scalars(select(Fact.id).order_by(Fact.id)).first()
    forged = page.request.post(f"{base}/facts/{fact_id}/review", form={"action": "reject", "expected": "0"})
    assert forged.status == 403
    wrong = page.request.post(f"{base}/facts/{fact_id}/review", form={"action": "reject", "csrf": "guess"})
    assert wrong.status == 403
    with db.session(url) as s:
        assert s.scalar(text("SELECT COUNT(*) FROM reviews")) == 0
    assert page.goto(f"{base}/admin/sources").status == 403
    admin = browser.new_page()
    sign_in(admin, base, "boss", "admin-pass-1")
    assert admin.goto(f"{base}/admin/users").status == 200
    shot(admin, "users")
    assert admin.goto(f"{base}/admin/sources").status == 200
    keys = admin.locator("table.list").first.locator("tbody tr td:first-child").all_inner_texts()
    assert sorted(keys) == ["hostile", "seeds"]
    shot(admin, "sources")


def test_third_party_text_is_escaped_and_runs_nothing(live_app, browser):
    url, base = live_app
    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    sign_in(page, base, "lan", "reviewer-pass")
    with db.session(url) as s:
        article_id = s.scalars(select(Article.id).where(Article.article_key == "zz_hostile")).one()
    page.goto(f"{base}/articles/{article_id}")
    page.wait_for_timeout(300)
    assert dialogs == []
    assert page.evaluate("window.__pwned === undefined")
    assert page.locator("article.text script").count() == 0 and page.locator("article.text img").count() == 0
    assert "<script>window.__pwned = 1; alert('x')</script>" in page.locator("article.text").inner_text()
    assert page.locator("article.text mark").count() == 1


def test_the_pages_work_with_javascript_disabled_and_keys_work_with_it(live_app, browser):
    url, base = live_app
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, base, "lan", "reviewer-pass")
    with db.session(url) as s:
        article = s.scalars(select(Article).where(Article.article_key == "003_8ce00a1f2a2d9f91")).one()
        fact = s.scalars(select(Fact).where(Fact.article_id == article.id).order_by(Fact.value_start)).first()
    page.goto(f"{base}/articles/{article.id}")
    page.locator(f"#f{fact.id} form.decide button.accept").click()
    page.wait_for_load_state()
    assert page.locator(f"#f{fact.id} .badge").inner_text() == "accepted"
    context.close()

    page = browser.new_page()
    sign_in(page, base, "lan", "reviewer-pass")
    page.goto(f"{base}/articles/{article.id}")
    page.keyboard.press("j")
    page.keyboard.press("j")
    with page.expect_navigation():
        page.keyboard.press("r")
    with db.session(url) as s:
        assert [r.action for r in s.scalars(select(Review).order_by(Review.id))] == ["accept", "reject"]
