"""The subject of a fact: the organisation the sentence credits with the figure ("Sở Tư pháp")."""
from __future__ import annotations

from functools import cache

import regex

import gazetteer
from extractors.concepts.patterns import SEGMENT_BREAK
from extractors.lexicon import alternation, phrase_finder
from extractors.quantities import Quantity
from extractors.document import Analysis

WORD = regex.compile(r"\s*(?:và\s+|[-–]\s+)?([\p{L}&]+)")


@cache
def _unit_after() -> regex.Pattern:
    """The unit an organisation belongs to, right after its name: "Công an tỉnh", "UBND cấp xã"."""
    words = gazetteer.unit_words(abbreviations=False)
    return regex.compile(r"\s+((?:cấp\s+)?(?:" + alternation(words)
                         + r"))(?![\p{L}])")


def subject_of(analysis: Analysis, q: Quantity) -> str | None:
    """The last organisation named before the number in its clause segment (up to ";" or ":").

    From a head word (``organisation_heads.txt``) the name goes on over capitalised words, a
    lower-case syllable only where it completes a dictionary word with the one before ("Tư pháp",
    "Y tế"), joined by "và" or a dash, and may end in the unit it belongs to ("Công an tỉnh").
    """
    text, s = analysis.text, q.sentence
    seg_start = segment_start(text, s.start, q.start)
    heads = phrase_finder(gazetteer.organisation_heads(), False).finditer(text, seg_start, q.start)
    if not heads:
        return None
    head = heads[-1]
    end, previous = head.end(), text[head.start():head.end()].split()[-1]
    words = gazetteer.two_syllable_words()
    while True:
        m = WORD.match(text, end, q.start)
        if not m:
            break
        word = m.group(1)
        joined = m.group(0).strip() != word
        if word[0].isupper():
            end, previous = m.end(), word
        elif not joined and f"{previous.lower()} {word}" in words and previous[0].isupper():
            end, previous = m.end(), word
        else:
            break
    rest = text[end:q.start]
    unit = _unit_after().match(rest)
    if unit:
        end += unit.end()
    return text[head.start():end].strip()


def segment_start(text: str, sentence_start: int, pos: int) -> int:
    """Where the stretch of a sentence holding ``pos`` starts: after the last ";" or ":" before it."""
    return max((m.end() for m in SEGMENT_BREAK.finditer(text, sentence_start, pos)), default=sentence_start)
