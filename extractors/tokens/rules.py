"""The decisions of the token-layer components, as plain functions over a Doc (unit-testable).

A number counts the noun phrase right after it (or, in "số X là N", the noun phrase after "số"): the
words come from the segmenter, the noun-ness from the POS tagger — no closed list says whether a word
can be counted; gazetteer labels only say what is never a unit (durations, verbs of result).
"""
from __future__ import annotations

from typing import Callable

from spacy.tokens import Doc, Token

# Tags of words that can head a counted noun phrase: nouns, classifiers, unit nouns, abbreviations.
NOUN_TAGS = {"N", "Nc", "Nu", "Nb", "Ny"}
# Tags that never continue a noun phrase.
STOP_TAGS = {"CH", "_SP", "E", "C", "Cc", "R", "P", "T", "L", "I", "X"}
PARENTHESES = {"(": ")", "[": "]"}


NO_LABELS: frozenset[str] = frozenset()


def token_labels(doc: Doc) -> list[set[str] | frozenset[str]]:
    """The gazetteer labels covering each token (read only: most tokens share one empty set)."""
    labels: list[set[str] | frozenset[str]] = [NO_LABELS] * len(doc)
    for span in doc.spans.get("gazetteer", []):
        label = span.label_
        for i in range(span.start, span.end):
            if labels[i] is NO_LABELS:
                labels[i] = {label}
            else:
                labels[i].add(label)
    return labels


LIST_JOINERS = {",", "và", "gồm", ":", ";"}
LIST_REACH = 8                    # tokens back to the previous count of a list


def is_number(token: Token, labels: list[set[str]]) -> bool:
    """Digits; a number word the tagger reads as a numeral; "một" only inside a list of counts."""
    text, lab = token.text, labels[token.i]
    if text[:1].isdigit():
        return all(c.isdigit() or c in ".,/" for c in text)
    if token.tag_ != "M" or "NOT_COUNTED" in lab:
        return False
    if "LISTED_NUMBER_WORD" in lab:
        # In a list of counts: a joiner right before it and a counted number just before that.
        doc = token.doc
        joined = token.i > 0 and doc[token.i - 1].lower_ in LIST_JOINERS
        return joined and any(doc[k]._.counted is not None for k in range(max(0, token.i - LIST_REACH), token.i))
    return bool(lab & {"NUMBER_WORD", "TAGGED_NUMBER_WORD"})


def _wordlike(token: Token) -> bool:
    return token.text[:1].isalpha() and token.tag_ not in STOP_TAGS


def _can_head(token: Token, labels: list[set[str]]) -> bool:
    lab = labels[token.i]
    if not _wordlike(token) or lab & {"NOT_UNIT", "NOT_COUNTED", "SCALE", "PLACE", "COUNTRY"}:
        return False
    if token.tag_ in NOUN_TAGS:
        return True
    if token.tag_ == "Np":                      # an abbreviation (CCN, DN) or a capitalised noun (Sổ)
        return token.text.isupper() or " " not in token.text
    # The object of a verb, which the tagger misreads as a verb after a number: "ban hành 120 quyết
    # định", "công bố 800 tập dữ liệu".
    number = token.doc[token.i - 1] if token.i else None
    return (token.tag_ == "V" and token.text[:1].islower() and number is not None and number.i > 0
            and token.doc[number.i - 1].tag_ == "V" and not labels[number.i - 1] & {"NOT_UNIT"})


def _continues(token: Token, labels: list[set[str]]) -> bool:
    lab = labels[token.i]
    return (_wordlike(token) and token.tag_ in NOUN_TAGS and not token.text[:1].isupper()
            and not lab & {"NOT_UNIT", "NOT_COUNTED", "SCALE", "PLACE", "NUMBER_WORD", "TAGGED_NUMBER_WORD"})


def counted_after(doc: Doc, i: int, labels: list[set[str]], max_words: int) -> tuple[int, int] | None:
    """The noun phrase a number counts, right after it: scale words, modifiers and the closing
    bracket of a parenthesised count are stepped over ("2 triệu căn cước", "64% (5.120) ý kiến")."""
    j = i + 1
    while j < len(doc) and (labels[j] & {"SCALE", "MODIFIER"} or doc[j].tag_ == "_SP"):
        j += 1
    if j < len(doc) and doc[j].text in PARENTHESES.values() and _opened_before(doc, i):
        j += 1
    if j < len(doc) and "TITLE" in labels[j]:          # "5 Phó Chủ tịch": people counted by their title
        end = j + 1
        while end < len(doc) and "TITLE" in labels[end]:
            end += 1
        return j, end
    if j >= len(doc) or not _can_head(doc[j], labels):
        return None
    end = j + 1
    # Two one-syllable nouns side by side are one word the segmenter left apart ("đầu việc", "tàu cá"),
    # and a classifier takes its noun ("loại thuốc", "con bò"); "lượt truy xuất" stays "lượt".
    if end < len(doc) and max_words > 1 and _continues(doc[end], labels) and (
            doc[j].tag_ == "Nc" or (" " not in doc[j].text and " " not in doc[end].text)):
        end += 1
    return j, end


def _opened_before(doc: Doc, i: int) -> bool:
    return i > 0 and doc[i - 1].text in PARENTHESES


def counted_before(doc: Doc, i: int, labels: list[set[str]], max_words: int) -> tuple[int, int] | None:
    """In "số nhà thầu trúng thầu là 38" the number counts what follows "số" earlier in the clause;
    in "100% công dân (58.834/58.834)" the bracketed count takes the noun before the bracket."""
    if i >= 2 and doc[i - 1].text in PARENTHESES and doc[i - 2].tag_ in NOUN_TAGS and doc[i - 2].text[:1].islower() \
            and not labels[i - 2] & {"NOT_UNIT", "NOT_COUNTED"}:
        return i - 2, i - 1
    if i == 0 or doc[i - 1].lower_ not in ("là", ":"):
        return None
    for k in range(i - 2, -1, -1):
        t = doc[k]
        if t.tag_ == "CH" and t.text in ";":
            return None
        if t.lower_ == "số" and k + 1 < i - 1 and "SO_SKIP" not in labels[k + 1]:
            j = k + 1
            while j < i - 1 and "SO_SKIP" in labels[j]:
                j += 1
            head = doc[j]
            if head.text[:1].isalpha() and not labels[j] & {"NOT_UNIT", "NOT_COUNTED"} and head.tag_ not in STOP_TAGS - {"X"}:
                return j, j + 1
            return None
    return None


def titled_names(doc: Doc, labels: list[set[str]],
                 ner: Callable[..., list[tuple[int, int]]]) -> list[tuple[int, int]]:
    """Names next to a title or rank. A proper-noun run right after "title … country" is a name
    ("Bộ trưởng Ngoại giao Nhật Bản Kamikawa Yoko"); otherwise underthesea's NER must call it PER.
    A name never includes a title, rank or honorific word."""
    out: list[tuple[int, int]] = []
    titled = [i for i, lab in enumerate(labels) if lab & {"TITLE", "RANK"}]
    if not titled:
        return out
    for i, lab in enumerate(labels):
        if "COUNTRY" in lab and (i + 1 == len(doc) or "COUNTRY" not in labels[i + 1]):
            if any(0 < i - t <= 4 for t in titled) and i + 1 < len(doc) and doc[i + 1].tag_ in ("Np", "Ny") \
                    and not labels[i + 1]:
                end = i + 2
                while end < len(doc) and doc[end].tag_ == "Np" and not labels[end] and end - i <= 3:
                    end += 1
                out.append((i + 1, end))
    candidates = [t for t in doc if t.tag_ == "Np" and not labels[t.i] and any(0 < t.i - x <= 8 for x in titled)]
    open_ = [t.i for t in candidates if not any(a <= t.i < b for a, b in out)]
    if open_:
        for a, b in ner(doc, (open_[0], open_[-1] + 1)):
            while a < b and labels[a] & {"TITLE", "RANK", "HONORIFIC", "COUNTRY"}:
                a += 1
            while b > a and labels[b - 1] & {"TITLE", "RANK", "HONORIFIC"}:
                b -= 1
            near = any(0 < a - x <= 8 for x in titled) or any(0 <= x - b <= 2 for x in titled)
            if b > a and near and not any(x < b and a < y for x, y in out):
                out.append((a, b))
    return sorted(out)
