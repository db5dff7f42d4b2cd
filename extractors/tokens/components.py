"""spaCy components over the token layer's Doc. Each declares what it needs and what it assigns.

- ``vnfacts_pos``: underthesea's POS tag of every word on ``token.tag_`` (VLSP tags) and
  ``token.pos_`` (Universal POS); whitespace tokens get spaCy's ``_SP`` / ``SPACE``.
- ``phrases`` and ``phrases_cased`` (spaCy's own ``span_ruler``, not defined here): the gazetteer's
  phrases matched on ``LOWER`` (or, for the case-sensitive lists, ``ORTH``), on
  ``doc.spans["gazetteer"]`` with the list as label (TITLE, RANK, COUNTRY, NUMBER_WORD, SCALE,
  NOT_UNIT …); see build.py.
- ``vnfacts_counted_nouns``: for every number (digits or a number word the tagger reads as one) the
  noun phrase it counts, as whole words, on ``doc.spans["counted"]`` and ``token._.counted``.
- ``vnfacts_persons``: people's names next to a title or rank — underthesea's NER (PER) over this
  Doc's words and tags, and capitalised proper nouns after "title + country" — on ``doc.spans["persons"]``.
"""
from __future__ import annotations

import numpy
from spacy.attrs import POS, TAG
from spacy.language import Language
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.tokens import Doc, Span, Token

from extractors.tokens import rules
from extractors.tokens.tokenizer import SPACE_TAG, UPOS, person_spans, pos_tags

if not Token.has_extension("counted"):
    Token.set_extension("counted", default=None)       # (start, end) token span of what a number counts
if not Doc.has_extension("start"):
    Doc.set_extension("start", default=0)              # offset of the Doc's text in the cleaned article


@Language.factory("vnfacts_pos", assigns=["token.tag", "token.pos"])
def make_pos(nlp: Language, name: str):
    return PosTagger()


class PosTagger:
    """underthesea's POS tagger over the Doc's words (the segmentation is the tokenizer's, not redone),
    written in one ``Doc.from_array``."""

    def __call__(self, doc: Doc) -> Doc:
        strings = doc.vocab.strings
        texts = [t.text for t in doc]
        tags = iter(pos_tags([text for text in texts if not text.isspace()]))     # is_space, as spaCy has it
        rows = []
        for text in texts:
            space = text.isspace()
            tag = SPACE_TAG if space else next(tags)
            rows.append((strings.add(tag), POS_IDS["SPACE" if space else UPOS.get(tag, "X")]))
        if rows:
            doc.from_array([TAG, POS], numpy.array(rows, dtype="uint64"))
        return doc


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
