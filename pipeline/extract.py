"""The extract stage: one raw article in, its cleaned text and every mention the extractors find.

No database here: ``vnfacts extract``, the flow and the benchmark all call :func:`extract_article`.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field

from extractors.concepts import Indicator, classify
from extractors.officials import FoundOfficial, find_officials
from extractors.periods import article_date, document_year
from extractors.places import ProvinceRef, article_province
from extractors.quantities import Quantity, find_quantities
from extractors.semantics import Semantics, interpret
from extractors.document import Analysis, analyse
from pipeline.clean import CleaningRules, clean_text, remove_controls
from pipeline.errors import ArticleError
from pipeline.fetch import RawArticle
from pipeline.html import html_to_text
from pipeline.published import published_day
from settings import thresholds


@dataclass
class Mentions:
    article: str
    analysis: Analysis
    published: str | None
    province: ProvinceRef | None
    year: int | None
    quantities: list[Quantity]
    semantics: list[Semantics]
    indicators: list[Indicator]
    officials: list[FoundOfficial]
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.analysis.text

    @property
    def text_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def rules_from_meta(meta: dict, base: CleaningRules | None = None) -> CleaningRules:
    """A sidecar may add cleaning rules for its article (same keys as a source's ``clean:``)."""
    rules = CleaningRules(**vars(base)) if base else CleaningRules()
    clean = meta.get("clean") or {}
    rules.replace = {**rules.replace, **(clean.get("replace") or {})}
    rules.remove_selectors = list(rules.remove_selectors) + list(clean.get("remove_selectors") or [])
    return rules


class _Stopwatch:
    """Adds the time spent in each stage to ``timings`` (the benchmark's per-stage shares)."""

    def __init__(self, timings: dict[str, float] | None):
        self.timings = timings
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        if self.timings is not None:
            now = time.perf_counter()
            self.timings[stage] = self.timings.get(stage, 0.0) + now - self.last
            self.last = now


@dataclass
class Cleaned:
    """What the cleaner left of a raw article: the text every offset refers to, the date a page
    carried and the cleaning warnings. Kept with the article whatever becomes of it."""
    text: str
    stated: str | None            # the publication date an HTML page states (published_day weighs it)
    warnings: list[str]


def clean_article(raw: RawArticle, rules: CleaningRules | None = None,
                  timings: dict[str, float] | None = None) -> Cleaned:
    watch = _Stopwatch(timings)
    rules = rules_from_meta(raw.meta, rules)
    stated = None
    content, warnings = remove_controls(raw.content)     # before HTML parsing too: lxml refuses NUL
    if raw.is_html:
        page = html_to_text(content, rules.remove_selectors)
        content, stated = page.text, page.published
    cleaned = clean_text(content, rules)
    watch.lap("clean")
    return Cleaned(cleaned.text, stated, [*raw.warnings, *warnings, *cleaned.warnings])


def find_mentions(raw: RawArticle, cleaned: Cleaned, province_hint: str | None = None,
                  timings: dict[str, float] | None = None) -> Mentions:
    watch = _Stopwatch(timings)
    stated = cleaned.stated
    analysis = analyse(cleaned.text)
    url = raw.url or raw.meta.get("url")
    day, _source = published_day(raw.meta.get("published"), stated, url, analysis.text)
    published = day.isoformat() if day else None
    written = article_date(analysis.text, published, url)
    year = written.year if written else document_year(analysis.text, published, analysis.title)
    watch.lap("analyse")
    quantities = find_quantities(analysis)
    watch.lap("quantities")
    semantics = interpret(analysis, quantities, year, written)
    watch.lap("semantics")
    indicators = classify(analysis, quantities, [s.role for s in semantics])
    watch.lap("concepts")
    province = article_province(analysis.text, raw.meta.get("province") or province_hint, url, written, analysis.title)
    officials = find_officials(analysis)
    watch.lap("officials_places")
    return Mentions(raw.article, analysis, published, province, year, quantities, semantics, indicators,
                    officials, list(cleaned.warnings))


def extract_article(raw: RawArticle, rules: CleaningRules | None = None, province_hint: str | None = None,
                    timings: dict[str, float] | None = None) -> Mentions:
    """Clean, then find every mention (the two steps :func:`pipeline.process.process_article` takes
    with the language check between them)."""
    return find_mentions(raw, clean_article(raw, rules, timings), province_hint, timings)
