"""The reviewer app in a real browser: Playwright driving Debian's Chromium against 127.0.0.1."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import LiveServer
from sqlalchemy import select, text

import extractors
from run.ingest import ingest_source
from pipeline.sources import SourceConfig
from store import db
from store.models import Article, Fact, Review

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "artifacts" / "screenshots"
HOSTILE = ("Bài có mã độc <script>window.__pwned = 1; alert('x')</script> và ảnh "
           "<img src=x onerror=\"window.__pwned = 2\">. Toàn tỉnh cấp 120 thẻ căn cước.")

if not Path(CHROMIUM).exists() and os.environ.get("VNFACTS_REQUIRE_BROWSER") == "1":
    raise RuntimeError("VNFACTS_REQUIRE_BROWSER=1 but Debian's chromium is not installed (make browser)")
pytestmark = [pytest.mark.slow, pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed")]


@pytest.fixture
def live_app(tmp_path):
    from store.accounts import add_user
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


# -- issue 17: from a fact list to a gold set -------------------------------------------------------------

SELECT_SPAN = """([start, end]) => {
  // Select characters start..end of the cleaned text in the page, as a reviewer's mouse would.
  const paras = Array.from(document.querySelectorAll('article.text p[data-offset]'));
  const para = paras.filter((p) => Number(p.dataset.offset) <= start).pop();
  const walker = document.createTreeWalker(para, NodeFilter.SHOW_TEXT);
  let at = Number(para.dataset.offset), range = document.createRange(), node;
  while ((node = walker.nextNode())) {
    const len = node.textContent.length;
    if (at <= start && start <= at + len) range.setStart(node, start - at);
    if (at <= end && end <= at + len) { range.setEnd(node, end - at); break; }
    at += len;
  }
  const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
  document.getElementById('text').dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
  return sel.toString();
}"""


def in_viewport(page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    size = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + min(box["height"], 40) <= size["height"] \
        and box["x"] >= 0 and box["x"] < size["width"]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cli.main", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=300)


def test_add_a_missed_fact_bulk_decide_mark_reviewed_and_export_gold(live_app, browser, tmp_path):
    import json

    import regex

    url, base = live_app
    with db.session(url) as s:
        article = s.scalars(select(Article).where(Article.article_key == "000_347ef5340c29b66c")).one()
        facts = s.scalars(select(Fact).where(Fact.article_id == article.id).order_by(Fact.value_start)).all()
        other = s.scalars(select(Article).where(Article.article_key == "003_8ce00a1f2a2d9f91")).one()
    free = next(m for m in regex.finditer(r"\d+", article.cleaned_text)
                if all(m.end() <= f.value_start or m.start() >= f.value_end for f in facts))
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, base, "lan", "reviewer-pass")
    page.goto(f"{base}/articles/{article.id}")

    # Add the number the extractor missed: select it in the text, the form gets its offsets.
    assert page.evaluate(SELECT_SPAN, [free.start(), free.end()]) == free.group()
    assert page.locator("#add").get_attribute("open") is not None
    assert page.input_value("#add input[name=start]") == str(free.start())
    assert float(page.input_value("#add input[name=value]")) == int(free.group())
    page.select_option("#add select[name=kind]", "count")
    page.fill("#add input[name=unit]", "lần")
    page.locator("#add button.save").click()
    page.wait_for_load_state()
    added = page.locator("section.fact.status-added")
    assert added.count() == 1 and page.locator("article.text mark.added").inner_text() == free.group()

    # Marking is refused while facts are pending.
    page.locator("#mark button").click()
    page.wait_for_load_state()
    assert "still pending" in page.locator("#page-error").inner_text()

    # Reject a selection (the second fact), then accept every pending fact looked at (j through all).
    page.locator(f"#f{facts[1].id} input[name=fact]").check()
    page.locator("#reject-selected").click()
    page.wait_for_load_state()
    assert page.locator(".confirm-list li").count() == 1
    page.locator("#confirm").click()
    page.wait_for_url(f"{base}/articles/{article.id}")
    for _ in facts:
        page.keyboard.press("j")
    page.locator("#accept-seen").click()
    page.wait_for_load_state()
    assert page.locator(".confirm-list li").count() == len(facts) - 1
    page.locator("#confirm").click()
    page.wait_for_url(f"{base}/articles/{article.id}")
    assert page.locator("section.fact.status-pending").count() == 0
    page.locator("#mark button").click()
    page.wait_for_load_state()
    assert "Marked reviewed by lan" in page.locator("#mark").inner_text()

    # Another article has a decision but no mark: it stays out of gold.
    page.goto(f"{base}/articles/{other.id}")
    page.locator("section.fact form.decide button.accept").first.click()
    page.wait_for_load_state()

    out = tmp_path / "gold-out"
    done = run_cli("gold", "export", "--out", str(out), "--db", url)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (out / "gold").iterdir()) == ["000_347ef5340c29b66c.json"]
    gold = json.loads((out / "gold" / "000_347ef5340c29b66c.json").read_text(encoding="utf-8"))
    assert len(gold["facts"]) == len(facts)                          # one rejected, one added
    assert any(f["value"] == int(free.group()) and f.get("unit") == "lần" for f in gold["facts"])
    scored = run_cli("eval", "--gold", str(out / "gold"), str(out / "texts"))
    assert scored.returncode == 0, scored.stderr
    # The extractor missed the added fact: one false negative, and the rejected fact is a false positive.
    assert regex.search(r"\(tp \d+ fp 1 fn 1\)", scored.stdout), scored.stdout


def test_list_pages_sorts_and_filters(live_app, browser):
    from list_seed import seed_copies

    url, base = live_app
    seed_copies(url, 160)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, base, "lan", "reviewer-pass")
    assert "160 articles · page 1 of 4 · 50 a page" in page.locator("#total").inner_text()
    first = page.locator("tbody tr").evaluate_all("rows => rows.map(r => r.dataset.article)")
    page.locator(".pager a", has_text="3").first.click()
    page.wait_for_load_state()
    assert page.locator(".pager .current").inner_text() == "3"
    third = page.locator("tbody tr").evaluate_all("rows => rows.map(r => r.dataset.article)")
    assert len(third) == 50 and not set(third) & set(first)
    page.locator(".pager a[rel=next]").click()                       # keyset: after the last row of page 3
    page.wait_for_load_state()
    fourth = page.locator("tbody tr").evaluate_all("rows => rows.map(r => r.dataset.article)")
    assert "after=" in page.url and len(fourth) == 10 and not set(fourth) & set(third)

    page.goto(f"{base}/articles")
    page.select_option("select[name=sort]", "pending")
    page.select_option("select[name=source]", "bulk")
    page.locator(".filters button").click()
    page.wait_for_load_state()
    pending = [int(t) for t in page.locator("tbody td.pending").all_inner_texts()]
    assert pending == sorted(pending, reverse=True) and len(pending) == 50
    assert set(page.locator("tbody td[data-label=Source]").all_inner_texts()) == {"bulk"}
    page.goto(f"{base}/articles?sort=province&province=current:08")
    provinces = set(page.locator("tbody td.province").all_inner_texts())
    assert provinces and provinces <= {"Hà Giang → Tuyên Quang", "Tuyên Quang"}
    assert page.locator("select[name=province] option[value='legacy:02']").inner_text().strip() == \
        "Hà Giang (before 2025) → Tuyên Quang"

    # Mobile width: nothing overflows sideways.
    with db.session(url) as s:
        keyed = s.scalars(select(Article.id).where(Article.article_key == "000_347ef5340c29b66c")).one()
    for path in ("/articles", f"/articles/{first[0]}", f"/articles/{keyed}", "/admin/users"):
        narrow = browser.new_page(viewport={"width": 390, "height": 844})
        narrow.context.add_cookies(page.context.cookies())
        narrow.goto(f"{base}{path}")
        assert narrow.evaluate("document.documentElement.scrollWidth") <= 390, path
        if path == f"/articles/{keyed}":
            # On a phone a fact is the first thing below the headline, not the text or the keyboard hints.
            assert in_viewport(narrow, "section.fact >> nth=0"), narrow.locator("section.fact").first.bounding_box()
            assert not narrow.locator(".keys").is_visible()
        narrow.close()


def test_sticky_panel_current_fact_in_both_panes_and_keys(live_app, browser):
    url, base = live_app
    with db.session(url) as s:
        article = s.scalars(select(Article).where(Article.article_key == "004_55d2a3152ed71c97")).one()
        facts = s.scalars(select(Fact).where(Fact.article_id == article.id).order_by(Fact.value_start)).all()
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    sign_in(page, base, "lan", "reviewer-pass")
    page.goto(f"{base}/articles/{article.id}")
    last = facts[-1]
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    assert page.evaluate("window.scrollY") > 800                      # a long article, scrolled far down
    page.locator(f"#m{last.id}").click()
    assert "current" in page.locator(f"#f{last.id}").get_attribute("class")
    assert "current" in page.locator(f"#m{last.id}").get_attribute("class")
    assert in_viewport(page, f"#f{last.id}"), page.locator(f"#f{last.id}").bounding_box()
    # j from the last-but-one: the text scrolls to the number and the card stays in view.
    page.evaluate("window.scrollTo(0, 0)")
    page.keyboard.press("k")
    previous = facts[-2]
    assert "current" in page.locator(f"#m{previous.id}").get_attribute("class")
    assert in_viewport(page, f"#m{previous.id}") and in_viewport(page, f"#f{previous.id}")
    assert page.locator("#m" + str(last.id)).get_attribute("class").count("current") == 0


def test_a_refused_edit_keeps_the_typed_values_with_errors_beside_the_fields(live_app, browser):
    url, base = live_app
    with db.session(url) as s:
        fact = s.scalars(select(Fact).order_by(Fact.id)).first()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, base, "lan", "reviewer-pass")
    page.goto(f"{base}/articles/{fact.article_id}")
    page.locator(f"#f{fact.id} details.edit summary").click()
    page.fill(f"#f{fact.id} details.edit input[name=value]", "bốn mươi")
    page.fill(f"#f{fact.id} details.edit input[name=period]", "mid-2024")
    page.fill(f"#f{fact.id} details.edit input[name=unit]", "hồ sơ mới")
    response = None
    with page.expect_response(lambda r: r.request.method == "POST") as info:
        page.locator(f"#f{fact.id} details.edit button.save").click()
    response = info.value
    assert response.status == 422
    page.wait_for_load_state()
    assert "error" not in page.url and "?" not in page.url
    form = f"#f{fact.id} details.edit"
    assert page.locator(form).get_attribute("open") is not None
    assert page.input_value(f"{form} input[name=value]") == "bốn mươi"
    assert page.input_value(f"{form} input[name=period]") == "mid-2024"
    assert page.input_value(f"{form} input[name=unit]") == "hồ sơ mới"
    errors = page.locator(f"{form} .field-error").all_inner_texts()
    assert len(errors) == 2 and any("value" in e for e in errors) and any("period" in e for e in errors)
    with db.session(url) as s:
        assert s.scalar(text("SELECT COUNT(*) FROM reviews")) == 0


def test_a_disabled_users_session_is_refused_and_admin_pages_manage_accounts(live_app, browser):
    url, base = live_app
    reviewer = browser.new_page()
    sign_in(reviewer, base, "lan", "reviewer-pass")
    refused = reviewer.goto(f"{base}/admin/users")
    assert refused.status == 403 and reviewer.locator("header.top nav").count() == 1     # inside the layout
    missing = reviewer.goto(f"{base}/no/such/page")
    assert missing.status == 404 and reviewer.locator("header.top nav a", has_text="Articles").count() == 1
    admin = browser.new_page()
    sign_in(admin, base, "boss", "admin-pass-1")
    admin.goto(f"{base}/admin/users")
    admin.locator("tr[data-user=lan] button", has_text="Disable").click()
    admin.wait_for_load_state()
    assert admin.locator("tr[data-user=lan] td[data-label=Active]").inner_text() == "no"
    reviewer.goto(f"{base}/articles")
    assert "/login" in reviewer.url
    admin.fill("form[action='/admin/tokens/add'] input[name=name]", "dashboard")
    admin.locator("form[action='/admin/tokens/add'] button").click()
    admin.wait_for_load_state()
    token = admin.locator("#new-token").inner_text()
    assert admin.request.get(f"{base}/api/facts", headers={"Authorization": f"Bearer {token}"}).status == 200
    admin.locator("tr[data-token=dashboard] button", has_text="Revoke").click()
    admin.wait_for_load_state()
    assert admin.request.get(f"{base}/api/facts", headers={"Authorization": f"Bearer {token}"}).status == 401


def test_api_docs_render_offline_under_the_csp(live_app, browser):
    url, base = live_app
    page = browser.new_page()
    blocked, outside = [], []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(base) else None)
    response = page.goto(f"{base}/api/docs")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector(".opblock", timeout=20000)
    operations = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/facts" in o for o in operations), operations
    assert blocked == [] and outside == []
    shot(page, "api-docs")


def test_the_list_and_an_article_fit_desktop_and_phone_width(live_app, browser):
    """At both widths the page does not scroll sideways, the list shows its rows and its total, and
    ``j`` makes the article's first fact current and shows it in the text (and its card in the panel
    beside it, at desktop width). The screenshots are kept in artifacts/ for a person to look at."""
    from list_seed import seed_copies

    url, base = live_app
    seed_copies(url, 120)
    with db.session(url) as s:
        article = s.scalars(select(Article).where(Article.article_key == "000_347ef5340c29b66c")).one()
        first = s.scalars(select(Fact).where(Fact.article_id == article.id).order_by(Fact.value_start)).first()
    sideways = "document.documentElement.scrollWidth - window.innerWidth"
    for width, height in ((1280, 900), (390, 844)):
        page = browser.new_page(viewport={"width": width, "height": height})
        sign_in(page, base, "lan", "reviewer-pass")
        assert page.locator("tbody tr").count() == 50 and "120 articles" in page.locator("#total").inner_text()
        assert page.evaluate(sideways) <= 0, (width, page.evaluate(sideways))
        shot(page, f"list-{width}")
        page.goto(f"{base}/articles/{article.id}")
        page.keyboard.press("j")
        assert "current" in page.locator(f"#m{first.id}").get_attribute("class")
        assert "current" in page.locator(f"#f{first.id}").get_attribute("class")
        assert in_viewport(page, f"#m{first.id}")
        if width > 800:        # (on a phone the panel stands below the text: the card is not beside the number)
            assert in_viewport(page, f"#f{first.id}"), page.locator(f"#f{first.id}").bounding_box()
        assert page.evaluate(sideways) <= 0, (width, page.evaluate(sideways))
        page.screenshot(path=str(ARTIFACTS / f"article-{width}.png"))
        shot(page, f"article-{width}-full")
        page.close()


def test_failed_article_history_times_favicon_and_the_concept_select(live_app, browser, tmp_path):
    url, base = live_app
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "bad.txt").write_bytes(b"\x00\x01\x02\xff" * 200)
    english = ("The provincial police said that <b>1,200</b> identity cards were issued in March and the number "
               "of electronic accounts rose by 15 percent compared with the same period last year, while 40 "
               "officers took part in the campaign across the districts of the province this week.\n"
               "Officials expect another 3,000 applications before the end of the quarter.")
    (broken / "english.txt").write_text(english, encoding="utf-8")
    ingest_source(SourceConfig(key="broken", kind="files", location=str(broken)), url)
    with db.session(url) as s:
        failed = s.scalars(select(Article).where(Article.article_key == "bad")).one()
        foreign = s.scalars(select(Article).where(Article.article_key == "english")).one()
        fact = s.scalars(select(Fact).order_by(Fact.id)).first()
    assert failed.status != "ok" and failed.error
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, base, "lan", "reviewer-pass")
    page.goto(f"{base}/articles/{failed.id}")
    box = page.locator(".failed-article")
    assert failed.status in box.inner_text() and failed.error in box.inner_text()
    assert page.locator("article.text").count() == 0 and page.locator("#no-text").is_visible()
    # A quarantined foreign article shows what the cleaner left (escaped) and the language guess.
    page.goto(f"{base}/articles/{foreign.id}")
    assert "not Vietnamese" in page.locator(".failed-article").inner_text()
    assert page.locator("#language").inner_text() == f"language other ({foreign.vietnamese_share:.0%} Vietnamese syllables)"
    shown = page.locator("#cleaned-text p").all_inner_texts()
    assert shown == english.split("\n") and page.locator("#cleaned-text b").count() == 0
    favicon = page.request.get(f"{base}/favicon.ico")
    assert favicon.status == 200 and favicon.headers["content-type"].startswith("image/svg+xml")
    assert page.locator("link[rel=icon]").get_attribute("href") == "/static/favicon.svg"

    page.goto(f"{base}/articles/{fact.article_id}")
    page.locator(f"#f{fact.id} form.decide button.accept").click()
    page.wait_for_load_state()
    page.locator(f"#f{fact.id} details.history summary").click()
    stamp = page.locator(f"#f{fact.id} details.history time").first
    assert stamp.inner_text().endswith(" UTC") and stamp.get_attribute("datetime").endswith("+00:00")
    # The concept select shows its longest option whole inside the card.
    page.locator(f"#f{fact.id} details.edit summary").click()
    select_ = page.locator(f"#f{fact.id} details.edit select[name=concept]")
    widest = select_.evaluate("el => { const c = document.createElement('canvas').getContext('2d');"
                              " c.font = getComputedStyle(el).font;"
                              " return Math.max(...Array.from(el.options).map(o => c.measureText(o.text).width)); }")
    card = page.locator(f"#f{fact.id}").bounding_box()
    box = select_.bounding_box()
    assert box["width"] >= widest and box["x"] + box["width"] <= card["x"] + card["width"]
    shot(page, "edit-open")
