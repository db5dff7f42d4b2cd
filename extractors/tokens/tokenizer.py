"""The token layer's calls into underthesea: word segmentation (the spaCy tokenizer), POS tags (the
``vnfacts_pos`` component) and people's names (underthesea's chunking and NER CRFs).

Shaped like ``spacy/lang/vi``'s tokenizer, which wraps an outside segmenter in a tokenizer class. The
segmenter's own regex pre-tokenizer is run on the text itself (not on a normalised copy), so every
token's offsets come from a match in the text: nothing is re-aligned by guessing. underthesea's
character and token normalisation ("hoà" → "hòa") feed only the CRF's features.

The CRF models are underthesea's, loaded by underthesea (its word segmenter and its v2.0 POS tagger,
both fed through underthesea_core's compiled featurizer); the chunking and NER CRFs are fed through
the same compiled featurizer over their own templates (:func:`predict`).
"""
from __future__ import annotations

import importlib
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
SPACE_TAG = "_SP"                  # spaCy's tag for whitespace tokens


class VietnameseTokenizer:
    """``Doc(vocab, words, spaces)`` from underthesea's segmenter: one Vietnamese word a token."""

    def __init__(self, vocab: Vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        spans = segment(text)
        words, spaces = [], []
        for i, (a, b) in enumerate(spans):
            words.append(text[a:b])
            nxt = spans[i + 1][0] if i + 1 < len(spans) else len(text)
            gap = text[b:nxt]
            spaces.append(gap.startswith(" "))
            rest = gap[1:] if gap.startswith(" ") else gap
            if rest:                                   # other whitespace is a token of its own, as in spaCy
                words.append(rest)
                spaces.append(False)
        lead = text[:spans[0][0]] if spans else text
        if lead:
            words.insert(0, lead)
            spaces.insert(0, False)
        return Doc(self.vocab, words=words, spaces=spaces)

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
    from underthesea.pipeline.chunking.model_crf import CRFChunkingPredictor
    from underthesea.pipeline.ner.model_crf import CRFNERPredictor

    lo, hi = (0, len(doc)) if around is None else (max(0, around[0] - NER_CONTEXT), min(len(doc), around[1] + NER_CONTEXT))
    index = [t.i for t in doc[lo:hi] if t.tag_ != SPACE_TAG]
    if not index:
        return []
    tagged = [(doc[i].text, doc[i].tag_) for i in index]
    chunked = predict(CRFChunkingPredictor.Instance(), tagged)
    spans, current = [], None
    for i, (_w, _p, _c, tag) in zip(index, predict(CRFNERPredictor.Instance(), chunked)):
        if tag == "B-PER" or (tag == "I-PER" and current is None):
            current = [i, i + 1]
            spans.append(current)
        elif tag == "I-PER" and current is not None:
            current[1] = i + 1
        else:
            current = None
    return [(a, b) for a, b in spans]


NER_CONTEXT = 3                    # tokens of context the NER CRFs read around the name candidates


def predict(predictor, rows: list[tuple]) -> list[tuple]:
    """``predictor.predict(rows)`` of underthesea's chunking or NER CRF (each row given one more
    column, its tag), with the features computed by underthesea_core's compiled ``CRFFeaturizer``
    over the predictor's own template instead of underthesea's Python loop (which rebuilds every
    column of the sentence for every feature of every word)."""
    from underthesea.pipeline.ner.tagged_feature import text_istitle

    if not rows:
        return []
    featurizer, titles = _featurizer(predictor, len(rows[0]))
    # The rows as underthesea's predictors build them (a placeholder tag column), and the title
    # column the featurizer reads in place of its own ``istitle`` (see _featurizer).
    x = featurizer.process([[[*row, "X", str(text_istitle(row[0]))] for row in rows]])[0]
    for features in x:
        for p, prefix in titles:
            features[p] = prefix + features[p].partition("=")[2]
    return [(*row, tag) for row, tag in zip(rows, predictor.model.tag(x))]


_FEATURIZERS: dict[tuple[int, int], tuple] = {}


def _featurizer(predictor, width: int):
    """The compiled featurizer of a predictor's template over rows of ``width`` columns, and where to
    put back the ``istitle`` features. underthesea_core's ``istitle`` differs from the Python one
    these models were trained with on a word that does not start with a letter ("12", ",": True
    against False), so the featurizer reads underthesea's value from an extra column ("T[-1].istitle"
    becomes "T[-1][c]") and the feature gets its own name back."""
    key = (id(predictor), width)
    if key not in _FEATURIZERS:
        from underthesea_core import CRFFeaturizer

        column = width + 1                     # after the words' columns and the placeholder tag
        template, titles = [], []
        for p, name in enumerate(predictor.transformer.template):
            if name.endswith(".istitle"):
                titles.append((p, f"{name}="))
                name = f"{name.removesuffix('.istitle')}[{column}]"
            template.append(name)
        _FEATURIZERS[key] = (CRFFeaturizer(template, set()), tuple(titles))
    return _FEATURIZERS[key]


# underthesea's feature modules of its chunking, NER and 2017 POS CRFs: each loads the Viet74K word
# list twice at import (a list and a lower-cased set, about 15 MB a module, 45 MB in all: the largest
# part of a run's memory) for the ``is_in_dict`` feature, which none of their templates uses.
WORD_LIST_MODULES = ("chunking", "ner", "pos_tag")


def release_unused_word_lists() -> None:
    """Empty those word lists when no model of the module reads them (its source never names
    ``is_in_dict`` outside the feature module itself): underthesea is imported whole by any of its
    pipelines, so the lists are loaded even by a process that only segments words."""
    import inspect

    for name in WORD_LIST_MODULES:
        features = importlib.import_module(f"underthesea.pipeline.{name}.tagged_feature")
        model = importlib.import_module(f"underthesea.pipeline.{name}.model_crf")
        if "is_in_dict" not in inspect.getsource(model) and features.lower_words:
            features.words, features.lower_words = [], set()


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


def _segmenter():
    """underthesea's word segmentation CRF, as ``word_tokenize`` loads it (one copy per process, shared
    with underthesea's own ``word_tokenize``)."""
    module = importlib.import_module("underthesea.pipeline.word_tokenize")
    if module.word_tokenize_model is None:
        module.word_tokenize_model = _load_crf(module, SEGMENTER_MODEL) or module.word_tokenize_model
        if module.word_tokenize_model is None:
            module.word_tokenize("Khởi động")
    return module.word_tokenize_model


def _tagger():
    """underthesea's v2.0 POS CRF, as ``pos_tag(..., model="v2.0")`` loads it on its first call."""
    module = importlib.import_module("underthesea.pipeline.pos_tag")
    if module.pos_model_v2 is None:
        module.pos_model_v2 = _load_crf(module, TAGGER_MODEL) or module.pos_model_v2
        if module.pos_model_v2 is None:
            module.pos_tag("Khởi động", model="v2.0")
    return module.pos_model_v2


# The model folders underthesea's word_tokenize and pos_tag(model="v2.0") load, beside their modules.
SEGMENTER_MODEL = "ws_crf_vlsp2013_20230727"
TAGGER_MODEL = "pos_crf_vlsp2013_20230303"


def _load_crf(module, name: str):
    """underthesea's ``FastCRFSequenceTagger.load`` of ``models/<name>`` beside ``module``, with its
    feature template and word list read by the C unpickler: joblib reads them with pickle's Python
    implementation (0.1 s for the 74,000 words, in every process). They are plain pickles of a list
    and a set of strings (joblib.dump of objects without arrays); None when the folder or either
    file is not that, and underthesea then loads the model itself."""
    import pickle
    from pathlib import Path

    from underthesea.models.fast_crf_sequence_tagger import FastCRFSequenceTagger
    from underthesea_core import CRFFeaturizer, CRFTagger

    model = FastCRFSequenceTagger()
    folder = Path(module.__file__).parent / "models" / name
    try:
        with open(folder / model.path_features, "rb") as f:
            features = pickle.load(f)
        with open(folder / model.path_dictionary, "rb") as f:
            dictionary = pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
        return None
    if not isinstance(features, list) or not isinstance(dictionary, set) \
            or not all(isinstance(x, str) for x in features):
        return None
    model.estimator = CRFTagger()
    model.estimator.load(str(folder / model.path_model))
    model.featurizer = CRFFeaturizer(features, dictionary)
    return model
