"""The token layer: underthesea words + POS as a spaCy Doc, and the spaCy pipeline over it.

``load()`` reads the assembled pipeline from ``models/vi_vnfacts`` (built from the gazetteer by
``python -m extractors.tokens.build``) once per process. ``sentence_doc(analysis, sentence)`` gives
a sentence's Doc, made on first request and kept on the analysis: only sentences that an extractor
asks about (they carry a number, a number word, or a title next to a name) ever reach the tokenizer.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

MODEL_NAME = "vi_vnfacts"
MODEL_VERSION = "1.0.0"
MODEL_DIR = Path(__file__).resolve().parents[2] / "models" / MODEL_NAME


@cache
def load():
    import spacy

    from extractors.tokens import components  # noqa: F401  (registers the factories)
    from extractors.tokens import tokenizer  # noqa: F401  (registers the tokenizer)

    if not (MODEL_DIR / "config.cfg").exists():
        raise RuntimeError(f"token layer model missing: {MODEL_DIR} (build it: python -m extractors.tokens.build)")
    return spacy.load(MODEL_DIR, exclude=["vocab"])


def sentence_doc(analysis, sentence):
    """The sentence's Doc (``doc._.start`` = its offset in the cleaned text), made once per analysis."""
    docs = analysis.__dict__.setdefault("_docs", {})
    doc = docs.get(sentence.index)
    if doc is None:
        doc = load()(sentence.text)
        doc._.start = sentence.start
        docs[sentence.index] = doc
    return doc


def stats(analysis) -> int:
    """How many of the analysis's sentences reached the tokenizer."""
    return len(analysis.__dict__.get("_docs", {}))
