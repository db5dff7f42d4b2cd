"""The subject of a fact: the organisation the sentence credits with the figure ("Sở Tư pháp")."""
from __future__ import annotations

import regex

from vnfacts import gazetteer
from vnfacts.extractors.lexicon import phrase_pattern
from vnfacts.extractors.quantities import Quantity
from vnfacts.pipeline.analyse import Analysis

# Lower-case words that stay inside an organisation's name ("Sở Thông tin và Truyền thông", "Công an tỉnh").
INNER_WORDS = {"và", "tỉnh", "thành phố", "huyện", "xã", "cấp", "các", "tp", "tp."}


def subject_of(analysis: Analysis, q: Quantity) -> str | None:
    """The last organisation named before the number in its clause segment.

    The name runs from a head word (``organisation_heads.txt``) over the following words that
    underthesea segments as capitalised words ("Tư pháp", "Y tế" are one word each) or as the
    lower-case words names contain.
    """
    text, s = analysis.text, q.sentence
    seg_start = max((m.end() for m in regex.finditer(r"[;:]", text[s.start:q.start])), default=0) + s.start
    heads = list(phrase_pattern(gazetteer.organisation_heads(), False).finditer(text, seg_start, q.start))
    if not heads:
        return None
    head = heads[-1]
    end = head.end()
    for start, stop, word, _tag in analysis.tokens(s):
        if start < head.end():
            continue
        if start > end + 1 or stop > q.start:
            break
        if word[:1].isupper() or word.lower() in INNER_WORDS or word[:1].isdigit() and end > head.end():
            end = stop
        else:
            break
    name = text[head.start():end].strip()
    while name.split()[-1].lower() in INNER_WORDS - {"tỉnh", "thành phố", "huyện", "xã"}:
        name = name.rsplit(" ", 1)[0]
    return name
