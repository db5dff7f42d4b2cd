"""The normalise stage: mentions become fact, official and article records with stable field values.

The records are plain dicts in the shape of the CLI contract (DESIGN.md) and the fact store.
"""
from __future__ import annotations

import vnfacts
from vnfacts.extractors.periods import period_bounds
from vnfacts.pipeline.extract import Mentions


def article_record(m: Mentions) -> dict:
    return {"type": "article", "article": m.article,
            "province": m.province.as_dict() if m.province else None,
            "published": m.published, "title": m.analysis.title}


def official_records(m: Mentions) -> list[dict]:
    province = m.province.legacy if m.province else None
    return [{"type": "official", "article": m.article, "name": o.name, "rank": o.rank, "titles": o.titles,
             "province": province, "start": o.start, "end": o.end, "found_by": o.found_by,
             "appearances": [list(a) for a in o.appearances]} for o in m.officials]


def fact_records(m: Mentions) -> list[dict]:
    out = []
    for q, sem, ind in zip(m.quantities, m.semantics, m.indicators):
        start, end = period_bounds(sem.period)
        numerator, denominator = (q.value if q.kind == "ratio" else (None, None))
        out.append({
            "type": "fact", "article": m.article, "kind": q.kind, "value": q.value, "unit": q.unit,
            "qualifier": q.qualifier, "role": sem.role, "direction": sem.direction, "baseline": sem.baseline,
            "period": sem.period, "period_start": start.isoformat() if start else None,
            "period_end": end.isoformat() if end else None, "as_of": sem.as_of, "negated": sem.negated,
            "concept": ind.concept, "indicator": ind.phrase, "subject": ind.subject, "numerator": numerator, "denominator": denominator,
            "evidence": q.sentence.text, "evidence_start": q.sentence.start, "evidence_end": q.sentence.end,
            "start": q.start, "end": q.end, "extractor_version": vnfacts.EXTRACTOR_VERSION,
        })
    return out


def records(m: Mentions) -> list[dict]:
    return [article_record(m)] + official_records(m) + fact_records(m)
