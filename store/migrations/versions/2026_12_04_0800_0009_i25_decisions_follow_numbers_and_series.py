"""decisions follow their numbers (reviews.fact_unit, context_before, span_text, context_after, at_start,
at_end, withdraws_id), reviewer additions materialised as facts (facts.added_by), facts.percent_of,
facts_current by the decision linked to each fact, observations as series

Revision ID: 0009_i25
Revises: 0008_i18
Create Date: 2026-12-04 08:00:00

Existing decisions get their anchor (the words around the number) from the article's current text at
their offsets, are linked to the fact of the current extractor version with their identity (the view
matched them by identity before), withdrawals name the addition they take back, and additions in
force that no extracted fact matches become fact rows.
"""
import datetime as dt
import re

from alembic import op
import sqlalchemy as sa

from store.migrations.frozen_views import create_views, drop_views

revision = "0009_i25"
down_revision = "0008_i18"
branch_labels = None
depends_on = None

REVIEW_COLUMNS = (("fact_unit", sa.String(length=100)), ("context_before", sa.Text()), ("span_text", sa.String(length=100)),
                  ("context_after", sa.Text()), ("at_start", sa.Integer()), ("at_end", sa.Integer()),
                  ("withdraws_id", sa.Integer()))
CONTEXT = 60
SENTENCE_END = re.compile(r"[.!?;\n]\s")


def upgrade() -> None:
    drop_views()
    op.add_column("facts", sa.Column("percent_of", sa.String(length=20), nullable=True))
    op.add_column("facts", sa.Column("added_by", sa.Integer(), nullable=True))
    for name, type_ in REVIEW_COLUMNS:
        op.add_column("reviews", sa.Column(name, type_, nullable=True))
    op.create_index("ix_reviews_fact", "reviews", ["fact_id"])
    _backfill(op.get_bind())
    create_views("0009_i25")


def _backfill(bind) -> None:
    texts = dict(bind.execute(sa.text("SELECT id, cleaned_text FROM articles WHERE id IN (SELECT article_id FROM reviews)")).all())
    versions = dict(bind.execute(sa.text("SELECT id, extractor_version FROM articles")).all())
    rows = bind.execute(sa.text("SELECT id, article_id, fact_kind, fact_value, value_start, value_end, action, fact_id "
                                "FROM reviews ORDER BY id")).mappings().all()
    adds: dict[tuple, int] = {}
    for r in rows:
        text_ = texts.get(r["article_id"]) or ""
        a, b = r["value_start"], r["value_end"]
        identity = (r["article_id"], r["fact_kind"], r["fact_value"], a, b)
        values = {"id": r["id"], "before": text_[max(0, a - CONTEXT):a], "span": text_[a:b][:100], "after": text_[b:b + CONTEXT],
                  "withdraws": None, "at_start": None, "at_end": None}
        if r["action"] == "add":
            adds[identity] = r["id"]
            values["at_start"], values["at_end"] = a, b
        elif r["action"] == "reject" and r["fact_id"] is None and identity in adds:
            values["withdraws"] = adds.pop(identity)          # before this revision a withdrawal repeated the identity
        bind.execute(sa.text("UPDATE reviews SET context_before = :before, span_text = :span, context_after = :after, "
                             "withdraws_id = :withdraws, at_start = :at_start, at_end = :at_end WHERE id = :id"), values)
    # Link every decision to the current generation's fact of its identity (the old view's match).
    bind.execute(sa.text("""
        UPDATE reviews SET fact_id = (
            SELECT f.id FROM facts f JOIN articles a ON a.id = f.article_id AND f.extractor_version = a.extractor_version
            WHERE f.article_id = reviews.article_id AND f.kind = reviews.fact_kind
              AND f.value_start = reviews.value_start AND f.value_end = reviews.value_end
              AND (f.value = reviews.fact_value OR (f.value IS NULL AND reviews.fact_value IS NULL)))
        WHERE withdraws_id IS NULL AND EXISTS (
            SELECT 1 FROM facts f JOIN articles a ON a.id = f.article_id AND f.extractor_version = a.extractor_version
            WHERE f.article_id = reviews.article_id AND f.kind = reviews.fact_kind
              AND f.value_start = reviews.value_start AND f.value_end = reviews.value_end
              AND (f.value = reviews.fact_value OR (f.value IS NULL AND reviews.fact_value IS NULL)))"""))
    bind.execute(sa.text("UPDATE reviews SET fact_unit = (SELECT unit FROM facts WHERE facts.id = reviews.fact_id) "
                         "WHERE fact_id IS NOT NULL AND action <> 'add'"))
    bind.execute(sa.text("UPDATE reviews SET fact_unit = unit WHERE action = 'add'"))
    # Additions in force that no extracted fact matches become fact rows (their evidence: the sentence).
    for review_id in adds.values():
        r = bind.execute(sa.text("SELECT * FROM reviews WHERE id = :i AND fact_id IS NULL"), {"i": review_id}).mappings().first()
        if r is None:
            continue
        text_ = texts.get(r["article_id"]) or ""
        a, b = r["value_start"], r["value_end"]
        start = max((m.end() for m in SENTENCE_END.finditer(text_, 0, a)), default=0)
        found = SENTENCE_END.search(text_, b)
        end = found.start() + 1 if found else len(text_)
        codes = bind.execute(sa.text("SELECT province_legacy_code, province_current_code FROM articles WHERE id = :i"),
                             {"i": r["article_id"]}).first()
        bind.execute(sa.text("""
            INSERT INTO facts (article_id, extractor_version, kind, value, unit, qualifier, role, direction, baseline,
                               period, period_start, period_end, as_of, negated, concept, province_legacy_code,
                               province_current_code, evidence, evidence_start, evidence_end, value_start, value_end,
                               mention_count, added_by, created_at)
            VALUES (:article, :version, :kind, :value, :unit, :qualifier, :role, :direction, :baseline, :period,
                    :period_start, :period_end, :as_of, :negated, :concept, :legacy, :current, :evidence, :ev_start,
                    :ev_end, :start, :end, 1, :review, :now)"""),
            {"article": r["article_id"], "version": versions[r["article_id"]], "kind": r["kind"], "value": r["value"],
             "unit": r["unit"], "qualifier": r["qualifier"] or "exact", "role": r["role"] or "actual",
             "direction": r["direction"], "baseline": r["baseline"], "period": r["period"],
             "period_start": r["period_start"], "period_end": r["period_end"], "as_of": r["as_of"],
             "negated": bool(r["negated"]), "concept": r["concept"] or "other", "legacy": codes[0], "current": codes[1],
             "evidence": text_[start:end], "ev_start": start, "ev_end": end, "start": a, "end": b, "review": review_id,
             "now": dt.datetime.now(dt.timezone.utc)})
        fact_id = bind.execute(sa.text("SELECT id FROM facts WHERE added_by = :r"), {"r": review_id}).scalar()
        bind.execute(sa.text("UPDATE reviews SET fact_id = :f WHERE id = :r"), {"f": fact_id, "r": review_id})


def downgrade() -> None:
    drop_views()
    op.execute("UPDATE reviews SET fact_id = NULL WHERE fact_id IN (SELECT id FROM facts WHERE added_by IS NOT NULL)")
    op.execute("DELETE FROM facts WHERE added_by IS NOT NULL")
    op.drop_index("ix_reviews_fact", table_name="reviews")
    # ALTER TABLE … DROP COLUMN in place (SQLite 3.35+): a rebuilt table would break foreign keys.
    for name, _type in reversed(REVIEW_COLUMNS):
        op.drop_column("reviews", name)
    op.drop_column("facts", "added_by")
    op.drop_column("facts", "percent_of")
    create_views("0008_i18")
