"""Looking at sources before they join the scheduled runs: check reachability, preview a few articles."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from run import ingest, work
from pipeline.errors import ArticleError
from pipeline.sources import SourceConfig


@dataclass
class SourceCheck:
    key: str
    kind: str
    location: str
    ok: bool
    detail: str


@dataclass
class PreviewItem:
    key: str
    status: str
    error: str | None = None
    title: str | None = None
    first_lines: list[str] = field(default_factory=list)
    facts: list[dict] = field(default_factory=list)
    officials: list[dict] = field(default_factory=list)
    province: str | None = None
    warnings: list[str] = field(default_factory=list)
    language: str | None = None               # the guess (vi | other | null: too short to tell) …
    vietnamese_share: float | None = None     # … and the share of Vietnamese syllables it rests on


def check_source(source: SourceConfig) -> SourceCheck:
    """Whether a source can be listed now, and how many articles it lists."""
    started = time.monotonic()
    try:
        refs = ingest.list_refs(source)
    except ArticleError as exc:
        return SourceCheck(source.key, source.kind, source.location, False, str(exc))
    seconds = time.monotonic() - started
    if not refs:
        return SourceCheck(source.key, source.kind, source.location, False, "reachable, but lists no article")
    return SourceCheck(source.key, source.kind, source.location, True,
                       f"{len(refs)} articles listed in {seconds:.1f} s, e.g. {refs[0].location}")


def preview_source(source: SourceConfig, limit: int = 3, lines: int = 5) -> list[PreviewItem]:
    """Fetch and extract the first ``limit`` articles of a source, writing nothing anywhere."""
    out = []
    for ref in ingest.list_refs(source)[:limit]:
        item = work.process_ref(source, ref, {})
        if item.result is None:     # refused: what the cleaner left, if it got that far, and the language guess
            seen = item.seen
            out.append(PreviewItem(ref.key, item.status, item.error, first_lines=_lines(seen.text, lines) if seen else [],
                                   language=seen.language.language if seen else None,
                                   vietnamese_share=_share(seen.language) if seen else None))
            continue
        r = item.result
        out.append(PreviewItem(ref.key, item.status, None, r.title, _lines(r.text, lines), r.facts, r.officials,
                               r.province.legacy if r.province else None, r.warnings,
                               r.language.language if r.language else None, _share(r.language)))
    return out


def _lines(text: str, lines: int) -> list[str]:
    return [line for line in text.split("\n") if line][:lines]


def _share(guess) -> float | None:
    return round(guess.vietnamese_share, 4) if guess else None
