"""Quantities: every percent, count, measured quantity, ratio, money amount and score in a text."""
from extractors.quantities.extract import Quantity, find_quantities
from extractors.quantities.numbers import parse_number, render_vietnamese

__all__ = ["Quantity", "find_quantities", "parse_number", "render_vietnamese"]
