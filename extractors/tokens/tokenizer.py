"""The token layer: underthesea's word segmentation and POS tagging, run once per sentence, as a spaCy
``Doc`` whose tokens are Vietnamese words ("nhà thầu", "tài khoản") with exact offsets.

Shaped like ``spacy/lang/vi``'s tokenizer, which wraps an outside segmenter in a tokenizer class. The
segmenter's own regex pre-tokenizer is run on the text itself (not on a normalised copy), so every
token's offsets come from a match in the text: nothing is re-aligned by guessing. underthesea's
character and token normalisation ("hoà" → "hòa") feed only the CRF's features.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import spacy
from spacy.tokens import Doc
from spacy.vocab import Vocab

# underthesea's POS tags (VLSP) to Universal POS, for token.pos_.
UPOS = {
    "N": "NOUN", "Nc": "NOUN", "Nu": "NOUN", "Ny": "PROPN", "Np": "PROPN", "Nb": "NOUN", "V": "VERB",
    "Vb": "VERB", "Vy": "VERB", "A": "ADJ", "Ab": "ADJ", "P": "PRON", "R": "ADV", "L": "DET", "M": "NUM",
    "E": "ADP", "C": "CCONJ", "Cc": "CCONJ", "I": "INTJ", "T": "PART", "Y": "PROPN", "Z": "X", "X": "X",
    "CH": "PUNCT", "S": "SYM",
}


class VietnameseTokenizer:
    """``Doc(vocab, words, spaces)`` from underthesea: one word a token, tag_ its VLSP POS tag."""

    def __init__(self, vocab: Vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        spans = segment(text)
        tags = pos_tags([text[a:b] for a, b in spans]) if spans else []
        words, spaces, token_tags = [], [], []
        for i, (a, b) in enumerate(spans):
            words.append(text[a:b])
            nxt = spans[i + 1][0] if i + 1 < len(spans) else len(text)
            gap = text[b:nxt]
            spaces.append(gap.startswith(" "))
            token_tags.append(tags[i])
            rest = gap[1:] if gap.startswith(" ") else gap
            if rest:                                   # other whitespace is a token of its own, as in spaCy
                words.append(rest)
                spaces.append(False)
                token_tags.append("_SP")
        lead = text[:spans[0][0]] if spans else text
        if lead:
            words.insert(0, lead)
            spaces.insert(0, False)
            token_tags.insert(0, "_SP")
        pos = ["SPACE" if tag == "_SP" else UPOS.get(tag, "X") for tag in token_tags]
        return Doc(self.vocab, words=words, spaces=spaces, tags=token_tags, pos=pos)

    # Nothing to store: the CRF models ship in the underthesea wheel and are loaded from there.
    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> "VietnameseTokenizer":
        return self

    def to_disk(self, path, **kwargs) -> None:
        return None

    def from_disk(self, path, **kwargs) -> "VietnameseTokenizer":
        return self


@spacy.registry.tokenizers("vnfacts.vi_tokenizer.v1")
def create_tokenizer():
    def make(nlp) -> VietnameseTokenizer:
        return VietnameseTokenizer(nlp.vocab)

    return make


def segment(text: str) -> list[tuple[int, int]]:
    """Word spans of ``text``: underthesea's pre-tokens joined where its CRF says I-W."""
    from underthesea.pipeline.word_tokenize import regex_tokenize

    source = unicodedata.normalize("NFC", text)
    normalised = regex_tokenize.normalize_characters_in_text(source)
    scan = normalised if len(normalised) == len(text) else text
    pre = []
    for m in regex_tokenize.patterns.finditer(scan):
        value, kind = regex_tokenize.extract_match(m)
        a = m.start()
        pre.append((a, a + len(value), kind, _token_normalised(value)))
    if not pre:
        return []
    pre = _join_fractions(pre)
    tags = _segmenter().predict([[p[3]] for p in pre])
    out: list[list[int]] = []
    for i, (a, b, kind, _word) in enumerate(pre):
        glued = out and tags[i] == "I-W" and not _numeric(pre[i]) and not _numeric(pre[i - 1]) \
            and not (pre[i - 1][3][:1].islower() and pre[i][3][:1].isupper())   # "tân Phó": a capital starts a word
        if glued:
            out[-1][1] = b
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


@lru_cache(maxsize=16384)
def _token_normalised(token: str) -> str:
    """underthesea's token_normalize (a pure function of the token), worked out once per distinct token
    (a bounded cache: memory stays flat)."""
    from underthesea.pipeline.text_normalize import token_normalize

    return token_normalize(token)


NUMBER_STANDIN = "100"             # what the POS tagger sees in place of any number
DIGIT = re.compile(r"\d")


def pos_tags(words: list[str]) -> list[str]:
    """underthesea's POS tags for the given words (its v2.0 CRF, without a second segmentation).

    A number is tagged M, and the tagger sees it as one canonical number: its features were learnt on
    numbers written many ways, and "738.291" read as a proper noun would make "tài khoản" a verb."""
    numbers = [_has_digit(w) for w in words]
    features = [[NUMBER_STANDIN if number else w] for w, number in zip(words, numbers)]
    tags = [t[2:] if t[:2] in ("B-", "I-") else t for t in _tagger().predict(features)]
    return ["M" if number else t for number, t in zip(numbers, tags)]


def person_spans(doc: Doc, around: tuple[int, int] | None = None) -> list[tuple[int, int]]:
    """Token spans underthesea's NER (chunking + NER CRF over this Doc's words and tags) calls PER.

    ``around`` (token indices) limits the CRFs to those tokens and NER_CONTEXT tokens each side: their
    features look two tokens away, and their cost grows with the input."""
    from underthesea.pipeline.chunking import tagged_feature as chunk_features
    from underthesea.pipeline.chunking.model_crf import CRFChunkingPredictor
    from underthesea.pipeline.ner import tagged_feature as ner_features
    from underthesea.pipeline.ner.model_crf import CRFNERPredictor

    lo, hi = (0, len(doc)) if around is None else (max(0, around[0] - NER_CONTEXT), min(len(doc), around[1] + NER_CONTEXT))
    index = [t.i for t in doc[lo:hi] if t.tag_ != "_SP"]
    if not index:
        return []
    tagged = [(doc[i].text, doc[i].tag_) for i in index]
    chunked = _predict(CRFChunkingPredictor.Instance(), tagged, chunk_features)
    spans, current = [], None
    for i, (_w, _p, _c, tag) in zip(index, _predict(CRFNERPredictor.Instance(), chunked, ner_features)):
        if tag == "B-PER" or (tag == "I-PER" and current is None):
            current = [i, i + 1]
            spans.append(current)
        elif tag == "I-PER" and current is not None:
            current[1] = i + 1
        else:
            current = None
    return [(a, b) for a, b in spans]


NER_CONTEXT = 3                    # tokens of context the NER CRFs read around the name candidates


def _predict(predictor, rows: list[tuple], features) -> list[tuple]:
    """``predictor.predict(rows)`` of underthesea's chunking or NER CRF, each row given one more column
    (its tag). The features are the same strings, computed by this module's own loop: underthesea's
    rebuilds every column of the sentence and parses the template for every feature of every word."""
    width = len(rows[0]) if rows else 0
    tokens = [(*row[:width], "X") for row in rows]
    x = _template_features(tokens, tuple(predictor.transformer.template), features)
    return [(*row[:width], tag) for row, tag in zip(rows, predictor.model.tag(x))]


TEMPLATE = re.compile(r"T\[(?P<index1>\-?\d+)(\,(?P<index2>\-?\d+))?\](\[(?P<column>.*)\])?(\.(?P<function>.*))?")


@lru_cache(maxsize=8)
def _parsed_template(template: tuple[str, ...]) -> tuple[tuple[str, int, int | None, int, str | None], ...]:
    """Each feature template ("T[-1,0][1]", "T[0].istitle") as (prefix, first row, last row, column, function)."""
    out = []
    for syntax in template:
        m = TEMPLATE.match(syntax)
        index2 = m.group("index2")
        out.append((f"{syntax}=", int(m.group("index1")), int(index2) if index2 else None,
                    int(m.group("column")) if m.group("column") else 0, m.group("function")))
    return tuple(out)


def _template_features(sent: list[tuple], template: tuple[str, ...], module) -> list[list[str]]:
    """underthesea's ``word2features`` for every word of ``sent`` (tagged_feature.py of ``module``)."""
    functions = {"lower": module.text_lower, "istitle": module.text_istitle, "isallcap": module.text_isallcap,
                 "isdigit": module.text_isdigit, "is_in_dict": module.text_is_in_dict}
    n = len(sent)
    columns = list(zip(*sent)) if sent else []
    out = []
    for i in range(n):
        features = []
        for prefix, first, last, column, function in _parsed_template(template):
            if i + first < 0:
                features.append(f"{prefix}BOS")
                continue
            if i + first >= n or (last is not None and i + last >= n):
                features.append(f"{prefix}EOS")
                continue
            word = " ".join(columns[column][i + first:i + last + 1]) if last is not None else sent[i + first][column]
            result = functions[function](word) if function is not None else word
            features.append(f"{prefix}{result}")
        out.append(features)
    return out


def _join_fractions(pre: list[tuple]) -> list[tuple]:
    """"58.834/58.834" is one token (a ratio), as "31/80" already is for underthesea's pre-tokenizer."""
    out: list[tuple] = []
    i = 0
    while i < len(pre):
        if i + 2 < len(pre) and pre[i + 1][3] == "/" and _numeric(pre[i]) and _numeric(pre[i + 2]) \
                and pre[i][1] == pre[i + 1][0] and pre[i + 1][1] == pre[i + 2][0]:
            a, b = pre[i][0], pre[i + 2][1]
            out.append((a, b, "number", pre[i][3] + "/" + pre[i + 2][3]))
            i += 3
            continue
        out.append(pre[i])
        i += 1
    return out


def _numeric(pre: tuple) -> bool:
    """A number, date or code: a word is never glued to it ("5.908 công dân", "12/12 điểm" are two words)."""
    return _has_digit(pre[3])


def _has_digit(word: str) -> bool:
    return DIGIT.search(word) is not None


_SEGMENTER = None
_TAGGER = None


def _tagger():
    global _TAGGER
    if _TAGGER is None:
        from os.path import dirname, join

        from underthesea.models.fast_crf_sequence_tagger import FastCRFSequenceTagger
        from underthesea.pipeline import pos_tag as pt

        _TAGGER = FastCRFSequenceTagger()
        _TAGGER.load(join(dirname(pt.__file__), "models", "pos_crf_vlsp2013_20230303"))
    return _TAGGER


def _segmenter():
    global _SEGMENTER
    if _SEGMENTER is None:
        from os.path import dirname, join

        from underthesea.models.fast_crf_sequence_tagger import FastCRFSequenceTagger
        from underthesea.pipeline import word_tokenize as wt

        _SEGMENTER = FastCRFSequenceTagger()
        _SEGMENTER.load(join(dirname(wt.__file__), "models", "ws_crf_vlsp2013_20230727"))
    return _SEGMENTER
