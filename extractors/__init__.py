"""Extractors: one package per thing pulled from an analysed article (quantities, periods,
semantics, concepts, officials, places), over the document model in ``document.py`` and the token
layer in ``tokens/`` (underthesea words and POS as a spaCy Doc, the pipeline in models/vi_vnfacts).

``EXTRACTOR_VERSION`` is stored with every machine fact, so that a store filled by another version
re-extracts and reviews are re-attached. It is not written by hand: it is a digest of what defines
extraction — the extractor code, the gazetteer (its loaders and data files), the ``models/`` folder
and the underthesea release — so any change to them is a new version and the next run re-extracts.
It is computed once per process, on first use (hashing well under a megabyte). Read it as
``extractors.EXTRACTOR_VERSION`` at call time.
"""
from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What defines extraction: these folders' files (caches and bytecode aside) and the NLP library's release.
DEFINING = ("extractors", "gazetteer", "models")
SKIPPED_PARTS = {"__pycache__", ".pytest_cache", ".mypy_cache"}
SKIPPED_SUFFIXES = (".pyc", ".pyo")


def fingerprint(root: Path = ROOT, folders: tuple[str, ...] = DEFINING, library: str | None = None) -> str:
    """``sha256:<first 16 hex digits>`` of every defining file's relative path and bytes, in path order."""
    digest = hashlib.sha256()
    for folder in folders:
        base = root / folder
        files = sorted(p for p in base.rglob("*") if p.is_file() and not SKIPPED_PARTS & set(p.parts)
                       and not p.name.endswith(SKIPPED_SUFFIXES)) if base.is_dir() else []
        for path in files:
            digest.update(path.relative_to(root).as_posix().encode("utf-8", "surrogateescape") + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    if library:
        digest.update(b"library\0" + library.encode())
    return digest.hexdigest()[:16]


@cache
def extractor_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        library = f"underthesea {version('underthesea')}"
    except PackageNotFoundError:
        library = "underthesea missing"
    return fingerprint(library=library)


def __getattr__(name: str) -> str:
    # PEP 562: computed on first use; a test may still set the attribute (monkeypatch), which then wins.
    if name == "EXTRACTOR_VERSION":
        return extractor_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
