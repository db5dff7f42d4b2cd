"""Phrase matchers built from gazetteer lists: one compiled alternation per list, longest first.

A regex alternation over a few hundred phrases is the single-pass automaton the extractors need;
building it once per list (cached) keeps every later match a single scan.
"""
from __future__ import annotations

import bisect
import itertools
import re
import string
from functools import cache, lru_cache

import regex

from gazetteer.loaders import Phrases, two_syllable_words


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


def phrase_key(text: str) -> str:
    """A phrase as the gazetteer's lists key it: runs of spaces made one space, lower-cased."""
    return " ".join(text.split()).lower()


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
    return phrase_finder(phrases, ignore_case).match(text)


def at_end_pattern(phrases: tuple[str, ...], ignore_case: bool = True) -> regex.Pattern:
    """Whole-word alternation of the phrases anchored at the end of the text (trailing spaces allowed)."""
    return _at_end_pattern(phrases, ignore_case)


def match_at_end(phrases: tuple[str, ...], text: str, ignore_case: bool = True) -> regex.Match | None:
    """The longest phrase that ends ``text`` (trailing spaces allowed).

    A phrase can only end the text if its last word is the text's last run of letters and digits:
    when that run is no phrase's last word, the pattern (tried at every character) is not run."""
    lasts = last_words(phrases, ignore_case)
    if lasts is not None:
        run = TRAILING_RUN.search(text)
        if run is None:
            return None
        word = run.group(1)
        if not ignore_case:
            if word not in lasts:
                return None
        elif not OTHER_CHARACTER.search(word) and word.lower() not in lasts:
            return None
    return _at_end_reverse_pattern(phrases, ignore_case).search(text)


@lru_cache(maxsize=512)
def _at_end_reverse_pattern(phrases: tuple[str, ...], ignore_case: bool) -> regex.Pattern:
    """The at-end pattern searched from the end: a forward search tries the alternation at every
    character of the text before failing on ``$``; backwards, only the end is tried. The match is the
    same: of the phrases that end the text, the longest (first in the alternation) starts earliest."""
    return regex.compile(LEFT + "(?:" + alternation(phrases) + r")\s*$", _flags(ignore_case) | regex.REVERSE)


@lru_cache(maxsize=512)
def last_words(phrases: tuple[str, ...], ignore_case: bool) -> frozenset[str] | None:
    """The last run of letters and digits of each phrase (lower-cased when case is ignored); None when
    a phrase does not end in one cut off by a space or punctuation, or has other letters in it."""
    out = set()
    for p in phrases:
        if not p:
            continue
        last = LAST_RUN.search(p)
        if not last or (last.start() and not FIRST_WORD_END.match(p, last.start() - 1)) \
                or (ignore_case and OTHER_CHARACTER.search(last.group(0))):
            return None
        out.add(last.group(0).lower() if ignore_case else last.group(0))
    return frozenset(out)


# -- fast search of a phrase list over an article --------------------------------------------------
#
# A phrase pattern tried at every character of an article is slow (a few hundred alternatives per
# position). A whole-word match can only start where a run of letters and digits starts, and that run
# is the phrase's first word (its leading letters and digits, then a space or punctuation, or the
# phrase's end). So an article's runs are indexed once, and the pattern is tried only where a run is
# the first word of some phrase: the same matches as ``pattern.finditer(text, pos, endpos)``.
# Case-insensitively, a run compares by ``str.lower`` only when each of its characters folds to its
# own upper and lower case alone (ASCII and Vietnamese letters, ASCII digits); a text holding any
# other letter or digit (ſ, K, ı, Ⅳ …) is searched with the pattern itself.

VIETNAMESE_LETTERS = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
PLAIN_CHARACTERS = "a-zA-Z0-9" + VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.upper()
WORD_RUN = regex.compile(r"[\p{L}\p{N}]+")
OTHER_CHARACTER = regex.compile(r"(?![" + PLAIN_CHARACTERS + r"])[\p{L}\p{N}]")
# Characters that are neither plain letters and digits nor spaces and ASCII punctuation: only these
# can be another letter or digit (found with the faster ``re``, then checked one by one).
UNUSUAL = re.compile(r"[^" + PLAIN_CHARACTERS + r"\s!-/:-@\[-`{-~]")
# In a text whose letters and digits are all plain, its runs of them (split by the faster ``re``).
PLAIN_RUN = re.compile("([" + PLAIN_CHARACTERS + "]+)")
PLAIN_SET = frozenset(string.ascii_letters + string.digits + VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.upper())
# What may follow a phrase's first word (or come before its last) inside the phrase (a letter, digit or
# mark there would break the rule).
FIRST_WORD_END = regex.compile(r"[\s!-/:-@\[-`{-~]")
# The last run of letters and digits of a text, before its trailing spaces (searched from the end),
# and of a phrase.
TRAILING_RUN = regex.compile(r"([\p{L}\p{N}]+)\s*$", regex.REVERSE)
LAST_RUN = regex.compile(r"[\p{L}\p{N}]+$")


def plain_span(text: str, start: int = 0, end: int | None = None) -> bool:
    """Whether every letter and digit of ``text[start:end]`` is plain (ASCII or Vietnamese): only the
    unusual characters ``re`` finds quickly are looked at one by one."""
    return not any(OTHER_CHARACTER.match(c) for c in set(UNUSUAL.findall(text, start, len(text) if end is None else end)))


class TextIndex:
    """The runs of letters and digits of one text, lower-cased, with their starts and ends (``plain``:
    every letter and digit of the text is ASCII or Vietnamese, else the text is not indexed), and the
    candidate starts of each phrase list once computed."""

    __slots__ = ("text", "plain", "_runs", "_by_word", "candidates")

    def __init__(self, text: str):
        self.text = text
        self.plain = plain_span(text) and len(text.lower()) == len(text)
        self._runs: tuple[list[str], list[int], list[int]] | None = None
        self._by_word: dict[str, list[int]] | None = None
        self.candidates: dict[PhraseFinder, list[int]] = {}

    def runs(self) -> tuple[list[str], list[int], list[int]]:
        """The runs lower-cased, their starts and their ends."""
        if self._runs is None:
            parts = PLAIN_RUN.split(self.text.lower())
            ends = list(itertools.accumulate(map(len, parts)))
            self._runs = (parts[1::2], ends[0::2][:len(parts) // 2], ends[1::2])
        return self._runs

    def by_word(self) -> dict[str, list[int]]:
        """The starts of each run, by the run lower-cased."""
        if self._by_word is None:
            by: dict[str, list[int]] = {}
            words, starts, _ = self.runs()
            for w, a in zip(words, starts):
                found = by.get(w)
                if found is None:
                    by[w] = [a]
                else:
                    found.append(a)
            self._by_word = by
        return self._by_word


@lru_cache(maxsize=4)
def text_index(text: str) -> TextIndex:
    """The index of an article text, built once however many phrase lists search it."""
    return TextIndex(text)


class PhraseFinder:
    """``finditer``/``search`` of a phrase list's whole-word pattern over (text, pos, endpos), trying the
    pattern only where a phrase's first word stands (see above). ``pattern`` is the regex itself; it may
    be given, when it opens with ``LEFT`` and one of the phrases (each followed by a space or punctuation
    in the pattern), case-insensitive exactly when ``ignore_case``."""

    def __init__(self, phrases: tuple[str, ...], ignore_case: bool, pattern: regex.Pattern | None = None):
        self._pattern = pattern
        self._phrases = phrases
        self.ignore_case = ignore_case
        firsts: set[str] | None = set()
        for p in phrases:
            if not p:
                continue
            lead = WORD_RUN.match(p)
            rest = p[lead.end():] if lead else p
            if not lead or (rest and not FIRST_WORD_END.match(rest)) \
                    or (ignore_case and OTHER_CHARACTER.search(lead.group(0))):
                firsts = None             # a phrase this rule cannot index: the pattern is tried everywhere
                break
            firsts.add(lead.group(0).lower() if ignore_case else lead.group(0))
        self.firsts = frozenset(firsts) if firsts is not None else None
        self.lowered = frozenset(f.lower() for f in self.firsts) if self.firsts is not None else None
        # At a candidate start only the phrases whose first word stands there can match: each first
        # word gets the alternation of its own phrases (same order, longest first), compiled when first
        # needed — a few alternatives tried instead of hundreds, the same match (see _first_word_pattern).
        self._phrases_by_first: dict[str, list[str]] | None = None
        if self.firsts is not None and pattern is None:
            self._phrases_by_first = {}
            for p in phrases:
                if p:
                    lead = WORD_RUN.match(p).group(0)
                    self._phrases_by_first.setdefault(lead.lower() if ignore_case else lead, []).append(p)
        self._by_first: dict[str, regex.Pattern] = {}

    @property
    def pattern(self) -> regex.Pattern:
        """The whole-word pattern of every phrase, compiled when first needed: most lists are only ever
        searched through their first words' patterns (a long alternation costs a tenth of a second)."""
        if self._pattern is None:
            self._pattern = _whole_word_pattern(self._phrases, self.ignore_case)
        return self._pattern

    def _first_word_pattern(self, first: str) -> re.Pattern:
        """The whole-word pattern of the phrases that start with ``first``. Matching it at a start whose
        word is ``first`` gives what the full pattern gives there: every alternative it leaves out would
        need another first word, and those it keeps stay in their order."""
        found = self._by_first.get(first)
        if found is None:
            found = self._by_first[first] = _first_word_compile(tuple(self._phrases_by_first[first]), self.ignore_case)
        return found

    def _candidates(self, index: TextIndex) -> tuple[list[int], list[str]]:
        """The starts where a phrase's first word stands, sorted, and that word at each (as the
        phrases key it: lower-cased when case is ignored)."""
        found = index.candidates.get(self)
        if found is None:
            by = index.by_word()
            if self.ignore_case:
                pairs = sorted((a, w) for w in self.firsts & by.keys() for a in by[w])
            else:
                text, firsts = index.text, self.firsts
                pairs = sorted((a, text[a:a + len(w)]) for w in self.lowered & by.keys() for a in by[w]
                               if text[a:a + len(w)] in firsts)
            found = index.candidates[self] = ([a for a, _ in pairs], [w for _, w in pairs])
        return found

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> list[regex.Match]:
        endpos = len(text) if endpos is None else endpos
        index = text_index(text) if self.firsts is not None else None
        if index is None or not index.plain:
            return list(self.pattern.finditer(text, pos, endpos))
        starts, words = self._candidates(index)
        lo, hi = bisect.bisect_left(starts, pos), bisect.bisect_left(starts, endpos)
        tried, firsts = starts[lo:hi], words[lo:hi]
        # The run cut by endpos: its part before endpos may be a first word ("đạt" of "đạtx").
        if 0 < endpos < len(text) and text[endpos] in PLAIN_SET and text[endpos - 1] in PLAIN_SET:
            _, run_starts, run_ends = index.runs()
            k = bisect.bisect_left(run_starts, endpos) - 1
            if k >= 0 and run_starts[k] >= pos and run_ends[k] > endpos:
                cut = text[run_starts[k]:endpos]
                cut = cut.lower() if self.ignore_case else cut
                if cut in self.firsts:
                    if tried and tried[-1] == run_starts[k]:
                        firsts[-1] = cut          # only the part before endpos can be a phrase's first word
                    else:
                        tried.append(run_starts[k])
                        firsts.append(cut)
        if not tried:
            return []
        out, after = [], pos
        by_first = self._phrases_by_first is not None
        for a, first in zip(tried, firsts):
            if a >= after:
                m = (self._first_word_pattern(first) if by_first else self.pattern).match(text, a, endpos)
                if m:
                    out.append(m)
                    after = m.end()
        return out

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> regex.Match | None:
        found = self.finditer(text, pos, endpos)
        return found[0] if found else None

    def match(self, text: str) -> regex.Match | None:
        """``pattern.match(text)``, not tried when the text's first word is no phrase's first word."""
        if self.firsts is not None:
            run = WORD_RUN.match(text)
            if run is None:
                return None
            word = run.group(0)
            if not self.ignore_case:
                if word not in self.firsts:
                    return None
            elif not OTHER_CHARACTER.search(word):
                word = word.lower()
                if word not in self.firsts:
                    return None
            else:
                word = None                   # a letter that may fold otherwise: the whole pattern decides
            if word is not None and self._phrases_by_first is not None:
                m = self._first_word_pattern(word).match(text)
                if m is None or not OTHER_CHARACTER.match(text, m.end()):
                    return m                  # (a letter after the match that re may not know: see RE_SPACES)
        return self.pattern.match(text)


# The same boundaries as LEFT and RIGHT in ``re``: a letter or a digit (str.isalnum) is "not a
# non-word character nor an underscore" there.
RE_LEFT = r"(?<![^\W_])"
RE_RIGHT = r"(?![^\W_])"
# regex's \s in re: re's also takes U+001C–U+001F (str.isspace), which are no White_Space.
RE_SPACES = r"[^\S\x1c-\x1f]+"
# Where the two still differ: letters and digits assigned by a Unicode version newer than Python's
# (regex carries its own tables) are none for re — all of them outside the plain characters.


def _first_word_compile(phrases: tuple[str, ...], ignore_case: bool) -> re.Pattern:
    """The whole-word alternation of a few phrases that share their first word, compiled by ``re``:
    a thousand of them are compiled in a run, and ``re`` compiles a small pattern in a third of the
    time ``regex`` takes. The pattern is the same (longest first, a space as any run of spaces, the same word
    boundaries, simple case folding), and is matched only where the text's first word is plain."""
    ordered = sorted({p for p in phrases if p}, key=len, reverse=True)
    body = "|".join(re.escape(p).replace(r"\ ", RE_SPACES) for p in ordered) or "(?!)"
    return re.compile(RE_LEFT + "(?:" + body + ")" + RE_RIGHT, re.IGNORECASE if ignore_case else 0)


@lru_cache(maxsize=512)
def phrase_finder(phrases: tuple[str, ...], ignore_case: bool = True) -> PhraseFinder:
    """The fast search of a phrase list over an article (the same matches as :func:`phrase_pattern`)."""
    return PhraseFinder(phrases, ignore_case)


SYLLABLE_BEFORE = regex.compile(r"([\p{L}]+)\s+$")
SYLLABLE_AFTER = regex.compile(r"\s+([\p{L}]+)")


def straddles_words(text: str, start: int, end: int) -> bool:
    """Whether a phrase found at text[start:end] cuts through words as a segmenter would read them:
    its first syllable ends a dictionary word with the syllable before it and its last syllable
    starts one with the syllable after ("xác định danh tính" holds no "định danh"). Both ends must
    be cut, so a phrase merely next to a compound ("tài khoản định danh") still counts; phrases of
    one or two syllables only."""
    found = text[start:end].split()
    if len(found) > 2:
        return False                  # a longer phrase is its own evidence ("tổng thu ngân sách … trên địa bàn là")
    words = two_syllable_words()
    before = SYLLABLE_BEFORE.search(text, max(0, start - 12), start)
    after = SYLLABLE_AFTER.match(text, end, end + 12)
    if not before or not after:
        return False
    return f"{before.group(1)} {found[0]}".lower() in words and f"{found[-1]} {after.group(1)}".lower() in words
