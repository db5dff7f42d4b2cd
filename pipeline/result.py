"""What one article yields: the result the normalise stage makes and the store keeps.

Plain data (dicts of the CLI contract, docs/DESIGN.md) that crosses processes and machines. It lives
apart from :mod:`pipeline.normalise` so that the store, which keeps it, depends on no extractor.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from gazetteer.resolve import ProvinceRef
from pipeline.language import LanguageGuess


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
    simhash: int = 0              # of the body (without the headline), for near-duplicate links
    extractor_version: str = ""   # the extractors that made the facts (stored with them)
    language: LanguageGuess | None = None     # set by the door (pipeline.process), stored with the article

    def article_record(self) -> dict:
        return {"type": "article", "article": self.article,
                "province": self.province.as_dict() if self.province else None,
                "published": self.published, "title": self.title}

    def records(self) -> list[dict]:
        return [self.article_record(), *self.officials, *self.facts]
