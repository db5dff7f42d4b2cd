"""Find time expressions and resolve them to ISO labels with start and end dates."""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from functools import cache, lru_cache

import regex

from extractors.lexicon import cues as cue_list
from extractors.lexicon import alternation, match_at_end, phrase_pattern, text_index
from extractors.periods import patterns as P
from settings import thresholds

ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}


@dataclass
class TimeExpression:
    start: int
    end: int
    label: str | None          # 2023, 2024-H1, 2024-Q3, 2024-9M, 2017-01, 2023-2024
    role: str                  # period | baseline | name | since | horizon
    explicit_year: bool        # the year is written, not taken from the article
    previous_year: bool = False  # "năm trước", "năm ngoái": the year before the fact's own period


def find_time_expressions(text: str, year: int | None, a: int = 0, b: int | None = None) -> list[TimeExpression]:
    """Time expressions between offsets a and b, labelled with their role in the sentence."""
    out = []
    for m, role in _with_roles(text, a, len(text) if b is None else b):
        label, explicit = _label(m, year)
        out.append(TimeExpression(m.start(), m.end(), label, role, explicit, bool(m.group("last_year"))))
    return out


@lru_cache(maxsize=4)
def _with_roles(text: str, a: int, b: int) -> tuple[tuple[regex.Match, str], ...]:
    """The time expressions of the text and their roles, which do not depend on the article's year:
    found once per article although the year is looked for first (``document_year``)."""
    out = []
    for m in _period_matches(text, a, b):
        before = text[max(0, m.start() - 40):m.start()]
        if m.group("year") and m.group("year")[:1].isdigit() and match_at_end(cue_list("@qualifiers", "amount_intro"), before):
            continue                  # "có khoảng 2000 em học sinh", "Công ty có 2016 lao động": a number, not a year
        role = "period"
        if match_at_end(cue_list("baseline_intro"), before) or _compared_after_words().search(before):
            role = "baseline"     # "so với cùng kỳ năm 2023", "so với vụ thu đông năm 2023"
        elif _in_name(text, m.start(), before):
            role = "name"
        elif match_at_end(cue_list("since_intro"), before) and not m.group("span"):
            role = "since"
        elif match_at_end(cue_list("vision_intro"), before):
            role = "name"
        elif m.group("span") and P.BRACKETED_SPAN.search(before) and not m.group(0).lower().startswith(("giai", "nhiệm")):
            role = "name"             # "(1986 - 2026)" after an anniversary: a name, not a period
        elif m.group("span") and phrase_pattern(cue_list("vision_intro")).match(text, _skip_comma(text, m.end())):
            role = "name"             # "giai đoạn 2022 - 2025, tầm nhìn đến năm 2030": a programme's name
        elif phrase_pattern(cue_list("target")).search(before[-25:]) or match_at_end(cue_list("horizon_intro"), before):
            role = "horizon"          # a target's year: "vượt chỉ tiêu năm 2024", "đến năm 2020 giảm …"
        out.append((m, role))
    return tuple(out)


def _period_matches(text: str, a: int, b: int) -> list[regex.Match]:
    """``P.PERIOD.finditer(text, a, b)``, the pattern tried only where one of ``P.PERIOD_STARTS`` stands
    (found by ``str.find`` in the lower-cased text; a text with letters that fold otherwise is scanned)."""
    if not text_index(text).plain:
        return list(P.PERIOD.finditer(text, a, b))
    lowered = text.lower()
    starts = set()
    for start in P.PERIOD_STARTS:
        i = lowered.find(start, a, b)
        while i >= 0:
            starts.add(i)
            i = lowered.find(start, i + 1, b)
    out, after = [], a
    for i in sorted(starts):
        if i >= after:
            m = P.PERIOD.match(text, i, b)
            if m:
                out.append(m)
                after = m.end()
    return out


def _skip_comma(text: str, i: int) -> int:
    while i < len(text) and text[i] in " ,":
        i += 1
    return i


def _in_name(text: str, start: int, before: str) -> bool:
    # "Luật Căn cước năm 2023": a capitalised name word within the few words before the year
    window = P.LAST_WORDS.search(before).group(1)
    if phrase_pattern(cue_list("name_before_year"), False).search(window):
        return True
    # Inside quotes opened a few words before, in its sentence: "… giai đoạn 2022 - 2025, tầm nhìn đến
    # năm 2030" (a programme's name), "Mẫu concept car đẹp nhất 2016" (an award's) — not a year in a
    # quoted speech ("“Tôi đặt vấn đề phải trước năm 2025 …”") or after a stray quote earlier in the line.
    line_start = text.rfind("\n", 0, start) + 1
    curly = text.count("“", line_start, start) > text.count("”", line_start, start)
    straight = text.count('"', line_start, start) % 2 == 1
    if not (curly or straight):
        return False
    opened = text.rfind("“" if curly else '"', line_start, start)
    quoted = text[opened + 1:start]
    # a name is quoted after the noun it names ("giải thưởng "Mẫu …"", "Chương trình “…"); speech after a
    # colon or at the start of a sentence
    named = text[line_start:opened].rstrip()[-1:]
    return len(quoted) <= thresholds.QUOTED_NAME_CHARS and not P.SENTENCE_BREAK.search(quoted) \
        and quoted[:1].isupper() and named.isalnum()


def _label(m: regex.Match, year: int | None) -> tuple[str | None, bool]:
    def y(group: str) -> tuple[int | None, bool]:
        return (int(m.group(group)), True) if m.group(group) else (year, False)

    if m.group("h1"):
        yy, ex = y("h1y")
        return (f"{yy}-H1" if yy else None), ex
    if m.group("h2"):
        yy, ex = y("h2y")
        return (f"{yy}-H2" if yy else None), ex
    if m.group("q1m"):
        yy, ex = y("q1y")
        return (f"{yy}-Q1" if yy else None), ex
    if m.group("nm"):
        return P.NO_FORM, True
    if m.group("m9"):
        yy, ex = y("m9y")
        return (f"{yy}-9M" if yy else None), ex
    if m.group("quarter"):
        yy, ex = y("qy")
        return (f"{yy}-Q{ROMAN[m.group('q').upper()]}" if yy else None), ex
    if m.group("school"):
        return f"{m.group('sy1')}-{m.group('sy2')}", True
    if m.group("span"):
        return f"{m.group('s1')}-{m.group('s2')}", True
    if m.group("month"):
        yy, ex = y("my")
        return (f"{yy}-{int(m.group('mm')):02d}" if yy else None), ex
    if m.group("this_year"):
        return (str(year) if year else None), False
    if m.group("last_year"):
        return (str(year - 1) if year else None), False
    return m.group("yy"), True


def _dated(t: TimeExpression) -> bool:
    """The expression names a year (not "7 tháng đầu năm" without one, nor a label-less one)."""
    return bool(t.label) and t.label[:4].isdigit()


def period_bounds(label: str | None) -> tuple[dt.date | None, dt.date | None]:
    """First and last day of a period label."""
    if not label:
        return None, None
    m = P.LABEL.fullmatch(label)
    if not m:
        return None, None
    y, part = int(m.group(1)), m.group(2)
    if part is None:
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    if part == "H1":
        return dt.date(y, 1, 1), dt.date(y, 6, 30)
    if part == "H2":
        return dt.date(y, 7, 1), dt.date(y, 12, 31)
    if part == "9M":
        return dt.date(y, 1, 1), dt.date(y, 9, 30)
    if part.startswith("Q"):
        q = int(part[1])
        last = 3 * q
        return dt.date(y, last - 2, 1), dt.date(y, last, calendar.monthrange(y, last)[1])
    if len(part) == 4:
        return dt.date(y, 1, 1), dt.date(int(part), 12, 31)
    month = int(part)
    return dt.date(y, month, 1), dt.date(y, month, calendar.monthrange(y, month)[1])


def resolve_date(day: int, month: int, year: int | None) -> str | None:
    if year is None:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def article_date(text: str, published: str | None, url: str | None = None) -> dt.date | None:
    """The day (or, for a "date 2023-05" marker or a "/202304/" folder, the first of the month) the
    article was written: its stated publication date, else a date in its web address, else a
    timestamp at its start."""
    if published:
        try:
            return dt.date.fromisoformat(published[:10])
        except ValueError:
            pass
    for m in P.URL_DATE.finditer(url or ""):
        try:
            return dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        except ValueError:
            continue
    month = P.URL_MONTH.search(url or "")
    if month:
        return dt.date(int(month.group("y")), int(month.group("m")), 1)
    m = P.TIMESTAMP_START.match(text[:80])
    if m:
        try:
            if m.group("y"):
                return dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
            return dt.date(int(m.group("iy")), int(m.group("im")), int(m.group("id") or 1))
        except ValueError:
            return None
    return None


@cache
def _compared_after_words() -> regex.Pattern:
    return P.compared_after_words(alternation(cue_list("compared_phrase_enders")))


def _in_brackets_after_a_figure(text: str, at: int) -> bool:
    """The year stands in a bracket opened right after a figure ("tăng 12,89% (mức tăng 9 tháng năm 2023 …")."""
    opened = text.rfind("(", max(0, at - 60), at)
    return opened >= 0 and ")" not in text[opened:at] and bool(P.FIGURE_BEFORE_BRACKET.search(text, max(0, opened - 20), opened))


def _in_plan(text: str, at: int) -> bool:
    """The year stands after a target or future cue of its own sentence: the year a plan or a
    forecast is for, which a report names ahead of its own ("mục tiêu 10 tỷ USD kim ngạch xuất
    khẩu tôm vào năm 2025", "con số này có thể tăng gần 4 lần trong 4 năm tới (tức đạt 2 tỷ USD vào năm 2021)")."""
    start = max((m.end() for m in P.SENTENCE_BREAK.finditer(text, max(0, at - 300), at)), default=max(0, at - 300))
    clause = text[start:at]
    plan = phrase_pattern(cue_list("target", "target_frame", "target_weak", "future")).search(clause)
    return bool(plan) and not phrase_pattern(cue_list("neutral")).search(clause)


def resolve_day(day: int, month: int, year: int | None, written: dt.date | None) -> str | None:
    """A day and month without a year: the article's year, or the year before when that day would
    fall after the article was written ("tính đến 31-12" in a January report)."""
    if year is None:
        return None
    resolved = resolve_date(day, month, year)
    if resolved and written and year == written.year and dt.date.fromisoformat(resolved) > written + dt.timedelta(days=31):
        return resolve_date(day, month, year - 1)
    return resolved


def document_year(text: str, published: str | None, title: str | None) -> int | None:
    """The year the article reports on: its publication year, else the year its text relies on.

    Without a publication date, the latest year written in the text as a reporting period or a date
    (not a baseline after "so với", not a horizon "đến năm 2025", not a name "Luật … năm 2023", not
    the year of a plan or forecast of its sentence); failing any, the year after its latest baseline
    ("so với cùng kỳ năm 2023" is said in 2024); failing that, the first year a plan is made for.
    """
    if published:
        try:
            return dt.date.fromisoformat(published[:10]).year
        except ValueError:
            pass
    if title:
        years = [int(t.label[:4]) for t in find_time_expressions(title, None) if _dated(t) and t.role == "period"]
        if years:
            return max(years)
    years, compared, planned, bracketed = [], [], [], []
    for t in find_time_expressions(text, None):
        if _dated(t) and t.role == "baseline":
            compared.append(int(t.label[:4]) + 1)
            continue
        if not _dated(t) or t.role not in ("period", "since"):
            continue
        before = text[max(0, t.start - 12):t.start]
        if match_at_end(cue_list("horizon_intro"), before):
            continue
        if _in_brackets_after_a_figure(text, t.start):
            bracketed.append(int(t.label[:4]))
            continue
        (planned if _in_plan(text, t.start) else years).append(int(t.label[:4]))
    if P.YEAR_AFTER_SEPARATOR.search(text):           # else no date of the text has a year
        for m in P.DATE.finditer(text):
            if m.group("y"):
                years.append(int(m.group("y")))
    if bracketed and not years and P.THIS_YEAR.search(text):
        # "… trong 9 tháng năm nay … tăng 12,89% (mức tăng 9 tháng năm 2023 chỉ là 5,64%)": a report that
        # calls its own year "năm nay" and writes a year only in a bracket after a figure compares with it
        return max(bracketed) + 1
    years += bracketed
    if not years and compared:
        # "6 tháng đầu năm, GRDP tăng 3,02% so với cùng kỳ năm 2023": a report that writes no year of
        # its own compares with the year before it
        return max(compared)
    if not years and planned:
        # a report that names only the years of plans and forecasts is written in the first of them
        # ("dự báo kết quả kinh doanh khả quan trong năm 2017")
        return min(planned)
    return max(years) if years else None
