"""Small helpers the tests share: run the real extraction on a string."""
from __future__ import annotations

import hashlib

from pipeline.extract import Mentions, extract_article
from pipeline.fetch import RawArticle
from pipeline.normalise import normalise


def mentions_of(text: str, meta: dict | None = None, article: str = "t") -> Mentions:
    raw = RawArticle(article=article, content=text, is_html=False, meta=meta or {},
                     content_hash=hashlib.sha256(text.encode()).hexdigest())
    return extract_article(raw)


def facts_of(text: str, meta: dict | None = None) -> list[dict]:
    return normalise(mentions_of(text, meta)).facts


def one_fact(text: str, value, meta: dict | None = None) -> dict:
    found = [f for f in facts_of(text, meta) if f["value"] == value]
    assert len(found) == 1, f"expected one fact of value {value!r}, got {found}"
    return found[0]
