"""What a percentage is of, when it is not a rate of a population: "đạt 71,2% kế hoạch" (of the
plan), "bằng 58% dự toán" (of the budget estimate), "đạt 115% chỉ tiêu" (of the target). The words
are data (gazetteer/data/percent_bases.yaml); a chart or a series keeps these apart from rates."""
from __future__ import annotations

from functools import cache

import regex

import gazetteer
from extractors.lexicon import alternation

# Look this far after the percentage: a link word and the base are a few words at most.
WINDOW = 40


@cache
def _pattern() -> regex.Pattern:
    data = gazetteer.percent_bases()
    links = alternation(tuple(data.links))
    bases = alternation(tuple(data.bases))
    # e.g. "% kế hoạch", "% so với kế hoạch", "% dự toán năm", "% KH"
    return regex.compile(rf"^[\s%]*(?:(?:{links})\s+)?(?P<base>{bases})(?!\w)", regex.IGNORECASE)


@cache
def _by_key() -> dict[str, str]:
    return {k.lower(): v for k, v in gazetteer.percent_bases().bases.items()}


def percent_of(text: str, end: int) -> str | None:
    """What the percentage ending at ``end`` of ``text`` is of (``plan``, ``estimate``, ``target``,
    ``prior_period``), or None for a plain rate."""
    m = _pattern().match(text[end:end + WINDOW])
    if m is None:
        return None
    return _by_key().get(" ".join(m.group("base").split()).lower())
