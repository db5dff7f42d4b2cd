"""reviews of kind 'add' (a fact the extractor missed: no fact row, only the span); an article's
'reviewed' mark (table article_marks); indexes for the reviewer's article list

Revision ID: 0006_i17
Revises: 0005
Create Date: 2026-11-27 12:15:00

``reviews.fact_id`` becomes nullable: an ``add`` review names no extracted fact, only the article,
the span (value_start, value_end) and the reviewer's fields. SQLite rebuilds the table to change a
column, which fails while a view names it, so the views are dropped and recreated from their own
stored SQL (whatever revision made them), not from a frozen copy.
"""
from alembic import op
import sqlalchemy as sa

revision = "0006_i17"
down_revision = "0005"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_articles_published_id", "articles", ["published", "id"]),
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
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in INDEXES:
        op.drop_index(name, table_name=table)
    op.drop_table("article_marks")
    op.execute("DELETE FROM reviews WHERE fact_id IS NULL")
    _alter_reviews_fact_id(False)
