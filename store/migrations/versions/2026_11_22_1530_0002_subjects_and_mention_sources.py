"""facts.subject; official_mentions.found_by and appearances

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 15:30:00
"""
from alembic import op
import sqlalchemy as sa

from store.migrations.frozen_views import create_views, drop_views

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    drop_views()
    with op.batch_alter_table("facts") as batch:
        batch.add_column(sa.Column("subject", sa.String(length=200), nullable=True))
    with op.batch_alter_table("official_mentions") as batch:
        batch.add_column(sa.Column("found_by", sa.String(length=20), nullable=False, server_default="gazetteer"))
        batch.add_column(sa.Column("appearances", sa.JSON(), nullable=True))
    create_views("0002")


def downgrade() -> None:
    drop_views()
    with op.batch_alter_table("official_mentions") as batch:
        batch.drop_column("appearances")
        batch.drop_column("found_by")
    with op.batch_alter_table("facts") as batch:
        batch.drop_column("subject")
    create_views("0001")
