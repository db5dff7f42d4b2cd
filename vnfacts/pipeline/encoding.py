"""Decoding article bytes: UTF-8 first, then the legacy encodings Vietnamese sites still serve."""
from __future__ import annotations

from vnfacts.pipeline.errors import ArticleError

BINARY_CONTROL_SHARE = 0.05


def decode_bytes(data: bytes, name: str = "input") -> str:
    if not data.strip():
        raise ArticleError("empty file")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ArticleError("binary content, not text")
    for encoding in ("utf-8-sig", "utf-16") if data.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig",):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            text = None
    if text is None:
        text = data.decode("cp1258", errors="replace")
    controls = sum(1 for c in text[:10000] if ord(c) < 32 and c not in "\n\r\t")
    if controls > BINARY_CONTROL_SHARE * min(len(text), 10000):
        raise ArticleError("binary content, not text")
    return text
