"""Interpret each quantity in its sentence, paragraph and article.

Role comes from the nearest cue before the number: a change verb that governs it ("tăng 36,1%"),
a target cue ("chỉ tiêu", "phấn đấu", "sẽ") or an actual cue ("đạt", "đã") that ends a target's
reach. A sentence without any cue keeps the mode of the paragraph so far. Periods come from the
clause, then the sentence, then the paragraph, then the article's headline and lead.
"""
from __future__ import annotations

import bisect
import datetime as dt
import itertools
from dataclasses import dataclass
from functools import cache

import regex

import gazetteer
from extractors import deadline
from extractors.lexicon import PhraseFinder, alternation, cues, match_at_end, phrase_finder, phrase_key, phrase_pattern, vocabulary
from extractors.periods import TimeExpression, find_time_expressions
from extractors.periods import patterns as PP
from extractors.periods.extract import period_bounds, resolve_date, resolve_day
from extractors.quantities import Quantity
from extractors.semantics import patterns as P
from settings import thresholds
from extractors.document import Analysis, Sentence


@dataclass
class Semantics:
    role: str = "actual"
    direction: str | None = None
    baseline: str | None = None
    period: str | None = None
    as_of: str | None = None
    negated: bool = False
    # the year of a "cùng kỳ năm X" whose own value this is ("… so với cùng kỳ năm 2023 (35,4 triệu USD)"):
    # its period is the figure's period moved to that year (not output)
    same_period_year: str | None = None


@cache
def _negation_before() -> regex.Pattern:
    """A negation cue up to a few words (and an opening bracket) before the end of the text."""
    cue = phrase_pattern(cues("negation_before")).pattern
    return regex.compile(r"(?:" + cue + r")\s*(?:\S+\s+){0,3}\(?\s*(?:\S+\s+)?$")


@cache
def _increase_verbs() -> frozenset[str]:
    return frozenset(v.lower() for v in cues("change.increase"))


def interpret(analysis: Analysis, quantities: list[Quantity], year: int | None,
              written: dt.date | None = None) -> list[Semantics]:
    """Semantics for each quantity, in the same order. ``year`` is the article's year, ``written``
    the day it was written when known (dates without a year resolve against them)."""
    times = find_time_expressions(analysis.text, year)
    marks = _framing(analysis, find_as_of(analysis.text, year, written), quantities)
    carrying = _last_carrying(marks)
    starts = [m.start for m in marks]
    _claim_as_of_times(times, marks, starts)
    period_index = _index_periods(analysis, times)
    out: list[Semantics] = []
    previous: dict[int, tuple[Quantity, Semantics]] = {}
    last_roles: dict[int, str] = {}
    for i, q in enumerate(quantities):
        deadline.check()
        s = q.sentence
        sem = Semantics()
        prev = previous.get(s.index)
        cue_kind = _role(analysis, q, sem, prev, times, last_roles,
                         [o for o in quantities[i + 1:i + 9] if o.sentence is s],
                         [o for o in quantities[max(0, i - 8):i] if o.sentence is s])
        # a purpose ("để …") reaches only its clause: it never makes the next sentence's numbers targets;
        # only a frame ("phấn đấu", "mục tiêu", "theo kế hoạch") goes on into the cue-less sentences after it
        last_roles[s.index] = "purpose" if cue_kind == "target_clause" else \
            ("frame" if sem.role == "target" and cue_kind == "frame" else sem.role)
        sem.negated = _negated(analysis, q, quantities[i + 1] if i + 1 < len(quantities) else None)
        if sem.period is None:
            sem.period = _period(analysis, q, period_index, sem.role)
            if sem.same_period_year:
                own = P.SUB_YEAR_LABEL.fullmatch(sem.period or "")
                sem.period = f"{sem.same_period_year}-{own.group(2)}" if own else sem.same_period_year
        if sem.role == "target" and sem.period and _bracketed_plan(analysis.text, q):
            own = P.SUB_YEAR_LABEL.fullmatch(sem.period)
            sem.period = own.group(1) if own else sem.period     # "(23.600 tỷ đồng)" after "nghị quyết đề ra": the year's plan
        sem.as_of = _as_of(analysis, q, marks, starts, carrying, times)
        if q.kind == "rank" and sem.period and not period_index.between(s.start, s.end):
            sem.period = _ranking_year(analysis.text, s, sem.period)
        if sem.period and not period_index.between(s.start, s.end) and (
                sem.as_of and _outside(sem.as_of, sem.period)
                or any(_outside(day, sem.period, before_only=sem.period == period_index.article)
                       for day in _days_named(analysis.text, s, year, written))):
            # "cuối năm 2023, toàn tỉnh còn 9.604 hộ nghèo" in a 9-month report, "chiều ngày 7/2, đã có
            # khoảng 30% số hộ …" after a paragraph on June: the figure's own day, not the carried period.
            # (A day after the report's own period is the day its figures were told: "Sáng 5/7, … 6
            # tháng đầu năm …" keeps the half.)
            sem.period = None
        previous[s.index] = (q, sem)
        out.append(sem)
    _share_baselines(analysis.text, quantities, out)
    for sem in out:
        if sem.period == PP.NO_FORM:
            sem.period = None         # "7 tháng đầu năm": a stretch no period form names
        sem.baseline = _resolve_baseline(sem.baseline if sem.baseline != PP.NO_FORM else None, sem.period, written, year)
    return out


def _claim_as_of_times(times: list[TimeExpression], marks: list[AsOf], starts: list[int]) -> None:
    """A month inside an as_of expression ("tính đến đầu tháng 9/2025") dates the figures; it is not
    their period (``starts``: the marks' starts)."""
    for t in times:
        i = bisect.bisect_right(starts, t.start) - 1
        if i >= 0 and marks[i].start <= t.start < marks[i].end:
            t.role = "as_of"


def _share_baselines(text: str, quantities: list[Quantity], out: list[Semantics]) -> None:
    """Changes listed before a baseline share it: "tăng 9,4% về số doanh nghiệp, tăng 31,2% về vốn
    đăng ký so với cùng kỳ" — both against the same period."""
    for i in range(len(quantities) - 2, -1, -1):
        q, nxt = quantities[i], quantities[i + 1]
        if out[i].role != "change" or out[i].baseline or out[i + 1].role != "change" or not out[i + 1].baseline:
            continue
        if q.sentence is nxt.sentence and not P.LIST_BREAK.search(text, q.surface_end, nxt.start):
            out[i].baseline = out[i + 1].baseline


def _resolve_baseline(baseline: str | None, period: str | None, written: dt.date | None,
                      year: int | None) -> str | None:
    """A baseline relative to the fact ("so với năm trước", "so tháng trước", "so quý trước") as the
    period it names: the one before the fact's own period, else before the article's."""
    if baseline == "previous_year":
        own = P.YEAR_START.match(period or "")
        base = int(own.group(1)) if own else year
        return str(base - 1) if base else None
    if baseline == "previous_month":
        m = P.MONTH_LABEL.fullmatch(period or "")
        year, month = (int(m.group(1)), int(m.group(2))) if m else ((written.year, written.month) if written else (None, None))
        if year is None:
            return None
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        return f"{year:04d}-{month:02d}"
    if baseline == "previous_quarter":
        m = P.QUARTER_LABEL.fullmatch(period or "")
        if not m:
            return None
        year, quarter = int(m.group(1)), int(m.group(2))
        return f"{year - 1}-Q4" if quarter == 1 else f"{year}-Q{quarter - 1}"
    return baseline


# -- role ------------------------------------------------------------------------------------------

def _role(analysis: Analysis, q: Quantity, sem: Semantics, prev, times: list[TimeExpression],
          last_roles: dict[int, str], following: list[Quantity], earlier: list[Quantity]) -> str | None:
    """Set role, direction and baseline; returns the kind of the role cue that decided."""
    text, s = analysis.text, q.sentence
    before = text[s.start:q.start]
    # "tăng 76,9 điểm so với năm 2022 (697.55 điểm)": the value of the baseline period itself.
    for t in times:
        if t.role == "baseline" and s.start <= t.start and t.end <= q.start and P.OPEN_PAREN_ONLY.match(text[t.end:q.start]):
            if phrase_pattern(cues("same_period")).search(text, max(s.start, t.start - 15), t.start):
                sem.same_period_year = t.label[:4] if t.label and t.label[:4].isdigit() else None
            else:
                sem.period = t.label
            return None
    direction = _governing_change(before)
    if direction is None and prev is not None:
        direction = _inherited_change(text, prev, q)
    cue_kind = _nearest_role_cue(analysis, q, last_roles, earlier)
    if direction:
        baseline = _baseline(analysis, q, times, [o for o in following if o.sentence is s])
        past = baseline is not None and baseline != "present"
        if cue_kind in ("target", "frame", "target_clause") or (cue_kind == "target_weak" and not past):
            sem.role = "target"
            return cue_kind
        sem.role, sem.direction = "change", direction
        sem.baseline = baseline if baseline != "present" else None
        if prev is not None and prev[1].role == "change" and sem.baseline is None:
            sem.baseline = prev[1].baseline
        return cue_kind
    if cue_kind in ("target", "frame", "target_weak", "target_clause"):
        sem.role = "target"
    return cue_kind


def _governing_change(before: str) -> str | None:
    """'increase' or 'decrease' when a change verb directly governs the number at the end of ``before``."""
    verbs = cues("change.increase", "change.decrease")
    fillers = cues("change_fillers", "@qualifiers")
    tail = before
    for _ in range(3):                      # strip up to three fillers: "giảm được khoảng"
        m = match_at_end(fillers, tail)
        if not m or match_at_end(verbs, tail):
            break
        tail = tail[:m.start()]
    m = match_at_end(verbs, tail)
    if m and match_at_end(cues("change_in_noun"), before[:len(tail)]):
        return None                   # "tổng vốn đăng ký tăng thêm 1,79 tỷ USD": an amount
    if not m:
        pattern, reach = _verb_with_object()
        m = pattern.search(before, _start_of_last_words(before, reach))
        if not m or _in_compound(before, m.start("verb"), m.end("verb")):
            return None
    verb = phrase_key(m.group("verb") if "verb" in m.groupdict() else m.group(0))
    return "increase" if verb in _increase_verbs() else "decrease"


@cache
def _verb_with_object() -> tuple[regex.Pattern, int]:
    """A change verb, its object of a few words (a year among them), then a link right before the
    number: "giảm tai nạn giao thông được 12,5%", "mức tăng GDP cùng kỳ 2023 là 4,4%", "tăng trưởng kinh tế
    (GRDP) đạt mức 6,9%" (an abbreviation in brackets among the words; no other punctuation
    or other cue between; not "giảm từ 401 xuống còn 208": a level, not a change).

    With the pattern, how many words (runs without spaces) a match spans at most: it ends the text,
    so it starts within that many words of the end, and is searched only there."""
    alt = alternation
    verbs, links, qualifiers = cues('change.increase', 'change.decrease'), cues('change_object_links'), cues('@qualifiers')
    # (an object word is no change verb: "tụt giảm còn 775 chiếc" is "giảm còn", a level)
    pattern = regex.compile(rf"(?<![\p{{L}}])(?P<verb>{alt(verbs)})"
                            rf"(?:\s+(?!(?:{alt(verbs)})(?![\p{{L}}]))(?:[\p{{L}}]+|\(\p{{Lu}}[\p{{Lu}}\p{{N}}-]+\)|(?:\d{{1,2}}/)?(?:19|20)\d{{2}})){{1,{thresholds.CHANGE_OBJECT_WORDS}}}?\s+(?:{alt(links)})\s+"
                            rf"(?:(?:{alt(qualifiers)})\s+)?$", regex.IGNORECASE)
    return pattern, _most_words(verbs) + thresholds.CHANGE_OBJECT_WORDS + _most_words(links) + _most_words(qualifiers)


def _most_words(phrases) -> int:
    return max((len(p.split()) for p in phrases), default=0)


def _start_of_last_words(text: str, n: int) -> int:
    """Where the last ``n`` runs of non-space characters of ``text`` start (0 when it has no more)."""
    found = list(itertools.islice(P.WORDS_FROM_END.finditer(text), n))
    return found[-1].start() if len(found) == n else 0


def _in_compound(text: str, start: int, end: int) -> bool:
    """A one-syllable change verb that is the first half of another word: "tăng cường", "giảm nghèo"."""
    after = P.NEXT_SYLLABLE.match(text, end)
    return " " not in text[start:end].strip() and bool(after) \
        and f"{text[start:end]} {after.group(1)}".lower() in gazetteer.two_syllable_words()


def _inherited_change(text: str, prev, q: Quantity) -> str | None:
    """A number listed right after a change shares it: "giảm 35 trưởng phòng, 136 phó phòng", "(11,8%)"."""
    pq, psem = prev
    if psem.role != "change" or q.kind == "rank":
        return None                   # "tăng trưởng đạt mức 6,9%, đứng thứ 22/63": a position is no change
    gap = text[pq.surface_end:q.start]
    if not P.SHORT_GAP.match(gap) or gap.count(")") > gap.count("("):
        return None                   # "(so với năm 2022, … nhiều hơn 12 đối tượng) và 1.525 vụ": the bracket bounds it
    if phrase_pattern(_blockers()).search(gap):
        return None
    return psem.direction


def _nearest_role_cue(analysis: Analysis, q: Quantity, last_roles: dict[int, str],
                      earlier: list[Quantity] = ()) -> str | None:
    """The kind of the role cue that governs the number.

    In order: a purpose cue in its comma clause; a frame ("phấn đấu", "Theo kế hoạch") earlier in the
    sentence; the last cue before it in the sentence (after a "…: Capital" list opener), leaving out
    a target cue that only completes an earlier number ("đạt 48,2% kế hoạch năm, tổng vốn 2.150 tỉ
    đồng": the plan is the 48,2%'s, and the 2.150 is a result); else the previous sentence of the
    paragraph, when it opens with a frame.
    """
    text, s = analysis.text, q.sentence
    if _target_noun_before().search(text, max(s.start, q.start - 30), q.start) or _bracket_closing_a_plan(text, s, q):
        return "target"               # "so với mục tiêu 40 triệu", "vượt chỉ tiêu 45%": the target's own value
    if q.kind == "count" and q.unit and phrase_pattern(cues("target_nouns")).match(q.unit):
        return "target"               # "2.068 chỉ tiêu giao": it counts targets
    clause_start = max((m.end() for m in P.CLAUSE_BREAK.finditer(text, s.start, q.start)), default=s.start)
    purpose = phrase_finder(cues("target_clause")).search(text, clause_start, q.start)
    if purpose and not phrase_finder(cues("done_before_purpose")).search(text, s.start, purpose.start()):
        return "target_clause"        # (after a finished act, "đã huy động 45 cán bộ để thành lập 11 tổ", a result)
    start = max((m.end() for m in P.LIST_OPENER.finditer(text, s.start, q.start)), default=s.start)
    if _cue_spans(text, s.start, q.start, "target_frame"):
        return "frame"
    # a semicolon ends the reach of a cue: "…hoàn thành chỉ tiêu giao; 199 địa phương còn lại …"
    start = max([start] + [m.end() for m in P.SEMICOLON.finditer(text, s.start, q.start)])
    kind = _last_cue_kind(text, start, q.start, [(o.start, o.surface_end) for o in earlier])
    if kind:
        return kind
    if q.kind == "rank":
        return None                   # a position in a ranking is a result unless its own clause says otherwise
    for previous in reversed(analysis.sentences[:s.index]):
        if previous.paragraph != s.paragraph:
            break
        if previous.index in last_roles:      # the numbers of a list of targets go on being targets
            return "frame" if last_roles[previous.index] == "frame" else None
        if P.FRAME_OPENER.match(previous.text) and _cue_spans(text, previous.start, previous.end, "target_frame"):
            return "frame"
        return None
    return None


def _cue_spans(text: str, a: int, b: int, kind: str) -> list[tuple[int, int]]:
    """Matches of one cue list between a and b, leaving out words inside a neutral phrase and cues
    inside a closed bracketed remark ("(mục tiêu 70%)" speaks only of its own number)."""
    found = phrase_finder(cues(kind)).finditer(text, a, b)
    if not found:                     # most windows hold no cue of the kind: nothing to leave out
        return []
    neutral = [(m.start(), m.end()) for m in phrase_finder(cues("neutral")).finditer(text, a, b)]
    neutral += [(m.start(), m.end()) for m in P.PARENTHETICAL.finditer(text, a, b)]
    return [(m.start(), m.end()) for m in found
            if not any(x <= m.start() and m.end() <= y for x, y in neutral) and not _in_organisation_name(text, m.start())]


def _in_organisation_name(text: str, start: int) -> bool:
    """A capitalised cue right after an organisation's head word names the body, not a plan:
    "Bộ Kế hoạch và Đầu tư", "Sở Kế hoạch và Đầu tư"."""
    return text[start].isupper() and bool(_organisation_head_before().search(text, max(0, start - 30), start))


@cache
def _organisation_head_before() -> regex.Pattern:
    return regex.compile(rf"(?<![\p{{L}}])(?:{alternation(gazetteer.organisation_heads())})\s+$")


def _bracket_closing_a_plan(text: str, s: Sentence, q: Quantity) -> bool:
    """The value in brackets that closes a plan's noun phrase, whatever stands inside it: "thấp hơn
    5,25% so với chỉ tiêu được giao tại Quyết định số 546/QĐ-TTg … của Thủ tướng Chính phủ (91,5%)",
    "so với chỉ tiêu UBND tỉnh giao (35,5%)" — no comma or semicolon between the plan and the bracket."""
    opened = P.BRACKET_BEFORE_NUMBER.search(text, max(s.start, q.start - 20), q.start)
    if not opened:
        return False
    a = max(s.start, opened.start() - thresholds.PLAN_PHRASE_CHARS)
    # (a capitalised plan word mid-sentence is a name's: "Bộ Kế hoạch và Đầu tư (6,8 triệu lượt truy cập)")
    nouns = [m for m in phrase_finder(cues("target_nouns")).finditer(text, a, opened.start())
             if m.start() == s.start or not text[m.start()].isupper()]
    return bool(nouns) and not P.PLAN_PHRASE_PUNCTUATION.search(text, nouns[-1].end(), opened.start()) \
        and not phrase_finder(cues("plan_phrase_enders")).search(text, nouns[-1].end(), opened.start())


@cache
def _target_noun_before() -> regex.Pattern:
    alt = alternation
    # "so với mục tiêu 40 triệu", and the plan's value in brackets after it: "đạt 51,8% so với nghị quyết đề ra
    # (23.600 tỷ đồng)", "đạt 62,7% so kế hoạch (130 triệu USD)"
    return regex.compile(rf"(?<![\p{{L}}])(?:{alt(cues('target_nouns'))})(?:\s+(?:\(\s*)?|\s*\(\s*)(?:(?:{alt(cues('@qualifiers'))})\s+)?$",
                         regex.IGNORECASE)


def _last_cue_kind(text: str, a: int, b: int, numbers: list[tuple[int, int]] = ()) -> str | None:
    best, best_end = None, -1
    for kind in ("target", "target_weak", "actual"):
        for start, end in _cue_spans(text, a, b, kind):
            if kind != "actual" and any(x <= start < e or (e <= start and P.COMPLEMENT_GAP.fullmatch(text, e, start))
                                        for x, e in numbers):
                continue              # "48,2% kế hoạch năm", "2.068 chỉ tiêu giao": it completes that number only
            if end > best_end or (end == best_end and kind != "actual"):
                best, best_end = kind, end
    return best


def is_parallel(gap: str) -> bool:
    """True when the text between two numbers only lists them: no bracket, clause end or cue word."""
    if P.LIST_STOP.search(gap):
        return False
    qualifier = match_at_end(vocabulary("qualifiers"), gap)
    trimmed = gap[:qualifier.start()] if qualifier else gap
    if not (trimmed.rstrip().endswith(",") or match_at_end(cues("list_joiners"), trimmed)):
        return False
    return not phrase_pattern(_blockers()).search(gap)


@cache
def _blockers() -> tuple[str, ...]:
    """Words that end a list of numbers sharing one change: cues of every kind and a few joiners."""
    return cues("inheritance_blockers", "target", "target_weak", "actual", "change.increase", "change.decrease")


def _baseline(analysis: Analysis, q: Quantity, times: list[TimeExpression], following: list[Quantity]) -> str | None:
    """The period a change compares with: after "so với" in the number's clause."""
    text, s = analysis.text, q.sentence
    stop = P.BASELINE_STOP.search(text, q.surface_end, s.end)
    if stop and stop.group(0) == ")" and not text[q.surface_end:stop.start()].strip() \
            and P.SO_VOI_AFTER_SPACE.match(text, stop.end(), s.end):
        stop = P.BASELINE_STOP.search(text, stop.end(), s.end)   # "giảm sâu (giảm 22,55%) so với cùng kỳ"
    end = (stop.start() if stop else s.end) - q.surface_end
    window_end = q.surface_end + end
    cursor = q.surface_end
    for other in following:             # stop at the next number unless it is listed with this one
        if other.start >= window_end:
            break
        if not is_parallel(text[cursor:other.start]):
            window_end = other.start
            break
        cursor = other.surface_end
    so_voi = P.SO_VOI.search(text, q.surface_end, window_end)
    if so_voi:
        return _compared_with(text, so_voi.end(), window_end, times)
    # said before the figures it compares: "So với năm 2021, … tăng được 4 bậc", "(so với năm 2022, giảm 70
    # vụ, giảm 44 người …)", "tăng so với cùng kỳ, với mức tăng lần lượt là 10,9% và 8,4%" — when no other
    # number stands between (a year of the comparison aside)
    earlier = [m for m in P.SO_VOI.finditer(text, s.start, q.start)]
    if not earlier:
        return None
    back = earlier[-1]
    between = text[back.end():q.start]
    for t in times:
        if back.end() <= t.start and t.end <= q.start:
            between = between.replace(text[t.start:t.end], " ")
    opens = not text[s.start:back.start()].strip(" (-–")      # "So với năm 2015, …" frames the whole sentence
    if P.DIGIT.search(between) and not opens:
        return None
    return _compared_with(text, back.end(), q.start, times)


def _compared_with(text: str, a: int, b: int, times: list[TimeExpression]) -> str | None:
    """What the words after "so với" (from a to b) name: the same period, the present, the month or
    quarter before, or a period."""
    after = text[a:b].lstrip()
    if phrase_pattern(cues("same_period")).match(after):
        return "same_period"
    if phrase_pattern(cues("present")).match(after):
        return "present"
    if phrase_pattern(cues("previous_month")).match(after):
        return "previous_month"
    if phrase_pattern(cues("previous_quarter")).match(after):
        return "previous_quarter"
    for t in times:
        if a <= t.start < min(b, a + 40) and t.label:
            return "previous_year" if t.previous_year else t.label
    return None


# -- negation --------------------------------------------------------------------------------------

def _negated(analysis: Analysis, q: Quantity, following: Quantity | None) -> bool:
    text, s = analysis.text, q.sentence
    before = text[max(s.start, q.start - 30):q.start]
    if _negation_before().search(before):
        clause = text[max(s.start, q.start - 30):q.start]
        if not P.SENTENCE_STOP.search(clause):
            return True
    seg_end = next((m.start() for m in P.SEGMENT_BREAK.finditer(text, q.surface_end, s.end)), s.end)
    if following is not None and following.sentence is s:
        seg_end = min(seg_end, following.start)
    return bool(phrase_finder(cues("negation_after")).search(text, q.surface_end, seg_end))


# -- period ----------------------------------------------------------------------------------------

@dataclass
class _Periods:
    """The article's period expressions, indexed once so that each number's look-up is a bisection."""
    items: list[TimeExpression]
    starts: list[int]
    carried: dict[int, str]          # sentence index → the period its paragraph's opening (else the paragraph so far) states
    article: str | None

    def between(self, a: int, b: int) -> list[TimeExpression]:
        lo = bisect.bisect_left(self.starts, a)
        hi = bisect.bisect_left(self.starts, b)
        return [t for t in self.items[lo:hi] if t.end <= b]


def _index_periods(analysis: Analysis, times: list[TimeExpression]) -> _Periods:
    items = [t for t in times if t.role in ("period", "horizon") and t.label]
    starts = [t.start for t in items]
    # A paragraph's report keeps the period its opening stated: "6 tháng đầu năm có 500 doanh nghiệp …
    # CPI tháng 6 tăng 0,55% … Số lao động … là 15.360": the month dates its own sentence only.
    # Without one in its opening sentence, the last period stated so far in the paragraph carries.
    carried: dict[int, str] = {}
    opening: str | None = None
    last: str | None = None
    j = 0
    for k, sentence in enumerate(analysis.sentences):
        first = not k or analysis.sentences[k - 1].paragraph != sentence.paragraph
        if first:
            opening = last = None
        if opening or last:
            carried[k] = opening or last
        while j < len(items) and items[j].start < sentence.start:
            j += 1
        while j < len(items) and items[j].start < sentence.end:
            # a bracketed remark ("(cùng kỳ 2022 xuất siêu 41,3 triệu USD)") dates its own figures only
            if items[j].role == "period" and not _in_brackets(analysis.text, sentence.start, items[j].start) \
                    and _may_carry(analysis.text, sentence, items[j]):
                if first and opening is None:
                    opening = items[j].label
                last = items[j].label
            j += 1
    return _Periods(items, starts, carried, _article_period(analysis, [t for t in items if t.role == "period"]))


def _part_of_a_year(text: str, t: TimeExpression) -> bool:
    """A half, quarter, nine months, month or school year: periods that date a report wherever they
    stand, unlike a bare year or a span ("giai đoạn 2021-2025", often a programme's name)."""
    return bool(P.SUB_YEAR_LABEL.fullmatch(t.label or "")) or text[t.start:t.start + 8].lower().startswith("năm học")


def _may_carry(text: str, sentence: Sentence, t: TimeExpression) -> bool:
    """Whether a period may date the sentences after it in its paragraph: a half, quarter, nine months
    or month wherever it stands; a year or a span only where it frames a report — opening its sentence
    ("Năm 2023, toàn tỉnh …") or after a report word — not a year said in passing ("được xếp hạng
    di tích quốc gia năm 1994")."""
    label = t.label or ""
    if _part_of_a_year(text, t):
        return True
    if P.YEAR_OPENER.fullmatch(text, sentence.start, t.start):
        return True
    # a span after a report word is mostly a term's name ("báo cáo kết quả … Nghị quyết … nhiệm kỳ 2015-2020")
    return label.isdigit() and bool(phrase_finder(cues("report_intro")).search(text, sentence.start, t.start))


def _in_brackets(text: str, a: int, pos: int) -> bool:
    """Whether ``pos`` is inside a bracket opened after ``a`` and not yet closed."""
    return text.count("(", a, pos) > text.count(")", a, pos)


def _ranking_year(text: str, s, period: str) -> str:
    """A ranking compared with a year is the next year's: a position that its report would give a half or
    a quarter takes the year after the one it is compared with ("xếp hạng 25/63, tăng 1 hạng so với năm
    2021" in a mid-2023 report: the 2022 ranking)."""
    own = P.SUB_YEAR_LABEL.fullmatch(period)
    compared = P.COMPARED_YEAR.search(text, s.start, s.end) if own else None
    return str(int(compared.group(1)) + 1) if compared else period


def _bracketed_plan(text: str, q: Quantity) -> bool:
    """The plan's own value in brackets after the plan: "đạt 51,8% so với nghị quyết đề ra (23.600 tỷ đồng)"."""
    m = _target_noun_before().search(text, max(q.sentence.start, q.start - 30), q.start)
    return bool(m and "(" in m.group(0))


def _days_named(text: str, s: Sentence, year: int | None, written: dt.date | None) -> list[str]:
    """The days a sentence names as such ("chiều ngày 7/2", "hôm 12-5"), resolved against the article's year."""
    out = []
    for m in PP.DAY_MENTION.finditer(text, s.start, s.end):
        date = PP.DATE.search(text, m.start(), min(s.end, m.end() + 5))      # with its year, when written
        if not date:
            continue
        d, month = int(date.group("d")), int(date.group("m"))
        day = resolve_date(d, month, int(date.group("y"))) if date.group("y") else resolve_day(d, month, year, written)
        if day:
            out.append(day)
    return out


def _outside(as_of: str, period: str, before_only: bool = False) -> bool:
    """The day (or month) a figure stands at lies outside the period it was given by its report
    (``before_only``: before that period starts)."""
    first, last = period_bounds(period)
    try:
        day = dt.date.fromisoformat(as_of if len(as_of) == 10 else f"{as_of[:7]}-01")
    except ValueError:
        return False
    if first is None or last is None:
        return False
    return day < first if before_only else not first <= day <= last


def _period(analysis: Analysis, q: Quantity, periods: _Periods, role: str) -> str | None:
    """The period a number is about: in its clause (the nearest), else earlier in its sentence, else
    stated earlier in its paragraph; a target's deadline may follow it ("hoàn thành 100% … trong
    tháng 5"); else the reporting period of the headline or lead."""
    text, s = analysis.text, q.sentence
    clause_start = max((m.end() for m in P.CLAUSE_BREAK.finditer(text, s.start, q.start)), default=s.start)
    nxt = P.CLAUSE_BREAK.search(text, q.surface_end, s.end)
    clause_end = nxt.start() if nxt else s.end
    in_clause = periods.between(clause_start, clause_end)
    # after the figure, a time past "so với" dates what it is compared with: "hơn 5,9 triệu USD/dự án so
    # với mức 4,9 triệu USD/dự án trong 7 tháng năm 2023"
    in_clause = [t for t in in_clause if t.start < q.start or not P.SO_VOI.search(text, q.surface_end, t.start)]
    before_it = [t for t in in_clause if t.end <= q.start]
    if before_it:                     # a time is said before what it dates: "năm 2021 xếp thứ 3 còn năm 2022 …"
        t = before_it[-1]
        report = P.SUB_YEAR_LABEL.fullmatch(periods.carried.get(s.index) or periods.article or "")
        if report and t.label and t.label.isdigit() and phrase_pattern(cues("same_period")).search(text, max(s.start, t.start - 12), t.start):
            return f"{t.label}-{report.group(2)}"     # "(cùng kỳ 2022 … 41,3 triệu USD)" in a Q1 report: 2022-Q1
        return t.label
    if in_clause:
        return min(in_clause, key=lambda t: abs(t.start - q.surface_end)).label
    before = periods.between(s.start, q.start)
    if before:
        return before[-1].label
    if s.index and phrase_pattern(cues("list_continuation_openers"), False).match(text, s.start):
        # "6 tháng đầu năm, Thái Nguyên … 5,34 tỷ USD. Tiếp đến là các tỉnh Bình Dương (4,27 tỷ USD), …"
        previous = analysis.sentences[s.index - 1]
        stated = periods.between(previous.start, previous.end)
        if stated:
            return stated[-1].label
    if s.index in periods.carried:
        return periods.carried[s.index]
    if role == "target":
        after = periods.between(q.surface_end, s.end)
        if after:
            return after[0].label
    return periods.article


def _article_period(analysis: Analysis, periods: list[TimeExpression]) -> str | None:
    """The reporting period of the whole article (docs/GOLD.md, "The period follows the report"), stated in its
    headline or its lead: a half, quarter, nine months or month wherever it stands there; a bare year
    or a span only where it frames a report — opening its sentence ("Năm 2023, toàn tỉnh …") or after a report
    word ("tổng kết công tác … năm 2023", "công bố Chỉ số … năm 2022"), not a year said in passing."""
    if not analysis.paragraphs:
        return None
    lead_end = analysis.paragraphs[min(1, len(analysis.paragraphs) - 1)][1]
    for t in periods:
        if t.end > lead_end:
            break
        if _part_of_a_year(analysis.text, t) or _frames_a_report(analysis, t, periods):
            return t.label        # (a span, "Chương trình … giai đoạn 2021-2025", is framed like a year)
    return None


def _frames_a_report(analysis: Analysis, t: TimeExpression, periods: list[TimeExpression]) -> bool:
    text, s = analysis.text, analysis.sentence_at(t.start)
    if s.index and analysis.sentences[s.index - 1].paragraph == s.paragraph:
        return False                  # only the opening sentence of the headline or the lead frames the report
    if phrase_finder(cues("report_intro")).search(text, s.start, t.start):
        return True
    # "Năm 2023, toàn tỉnh …" frames what follows; "Năm 2014, xã đạt 16/19 tiêu chí và năm 2015 cán
    # đích" tells a history (another year in the same sentence), and a bare "1977" is no opener
    return bool(P.YEAR_OPENER.fullmatch(text, s.start, t.start)) and text[t.start:t.end].lower().startswith("năm") \
        and all(o.label == t.label for o in periods if s.start <= o.start < s.end)


# -- as_of -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AsOf:
    start: int
    end: int
    value: str            # 2024-06-10, or 2024-09 for a month
    carries: bool = True  # may frame the figures of later sentences (see _as_of)


@cache
def _as_of_pattern() -> regex.Pattern:
    alt = alternation
    return P.as_of_pattern(alt(cues("as_of_intro")), alt(cues("as_of_modifiers")), alt(cues("dayparts")),
                           alt(cues("year_end")))


@cache
def _as_of_finder() -> PhraseFinder:
    """The as_of pattern tried only where one of the phrases it opens with starts (an intro, "tính đến",
    "lũy kế đến" …, or a year's end, "cuối năm" …)."""
    return PhraseFinder(cues("as_of_intro", "year_end"), True, _as_of_pattern())


def find_as_of(text: str, year: int | None, written: dt.date | None) -> list[AsOf]:
    """Every as_of expression of the article, in text order (one pass)."""
    out = []
    for m in _as_of_finder().finditer(text):
        if P.SPAN_START_BEFORE.search(text, max(0, m.start() - 30), m.start()):
            continue                  # "từ 22/11/2017 đến 22/8/2021": the end of a span, not a report's date
        value = _as_of_value(m, year, written)
        if value:
            # "đến hết năm 2025" is as often a target's horizon as a report's date: it stays in its sentence.
            out.append(AsOf(m.start(), m.end(), value, carries=not (m.group("ye") or m.group("ye2"))))
    return out


def _framing(analysis: Analysis, marks: list[AsOf], quantities: list[Quantity]) -> list[AsOf]:
    """The marks that open their sentence's report (no figure before them in the sentence) keep
    ``carries``; a date met after the figures of its sentence only dates what follows it there."""
    first: dict[int, int] = {}
    for q in quantities:
        first.setdefault(q.sentence.index, q.start)
    out = []
    for mark in marks:
        index = bisect.bisect_right(analysis.sentence_starts, mark.start) - 1
        opens = first.get(index, mark.start + 1) > mark.start
        out.append(mark if opens else AsOf(mark.start, mark.end, mark.value, carries=False))
    return out


def _as_of_value(m: regex.Match, year: int | None, written: dt.date | None) -> str | None:
    if m.group("mm"):
        y = int(m.group("my")) if m.group("my") else year
        return f"{y:04d}-{int(m.group('mm')):02d}" if y else None
    if m.group("ey") or m.group("ey2"):
        return f"{int(m.group('ey') or m.group('ey2')):04d}-12-31"
    day, month, y = (m.group("wd"), m.group("wm"), m.group("wy")) if m.group("wd") else (m.group("d"), m.group("m"), m.group("y"))
    if y:
        return resolve_date(int(day), int(month), int(y))
    return resolve_day(int(day), int(month), year, written)


def _as_of(analysis: Analysis, q: Quantity, marks: list[AsOf], starts: list[int], carrying: list[int],
           times: list[TimeExpression]) -> str | None:
    """The date a figure is reported as of (docs/GOLD.md): an as_of expression before it in its sentence,
    or after it in its clause ("đạt 75,1% tính đến ngày 10/6"); else the latest date that opened an
    earlier sentence of its paragraph, which carries to the figures that continue or break down that
    report, unless the figure's own sentence states another time before it; a paragraph opened by a
    continuation ("Trong đó, …", "Cụ thể: …") continues the paragraph before it."""
    text, s = analysis.text, q.sentence
    i = bisect.bisect_left(starts, q.start)
    if i > 0 and marks[i - 1].start >= s.start:
        return marks[i - 1].value                         # before it in its sentence
    if i < len(marks) and marks[i].start < s.end and not P.CLAUSE_BREAK.search(text, q.surface_end, marks[i].start):
        return marks[i].value                             # after it, within its clause
    if any(s.start <= t.start < q.start and t.role == "period" for t in times) or PP.DAY_MENTION.search(text, s.start, q.start):
        return None                                       # its own sentence states its time
    paragraph = s.paragraph
    j = carrying[i - 1] if i > 0 else -1
    while True:
        paragraph_start = analysis.paragraphs[paragraph][0]
        if j >= 0 and marks[j].start >= paragraph_start:
            framed = bisect.bisect_right(analysis.sentence_starts, marks[j].start) - 1
            if s.index - framed > thresholds.AS_OF_CARRY_SENTENCES or _dated_between(analysis, framed, s.index):
                return None                               # too far, or another time was stated since
            return marks[j].value
        if paragraph == 0 or not _continues(analysis, paragraph_start):
            return None
        paragraph -= 1


def _last_carrying(marks: list[AsOf]) -> list[int]:
    """For each mark, the index of the last mark at or before it that may carry (-1: none)."""
    out, last = [], -1
    for k, mark in enumerate(marks):
        if mark.carries:
            last = k
        out.append(last)
    return out


def _dated_between(analysis: Analysis, first: int, last: int) -> bool:
    """Whether a sentence after ``first`` and before ``last`` opens with a date of its own ("Ngày 12/01, …")."""
    return any(PP.DAY_MENTION.search(analysis.sentences[k].text[:40]) for k in range(first + 1, last))


def _continues(analysis: Analysis, paragraph_start: int) -> bool:
    """A paragraph that opens by continuing the report before it ("Trong đó, …", "Cụ thể: …")."""
    return bool(phrase_pattern(cues("continuation_openers"), False).match(analysis.text, paragraph_start))
