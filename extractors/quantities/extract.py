"""Find quantities in an analysed article: the number, its kind, value, unit and qualifier.

Numbers that are not facts yield nothing: dates, years, clock times, durations, ages, codes and
numbers inside names (Đề án 06, Nghị định 109, 12-NQ/TU, kỳ họp thứ 5).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import regex

import gazetteer
from extractors import deadline
from extractors.lexicon import alternation, cues, match_at_end, match_at_start, phrase_finder, phrase_key, phrase_pattern, vocabulary
from extractors.quantities import patterns as P
from extractors.quantities.numbers import parse_number, to_plain
from extractors.quantities.numerals import Numeral, find_numerals
from extractors.document import Analysis, Sentence
from extractors import tokens
from extractors.tokens import sentence_doc

YEAR_RANGE = range(1900, 2101)
_YEARS = frozenset(YEAR_RANGE)
LEADING_GROUP_REACH = 50       # characters before "dẫn đầu" searched for "một trong những", "tốp 10" (one noun phrase)


@dataclass
class Quantity:
    kind: str                  # percent | count | quantity | ratio | money | score | rank
    value: int | float | list
    unit: str | None
    qualifier: str             # exact | over | under | approx
    start: int                 # offsets of the number (for a ratio: both numbers) in the cleaned text
    end: int
    unit_end: int              # where the unit phrase ends (= end when there is none)
    sentence: Sentence
    of: int | None = None      # a rank's ranking size ("xếp thứ 4/63" → 63)
    unit_expanded: str | None = None   # the unit with a known abbreviation written out (CCN → cụm công nghiệp)

    @property
    def surface_end(self) -> int:
        return max(self.end, self.unit_end)


@dataclass
class _Unit:
    kind: str
    unit: str | None
    end: int                   # offset just after the unit
    multiplier: int = 1


def find_quantities(analysis: Analysis) -> list[Quantity]:
    out: list[Quantity] = []
    tokens.STATS["sentences"] += len(analysis.sentences)
    for sentence in analysis.sentences:
        deadline.check()
        if not _has_trigger(analysis, sentence):
            continue
        found = _sentence_quantities(analysis, sentence)
        out.extend(q for i, q in enumerate(found) if not _group_threshold(analysis.text, q, found[:i]))
    return out


def _group_threshold(text: str, q: Quantity, earlier: list[Quantity]) -> bool:
    """A bound that defines a group (docs/GOLD.md: thresholds that define groups): "24 xã … đạt dưới 10%", "16/34 địa phương …
    đạt từ 8% trở lên", "tăng trưởng trên 10% gồm: …", "9 địa phương có kim ngạch xuất khẩu đạt trên 1 tỷ USD" — a
    category, not a fact; the group's count is."""
    if q.kind not in ("percent", "money", "quantity") or q.qualifier not in ("over", "under") \
            or P.NOUN_AFTER_PERCENT.match(text, q.surface_end):
        return False                  # "trên 90% người dân", "vượt 15,22% chỉ tiêu": a rate of its own noun
    if q.kind == "percent" and match_at_start(cues("group_list_openers"), text[q.surface_end:q.surface_end + 12].lstrip(" ")):
        return True                   # (an amount before "là" names who has it: "nợ nhiều nhất hơn 7,3 tỉ đồng là Công ty …")
    segment = max((m.end() for m in P.GROUP_SEGMENT_BREAK.finditer(text, q.sentence.start, q.start)), default=q.sentence.start)
    groups = [o for o in earlier if o.start >= segment and o.kind in ("count", "ratio") and o.unit
              and match_at_start(cues("group_units"), o.unit)]
    if not groups or any(o.start > groups[-1].start for o in earlier):
        return False
    # An amount bounds a group only as what its members have: "9 địa phương có kim ngạch xuất khẩu đạt trên
    # 1 tỷ USD"; "37 tỉnh … bội chi với tổng số tiền trên 3.400 tỷ đồng" is their total, a fact.
    return q.kind == "percent" or bool(P.GROUP_MEMBERS_HAVE.fullmatch(text, groups[-1].surface_end, q.start))


@cache
def _rank_pattern() -> regex.Pattern:
    """A position after a ranking intro, with the ranking's size when given: "xếp thứ 4/63"."""
    words = gazetteer.ranking_words()
    intro = alternation(words["intro"])
    # (not after a word that makes the intro the ranking's name: "bảng xếp hạng 63 tỉnh")
    table = "".join(rf"(?<!(?<![\p{{L}}]){regex.escape(w)}\s)" for w in words["table"])
    return regex.compile(rf"(?<![\p{{L}}]){table}(?:{intro})\s+(?:thứ\s+)?{P.RANK_POSITION}", regex.IGNORECASE)


@cache
def _rank_intro_end() -> regex.Pattern:
    """A ranking intro right before a position written in words: "xếp thứ hai", "đứng thứ mười ba", "xếp hạng
    nhất". Group ``nth`` is set when "thứ" stands right before the position (intros like "xếp thứ" end in it)."""
    intro = alternation(gazetteer.ranking_words()["intro"])
    return regex.compile(rf"(?<![\p{{L}}])(?:{intro})(?<nth>(?<=thứ))?\s+(?:(?<nth>thứ)\s+)?\K(?=\p{{L}})",
                         regex.IGNORECASE)


@cache
def _leading_pattern() -> regex.Pattern:
    """First place without a number: "đứng đầu cả nước", "dẫn đầu toàn quốc" (a scope must follow)."""
    words = gazetteer.ranking_words()
    return regex.compile(rf"(?<![\p{{L}}])(?<!người\s)(?P<lead>{alternation(words['leading'])})\s+"
                         rf"(?:{alternation(words['scope'])})(?![\p{{L}}])", regex.IGNORECASE)


def _word_ranks(analysis: Analysis, sentence: Sentence, taken, intro_may_open: bool) -> list[Quantity]:
    """Positions written in words: "xếp thứ nhất", "xếp thứ hai cả nước", "đứng thứ mười ba", "dẫn đầu cả nước".
    ``intro_may_open``: whether a ranking's opening phrase may stand in the sentence (:func:`_may_open`,
    asked once by the caller)."""
    text, base, out = analysis.text, sentence.start, []
    for m in (_rank_intro_end().finditer(text, base, sentence.end) if intro_may_open else ()):
        a = m.end()
        ordinal = match_at_start(vocabulary("ordinal_words"), text[a:sentence.end])   # "nhất", "đầu tiên"
        # A cardinal is a position only after "thứ": "xếp hạng năm 2022" is a year.
        if ordinal:
            value, b = gazetteer.ordinal_words()[phrase_key(ordinal.group(0)).lower()], a + ordinal.end()
        else:
            numeral = next(iter(find_numerals(text, a, sentence.end)), None)
            if numeral is None or m.group("nth") is None or numeral.start != a or not numeral.words \
                    or numeral.value != numeral.value.to_integral_value():
                continue
            value, b = int(numeral.value), numeral.end
        if any(not (b <= x or a >= y) for x, y in taken):
            continue
        taken.append((a, b))
        out.append(Quantity("rank", value, None, "exact", a, b, b, sentence))
    leading = gazetteer.ranking_words()["leading"]
    for m in (_leading_pattern().finditer(text, base, sentence.end) if _may_open(analysis, sentence, leading) else ()):
        a, b = m.span("lead")
        if any(not (m.end() <= x or a >= y) for x, y in taken):
            continue
        clause = max((c.end() for c in P.CLAUSE_BREAK.finditer(text, base, a)), default=base)
        clause = max(clause, a - LEADING_GROUP_REACH)
        if phrase_finder(gazetteer.ranking_words()["leading_group"], True).search(text, clause, a):
            continue                                  # "một trong những tỉnh dẫn đầu cả nước": one of the leaders
        taken.append((a, m.end()))
        out.append(Quantity("rank", 1, None, "exact", a, b, m.end(), sentence))
    return out


def _may_open(analysis: Analysis, sentence: Sentence, phrases) -> bool:
    """Whether a pattern that opens with one of ``phrases`` (after anything but a letter, before a space) may
    match in the sentence: one of them stands there as a whole word (found through the article's word index,
    not by trying the pattern at every character), or a digit is glued to a letter ("5xếp": the index sees
    one word where the pattern sees "xếp"), or the sentence starts inside a word."""
    text, base = analysis.text, sentence.start
    if base and P.WORD_CHARACTER.match(text, base - 1):
        return True
    return bool(phrase_finder(phrases, True).search(text, base, sentence.end)) \
        or bool(P.DIGIT_THEN_LETTER.search(text, base, sentence.end))


def _number_word_pattern() -> regex.Pattern:
    return phrase_pattern(vocabulary("number_words", "number_words_tagged"), True)


def _number_words(analysis: Analysis, sentence: Sentence) -> list[tuple[int, int]]:
    """The number words of a sentence ("ba", "năm") as offsets in the sentence's text, found through the
    article's word index; a sentence that starts inside a word (a run-on cut) has its own text searched."""
    text, base = analysis.text, sentence.start
    if base and P.WORD_CHARACTER.match(text, base - 1):
        return [m.span() for m in _number_word_pattern().finditer(sentence.text)]
    finder = phrase_finder(vocabulary("number_words", "number_words_tagged"), True)
    return [(m.start() - base, m.end() - base) for m in finder.finditer(text, base, sentence.end)]


def _number_word_candidates(analysis: Analysis, sentence: Sentence) -> list[int]:
    """Cheap look before the token layer is asked: a number word followed by a lower-case word,
    not a known non-count phrase ("một số", "năm nay"), and "một" only after a list joiner.
    Gives the offsets in the sentence of those worth asking about."""
    s_text = sentence.text
    spots = []
    for start, end in _number_words(analysis, sentence):
        if not P.LOWER_WORD_AFTER.match(s_text, end):
            continue
        if match_at_start(gazetteer.not_counted_phrases(), s_text[start:]):
            continue
        if s_text[start:end].lower() in gazetteer.number_words_listed() and not P.LIST_JOINER_BEFORE.search(s_text, 0, start):
            continue
        if match_at_start(gazetteer.non_fact_nouns(), s_text[P.LOWER_WORD_AFTER.match(s_text, end).start(1):]):
            continue
        spots.append(start)
    return spots


def _number_word_counts(analysis: Analysis, sentence: Sentence, around: tuple[int, int], free,
                        taken) -> list[Quantity]:
    """Counts written as words ("ba hội", "hai cô giáo", "năm tàu"): the token layer says where the
    number word is a numeral and what it counts; "năm 2024" and "Đề án một cửa" are not counts."""
    text, out = analysis.text, []
    doc = sentence_doc(analysis, sentence, around)
    values = {**gazetteer.number_words(), **gazetteer.number_words_tagged()}
    for token in doc:
        value = values.get(token.lower_)
        if value is None or token._.counted is None or token.text[:1].isdigit() or token.tag_ != "M":
            continue
        a = doc._.start + token.idx
        b = a + len(token.text)
        if not free(a, b):
            continue
        head = doc[token._.counted[0]:token._.counted[1]]
        unit_start, unit_end = doc._.start + head.start_char, doc._.start + head.end_char
        if unit_start < a:
            continue
        unit = _longest_unit(text, unit_start, unit_end, sentence.end)
        taken.append((a, b))
        out.append(Quantity("count", value, unit[0], _qualifier(text, a, sentence), a, b, unit[1], sentence,
                            unit_expanded=_expanded(unit[0])))
    return out


def _has_trigger(analysis: Analysis, sentence: Sentence) -> bool:
    return any(map(str.isdigit, sentence.text)) or bool(_number_words(analysis, sentence)) \
        or bool(_ranking_words_only().search(analysis.text, sentence.start, sentence.end))


@cache
def _ranking_words_only() -> regex.Pattern:
    """Positions with no number word in them: "thứ nhất", "đầu tiên", "dẫn đầu"."""
    return phrase_finder(gazetteer.Phrases([*gazetteer.ordinal_words(), *gazetteer.ranking_words()["leading"]]), True)


def _sentence_quantities(analysis: Analysis, sentence: Sentence) -> list[Quantity]:
    text, base = analysis.text, sentence.start
    s_text = sentence.text
    taken: list[tuple[int, int]] = []
    found: list[Quantity] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    # Positions in a ranking first: "xếp thứ 4/63 tỉnh" is rank 4 of 63, never the ratio 4/63; a position
    # coordinated after it ("… và thứ 33/63 tỉnh") is one too.
    intro_may_open = _may_open(analysis, sentence, gazetteer.ranking_words()["intro"])
    for m in (_rank_pattern().finditer(s_text) if intro_may_open else ()):
        while m:
            pos = "pos" if m.group("pos") else "b_pos"              # (RANK_NEXT's bare "và 3" names its groups b_…)
            a, b = base + m.start(pos), base + m.end(pos)
            size = m.group("of") or m.group("of2") or m.groupdict().get("b_of") or m.groupdict().get("b_of2")
            of = int(size) if size else None
            end = base + m.end()
            if not free(a, b):
                break                                   # already read as the next position of the one before
            unit = _counting_noun(text, end, sentence_end=sentence.end) if of else None
            taken.append((a, end))
            found.append(Quantity("rank", int(m.group(pos)), unit.unit if unit else None,
                                  _qualifier(text, a, sentence), a, b, unit.end if unit else end, sentence, of=of))
            resume = (unit.end if unit else end) - base
            m = P.RANK_NEXT.match(s_text, resume)

    found.extend(_word_ranks(analysis, sentence, taken, intro_may_open))

    # Ratios: "95/95 cơ sở", "23 trong tổng số 25 dịch vụ".
    for pattern in (P.RATIO_WORDS, P.RATIO):
        for m in pattern.finditer(s_text):
            a, b = base + m.start(), base + m.end()
            if not free(a, b):
                continue
            q = _ratio(analysis, sentence, m, a, b)
            taken.append((a, b))
            if q:
                found.append(q)

    # Numbers composed by the numeral grammar: "mười bốn xã", "năm nghìn hồ sơ", "một tỷ đồng", "1 tỷ 200 triệu đồng".
    for numeral in find_numerals(text, base, sentence.end):
        if free(numeral.start, numeral.end):
            found.extend(_numeral(analysis, sentence, numeral, taken))

    for m in P.NUMBER.finditer(s_text):
        a, b = base + m.start("num"), base + m.end("num")
        if not free(a, b):
            continue
        taken.append((a, b))
        found.extend(_plain(analysis, sentence, m.group("num"), a, b, taken))

    spots = _number_word_candidates(analysis, sentence)
    if spots:
        found.extend(_number_word_counts(analysis, sentence, (base + spots[0], base + spots[-1]), free, taken))

    found.sort(key=lambda q: q.start)
    _bare_amounts(text, sentence, found)
    _bound_ranges(text, sentence, found)
    return found


def _bare_amounts(text: str, sentence: Sentence, found: list[Quantity]) -> None:
    """Millions or billions with no noun after them are money when the sentence says so: in the
    currency of the nearest amount it states ("5.573 tỷ đồng, còn lại 1.448 tỷ"), else in đồng when a
    money word stands before it in its clause ("lãi hơn 4.650 tỷ", "nhận hối lộ gần 2,8 tỷ")."""
    stated = [q for q in found if q.kind == "money" and q.value >= 10**6]    # an amount of the same order
    for q in found:
        if q.kind != "count" or q.unit is not None or q.unit_end <= q.end or P.PER_UNIT.match(text, q.unit_end):
            continue                                  # "200 triệu/ha": a rate, not an amount
        scale = text[q.end:q.unit_end].split()
        if not scale or not all(w.lower() in gazetteer.scale_words() for w in scale) \
                or math.prod(gazetteer.scale_words()[w.lower()] for w in scale) < 10**6:
            continue
        nearest = min(stated, key=lambda m: abs(m.start - q.start), default=None)
        if nearest is not None:
            q.kind, q.unit = "money", nearest.unit
            continue
        clause = P.AMOUNT_CLAUSE_BREAK.search(text, sentence.start, q.start)
        if phrase_finder(gazetteer.money_nouns()).search(text, clause.end() if clause else sentence.start, q.start):
            q.kind, q.unit = "money", gazetteer.currencies()["đồng"]


def _scale_at(text: str, pos: int) -> int:
    """The product of the scale words right after ``pos`` ("triệu", "nghìn tỷ"), 1 when there is none."""
    multiplier = 1
    while True:
        rest = text[pos:]
        lead = len(rest) - len(rest.lstrip())
        scale = match_at_start(vocabulary("scale_words"), rest[lead:])
        if not scale or match_at_start(gazetteer.scale_compounds(), rest[lead:]):
            return multiplier
        multiplier *= gazetteer.scale_words()[scale.group(0).lower()]
        pos += lead + scale.end()


def _numeral(analysis: Analysis, sentence: Sentence, numeral: Numeral, taken: list[tuple[int, int]]) -> list[Quantity]:
    """A number the grammar composed from words (or from digit groups with scale words). A lone digit with
    its scale ("5 nghìn") and a lone number word before a counted noun ("ba hội") are read by the passes
    after this one; a lone number word is taken here only before a currency or a unit of measure ("mười đồng")."""
    text, a, b = analysis.text, numeral.start, numeral.end
    if not numeral.words and numeral.groups < 2:
        return []
    lone_word = numeral.size == 1
    if lone_word:
        # "mười đồng", "hai tấn"; "một", "năm" (the article, the year) and counts stay with the token layer.
        unit = _measure(text, b, sentence.end) if text[a:b].lower() in gazetteer.number_words() else None
        if unit is None or numeral.vague or P.ORDINAL_BEFORE.search(text, sentence.start, a):
            return []                                 # "vài ba héc-ta": a few
        taken.append((a, b))
    else:
        taken.append((a, b))                          # its words are read here, never one by one
        if numeral.vague or P.ORDINAL_BEFORE.search(text, sentence.start, a):
            return []                                 # "dăm bảy trăm", "lần thứ hai mươi": no value to store
        unit = _numeral_unit(text, sentence, b, numeral.value in _YEARS)
    value = numeral.value
    if unit is None:
        return []
    if unit.kind == "count" and unit.unit and unit.unit.lower() in _rank_steps():
        unit = _Unit("rank", unit.unit, unit.end)
    value = value * unit.multiplier
    return [Quantity(unit.kind, to_plain(value), unit.unit, _qualifier(text, a, sentence), a, b, unit.end, sentence,
                     unit_expanded=_expanded(unit.unit) if unit.kind == "count" else None)]


def _bound_ranges(text: str, sentence: Sentence, found: list[Quantity]) -> None:
    """Qualifiers that stand after an amount or before a range: "từ 7000 đồng trở xuống" is under 7000;
    the second end of "khoảng 1000-2000 đồng" is approximate like the first."""
    for q in found:
        bound = match_at_start(vocabulary("bound_after"), text[q.surface_end:sentence.end].lstrip())
        if bound and q.kind != "rank":
            q.qualifier = gazetteer.bound_after()[phrase_key(bound.group(0)).lower()]
    for first, second in zip(found, found[1:]):
        joined = P.RANGE_BETWEEN.fullmatch(text, first.surface_end, second.start) or (
            P.AND_BETWEEN.fullmatch(text, first.surface_end, second.start)
            and P.BETWEEN_BEFORE.search(text, sentence.start, first.start))
        if (first.kind, first.unit) == (second.kind, second.unit) and second.qualifier == "exact" and joined:
            second.qualifier = first.qualifier


def _ratio(analysis: Analysis, sentence: Sentence, m: regex.Match, a: int, b: int) -> Quantity | None:
    text = analysis.text
    num, den = parse_number(m.group("a")), parse_number(m.group("b"))
    if num is None or den is None or _is_identifier(text, a) or P.DOCUMENT_CODE_AFTER.match(text[b:]):
        return None
    if m.re is P.RATIO_WORDS:      # "2 triệu trong tổng số 7 triệu người": each number with its scale
        num, den = num * _scale_at(m.string, m.end("a")), den * _scale_at(m.string, m.end("b"))
    is_date_like = num == num.to_integral_value() and den == den.to_integral_value() and (
        (1 <= num <= 31 and 1 <= den <= 12) or (1 <= num <= 12 and int(den) in YEAR_RANGE)
        or (int(num) in YEAR_RANGE and int(den) in YEAR_RANGE))
    if is_date_like and "/" in m.group(0) and P.TIME_WORD_BEFORE.search(text[sentence.start:a]):
        return None                                   # "ngày 5/2": a date, whatever follows
    unit = _known_whole_word(text, b, sentence.end) or _token_unit(analysis, sentence, b, after_only=True)
    if is_date_like and "/" in m.group(0) and unit is None:
        return None
    if P.PERCENT.match(text[b:]):
        return None
    return Quantity("ratio", [to_plain(num), to_plain(den)], unit.unit if unit else None,
                    _qualifier(text, a, sentence), a, b, unit.end if unit else b, sentence,
                    unit_expanded=_expanded(unit.unit) if unit else None)


def _plain(analysis: Analysis, sentence: Sentence, surface: str, a: int, b: int,
           taken: list[tuple[int, int]]) -> list[Quantity]:
    text = analysis.text
    after = text[b:sentence.end]
    if after.startswith("/") and after[1:2].isdigit():
        return []                                     # part of a date or fraction the ratio pass refused
    if P.DOCUMENT_CODE_AFTER.match(after) or _is_identifier(text, a, b, sentence.end):
        return []
    if P.DAY_MONTH.fullmatch(surface) and P.TIME_WORD_BEFORE.search(text[sentence.start:a]):
        return []                                     # "sáng 17.7": a date
    glued = P.GLUED_LETTERS.match(after)
    if glued and glued.group(0) not in gazetteer.measure_units() and glued.group(0) != "%":
        return []                                     # 39B, 0h00, 4G: a code, not a number
    value = parse_number(surface)
    if value is None:
        return []
    year_like = "." not in surface and "," not in surface and value == value.to_integral_value() \
        and int(value) in YEAR_RANGE
    unit = _unit(analysis, sentence, b, year_like)
    if unit is None:
        # A bare number may borrow the unit of the number it is joined to: "345 – 350 USD/tấn".
        join = P.RANGE_JOIN.match(after) or (P.BETWEEN_BEFORE.search(text, sentence.start, a)
                                             and P.BETWEEN_JOIN.match(after))
        if join:
            nxt = P.NUMBER.match(text, b + join.end())
            glued = None if nxt else P.NUMBER_AT.match(text, b + join.end())   # "1000-2000 đồng"
            end = nxt.end("num") if nxt else glued.end() if glued else None
            partner = _unit(analysis, sentence, end) if end else None
            if partner and glued and partner.kind in ("money", "quantity", "percent"):
                second = parse_number(glued.group(0))
                if second is not None:
                    taken.append(glued.span())
                    qualifier = _qualifier(text, a, sentence)
                    return [Quantity(partner.kind, to_plain(value * partner.multiplier), partner.unit, qualifier,
                                     a, b, b, sentence),
                            Quantity(partner.kind, to_plain(second * partner.multiplier), partner.unit, qualifier,
                                     glued.start(), glued.end(), partner.end, sentence)]
            elif partner and nxt:
                unit = _Unit(partner.kind, partner.unit, b, partner.multiplier)
        if unit is None and _is_index_score(text, sentence, surface, value, a):
            unit = _Unit("score", "điểm", b)          # "DTI năm 2024 đạt 0,7955"
        if unit is None:
            return []
    if value == value.to_integral_value() and int(value) in YEAR_RANGE and unit.kind == "count" \
            and "." not in surface and "," not in surface and _year_context(text, a):
        return []
    if unit.kind == "count" and unit.unit and unit.unit.lower() in _rank_steps():
        unit = _Unit("rank", unit.unit, unit.end)             # "tăng 4 bậc": a move in a ranking
    if unit.kind in ("count", "money", "quantity", "score") or unit.multiplier != 1:
        value = value * unit.multiplier
    return [Quantity(unit.kind, to_plain(value), unit.unit, _qualifier(text, a, sentence), a, b, unit.end, sentence,
                     unit_expanded=_expanded(unit.unit) if unit.kind == "count" else None)]


def _is_index_score(text: str, sentence: Sentence, surface: str, value, a: int) -> bool:
    """A fraction below 1 written with three or more decimals, in a sentence that names an index."""
    decimals = P.DECIMALS.search(surface)
    return bool(decimals and len(decimals.group(1)) >= 3 and value < 1
                and phrase_finder(gazetteer.index_words(), False).search(text, sentence.start, sentence.end))


@cache
def _rank_steps() -> frozenset[str]:
    return frozenset(w.lower() for w in gazetteer.ranking_words()["steps"])


def _year_context(text: str, a: int) -> bool:
    return bool(P.YEAR_CONTEXT_BEFORE.search(text, max(0, a - 20), a))


def _unit(analysis: Analysis, sentence: Sentence, pos: int, year_like: bool = False) -> _Unit | None:
    """What the number at ``pos`` measures: %, currency, unit of measure, điểm, or a counted noun."""
    text = analysis.text
    number_end = pos
    rest = text[pos:sentence.end]
    multiplier = 1
    scale = match_at_start(vocabulary("scale_words"), rest.lstrip())
    if scale and match_at_start(gazetteer.scale_compounds(), rest.lstrip()):
        scale = None                                  # "2016 tỷ lệ 50%", "12 tỷ phú": no scale
    if scale:
        lead = len(rest) - len(rest.lstrip())
        multiplier = gazetteer.scale_words()[scale.group(0).lower()]
        pos += lead + scale.end()
        rest = text[pos:sentence.end]
        second = match_at_start(vocabulary("scale_words"), rest.lstrip())   # "nghìn tỷ"
        if second:
            lead = len(rest) - len(rest.lstrip())
            multiplier *= gazetteer.scale_words()[second.group(0).lower()]
            pos += lead + second.end()
            rest = text[pos:sentence.end]
    measured = _measure(text, pos, sentence.end, multiplier)
    if measured:
        return measured
    m = P.SCORE.match(rest)
    if m:
        return _Unit("score", "điểm", pos + m.end(), multiplier)
    stripped = rest.lstrip()
    if match_at_start(gazetteer.non_fact_nouns(), stripped):
        return None
    if year_like or P.CODE_BEFORE.search(text[max(sentence.start, pos - 40):pos]):
        noun = _counting_noun(text, pos, sentence_end=sentence.end)    # a year or a model code: only a known noun
    else:
        noun = _known_whole_word(text, number_end, sentence.end) or _token_unit(analysis, sentence, number_end)
    if noun:
        return _Unit("count", noun.unit, noun.end, multiplier)
    return _Unit("count", None, pos, multiplier) if multiplier != 1 else None


def _measure(text: str, pos: int, end: int, multiplier: int = 1) -> _Unit | None:
    """A percent sign, a currency or a unit of measure right after ``pos`` (no counted noun, no score)."""
    rest = text[pos:end]
    m = P.PERCENT.match(rest)
    if m:
        return _Unit("percent", "%", pos + m.end())
    stripped = rest.lstrip()
    lead = len(rest) - len(stripped)
    currency = match_at_start(vocabulary("currencies"), stripped, ignore_case=False)
    if currency and not _money_exception(currency.group(0), stripped[currency.end():]):
        code = gazetteer.currencies()[currency.group(0)]
        return _Unit("money", code, pos + lead + currency.end(), multiplier)
    measure = match_at_start(vocabulary("measure_units"), stripped, ignore_case=False)
    if measure:
        return _Unit("quantity", gazetteer.measure_units()[measure.group(0)], pos + lead + measure.end(), multiplier)
    return None


def _numeral_unit(text: str, sentence: Sentence, pos: int, year_like: bool) -> _Unit | None:
    """What a number in words measures: a percent, currency or unit of measure, a score, or a known counting
    noun. The token layer is not asked: its window is the digits' (asking here would move it), and a noun it
    would find after a number word is read by the token-layer pass for lone number words."""
    measured = _measure(text, pos, sentence.end)
    if measured:
        return measured
    m = P.SCORE.match(text, pos, sentence.end)
    if m:
        return _Unit("score", "điểm", m.end())
    if year_like:
        return None
    return _counting_noun(text, pos, sentence_end=sentence.end)


def _money_exception(surface: str, after: str) -> bool:
    if surface != "đồng":
        return False
    nxt = P.FIRST_WORD.match(after)
    return bool(nxt and nxt.group(1).lower() in gazetteer.money_exceptions())


def _counting_noun(text: str, pos: int, sentence_end: int | None = None) -> _Unit | None:
    rest = text[pos:sentence_end] if sentence_end else text[pos:pos + 80]
    stripped = rest.lstrip()
    lead = len(rest) - len(stripped)
    modifier = match_at_start(gazetteer.noun_modifiers(), stripped)
    if modifier:
        skip = P.LEADING_SPACE.match(stripped, modifier.end()).end() - modifier.end()
        lead += modifier.end() + skip
        stripped = stripped[modifier.end() + skip:]
    if match_at_start(gazetteer.non_fact_nouns(), stripped):
        return None
    m = match_at_start(vocabulary("counting_nouns", "titles"), stripped)
    if not m:
        return None
    return _Unit("count", stripped[:m.end()], pos + lead + m.end())


def _known_whole_word(text: str, pos: int, sentence_end: int) -> _Unit | None:
    """A counting noun of several syllables right after the number ("hồ sơ", "tài khoản định danh"):
    already a whole word, so the token layer is not asked. One-syllable entries ("nhà", "căn") may be
    the first half of a word ("nhà thầu", "căn cước"): those, and every noun not listed, are the token
    layer's to decide."""
    known = _counting_noun(text, pos, sentence_end=sentence_end)
    if known and " " in known.unit.strip():
        return known
    return None


def _token_unit(analysis: Analysis, sentence: Sentence, pos: int, after_only: bool = False) -> _Unit | None:
    """What the number ending at ``pos`` counts, from the token layer: the noun phrase after it as
    whole words ("6 nhà thầu", "64% (5.120) ý kiến"), or the noun after "số" in "số X là N"."""
    text = analysis.text
    nxt = P.NEXT_WORD.match(text, pos, sentence.end)
    before = P.IS_BEFORE.search(text, sentence.start, pos) or P.OPEN_BEFORE.search(text, sentence.start, pos)
    if not before and (not nxt or nxt.group(0).lower() in gazetteer.not_unit_words()) \
            and not P.CLOSE_THEN_WORD.match(text, pos, sentence.end):
        return None                                 # nothing a number could count: "2023 và", "10 của"
    doc = sentence_doc(analysis, sentence, _trigger_span(analysis, sentence, pos))
    rel = pos - doc._.start
    number = next((t for t in doc if t.idx + len(t.text) == rel and t.text[:1].isdigit()), None)
    if number is None or number._.counted is None:
        # The tagger did not see a noun: a known counting noun still counts ("136 phó phòng").
        return _counting_noun(text, pos, sentence_end=sentence.end)
    head = doc[number._.counted[0]:number._.counted[1]]
    start, end = doc._.start + head.start_char, doc._.start + head.end_char
    if start < pos:
        if after_only and text[start:pos].find("(") < 0:
            return None
        return _Unit("count", head.text, pos)       # "số nhà thầu … là 38": the unit stands before
    unit, unit_end = _longest_unit(text, start, end, sentence.end)
    return _Unit("count", unit, unit_end)


def _trigger_span(analysis: Analysis, sentence: Sentence, pos: int) -> tuple[int, int]:
    """The span from the first to the last number of the sentence (and ``pos``): one Doc window
    serves every number in it, so the token layer reads a sentence once."""
    digits = [m.start() for m in P.DIGIT.finditer(sentence.text)]
    if not digits:
        return pos - 1, pos
    return min(pos - 1, sentence.start + digits[0]), max(pos, sentence.start + digits[-1] + 1)


def _longest_unit(text: str, start: int, end: int, sentence_end: int) -> tuple[str, int]:
    """The token layer's unit, or a longer known counting noun that starts with it ("chữ ký số")."""
    known = match_at_start(vocabulary("counting_nouns"), text[start:sentence_end])
    if known and start + known.end() > end:
        end = start + known.end()
    return text[start:end], end


def _expanded(unit: str | None) -> str | None:
    """A unit written as an abbreviation, written out for the concept ("CCN" → "cụm công nghiệp")."""
    if not unit:
        return None
    words = unit.split()
    expansion = gazetteer.unit_abbreviations().get(words[0])
    return " ".join([expansion, *words[1:]]) if expansion else None


POSITION_WORDS = ("thứ", "hạng", "top")          # identifier words that name a position in a ranking


def _is_identifier(text: str, a: int, b: int | None = None, sentence_end: int | None = None) -> bool:
    before = text[max(0, a - 40):a]
    # A number listed after an identifier is one too: "quận 1, 3, 5", "mức độ 3, 4 lĩnh vực tư pháp" —
    # except after a position, which lists no more positions before a counted noun: in "xếp thứ 5 và
    # 12 huyện đạt chuẩn" the 12 counts districts.
    listed = P.LISTED_NUMBERS.sub("", before)
    m = match_at_end(gazetteer.identifier_words(), listed, ignore_case=False)
    if not m:
        return False
    if listed != before and b is not None and m.group(0).strip().lower() in POSITION_WORDS \
            and _counting_noun(text, b, sentence_end=sentence_end):
        return False
    before = listed
    if m.group(0).strip() in ("số", "Số"):
        prev = P.LAST_WORD.search(before[:m.start()] + " ")
        if prev and prev.group(1).lower() in gazetteer.so_compounds():
            return False
    return True


def _qualifier(text: str, a: int, sentence: Sentence) -> str:
    before = text[max(sentence.start, a - 30):a]
    opened = P.RANGE_OPEN_END.search(before)
    if opened:
        # "khoảng chừng từ 1000 đến …": an estimate before the range's "từ"; a comparison before it is a
        # difference ("cao hơn từ 10 - 30%", "tốt đẹp hơn giữa hai nước"), not a bound.
        found = _qualifier_phrase(before[:opened.start()])
        return found if found == "approx" else "exact"
    comparative = match_at_end(cues("difference_comparatives"), before)
    if comparative and (P.COMPARED_AFTER.match(text, a, sentence.end)
                        or P.COMPARED_BEFORE.search(text, max(sentence.start, a - 80), a - len(before) + comparative.start())):
        # "cao hơn 2,19% so với …", "(so với năm 2022, phát hiện ít hơn 24 vụ …)": the difference itself
        # (a peak "cao hơn 3.000 mét" is a bound)
        return "exact"
    found = _qualifier_phrase(before)
    if found == "exact" and _estimated(text, a, sentence, before):
        return "approx"
    return found


def _estimated(text: str, a: int, sentence: Sentence, before: str) -> bool:
    """An estimate word before the change verb that governs the number ("GRDP ước tính tăng 3,02%"), or
    one that opens the number's sentence ("Ước tính, trong quý I, kim ngạch đạt 4,12 tỷ USD")."""
    verb = match_at_end(cues("change.increase", "change.decrease"), before)
    if verb and match_at_end(cues("estimate_words"), before[:verb.start()]):
        return True
    opener = match_at_start(cues("estimate_words"), text[sentence.start:a])
    return bool(opener) and text[sentence.start + opener.end():a].lstrip().startswith(",")


def _qualifier_phrase(before: str) -> str:
    m = match_at_end(vocabulary("qualifiers"), before)
    if not m:
        return "exact"
    phrase = phrase_key(m.group(0))
    return gazetteer.qualifiers().get(phrase, "exact")
