"""The token layer: underthesea words + POS as a spaCy Doc, and the spaCy pipeline over it.

``load()`` reads the assembled pipeline from ``models/vi_vnfacts`` (built from the gazetteer by
``python -m extractors.tokens.build``) once per process: the tokenizer (underthesea's words), then
``vnfacts_pos`` (underthesea's POS tags), ``phrases`` (spaCy's span ruler over the gazetteer),
``vnfacts_counted_nouns`` and ``vnfacts_persons``. ``sentence_doc(analysis, sentence)`` gives a
sentence's Doc, made on first request and kept on the analysis (``analysis.docs``): only sentences
that an extractor asks about (they carry a number, a number word, or a title next to a name) ever
reach the tokenizer.
"""
from __future__ import annotations

import time
from functools import cache
from pathlib import Path

MODEL_NAME = "vi_vnfacts"
MODEL_VERSION = "1.0.0"
MODEL_DIR = Path(__file__).resolve().parents[2] / "models" / MODEL_NAME


@cache
def load():
    import spacy

    from extractors.tokens import components  # noqa: F401  (registers the factories)
    from extractors.tokens import tokenizer      # (registers the tokenizer)

    if not (MODEL_DIR / "config.cfg").exists():
        raise RuntimeError(f"token layer model missing: {MODEL_DIR} (build it: python -m extractors.tokens.build)")
    nlp = spacy.load(MODEL_DIR, exclude=["vocab"])
    tokenizer.release_unused_word_lists()        # underthesea is imported by now (the rulers segmented their phrases)
    return nlp


# What the token layer cost in this process (``vnfacts bench`` reports it): sentences seen by the
# extractors, sentences that reached the tokenizer, seconds spent in the spaCy pipeline.
STATS = {"sentences": 0, "tokenized": 0, "seconds": 0.0, "ner_docs": 0}


def sentence_doc(analysis, sentence, around: tuple[int, int] | None = None, persons: bool = False):
    """A Doc over the sentence (``doc._.start`` = its offset in the cleaned text), made once per
    analysis and sentence.

    ``around`` (article offsets) asks only for the words near a trigger: the Doc then covers that
    span and a margin of context on each side (thresholds.TOKEN_CONTEXT_BEFORE/AFTER characters,
    snapped to spaces), and grows when a later request falls outside it. Long sentences with one
    number thus pay for a window, not the whole sentence. ``doc.spans["persons"]`` (underthesea's
    NER, the costly part) is filled only when asked for."""
    docs = analysis.docs
    doc = docs.get(sentence.index)
    a, b = _window(analysis.text, sentence, around)
    started = time.perf_counter()
    if doc is None or not (doc._.start <= a and b <= doc._.start + len(doc.text)):
        if doc is not None:
            a, b = min(a, doc._.start), max(b, doc._.start + len(doc.text))
        else:
            STATS["tokenized"] += 1
        doc = _nlp()(analysis.text[a:b], disable=["vnfacts_persons"])
        doc._.start = a
        docs[sentence.index] = doc
    if persons and "persons" not in doc.spans:
        load().get_pipe("vnfacts_persons")(doc)
        STATS["ner_docs"] += 1
    STATS["seconds"] += time.perf_counter() - started
    return doc


_MADE = [0]


def _nlp():
    """The pipeline, reloaded after thresholds.TOKEN_LAYER_RELOAD_DOCS Docs: spaCy's string store
    keeps every word and number it has seen, and a long run must not grow without end."""
    from settings import thresholds

    _MADE[0] += 1
    if _MADE[0] > thresholds.TOKEN_LAYER_RELOAD_DOCS:
        _MADE[0] = 0
        load.cache_clear()
    return load()


def warm_up() -> None:
    """Load the pipeline and underthesea's CRF models (segmenter, tagger, chunker, NER) now, not
    inside the first article that needs them (the benchmark and worker processes call this)."""
    doc = load()("Bộ trưởng Ngoại giao Nhật Bản Kamikawa Yoko giao 37 đầu việc.")
    load().get_pipe("vnfacts_persons")(doc)


def _window(text: str, sentence, around: tuple[int, int] | None) -> tuple[int, int]:
    if around is None:
        return sentence.start, sentence.end
    from settings import thresholds

    a = max(sentence.start, around[0] - thresholds.TOKEN_CONTEXT_BEFORE)
    b = min(sentence.end, around[1] + thresholds.TOKEN_CONTEXT_AFTER)
    if a > sentence.start:
        space = text.find(" ", a, around[0])
        a = space + 1 if space >= 0 else around[0]
    if b < sentence.end:
        space = text.rfind(" ", around[1], b)
        b = space if space >= 0 else around[1]
    return a, b
