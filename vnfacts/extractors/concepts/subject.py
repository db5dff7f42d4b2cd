"""The subject of a fact: the organisation the sentence credits with the figure ("Sở Tư pháp")."""
from __future__ import annotations

import regex

from vnfacts import gazetteer
from vnfacts.extractors.lexicon import phrase_pattern
from vnfacts.extractors.quantities import Quantity
from vnfacts.pipeline.analyse import Analysis

WORD = regex.compile(r"\s*(?:và\s+|[-–]\s+)?([\p{L}&]+)")
UNIT_WORDS = ("tỉnh", "thành phố", "huyện", "xã", "cấp huyện", "cấp xã")


def subject_of(analysis: Analysis, q: Quantity) -> str | None:
    """The last organisation named before the number in its clause segment (up to ";" or ":").

    From a head word (``organisation_heads.txt``) the name goes on over capitalised words, a
    lower-case syllable only where it completes a dictionary word with the one before ("Tư pháp",
    "Y tế"), joined by "và" or a dash, and may end in the unit it belongs to ("Công an tỉnh").
    """
    text, s = analysis.text, q.sentence
    seg_start = max((m.end() for m in regex.finditer(r"[;:]", text[s.start:q.start])), default=0) + s.start
    heads = list(phrase_pattern(gazetteer.organisation_heads(), False).finditer(text, seg_start, q.start))
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
    unit = regex.match(r"\s+(" + "|".join(UNIT_WORDS) + r")(?![\p{L}])", rest)
    if unit:
        end += unit.end()
    return text[head.start():end].strip()
