"""What a reviewer may type: the edit and add forms' values checked and typed at the edge (finite
values in a range per kind, real periods and dates, lengths, no control characters), every bad field
reported at once. The store records what these return (store/reviews.py)."""
from __future__ import annotations

import datetime as dt
import math

import regex

import gazetteer
from extractors.periods import period_bounds
from store.reviews import ReviewError

KINDS = ("percent", "count", "quantity", "ratio", "money", "score", "rank")
QUALIFIERS = ("exact", "over", "under", "approx")
ROLES = ("actual", "change", "target")
DIRECTIONS = ("", "increase", "decrease")
PERIOD = regex.compile(r"\d{4}(?:-(?:H[12]|Q[1-4]|9M|0[1-9]|1[0-2]|\d{4}))?")
AS_OF = regex.compile(r"\d{4}-\d{2}(?:-\d{2})?")
CONTROL = regex.compile(r"[\x00-\x1f\x7f-\x9f]")
FORMS = {"period": "2023, 2024-H1, 2024-Q3, 2024-9M, 2024-07, 2023-2024", "as_of": "2024-06-10 or 2024-09"}
# What a reviewer may type for each kind (finite, and within what a report can mean).
VALUE_RANGES = {"percent": (-1000.0, 100000.0), "count": (0.0, 1e12), "ratio": (0.0, 1e6), "rank": (1.0, 100000.0),
                "score": (-1e6, 1e6), "money": (-1e16, 1e16), "quantity": (-1e15, 1e15), None: (-1e16, 1e16)}
ADD_FIELDS = ("kind", "value", "unit", "qualifier", "role", "direction", "baseline", "period", "as_of", "concept")
ADD_DEFAULTS = {"qualifier": "exact", "role": "actual", "concept": "other"}


def _real_label(name: str, value: str) -> bool:
    """A period or as_of that names real dates: year 1900–2100, a real month and day."""
    if name == "period":
        try:
            start, end = period_bounds(value)
        except ValueError:
            return False
        return start is not None and 1900 <= start.year <= 2100 and end.year <= 2100
    try:
        dt.date.fromisoformat(value + "-01" if len(value) == 7 else value)
    except ValueError:
        return False
    return 1900 <= int(value[:4]) <= 2100


def addition_values(form: dict) -> dict:
    """The typed fields of an add form (every field, defaults for the unset ones)."""
    fields = {k: form.get(k, ADD_DEFAULTS.get(k, "")) for k in ADD_FIELDS}
    fields["_has_negated"] = True
    fields["negated"] = form.get("negated", "")
    return validate_edits(fields)


def validate_edits(form: dict) -> dict:
    """Typed, checked field values from an edit form (only the fields present). Every bad field is
    reported at once: :class:`ReviewError` carries ``errors`` (field → message)."""
    out: dict = {}
    errors: dict[str, str] = {}

    def choice(name: str, allowed: tuple[str, ...]):
        if name in form:
            value = (form[name] or "").strip()
            if value not in allowed:
                errors[name] = f"{name} must be one of {', '.join(a for a in allowed if a) or '—'}"
            else:
                out[name] = value or None

    choice("kind", KINDS)
    choice("qualifier", QUALIFIERS)
    choice("role", ROLES)
    choice("direction", DIRECTIONS)
    if "concept" in form:
        concept = (form["concept"] or "").strip()
        if concept not in gazetteer.concepts():
            errors["concept"] = "concept must be a key of the vocabulary"
        else:
            out["concept"] = concept
    if "value" in form:
        raw = (form["value"] or "").strip().replace(" ", "")
        try:
            out["value"] = float(raw.replace(",", ".")) if raw.count(",") == 1 and "." not in raw else float(raw)
            if not math.isfinite(out["value"]):
                raise ValueError
        except ValueError:
            out.pop("value", None)
            errors["value"] = f"value must be a finite number, not {raw!r}"
        else:
            kind = out.get("kind") or form.get("_current_kind")
            low, high = VALUE_RANGES.get(kind, VALUE_RANGES[None])
            if not low <= out["value"] <= high:
                errors["value"] = f"a {kind or 'fact'} value must lie between {low:g} and {high:g}"
    for name, pattern in (("period", PERIOD), ("as_of", AS_OF), ("baseline", None)):
        if name in form:
            value = (form[name] or "").strip() or None
            if value and CONTROL.search(value):
                errors[name] = f"{name} must not hold control characters"
            elif value and pattern is not None and not (pattern.fullmatch(value) and _real_label(name, value)):
                errors[name] = f"{name} {value!r} is not a valid label (the gold format's forms, docs/GOLD.md: {FORMS[name]})"
            elif value and len(value) > 20:
                errors[name] = f"{name} has at most 20 characters"
            else:
                out[name] = value
    if "unit" in form:
        unit = (form["unit"] or "").strip()
        if CONTROL.search(unit):
            errors["unit"] = "unit must not hold control characters"
        elif len(unit) > 100:
            errors["unit"] = "unit has at most 100 characters"
        else:
            out["unit"] = unit or None
    if "negated" in form or form.get("_has_negated"):
        out["negated"] = str(form.get("negated", "")).lower() in ("1", "true", "on", "yes")
    if out.get("period"):
        out["period_start"], out["period_end"] = period_bounds(out["period"])
    elif "period" in out:
        out["period_start"] = out["period_end"] = None
    if errors:
        raise ReviewError("; ".join(errors.values()), errors)
    return out


