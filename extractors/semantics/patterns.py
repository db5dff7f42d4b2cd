"""Clause structure patterns for the semantics extractor, compiled once."""
import regex

# Commas, semicolons, colons and brackets end a clause; "như:" opens a list of results.
CLAUSE_BREAK = regex.compile(r"[;:()]|(?<!\d),|,(?!\d)")   # not the comma of "86,7" or "mức độ 3,4"
SEGMENT_BREAK = regex.compile(r"[;:]")
OPEN_PAREN_ONLY = regex.compile(r"^\s*\(\s*$")
SO_VOI = regex.compile(r"so\s+với", regex.IGNORECASE)
# The gap between two quantities that may share a change: nouns and commas, no clause end.
SHORT_GAP = regex.compile(r"^[^;.:]{0,60}$")
# "…, như: Kết quả …": a colon before a capitalised word opens a list; cues before it do not reach in.
LIST_OPENER = regex.compile(r":\s*(?=\p{Lu})")
# A sentence opened by a frame sets the mode of the sentences after it: "Theo đề xuất của Sở GTVT, …".
FRAME_OPENER = regex.compile(r"^\s*(?:Theo|Dự kiến|Mục tiêu|Phấn đấu)(?![\p{L}])")
