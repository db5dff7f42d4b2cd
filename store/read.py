"""Reading the fact store: fact listings and run summaries."""
from __future__ import annotations

from sqlalchemy import bindparam, func, select, text
from sqlalchemy.orm import Session

import gazetteer

from store.models import Article, Source
from pipeline.errors import ConfigError
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


# What the web app shows, read here: the app holds no SQL (tests/web/test_no_sql.py). Each page
# function returns up to ``limit`` rows after ``cursor`` (callers ask one more to know of a next page);
# a bad filter is a ConfigError.

def facts_page(session: Session, where: FactFilter, cursor: int | None, limit: int) -> list[dict]:
    """Rows of ``facts_current`` (rejected facts left out) after ``cursor``, oldest first."""
    sql, params = facts_sql(where, after_id=cursor, limit=limit)
    return [dict(r) for r in session.execute(text(sql), params).mappings()]


def fact_row(session: Session, fact_id: int) -> dict | None:
    """One row of ``facts_current``, or None when there is no such fact (or it was rejected)."""
    row = session.execute(text("SELECT * FROM facts_current WHERE fact_id = :f"), {"f": fact_id}).mappings().first()
    return None if row is None else dict(row)


def officials_page(session: Session, province: str | None, name: str | None, cursor: int | None,
                   limit: int) -> list[dict]:
    """Rows of ``officials_current``, their titles as a list; ``name`` matches any part, any case."""
    import json

    from store.query import province_condition

    where, params = ["1 = 1"], {"limit": limit}
    if province:
        where.append(province_condition(province, "province_legacy_code", params))
    if name:
        where.append("LOWER(name) LIKE :name")
        params["name"] = f"%{name.lower()}%"
    if cursor is not None:
        where.append("official_id > :cursor")
        params["cursor"] = cursor
    rows = []
    for r in session.execute(text(f"SELECT * FROM officials_current WHERE {' AND '.join(where)} "
                                  "ORDER BY official_id LIMIT :limit"), params).mappings():
        item = dict(r)
        item["titles"] = json.loads(item["titles"]) if isinstance(item["titles"], str) else (item["titles"] or [])
        rows.append(item)
    return rows


def facts_per_concept(session: Session) -> dict[str, int]:
    """How many current facts each concept key has."""
    return dict(session.execute(text("SELECT concept, COUNT(*) FROM facts_current GROUP BY concept")).all())


def articles_page(session: Session, source: str | None, province: str | None, status: str | None,
                  published_from, published_to, cursor: int | None, limit: int) -> list[dict]:
    """Stored articles with their status (and reason), title, address, province and current fact count."""
    from store.query import ARTICLE_STATUSES, province_condition

    where, params = ["1 = 1"], {"limit": limit}
    if province:
        where.append(province_condition(province, "a.province_legacy_code", params))
    if status and status not in ARTICLE_STATUSES:
        raise ConfigError(f"status must be one of {', '.join(ARTICLE_STATUSES)}, not {status!r}")
    for name, value, condition in (("source", source, "s.key = :source"), ("status", status, "a.status = :status"),
                                   ("published_from", published_from, "a.published >= :published_from"),
                                   ("published_to", published_to, "a.published <= :published_to"),
                                   ("cursor", cursor, "a.id > :cursor")):
        if value is not None:
            where.append(condition)
            params[name] = value
    return [dict(r) for r in session.execute(text(
        "SELECT a.id AS article_id, a.article_key AS article, s.key AS source, a.url, a.title, a.published, a.status, "
        "a.error, p.legacy_name AS province_legacy_name, p.current_name AS province_current_name, "
        "a.duplicate_of_id AS duplicate_of, "
        "(SELECT COUNT(*) FROM facts_current f WHERE f.article_id = a.id) AS facts "
        "FROM articles a JOIN sources s ON s.id = a.source_id "
        "LEFT JOIN provinces p ON p.legacy_code = a.province_legacy_code "
        f"WHERE {' AND '.join(where)} ORDER BY a.id LIMIT :limit"), params).mappings()]


def observations_page(session: Session, province: str | None, concept: str | None, kind: str | None,
                      role: str | None, period_from, period_to, min_articles: int, cursor: int | None,
                      limit: int) -> list[dict]:
    """Rows of the ``observations`` view reported by at least ``min_articles`` articles."""
    from store.query import ROLES, check_filter, province_condition

    where, params = ["articles >= :min_articles"], {"limit": limit, "min_articles": min_articles}
    check_filter(kind=kind, concept=concept)
    if role and role not in ROLES:
        raise ConfigError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    if province:
        where.append(province_condition(province, "province_legacy_code", params))
    for name, value, condition in (("concept", concept, "concept = :concept"), ("kind", kind, "kind = :kind"),
                                   ("role", role, "role = :role"),
                                   ("period_from", period_from, "period_end >= :period_from"),
                                   ("period_to", period_to, "period_start <= :period_to"),
                                   ("cursor", cursor, "observation_id > :cursor")):
        if value is not None:
            where.append(condition)
            params[name] = value
    return [dict(r) for r in session.execute(text(
        f"SELECT * FROM observations WHERE {' AND '.join(where)} ORDER BY observation_id LIMIT :limit"), params).mappings()]


def source_keys(session: Session) -> list[str]:
    return list(session.scalars(select(Source.key).order_by(Source.key)))


def sources(session: Session) -> list[Source]:
    return list(session.scalars(select(Source).order_by(Source.key)))


def latest_failures(session: Session, limit: int = 50):
    """The latest articles that are not ok: (source key, article key, status, error, url) rows."""
    return session.execute(select(Source.key, Article.article_key, Article.status, Article.error, Article.url)
                           .join(Source, Source.id == Article.source_id)
                           .where(Article.status != "ok").order_by(Article.updated_at.desc()).limit(limit)).all()


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
