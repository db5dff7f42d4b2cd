"""Migrations: every revision upgrades and downgrades, and upgrading a filled database loses nothing."""
from __future__ import annotations

from web.edits import addition_values, validate_edits

from pathlib import Path

from alembic import command
from sqlalchemy import inspect, text

from run.ingest import ingest_source
from pipeline.sources import SourceConfig
from store import db
from store import reviews

ROOT = Path(__file__).resolve().parents[1]


def _run(url: str, fn, revision: str) -> None:
    with db.engine(url).begin() as conn:
        fn(db.alembic_config(url, conn), revision)


def test_down_to_nothing_and_up_again(database_url):
    db.upgrade(database_url)
    _run(database_url, command.downgrade, "base")
    assert set(inspect(db.engine(database_url)).get_table_names()) <= {"alembic_version"}
    db.upgrade(database_url)
    assert db.is_current(database_url)


def test_upgrading_a_filled_database_keeps_every_fact_and_review(database_url):
    # Filled with today's code, then taken down to the schema before the downstream views (the models
    # have columns that 0004 lacks, so they cannot write to it directly), then upgraded again.
    db.upgrade(database_url)
    ingest_source(SourceConfig(key="seeds", kind="files", location=str(ROOT / "corpus" / "seeds")), database_url)
    with db.session(database_url) as s:
        facts = s.execute(text("SELECT COUNT(*) FROM facts_current")).scalar()
        ids = [r for (r,) in s.execute(text("SELECT id FROM facts ORDER BY id LIMIT 3"))]
        reviews.record_review(s, ids[0], "accept", "lan")
        reviews.record_review(s, ids[1], "edit", "lan", validate_edits({"value": "44"}))
        reviews.record_review(s, ids[2], "reject", "lan")
        s.commit()
    _run(database_url, command.downgrade, "0004")
    assert "provinces" not in inspect(db.engine(database_url)).get_table_names()
    db.upgrade(database_url)
    with db.session(database_url) as s:
        assert s.execute(text("SELECT COUNT(*) FROM reviews")).scalar() == 3
        assert s.execute(text("SELECT COUNT(*) FROM facts_current")).scalar() == facts - 1
        row = s.execute(text("SELECT value, review_status, province_legacy_name, province_current_name "
                             "FROM facts_current WHERE fact_id = :f"), {"f": ids[1]}).one()
        assert (row.value, row.review_status, row.province_legacy_name, row.province_current_name) == \
            (44.0, "edited", "Hậu Giang", "Cần Thơ")
        assert s.execute(text("SELECT COUNT(*) FROM officials_current")).scalar() == 9
        assert s.execute(text("SELECT MIN(mentions) FROM facts_current")).scalar() == 1   # older facts: one mention


def test_the_head_revision_named_in_the_store_is_alembic_head():
    from alembic.script import ScriptDirectory

    assert db.HEAD_REVISION == ScriptDirectory.from_config(db.alembic_config("sqlite://")).get_current_head(), \
        "a migration was added: set store/db.py HEAD_REVISION to its revision"


def test_a_store_at_head_is_not_handed_to_alembic(tmp_path):
    """A run's start on a current store only reads its revision: Alembic is not even imported."""
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'store.db'}"
    assert not db.at_head(url)
    db.upgrade(url)
    assert db.at_head(url) and db.is_current(url)
    check = ("import sys; from store import db; db.upgrade(sys.argv[1]); "
             "print('alembic' in sys.modules, db.at_head(sys.argv[1]))")
    done = subprocess.run([sys.executable, "-c", check, url], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.split() == ["False", "True"]
    _run(url, command.downgrade, "0008_i18")            # one behind: upgraded again, through Alembic
    assert not db.at_head(url)
    db.upgrade(url)
    assert db.at_head(url)


def test_0009_links_old_decisions_by_identity_and_makes_old_additions_facts(database_url):
    db.upgrade(database_url)
    ingest_source(SourceConfig(key="seeds", kind="files", location=str(ROOT / "corpus" / "seeds")), database_url)
    _run(database_url, command.downgrade, "0008_i18")
    with db.engine(database_url).begin() as conn:
        fact = conn.execute(text("SELECT id, article_id, kind, value, value_start, value_end FROM facts ORDER BY id LIMIT 1")).one()
        text_ = conn.execute(text("SELECT cleaned_text FROM articles WHERE id = :a"), {"a": fact.article_id}).scalar()
        taken = {(a, b) for a, b in conn.execute(text("SELECT value_start, value_end FROM facts WHERE article_id = :a"),
                                                  {"a": fact.article_id})}
        start = next(i for i, c in enumerate(text_) if c.isdigit() and not any(a <= i < b for a, b in taken)
                     and not text_[i - 1].isdigit() and not text_[i + 1].isdigit())
        old = "INSERT INTO reviews (fact_id, article_id, fact_kind, fact_value, value_start, value_end, action, {extra} reviewer, created_at) " \
              "VALUES (:fact, :article, :kind, :value, :start, :end, :action, {values} 'lan', CURRENT_TIMESTAMP)"
        # An acceptance whose link was lost (before 0009 the view matched by identity), an addition in force,
        # and an addition withdrawn by a 'reject' on its identity.
        conn.execute(text(old.format(extra="", values="")), {"fact": None, "article": fact.article_id, "kind": fact.kind,
                     "value": fact.value, "start": fact.value_start, "end": fact.value_end, "action": "accept"})
        for action in ("add", "add", "reject"):
            where = start if action == "add" and conn.execute(text("SELECT COUNT(*) FROM reviews WHERE action = 'add'")).scalar() == 0 else start + 100000
            conn.execute(text(old.format(extra="kind, value, concept,", values="'count', 7, 'other',")),
                         {"fact": None, "article": fact.article_id, "kind": "count", "value": 7.0, "start": where,
                          "end": where + 1, "action": action})
    db.upgrade(database_url)
    with db.session(database_url) as s:
        status = dict(s.execute(text("SELECT fact_id, review_status FROM facts_current")).all())
        assert status[fact.id] == "accepted"
        added = s.execute(text("SELECT value, value_start, review_status FROM facts_current WHERE review_status = 'added'")).all()
        assert [(a.value, a.value_start) for a in added] == [(7.0, start)]
        withdrawn = s.execute(text("SELECT COUNT(*) FROM reviews WHERE withdraws_id IS NOT NULL")).scalar()
        assert withdrawn == 1
        anchored = s.execute(text("SELECT span_text FROM reviews WHERE action = 'accept'")).scalar()
        assert anchored == text_[fact.value_start:fact.value_end]
