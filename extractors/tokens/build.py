"""Build the token layer's spaCy pipeline from the gazetteer: ``python -m extractors.tokens.build``.

Writes ``models/vi_vnfacts/`` (config.cfg, meta.json and the two span rulers' JSONL patterns: the
gazetteer's phrases, matched on ``LOWER`` or, for the case-sensitive lists, on ``ORTH``). The output depends only on the gazetteer,
the code and underthesea's models: building twice gives the same bytes (a test rebuilds and compares).
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

import spacy

import gazetteer
from extractors.tokens import MODEL_DIR, MODEL_NAME, MODEL_VERSION
from extractors.tokens import components  # noqa: F401  (registers the factories)
from extractors.tokens.tokenizer import VietnameseTokenizer

# label → (phrases, case-sensitive?)
def _lists() -> dict[str, tuple[list[str], bool]]:
    return {
        "TITLE": (list(gazetteer.titles()), False),
        "RANK": (list(gazetteer.ranks()), False),
        "HONORIFIC": (list(gazetteer.honorifics()), True),
        "COUNTRY": (list(gazetteer.countries()), True),
        "PLACE": (sorted({*gazetteer.provinces(), *gazetteer.province_aliases()}), True),
        "NUMBER_WORD": (list(gazetteer.number_words()), False),
        "TAGGED_NUMBER_WORD": (list(gazetteer.number_words_tagged()), False),
        "LISTED_NUMBER_WORD": (list(gazetteer.number_words_listed()), False),
        "SCALE": (list(gazetteer.scale_words()), False),
        "MODIFIER": (list(gazetteer.noun_modifiers()), False),
        "NOT_UNIT": (sorted({*gazetteer.not_unit_words(), *gazetteer.non_fact_nouns()}), False),
        "NOT_COUNTED": (list(gazetteer.not_counted_phrases()), False),
        "SO_SKIP": (list(gazetteer.so_skip_words()), False),
    }


def patterns(cased: bool) -> list[dict]:
    """Phrase patterns of the case-sensitive (or the case-folded) gazetteer lists, in a stable order
    (label, then phrase): each phrase once per distinct sequence of words the tokenizer makes of it."""
    tokenizer = VietnameseTokenizer(spacy.blank("xx").vocab)
    out = []
    for label, (phrases, list_cased) in _lists().items():
        if list_cased != cased:
            continue
        seen = set()
        for phrase in sorted(set(phrases)):
            words = tuple(t.text if cased else t.text.lower() for t in tokenizer(phrase) if not t.is_space)
            if not words or words in seen:
                continue
            seen.add(words)
            out.append({"label": label, "pattern": phrase})
    return out


def build(out: Path = MODEL_DIR) -> Path:
    config = {"nlp": {"tokenizer": {"@tokenizers": "vnfacts.vi_tokenizer.v1"}}}
    nlp = spacy.blank("vi", config=config)
    # spaCy's span ruler, once per case rule (a phrase matcher compares one attribute): phrase
    # patterns, tokenised by this pipeline's tokenizer when the model is loaded. (Token patterns do
    # the same job through spaCy's Matcher, which tries every pattern at every token: it cost more
    # than the POS tagger here.)
    folded = nlp.add_pipe("span_ruler", name="phrases", config={"spans_key": "gazetteer", "phrase_matcher_attr": "LOWER"})
    folded.add_patterns(patterns(cased=False))
    exact = nlp.add_pipe("span_ruler", name="phrases_cased", config={"spans_key": "gazetteer", "overwrite": False})
    exact.add_patterns(patterns(cased=True))
    nlp.add_pipe("vnfacts_pos")
    nlp.add_pipe("vnfacts_counted_nouns")
    nlp.add_pipe("vnfacts_persons")
    nlp.meta.update({"name": MODEL_NAME, "version": MODEL_VERSION, "description":
                     "vnfacts token layer: underthesea words and POS, gazetteer span ruler, counted nouns, persons",
                     "sources": [{"name": "gazetteer/data", "url": "gazetteer/data"}]})
    if out.exists():
        shutil.rmtree(out)
    nlp.to_disk(out, exclude=["vocab"])
    _normalise(out)
    return out


def _normalise(out: Path) -> None:
    """Keep only what is deterministic: meta.json without build-time fields, sorted keys."""
    meta_path = out / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    for key in ("performance", "vectors", "spacy_git_version"):
        meta.pop(key, None)
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=MODEL_DIR, help="model folder (default models/vi_vnfacts)")
    args = parser.parse_args(argv)
    path = build(args.out)
    print(f"built {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
