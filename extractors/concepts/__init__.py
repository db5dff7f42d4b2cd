"""Indicators: the phrase a number measures and its key in the concept vocabulary."""
from extractors.concepts.extract import Indicator, classify

__all__ = ["Indicator", "classify"]
