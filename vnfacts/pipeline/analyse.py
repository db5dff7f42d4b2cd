"""Analysis: paragraphs and sentences with exact offsets, and word tokens where they are needed.

Sentence splitting is a regex pass (exact offsets, no re-tokenisation). Word segmentation and POS
tags come from underthesea and are computed lazily, per sentence, only for sentences an extractor
asks about, and wrapped in a spaCy ``Doc`` so spans keep their character offsets.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import regex

from vnfacts import gazetteer
from vnfacts import thresholds

# A sentence ends at . ! ? … (and any closing quotes or brackets) followed by a space and a capital,
# a digit or an opening quote; or at a full stop glued to the next capitalised word ("%).Kết").
SENTENCE_END = regex.compile(
    r"""
      (?P<stop>[.!?…]+[”"'»)\]]*)(?P<gap>\s+)(?=[\p{Lu}\d“"'«(\[*•\-–])   # e.g. "… 86,7%. Đến nay"
    | (?<=[\p{Ll}\d%)\]”"])(?P<stop2>[.!?])(?=\p{Lu}\p{Ll})               # e.g. "… 90%).Kết quả"
    """,
    regex.VERBOSE,
)
WORD_BEFORE = regex.compile(r"([\p{L}.]+)$")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int
    index: int


@dataclass
class Analysis:
    text: str
    title: str | None
    paragraphs: list[tuple[int, int]]
    sentences: list[Sentence]
    _tokens: dict[int, list[tuple[int, int, str, str]]] = field(default_factory=dict, repr=False)

    def sentence_at(self, offset: int) -> Sentence:
        for s in self.sentences:
            if s.start <= offset < s.end:
                return s
        return self.sentences[-1]

    def tokens(self, sentence: Sentence) -> list[tuple[int, int, str, str]]:
        """(start, end, word, POS tag) for the sentence's words, in article offsets (underthesea)."""
        if sentence.index not in self._tokens:
            self._tokens[sentence.index] = _pos_tokens(sentence.text, sentence.start)
        return self._tokens[sentence.index]

    def doc(self, sentence: Sentence):
        """The sentence as a spaCy Doc (underthesea words, POS in ``tag_``, offsets via ``token.idx``)."""
        from spacy.tokens import Doc

        toks = self.tokens(sentence)
        words = [w for _, _, w, _ in toks]
        spaces = [b < (toks[i + 1][0] if i + 1 < len(toks) else sentence.end) for i, (_, b, _, _) in enumerate(toks)]
        doc = Doc(_vocab(), words=words, spaces=spaces, tags=[t for *_, t in toks])
        return doc


@cache
def _vocab():
    import spacy

    return spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}}).vocab


def _pos_tokens(text: str, base: int) -> list[tuple[int, int, str, str]]:
    from underthesea import pos_tag

    out, cursor = [], 0
    for word, tag in pos_tag(text):
        # underthesea may change spacing inside a word; align on the word's first character run.
        pos = text.find(word, cursor)
        if pos < 0:
            first = word.split()[0] if word.split() else word
            pos = text.find(first, cursor)
            if pos < 0:
                continue
            end = pos + len(first)
        else:
            end = pos + len(word)
        out.append((base + pos, base + end, text[pos:end], tag))
        cursor = end
    return out


def analyse(text: str) -> Analysis:
    """Split cleaned text into paragraphs (lines) and sentences with article offsets."""
    abbreviations = gazetteer.abbreviations()
    paragraphs, sentences = [], []
    offset = 0
    for p_index, line in enumerate(text.split("\n")):
        start, end = offset, offset + len(line)
        offset = end + 1
        if not line.strip():
            continue
        paragraphs.append((start, end))
        cursor = 0
        for m in SENTENCE_END.finditer(line):
            stop_end = m.end("stop") if m.group("stop") else m.end("stop2")
            before = WORD_BEFORE.search(line[cursor:m.start()])
            if m.group("stop") and m.group("stop").startswith(".") and before and before.group(1).rstrip(".") in abbreviations:
                continue
            _add(sentences, line, start, cursor, stop_end, len(paragraphs) - 1)
            cursor = m.end()
        _add(sentences, line, start, cursor, len(line), len(paragraphs) - 1)
    title = None
    if paragraphs:
        first = text[paragraphs[0][0]:paragraphs[0][1]]
        if len(first) <= thresholds.TITLE_MAX_CHARS and not first.rstrip().endswith((".", "!", "?")):
            title = first.strip()
    return Analysis(text, title, paragraphs, sentences)


def _add(sentences: list[Sentence], line: str, base: int, a: int, b: int, paragraph: int) -> None:
    while a < b and line[a].isspace():
        a += 1
    while b > a and line[b - 1].isspace():
        b -= 1
    if b > a:
        sentences.append(Sentence(base + a, base + b, line[a:b], paragraph, len(sentences)))
