"""Place patterns, compiled once (those built from gazetteer words on first use)."""
from functools import cache

import regex

import gazetteer
from extractors.lexicon import at_end_pattern


@cache
def district_intro() -> regex.Pattern:
    """A district-level unit word ending the text: "huyện Tháp Mười", "thành phố Cao Lãnh", "TP. Hải Dương"."""
    return at_end_pattern(gazetteer.unit_words("district"), ignore_case=True)

@cache
def unit_intro() -> regex.Pattern:
    """Any unit word ending the text: after the 2025 merger former districts name wards ("phường Quy Nhơn")."""
    return at_end_pattern(gazetteer.unit_words(), ignore_case=True)


# A dateline like "BHG- Sáng 17.7" or "(GLO)- Công an tỉnh …": capitals (in brackets or not), then a
# hyphen, near the start of a paragraph.
# (or a bracketed code opening a line, without the dash: "(CMO) Chương trình …")
DATELINE = regex.compile(r"(?:^|\(|\s)(?P<code>\p{Lu}[\p{Lu}\p{Ll}]{1,5})\)?\s?[-–]\s|^\((?P<code>\p{Lu}{2,6})\)\s+(?=\p{Lu})",
                         regex.MULTILINE)
# The words of a web address: host labels and path segments split at hyphens, dots and slashes.
URL_WORDS = regex.compile(r"[a-z0-9]+")
# A headline that opens with a place and a colon: "Lào Cai: Thu ngân sách …", "TPHCM: Đường vào cảng …".
HEADLINE_PLACE = regex.compile(r"\s*(?P<place>[^:,.]{2,30}?)\s*:\s")
