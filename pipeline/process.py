"""The one door for an article: raw → html → clean → language check → analyse → extract → normalise,
under the per-article time limit (the stages are :func:`pipeline.extract.clean_article`, the
language guess of :mod:`pipeline.language`, :func:`pipeline.extract.find_mentions`, then
:func:`pipeline.normalise.normalise`).

Every path that turns an article into facts — ``vnfacts extract``, ``eval``, ``run`` (with and
without Prefect), ``bench``, ``sources preview``, ``reprocess`` and the tests — calls
:func:`process_article`, so they cannot drift apart.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from extractors.deadline import time_limit
from pipeline.clean import CleaningRules
from pipeline.errors import ArticleError
from pipeline.extract import Cleaned, clean_article, find_mentions
from pipeline.fetch import RawArticle, file_key, read_file
from pipeline.language import LanguageGuess, guess_language
from pipeline.normalise import normalise
from pipeline.result import ArticleResult
from settings import thresholds


class TimeLimitExceeded(ArticleError):
    """The article took longer than the per-article time limit (it is quarantined, the run goes on)."""


@dataclass
class Seen:
    """What was made of an article before it was refused: the cleaned text and its language guess
    (stored with a quarantined or failed article, so that someone can read what the cleaner left)."""
    text: str
    language: LanguageGuess


@dataclass
class Processed:
    """What became of one article: ``ok`` with its raw article and result, ``unchanged`` (stored
    already, not processed again), or ``quarantined``/``failed`` with a reason (and the raw article
    when it was read, and what was seen of it when cleaning got that far; an ``ok`` result carries
    its own text and guess). Plain data that crosses processes and machines, for the store to write."""
    key: str
    status: str                   # ok | unchanged | quarantined | failed
    raw: RawArticle | None = None
    result: ArticleResult | None = None
    error: str | None = None
    seen: Seen | None = None


def process_article(raw: RawArticle, rules: CleaningRules | None = None, province_hint: str | None = None,
                    language: str | None = "vi", timings: dict[str, float] | None = None,
                    seconds: float | None = None) -> ArticleResult:
    """The article's result; raises :class:`ArticleError` when the article cannot be processed
    (binary text, text not in ``language`` — checked on the cleaned text before any analysis —, a
    time limit) — the caller keeps it with that reason. Any exception raised after cleaning carries
    ``seen`` (:class:`Seen`), which :func:`outcome` keeps."""
    limit = thresholds.ARTICLE_TIME_LIMIT_S if seconds is None else seconds
    cleaned: Cleaned | None = None
    guess: LanguageGuess | None = None
    try:
        with time_limit(limit):
            cleaned = clean_article(raw, rules, timings)
            guess = guess_language(cleaned.text)
            check_language(language, guess)
            result = normalise(find_mentions(raw, cleaned, province_hint, timings))
            result.language = guess
            return result
    except TimeoutError:
        refused = TimeLimitExceeded(f"time limit ({limit:g} s) exceeded")
        refused.seen = _seen(cleaned, guess)
        raise refused from None
    except Exception as exc:
        exc.seen = _seen(cleaned, guess)
        raise


def _seen(cleaned: Cleaned | None, guess: LanguageGuess | None) -> Seen | None:
    if cleaned is None:
        return None
    return Seen(cleaned.text, guess or guess_language(cleaned.text))


def check_language(language: str | None, guess: LanguageGuess) -> None:
    """``language: vi``: most words of a Vietnamese article are Vietnamese syllables (a text too
    short to tell passes)."""
    if language == "vi" and guess.language == "other":
        raise ArticleError(f"not Vietnamese text ({guess.vietnamese_share:.0%} of words are Vietnamese syllables)")


def outcome(raw: RawArticle, rules: CleaningRules | None = None, province_hint: str | None = None,
            language: str | None = "vi", timings: dict[str, float] | None = None) -> Processed:
    """:func:`process_article` with every failure turned into a status and a reason.

    An :class:`ArticleError` is a property of the article (``quarantined``: retried only when it
    changes); any other exception is an extractor bug (``failed``: retried on the next run)."""
    try:
        return Processed(raw.article, "ok", raw, process_article(raw, rules, province_hint, language, timings))
    except ArticleError as exc:
        return Processed(raw.article, "quarantined", raw, error=str(exc), seen=getattr(exc, "seen", None))
    except Exception as exc:  # an extractor bug must not stop the run; the article is kept and retried
        return Processed(raw.article, "failed", raw, error=f"{type(exc).__name__}: {exc}",
                         seen=getattr(exc, "seen", None))


def process_file(path: Path, province_hint: str | None = None) -> list[dict]:
    """The contract records of one article file (``vnfacts extract``, ``eval``): article, officials
    and facts, or one ``error`` record saying why not. No database is involved."""
    try:
        raw = read_file(path)
    except ArticleError as exc:
        return [{"type": "error", "article": file_key(path), "error": str(exc)}]
    done = outcome(raw, province_hint=province_hint)
    if done.result is None:
        return [{"type": "error", "article": raw.article, "error": done.error}]
    return done.result.records()


def process_files(paths: list[Path], province_hint: str | None = None) -> list[list[dict]]:
    """:func:`process_file` over a batch of files (what a worker of ``vnfacts extract --workers N``
    is given: plain paths in, plain records out)."""
    return [process_file(path, province_hint) for path in paths]


WARM_UP_TEXT = ("Ông Nguyễn Văn A, Chủ tịch UBND tỉnh Hà Giang, cho biết năm 2024 đạt 86,7%, tăng 3% so với "
                "năm 2023, với 1.200 hồ sơ.\nToàn tỉnh cấp 1.200 thẻ căn cước, đạt 95% kế hoạch.")


_warm = False


def warm_up() -> None:
    """Load what every article needs — the gazetteer patterns, the spaCy pipeline, underthesea's CRF
    models — now, once per process, rather than inside the first article (whose time limit would pay
    for it): a run before its first article, each worker process, the benchmark before its clock."""
    global _warm
    if _warm:
        return
    from extractors.tokens import warm_up as warm_tokens

    warm_tokens()
    outcome(RawArticle("warm-up", WARM_UP_TEXT, False, content_hash="warm-up"))
    _warm = True
