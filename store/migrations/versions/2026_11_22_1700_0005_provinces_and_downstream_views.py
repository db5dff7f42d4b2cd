"""provinces reference table; facts_current with province names and subject; officials_current

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 17:00:00

The provinces rows come from the gazetteer as it is when the migration runs (a later change to the
administrative map is a data migration of its own).
"""
from alembic import op
import sqlalchemy as sa

from store.migrations.frozen_views import create_views, drop_views

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None



def upgrade() -> None:
    provinces = op.create_table(
        "provinces",
        sa.Column("legacy_code", sa.String(length=3), primary_key=True),
        sa.Column("legacy_name", sa.String(length=100), nullable=False),
        sa.Column("current_code", sa.String(length=3), nullable=False),
        sa.Column("current_name", sa.String(length=100), nullable=False),
    )
    import gazetteer

    op.bulk_insert(provinces, [{"legacy_code": p.legacy_code, "legacy_name": p.legacy_name,
                                "current_code": p.current_code, "current_name": p.current_name}
                               for p in gazetteer.provinces().values()])
    drop_views()
    create_views("0005")


def downgrade() -> None:
    drop_views()
    op.drop_table("provinces")
    create_views("0004")
