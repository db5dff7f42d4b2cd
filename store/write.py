"""Writing to the fact store: sources, articles with their facts and officials, failures.

Each article is written in one transaction. Re-writing an article whose content and extractor
version are unchanged changes nothing; a new extractor version adds a new generation of facts
(older generations stay, so reviews keep their history; ``facts_current`` shows the newest).
A changed text or a new version re-points the article's review decisions in the same transaction
(``reviews.reattach``: by what each decided number is, not by its offsets), materialises the reviewer
additions in force, and leaves the rest as orphans — never an error.

Text going into the database is made storable first (no NUL, no lone surrogates, bounded lengths
where the column has one), so that no value of an article can fail its transaction.
"""
from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from dataclasses import dataclass

from sqlalchemy import bindparam, delete, insert, or_, select, text, update
from sqlalchemy.orm import Session

from settings import thresholds
from pipeline.fetch import RawArticle
from pipeline.language import LanguageGuess
from pipeline.result import ArticleResult
from pipeline.simhash import bands, distance, to_signed, to_unsigned
from pipeline.sources import SourceConfig
from store import reviews
from store.models import Article, Fact, Official, OfficialMention, Review, Source


@dataclass
class Written:
    article_key: str
    status: str          # ok | failed | quarantined | unchanged | duplicate
    facts: int = 0
    error: str | None = None


def _insert_ignore(session: Session, table, values: dict, keys: list[str]) -> None:
    """INSERT … ON CONFLICT DO NOTHING: two runs creating the same row never fail, one row results."""
    session.execute(_insert_ignore_statement(session.get_bind().dialect.name, table, tuple(keys)), values)


@functools.cache
def _insert_ignore_statement(dialect: str, table, keys: tuple[str, ...]):
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    return dialect_insert(table).on_conflict_do_nothing(index_elements=list(keys))


def sync_source(session: Session, cfg: SourceConfig) -> Source:
    _insert_ignore(session, Source.__table__, {"key": cfg.key, "kind": cfg.kind, "location": cfg.location,
                                               "config": cfg.raw, "enabled": cfg.enabled,
                                               "updated_at": dt.datetime.now(dt.timezone.utc)}, ["key"])
    row = session.scalars(select(Source).where(Source.key == cfg.key)).one()
    row.kind, row.location, row.province_hint, row.enabled = cfg.kind, cfg.location, cfg.province, cfg.enabled
    row.config = cfg.raw
    session.flush()
    return row


def save_article(session: Session, source_id: int, raw: RawArticle, result: ArticleResult, force: bool = False) -> Written:
    """Store a processed article with its facts and officials (the caller commits). ``force`` writes
    even an unchanged article again (re-processing after a change of cleaning rules)."""
    _lock_twins(session, result.text_hash, result.simhash)
    row = _article_row(session, source_id, raw.article)
    if not force and row.status == "ok" and row.raw_hash == raw.content_hash \
            and row.extractor_version == result.extractor_version:
        return Written(raw.article, "unchanged")
    first_time = not row.attempts and row.extractor_version is None     # created just now: nothing to replace
    province = result.province
    row.url, row.title = db_text(raw.url), db_text(result.title)
    row.published = _date(result.published)
    row.raw_hash, row.raw_content, row.raw_is_html = raw.content_hash, db_text(raw.content), raw.is_html
    row.cleaned_text, row.text_hash = db_text(result.text), result.text_hash
    _keep_language(row, result.language)
    row.province_legacy_code = province.legacy_code if province else None
    row.province_current_code = province.current_code if province else None
    row.status, row.error, row.warnings = "ok", None, [db_text(w) for w in result.warnings]
    row.last_failure = row.last_failure_at = None
    row.extractor_version = result.extractor_version
    row.attempts = (row.attempts or 0) + 1
    row.fetched_at = dt.datetime.now(dt.timezone.utc)
    row.etag = _fits(raw.meta.get("etag"), Article.etag)
    row.last_modified = _fits(raw.meta.get("last_modified"), Article.last_modified)
    h = result.simhash
    row.simhash = to_signed(h)
    row.simhash_band0, row.simhash_band1, row.simhash_band2, row.simhash_band3 = bands(h)
    session.flush()
    row.duplicate_of_id = _twin(session, row, h)
    version = {"the_article": row.id, "version": result.extractor_version}
    links: dict[int, int | None] = {}
    if not first_time:
        # Decisions name their number by what it is; their links let go of every fact here and are re-pointed below.
        links = reviews.links_of(session, row.id)
        if links:
            session.execute(_UNLINK_REVIEWS, {"the_article": row.id})
        session.execute(_DELETE_FACTS, version)
        session.execute(_DELETE_MENTIONS, version)
    if row.duplicate_of_id is not None:  # the same (or nearly the same) text is stored: linked, not extracted twice
        return Written(raw.article, "duplicate")
    facts = [_fact(row, record) for record in result.facts]
    if facts:       # one executemany INSERT, not one ORM flush per fact
        session.execute(_INSERT_FACT, facts)
    if links:     # a new article, or one nobody reviewed, has nothing to re-attach
        reviews.reattach(session, row, links)
    mentions = []
    for person in result.officials:
        official = _official(session, person["name"], row.province_legacy_code, person["rank"], person["titles"])
        mentions.append(dict(official_id=official.id, article_id=row.id, extractor_version=result.extractor_version,
                             rank=person["rank"], titles=person["titles"], province_legacy_code=row.province_legacy_code,
                             start=person["start"], end=person["end"], found_by=person["found_by"],
                             appearances=person["appearances"]))
    session.flush()
    if mentions:
        session.execute(_INSERT_MENTION, mentions)
    return Written(raw.article, "ok", facts=len(facts))


# The statements every article runs, built once (building SQLAlchemy expressions costs more than SQLite
# takes to run them; the compiled form is cached by SQLAlchemy either way).
_UNLINK_REVIEWS = update(Review).where(Review.article_id == bindparam("the_article")).values(fact_id=None) \
    .execution_options(synchronize_session=False)
_DELETE_FACTS = delete(Fact).where(Fact.article_id == bindparam("the_article"), Fact.extractor_version == bindparam("version")) \
    .execution_options(synchronize_session=False)
_DELETE_MENTIONS = delete(OfficialMention).where(OfficialMention.article_id == bindparam("the_article"),
                                                 OfficialMention.extractor_version == bindparam("version")) \
    .execution_options(synchronize_session=False)
_INSERT_FACT = insert(Fact.__table__)
_INSERT_MENTION = insert(OfficialMention.__table__)


# Namespaces (the first key) of the two-part advisory locks taken while looking for an article's twin.
TEXT_LOCK, BAND_LOCK = 15_001, 15_010


def _lock_twins(session: Session, text_hash: str, h: int) -> None:
    """On PostgreSQL, transaction-scoped advisory locks on the text hash and on each SimHash band,
    taken before anything else of the article and in one global order (no deadlock between them).

    Two texts within ``SIMHASH_MAX_DISTANCE`` (< number of bands) bits share at least one band, so two
    runs storing a text and its near-duplicate at the same time take turns, and the second sees the
    first's committed row and links to it (SQLite has one writer anyway)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    keys = sorted({(TEXT_LOCK, int(text_hash[:8], 16) - 2**31)} | {(BAND_LOCK + i, b) for i, b in enumerate(bands(h))})
    session.execute(_TWIN_LOCKS, {"namespaces": [n for n, _ in keys], "keys": [k for _, k in keys]})


# All of an article's locks in one statement, in the global order: PostgreSQL evaluates a volatile
# function of the select list after the ORDER BY (9.6 and later), so they are taken one by one, sorted.
_TWIN_LOCKS = text("SELECT pg_advisory_xact_lock(n, k) FROM unnest(CAST(:namespaces AS integer[]), "
                   "CAST(:keys AS integer[])) AS t(n, k) ORDER BY n, k")


def _twin(session: Session, row: Article, h: int) -> int | None:
    """An earlier stored article with the same text, or one within a few SimHash bits of it (the
    caller holds the locks of :func:`_lock_twins`)."""
    same = session.scalars(_SAME_TEXT, {"text_hash": row.text_hash, "id": row.id}).first()
    if same is not None:
        return same
    b = bands(h)
    candidates = session.execute(_BAND_TWINS, {"id": row.id, "b0": b[0], "b1": b[1], "b2": b[2], "b3": b[3]})
    return next((cid for cid, ch in candidates if ch is not None and distance(to_unsigned(ch), h) <= thresholds.SIMHASH_MAX_DISTANCE), None)


_SAME_TEXT = select(Article.id).where(Article.text_hash == bindparam("text_hash"), Article.id != bindparam("id"),
                                      Article.status == "ok", Article.duplicate_of_id.is_(None)).order_by(Article.id).limit(1)
_BAND_TWINS = select(Article.id, Article.simhash).where(
    or_(Article.simhash_band0 == bindparam("b0"), Article.simhash_band1 == bindparam("b1"),
        Article.simhash_band2 == bindparam("b2"), Article.simhash_band3 == bindparam("b3")),
    Article.id != bindparam("id"), Article.status == "ok", Article.duplicate_of_id.is_(None),
    Article.id < bindparam("id")).order_by(Article.id)


def save_failure(session: Session, source_id: int, article_key: str, error: str, status: str = "failed",
                 raw: RawArticle | None = None, cleaned_text: str | None = None,
                 language: LanguageGuess | None = None) -> Written:
    """Keep an article that could not be processed, with its status and error, for the next run, and
    what was seen of it (its cleaned text and language guess), so that someone can read why.

    An article whose last good version is stored keeps it, and its facts stay current: the failure is
    recorded beside it (``last_failure``), not instead of it."""
    error = one_line(error)
    row = _article_row(session, source_id, article_key)
    row.attempts = (row.attempts or 0) + 1
    if row.status == "ok" and row.cleaned_text is not None:
        row.last_failure, row.last_failure_at = f"{status}: {error}", dt.datetime.now(dt.timezone.utc)
        session.flush()
        return Written(article_key, status, error=error)
    row.status, row.error = status, error
    if raw is not None:
        row.raw_hash, row.url = raw.content_hash, db_text(raw.url)
        row.raw_content = db_text(raw.content) if len(raw.content) < 5_000_000 else None
        row.raw_is_html = raw.is_html
    row.cleaned_text = db_text(cleaned_text)       # never an older text's: it would not be this one's
    _keep_language(row, language)
    session.flush()
    return Written(article_key, status, error=error)


def _keep_language(row: Article, guess: LanguageGuess | None) -> None:
    row.language = guess.language if guess else None
    row.vietnamese_share = round(guess.vietnamese_share, 4) if guess else None


def record_source_run(session: Session, source_id: int, error: str | None) -> None:
    """How the latest run of a source went: ``ok``, or ``failed`` with why it could not be listed."""
    row = session.get(Source, source_id)
    row.last_status, row.last_error = ("failed", one_line(error)) if error else ("ok", None)
    row.last_run_at = dt.datetime.now(dt.timezone.utc)
    session.flush()


def db_text(value: str | None) -> str | None:
    """Text every database stores: NUL removed (PostgreSQL refuses it), lone surrogates (from
    undecodable file names) replaced."""
    if value is None:
        return None
    value = value.replace("\x00", "")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        try:
            value = value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        except UnicodeEncodeError:      # a surrogate that no decoder escaped
            value = value.encode("utf-8", "replace").decode("utf-8")
    return value


def one_line(message: str, limit: int | None = None) -> str:
    """A reason as stored: storable, on one line, at most ``ERROR_MAX_CHARS`` characters."""
    limit = limit or thresholds.ERROR_MAX_CHARS
    line = " ".join((db_text(str(message)) or "").split())
    return line if len(line) <= limit else line[:limit - 1] + "…"


def _fits(value: str | None, column) -> str | None:
    """A value for a bounded column, or null when it does not fit (an over-long ETag is not a usable
    validator; the page is then fetched whole next time)."""
    value = db_text(value)
    length = column.property.columns[0].type.length
    return value if value is not None and len(value) <= length else None


def _article_row(session: Session, source_id: int, key: str) -> Article:
    """The article's row, created if missing, locked for this transaction (a concurrent run waits,
    then sees what this one stored)."""
    now = dt.datetime.now(dt.timezone.utc)
    _insert_ignore(session, Article.__table__, {"source_id": source_id, "article_key": key, "status": "failed",
                                                "attempts": 0, "warnings": [], "fetched_at": now, "updated_at": now},
                   ["source_id", "article_key"])
    return session.scalars(_ARTICLE_ROW, {"source_id": source_id, "key": key}).one()


_ARTICLE_ROW = select(Article).where(Article.source_id == bindparam("source_id"), Article.article_key == bindparam("key")) \
    .with_for_update().execution_options(populate_existing=True)


def _fact(article: Article, r: dict) -> dict:
    value = r["value"]
    if r["kind"] == "ratio":
        value = r["numerator"] / r["denominator"] if r["denominator"] else None
    return dict(
        article_id=article.id, extractor_version=r["extractor_version"], kind=r["kind"], value=value,
        numerator=r["numerator"], denominator=r["denominator"], unit=r["unit"], qualifier=r["qualifier"],
        role=r["role"], direction=r["direction"], baseline=r["baseline"], period=r["period"],
        period_start=_date(r["period_start"]), period_end=_date(r["period_end"]), as_of=r["as_of"],
        negated=r["negated"], concept=r["concept"], indicator=r["indicator"],
        province_legacy_code=article.province_legacy_code, province_current_code=article.province_current_code,
        subject=r["subject"], evidence=r["evidence"], evidence_start=r["evidence_start"], evidence_end=r["evidence_end"],
        value_start=r["start"], value_end=r["end"], created_at=dt.datetime.now(dt.timezone.utc),
        mention_count=len(r.get("mentions") or ()) or 1, mention_spans=r.get("mentions"), percent_of=r.get("percent_of"),
    )


def name_key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).lower().split())


def _official(session: Session, name: str, province: str | None, rank: str | None, titles: list[str]) -> Official:
    """The registry row of a person: same normalised name and a compatible province (or none known)."""
    key = name_key(name)
    candidates = session.scalars(select(Official).where(Official.name_key == key)).all()
    match = next((o for o in candidates if o.province_key == (province or "")), None) \
        or next((o for o in candidates if not o.province_key or not province), None)
    if match is None:
        _insert_ignore(session, Official.__table__, {"name": name, "name_key": key, "province_key": province or "",
                                                     "rank": rank, "titles": list(titles)}, ["name_key", "province_key"])
        match = session.scalars(select(Official).where(Official.name_key == key,
                                                       Official.province_key == (province or ""))).one()
    match.rank = rank or match.rank
    match.titles = list(dict.fromkeys([*(match.titles or []), *titles]))
    if province and not match.province_key:
        match.province_key = province
    return match


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
