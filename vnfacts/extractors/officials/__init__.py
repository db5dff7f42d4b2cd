"""Officials: people named with a public position — full name, rank and every title."""
from vnfacts.extractors.officials.extract import OfficialMention, find_officials

__all__ = ["OfficialMention", "find_officials"]
