"""Charts of an indicator, rendered server-side with matplotlib (no scripts) to PNG or SVG: the
latest value in each province (bars), or the indicator over time with one line per province on a
date axis; and the table of the latest value per province. Every chart names its unit and carries a
source note. They read the ``observations`` view: one point per province, indicator and period, its
chosen value (a figure reported by several articles is one point)."""
from __future__ import annotations

import calendar
import collections
import csv
import datetime as dt
import io

from sqlalchemy import text

import gazetteer
from pipeline.errors import ConfigError
from store import db
from store.query import KINDS, province_condition

BY = ("province", "period")
FORMATS = ("svg", "png")


def _rows(url: str, concept: str, province: str | None = None, kind: str = "percent") -> list[dict]:
    if concept not in gazetteer.concepts():
        raise ConfigError(f"unknown concept {concept!r}")
    if kind not in KINDS:
        raise ConfigError(f"kind must be one of {', '.join(KINDS)}")
    params: dict = {"concept": concept, "kind": kind}
    # Rates only: a percentage of a plan or a target ("đạt 71,2% kế hoạch") is another series.
    where = ["concept = :concept", "kind = :kind", "role = 'actual'", "percent_of IS NULL"]
    if province:
        where.append(province_condition(province, "province_legacy_code", params))
    sql = f"SELECT * FROM observations WHERE {' AND '.join(where)} ORDER BY observation_id"
    with db.engine(url).connect() as conn:
        rows = [dict(r) for r in conn.execute(text(sql), params).mappings()]
        sources = [s for (s,) in conn.execute(text(
            "SELECT DISTINCT source FROM facts_current WHERE concept = :concept AND kind = :kind ORDER BY source"),
            {"concept": concept, "kind": kind})]
    # One chart, one unit: counts of different things (thẻ, hồ sơ) are not one series; the commonest unit wins.
    units = collections.Counter(r["unit"] for r in rows)
    if len(units) > 1:
        rows = [r for r in rows if r["unit"] == units.most_common(1)[0][0]]
    for r in rows:
        r["when"] = when(r)
        r["_sources"] = sources
    return rows


def when(row: dict) -> dt.date | None:
    """The day a value stands at: its as_of (a month's last day for YYYY-MM), else its period's end."""
    as_of = str(row.get("as_of") or "")
    try:
        if len(as_of) == 10:
            return dt.date.fromisoformat(as_of)
        if len(as_of) == 7:
            year, month = int(as_of[:4]), int(as_of[5:])
            return dt.date(year, month, calendar.monthrange(year, month)[1])
    except ValueError:
        pass
    end = row.get("period_end")
    if end:
        return end if isinstance(end, dt.date) else dt.date.fromisoformat(str(end)[:10])
    return None


def latest_by_province(url: str, concept: str, kind: str = "percent") -> list[dict]:
    """The latest actual value of the indicator in each province (current map), with when it stands
    and how many articles report it — the province table."""
    latest: dict[str, dict] = {}
    for r in _rows(url, concept, None, kind):
        place = r["province_current_name"]
        if not place:
            continue
        key = (r["when"] or dt.date.min, str(r["last_published"] or ""), r["observation_id"])
        if place not in latest or key >= latest[place]["_key"]:
            latest[place] = {**r, "_key": key}
    out = [{"province": p, "legacy_province": r["province_legacy_name"], "value": r["value"], "unit": r["unit"],
            "as_of": r["when"].isoformat() if r["when"] else None, "period": r["period"], "articles": r["articles"]}
           for p, r in latest.items()]
    return sorted(out, key=lambda x: -(x["value"] or 0))


def chart_data(url: str, concept: str, by: str = "province", province: str | None = None,
               kind: str = "percent") -> list[tuple[str, float]]:
    """(label, value) pairs: the latest actual value per province, or one province's values by date."""
    if by not in BY:
        raise ConfigError(f"by must be one of {', '.join(BY)}")
    if by == "province":
        return [(r["province"], r["value"]) for r in latest_by_province(url, concept, kind)
                if not province or r["province"] == province]
    return [(r["when"].isoformat(), r["value"]) for r in sorted(_rows(url, concept, province, kind),
                                                               key=lambda r: r["when"] or dt.date.min) if r["when"]]


def time_series(url: str, concept: str, province: str | None = None, kind: str = "percent") -> dict[str, list[tuple[dt.date, float]]]:
    """Per province (current map), the dated values of the indicator, oldest first."""
    series: dict[str, list[tuple[dt.date, float]]] = {}
    for r in _rows(url, concept, province, kind):
        if r["when"] and r["province_current_name"] and r["value"] is not None:
            series.setdefault(r["province_current_name"], []).append((r["when"], r["value"]))
    return {p: sorted(points) for p, points in sorted(series.items())}


def source_note(rows: list[dict]) -> str:
    articles = sum(r["articles"] for r in rows)
    sources = rows[0]["_sources"] if rows else []
    return (f"Source: vnfacts, {len(rows)} values reported by {articles} news articles"
            + (f" ({', '.join(sources[:4])}{', …' if len(sources) > 4 else ''})" if sources else "")
            + "; figures as the articles state them, not official statistics.")


def _figure(height: float):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt, *plt.subplots(figsize=(8, height))


def _finish(plt, fig, ax, title: str, note: str, fmt: str) -> bytes:
    ax.set_title(title, fontsize=11, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    fig.text(0.01, 0.01, note, fontsize=7, color="#555555", ha="left", va="bottom", wrap=True)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
    plt.close(fig)
    return buffer.getvalue()


def render(data: list[tuple[str, float]], title: str, fmt: str = "svg", unit: str = "%", note: str = "") -> bytes:
    """Horizontal bars, one per label, the value and unit at each bar's end."""
    if fmt not in FORMATS:
        raise ConfigError("chart format must be svg or png")
    plt, fig, ax = _figure(max(2.8, 0.45 * len(data) + 1.6))
    if data:
        labels, values = zip(*data)
        bars = ax.barh(list(labels)[::-1], list(values)[::-1], color="#2f6db3")
        ax.bar_label(bars, labels=[f"{v:g}{unit if unit == '%' else ' ' + unit}" for v in list(values)[::-1]],
                     padding=3, fontsize=9)
        ax.set_xlim(0, max(values) * 1.15 or 1)
    else:
        ax.text(0.5, 0.5, "no facts for this indicator yet", ha="center", va="center", transform=ax.transAxes)
        ax.set_yticks([])
    ax.set_xlabel(f"value ({unit})")
    return _finish(plt, fig, ax, title, note, fmt)


def render_lines(series: dict[str, list[tuple[dt.date, float]]], title: str, fmt: str = "svg", unit: str = "%",
                 note: str = "") -> bytes:
    """One line per province over a date axis."""
    import matplotlib.dates as mdates

    if fmt not in FORMATS:
        raise ConfigError("chart format must be svg or png")
    plt, fig, ax = _figure(4.5)
    for place, points in series.items():
        ax.plot([d for d, _ in points], [v for _, v in points], marker="o", label=place)
    if series:
        dates = [d for points in series.values() for d, _ in points]
        step, label = date_ticks(min(dates), max(dates))
        every = max(1, {"year": 1, "month": _months(min(dates), max(dates)) // 8,
                        "day": (max(dates) - min(dates)).days // 8}[step])
        ax.xaxis.set_major_locator({"year": mdates.YearLocator(every), "month": mdates.MonthLocator(interval=every),
                                    "day": mdates.DayLocator(interval=every)}[step])
        ax.xaxis.set_major_formatter(mdates.DateFormatter(label))
        ax.legend(fontsize=8, loc="best")
    else:
        ax.text(0.5, 0.5, "no dated facts for this indicator yet", ha="center", va="center", transform=ax.transAxes)
    ax.set_ylabel(f"value ({unit})")
    ax.set_xlabel("date the value stands at (as of, else end of its period)")
    return _finish(plt, fig, ax, title, note, fmt)


def date_ticks(first: dt.date, last: dt.date) -> tuple[str, str]:
    """The step and the one label format of a date axis: years over two years or more, months over
    two months or more, days below — in ISO order (2024, 2024-06, 2024-06-10), never a mix of
    formats along one axis (matplotlib's concise labels mixed ``2024`` with ``Feb``)."""
    days = (last - first).days
    if days >= 730:
        return "year", "%Y"
    if days >= 60:
        return "month", "%Y-%m"
    return "day", "%Y-%m-%d"


def _months(first: dt.date, last: dt.date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month


def chart(url: str, concept: str, fmt: str = "svg", by: str = "province", province: str | None = None,
          kind: str = "percent") -> bytes:
    if by not in BY:
        raise ConfigError(f"by must be one of {', '.join(BY)}")
    label = gazetteer.concepts()[concept].label if concept in gazetteer.concepts() else concept
    rows = _rows(url, concept, province, kind)
    unit = next((r["unit"] for r in rows if r["unit"]), "%" if kind == "percent" else kind)
    where = f" — {province}" if province else ""
    note = source_note(rows)
    if by == "province":
        return render(chart_data(url, concept, "province", province, kind),
                      f"{label} ({concept}){where}: latest value by province", fmt, unit, note)
    return render_lines(time_series(url, concept, province, kind), f"{label} ({concept}){where}: over time",
                        fmt, unit, note)


def table_csv(url: str, concept: str, kind: str = "percent") -> str:
    """The province table as CSV: province, legacy province, value, unit, as_of, period, articles."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, ["province", "legacy_province", "value", "unit", "as_of", "period", "articles"])
    writer.writeheader()
    writer.writerows(latest_by_province(url, concept, kind))
    return buffer.getvalue()
