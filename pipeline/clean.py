"""Cleaning: from raw article text (or HTML) to the cleaned text that every offset refers to.

The cleaned text is NFC, one paragraph a line, with invisible characters, table pipes and image
placeholders gone, one tone-mark style, glued words split, and injected spam phrases repaired by the
source's rule or removed. Everything downstream works on this text only.
"""
from __future__ import annotations

import collections
import unicodedata
from dataclasses import dataclass, field

import regex

import gazetteer
from extractors import deadline
from gazetteer import syllables
from pipeline.sources import CleaningRules
from pipeline.vietnamese import has_vietnamese_letter, is_syllable, normalise_tone_marks, split_glued

# Zero-width and bidi controls carry no text; soft hyphens only hint at line breaks.
INVISIBLE = regex.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Control characters carry no text (NUL, C0 but tab/newlines/vertical tab/form feed, DEL, C1): removed.
CONTROL_CHARS = regex.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# Every kind of horizontal space, including no-break and ideographic spaces: a run of them, or one
# that is not a plain space (a lone plain space is already what it becomes, and is left alone).
HSPACE = regex.compile(r"[^\S\n]{2,}|[^\S\n ]")
REMNANTS = regex.compile(
    r"""
      !\[[^\]\n]*\]\([^)\n]*\)        # e.g. ![]() — an image placeholder left by markdown conversion
    | \[(?:Audio|Video|Ảnh|Photo)\]   # e.g. [Audio] — a media player label
    """,
    regex.VERBOSE | regex.IGNORECASE,
)
TABLE_PIPES = regex.compile(r"^\s*\|\s*|\s*\|\s*$", regex.MULTILINE)
WORD = regex.compile(r"\p{L}+")
# e.g. "cực89,8%": a Vietnamese word glued to the number after it
LETTER_DIGIT = regex.compile(r"(?<=\p{Ll}{2})(?=\d)")
# e.g. "2023-2024đạt": a number glued to the Vietnamese word after it
DIGIT_LETTER = regex.compile(r"(?<=\d)(?=\p{Ll}{2,})")
# e.g. "2024đạt", "5ha": a digit, then the lower-case word glued to it
DIGIT_THEN_WORD = regex.compile(r"(\d)(\p{Ll}{2,})")
# e.g. "XHđược", "triểnKT", "khaiĐề": a case change inside a token between two real words
CASE_JOIN = regex.compile(r"(?<=\p{Lu}{2})(?=\p{Ll}{2})|(?<=\p{Ll}{2})(?=\p{Lu})")
# e.g. "đề ra,như:Kết", "75,1%,vượt", "90%).Kết" — punctuation with no space after it, between two words
COMMA_JOIN = regex.compile(r"(?<=\p{L})([,;:])(?=\p{L})")
CLOSE_JOIN = regex.compile(r"([%)])(?=\p{L})")
STOP_JOIN = regex.compile(r"(\p{Ll}\.)(?=\p{Lu}\p{Ll})")
# Words that may hold two glued syllables ("đạttỷ", "XHđược"); ASCII words and known syllables are skipped.
LONG_WORD = regex.compile(r"\p{L}{4,}")
SPAM_RUN = regex.compile(r"(?<![\p{L}])(?:[a-z]+ ){1,4}[a-z]+(?![\p{L}])")


@dataclass
class Cleaned:
    text: str
    warnings: list[str] = field(default_factory=list)


def remove_controls(text: str) -> tuple[str, list[str]]:
    """The text without control characters, and a warning saying how many were removed (none: no warning)."""
    found = CONTROL_CHARS.findall(text)
    if not found:
        return text, []
    kinds = ", ".join(f"U+{ord(c):04X}" for c in sorted(set(found))[:5])
    return CONTROL_CHARS.sub("", text), [f"removed {len(found)} control characters ({kinds})"]


def clean_text(raw: str, rules: CleaningRules | None = None) -> Cleaned:
    """Clean article text; see the module docstring for what that means."""
    rules = rules or CleaningRules()
    raw, warnings = remove_controls(raw)
    text = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))
    text = INVISIBLE.sub("", text)
    if "[" in text:
        text = REMNANTS.sub("", text)
    if "|" in text:
        text = TABLE_PIPES.sub("", text)
    text = HSPACE.sub(" ", text)
    for phrase, replacement in rules.replace.items():
        text = regex.sub(regex.escape(phrase), replacement, text, flags=regex.IGNORECASE)
    text, spam_warnings = _remove_spam(text)
    warnings += spam_warnings
    text = normalise_tone_marks(text)
    text = _split_glued_words(text)
    lines = (line.strip() for line in text.split("\n"))
    text = "\n".join(line for line in lines if line)
    return Cleaned(text, warnings)


def _split_glued_words(text: str) -> str:
    for pattern in (COMMA_JOIN, CLOSE_JOIN, STOP_JOIN):
        text = pattern.sub(r"\1 ", text)
    text = LETTER_DIGIT.sub(" ", text)
    text = DIGIT_THEN_WORD.sub(lambda m: m.group(1) + (" " + m.group(2) if has_vietnamese_letter(m.group(2)) else m.group(2)), text)
    # Most words are one syllable or ASCII: a set look-up settles them; the rest go to the splitter.
    known = syllables()
    unknown = {w for w in set(LONG_WORD.findall(text)) if not w.isascii() and w.lower() not in known}
    deadline.check()
    if not unknown:
        return text
    out, last = [], 0
    for n, m in enumerate(LONG_WORD.finditer(text)):
        if n % 4096 == 0:
            deadline.check()          # the article's time limit holds inside cleaning too, in any thread
        word = m.group(0)
        if word not in unknown:
            continue
        fixed = " ".join(" ".join(split_glued(p) or (p,)) for p in _split_case_joins(m).split(" "))
        if fixed != word:
            out.append(text[last:m.start()])
            out.append(fixed)
            last = m.end()
    out.append(text[last:])
    return "".join(out)


def _split_case_joins(m: regex.Match) -> str:
    word = m.group(0)
    pieces = CASE_JOIN.split(word)
    if len(pieces) == 1:
        return word
    # Keep brand-like tokens (VNeID, iPhone): split only when a side carries a Vietnamese letter.
    if not any(has_vietnamese_letter(p) for p in pieces):
        return word
    return " ".join(pieces)


def _remove_spam(text: str) -> tuple[str, list[str]]:
    """Find an injected phrase: a run of unaccented foreign tokens repeated in the article.

    A real Vietnamese phrase without diacritics is rare; one that repeats three times or more and
    holds a token that is not a Vietnamese syllable at all ("bongdalu") nor a loanword the press writes
    as it is ("gắn chip cho", gazetteer/data/loanwords.txt) is boilerplate injected by a
    scraper or an ad network. Without a source rule to repair it, it is removed and reported.
    """
    runs = collections.Counter(m.group(0).lower() for m in SPAM_RUN.finditer(text))
    warnings = []
    for run, count in runs.items():
        tokens = run.split()
        if count < 3 or all(is_syllable(t) or t in gazetteer.loanwords() for t in tokens):
            continue
        warnings.append(f"removed injected phrase {run!r} ({count}×); add a 'replace' rule to the source to repair it")
        text = regex.sub(r"(?<![\p{L}])" + regex.escape(run) + r"(?![\p{L}])", "", text, flags=regex.IGNORECASE)
        text = HSPACE.sub(" ", text)
    return text, warnings
