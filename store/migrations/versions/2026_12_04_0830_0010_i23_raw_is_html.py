"""articles.raw_is_html: whether the stored raw content is an HTML page, decided once when it was read

Revision ID: 0010_i23
Revises: 0009_i25
Create Date: 2026-12-04 08:30:00

The reader decides it (a .txt file is text, any other file and every fetched page is HTML) and the
store keeps it beside the raw content, so that reprocessing does not guess again. Rows stored before
this revision are decided here once, by the guess reprocessing made until now (the content starts
with a comment, a doctype or one of a few page tags); the guess is frozen in this file.
"""
from alembic import op
import regex
import sqlalchemy as sa

from store.migrations.frozen_views import create_views, drop_views

revision = "0010_i23"
down_revision = "0009_i25"
branch_labels = None
depends_on = None

HTML_START = regex.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype|html|head|body|div|p|article|section|meta)\b",
                           regex.IGNORECASE | regex.DOTALL)


def upgrade() -> None:
    drop_views()
    op.add_column("articles", sa.Column("raw_is_html", sa.Boolean(), nullable=True))
    bind = op.get_bind()
    articles = sa.table("articles", sa.column("id", sa.Integer), sa.column("raw_content", sa.Text),
                        sa.column("raw_is_html", sa.Boolean))
    last = 0
    while True:         # in pages, so that a large store's raw contents are never all in memory
        rows = bind.execute(sa.select(articles.c.id, sa.func.substr(articles.c.raw_content, 1, 2000))
                            .where(articles.c.raw_content.is_not(None), articles.c.id > last)
                            .order_by(articles.c.id).limit(500)).all()
        if not rows:
            break
        for is_html in (True, False):
            ids = [i for i, head in rows if bool(HTML_START.match(head or "")) is is_html]
            if ids:
                bind.execute(sa.update(articles).where(articles.c.id.in_(ids)).values(raw_is_html=is_html))
        last = rows[-1][0]
    create_views("0009_i25")


def downgrade() -> None:
    drop_views()
    op.drop_column("articles", "raw_is_html")
    create_views("0009_i25")
