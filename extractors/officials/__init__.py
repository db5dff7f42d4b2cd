"""Officials: people named with a public position — full name, rank and every title."""
from extractors.officials.extract import FoundOfficial, find_officials

__all__ = ["FoundOfficial", "find_officials"]
