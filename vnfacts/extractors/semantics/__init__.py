"""What a quantity means: role (actual, change, target), direction, baseline, period, as_of, negation."""
from vnfacts.extractors.semantics.extract import Semantics, interpret

__all__ = ["Semantics", "interpret"]
