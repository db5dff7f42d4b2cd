"""The normalise stage: mentions become an :class:`~pipeline.result.ArticleResult` — fact, official
and article records with stable field values, plain data that crosses process boundaries and
feeds the store.

The records are dicts in the shape of the CLI contract (docs/DESIGN.md) and the fact store.
"""
from __future__ import annotations

import bisect

import extractors
from extractors.document import Analysis
from extractors.percent_of import percent_of
from extractors.periods import period_bounds
from pipeline.extract import Mentions
from pipeline.result import ArticleResult
from settings import thresholds


def normalise(m: Mentions) -> ArticleResult:
    return ArticleResult(m.article, m.text, m.text_hash, m.analysis.title, m.published, m.province,
                         fact_records(m), official_records(m), list(m.warnings),
                         extractor_version=extractors.EXTRACTOR_VERSION)


def official_records(m: Mentions) -> list[dict]:
    province = m.province.legacy if m.province else None
    return [{"type": "official", "article": m.article, "name": o.name, "rank": o.rank, "titles": o.titles,
             "province": province, "start": o.start, "end": o.end, "found_by": o.found_by,
             "appearances": [list(a) for a in o.appearances]} for o in m.officials]


def fact_records(m: Mentions) -> list[dict]:
    """One record per fact: a quantity stated again in the headline, the lead or a caption is merged
    into one fact with several mentions (docs/GOLD.md), anchored where the body first states it."""
    return merge_mentions(_mention_records(m), m.analysis)


def _mention_records(m: Mentions) -> list[dict]:
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
            # A change ("tăng 32% so với cùng kỳ") is a change against its base already: role says so.
            "percent_of": percent_of(m.text, q.end) if q.kind == "percent" and sem.role != "change" else None,
            "evidence": q.sentence.text, "evidence_start": q.sentence.start, "evidence_end": q.sentence.end,
            "start": q.start, "end": q.end, "extractor_version": extractors.EXTRACTOR_VERSION,
        })
    return out


# Where in the article a mention stands; a repeat in one of the first three places is the same fact.
PLACES = ("headline", "lead", "caption", "body")
# A merged fact is anchored at its first statement in the text proper (the lead or the body), else at a
# caption, else at the headline.
ANCHOR_RANK = {"lead": 0, "body": 0, "caption": 1, "headline": 2}
# Fields two mentions must share to be one fact, and fields one of them may leave open.
SAME = ("kind", "value", "unit", "role", "direction", "baseline", "negated", "numerator", "denominator")
OPEN = {"concept": "other", "period": None, "as_of": None, "qualifier": "exact", "subject": None,
        "indicator": None}


def place_of(analysis: Analysis, offset: int) -> tuple[str, int]:
    """(place, paragraph index) of an offset: the headline, the lead (the first paragraph after it),
    a caption (another short line without a full stop, under a photo), or the body."""
    index = bisect.bisect_right(analysis.paragraph_starts, offset) - 1
    if index < 0 or offset > analysis.paragraphs[index][1]:
        return "body", -1
    start, end = analysis.paragraphs[index]
    if index == 0 and analysis.title is not None:
        return "headline", index
    if index == (1 if analysis.title is not None else 0):
        return "lead", index
    line = analysis.text[start:end].rstrip()
    if len(line) <= thresholds.CAPTION_MAX_CHARS and not line.endswith((".", "!", "?", ":", ";", "…")):
        return "caption", index
    return "body", index


def _compatible(a: dict, b: dict) -> bool:
    if any(a[k] != b[k] for k in SAME):
        return False
    return all(a[k] == b[k] or a[k] == empty or b[k] == empty for k, empty in OPEN.items()
               if k in ("concept", "period", "as_of", "qualifier"))


def _joins(record: dict, place: str, paragraph: int, group: list[tuple[dict, str, int]]) -> bool:
    """A mention joins a fact when it agrees with every mention of it, stands in another paragraph,
    and the fact has at most one body mention (two body statements are two facts)."""
    places = [p for _, p, _ in group]
    if place == "body" and "body" in places:
        return False
    return all(p != paragraph and _compatible(record, r) for r, _, p in group)


def merge_mentions(records: list[dict], analysis: Analysis) -> list[dict]:
    """Merge the records that state one quantity in different places of the article.

    Two mentions are one fact when they agree on kind, value, unit, role, direction, baseline and
    negation, do not contradict on concept, period, as_of or qualifier, stand in different paragraphs,
    and at least one of them is in the headline, the lead or a caption. Two mentions in the body are
    kept apart ("100%" of two communes is two facts). The fact keeps its first mention in the lead or
    the body (else a caption's, else the headline's) and takes from the others what it leaves open."""
    groups: list[list[tuple[dict, str, int]]] = []
    # Only mentions with the same value and reading can be one fact; a mention never joins a group
    # from its own paragraph, and a body mention joins only a group without one. Groups are indexed by
    # that key and the paragraph that opened them — those a body mention may join (opened in the
    # headline, lead or a caption) apart from those only another place may join (opened in the
    # body) — which keeps the merge linear in the number of mentions.
    for_any: dict[tuple, dict[int, list]] = {}
    for_non_body: dict[tuple, dict[int, list]] = {}
    for record in records:
        place, paragraph = place_of(analysis, record["start"])
        key = tuple(repr(record[k]) for k in SAME)
        indexes = (for_any,) if place == "body" else (for_any, for_non_body)
        home = None
        for index in indexes:
            for other_paragraph, candidates in index.get(key, {}).items():
                if other_paragraph == paragraph:
                    continue
                home = next((g for g in candidates if _joins(record, place, paragraph, g)), None)
                if home is not None:
                    break
            if home is not None:
                break
        if home is None:
            home = [(record, place, paragraph)]
            groups.append(home)
            (for_non_body if place == "body" else for_any).setdefault(key, {}).setdefault(paragraph, []).append(home)
        else:
            home.append((record, place, paragraph))
    out = []
    for group in groups:
        ordered = sorted(group, key=lambda g: (ANCHOR_RANK[g[1]], g[0]["start"]))
        fact = dict(ordered[0][0])
        for other, _, _ in ordered[1:]:
            for key, empty in OPEN.items():
                if fact[key] == empty and other[key] != empty:
                    fact[key] = other[key]
        if fact["period"] != ordered[0][0]["period"]:
            start, end = period_bounds(fact["period"])
            fact["period_start"] = start.isoformat() if start else None
            fact["period_end"] = end.isoformat() if end else None
        fact["mentions"] = [{"place": place, "start": r["start"], "end": r["end"], "evidence_start": r["evidence_start"],
                             "evidence_end": r["evidence_end"]} for r, place, _ in sorted(group, key=lambda g: g[0]["start"])]
        out.append(fact)
    return sorted(out, key=lambda f: f["start"])
