"""Charts of an indicator from ``facts_current``: across provinces, or over time in one province.
Rendered server-side with matplotlib (no scripts), to PNG or SVG."""
from __future__ import annotations

import io

from sqlalchemy import text

import gazetteer
from pipeline.errors import ConfigError
from pipeline.store import db
from pipeline.store.query import province_condition

BY = ("province", "period")


def chart_data(url: str, concept: str, by: str = "province", province: str | None = None,
               kind: str = "percent") -> list[tuple[str, float]]:
    """(label, value) pairs: the latest actual value per province, or the values of one province by period."""
    if concept not in gazetteer.concepts():
        raise ConfigError(f"unknown concept {concept!r}")
    if by not in BY:
        raise ConfigError(f"by must be one of {', '.join(BY)}")
    params: dict = {"concept": concept, "kind": kind}
    where = ["concept = :concept", "kind = :kind", "role = 'actual'", "negated = :no"]
    params["no"] = False
    if province:
        where.append(province_condition(province, "province_legacy_code", params))
    sql = ("SELECT province_current_name AS place, period, period_end, as_of, published, value FROM facts_current "
           f"WHERE {' AND '.join(where)} ORDER BY fact_id")
    with db.engine(url).connect() as conn:
        rows = conn.execute(text(sql), params).mappings().all()
    if by == "province":
        latest: dict[str, tuple[str, float]] = {}
        for r in rows:
            if not r["place"]:
                continue
            when = str(r["as_of"] or r["period_end"] or r["published"] or "")
            if r["place"] not in latest or when >= latest[r["place"]][0]:
                latest[r["place"]] = (when, r["value"])
        return sorted(((place, v) for place, (_, v) in latest.items()), key=lambda x: -x[1])
    series: dict[str, float] = {}
    for r in rows:
        label = r["period"] or (str(r["as_of"]) if r["as_of"] else None)
        if label:
            series[label] = r["value"]
    return sorted(series.items())


def render(data: list[tuple[str, float]], title: str, fmt: str = "svg", unit: str = "%") -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if fmt not in ("svg", "png"):
        raise ConfigError("chart format must be svg or png")
    fig, ax = plt.subplots(figsize=(8, max(2.5, 0.45 * len(data) + 1.2)))
    if data:
        labels, values = zip(*data)
        bars = ax.barh(list(labels)[::-1], list(values)[::-1], color="#2f6db3")
        ax.bar_label(bars, labels=[f"{v:g}{unit}" for v in list(values)[::-1]], padding=3, fontsize=9)
        ax.set_xlim(0, max(values) * 1.15 or 1)
    else:
        ax.text(0.5, 0.5, "no facts for this indicator yet", ha="center", va="center", transform=ax.transAxes)
        ax.set_yticks([])
    ax.set_title(title, fontsize=11, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
    plt.close(fig)
    return buffer.getvalue()


def chart(url: str, concept: str, fmt: str = "svg", by: str = "province", province: str | None = None) -> bytes:
    label = gazetteer.concepts()[concept].label if concept in gazetteer.concepts() else concept
    where = f" — {province}" if province else ""
    title = f"{label} ({concept}){where}: latest value by province" if by == "province" else \
        f"{label} ({concept}){where}: by period"
    return render(chart_data(url, concept, by, province), title, fmt)
