"""The Vietnamese numeral grammar: numbers written in words, or in digits with scale words.

"bảy trăm hai mươi mốt nghìn không trăm mười hai" = 721012, "mười lăm" = 15, "một tỷ" = 10^9,
"1 tỷ 200 triệu" = 1200000000, "hai triệu rưỡi" = 2500000. The words and their roles are data
(number_words.csv, number_words_tagged.csv, scale_words.csv, numeral_words.csv); this module is the
rules, as Duckling keeps Rules.hs beside Corpus.hs. Examples live in gazetteer/data/numeral_examples.csv.

A numeral is a list of groups, each a digit number or a word group below a thousand, each followed by
scale words ("nghìn", "triệu", "tỷ", compounds "nghìn tỷ"), the scales falling from left to right;
only the last group may go without a scale. A word group:

    [digit "trăm"] [ "linh"/"lẻ" digit | "mười" [last] | digit ("mươi"|"chục") [last] | digit ]

Readings the grammar refuses on purpose, because the words mean something else there:
- a numeral never starts with "trăm", "chục", a scale word or "không" ("hàng trăm", "hàng nghìn"
  are vague; "không" is "not"), nor with a word that only ends a number ("tư nhân", "lẻ tẻ");
- "năm" right after "mười"/"mươi" ends the number only when a scale follows ("hai mươi năm nghìn" =
  25000); otherwise it is the noun "year" ("mười năm qua", "hai mươi năm" are durations);
- a bare digit after a scale ("một nghìn hai", "1 tỷ 200") is not taken: colloquial shorthand whose
  value depends on the speaker; "một nghìn lẻ hai" and "1 tỷ 200 triệu" are;
- a capitalised word after the first ends the numeral ("Ba Mươi Tháng Tư" is a street name).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache

import regex

import gazetteer
from extractors.lexicon import RE_RIGHT, match_at_start, plain_span
from extractors.quantities.numbers import parse_number
from settings import thresholds
from extractors.quantities.patterns import NUMERAL_TOKEN

THOUSAND = 1000


@dataclass(frozen=True)
class Numeral:
    start: int               # offsets in the text searched
    end: int
    value: Decimal
    size: int                # how many words and digit numbers it is made of
    groups: int              # how many groups ("1 tỷ 200 triệu": 2, "năm nghìn": 1)
    words: bool              # whether a number word is among them (not digits and scale words alone)
    vague: bool = False      # a guess, not a value: "dăm bảy trăm", "bảy tám trăm" (seven or eight hundred)


@dataclass(frozen=True)
class _Token:
    role: str                # digits | unit | ten | scale, or a role of numeral_words.csv (tens, hundreds, zero_tens …)
    value: Decimal
    text: str
    start: int
    end: int


@cache
def _lexicon() -> dict[str, tuple[str, Decimal]]:
    """Every number word with its role: digits 1–9 are "unit", "mười" is "ten", powers of a thousand "scale"."""
    out: dict[str, tuple[str, Decimal]] = {}
    for word, value in {**gazetteer.number_words(), **gazetteer.number_words_tagged()}.items():
        out[word] = ("ten", Decimal(10)) if value == 10 else ("unit", Decimal(value))
    for word, multiplier in gazetteer.scale_words().items():
        out[word] = ("scale", Decimal(multiplier))
    out.update(gazetteer.numeral_words())
    return out


def _token(text: str, start: int, end: int) -> _Token | None:
    surface = text[start:end]
    if surface[0].isdigit():
        value = parse_number(surface)
        return _Token("digits", value, surface, start, end) if value is not None else None
    entry = _lexicon().get(surface.lower())
    if entry and entry[0] == "scale" and match_at_start(gazetteer.scale_compounds(), text[start:]):
        return None                                   # "tỷ lệ", "tỷ phú": a word of its own, no scale
    return _Token(entry[0], entry[1], surface, start, end) if entry else None


@cache
def _number_token_pattern() -> re.Pattern:
    """The tokens of NUMERAL_TOKEN that can be part of a numeral: digits, and the words of the lexicon.
    In ``re`` (scanned over every sentence, it is faster there), with NUMERAL_TOKEN's boundaries: not
    after a letter, digit, ".", ",", "+", "_" or "/", not before a letter or digit. It is used only on
    plain text, where the two modules agree on what a letter or digit is."""
    words = sorted((w for w in _lexicon() if LETTERS.fullmatch(w)), key=len, reverse=True)
    return re.compile(r"(?<![\w.,+/])(?:\d+(?:[.,]\d+)*|" + "|".join(map(re.escape, words)) + ")" + RE_RIGHT,
                      re.IGNORECASE)


LETTERS = regex.compile(r"\p{L}+")
STARTS = ("digits", "unit", "ten")


def find_numerals(text: str, start: int = 0, end: int | None = None) -> list[Numeral]:
    """Every numeral in ``text[start:end]``, longest first from the left, with exact offsets."""
    end = len(text) if end is None else end
    # Only digits and number words can be tokens; any other word just breaks a run, which the gap
    # before the next token (not only spaces) tells as well. So only those are visited, unless a letter
    # outside Vietnamese and ASCII is there (it may fold to a number word's letter: every word is read).
    tokens = _number_token_pattern() if plain_span(text, max(0, start - 1), end) else NUMERAL_TOKEN
    return numerals_of_tokens(text, start, end, tokens)


def numerals_of_tokens(text: str, start: int, end: int, tokens: regex.Pattern) -> list[Numeral]:
    """find_numerals over the words ``tokens`` finds (NUMERAL_TOKEN: every word)."""
    runs: list[list[_Token]] = []
    run: list[_Token] = []
    last_end = None
    for m in tokens.finditer(text, start, end):
        token = _token(text, m.start(), m.end())
        joined = last_end is not None and text[last_end:m.start()].isspace() and "\n" not in text[last_end:m.start()]
        if token is None or not joined or (run and token.text[0].isupper()):
            if run:
                runs.append(run)
            run = []
        if token is not None:
            run.append(token)
            last_end = m.end()
        else:
            last_end = None
    if run:
        runs.append(run)
    out = []
    for run in runs:
        i = 0
        while i < len(run):
            found = _longest(run, i)
            if found is None:
                i += 1
                continue
            j, value, groups = found
            words = any(t.role != "digits" and t.role != "scale" for t in run[i:j])
            vague = words and i > 0 and _guess_before(run[i - 1], run[i])
            if vague and out and out[-1].end == run[i - 1].end:
                out[-1] = replace(out[-1], vague=True)          # "bảy" of "bảy tám trăm" is no value either
            out.append(Numeral(run[i].start, run[j - 1].end, value, j - i, groups, words, vague))
            i = j
    return out


def _guess_before(previous: _Token, first: _Token) -> bool:
    """A vague word ("dăm", "vài") or the digit one below right before a number in words: "dăm bảy trăm",
    "bảy tám trăm" (seven or eight hundred). "mỗi năm hai trăm" (a year, then 200) is a value."""
    if previous.role == "vague":
        return True
    return previous.role == "unit" and first.role == "unit" and previous.value + 1 == first.value


def parse_numeral(surface: str) -> Decimal | None:
    """The value of ``surface`` when it is one numeral from end to end, else None."""
    found = find_numerals(surface.strip())
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(surface.strip()):
        return found[0].value
    return None


def _longest(run: list[_Token], i: int) -> tuple[int, Decimal, int] | None:
    """The longest numeral starting at token ``i``: (end token, value, groups)."""
    if run[i].role not in STARTS:
        return None
    for j in range(min(len(run), i + thresholds.NUMERAL_MAX_TOKENS), i, -1):   # a run of 3000 "một" stays linear
        found = _value(run[i:j])
        if found is not None:
            return j, *found
    return None


def _value(tokens: list[_Token]) -> tuple[Decimal, int] | None:
    """The value of a whole token list and its number of groups, or None when it is not one numeral."""
    items: list[tuple[Decimal, Decimal]] = []       # (group value, scale)
    i, n = 0, len(tokens)
    while i < n:
        first = not items
        if tokens[i].role == "digits":
            group, i, bare = tokens[i].value, i + 1, False
        else:
            parsed = _word_group(tokens, i, first)
            if parsed is None:
                return None
            group, i, bare = parsed
        scale = Decimal(1)
        while i < n and tokens[i].role == "scale" and tokens[i].value > scale:
            scale *= tokens[i].value               # "nghìn tỷ" = 10^12
            i += 1
        if scale > 1 and i < n and tokens[i].role == "half":
            group += tokens[i].value               # "hai triệu rưỡi"
            i += 1
            if i < n:
                return None
        if scale == 1 and i < n:
            return None                            # a group without a scale must be the last one
        if not first and scale == 1 and (bare or tokens[i - 1].role == "digits"):
            return None                            # "một nghìn hai", "1 tỷ 200": shorthand, not read
        items.append((group, scale))
    for (_, s0), (g1, s1) in zip(items, items[1:]):
        if not (s1 < s0 and g1 * s1 < s0):
            return None                            # scales fall and each part fits under the one before
    return sum((g * s for g, s in items), Decimal(0)), len(items)


def _word_group(tokens: list[_Token], i: int, first: bool) -> tuple[Decimal, int, bool] | None:
    """A word group below a thousand starting at ``i``: (value, next index, whether it is a bare digit)."""
    n = len(tokens)

    def role(k: int) -> str | None:
        return tokens[k].role if k < n else None

    value, j, hundreds = Decimal(0), i, False
    if role(j) in ("unit", "zero") and role(j + 1) == "hundreds":
        if role(j) == "zero" and first:
            return None                            # "không trăm" only inside a number
        value, j, hundreds = tokens[j].value * 100, j + 2, True
    if role(j) == "zero_tens" and (hundreds or not first) and role(j + 1) in ("unit", "last_after_tens"):
        return value + tokens[j + 1].value, j + 2, False
    if role(j) == "ten":
        value, j = value + 10, j + 1
        if role(j) == "last_after_tens" or (role(j) == "unit" and _last_digit_ok(tokens, j)):
            value, j = value + tokens[j].value, j + 1
        return value, j, False
    if role(j) == "unit" and role(j + 1) == "tens":
        value, j = value + tokens[j].value * tokens[j + 1].value, j + 2
        if tokens[j - 1].text.lower() == "chục":
            return value, j, False                 # "hai chục" = 20, never followed by a last digit
        if role(j) in ("last_after_tens", "last_after_muoi") or (role(j) == "unit" and _last_digit_ok(tokens, j)):
            value, j = value + tokens[j].value, j + 1
        return value, j, False
    if role(j) == "unit" and not hundreds:
        return tokens[j].value, j + 1, True
    if j == i:
        return None
    return value, j, False


def _last_digit_ok(tokens: list[_Token], j: int) -> bool:
    """A digit after "mười"/"mươi": "năm" only when a scale follows (else it is the noun "year")."""
    if tokens[j].value != 5:
        return True
    return j + 1 < len(tokens) and tokens[j + 1].role == "scale"
