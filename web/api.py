"""The read-only JSON API: facts (filtered, cursor-paginated), one fact with its evidence and review
history, officials, and the concept vocabulary. Documented by the OpenAPI schema at /api/openapi.json."""
from __future__ import annotations

import datetime as dt
from typing import Optional

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.orm import Session

import gazetteer
from pipeline.errors import ConfigError
from store import reviews
from store.models import Fact
from store.query import ARTICLE_STATUSES, ROLES, FactFilter, check_filter, facts_sql, province_condition
from store.read import observation_evidence
from web import accounts
from web.deps import get_db
from settings import thresholds

router = APIRouter(prefix="/api", tags=["api"])


class FactOut(BaseModel):
    fact_id: int
    article: str
    source: str
    url: Optional[str] = None
    title: Optional[str] = None
    published: Optional[dt.date] = None
    kind: str
    value: Optional[float] = None
    numerator: Optional[float] = None
    denominator: Optional[float] = None
    unit: Optional[str] = None
    qualifier: str
    role: str
    direction: Optional[str] = None
    baseline: Optional[str] = None
    period: Optional[str] = None
    period_start: Optional[dt.date] = None
    period_end: Optional[dt.date] = None
    as_of: Optional[str] = None
    negated: bool
    concept: str
    indicator: Optional[str] = None
    subject: Optional[str] = None
    province_legacy_code: Optional[str] = None
    province_legacy_name: Optional[str] = None
    province_current_code: Optional[str] = None
    province_current_name: Optional[str] = None
    evidence: str
    mentions: int = 1
    percent_of: Optional[str] = None
    review_status: str


class FactPage(BaseModel):
    items: list[FactOut]
    next_cursor: Optional[int] = None


class ReviewOut(BaseModel):
    action: str
    reviewer: Optional[str] = None          # only for callers with an API token: reviewers' names are not public
    at: dt.datetime
    note: Optional[str] = None
    changed: dict[str, list]


class FactDetail(FactOut):
    evidence_start: int
    evidence_end: int
    value_start: int
    value_end: int
    history: list[ReviewOut]


class OfficialOut(BaseModel):
    official_id: int
    name: str
    rank: Optional[str] = None
    titles: list[str]
    province_legacy_name: Optional[str] = None
    province_current_name: Optional[str] = None
    articles: int


class OfficialPage(BaseModel):
    items: list[OfficialOut]
    next_cursor: Optional[int] = None


class ArticleOut(BaseModel):
    article_id: int
    article: str
    source: str
    url: Optional[str] = None
    title: Optional[str] = None
    published: Optional[dt.date] = None
    status: str
    error: Optional[str] = None
    province_legacy_name: Optional[str] = None
    province_current_name: Optional[str] = None
    duplicate_of: Optional[int] = None
    facts: int


class ArticlePage(BaseModel):
    items: list[ArticleOut]
    next_cursor: Optional[int] = None


class ObservationOut(BaseModel):
    """One point of a series: the series key, the chosen value and the rule that chose it."""
    observation_id: int
    province_legacy_code: Optional[str] = None
    province_legacy_name: Optional[str] = None
    province_current_code: Optional[str] = None
    province_current_name: Optional[str] = None
    concept: str
    kind: str
    role: str
    direction: Optional[str] = None
    unit: Optional[str] = None
    percent_of: Optional[str] = None
    period: Optional[str] = None
    period_start: Optional[dt.date] = None
    period_end: Optional[dt.date] = None
    as_of: Optional[str] = None
    value: Optional[float] = None
    chosen_by: str
    distinct_values: int
    articles: int
    sources: int
    facts: int
    mentions: int
    first_published: Optional[dt.date] = None
    last_published: Optional[dt.date] = None
    fact_ids: list[int]
    article_ids: list[int]


class EvidenceOut(BaseModel):
    fact_id: int
    value: Optional[float] = None
    chosen: bool
    review_status: str
    evidence: str
    article_id: int
    article: str
    title: Optional[str] = None
    url: Optional[str] = None
    published: Optional[dt.date] = None
    source: str


class ObservationDetail(ObservationOut):
    evidence: list[EvidenceOut]


class ObservationPage(BaseModel):
    items: list[ObservationOut]
    next_cursor: Optional[int] = None


class ConceptOut(BaseModel):
    key: str
    label: str
    facts: int


def client(request: Request, session: Session = Depends(get_db)) -> bool:
    """When the app requires tokens, every API call needs ``Authorization: Bearer <token>``. True when
    the caller presented a valid token (it may then see who made each decision)."""
    header = request.headers.get("authorization", "")
    token = header[7:].strip() if header.lower().startswith("bearer ") else None
    if token is not None and not accounts.api_token_valid(session, token):
        raise HTTPException(401, "invalid API token", headers={"WWW-Authenticate": "Bearer"})
    if request.app.state.require_api_tokens and token is None:
        raise HTTPException(401, "an API token is required", headers={"WWW-Authenticate": "Bearer"})
    return token is not None


def _bad(exc: Exception):
    raise HTTPException(422, str(exc)) from None


@router.get("/facts", response_model=FactPage, dependencies=[Depends(client)])
def list_facts(province: Optional[str] = Query(None, max_length=100, description="Legacy or current name, alias or code."),
               concept: Optional[str] = Query(None, max_length=60), kind: Optional[str] = Query(None, max_length=12),
               source: Optional[str] = Query(None, max_length=100),
               review: Optional[str] = Query(None, description="pending, accepted, edited or reviewed"),
               period_from: Optional[dt.date] = Query(None, description="Facts whose period ends on or after this day."),
               period_to: Optional[dt.date] = Query(None, description="Facts whose period starts on or before this day."),
               cursor: Optional[int] = Query(None, ge=0, le=thresholds.API_MAX_ID, description="next_cursor of the previous page."),
               limit: int = Query(100, ge=1, le=thresholds.API_MAX_LIMIT), session: Session = Depends(get_db)):
    """Facts from ``facts_current`` (rejected facts left out), oldest first, a page at a time."""
    try:
        sql, params = facts_sql(FactFilter(province, concept, kind, source, review, period_from, period_to),
                                after_id=cursor, limit=limit + 1)
    except ConfigError as exc:
        _bad(exc)
    rows = [dict(r) for r in session.execute(text(sql), params).mappings()]
    more = len(rows) > limit
    rows = rows[:limit]
    return {"items": rows, "next_cursor": rows[-1]["fact_id"] if more else None}


@router.get("/facts/{fact_id}", response_model=FactDetail)
def get_fact(fact_id: int = Path(..., ge=1, le=thresholds.API_MAX_ID), session: Session = Depends(get_db),
             identified: bool = Depends(client)):
    """One fact with its evidence sentence, offsets and every review decision on it."""
    row = session.execute(text("SELECT * FROM facts_current WHERE fact_id = :f"), {"f": fact_id}).mappings().first()
    if row is None:
        raise HTTPException(404, "no such fact (or it was rejected)")
    history = [{"action": step["review"].action, "reviewer": step["review"].reviewer if identified else None,
                "at": step["review"].created_at, "note": step["review"].note,
                "changed": {k: list(v) for k, v in step["changed"].items()}}
               for step in reviews.history(session, session.get(Fact, fact_id))]
    return {**dict(row), "history": history}


@router.get("/officials", response_model=OfficialPage, dependencies=[Depends(client)])
def list_officials(province: Optional[str] = Query(None, max_length=100), name: Optional[str] = Query(None, max_length=120),
                   cursor: Optional[int] = Query(None, ge=0, le=thresholds.API_MAX_ID), limit: int = Query(100, ge=1, le=thresholds.API_MAX_LIMIT),
                   session: Session = Depends(get_db)):
    """People in the officials registry, with titles and article counts."""
    import json

    where, params = ["1 = 1"], {"limit": limit + 1}
    if province:
        try:
            where.append(province_condition(province, "province_legacy_code", params))
        except ConfigError as exc:
            _bad(exc)
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
    more = len(rows) > limit
    rows = rows[:limit]
    return {"items": rows, "next_cursor": rows[-1]["official_id"] if more else None}


@router.get("/concepts", response_model=list[ConceptOut], dependencies=[Depends(client)])
def list_concepts(session: Session = Depends(get_db)):
    """The indicator vocabulary with how many current facts each key has."""
    counts = dict(session.execute(text("SELECT concept, COUNT(*) FROM facts_current GROUP BY concept")).all())
    return [{"key": k, "label": c.label, "facts": counts.get(k, 0)} for k, c in gazetteer.concepts().items()]


@router.get("/articles", response_model=ArticlePage, dependencies=[Depends(client)])
def list_articles(source: Optional[str] = Query(None, max_length=100),
                  province: Optional[str] = Query(None, max_length=100, description="Legacy or current name, alias or code."),
                  status: Optional[str] = Query(None, description="ok, failed or quarantined"),
                  published_from: Optional[dt.date] = Query(None, description="Published on or after this day."),
                  published_to: Optional[dt.date] = Query(None, description="Published on or before this day."),
                  cursor: Optional[int] = Query(None, ge=0, le=thresholds.API_MAX_ID, description="next_cursor of the previous page."),
                  limit: int = Query(100, ge=1, le=thresholds.API_MAX_LIMIT), session: Session = Depends(get_db)):
    """Stored articles with their status (and reason), title, address, province and current fact count."""
    where, params = ["1 = 1"], {"limit": limit + 1}
    try:
        if province:
            where.append(province_condition(province, "a.province_legacy_code", params))
        if status and status not in ARTICLE_STATUSES:
            raise ConfigError(f"status must be one of {', '.join(ARTICLE_STATUSES)}, not {status!r}")
    except ConfigError as exc:
        _bad(exc)
    for name, value, condition in (("source", source, "s.key = :source"), ("status", status, "a.status = :status"),
                                   ("published_from", published_from, "a.published >= :published_from"),
                                   ("published_to", published_to, "a.published <= :published_to"),
                                   ("cursor", cursor, "a.id > :cursor")):
        if value is not None:
            where.append(condition)
            params[name] = value
    rows = [dict(r) for r in session.execute(text(
        "SELECT a.id AS article_id, a.article_key AS article, s.key AS source, a.url, a.title, a.published, a.status, "
        "a.error, p.legacy_name AS province_legacy_name, p.current_name AS province_current_name, "
        "a.duplicate_of_id AS duplicate_of, "
        "(SELECT COUNT(*) FROM facts_current f WHERE f.article_id = a.id) AS facts "
        "FROM articles a JOIN sources s ON s.id = a.source_id "
        "LEFT JOIN provinces p ON p.legacy_code = a.province_legacy_code "
        f"WHERE {' AND '.join(where)} ORDER BY a.id LIMIT :limit"), params).mappings()]
    more = len(rows) > limit
    rows = rows[:limit]
    return {"items": rows, "next_cursor": rows[-1]["article_id"] if more else None}


@router.get("/observations", response_model=ObservationPage, dependencies=[Depends(client)])
def list_observations(province: Optional[str] = Query(None, max_length=100, description="Legacy or current name, alias or code."),
                      concept: Optional[str] = Query(None, max_length=60), kind: Optional[str] = Query(None, max_length=12),
                      role: Optional[str] = Query(None, description="actual, change or target"),
                      period_from: Optional[dt.date] = Query(None, description="Observations whose period ends on or after this day."),
                      period_to: Optional[dt.date] = Query(None, description="Observations whose period starts on or before this day."),
                      min_articles: int = Query(1, ge=1, le=10_000, description="Reported by at least this many articles."),
                      cursor: Optional[int] = Query(None, ge=0, le=thresholds.API_MAX_ID, description="next_cursor of the previous page."),
                      limit: int = Query(100, ge=1, le=thresholds.API_MAX_LIMIT), session: Session = Depends(get_db)):
    """One row per series key (province, concept, kind, role, direction, unit, percent_of, period or
    as_of): the chosen value, the rule that chose it, how many distinct values were reported and the
    ids of the facts and articles behind it."""
    where, params = ["articles >= :min_articles"], {"limit": limit + 1, "min_articles": min_articles}
    try:
        check_filter(kind=kind, concept=concept)
        if role and role not in ROLES:
            raise ConfigError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
        if province:
            where.append(province_condition(province, "province_legacy_code", params))
    except ConfigError as exc:
        _bad(exc)
    for name, value, condition in (("concept", concept, "concept = :concept"), ("kind", kind, "kind = :kind"),
                                   ("role", role, "role = :role"),
                                   ("period_from", period_from, "period_end >= :period_from"),
                                   ("period_to", period_to, "period_start <= :period_to"),
                                   ("cursor", cursor, "observation_id > :cursor")):
        if value is not None:
            where.append(condition)
            params[name] = value
    rows = [_observation(r) for r in session.execute(text(
        f"SELECT * FROM observations WHERE {' AND '.join(where)} ORDER BY observation_id LIMIT :limit"), params).mappings()]
    more = len(rows) > limit
    rows = rows[:limit]
    return {"items": rows, "next_cursor": rows[-1]["observation_id"] if more else None}


def _observation(row) -> dict:
    out = dict(row)
    for name in ("fact_ids", "article_ids"):
        out[name] = sorted(int(i) for i in str(out[name] or "").split(",") if i)
    return out


@router.get("/observations/{observation_id}", response_model=ObservationDetail, dependencies=[Depends(client)])
def get_observation(observation_id: int = Path(..., ge=1, le=thresholds.API_MAX_ID), session: Session = Depends(get_db)):
    """One observation with its evidence: each fact reported for the series (its value, whether it is
    the chosen one, its sentence) and the article it comes from (title, address, date)."""
    found = observation_evidence(session, observation_id)
    if found is None:
        raise HTTPException(404, "no such observation")
    row, evidence = found
    return {**_observation(row), "evidence": evidence}
