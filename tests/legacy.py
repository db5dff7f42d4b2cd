"""Writing test texts in the legacy encodings real Vietnamese sites still serve."""
from __future__ import annotations

import unicodedata

import gazetteer

TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_cp1258(text: str) -> bytes:
    """Windows-1258 keeps â ê ô ơ ư ă đ precomposed and writes the five tones as combining marks."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
        out.append(base + "".join(c for c in parts if c in TONES))
    return "".join(out).encode("cp1258")


def to_legacy(text: str, encoding: str) -> bytes:
    """TCVN3 or VNI bytes: the legacy glyph strings (as Windows-1252) of each letter."""
    reverse = {}
    for legacy, uni in gazetteer.legacy_encodings()[encoding].items():
        reverse.setdefault(uni, legacy)
    return "".join(reverse.get(c, c) for c in unicodedata.normalize("NFC", text)).encode("cp1252")
