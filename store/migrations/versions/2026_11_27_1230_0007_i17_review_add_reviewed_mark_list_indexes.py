"""reviews of kind 'add' (a fact the extractor missed: no fact row, only the span); an article's
'reviewed' mark (table article_marks); a fact-count cache and indexes for the reviewer's article list

Revision ID: 0007_i17
Revises: 0006_i15
Create Date: 2026-11-27 12:15:00

``reviews.fact_id`` becomes nullable: an ``add`` review names no extracted fact, only the article,
the span (value_start, value_end) and the reviewer's fields. SQLite rebuilds the table to change a
column, which fails while a view names it, so the views are dropped and recreated from their own
stored SQL (whatever revision made them), not from a frozen copy.
"""
from alembic import op
import sqlalchemy as sa

revision = "0007_i17"
down_revision = "0006_i15"
branch_labels = None
depends_on = None

INDEXES = (
    # covering: the article list reads page ids from it without touching the wide rows (texts)
    ("ix_articles_list", "articles", ["published", "id", "source_id", "province_legacy_code",
                                      "province_current_code", "duplicate_of_id", "extractor_version", "updated_at"]),
    ("ix_articles_province_id", "articles", ["province_current_code", "province_legacy_code", "id"]),
    ("ix_articles_source_id", "articles", ["source_id", "id"]),
)


def _alter_reviews_fact_id(nullable: bool) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        op.alter_column("reviews", "fact_id", existing_type=sa.Integer(), nullable=nullable)
        return
    views = bind.execute(sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'view'")).all()
    for name, _sql in views:
        op.execute(f"DROP VIEW {name}")
    with op.batch_alter_table("reviews") as batch:
        batch.alter_column("fact_id", existing_type=sa.Integer(), nullable=nullable)
    for _name, sql in views:
        op.execute(sql)


def upgrade() -> None:
    _alter_reviews_fact_id(True)
    op.create_table(
        "article_marks",
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("reviewed_by", sa.String(length=100), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "article_fact_counts",
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("article_updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("facts", sa.Integer(), nullable=False, server_default="0"),
    )
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in INDEXES:
        op.drop_index(name, table_name=table)
    op.drop_table("article_fact_counts")
    op.drop_table("article_marks")
    op.execute("DELETE FROM reviews WHERE fact_id IS NULL")
    _alter_reviews_fact_id(False)
