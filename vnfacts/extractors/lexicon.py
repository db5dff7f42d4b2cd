"""Phrase matchers built from gazetteer lists: one compiled alternation per list, longest first.

A regex alternation over a few hundred phrases is the single-pass automaton the extractors need;
building it once per list (cached) keeps every later match a single scan.
"""
from __future__ import annotations

from functools import cache

import regex

@cache
def vocabulary(*lists: str) -> tuple[str, ...]:
    """The phrases of one or more gazetteer lists (a mapping gives its keys) as one stable tuple,
    so the pattern caches below find it by identity on every call."""
    from vnfacts import gazetteer

    out: list[str] = []
    for name in lists:
        out.extend(getattr(gazetteer, name)())
    return tuple(out)


@cache
def cues(*keys: str) -> tuple[str, ...]:
    """Cue phrases of one or more keys of semantic_cues.yaml ("change.increase" reaches a nested
    list) as one stable tuple; "@qualifiers" and other "@list" names add a gazetteer list."""
    from vnfacts import gazetteer

    out: list[str] = []
    for key in keys:
        if key.startswith("@"):
            out.extend(vocabulary(key[1:]))
            continue
        node = gazetteer.semantic_cues()
        for part in key.split("."):
            node = node[part]
        out.extend(node)
    return tuple(out)


# Word boundaries that treat letters and digits as word characters, whatever the script.
LEFT = r"(?<![\p{L}\p{N}])"
RIGHT = r"(?![\p{L}\p{N}])"


_BY_IDENTITY: dict[tuple[int, bool], tuple[tuple[str, ...], regex.Pattern]] = {}
_IDENTITY_SLOTS = 256        # callers that build a new tuple per call must not grow this without bound


def phrase_pattern(phrases: tuple[str, ...], ignore_case: bool = True) -> regex.Pattern:
    """Whole-word alternation of the phrases (see :func:`_phrase_pattern`).

    Gazetteer loaders return the same tuple every call, so the pattern is found by the tuple's
    identity first: hashing a few hundred phrases on every call would cost more than the match."""
    key = (id(phrases), ignore_case)
    hit = _BY_IDENTITY.get(key)
    if hit is not None and hit[0] is phrases:
        return hit[1]
    pattern = _phrase_pattern(phrases, ignore_case)
    if len(_BY_IDENTITY) >= _IDENTITY_SLOTS:
        _BY_IDENTITY.clear()
    _BY_IDENTITY[key] = (phrases, pattern)       # the tuple is kept alive, so its id is never reused
    return pattern


@cache
def _phrase_pattern(phrases: tuple[str, ...], ignore_case: bool = True) -> regex.Pattern:
    """Whole-word alternation of the phrases, longest first, with whitespace runs matching any space."""
    ordered = sorted({p for p in phrases if p}, key=len, reverse=True)
    if not ordered:
        return regex.compile(r"(?!)")
    body = "|".join(regex.escape(p).replace(r"\ ", r"\s+") for p in ordered)
    return regex.compile(LEFT + "(?:" + body + ")" + RIGHT, regex.IGNORECASE if ignore_case else 0)


def match_at_start(phrases: tuple[str, ...], text: str, ignore_case: bool = True) -> regex.Match | None:
    """The longest phrase that starts at the beginning of ``text``."""
    return phrase_pattern(phrases, ignore_case).match(text)


@cache
def _suffix_pattern(phrases: tuple[str, ...], ignore_case: bool) -> regex.Pattern:
    ordered = sorted({p for p in phrases if p}, key=len, reverse=True)
    body = "|".join(regex.escape(p).replace(r"\ ", r"\s+") for p in ordered) or "(?!)"
    return regex.compile(LEFT + "(?:" + body + r")\s*$", regex.IGNORECASE if ignore_case else 0)


_SUFFIX_BY_IDENTITY: dict[tuple[int, bool], tuple[tuple[str, ...], regex.Pattern]] = {}


def match_at_end(phrases: tuple[str, ...], text: str, ignore_case: bool = True) -> regex.Match | None:
    """The longest phrase that ends ``text`` (trailing spaces allowed)."""
    key = (id(phrases), ignore_case)
    hit = _SUFFIX_BY_IDENTITY.get(key)
    if hit is None or hit[0] is not phrases:
        if len(_SUFFIX_BY_IDENTITY) >= _IDENTITY_SLOTS:
            _SUFFIX_BY_IDENTITY.clear()
        hit = _SUFFIX_BY_IDENTITY[key] = (phrases, _suffix_pattern(phrases, ignore_case))
    return hit[1].search(text)
