"""The normalise stage: mentions become an :class:`ArticleResult` — fact, official and article
records with stable field values, plain data that crosses process boundaries and feeds the store.

The records are dicts in the shape of the CLI contract (DESIGN.md) and the fact store.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import extractors
from extractors.periods import period_bounds
from extractors.places import ProvinceRef
from pipeline.extract import Mentions
from pipeline.simhash import simhash


@dataclass
class ArticleResult:
    article: str
    text: str
    text_hash: str
    title: str | None
    published: str | None
    province: ProvinceRef | None
    facts: list[dict] = field(default_factory=list)
    officials: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    simhash: int = 0              # of the body (without the headline), for near-duplicate links
    extractor_version: str = ""   # the extractors that made the facts (stored with them)

    def article_record(self) -> dict:
        return {"type": "article", "article": self.article,
                "province": self.province.as_dict() if self.province else None,
                "published": self.published, "title": self.title}

    def records(self) -> list[dict]:
        return [self.article_record(), *self.officials, *self.facts]


def normalise(m: Mentions) -> ArticleResult:
    return ArticleResult(m.article, m.text, m.text_hash, m.analysis.title, m.published, m.province,
                         fact_records(m), official_records(m), list(m.warnings), simhash(body_of(m.text)),
                         extractors.EXTRACTOR_VERSION)


def body_of(text: str) -> str:
    """The text without its first line: a re-posted article often gets a new headline."""
    head, _, body = text.partition("\n")
    return body or head


def official_records(m: Mentions) -> list[dict]:
    province = m.province.legacy if m.province else None
    return [{"type": "official", "article": m.article, "name": o.name, "rank": o.rank, "titles": o.titles,
             "province": province, "start": o.start, "end": o.end, "found_by": o.found_by,
             "appearances": [list(a) for a in o.appearances]} for o in m.officials]


def fact_records(m: Mentions) -> list[dict]:
    out = []
    for q, sem, ind in zip(m.quantities, m.semantics, m.indicators):
        start, end = period_bounds(sem.period)
        numerator, denominator = (q.value if q.kind == "ratio" else (None, q.of if q.kind == "rank" else None))
        out.append({
            "type": "fact", "article": m.article, "kind": q.kind, "value": q.value, "unit": q.unit,
            "qualifier": q.qualifier, "role": sem.role, "direction": sem.direction, "baseline": sem.baseline,
            "period": sem.period, "period_start": start.isoformat() if start else None,
            "period_end": end.isoformat() if end else None, "as_of": sem.as_of, "negated": sem.negated,
            "concept": ind.concept, "indicator": ind.phrase, "subject": ind.subject,
            "numerator": numerator, "denominator": denominator, "of": q.of,
            "evidence": q.sentence.text, "evidence_start": q.sentence.start, "evidence_end": q.sentence.end,
            "start": q.start, "end": q.end, "extractor_version": extractors.EXTRACTOR_VERSION,
        })
    return out
