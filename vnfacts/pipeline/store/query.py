"""Filters over the downstream views, in one place for the API, the exports and the charts.

Every value is a bound parameter; column names come from this module only, never from a request.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import regex

from vnfacts import gazetteer
from vnfacts.extractors.places import resolve_province
from vnfacts.pipeline.errors import ConfigError

REVIEW_STATES = ("pending", "accepted", "edited", "reviewed")


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


def province_condition(value: str, legacy_col: str, current_col: str, params: dict, key: str = "prov") -> str:
    """A condition matching a province given by code or name, on either map.

    A legacy name matches that province only; a current name matches every legacy province merged
    into it; a code matches either map's code."""
    value = value.strip()
    if regex.fullmatch(r"\d{1,2}", value):
        params[key] = value.zfill(2)
        return f"({legacy_col} = :{key} OR {current_col} = :{key})"
    current = {name.lower(): code for name, code in gazetteer.provinces_current().items()}
    ref = resolve_province(value)
    if value.lower() in current and (ref is None or ref.legacy.lower() != value.lower() or ref.current.lower() == value.lower()):
        params[key] = current[value.lower()]
        return f"{current_col} = :{key}"
    if ref is None:
        raise ConfigError(f"unknown province {value!r}")
    params[key] = ref.legacy_code
    return f"{legacy_col} = :{key}"


def facts_sql(f: FactFilter, columns: str = "*", after_id: int | None = None, limit: int | None = None) -> tuple[str, dict]:
    where, params = ["1 = 1"], {}
    if f.province:
        where.append(province_condition(f.province, "province_legacy_code", "province_current_code", params))
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
    sql = f"SELECT {columns} FROM facts_current WHERE {' AND '.join(where)} ORDER BY fact_id"
    if limit is not None:
        sql += " LIMIT :limit"
        params["limit"] = limit
    return sql, params
