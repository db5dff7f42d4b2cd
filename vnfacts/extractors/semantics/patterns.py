"""Clause structure patterns for the semantics extractor, compiled once."""
import regex

# Commas, semicolons, colons and brackets end a clause; "như:" opens a list of results.
CLAUSE_BREAK = regex.compile(r"[,;:()]")
SEGMENT_BREAK = regex.compile(r"[;:]")
OPEN_PAREN_ONLY = regex.compile(r"^\s*\(\s*$")
SO_VOI = regex.compile(r"so\s+với", regex.IGNORECASE)
# The gap between two quantities that may share a change: nouns and commas, no clause end.
SHORT_GAP = regex.compile(r"^[^;.:]{0,60}$")
