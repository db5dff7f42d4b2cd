"""one fact, many mentions: facts.mention_count and mention_spans; facts_current.mentions; observations view

Revision ID: 0008_i18
Revises: 0007_i17
Create Date: 2026-11-27 12:30:00

A quantity stated in the headline, the lead, a caption and the body of one article is one fact with
several mentions (docs/GOLD.md). Facts stored before this revision have one mention each.
"""
from alembic import op
import sqlalchemy as sa

from store.migrations.frozen_views import create_views, drop_views

revision = "0008_i18"
down_revision = "0007_i17"
branch_labels = None
depends_on = None


def upgrade() -> None:
    drop_views()
    op.add_column("facts", sa.Column("mention_count", sa.Integer(), nullable=False, server_default="1"))
    op.add_column("facts", sa.Column("mention_spans", sa.JSON(), nullable=True))
    create_views("0008_i18")


def downgrade() -> None:
    drop_views()
    # ALTER TABLE … DROP COLUMN in place (SQLite 3.35+): a rebuilt facts table would break the
    # reviews' foreign keys.
    op.drop_column("facts", "mention_spans")
    op.drop_column("facts", "mention_count")
    create_views("0006_i15")
