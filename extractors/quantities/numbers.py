"""The Vietnamese number grammar: "1.456.363" = 1456363, "86,7" = 86.7, "774.45" = 774.45."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from extractors.quantities.patterns import DIGIT_GROUPS


def parse_number(surface: str) -> Decimal | None:
    """Value of a number written with Vietnamese (or English) separators, None if it is not one number.

    Vietnamese writes thousands with "." and decimals with ","; a dot followed by groups of exactly
    three digits is a thousands separator, any other dot a decimal point ("774.45"). Commas are
    decimal unless there are several three-digit groups ("1,000,000"). A list like "1,2,3" is not a number.
    """
    s = surface.strip()
    if not DIGIT_GROUPS.fullmatch(s):
        return None
    dots, commas = s.count("."), s.count(",")
    try:
        if dots and commas:
            if s.rfind(",") > s.rfind("."):               # 1.234.567,89
                return Decimal(s.replace(".", "").replace(",", "."))
            return Decimal(s.replace(",", ""))            # 1,234,567.89
        if dots:
            groups = s.split(".")
            if all(len(g) == 3 for g in groups[1:]):
                return Decimal("".join(groups))
            return Decimal(s) if dots == 1 else None
        if commas:
            groups = s.split(",")
            if commas == 1:
                return Decimal(s.replace(",", "."))
            if all(len(g) == 3 for g in groups[1:]):
                return Decimal("".join(groups))
            return None
        return Decimal(s)
    except InvalidOperation:
        return None


def to_plain(value: Decimal) -> int | float:
    """An int when the value is whole (43, 22000000000), else a float (86.7)."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def render_vietnamese(value: Decimal | int | float, decimals: int = 0) -> str:
    """Write a number the Vietnamese way: thousands with ".", decimals with ","."""
    value = Decimal(str(value))
    sign = "-" if value < 0 else ""
    q = abs(value).quantize(Decimal(1).scaleb(-decimals)) if decimals else abs(value).to_integral_value()
    whole, _, frac = f"{q:f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + ".".join(groups) + ("," + frac if frac else "")
