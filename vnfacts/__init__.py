"""vnfacts — structured indicator facts from Vietnamese news reports."""

__version__ = "0.1.0"
# Bumped whenever extraction output can change; stored with every machine fact so that a new
# version replaces the facts of an older one and reviews are re-attached.
EXTRACTOR_VERSION = "2026.11.22"
