"""Indicator phrase and concept key for each quantity.

The concept is read from cues (``gazetteer/data/concepts.yaml``) in widening regions around the
number: the indicator phrase itself, then the text before it in its segment (up to ";" or ":"),
the text after it in the segment, the rest of the sentence, and the previous sentence. In each
region a concept that another one present dominates is dropped, and the cue nearest the number
wins. Weak cues count only when no region has a cue. Nothing found: ``other``.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import regex

from vnfacts import gazetteer
from vnfacts.extractors.concepts import patterns as P
from vnfacts.extractors.lexicon import phrase_pattern
from vnfacts.extractors.quantities import Quantity
from vnfacts.pipeline.analyse import Analysis

MAX_PHRASE_WORDS = 12


@dataclass
class Indicator:
    phrase: str | None
    concept: str


@cache
def _cue_index(weak: bool) -> tuple[regex.Pattern, dict[str, str]]:
    owner: dict[str, str] = {}
    for concept in gazetteer.concepts().values():
        for cue in (concept.weak if weak else concept.cues):
            owner.setdefault(_key(cue), concept.key)
    return phrase_pattern(tuple(owner)), owner


def _key(s: str) -> str:
    return regex.sub(r"\s+", " ", s.strip()).lower()


def classify(analysis: Analysis, quantities: list[Quantity], roles: list[str]) -> list[Indicator]:
    out: list[Indicator] = []
    for i, q in enumerate(quantities):
        phrase, (pa, pb) = _indicator_phrase(analysis, q)
        prev = out[-1] if out and quantities[i - 1].sentence is q.sentence else None
        if roles[i] == "change" and prev is not None and quantities[i - 1].end <= q.start:
            out.append(Indicator(prev.phrase, prev.concept))
            continue
        out.append(Indicator(phrase, _concept(analysis, q, pa, pb)))
    return out


def _indicator_phrase(analysis: Analysis, q: Quantity) -> tuple[str | None, tuple[int, int]]:
    text, s = analysis.text, q.sentence
    if q.kind != "percent" or regex.match(r"\s*[\p{L}]", text[q.unit_end:s.end]) and not regex.match(
            r"\s*(?:so\s+với|vượt|tăng|giảm|và|trong|so|của)(?![\p{L}])", text[q.unit_end:s.end], regex.I):
        a = q.end if q.kind != "percent" else q.unit_end
        stop = P.NP_END.search(text, q.unit_end, s.end)
        b = stop.start() if stop else s.end
        words = list(P.WORDS.finditer(text, a, b))[:MAX_PHRASE_WORDS]
        if not words:
            return None, (q.start, q.surface_end)
        a = words[0].start() if q.kind == "percent" else a
        b = words[-1].end()
        phrase = text[a:b].strip() if q.kind == "percent" else text[q.end:b].strip()
        return phrase or None, (q.end, b)
    # A percentage's subject stands before it: "Tỷ lệ kích hoạt … toàn tỉnh tính đến ngày 10.6 đạt 75,1%".
    seg_start = max((m.end() for m in P.SUBJECT_START.finditer(text, s.start, q.start)), default=s.start)
    heads = list(P.SUBJECT_HEAD.finditer(text, seg_start, q.start))
    a = heads[-1].start() if heads else seg_start
    end = P.SUBJECT_END.search(text, a + 1, q.start)
    b = end.start() if end else q.start
    words = list(P.WORDS.finditer(text, a, b))[-MAX_PHRASE_WORDS:]
    if not words:
        return None, (seg_start, q.start)
    phrase = text[words[0].start():words[-1].end()].strip(" ,")
    return phrase or None, (words[0].start(), q.start)


def _concept(analysis: Analysis, q: Quantity, pa: int, pb: int) -> str:
    text, s = analysis.text, q.sentence
    seg_start = max((m.end() for m in regex.finditer(r"[;:]", text[s.start:q.start])), default=0) + s.start
    seg_end_m = regex.search(r"[;:]", text[q.surface_end:s.end])
    seg_end = q.surface_end + seg_end_m.start() if seg_end_m else s.end
    is_price = bool(P.PRICE_AFTER.match(text[q.unit_end:q.unit_end + 5])) and q.kind == "money"
    regions = [(pa, pb)]
    if not is_price:
        regions += [(seg_start, q.start), (q.surface_end, seg_end), (s.start, s.end)]
        if s.index > 0 and analysis.sentences[s.index - 1].paragraph == s.paragraph:
            prev = analysis.sentences[s.index - 1]
            regions.append((prev.start, prev.end))
    for weak in (False, True):
        for a, b in (regions if not weak else regions[:1] + regions[3:4]):
            found = _best(text, a, b, q, weak)
            if found:
                return found
    return "other"


def _best(text: str, a: int, b: int, q: Quantity, weak: bool) -> str | None:
    if b <= a:
        return None
    pattern, owner = _cue_index(weak)
    hits = []
    for m in pattern.finditer(text, a, b):
        key = owner.get(_key(m.group(0)))
        if key:
            distance = q.start - m.end() if m.end() <= q.start else m.start() - q.surface_end
            hits.append((max(distance, 0), key))
    if not hits:
        return None
    present = {k for _, k in hits}
    concepts = gazetteer.concepts()
    dominated = {d for k in present for d in concepts[k].dominates}
    hits = [h for h in hits if h[1] not in dominated] or hits
    return min(hits)[1]
