"""Migrations: every revision upgrades and downgrades, and upgrading a filled database loses nothing."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import inspect, text

from run.ingest import ingest_source
from pipeline.sources import SourceConfig
from store import db
from web import reviews

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
        reviews.record_review(s, ids[1], "edit", "lan", {"value": "44"})
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
