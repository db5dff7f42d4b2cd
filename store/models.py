"""Typed SQLAlchemy models of the fact store (see docs/DESIGN.md, "Contracts", and docs/REFERENCE.md).

The shape follows statistical observations: what was measured (concept, indicator, kind, unit),
about which place (province codes), for which period (label, start, end, as_of), the value and its
denominator, and the provenance (article, evidence sentence and offsets, extractor version).
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import JSON, BigInteger, Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class Source(Base):
    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    location: Mapped[str] = mapped_column(Text)                 # folder path or URL
    province_hint: Mapped[Optional[str]] = mapped_column(String(100))
    config: Mapped[dict] = mapped_column(JSON, default=dict)    # the whole entry, cleaning rules included
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    last_status: Mapped[Optional[str]] = mapped_column(String(12))     # ok | failed: how its latest run went
    last_error: Mapped[Optional[str]] = mapped_column(Text)            # why it could not be listed (null when ok)
    last_run_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now, onupdate=_now)


class Article(Base):
    __tablename__ = "articles"
    __table_args__ = (UniqueConstraint("source_id", "article_key", name="uq_articles_source_key"),
                      Index("ix_articles_text_hash", "text_hash"),
                      # The reviewer's list reads its ids from this index alone, never the wide rows.
                      Index("ix_articles_list", "published", "id", "source_id", "province_legacy_code",
                            "province_current_code", "duplicate_of_id", "extractor_version", "updated_at"),
                      Index("ix_articles_province_id", "province_current_code", "province_legacy_code", "id"),
                      Index("ix_articles_source_id", "source_id", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    article_key: Mapped[str] = mapped_column(String(300))       # the file stem or a stable id of the URL
    url: Mapped[Optional[str]] = mapped_column(Text)
    title: Mapped[Optional[str]] = mapped_column(Text)
    published: Mapped[Optional[dt.date]] = mapped_column(Date)
    fetched_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    raw_hash: Mapped[Optional[str]] = mapped_column(String(64))
    raw_content: Mapped[Optional[str]] = mapped_column(Text)    # kept so cleaning can be re-run without fetching
    raw_is_html: Mapped[Optional[bool]] = mapped_column(Boolean)  # as its reader decided (a page, not plain text)
    cleaned_text: Mapped[Optional[str]] = mapped_column(Text)     # whatever the status, once cleaning ran
    language: Mapped[Optional[str]] = mapped_column(String(8))     # the guess: vi | other | null (too short to tell)
    vietnamese_share: Mapped[Optional[float]] = mapped_column(Float)   # share of words that are Vietnamese syllables
    text_hash: Mapped[Optional[str]] = mapped_column(String(64))
    province_legacy_code: Mapped[Optional[str]] = mapped_column(String(3))
    province_current_code: Mapped[Optional[str]] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(12), default="ok")   # ok | failed | quarantined
    error: Mapped[Optional[str]] = mapped_column(Text)
    warnings: Mapped[list] = mapped_column(JSON, default=list)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    extractor_version: Mapped[Optional[str]] = mapped_column(String(40))
    duplicate_of_id: Mapped[Optional[int]] = mapped_column(ForeignKey("articles.id"))
    etag: Mapped[Optional[str]] = mapped_column(String(200))                 # validators for conditional requests
    last_modified: Mapped[Optional[str]] = mapped_column(String(100))
    simhash: Mapped[Optional[int]] = mapped_column(BigInteger)               # near-duplicate detection
    simhash_band0: Mapped[Optional[int]] = mapped_column(Integer, index=True)
    simhash_band1: Mapped[Optional[int]] = mapped_column(Integer, index=True)
    simhash_band2: Mapped[Optional[int]] = mapped_column(Integer, index=True)
    simhash_band3: Mapped[Optional[int]] = mapped_column(Integer, index=True)
    # A later attempt that failed (a 503 on re-fetch, …) while the stored version stays current; null when
    # the latest attempt succeeded. ``error`` is the reason of a failed or quarantined article.
    last_failure: Mapped[Optional[str]] = mapped_column(Text)
    last_failure_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now, onupdate=_now)

    source: Mapped[Source] = relationship()
    facts: Mapped[list["Fact"]] = relationship(back_populates="article", cascade="all, delete-orphan")


class Fact(Base):
    __tablename__ = "facts"
    __table_args__ = (
        UniqueConstraint("article_id", "extractor_version", "kind", "value_start", "value_end", name="uq_facts_identity"),
        Index("ix_facts_concept", "concept"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    extractor_version: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(12))
    value: Mapped[Optional[float]] = mapped_column(Float)       # a ratio's value is numerator / denominator
    numerator: Mapped[Optional[float]] = mapped_column(Float)
    denominator: Mapped[Optional[float]] = mapped_column(Float)
    unit: Mapped[Optional[str]] = mapped_column(String(100))
    qualifier: Mapped[str] = mapped_column(String(10), default="exact")
    role: Mapped[str] = mapped_column(String(10), default="actual")
    direction: Mapped[Optional[str]] = mapped_column(String(10))
    baseline: Mapped[Optional[str]] = mapped_column(String(20))
    period: Mapped[Optional[str]] = mapped_column(String(20))
    period_start: Mapped[Optional[dt.date]] = mapped_column(Date)
    period_end: Mapped[Optional[dt.date]] = mapped_column(Date)
    as_of: Mapped[Optional[str]] = mapped_column(String(10))    # ISO date, or YYYY-MM when only the month is known
    negated: Mapped[bool] = mapped_column(Boolean, default=False)
    concept: Mapped[str] = mapped_column(String(60), default="other")
    indicator: Mapped[Optional[str]] = mapped_column(Text)
    subject: Mapped[Optional[str]] = mapped_column(String(200))     # the organisation credited with the figure
    province_legacy_code: Mapped[Optional[str]] = mapped_column(String(3))
    province_current_code: Mapped[Optional[str]] = mapped_column(String(3))
    evidence: Mapped[str] = mapped_column(Text)
    evidence_start: Mapped[int] = mapped_column(Integer)
    evidence_end: Mapped[int] = mapped_column(Integer)
    value_start: Mapped[int] = mapped_column(Integer)
    value_end: Mapped[int] = mapped_column(Integer)
    confidence: Mapped[Optional[float]] = mapped_column(Float)
    # One fact, many mentions: how often the article states it (headline, lead, captions, body) and where.
    mention_count: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    mention_spans: Mapped[Optional[list]] = mapped_column(JSON)     # [{place, start, end, evidence_start, evidence_end}]
    # What a percentage is of when it is not a rate of a population: plan | estimate | target | prior_period.
    percent_of: Mapped[Optional[str]] = mapped_column(String(20))
    # A reviewer's addition in force, materialised (the id of its 'add' review); null for extracted facts.
    added_by: Mapped[Optional[int]] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)

    article: Mapped[Article] = relationship(back_populates="facts")


class Official(Base):
    __tablename__ = "officials"
    __table_args__ = (UniqueConstraint("name_key", "province_key", name="uq_officials_identity"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    name_key: Mapped[str] = mapped_column(String(120))           # lower-case NFC name, the dedup key
    province_key: Mapped[str] = mapped_column(String(3), default="")   # legacy code, "" when unknown
    rank: Mapped[Optional[str]] = mapped_column(String(40))
    titles: Mapped[list] = mapped_column(JSON, default=list)


class OfficialMention(Base):
    __tablename__ = "official_mentions"
    __table_args__ = (UniqueConstraint("article_id", "official_id", "extractor_version", name="uq_mentions_identity"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id"))
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    extractor_version: Mapped[str] = mapped_column(String(40))
    rank: Mapped[Optional[str]] = mapped_column(String(40))
    titles: Mapped[list] = mapped_column(JSON, default=list)
    province_legacy_code: Mapped[Optional[str]] = mapped_column(String(3))
    start: Mapped[int] = mapped_column(Integer, default=0)
    end: Mapped[int] = mapped_column(Integer, default=0)
    found_by: Mapped[str] = mapped_column(String(20), default="gazetteer")   # gazetteer | ner
    appearances: Mapped[list] = mapped_column(JSON, default=list)           # [start, end] of every reference

    official: Mapped[Official] = relationship()


class Review(Base):
    """Append-only decisions (see store/reviews.py). A review names its number by what it is
    (kind, value, unit, the words around it) and the offsets it had, so it follows the number when the
    text or the extractor version changes. An ``add`` review is a fact the extractor missed, with every
    field set by the reviewer; if a later extractor finds that number, it becomes that fact's decision.

    ``fact_id``, ``at_start`` and ``at_end`` are only links: when re-extraction replaces an article's
    facts they are re-pointed in the same transaction, or set to null (an orphan, listed on the
    article's review page) — a review never stops a re-extraction."""

    __tablename__ = "reviews"
    __table_args__ = (Index("ix_reviews_identity", "article_id", "fact_kind", "value_start", "value_end"),
                      Index("ix_reviews_fact", "fact_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    fact_id: Mapped[Optional[int]] = mapped_column(ForeignKey("facts.id"))   # null for 'add' and for orphans
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"))
    fact_kind: Mapped[str] = mapped_column(String(12))
    fact_value: Mapped[Optional[float]] = mapped_column(Float)
    value_start: Mapped[int] = mapped_column(Integer)
    value_end: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(10))             # accept | reject | edit | add
    # The edited fields (null: unchanged). An edit carries the reviewer's complete version of each field it sets.
    kind: Mapped[Optional[str]] = mapped_column(String(12))
    value: Mapped[Optional[float]] = mapped_column(Float)
    unit: Mapped[Optional[str]] = mapped_column(String(100))
    qualifier: Mapped[Optional[str]] = mapped_column(String(10))
    role: Mapped[Optional[str]] = mapped_column(String(10))
    direction: Mapped[Optional[str]] = mapped_column(String(10))
    baseline: Mapped[Optional[str]] = mapped_column(String(20))
    period: Mapped[Optional[str]] = mapped_column(String(20))
    period_start: Mapped[Optional[dt.date]] = mapped_column(Date)
    period_end: Mapped[Optional[dt.date]] = mapped_column(Date)
    as_of: Mapped[Optional[str]] = mapped_column(String(10))
    negated: Mapped[Optional[bool]] = mapped_column(Boolean)
    concept: Mapped[Optional[str]] = mapped_column(String(60))
    reviewer: Mapped[str] = mapped_column(String(100))
    note: Mapped[Optional[str]] = mapped_column(Text)
    # What the decided number is, in the text it was decided on: re-attaches it when the text changes.
    fact_unit: Mapped[Optional[str]] = mapped_column(String(100))
    context_before: Mapped[Optional[str]] = mapped_column(Text)
    span_text: Mapped[Optional[str]] = mapped_column(String(100))
    context_after: Mapped[Optional[str]] = mapped_column(Text)
    # An addition's place in the article's current text (a link, like fact_id); null: orphaned.
    at_start: Mapped[Optional[int]] = mapped_column(Integer)
    at_end: Mapped[Optional[int]] = mapped_column(Integer)
    withdraws_id: Mapped[Optional[int]] = mapped_column(Integer)    # a withdrawal: the 'add' review it takes back
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), default=_now)


class ArticleMark(Base):
    """A reviewer's mark on an article: every fact decided and nothing missing. Only marked articles
    become gold. Kept apart from ``articles`` so re-extraction, which rewrites articles, never touches it."""

    __tablename__ = "article_marks"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    reviewed_by: Mapped[str] = mapped_column(String(100))
    reviewed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class ArticleFactCount(Base):
    """A cache for the reviewer's article list: how many facts the article's current extractor version
    has. A row is good while ``article_updated_at`` equals the article's ``updated_at`` (every re-extraction
    updates the article row); the list refreshes stale rows before it sorts or filters by pending facts."""

    __tablename__ = "article_fact_counts"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    article_updated_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime(timezone=True))
    facts: Mapped[int] = mapped_column(Integer, default=0)


EDITABLE_FIELDS = ("kind", "value", "unit", "qualifier", "role", "direction", "baseline", "period", "as_of",
                   "negated", "concept")


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(20))                # reviewer | admin
    password_hash: Mapped[str] = mapped_column(String(300))      # scrypt, with its parameters and salt
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class WebSession(Base):
    """A signed-in browser. The cookie holds a random token; only its hash is stored."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()


class ApiToken(Base):
    """A machine client's token for the read-only API; only its hash is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class ProvinceRow(Base):
    """Reference data: the legacy (63) provinces and the current (34) units they belong to."""

    __tablename__ = "provinces"

    legacy_code: Mapped[str] = mapped_column(String(3), primary_key=True)
    legacy_name: Mapped[str] = mapped_column(String(100))
    current_code: Mapped[str] = mapped_column(String(3))
    current_name: Mapped[str] = mapped_column(String(100))
