"""Filters over the downstream views, in one place for the API, the exports and the charts.

Every value is a bound parameter; column names come from this module only, never from a request.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import regex

import gazetteer
from gazetteer.resolve import resolve_province
from pipeline.errors import ConfigError

REVIEW_STATES = ("pending", "accepted", "edited", "reviewed")
KINDS = ("percent", "count", "quantity", "ratio", "money", "score", "rank")
ARTICLE_STATUSES = ("ok", "failed", "quarantined")
ROLES = ("actual", "change", "target")


@dataclass
class FactFilter:
    province: str | None = None       # a legacy or current name, an alias, or a two-digit code
    concept: str | None = None
    kind: str | None = None
    source: str | None = None
    review: str | None = None         # pending | accepted | edited | reviewed (accepted or edited)
    period_from: dt.date | None = None
    period_to: dt.date | None = None  # facts whose period overlaps [period_from, period_to]
    article: str | None = None


def legacy_codes(value: str) -> set[str]:
    """The legacy province codes a province given by code or name stands for, on either map.

    A legacy name stands for that province only; a current name for every legacy province merged
    into it; a two-digit code for the legacy province with that code and every legacy province of
    the current unit with that code."""
    value = value.strip()
    legacy = gazetteer.provinces().values()
    if regex.fullmatch(r"\d{1,2}", value):
        code = value.zfill(2)
        return {p.legacy_code for p in legacy if code in (p.legacy_code, p.current_code)}
    current = {name.lower(): code for name, code in gazetteer.provinces_current().items()}
    ref = resolve_province(value)
    if value.lower() in current and (ref is None or ref.legacy.lower() != value.lower() or ref.current.lower() == value.lower()):
        return {p.legacy_code for p in legacy if p.current_code == current[value.lower()]}
    if ref is None:
        raise ConfigError(f"unknown province {value!r}")
    return {ref.legacy_code}


def province_condition(value: str, legacy_col: str, params: dict, key: str = "prov") -> str:
    """A condition on ``legacy_col`` matching a province given by code or name (see :func:`legacy_codes`)."""
    names = []
    for i, code in enumerate(sorted(legacy_codes(value))):
        params[f"{key}{i}"] = code
        names.append(f":{key}{i}")
    return f"{legacy_col} IN ({', '.join(names)})"


def check_filter(kind: str | None = None, concept: str | None = None, province: str | None = None,
                 review: str | None = None) -> None:
    """A filter value that can match nothing is a mistake, said as one line (the API answers 422)."""
    if kind and kind not in KINDS:
        raise ConfigError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    if concept and concept != "other" and concept not in gazetteer.concepts():
        raise ConfigError(f"unknown concept {concept!r} (vnfacts concepts lists them)")
    if province:
        legacy_codes(province)
    if review and review not in REVIEW_STATES:
        raise ConfigError(f"review must be one of {', '.join(REVIEW_STATES)}")


ORDERS = {"fact": "fact_id", "article": "article, value_start, fact_id"}


def facts_sql(f: FactFilter, columns: str = "*", after_id: int | None = None, limit: int | None = None,
              order: str = "fact") -> tuple[str, dict]:
    """The one SQL builder over ``facts_current``: the filter's conditions, keyset paging after
    ``after_id`` and an order named in :data:`ORDERS`."""
    check_filter(f.kind, f.concept, None, f.review)
    where, params = ["1 = 1"], {}
    if f.province:
        where.append(province_condition(f.province, "province_legacy_code", params))
    for name in ("concept", "kind", "source", "article"):
        value = getattr(f, name)
        if value:
            where.append(f"{name} = :{name}")
            params[name] = value
    if f.review:
        if f.review not in REVIEW_STATES:
            raise ConfigError(f"review must be one of {', '.join(REVIEW_STATES)}")
        if f.review == "reviewed":
            where.append("review_status IN ('accepted', 'edited')")
        else:
            where.append("review_status = :review")
            params["review"] = f.review
    if f.period_from:
        where.append("period_end >= :period_from")
        params["period_from"] = f.period_from
    if f.period_to:
        where.append("period_start <= :period_to")
        params["period_to"] = f.period_to
    if after_id is not None:
        where.append("fact_id > :after_id")
        params["after_id"] = after_id
    sql = f"SELECT {columns} FROM facts_current WHERE {' AND '.join(where)} ORDER BY {ORDERS[order]}"
    if limit is not None:
        sql += " LIMIT :limit"
        params["limit"] = limit
    return sql, params
