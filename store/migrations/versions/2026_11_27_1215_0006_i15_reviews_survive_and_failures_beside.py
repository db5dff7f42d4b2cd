"""reviews.fact_id nullable (a review outlives the fact it was made on); articles.last_failure beside the
last good version; sources.last_status / last_error / last_run_at for per-source failures

Revision ID: 0006_i15
Revises: 0005
Create Date: 2026-11-27 12:15:00

Re-extraction replaces the facts of an article; a review names its fact by identity (article, kind,
value, offsets), and its ``fact_id`` link is re-pointed to the new fact in the same transaction, or
set to null when no new fact matches (an orphan that the review page lists).
"""
from alembic import op
import sqlalchemy as sa

from store.migrations.frozen_views import create_views, drop_views

revision = "0006_i15"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    drop_views()
    with op.batch_alter_table("reviews") as batch:
        batch.alter_column("fact_id", existing_type=sa.Integer(), nullable=True)
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("last_failure", sa.Text(), nullable=True))
        batch.add_column(sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("sources") as batch:
        batch.add_column(sa.Column("last_status", sa.String(length=12), nullable=True))
        batch.add_column(sa.Column("last_error", sa.Text(), nullable=True))
        batch.add_column(sa.Column("last_run_at", sa.DateTime(timezone=True), nullable=True))
    create_views("0006_i15")


def downgrade() -> None:
    drop_views()
    op.execute("DELETE FROM reviews WHERE fact_id IS NULL")
    # Plain DROP COLUMN (SQLite 3.35+): a batch rebuild would drop tables that other rows reference.
    for table, column in (("sources", "last_run_at"), ("sources", "last_error"), ("sources", "last_status"),
                          ("articles", "last_failure_at"), ("articles", "last_failure")):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    with op.batch_alter_table("reviews") as batch:
        batch.alter_column("fact_id", existing_type=sa.Integer(), nullable=False)
    create_views("0005")
