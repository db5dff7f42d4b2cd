"""Reading the fact store: fact listings and run summaries."""
from __future__ import annotations

from sqlalchemy import bindparam, func, select, text
from sqlalchemy.orm import Session

import gazetteer

from store.models import Article, Source
from store.query import FactFilter, facts_sql, legacy_codes


def facts_current(session: Session, article: str | None = None, kind: str | None = None, limit: int | None = None,
                  province: str | None = None, concept: str | None = None) -> list[dict]:
    """Rows of the ``facts_current`` view, optionally for one article, kind, province and concept, in text order."""
    sql, params = facts_sql(FactFilter(article=article, kind=kind, province=province, concept=concept), limit=limit,
                            order="article")
    return [json_row(r._mapping) for r in session.execute(text(sql), params)]


BOOLEAN_COLUMNS = ("negated",)


def json_row(row) -> dict:
    """A view row as plain data: booleans as booleans on every database (SQLite stores 0/1)."""
    out = dict(row)
    for name in BOOLEAN_COLUMNS:
        if out.get(name) is not None:
            out[name] = bool(out[name])
    return out


def facts_per_article_and_kind(session: Session) -> list[tuple[str, str, dict[str, int]]]:
    """(article, status, {kind: count}) for every stored article, for the run summary."""
    counts: dict[str, dict[str, int]] = {}
    for art, kind, n in session.execute(text(
            "SELECT article, kind, COUNT(*) FROM facts_current GROUP BY article, kind")):
        counts.setdefault(art, {})[kind] = n
    rows = session.execute(select(Article.article_key, Article.status, Source.key)
                           .join(Source, Source.id == Article.source_id).order_by(Source.key, Article.article_key))
    return [(key, status, counts.get(key, {})) for key, status, _ in rows]


def concept_usage(session: Session, top_other: int = 20) -> tuple[list[tuple[str, str, int]], list[tuple[str, int]]]:
    """(key, label, stored facts) for the whole vocabulary, and the most frequent indicator phrases
    of facts left as ``other`` — the data team's to-do list for the vocabulary."""
    counts = dict(session.execute(text("SELECT concept, COUNT(*) FROM facts_current GROUP BY concept")).all())
    vocab = [(key, c.label, counts.get(key, 0)) for key, c in gazetteer.concepts().items()]
    vocab += [(key, "(not in the vocabulary)", n) for key, n in counts.items() if key not in gazetteer.concepts()]
    others = session.execute(text(
        "SELECT LOWER(indicator) AS phrase, COUNT(*) AS n FROM facts_current "
        "WHERE concept = 'other' AND indicator IS NOT NULL GROUP BY LOWER(indicator) "
        "ORDER BY n DESC, phrase LIMIT :limit"), {"limit": top_other}).all()
    return vocab, [(p, n) for p, n in others]


def officials_listing(session: Session, province: str | None = None) -> list[dict]:
    """People in the registry with their titles, province and how many articles name them."""
    from store.models import Official, OfficialMention

    query = (select(Official, func.count(func.distinct(OfficialMention.article_id)))
             .join(OfficialMention, OfficialMention.official_id == Official.id)
             .group_by(Official.id).order_by(func.count(func.distinct(OfficialMention.article_id)).desc(), Official.name))
    if province:
        query = query.where(Official.province_key.in_(legacy_codes(province)))
    by_code = {p.legacy_code: p.legacy_name for p in gazetteer.provinces().values()}
    return [{"name": o.name, "rank": o.rank, "titles": o.titles, "province": by_code.get(o.province_key),
             "articles": n} for o, n in session.execute(query).all()]


def article_counts_by_source(session: Session) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for key, status, n in session.execute(select(Source.key, Article.status, func.count())
                                          .join(Article, Article.source_id == Source.id)
                                          .group_by(Source.key, Article.status)):
        out.setdefault(key, {})[status] = n
    return out


def failed_articles(session: Session, source: str | None = None) -> list[dict]:
    """Stored articles whose status is failed or quarantined, with their reasons, newest first."""
    query = (select(Source.key, Article.article_key, Article.url, Article.status, Article.error, Article.attempts,
                    Article.updated_at)
             .join(Source, Source.id == Article.source_id)
             .where(Article.status.in_(("failed", "quarantined")))
             .order_by(Source.key, Article.article_key))
    if source:
        query = query.where(Source.key == source)
    return [{"source": s, "article": a, "url": u, "status": st, "error": e, "attempts": n, "updated_at": t}
            for s, a, u, st, e, n, t in session.execute(query)]


def observation_evidence(session: Session, observation_id: int) -> tuple[dict, list[dict]] | None:
    """One row of ``observations`` and the facts behind it (value, whether it is the chosen value,
    review status, evidence sentence, article id, key, title, URL, date, source), or None."""
    row = session.execute(text("SELECT * FROM observations WHERE observation_id = :o"), {"o": observation_id}).mappings().first()
    if row is None:
        return None
    ids = [int(i) for i in str(row["fact_ids"] or "").split(",") if i]
    facts = [dict(r) for r in session.execute(
        text("SELECT fact_id, value, review_status, evidence, article_id, article, title, url, published, source "
             "FROM facts_current WHERE fact_id IN :ids ORDER BY fact_id").bindparams(bindparam("ids", expanding=True)),
        {"ids": ids}).mappings()] if ids else []
    for f in facts:
        f["chosen"] = f["value"] == row["value"]
    return dict(row), facts
