"""articles: etag and last_modified for conditional requests; simhash and its bands for near-duplicates

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 16:00:00
"""
from alembic import op
import sqlalchemy as sa

from store.migrations.frozen_views import create_views, drop_views

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    drop_views()
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("etag", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("last_modified", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("simhash", sa.BigInteger(), nullable=True))
        for i in range(4):
            batch.add_column(sa.Column(f"simhash_band{i}", sa.Integer(), nullable=True))
    for i in range(4):
        op.create_index(f"ix_articles_simhash_band{i}", "articles", [f"simhash_band{i}"])
    create_views("0003")


def downgrade() -> None:
    drop_views()
    for i in range(4):
        op.drop_index(f"ix_articles_simhash_band{i}", table_name="articles")
    with op.batch_alter_table("articles") as batch:
        for i in range(4):
            batch.drop_column(f"simhash_band{i}")
        for name in ("simhash", "last_modified", "etag"):
            batch.drop_column(name)
    create_views("0002")
