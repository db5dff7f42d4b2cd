"""Numbers as the pages show them: the Vietnamese way for reading, plain for form fields."""
from __future__ import annotations

import math

from extractors.quantities import render_vietnamese


def display_number(value) -> str:
    """A number the Vietnamese way for reading: 1.456.363, 86,7."""
    if value is None:
        return ""
    v = float(value)
    if not math.isfinite(v):
        return str(v)                      # a bad stored value is shown as it is, never a broken page
    if v.is_integer():
        return render_vietnamese(int(v))
    decimals = min(4, len(repr(v).split(".")[1]))
    return render_vietnamese(v, decimals=decimals)


def plain_number(value) -> str:
    """A number for a form field: 1456363, 86.7."""
    if value is None:
        return ""
    v = float(value)
    if not math.isfinite(v):
        return str(v)
    return str(int(v)) if v.is_integer() else repr(v)
