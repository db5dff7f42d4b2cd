"""Decoding article bytes into Unicode, legacy Vietnamese encodings included.

UTF-8 comes first. Bytes that are not UTF-8 — or UTF-8 text that is really TCVN3 (ABC) or VNI
mojibake ("ViÖt Nam", "Vieät Nam") — are decoded every plausible way (the declared charset,
Windows-1258, TCVN3 and VNI through Windows-1252) and the candidate whose words are most often
real Vietnamese syllables wins.
"""
from __future__ import annotations

import unicodedata
from functools import cache

import regex

import gazetteer
from pipeline.errors import ArticleError
from settings import thresholds

WORDS = regex.compile(r"\p{L}+")
LATIN1_HIGH = regex.compile(r"[\x80-\xff]")
VIETNAMESE_RANGE = regex.compile(r"[\u0100-\u1ef9]")
CONTROLS = regex.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


# Bytes no text file holds: NUL, the C0 controls other than tab, newlines, vertical tab and form feed, DEL.
NON_TEXT_BYTES = bytes([*range(0x00, 0x09), *range(0x0e, 0x20), 0x7f])
TEXT_BYTES = bytes(b for b in range(256) if b not in NON_TEXT_BYTES)


def decode_bytes(data: bytes, name: str = "input", declared: str | None = None,
                 warnings: list[str] | None = None) -> str:
    """The text of ``data``. "Binary" is decided on the share of bytes that cannot be text (a few NUL
    or control bytes in readable text are removed by cleaning, with a warning); a UTF-16 file cut short
    is decoded up to where it breaks, with a warning in ``warnings``."""
    if not data.strip():
        raise ArticleError("empty file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _check_text(data.decode("utf-16"))
        except UnicodeDecodeError as exc:
            if warnings is not None:
                warnings.append(f"invalid UTF-16 at byte {exc.start} of {len(data)} ({exc.reason}); "
                                "undecodable bytes replaced by U+FFFD")
            return _check_text(data.decode("utf-16", errors="replace"))
    non_text = len(data.translate(None, TEXT_BYTES))
    if non_text > thresholds.BINARY_CONTROL_SHARE * len(data):
        raise ArticleError("binary content, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        return _check_text(fix_legacy_text(text) if looks_legacy(text) else text)
    candidates = []
    for encoding in dict.fromkeys(e for e in (declared, "cp1258") if e):
        try:
            candidates.append(unicodedata.normalize("NFC", data.decode(encoding)))
        except (LookupError, UnicodeDecodeError):
            continue
    as_1252 = data.decode("cp1252", errors="replace")
    candidates += [convert_legacy(as_1252, "tcvn3"), convert_legacy(as_1252, "vni")]
    return _check_text(max(candidates, key=vietnamese_share))


def _check_text(text: str) -> str:
    sample = text[:10000]
    controls = len(CONTROLS.findall(sample))
    if controls > thresholds.BINARY_CONTROL_SHARE * max(len(sample), 1):
        raise ArticleError("binary content, not text")
    return text


def looks_legacy(text: str) -> bool:
    """Latin-1 letters but hardly any Vietnamese ones: the signature of TCVN3/VNI read as Windows-1252."""
    sample = text[:5000]
    high = len(LATIN1_HIGH.findall(sample))
    vietnamese = len(VIETNAMESE_RANGE.findall(sample))
    return high > 0.02 * max(len(sample), 1) and vietnamese < high / 10


def fix_legacy_text(text: str) -> str:
    best = max((convert_legacy(text, enc) for enc in ("tcvn3", "vni")), key=vietnamese_share)
    return best if vietnamese_share(best) >= vietnamese_share(text) + thresholds.LEGACY_MIN_GAIN else text


def convert_legacy(text: str, encoding: str) -> str:
    table = gazetteer.legacy_encodings()[encoding]
    return unicodedata.normalize("NFC", _legacy_pattern(encoding).sub(lambda m: table[m.group(0)], text))


@cache
def _legacy_pattern(encoding: str) -> regex.Pattern:
    keys = sorted(gazetteer.legacy_encodings()[encoding], key=len, reverse=True)
    return regex.compile("|".join(regex.escape(k) for k in keys))


def vietnamese_share(text: str) -> float:
    """Share of the words (of the first few thousand characters) that are Vietnamese syllables."""
    words = WORDS.findall(text[:6000].lower())
    if not words:
        return 0.0
    known = gazetteer.syllables()
    return sum(map(known.__contains__, words)) / len(words)
