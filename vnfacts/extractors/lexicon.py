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


_IDENTITY_SLOTS = 256        # callers that build a new tuple per call must not grow these without bound
PatternCache = dict[tuple[int, bool], tuple[tuple[str, ...], regex.Pattern]]
_WHOLE_WORD: PatternCache = {}
_AT_END: PatternCache = {}


def _by_identity(store: PatternCache, build, phrases: tuple[str, ...], ignore_case: bool) -> regex.Pattern:
    """The pattern ``build`` makes for ``phrases``, found by the tuple's identity first.

    Gazetteer loaders return the same tuple every call, and hashing a few hundred phrases on every
    call would cost more than the match; ``build`` is itself cached by value for new tuples."""
    key = (id(phrases), ignore_case)
    hit = store.get(key)
    if hit is None or hit[0] is not phrases:
        if len(store) >= _IDENTITY_SLOTS:
            store.clear()
        hit = store[key] = (phrases, build(phrases, ignore_case))   # the tuple is kept alive, so its id is never reused
    return hit[1]


def _alternation(phrases: tuple[str, ...]) -> str:
    """The phrases as one alternation, longest first, with whitespace runs matching any space."""
    ordered = sorted({p for p in phrases if p}, key=len, reverse=True)
    return "|".join(regex.escape(p).replace(r"\ ", r"\s+") for p in ordered) or "(?!)"


def _flags(ignore_case: bool) -> int:
    return regex.IGNORECASE if ignore_case else 0


@cache
def _whole_word_pattern(phrases: tuple[str, ...], ignore_case: bool) -> regex.Pattern:
    return regex.compile(LEFT + "(?:" + _alternation(phrases) + ")" + RIGHT, _flags(ignore_case))


@cache
def _at_end_pattern(phrases: tuple[str, ...], ignore_case: bool) -> regex.Pattern:
    return regex.compile(LEFT + "(?:" + _alternation(phrases) + r")\s*$", _flags(ignore_case))


def phrase_pattern(phrases: tuple[str, ...], ignore_case: bool = True) -> regex.Pattern:
    """Whole-word alternation of the phrases, longest first."""
    return _by_identity(_WHOLE_WORD, _whole_word_pattern, phrases, ignore_case)


def match_at_start(phrases: tuple[str, ...], text: str, ignore_case: bool = True) -> regex.Match | None:
    """The longest phrase that starts at the beginning of ``text``."""
    return phrase_pattern(phrases, ignore_case).match(text)


def match_at_end(phrases: tuple[str, ...], text: str, ignore_case: bool = True) -> regex.Match | None:
    """The longest phrase that ends ``text`` (trailing spaces allowed)."""
    return _by_identity(_AT_END, _at_end_pattern, phrases, ignore_case).search(text)
