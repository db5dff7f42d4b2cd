"""spaCy components over the token layer's Doc. Each declares what it needs and what it assigns.

- ``gazetteer_phrases``: the gazetteer's phrases as two ``PhraseMatcher``s (case-folded and exact),
  compiled once from their stored words (models/vi_vnfacts/phrases/patterns.jsonl), on
  ``doc.spans["gazetteer"]`` with the list as label (TITLE, RANK, COUNTRY, NUMBER_WORD, SCALE, NOT_UNIT …).
- ``vnfacts_counted_nouns``: for every number (digits or a number word the tagger reads as one) the
  noun phrase it counts, as whole words, on ``doc.spans["counted"]`` and ``token._.counted``.
- ``vnfacts_persons``: people's names next to a title or rank — underthesea's NER (PER) over this
  Doc's words and tags, and capitalised proper nouns after "title + country" — on ``doc.spans["persons"]``.
"""
from __future__ import annotations

import json
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from extractors.tokens import rules
from extractors.tokens.tokenizer import person_spans

if not Token.has_extension("counted"):
    Token.set_extension("counted", default=None)       # (start, end) token span of what a number counts
if not Doc.has_extension("start"):
    Doc.set_extension("start", default=0)              # offset of the Doc's text in the cleaned article


@Language.factory("gazetteer_phrases", assigns=["doc.spans"])
def make_gazetteer(nlp: Language, name: str):
    return Gazetteer(nlp.vocab)


class Gazetteer:
    """Gazetteer phrases on ``doc.spans["gazetteer"]``. Patterns are words (as the token layer
    segments each phrase, done once by the build), so loading runs no tokenizer."""

    def __init__(self, vocab):
        self.vocab = vocab
        self.patterns: list[dict] = []
        self._build()

    def add_patterns(self, patterns: list[dict]) -> None:
        self.patterns.extend(patterns)
        self._build()

    def _build(self) -> None:
        self.folded = PhraseMatcher(self.vocab, attr="LOWER")
        self.exact = PhraseMatcher(self.vocab, attr="ORTH")
        by_key: dict[tuple[str, bool], list[Doc]] = {}
        for p in self.patterns:
            by_key.setdefault((p["label"], p["cased"]), []).append(Doc(self.vocab, words=p["words"]))
        for (label, cased), docs in by_key.items():
            (self.exact if cased else self.folded).add(label, docs)

    def __call__(self, doc: Doc) -> Doc:
        matches = self.folded(doc) + self.exact(doc)
        doc.spans["gazetteer"] = [Span(doc, a, b, label=label) for label, a, b in sorted(matches, key=lambda m: (m[1], m[2], m[0]))]
        return doc

    def to_disk(self, path, exclude=tuple()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        with (path / "patterns.jsonl").open("w", encoding="utf-8") as f:
            for p in self.patterns:
                f.write(json.dumps(p, ensure_ascii=False, sort_keys=True) + "\n")

    def from_disk(self, path, exclude=tuple()) -> "Gazetteer":
        lines = (Path(path) / "patterns.jsonl").read_text(encoding="utf-8").splitlines()
        self.patterns = [json.loads(line) for line in lines if line.strip()]
        self._build()
        return self


@Language.factory("vnfacts_counted_nouns", requires=["token.tag", "doc.spans"],
                  assigns=["doc.spans", "token._.counted"], default_config={"max_head_words": 2})
def make_counted_nouns(nlp: Language, name: str, max_head_words: int):
    return CountedNouns(max_head_words)


@Language.factory("vnfacts_persons", requires=["token.tag", "doc.spans"], assigns=["doc.spans"])
def make_persons(nlp: Language, name: str):
    return Persons()


class CountedNouns:
    def __init__(self, max_head_words: int):
        self.max_head_words = max_head_words

    def __call__(self, doc: Doc) -> Doc:
        labels = rules.token_labels(doc)
        spans = []
        for token in doc:
            if not rules.is_number(token, labels):
                continue
            found = rules.counted_after(doc, token.i, labels, self.max_head_words) \
                or rules.counted_before(doc, token.i, labels, self.max_head_words)
            if found:
                token._.counted = found
                spans.append(Span(doc, found[0], found[1], label="COUNTED"))
        doc.spans["counted"] = spans
        return doc


class Persons:
    def __call__(self, doc: Doc) -> Doc:
        labels = rules.token_labels(doc)
        found = []
        if any(lab & {"TITLE", "RANK"} for lab in labels) and any(t.tag_ in ("Np", "Ny") or t.is_title for t in doc):
            for a, b in rules.titled_names(doc, labels, person_spans):
                found.append(Span(doc, a, b, label="PER"))
        doc.spans["persons"] = found
        return doc
