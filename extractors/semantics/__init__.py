"""What a quantity means: role (actual, change, target), direction, baseline, period, as_of, negation."""
from extractors.semantics.extract import Semantics, interpret, is_parallel

__all__ = ["Semantics", "interpret", "is_parallel"]
