"""Which province an article is about.

Votes: each mention of a province (or an alias) counts one; a district named with its unit word
("huyện Tháp Mười") counts one for the only province that has it; a newspaper dateline ("BHG-")
counts five. The winner needs two votes and twice the runner-up's; otherwise the report is national
(or about several provinces) and the province is null. A hint from the source or sidecar wins.
"""
from __future__ import annotations

import collections
from functools import cache

import gazetteer
from gazetteer.resolve import ProvinceRef, resolve_province
from extractors.lexicon import phrase_pattern
from extractors.places import patterns as P
from settings import thresholds



@cache
def _names_pattern():
    names = tuple(gazetteer.provinces()) + tuple(gazetteer.province_aliases())
    return phrase_pattern(names, False)


@cache
def _districts_pattern():
    return phrase_pattern(tuple(gazetteer.districts()), False)


@cache
def _legacy_name_by_code() -> dict[str, str]:
    return {p.legacy_code: p.legacy_name for p in gazetteer.provinces().values()}


def province_votes(text: str) -> collections.Counter[str]:
    votes: collections.Counter[str] = collections.Counter()
    aliases = gazetteer.province_aliases()
    for m in _names_pattern().finditer(text):
        name = aliases.get(m.group(0), m.group(0))
        votes[name] += 1
    by_code = _legacy_name_by_code()
    districts = gazetteer.districts()
    for m in _districts_pattern().finditer(text):
        codes = districts[m.group(0)]
        if len(codes) == 1 and P.district_intro().search(text[max(0, m.start() - 12):m.start()]):
            votes[by_code[next(iter(codes))]] += 1
    datelines = gazetteer.datelines()
    for m in P.DATELINE.finditer(text[:600]):
        if m.group("code") in datelines:
            votes[datelines[m.group("code")]] += thresholds.DATELINE_VOTES
    return votes


def article_province(text: str, hint: str | None = None) -> ProvinceRef | None:
    if hint:
        hinted = resolve_province(hint)
        if hinted:
            return hinted
    ranked = province_votes(text).most_common(2)
    if not ranked or ranked[0][1] < thresholds.PROVINCE_MIN_VOTES:
        return None
    if len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1]:
        return None
    return resolve_province(ranked[0][0])
