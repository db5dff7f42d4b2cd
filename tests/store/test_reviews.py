"""Accounts, review decisions, conflicts, orphans and gold export, on SQLite and PostgreSQL."""
from __future__ import annotations

from web.edits import addition_values, validate_edits
from web.throttle import SignInThrottle

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import delete, select, text, update

import extractors
from pipeline.errors import ConfigError
from run.ingest import ingest_source
from pipeline.sources import SourceConfig
from store import db
from store.models import Article, Fact, Review, User
from store import accounts, reviews

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def seeded(database_url):
    db.upgrade(database_url)
    ingest_source(SourceConfig(key="seeds", kind="files", location=str(ROOT / "corpus" / "seeds")), database_url)
    return database_url


def first_facts(url: str, key: str = "000_347ef5340c29b66c", n: int = 3) -> list[Fact]:
    with db.session(url) as s:
        article = s.scalars(select(Article).where(Article.article_key == key)).one()
        return s.scalars(select(Fact).where(Fact.article_id == article.id).order_by(Fact.value_start)).all()[:n]


def test_passwords_are_stored_as_scrypt_hashes(database_url):
    db.upgrade(database_url)
    with db.session(database_url) as s:
        accounts.add_user(s, "lan", "reviewer", "a long password")
        s.commit()
        stored = s.scalars(select(User.password_hash)).one()
        assert stored.startswith("scrypt$") and "a long password" not in stored
        assert accounts.authenticate(s, "lan", "a long password").name == "lan"
        assert accounts.authenticate(s, "lan", "wrong password") is None
        assert accounts.authenticate(s, "nobody", "a long password") is None
        with pytest.raises(ConfigError, match="at least 8"):
            accounts.add_user(s, "short", "reviewer", "short")
        with pytest.raises(ConfigError, match="role"):
            accounts.add_user(s, "who", "owner", "long enough pw")


def test_users_add_reads_the_password_from_stdin(tmp_path):
    url = f"sqlite:///{tmp_path / 'u.db'}"
    db.upgrade(url)
    run = lambda *a, stdin: subprocess.run([sys.executable, "-m", "cli.main", *a, "--db", url],
                                           input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=120)
    ok = run("users", "add", "boss", "--role", "admin", stdin="admin password\n")
    assert ok.returncode == 0, ok.stderr
    again = run("users", "add", "boss", "--role", "admin", stdin="admin password\n")
    assert again.returncode == 1 and "exists already" in again.stderr
    with db.session(url) as s:
        assert accounts.authenticate(s, "boss", "admin password").role == "admin"


def test_a_second_reviewer_sees_a_conflict_instead_of_overwriting(seeded):
    fact = first_facts(seeded)[0]
    with db.session(seeded) as s:
        reviews.record_review(s, fact.id, "accept", "lan", expected_latest=0)
        s.commit()
        with pytest.raises(reviews.ReviewConflict, match="lan already recorded 'accept'"):
            reviews.record_review(s, fact.id, "reject", "minh", expected_latest=0)
        s.rollback()
        assert [r.action for r in reviews.reviews_of(s, fact)] == ["accept"]


def test_accepting_after_an_edit_keeps_the_edit_and_bad_values_are_refused(seeded):
    fact = first_facts(seeded)[0]
    with db.session(seeded) as s:
        reviews.record_review(s, fact.id, "edit", "lan", validate_edits({"value": "44", "period": "2024-H1", "concept": "documents_issued"}))
        reviews.record_review(s, fact.id, "accept", "minh")
        s.commit()
        row = s.execute(text("SELECT value, period, period_start, review_status FROM facts_current "
                             "WHERE fact_id = :f"), {"f": fact.id}).one()
        assert (row.value, row.period, str(row.period_start)[:10], row.review_status) == (44.0, "2024-H1", "2024-01-01", "accepted")
        for bad in ({"value": "bốn"}, {"qualifier": "maybe"}, {"period": "mid-2024"}, {"concept": "weather"}):
            with pytest.raises(reviews.ReviewError):
                validate_edits(bad)


def test_a_review_whose_fact_disappears_is_listed_as_an_orphan(seeded, tmp_path, monkeypatch):
    folder = tmp_path / "one"
    folder.mkdir()
    (folder / "a.txt").write_text("Toàn tỉnh cấp 120 thẻ căn cước và 30 tài khoản định danh.", encoding="utf-8")
    src = SourceConfig(key="one", kind="files", location=str(folder))
    ingest_source(src, seeded)
    fact = first_facts(seeded, "a", 2)[1]
    with db.session(seeded) as s:
        reviews.record_review(s, fact.id, "reject", "lan")
        s.commit()
    (folder / "a.txt").write_text("Toàn tỉnh cấp 120 thẻ căn cước.", encoding="utf-8")
    monkeypatch.setattr(extractors, "EXTRACTOR_VERSION", extractors.EXTRACTOR_VERSION + "-b")
    ingest_source(src, seeded)
    with db.session(seeded) as s:
        article_id = s.scalars(select(Article.id).where(Article.article_key == "a")).one()
        view = reviews.article_view(s, article_id)
    assert [(r.action, r.fact_value) for r in view.orphans] == [("reject", 30.0)]
    assert [i.fact.value for i in view.facts] == [120.0]


def _free_number(text_: str, facts: list[Fact]) -> tuple[int, int]:
    """The first number of the text that is no extracted fact: the 'missed' one a reviewer adds."""
    import regex

    for m in regex.finditer(r"\d+", text_):
        if all(m.end() <= f.value_start or m.start() >= f.value_end for f in facts):
            return m.start(), m.end()
    raise AssertionError("no free number")


def test_only_marked_articles_and_decided_facts_become_gold_and_additions_count_as_misses(seeded, tmp_path,
                                                                                         monkeypatch):
    from pipeline.fetch import list_files
    from pipeline.process import process_file
    from reports.evaluate import load_gold, score
    from reports.gold_export import export_gold

    key = "000_347ef5340c29b66c"
    facts = first_facts(seeded, key, 100)
    other = first_facts(seeded, "003_8ce00a1f2a2d9f91", 1)[0]
    with db.session(seeded) as s:
        article = s.scalars(select(Article).where(Article.article_key == key)).one()
        start, end = _free_number(article.cleaned_text, facts)
        reviews.record_review(s, facts[1].id, "edit", "lan", validate_edits({"value": "32", "qualifier": "approx"}))
        reviews.record_review(s, facts[2].id, "reject", "lan")
        with pytest.raises(reviews.ReviewError, match="still pending"):
            reviews.mark_reviewed(s, article.id, "lan")
        for fact in facts[:1] + facts[3:]:
            reviews.record_review(s, fact.id, "accept", "lan")
        with pytest.raises(reviews.ReviewError) as refused:
            addition_values({"kind": "count", "value": "x", "concept": "weather"})
        assert set(refused.value.errors) == {"value", "concept"}                  # every field's error at once
        assert "already a fact" in reviews.span_errors(s, article, facts[0].value_start, facts[0].value_end)["span"]
        added = reviews.record_add(s, article.id, start, end, "lan",
                                   addition_values({"kind": "count", "value": article.cleaned_text[start:end], "qualifier": "exact",
                                    "role": "actual", "concept": "other", "unit": "lần"}))
        with pytest.raises(reviews.ReviewError, match="added already"):
            reviews.record_add(s, article.id, start, end, "minh", addition_values({"kind": "count", "value": "7"}))
        reviews.mark_reviewed(s, article.id, "lan")
        reviews.record_review(s, other.id, "accept", "lan")                    # decided, but not marked
        s.commit()
        assert [r.id for r in reviews.article_view(s, article.id).added] == [added.id]
        summary = export_gold(s, tmp_path / "out")
    assert (summary.articles, summary.facts, summary.added, summary.pending_left_out) == (1, len(facts), 1, 0)
    gold = json.loads((tmp_path / "out" / "gold" / f"{key}.json").read_text(encoding="utf-8"))
    assert gold["province"] == {"legacy": "Hậu Giang", "current": "Cần Thơ"}
    assert {o["name"] for o in gold["officials"]} == {"Đồng Văn Thanh", "Huỳnh Việt Hòa", "Phan Văn Giữ"}
    assert len(gold["facts"]) == len(facts)                      # 14 - 1 rejected + 1 added
    assert any(f["value"] == 32 and f["qualifier"] == "approx" for f in gold["facts"])
    recs = [r for p in list_files([tmp_path / "out" / "texts"]) for r in process_file(p)]
    result = score(load_gold(tmp_path / "out" / "gold"), recs)
    # Misses: the corrected value and the added fact; the rest the extractor found as decided.
    assert result["facts"]["fn"] == 2 and result["facts"]["tp"] == len(gold["facts"]) - 2

    # A re-extraction (new extractor version): the decisions and the addition still hold.
    monkeypatch.setattr(extractors, "EXTRACTOR_VERSION", extractors.EXTRACTOR_VERSION + "-rerun")
    ingest_source(SourceConfig(key="seeds", kind="files", location=str(ROOT / "corpus" / "seeds")), seeded)
    with db.session(seeded) as s:
        again = export_gold(s, tmp_path / "again")
        assert (again.articles, again.facts, again.added) == (1, len(facts), 1)
        # A fact the newer extractor finds after the mark is pending: it never reaches gold.
        newest = s.scalars(select(Fact).where(Fact.article_id == article.id, Fact.added_by.is_(None),
                                              Fact.extractor_version == extractors.EXTRACTOR_VERSION)).first()
        s.add(Fact(**{c.name: getattr(newest, c.name) for c in Fact.__table__.columns
                      if c.name not in ("id", "value_start", "value_end", "kind")}, value_start=start, value_end=end,
                   kind="quantity"))
        s.commit()
        later = export_gold(s, tmp_path / "later")
    assert later.pending_left_out == 1 and later.facts == len(facts)


def test_security_headers_size_limit_and_login_redirects(seeded):
    from fastapi.testclient import TestClient

    from web.app import create_app

    client = TestClient(create_app(seeded))
    response = client.get("/articles", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    page = client.get("/login")
    for header in ("content-security-policy", "x-content-type-options", "x-frame-options", "referrer-policy"):
        assert header in page.headers
    assert "script-src 'self'" in page.headers["content-security-policy"]
    big = client.post("/login", content=b"x" * (200 * 1024), headers={"content-type": "application/x-www-form-urlencoded"})
    assert big.status_code == 413
    evil = client.post("/login", data={"name": "x", "password": "y", "csrf": "z", "next": "https://evil.example/"})
    assert evil.status_code == 403


def test_users_and_tokens_commands_end_sessions_and_revoke(tmp_path):
    url = f"sqlite:///{tmp_path / 'acc.db'}"
    db.upgrade(url)
    run = lambda *a, stdin="": subprocess.run([sys.executable, "-m", "cli.main", *a, "--db", url],
                                              input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run("users", "add", "lan", stdin="first password\n").returncode == 0
    added = run("tokens", "add", "dashboard")
    token = added.stdout.strip()
    assert "--require-tokens" in added.stderr and "the API is open" in added.stderr and token not in added.stderr
    with db.session(url) as s:
        user = accounts.authenticate(s, "lan", "first password")
        cookie, _ = accounts.open_session(s, user)
        s.commit()
        assert accounts.session_for(s, cookie) is not None and accounts.api_token_valid(s, token)
    listed = run("users", "list")
    assert listed.returncode == 0 and listed.stdout.split() == ["lan", "reviewer", "active", "1", "sessions"]

    assert run("users", "disable", "lan").returncode == 0
    with db.session(url) as s:
        assert accounts.session_for(s, cookie) is None
        assert accounts.authenticate(s, "lan", "first password") is None
    assert "disabled" in run("users", "list").stdout
    assert run("users", "enable", "lan").returncode == 0
    with db.session(url) as s:
        cookie, _ = accounts.open_session(s, accounts.authenticate(s, "lan", "first password"))
        s.commit()
    assert run("users", "set-password", "lan", stdin="second password\n").returncode == 0
    with db.session(url) as s:
        assert accounts.session_for(s, cookie) is None                     # a new password ends the sessions
        assert accounts.authenticate(s, "lan", "first password") is None
        assert accounts.authenticate(s, "lan", "second password").name == "lan"
    short = run("users", "set-password", "lan", stdin="short\n")
    assert short.returncode == 1 and "at least 8" in short.stderr
    missing = run("users", "disable", "nobody")
    assert missing.returncode == 1 and "no user 'nobody'" in missing.stderr

    assert run("tokens", "list").stdout.split()[:2] == ["dashboard", "active"]
    assert run("tokens", "revoke", "dashboard").returncode == 0
    assert run("tokens", "list").stdout.split()[:2] == ["dashboard", "revoked"]
    with db.session(url) as s:
        assert not accounts.api_token_valid(s, token)


def test_secure_cookie_option_marks_the_session_cookie(seeded):
    import re

    from fastapi.testclient import TestClient

    from web.app import create_app

    with db.session(seeded) as s:
        accounts.add_user(s, "lan", "reviewer", "reviewer-pass")
        s.commit()
    for secure in (False, True):
        client = TestClient(create_app(seeded, secure_cookies=secure), base_url="https://testserver")
        login = client.get("/login")
        assert ("secure" in login.headers["set-cookie"].lower()) == secure
        csrf = re.search(r'name="csrf" value="([^"]+)"', login.text).group(1)
        signed = client.post("/login", data={"name": "lan", "password": "reviewer-pass", "csrf": csrf,
                                              "next": "/articles"}, follow_redirects=False)
        session_cookie = [c for c in signed.headers.get_list("set-cookie") if c.startswith("vnfacts_session=")][0]
        assert ("; secure" in session_cookie.lower()) == secure


def test_list_paging_filters_and_keyset_cursor_agree(seeded):
    from list_seed import seed_copies

    seed_copies(seeded, 130)
    with db.session(seeded) as s:
        for sort in reviews.SORTS:
            by_offset = [r.id for n in (1, 2, 3) for r in reviews.list_articles(s, page=n, sort=sort).rows]
            walked, after = [], None
            for n in (1, 2, 3):
                listing = reviews.list_articles(s, page=n, sort=sort, after=after)
                walked += [r.id for r in listing.rows]
                after = listing.next_after
            assert walked == by_offset and len(set(walked)) == 130 and after is None, sort
        listing = reviews.list_articles(s, sort="pending")
        assert [r.pending for r in listing.rows] == sorted((r.pending for r in listing.rows), reverse=True)
        fact = s.scalars(select(Fact).order_by(Fact.id)).first()
        article = s.get(Article, fact.article_id)
        for f in reviews.current_facts(s, article):
            reviews.record_review(s, f.id, "accept", "lan")
        s.commit()
        decided = reviews.list_articles(s, review="decided")
        assert [r.id for r in decided.rows] == [article.id] and decided.rows[0].pending == 0
        reviews.mark_reviewed(s, article.id, "lan")
        s.commit()
        assert [r.id for r in reviews.list_articles(s, review="reviewed").rows] == [article.id]
        assert reviews.list_articles(s, review="unreviewed").total == 129
        assert article.id not in [r.id for r in reviews.list_articles(s, review="pending", per_page=500).rows]
        legacy = reviews.list_articles(s, province=f"legacy:{article.province_legacy_code}", per_page=500)
        assert legacy.total and all(r.province_legacy for r in legacy.rows)
        assert {r.source for r in reviews.list_articles(s, source="bulk", per_page=500).rows} == {"bulk"}
        with pytest.raises(reviews.ReviewError, match="cursor"):
            reviews.list_articles(s, after="[1")


def test_an_added_fact_can_be_withdrawn_and_a_later_extractor_finding_it_takes_the_decision(seeded):
    facts = first_facts(seeded, "000_347ef5340c29b66c", 100)
    with db.session(seeded) as s:
        article = s.scalars(select(Article).where(Article.article_key == "000_347ef5340c29b66c")).one()
        start, end = _free_number(article.cleaned_text, facts)
        added = reviews.record_add(s, article.id, start, end, "lan", addition_values({"kind": "count", "value": "6"}))
        with pytest.raises(reviews.ReviewError):
            reviews.withdraw_add(s, added.id, "lan", article_id=article.id + 1)     # not this article's
        reviews.withdraw_add(s, added.id, "lan", article_id=article.id)
        s.commit()
        view = reviews.article_view(s, article.id)
        assert view.added == [] and view.orphans == []
        again = reviews.record_add(s, article.id, start, end, "lan", addition_values({"kind": "count", "value": "6", "unit": "lần"}))
        assert [r.id for r in reviews.article_view(s, article.id).added] == [again.id]
        # An extractor that now finds the number there (the writer's steps: facts replaced, decisions
        # re-attached): the addition is that fact's decision.
        links = reviews.links_of(s, article.id)
        s.execute(update(Review).where(Review.article_id == article.id).values(fact_id=None))
        s.execute(delete(Fact).where(Fact.added_by == again.id))
        twin = facts[0]
        s.add(Fact(**{c.name: getattr(twin, c.name) for c in Fact.__table__.columns
                      if c.name not in ("id", "value_start", "value_end", "value", "kind", "unit")},
                   kind="count", value=6.0, unit="lần", value_start=start, value_end=end))
        s.flush()
        reviews.reattach(s, article, links)
        s.commit()
        view = reviews.article_view(s, article.id)
        item = next(i for i in view.facts if i.fact.value_start == start)
        assert view.added == [] and item.status == "added" and item.latest_id == again.id
        assert item.fact.added_by is None


@pytest.mark.parametrize("field, value", [
    ("value", "nan"), ("value", "inf"), ("value", "1e309"), ("value", "-3"),
    ("period", "0000"), ("period", "2024-13"), ("as_of", "2024-13-45"), ("as_of", "1800-01-01"),
    ("baseline", "x" * 25), ("unit", "hồ\x00sơ"),
])
def test_a_bad_edit_value_is_refused_with_a_message_and_breaks_no_page(seeded, field, value):
    from fastapi.testclient import TestClient

    from web.app import create_app
    from web.pages import SESSION_COOKIE

    fact = first_facts(seeded)[0]
    with db.session(seeded) as s:
        with pytest.raises(reviews.ReviewError) as refused:
            validate_edits({field: value, "_current_kind": fact.kind})
        assert field in refused.value.errors and refused.value.errors[field]
        accounts.add_user(s, "lan", "reviewer", "a long password")
        user = s.scalars(select(accounts.User).where(accounts.User.name == "lan")).one()
        token, web_session = accounts.open_session(s, user)
        s.commit()
        csrf = web_session.csrf_token
    client = TestClient(create_app(seeded), cookies={SESSION_COOKIE: token})
    answer = client.post(f"/facts/{fact.id}/review", data={"csrf": csrf, "action": "edit", field: value, "expected": "0"})
    assert answer.status_code in (303, 422) and answer.status_code != 500
    assert client.get(f"/articles/{fact.article_id}").status_code == 200


def test_a_bad_value_already_stored_never_breaks_a_page(seeded):
    from fastapi.testclient import TestClient
    from sqlalchemy import update

    from web.app import create_app
    from web.pages import SESSION_COOKIE

    fact = first_facts(seeded)[0]
    with db.session(seeded) as s:
        s.execute(update(Fact).where(Fact.id == fact.id).values(value=float("inf")))
        accounts.add_user(s, "lan", "reviewer", "a long password")
        user = s.scalars(select(accounts.User).where(accounts.User.name == "lan")).one()
        token, _ = accounts.open_session(s, user)
        s.commit()
    client = TestClient(create_app(seeded), cookies={SESSION_COOKIE: token})
    assert client.get(f"/articles/{fact.article_id}").status_code == 200


def _sign_in(client, name: str, password: str) -> int:
    client.get("/login")
    return client.post("/login", data={"name": name, "password": password, "csrf": client.cookies.get("vnfacts_login")},
                       follow_redirects=False).status_code


def test_sign_in_is_throttled_per_account_and_address_so_one_address_locks_out_no_one_else(seeded):
    """Two accounts from one address (every reviewer behind a reverse proxy), over a real HTTP server:
    one account's wrong passwords lock out that account from that address, not the other account."""
    import httpx
    from conftest import LiveServer

    from settings import thresholds
    from web.app import create_app

    with db.session(seeded) as s:
        accounts.add_user(s, "lan", "reviewer", "a long password")
        accounts.add_user(s, "minh", "reviewer", "another long password")
        s.commit()
    hashed = []
    original = accounts.verify_password
    accounts.verify_password = lambda *a: hashed.append(1) or original(*a)
    try:
        with LiveServer(create_app(seeded)) as server, httpx.Client(base_url=server.base) as guesser, \
                httpx.Client(base_url=server.base) as colleague:
            statuses = [_sign_in(guesser, "lan", "wrong guess") for _ in range(thresholds.SIGN_IN_FAILURES + 2)]
            lan_right = _sign_in(guesser, "LAN ", "a long password")        # the same account, however typed
            minh_right = _sign_in(colleague, "minh", "another long password")
            minh_in = colleague.get("/articles", follow_redirects=False).status_code
    finally:
        accounts.verify_password = original
    assert statuses[:thresholds.SIGN_IN_FAILURES] == [303] * thresholds.SIGN_IN_FAILURES
    assert statuses[thresholds.SIGN_IN_FAILURES:] == [429, 429]
    assert len(hashed) == thresholds.SIGN_IN_FAILURES + 1     # a refused try hashes no password (+1: minh's)
    assert lan_right == 429                                    # even the right password waits out the window
    assert (minh_right, minh_in) == (303, 200)                 # the other account, same address, signs in


def test_one_address_meets_a_much_higher_ceiling_over_all_accounts():
    """A guesser trying many accounts from one address is stopped at the address ceiling; a right
    password of one account does not reset it; the window lets everyone in again."""
    now = [0.0]
    throttle = SignInThrottle(pair_limit=5, address_limit=100, window_s=300, clock=lambda: now[0])
    for n in range(99):
        throttle.failed(f"user{n}", "10.0.0.1")
    assert not throttle.blocked("someone", "10.0.0.1") and not throttle.blocked("user0", "10.0.0.2")
    throttle.failed("user99", "10.0.0.1")
    throttle.succeeded("user99", "10.0.0.1")
    assert throttle.blocked("someone", "10.0.0.1")             # 100 failures from this address, whoever they were for
    assert not throttle.blocked("someone", "10.0.0.2")         # another address is not concerned
    now[0] = 301
    assert not throttle.blocked("someone", "10.0.0.1")


def test_the_public_api_shows_no_reviewer_names_without_a_token(seeded):
    from fastapi.testclient import TestClient

    from web.app import create_app

    fact = first_facts(seeded)[0]
    with db.session(seeded) as s:
        reviews.record_review(s, fact.id, "accept", "lan")
        token = accounts.add_api_token(s, "dashboard")
        s.commit()
    client = TestClient(create_app(seeded))
    anonymous = client.get(f"/api/facts/{fact.id}").json()["history"]
    named = client.get(f"/api/facts/{fact.id}", headers={"Authorization": f"Bearer {token}"}).json()["history"]
    assert [h["reviewer"] for h in anonymous] == [None] and [h["reviewer"] for h in named] == ["lan"]
