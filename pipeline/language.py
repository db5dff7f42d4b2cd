"""A language guess for a cleaned text, kept with every article whatever its status, so that a
quarantined article shows why the language check refused it.

vnfacts reads Vietnamese; the guess says only whether a text is Vietnamese (``vi``), is not
(``other``: which language it is instead is not vnfacts' business), or is too short to tell
(``None``) — with the share of its words that are Vietnamese syllables, the number the check used.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import islice

from pipeline.encoding import WORDS, vietnamese_share
from settings import thresholds


@dataclass(frozen=True)
class LanguageGuess:
    language: str | None          # vi | other | None (fewer than MIN_WORDS_FOR_LANGUAGE words)
    vietnamese_share: float       # of the words of the first few thousand characters

    def describe(self) -> str:
        """One line for people: ``vi (97% Vietnamese syllables)``."""
        return f"{self.language or 'too short to tell'} ({self.vietnamese_share:.0%} Vietnamese syllables)"


def guess_language(text: str) -> LanguageGuess:
    share = vietnamese_share(text)
    enough = thresholds.MIN_WORDS_FOR_LANGUAGE       # counted only up to what the guess needs
    if sum(1 for _ in islice(WORDS.finditer(text, 0, 6000), enough)) < enough:
        return LanguageGuess(None, share)
    return LanguageGuess("vi" if share >= thresholds.MIN_VIETNAMESE_SHARE else "other", share)
