"""every article keeps a language guess (articles.language, articles.vietnamese_share)

Revision ID: 0011_i26
Revises: 0010_i23
Create Date: 2026-12-04 09:00:00

A quarantined or failed article now keeps its cleaned text too (no schema change: the column was
there, left null); with the guess, anyone can read what the cleaner left and why the language check
refused it. Articles stored before this revision have no guess until they are processed again.
"""
from alembic import op
import sqlalchemy as sa

revision = "0011_i26"
down_revision = "0010_i23"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("articles", sa.Column("language", sa.String(8), nullable=True))
    op.add_column("articles", sa.Column("vietnamese_share", sa.Float(), nullable=True))


def downgrade() -> None:
    # ALTER TABLE … DROP COLUMN in place (SQLite 3.35+), as 0008 does: a rebuilt articles table would
    # break the foreign keys pointing at it.
    op.drop_column("articles", "vietnamese_share")
    op.drop_column("articles", "language")
