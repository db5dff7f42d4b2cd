"""The Vietnamese number grammar."""
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.quantities import parse_number, render_vietnamese


@pytest.mark.parametrize("surface, value", [
    ("1.456.363", Decimal("1456363")),
    ("86,7", Decimal("86.7")),
    ("774.45", Decimal("774.45")),        # a dot before two digits is a decimal point
    ("1.037", Decimal("1037")),           # before three digits, a thousands separator
    ("05", Decimal("5")),
    ("1.234.567,89", Decimal("1234567.89")),
    ("1,000,000", Decimal("1000000")),
    ("99,87", Decimal("99.87")),
    ("0", Decimal("0")),
])
def test_parses_vietnamese_numbers(surface, value):
    assert parse_number(surface) == value


@pytest.mark.parametrize("surface", ["1,2,3,4", "1.2.3", "", "abc", "1..2", "%%%"])
def test_rejects_what_is_not_one_number(surface):
    assert parse_number(surface) is None


@given(st.integers(min_value=0, max_value=10**15))
def test_any_integer_written_the_vietnamese_way_parses_back(n):
    assert parse_number(render_vietnamese(n)) == n


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_any_decimal_written_the_vietnamese_way_parses_back(d):
    written = render_vietnamese(d, decimals=2)
    assert "," in written
    assert parse_number(written) == d.quantize(Decimal("0.01"))


def test_render_uses_dot_thousands_and_comma_decimals():
    assert render_vietnamese(1456363) == "1.456.363"
    assert render_vietnamese(Decimal("86.7"), decimals=1) == "86,7"
