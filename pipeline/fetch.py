"""Fetchers: turn a source into raw articles. This module reads local files; network kinds build on it.

A raw article keeps its bytes' hash so cleaning can be re-run without fetching again.
"""
from __future__ import annotations

import hashlib
import json
import os
from urllib.parse import quote
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
    warnings: list[str] = field(default_factory=list)   # what reading let pass (a bad sidecar, a lossy decode)


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


def file_key(path: Path) -> str:
    """The article key of a file: its stem, or — when the name is not valid UTF-8 (a surrogate-escaped
    byte on POSIX) — the stem with those bytes shown as ``_`` and a hash of the exact bytes, so that two
    such names never share a key and the key is storable."""
    stem = path.stem
    try:
        stem.encode("utf-8")
        return stem
    except UnicodeEncodeError:
        raw = os.fsencode(stem)
        readable = raw.decode("utf-8", "replace").replace("\ufffd", "_")
        return f"{readable}_{hashlib.sha1(raw).hexdigest()[:10]}"


def exact_name(path: Path) -> str:
    """The file's name, lossless and printable: its bytes percent-encoded where they are not UTF-8."""
    return quote(os.fsencode(path.name), safe=" /!$&'()*+,;=:@~")


def read_file(path: Path) -> RawArticle:
    """Read one article file and its optional ``NAME.meta.json`` sidecar (a malformed sidecar is
    ignored with a warning: the article is still read)."""
    if not path.exists():
        raise ArticleError(f"no such file: {path}")
    if path.suffix.lower() not in ARTICLE_SUFFIXES:
        raise ArticleError(f"not an article file (.txt or .html): {path.name}")
    size = path.stat().st_size
    if size > thresholds.MAX_ARTICLE_BYTES:
        raise ArticleError(f"file too large: {size} bytes (limit {thresholds.MAX_ARTICLE_BYTES})")
    data = path.read_bytes()
    warnings: list[str] = []
    key = file_key(path)
    if key != path.stem:
        warnings.append(f"file name is not UTF-8; stored as {key!r}; exact name: {exact_name(path)}")
    meta = read_meta(path, warnings)
    content = decode_bytes(data, key, warnings=warnings)
    return RawArticle(article=key, content=content, is_html=path.suffix.lower() != ".txt",
                      meta=meta, url=meta.get("url"), content_hash=hashlib.sha256(data).hexdigest(), warnings=warnings)


def read_meta(path: Path, warnings: list[str] | None = None) -> dict:
    """The ``NAME.meta.json`` sidecar of an article file; ``{}`` when there is none, or — with a
    warning added to ``warnings`` — when it is unreadable, not a JSON object or of wrong field types."""
    sidecar = path.with_name(path.stem + ".meta.json")
    if not sidecar.exists():
        return {}
    problem = None
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        meta, problem = {}, f"unreadable: {type(exc).__name__}: {exc}"
    if not problem and not isinstance(meta, dict):
        meta, problem = {}, "must hold a JSON object"
    if not problem:
        wrong = [k for k in META_TEXT_FIELDS if meta.get(k) is not None and not isinstance(meta[k], str)]
        clean = meta.get("clean")
        if clean is not None and not (isinstance(clean, dict) and isinstance(clean.get("replace") or {}, dict)
                                      and isinstance(clean.get("remove_selectors") or [], list)):
            wrong.append("clean")
        if wrong:
            meta, problem = {}, f"wrong type of {', '.join(wrong)}"
    if problem:
        if warnings is not None:
            warnings.append(" ".join(f"sidecar {exact_name(sidecar)} ignored ({problem})".split())[:500])
        return {}
    return meta


META_TEXT_FIELDS = ("source", "url", "published", "province")
