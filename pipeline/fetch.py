"""Fetchers: turn a source into raw articles. This module reads local files; network kinds build on it.

A raw article keeps its bytes' hash so cleaning can be re-run without fetching again.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.encoding import decode_bytes
from pipeline.errors import ArticleError
from settings import thresholds

ARTICLE_SUFFIXES = (".txt", ".html", ".htm")


@dataclass(frozen=True)
class ArticleRef:
    """A light reference to one article of a source: listed first, read or fetched later."""
    key: str
    location: str                         # a file path or a URL


@dataclass
class RawArticle:
    article: str                          # the file's stem, or a stable id derived from the URL
    content: str
    is_html: bool
    meta: dict = field(default_factory=dict)
    url: str | None = None
    content_hash: str = ""


def list_files(paths: list[Path]) -> list[Path]:
    """Article files named by ``paths``: files as given, folders expanded (sorted, non-recursive)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in ARTICLE_SUFFIXES
                              and not f.name.endswith(".meta.json")))
        else:
            out.append(p)
    return out


def read_file(path: Path) -> RawArticle:
    """Read one article file and its optional ``NAME.meta.json`` sidecar."""
    if not path.exists():
        raise ArticleError(f"no such file: {path}")
    if path.suffix.lower() not in ARTICLE_SUFFIXES:
        raise ArticleError(f"not an article file (.txt or .html): {path.name}")
    size = path.stat().st_size
    if size > thresholds.MAX_ARTICLE_BYTES:
        raise ArticleError(f"file too large: {size} bytes (limit {thresholds.MAX_ARTICLE_BYTES})")
    data = path.read_bytes()
    meta = read_meta(path)
    return RawArticle(article=path.stem, content=decode_bytes(data, path.name), is_html=path.suffix.lower() != ".txt",
                      meta=meta, url=meta.get("url"), content_hash=hashlib.sha256(data).hexdigest())


def read_meta(path: Path) -> dict:
    sidecar = path.with_name(path.stem + ".meta.json")
    if not sidecar.exists():
        return {}
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ArticleError(f"unreadable sidecar {sidecar.name}: {exc}") from None
    if not isinstance(meta, dict):
        raise ArticleError(f"sidecar {sidecar.name} must hold a JSON object")
    return meta
