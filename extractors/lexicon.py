"""Phrase matchers built from gazetteer lists: one compiled alternation per list, longest first.

A regex alternation over a few hundred phrases is the single-pass automaton the extractors need;
building it once per list (cached) keeps every later match a single scan.
"""
from __future__ import annotations

from functools import cache, lru_cache

import regex

from gazetteer.loaders import Phrases


@cache
def vocabulary(*lists: str) -> Phrases:
    """The phrases of one or more gazetteer lists (a mapping gives its keys)."""
    import gazetteer

    out: list[str] = []
    for name in lists:
        out.extend(getattr(gazetteer, name)())
    return Phrases(out)


@cache
def cues(*keys: str) -> Phrases:
    """Cue phrases of one or more keys of semantic_cues.yaml ("change.increase" reaches a nested
    list) as one stable tuple; "@qualifiers" and other "@list" names add a gazetteer list."""
    import gazetteer

    out: list[str] = []
    for key in keys:
        if key.startswith("@"):
            out.extend(vocabulary(key[1:]))
            continue
        node = gazetteer.semantic_cues()
        for part in key.split("."):
            node = node[part]
        out.extend(node)
    return Phrases(out)


# Word boundaries that treat letters and digits as word characters, whatever the script.
LEFT = r"(?<![\p{L}\p{N}])"
RIGHT = r"(?![\p{L}\p{N}])"


def alternation(phrases) -> str:
    """The phrases as one alternation, longest first, with whitespace runs matching any space."""
    ordered = sorted({p for p in phrases if p}, key=len, reverse=True)
    return "|".join(regex.escape(p).replace(r"\ ", r"\s+") for p in ordered) or "(?!)"


def _flags(ignore_case: bool) -> int:
    return regex.IGNORECASE if ignore_case else 0


# Bounded: a caller that builds a new phrase list per call must not grow the caches without end.
@lru_cache(maxsize=512)
def _whole_word_pattern(phrases: tuple[str, ...], ignore_case: bool) -> regex.Pattern:
    return regex.compile(LEFT + "(?:" + alternation(phrases) + ")" + RIGHT, _flags(ignore_case))


@lru_cache(maxsize=512)
def _at_end_pattern(phrases: tuple[str, ...], ignore_case: bool) -> regex.Pattern:
    return regex.compile(LEFT + "(?:" + alternation(phrases) + r")\s*$", _flags(ignore_case))


def phrase_pattern(phrases: tuple[str, ...], ignore_case: bool = True) -> regex.Pattern:
    """Whole-word alternation of the phrases, longest first."""
    return _whole_word_pattern(phrases, ignore_case)


def match_at_start(phrases: tuple[str, ...], text: str, ignore_case: bool = True) -> regex.Match | None:
    """The longest phrase that starts at the beginning of ``text``."""
    return phrase_pattern(phrases, ignore_case).match(text)


def at_end_pattern(phrases: tuple[str, ...], ignore_case: bool = True) -> regex.Pattern:
    """Whole-word alternation of the phrases anchored at the end of the text (trailing spaces allowed)."""
    return _at_end_pattern(phrases, ignore_case)


def match_at_end(phrases: tuple[str, ...], text: str, ignore_case: bool = True) -> regex.Match | None:
    """The longest phrase that ends ``text`` (trailing spaces allowed)."""
    return _at_end_pattern(phrases, ignore_case).search(text)
