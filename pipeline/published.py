"""The day an article was published, taken only from what states a publication date.

In order: the sidecar's ``published``, the page's own date metadata (``article:published_time``,
JSON-LD ``datePublished``, ``<time>``… read by htmldate in :mod:`pipeline.html`), a date in the
article's web address, a dateline timestamp at the start of the text ("13:47 21/07/2023") or a line near the top that is
nothing but a publication stamp ("Thứ Năm, 18/04/2024 - 10:30", "Cập nhật: 10:30 18/4/2024"). A period
phrase in the text ("9 tháng năm 2024, …", "Đến hết tháng 8/2024") states what a figure covers, not
when the article appeared, so it is never read here: without one of these sources the date is null.
"""
from __future__ import annotations

import datetime as dt

from extractors.periods.patterns import STAMP_LINE, TIMESTAMP_START, URL_DATE

SOURCES = ("sidecar", "metadata", "url", "dateline")


def published_day(sidecar: str | None, metadata: str | None, url: str | None, text: str) -> tuple[dt.date | None, str | None]:
    """(the publication day, the source that stated it) — or (None, None)."""
    for source, value in (("sidecar", sidecar), ("metadata", metadata)):
        day = _iso_day(value)
        if day is not None:
            return day, source
    for m in URL_DATE.finditer(url or ""):
        day = _day(m.group("y"), m.group("m"), m.group("d"))
        if day is not None:
            return day, "url"
    m = TIMESTAMP_START.match(text[:80])
    if m and m.group("y"):            # a full day; a month-only marker ("date 2023-05") names no day
        day = _day(m.group("y"), m.group("m"), m.group("d"))
        if day is not None:
            return day, "dateline"
    for line in [line for line in text[:STAMP_REACH].splitlines() if line.strip()][:STAMP_LINES]:
        m = STAMP_LINE.fullmatch(line)
        if m:
            day = _day(m.group("y"), m.group("m"), m.group("d"))
            if day is not None:
                return day, "dateline"
    return None, None


STAMP_LINES = 4          # a page's stamp stands under its headline or sapo, never deep in the body
STAMP_REACH = 600


def _iso_day(value) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def _day(year: str, month: str, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
