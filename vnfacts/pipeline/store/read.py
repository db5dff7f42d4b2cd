"""Reading the fact store: fact listings and run summaries."""
from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from vnfacts.pipeline.store.models import Article, Source


def facts_current(session: Session, article: str | None = None, kind: str | None = None, limit: int | None = None) -> list[dict]:
    """Rows of the ``facts_current`` view, optionally for one article and one kind."""
    sql = "SELECT * FROM facts_current WHERE 1 = 1"
    params: dict = {}
    if article:
        sql += " AND article = :article"
        params["article"] = article
    if kind:
        sql += " AND kind = :kind"
        params["kind"] = kind
    sql += " ORDER BY article, value_start"
    if limit:
        sql += " LIMIT :limit"
        params["limit"] = limit
    return [dict(r._mapping) for r in session.execute(text(sql), params)]


def facts_per_article_and_kind(session: Session) -> list[tuple[str, str, dict[str, int]]]:
    """(article, status, {kind: count}) for every stored article, for the run summary."""
    counts: dict[str, dict[str, int]] = {}
    for art, kind, n in session.execute(text(
            "SELECT article, kind, COUNT(*) FROM facts_current GROUP BY article, kind")):
        counts.setdefault(art, {})[kind] = n
    rows = session.execute(select(Article.article_key, Article.status, Source.key)
                           .join(Source, Source.id == Article.source_id).order_by(Source.key, Article.article_key))
    return [(key, status, counts.get(key, {})) for key, status, _ in rows]


def article_status_counts(session: Session) -> dict[str, int]:
    return dict(session.execute(select(Article.status, func.count()).group_by(Article.status)).all())
