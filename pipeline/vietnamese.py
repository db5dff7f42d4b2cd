"""Vietnamese orthography: tone-mark placement and syllable structure.

Pure functions over strings that keep the length of every syllable they do not split, so the
cleaner can apply them before offsets are fixed.
"""
from __future__ import annotations

import math
import unicodedata
from functools import cache, lru_cache

import regex

import gazetteer

TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng

# Open syllables in oa, oe, uy: the press writes both "hoà" and "hòa"; the reference style (the one
# the gold annotations and most provincial portals use) puts the mark on the first vowel.
_PAIRS = (("o", "a"), ("o", "e"), ("u", "y"))


@cache
def _tone_style_table() -> dict[str, str]:
    table = {}
    for first, second in _PAIRS:
        for mark in TONE_MARKS:
            for f, s in ((first, second), (first.upper(), second), (first.upper(), second.upper())):
                new_style = unicodedata.normalize("NFC", f + s + mark)
                old_style = unicodedata.normalize("NFC", f + mark + s)
                table[new_style] = old_style
    return table


# e.g. "hoà" (the pair is the end of the word), but not "quý" (qu is the onset) or "hoàn" (closed syllable)
_TONE_PAIR = regex.compile(r"(?<![qQ])(?P<pair>[oOuU][\p{L}])(?![\p{L}])")


def normalise_tone_marks(text: str) -> str:
    """Move the tone mark of open oa/oe/uy syllables to the first vowel: hoà → hòa, uỷ → ủy."""
    table = _tone_style_table()

    def fix(m: regex.Match) -> str:
        return table.get(m.group("pair"), m.group("pair"))

    return _TONE_PAIR.sub(fix, text)


def is_syllable(token: str) -> bool:
    return token.lower() in gazetteer.syllables()


def has_vietnamese_letter(token: str) -> bool:
    """True when the token carries a letter only Vietnamese uses (a diacritic or đ)."""
    return any(ord(c) > 127 and c.isalpha() for c in token)


@lru_cache(maxsize=20000)
def split_glued(token: str, max_parts: int = 4) -> list[str] | None:
    """Split a run of syllables written without spaces ("đạttỷ" → ["đạt", "tỷ"]).

    Returns None when the token is a syllable itself, when no split into known syllables exists,
    or when no part carries a Vietnamese letter (so foreign words and codes are left alone).
    Among splits with the fewest parts, the one whose syllables are most common wins.
    """
    lower = token.lower()
    known = gazetteer.syllables()
    if lower in known or len(token) < 4:
        return None
    n = len(lower)
    best: dict[int, tuple[int, float, list[int]]] = {0: (0, 0.0, [])}
    for i in range(n):
        if i not in best:
            continue
        parts, score, cuts = best[i]
        if parts >= max_parts:
            continue
        for j in range(i + 1, min(n, i + 8) + 1):
            piece = lower[i:j]
            if piece in known:
                cand = (parts + 1, score - math.log(known[piece] + 1), cuts + [j])
                if j not in best or cand[:2] < best[j][:2]:
                    best[j] = cand
    if n not in best or best[n][0] < 2:
        return None
    cuts = [0] + best[n][2]
    pieces = [token[a:b] for a, b in zip(cuts, cuts[1:])]
    if sum(has_vietnamese_letter(p) for p in pieces) < max(1, len(pieces) - 1):
        return None
    return pieces
