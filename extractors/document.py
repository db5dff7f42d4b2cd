"""The document model every extractor reads: paragraphs and sentences with exact offsets into
the cleaned text, and the article's headline.

Sentence splitting is a regex pass (exact offsets, no re-tokenisation).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import regex

import gazetteer
from settings import thresholds

# A sentence ends at . ! ? … (and any closing quotes or brackets) followed by a space and a capital,
# a digit or an opening quote; or at a full stop glued to the next capitalised word ("%).Kết").
SENTENCE_END = regex.compile(
    r"""
      (?P<stop>[.!?…]+[”"'»)\]]*)(?P<gap>\s+)(?=[\p{Lu}\d“"'«(\[*•\-–])   # e.g. "… 86,7%. Đến nay"
    | (?<=[\p{Ll}\d%)\]”"])(?P<stop2>[.!?])(?=\p{Lu}\p{Ll})               # e.g. "… 90%).Kết quả"
    """,
    regex.VERBOSE,
)
# The word that ends a sentence's text (searched from the end: the same run, without a scan from its start).
WORD_BEFORE = regex.compile(r"([\p{L}.]+)$", regex.REVERSE)


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
    # The token layer's spaCy Doc of each sentence that an extractor asked about, by sentence index
    # (made on first request by extractors.tokens.sentence_doc, then shared by every extractor).
    docs: dict = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def sentence_starts(self) -> list[int]:
        """The start of each sentence, in order (for bisecting an offset to its sentence)."""
        return [s.start for s in self.sentences]

    @cached_property
    def paragraph_starts(self) -> list[int]:
        """The start of each paragraph, in order."""
        return [a for a, _ in self.paragraphs]

    def sentence_at(self, offset: int) -> Sentence:
        for s in self.sentences:
            if s.start <= offset < s.end:
                return s
        return self.sentences[-1]


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
    # A run-on "sentence" (a table flattened into one line, text without punctuation) is read in
    # windows of at most MAX_SENTENCE_CHARS, cut at a clause break or a space, so that no cue scan
    # ever grows with the length of the text.
    while b - a > thresholds.MAX_SENTENCE_CHARS:
        limit = a + thresholds.MAX_SENTENCE_CHARS
        cut = max(line.rfind(";", a, limit), line.rfind(",", a, limit), line.rfind(" ", a, limit))
        cut = cut + 1 if cut > a + thresholds.MAX_SENTENCE_CHARS // 2 else limit
        _add(sentences, line, base, a, cut, paragraph)
        a = cut
        while a < b and line[a].isspace():
            a += 1
    if b > a:
        sentences.append(Sentence(base + a, base + b, line[a:b], paragraph, len(sentences)))
