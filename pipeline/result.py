"""What one article yields: the result the normalise stage makes and the store keeps.

Plain data (dicts of the CLI contract, docs/DESIGN.md) that crosses processes and machines. It lives
apart from :mod:`pipeline.normalise` so that the store, which keeps it, depends on no extractor.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from gazetteer.resolve import ProvinceRef
from pipeline.language import LanguageGuess
from pipeline.simhash import simhash


@dataclass
class ArticleResult:
    article: str
    text: str
    text_hash: str
    title: str | None
    published: str | None
    province: ProvinceRef | None
    facts: list[dict] = field(default_factory=list)
    officials: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    extractor_version: str = ""   # the extractors that made the facts (stored with them)
    language: LanguageGuess | None = None     # set by the door (pipeline.process), stored with the article
    _simhash: int | None = field(default=None, repr=False, compare=False)

    @property
    def simhash(self) -> int:
        """The SimHash of the body (the text without its headline), for near-duplicate links: worked
        out when first asked for. Only the store asks: ``vnfacts extract`` never computes it; a run of
        one worker leaves it to its writer, which has a core to spare (the worker is what that run
        waits for); with several workers, they compute it before handing the result over, as the one
        writer is then what the run waits for (``simhash_in_workers`` of :mod:`run.runner`'s executors)."""
        if self._simhash is None:
            self._simhash = simhash(body_of(self.text))
        return self._simhash

    def article_record(self) -> dict:
        return {"type": "article", "article": self.article,
                "province": self.province.as_dict() if self.province else None,
                "published": self.published, "title": self.title}

    def records(self) -> list[dict]:
        return [self.article_record(), *self.officials, *self.facts]


def body_of(text: str) -> str:
    """The text without its first line: a re-posted article often gets a new headline."""
    head, _, body = text.partition("\n")
    return body or head
