"""Review rules, in one place for the web app, the gold export and the writer: what a decision is and
which one is in force on a fact, which reviewer additions are in force, how decisions follow their
numbers when an article's text changes, and the queries of the reviewer's pages. Plain functions over
a SQLAlchemy session; callers validate form values (web/edits.py) and render what these return.

A decision is a row of ``reviews``, append-only. It names its number by what the number is — the
fact's kind, value and unit at the time, and the words around it (``context_before``, ``span_text``,
``context_after``) — and by the offsets it had then. ``fact_id`` is only a link to the fact it applies
to now: the writer re-points every decision of an article when its facts are replaced
(:func:`reattach`), by what the fact is, fuzzily, using offsets only to choose between equal
candidates. A decision whose fact is gone is an orphan (``fact_id`` null), listed on the article page.

A reviewer's addition (``action = 'add'``) is a number the extractor missed. While in force (not
withdrawn) and found in the text (``at_start``/``at_end``), it is materialised as a row of ``facts``
(``added_by`` = the review's id) of the article's current extractor version, so ``facts_current``, the
API, the exports, the charts and ``observations`` all have it. An addition whose number can no longer
be found is orphaned: no fact row, flagged on the article page, never exported. When an extracted fact
is found at the addition's number, the addition becomes that fact's decision instead.
"""
from __future__ import annotations

import datetime as dt
import difflib
import json
import math
from dataclasses import dataclass, field

import regex
from sqlalchemy import and_, delete, func, literal, or_, select, text, tuple_
from sqlalchemy.orm import Session

from gazetteer.resolve import resolve_province
from pipeline.errors import VnfactsError
from store.models import (EDITABLE_FIELDS, Article, ArticleFactCount, ArticleMark, Fact, Official, OfficialMention,
                                   ProvinceRow, Review, Source)
from settings import thresholds

SENTENCE_END = regex.compile(r"[.!?;\n]\s")


class ReviewError(VnfactsError):
    """A decision that cannot be recorded as sent; ``errors`` maps each bad field to its message."""

    def __init__(self, message: str, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.errors = errors or {}


class ReviewConflict(VnfactsError):
    """Someone else decided on this fact after the page was loaded."""

    def __init__(self, latest: Review):
        super().__init__(f"{latest.reviewer} already recorded '{latest.action}' on this fact at {latest.created_at:%Y-%m-%d %H:%M}")
        self.latest = latest


def clean_note(note: str | None) -> str | None:
    """A reviewer's note as stored: control characters (NUL refused by PostgreSQL) dropped, at most 2,000 characters."""
    text = regex.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", note or "").strip()
    return text[:2000] or None


# --- what a decision is ---------------------------------------------------------------------------

def reviews_of(session: Session, fact: Fact) -> list[Review]:
    """Every decision in force on this fact (the ones linked to it), oldest first."""
    return list(session.scalars(select(Review).where(Review.fact_id == fact.id).order_by(Review.id)))


def machine_state(fact: Fact) -> dict:
    return {f: getattr(fact, f) for f in EDITABLE_FIELDS}


def state_after(fact: Fact, review: Review | None) -> dict:
    state = machine_state(fact)
    if review is not None:
        for f in EDITABLE_FIELDS:
            if getattr(review, f) is not None:
                state[f] = getattr(review, f)
    return state


def status_of(review: Review | None) -> str:
    return {None: "pending", "accept": "accepted", "edit": "edited", "reject": "rejected",
            "add": "added"}[review.action if review else None]


def history(session: Session, fact: Fact) -> list[dict]:
    """The decisions on a fact, each with the fields it changed: ``{"review", "changed": {field: (before, after)}}``."""
    steps, before = [], machine_state(fact)
    for r in reviews_of(session, fact):
        after = state_after(fact, r) if r.action != "reject" else before
        steps.append({"review": r, "changed": {f: (before[f], after[f]) for f in EDITABLE_FIELDS if before[f] != after[f]}})
        before = after
    return steps


def _anchor(review: Review, text_: str, start: int, end: int, unit: str | None) -> None:
    """Record what the decided number is, in the text it was decided on."""
    width = thresholds.REVIEW_CONTEXT_CHARS
    review.fact_unit = unit
    review.context_before = text_[max(0, start - width):start]
    review.span_text = text_[start:end][:100]
    review.context_after = text_[end:end + width]


def record_review(session: Session, fact_id: int, action: str, reviewer: str, edits: dict | None = None,
                  note: str | None = None, expected_latest: int | None = None) -> Review | None:
    """Append a decision. ``edits`` are validated values (web/edits.py). ``expected_latest`` is the
    latest review id the reviewer saw (0 for none): if another decision came in since,
    :class:`ReviewConflict` is raised instead of overwriting it. An edit that changes nothing is not
    stored (None is returned)."""
    # Lock the fact row: two reviewers posting at the same moment take turns, and the second one sees
    # the first one's decision in its version check (PostgreSQL; SQLite has one writer anyway).
    fact = session.scalars(select(Fact).where(Fact.id == fact_id).with_for_update()).first()
    if fact is None:
        raise ReviewError(f"no fact {fact_id}")
    if action not in ("accept", "reject", "edit"):
        raise ReviewError(f"unknown action {action!r}")
    if fact.added_by is not None:
        raise ReviewError("a reviewer's addition is withdrawn, not reviewed")
    earlier = reviews_of(session, fact)
    latest = earlier[-1] if earlier else None
    if expected_latest is not None and (latest.id if latest else 0) != expected_latest:
        raise ReviewConflict(latest)
    # The latest review carries the whole reviewed state: accepting keeps earlier edits.
    before = state_after(fact, latest) if latest and latest.action != "reject" else machine_state(fact)
    carried = dict(before)
    if action == "edit":
        carried.update({k: v for k, v in (edits or {}).items() if k in EDITABLE_FIELDS})
        if carried == before and (latest is None or latest.action != "reject"):
            return None                     # nothing changed: no decision to store
    review = Review(fact_id=fact.id, article_id=fact.article_id, fact_kind=fact.kind, fact_value=fact.value,
                    value_start=fact.value_start, value_end=fact.value_end, action=action, reviewer=reviewer,
                    note=clean_note(note), created_at=dt.datetime.now(dt.timezone.utc))
    _anchor(review, session.get(Article, fact.article_id).cleaned_text or "", fact.value_start, fact.value_end, fact.unit)
    if action != "reject":
        for f in EDITABLE_FIELDS:
            if carried[f] != getattr(fact, f):
                setattr(review, f, carried[f])
        bounds = (latest.period_start, latest.period_end) if latest and latest.action != "reject" else (None, None)
        if edits and "period" in edits:
            bounds = (edits.get("period_start"), edits.get("period_end"))
        if review.period is not None:
            review.period_start, review.period_end = bounds
    session.add(review)
    session.flush()
    return review


def span_errors(session: Session, article: Article | None, start: int, end: int) -> dict[str, str]:
    """Why a reviewer's selection cannot be a new fact (empty when it can): outside the text, too
    long, no digit, or a number already extracted or added there."""
    if article is None or article.status != "ok":
        return {"span": "facts can only be added to an article that was extracted"}
    text_ = article.cleaned_text or ""
    if not (0 <= start < end <= len(text_)) or end - start > thresholds.MAX_ADDED_SPAN:
        return {"span": "select the number in the text (the selection is outside the text or too long)"}
    if not regex.search(r"\d", text_[start:end]):
        return {"span": f"the selection {text_[start:end]!r} has no digit"}
    for fact in current_facts(session, article):
        if fact.value_start < end and start < fact.value_end:
            what = "was added already: withdraw that one first" if fact.added_by else "is already a fact here: edit or reject that one"
            return {"span": f"{text_[fact.value_start:fact.value_end]!r} {what}"}
    return {}


def record_add(session: Session, article_id: int, start: int, end: int, reviewer: str, values: dict,
               note: str | None = None) -> Review:
    """A fact the extractor missed: the reviewer selected the number at ``start:end`` of the cleaned
    text and filled the fields (``values``, validated by the caller). Stored as a review of kind
    ``add`` carrying every field, and materialised as a fact at once."""
    article = session.get(Article, article_id)
    errors = span_errors(session, article, start, end)
    if not errors and values.get("kind") == "ratio":
        errors["kind"] = "a ratio cannot be added by hand yet: add its numerator as a count"
    if not errors and values.get("value") is None:
        errors["value"] = "value must be a number"
    if errors:
        raise ReviewError("; ".join(errors.values()), errors)
    review = Review(fact_id=None, article_id=article.id, fact_kind=values["kind"], fact_value=values["value"],
                    value_start=start, value_end=end, at_start=start, at_end=end, action="add", reviewer=reviewer,
                    note=clean_note(note), created_at=dt.datetime.now(dt.timezone.utc))
    for f in EDITABLE_FIELDS:
        setattr(review, f, values.get(f))
    review.negated = bool(values.get("negated"))
    review.period_start, review.period_end = values.get("period_start"), values.get("period_end")
    _anchor(review, article.cleaned_text or "", start, end, values.get("unit"))
    session.add(review)
    session.flush()
    _materialise(session, article, review)
    return review


def withdraw_add(session: Session, review_id: int, reviewer: str, article_id: int | None = None) -> Review:
    """Take back an added fact: a ``reject`` that names the addition (append-only, like every
    decision); its fact row goes."""
    added = session.get(Review, review_id)
    if added is None or added.action != "add" or (article_id is not None and added.article_id != article_id):
        raise ReviewError(f"no added fact {review_id}")
    if session.scalar(select(Review.id).where(Review.withdraws_id == added.id)) is not None:
        raise ReviewError(f"the added fact {review_id} was withdrawn already")
    review = Review(fact_id=None, article_id=added.article_id, fact_kind=added.fact_kind, fact_value=added.fact_value,
                    value_start=added.value_start, value_end=added.value_end, action="reject", reviewer=reviewer,
                    withdraws_id=added.id, created_at=dt.datetime.now(dt.timezone.utc))
    session.add(review)
    linked = added.fact_id
    added.fact_id = None
    session.flush()
    if linked is not None:
        session.execute(delete(Fact).where(Fact.id == linked, Fact.added_by == added.id))
    session.flush()
    return review


def additions_in_force(reviews: list[Review]) -> list[Review]:
    """Of an article's reviews, the additions not withdrawn."""
    withdrawn = {r.withdraws_id for r in reviews if r.withdraws_id is not None}
    return [r for r in reviews if r.action == "add" and r.id not in withdrawn]


def _sentence(text_: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around ``start:end``: an added fact's evidence."""
    first = max((m.end() for m in SENTENCE_END.finditer(text_, 0, start)), default=0)
    last = SENTENCE_END.search(text_, end)
    return first, (last.start() + 1 if last else len(text_))


def _materialise(session: Session, article: Article, review: Review) -> Fact:
    """The fact row of an addition in force, at its current place, in the article's current version."""
    text_ = article.cleaned_text or ""
    ev_start, ev_end = _sentence(text_, review.at_start, review.at_end)
    fact = Fact(article_id=article.id, extractor_version=article.extractor_version, kind=review.kind,
                value=review.value, unit=review.unit, qualifier=review.qualifier or "exact", role=review.role or "actual",
                direction=review.direction, baseline=review.baseline, period=review.period,
                period_start=review.period_start, period_end=review.period_end, as_of=review.as_of,
                negated=bool(review.negated), concept=review.concept or "other",
                province_legacy_code=article.province_legacy_code, province_current_code=article.province_current_code,
                evidence=text_[ev_start:ev_end], evidence_start=ev_start, evidence_end=ev_end,
                value_start=review.at_start, value_end=review.at_end, added_by=review.id,
                created_at=dt.datetime.now(dt.timezone.utc))
    session.add(fact)
    session.flush()
    review.fact_id = fact.id
    session.flush()
    return fact


# --- following the numbers when the text changes --------------------------------------------------

@dataclass
class _Place:
    """Where a decided number may be now: an extracted fact, or (for an addition) a place in the text."""
    start: int
    end: int
    fact: Fact | None = None


def _similarity(review: Review, text_: str, start: int, end: int) -> float:
    """How alike the words around ``start:end`` are to those around the decided number (0–1): the
    words before compared from the number backwards, those after from the number on, so a sentence
    inserted far away changes nothing. A side with no recorded words (the number opened or closed
    the text) tells nothing; a decision with no recorded words at all (written before decisions
    kept them) matches only at its own offsets."""
    before, after = review.context_before or "", review.context_after or ""
    width = thresholds.REVIEW_CONTEXT_CHARS
    scores = []
    if before:
        now = text_[max(0, start - width):start][-len(before):]
        scores.append(difflib.SequenceMatcher(None, before, now, autojunk=False).ratio())
    if after:
        now = text_[end:end + width][:len(after)]
        scores.append(difflib.SequenceMatcher(None, after, now, autojunk=False).ratio())
    if not scores:
        return 1.0 if (start, end) == (review.value_start, review.value_end) else 0.0
    return sum(scores) / len(scores)


def _same_value(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def _number_places(text_: str, number: str) -> list[tuple[int, int]]:
    """Every place the number's text stands in the text as a whole number (no digit glued on either side)."""
    if not number:
        return []
    pattern = regex.compile(r"(?<![\d.,]\d|\d)" + regex.escape(number) + r"(?![.,]?\d)")
    return [(m.start(), m.end()) for m in pattern.finditer(text_)]


def reattach(session: Session, article: Article, previous_links: dict[int, int | None]) -> dict[str, int]:
    """Point every decision of the article at the fact it now applies to, after its facts were
    replaced (the caller has unlinked them; ``previous_links`` maps review id → the fact id it was
    linked to, so that the decisions on one fact move together), and materialise the additions in force.

    Each group of decisions (one fact's, or one orphan's or addition's) is matched by what its latest
    decision names — kind, value, unit, the words around it — against the current facts (and, for an
    addition, every place its number's text stands); the most alike place above
    ``REATTACH_MIN_SIMILARITY`` wins, the nearest to the old offsets among equals; each place takes
    one group. Returns counts: ``attached``, ``orphans``, ``added``, ``orphaned_additions``."""
    text_ = article.cleaned_text or ""
    reviews = list(session.scalars(select(Review).where(Review.article_id == article.id).order_by(Review.id)
                                   .execution_options(populate_existing=True)))
    withdrawn = {r.withdraws_id for r in reviews if r.withdraws_id is not None}
    groups: dict[tuple, list[Review]] = {}
    for r in reviews:
        if r.withdraws_id is not None or (r.action == "add" and r.id in withdrawn):
            continue                                    # a withdrawn addition is history
        linked = previous_links.get(r.id)
        key = ("fact", linked) if linked is not None else ("identity", r.fact_kind, r.fact_value, r.value_start, r.value_end,
                                                           r.id if r.action == "add" else None)
        groups.setdefault(key, []).append(r)
    facts = [f for f in current_facts(session, article) if f.added_by is None]
    taken: set[tuple[int, int]] = set()
    counts = {"attached": 0, "orphans": 0, "added": 0, "orphaned_additions": 0}
    candidates = []
    for key, group in groups.items():
        anchor = group[-1]
        addition = next((r for r in group if r.action == "add"), None)
        places = [_Place(f.value_start, f.value_end, f) for f in facts
                  if f.kind == anchor.fact_kind and _same_value(f.value, anchor.fact_value)]
        if addition is not None:
            places += [_Place(a, b) for a, b in _number_places(text_, addition.span_text or "")]
        for place in places:
            score = _similarity(anchor, text_, place.start, place.end)
            if place.fact is not None and anchor.fact_unit and place.fact.unit and anchor.fact_unit != place.fact.unit:
                score -= 0.2                            # a unit read differently: less alike, not excluded
            if score >= thresholds.REATTACH_MIN_SIMILARITY:
                candidates.append((-round(score, 6), place.fact is None, abs(place.start - anchor.value_start), key, place))
    candidates.sort(key=lambda c: c[:3])
    chosen: dict[tuple, _Place] = {}
    for _score, _free, _distance, key, place in candidates:
        spot = (place.start, place.end)
        if key in chosen or spot in taken:
            continue
        chosen[key] = place
        taken.add(spot)
    for key, group in groups.items():
        place = chosen.get(key)
        addition = next((r for r in group if r.action == "add"), None)
        if place is not None and place.fact is not None:
            for r in group:
                r.fact_id = place.fact.id
            counts["attached"] += 1
            if addition is not None:
                addition.at_start, addition.at_end = place.start, place.end
        elif addition is not None and place is not None:
            addition.at_start, addition.at_end = place.start, place.end
            _materialise(session, article, addition)
            counts["added"] += 1
        elif addition is not None:
            addition.at_start = addition.at_end = None  # orphaned: flagged on the page, never exported
            counts["orphaned_additions"] += 1
        else:
            counts["orphans"] += 1
    session.flush()
    return counts


def links_of(session: Session, article_id: int) -> dict[int, int | None]:
    """review id → the fact id it is linked to, for every review of the article (before a re-extraction)."""
    return dict(session.execute(select(Review.id, Review.fact_id).where(Review.article_id == article_id)).all())


# --- article marks --------------------------------------------------------------------------------

def mark_reviewed(session: Session, article_id: int, reviewer: str, reviewed: bool = True) -> None:
    """Mark an article fully reviewed (refused while a fact is pending) or take the mark back."""
    article = session.get(Article, article_id)
    if article is None:
        raise ReviewError(f"no article {article_id}")
    mark = session.get(ArticleMark, article_id)
    if not reviewed:
        if mark is not None:
            session.delete(mark)
        session.flush()
        return
    if article.status != "ok":
        raise ReviewError(f"a {article.status} article has no facts to review")
    pending = pending_count(session, article)
    if pending:
        raise ReviewError(f"{pending} fact{'s are' if pending > 1 else ' is'} still pending: decide every fact first")
    if mark is None:
        session.add(ArticleMark(article_id=article_id, reviewed_by=reviewer,
                                reviewed_at=dt.datetime.now(dt.timezone.utc)))
    else:
        mark.reviewed_by, mark.reviewed_at = reviewer, dt.datetime.now(dt.timezone.utc)
    session.flush()


def pending_count(session: Session, article: Article) -> int:
    return sum(1 for f in current_facts(session, article) if not reviews_of(session, f))


# --- the article page -----------------------------------------------------------------------------

@dataclass
class FactItem:
    fact: Fact
    state: dict
    status: str
    latest_id: int
    history: list[dict] = field(default_factory=list)


@dataclass
class ArticleView:
    article: Article
    source: str
    text: str
    facts: list[FactItem]
    officials: list[dict]
    orphans: list[Review]
    added: list[Review] = field(default_factory=list)     # additions in force, found in the text (a fact row each)
    orphaned_added: list[Review] = field(default_factory=list)   # additions whose number is no longer in the text
    mark: ArticleMark | None = None
    offsets: list[int] = field(default_factory=list)      # where each paragraph starts in the cleaned text

    @property
    def pending(self) -> int:
        return sum(1 for i in self.facts if i.status == "pending")


def current_facts(session: Session, article: Article) -> list[Fact]:
    return list(session.scalars(select(Fact).where(Fact.article_id == article.id,
                                                   Fact.extractor_version == article.extractor_version)
                                .order_by(Fact.value_start)))


def article_view(session: Session, article_id: int) -> ArticleView | None:
    article = session.get(Article, article_id)
    if article is None:
        return None
    items = []
    for fact in current_facts(session, article):
        if fact.added_by is not None:
            continue
        steps = history(session, fact)
        latest = steps[-1]["review"] if steps else None
        items.append(FactItem(fact, state_after(fact, latest) if latest and latest.action != "reject"
                              else machine_state(fact), status_of(latest), latest.id if latest else 0, steps))
    reviews = list(session.scalars(select(Review).where(Review.article_id == article.id).order_by(Review.id)))
    in_force = additions_in_force(reviews)
    withdrawn = {r.withdraws_id for r in reviews if r.withdraws_id is not None}
    added = sorted((r for r in in_force if r.fact_id is not None and r.at_start is not None
                    and session.get(Fact, r.fact_id).added_by == r.id), key=lambda r: r.at_start)
    orphaned_added = [r for r in in_force if r.fact_id is None]
    orphans = [r for r in reviews if r.fact_id is None and r.action != "add" and r.withdraws_id is None
               and r.id not in withdrawn]
    officials = article_officials(session, article)
    source = session.get(Source, article.source_id).key
    text_ = article.cleaned_text or ""
    offsets, at = [], 0
    for line in text_.split("\n"):
        offsets.append(at)
        at += len(line) + 1
    return ArticleView(article, source, text_, items, officials, orphans, added, orphaned_added,
                       session.get(ArticleMark, article.id), offsets)


def article_officials(session: Session, article: Article) -> list[dict]:
    """The officials the article's current extractor version found: name, rank, titles, how found."""
    return [{"name": o.name, "rank": m.rank, "titles": m.titles, "found_by": m.found_by}
            for m, o in session.execute(select(OfficialMention, Official)
                                        .join(Official, Official.id == OfficialMention.official_id)
                                        .where(OfficialMention.article_id == article.id,
                                               OfficialMention.extractor_version == article.extractor_version))]


def reviewed_articles(session: Session) -> list[Article]:
    """Articles a reviewer marked fully reviewed (extracted, not duplicates), in id order: gold."""
    return list(session.scalars(select(Article).join(ArticleMark, ArticleMark.article_id == Article.id)
                                .where(Article.status == "ok", Article.duplicate_of_id.is_(None)).order_by(Article.id)))


def decided_facts(session: Session, article: Article) -> tuple[list[dict], int]:
    """The article's rows of ``facts_current`` that a reviewer decided (accepted, edited, or added —
    additions in force and found in the text; orphaned ones have no row), in text order, and how
    many are still pending (left out of gold)."""
    rows = [dict(r) for r in session.execute(text("SELECT * FROM facts_current WHERE article_id = :a ORDER BY value_start"),
                                             {"a": article.id}).mappings()]
    decided = [r for r in rows if r["review_status"] != "pending"]
    return decided, len(rows) - len(decided)


def article_by_id(session: Session, article_id: int) -> Article | None:
    return session.get(Article, article_id)


def article_of_fact(session: Session, fact_id: int) -> int | None:
    return session.scalar(select(Fact.article_id).where(Fact.id == fact_id))


def reviewed_state(session: Session, fact_id: int) -> dict | None:
    """The fields of a fact as its latest decision leaves them (what an edit form starts from)."""
    fact = session.get(Fact, fact_id)
    if fact is None:
        return None
    earlier = reviews_of(session, fact)
    latest = earlier[-1] if earlier else None
    return state_after(fact, latest) if latest and latest.action != "reject" else machine_state(fact)


def next_article_id(session: Session, article_id: int) -> int | None:
    return session.scalar(select(func.min(Article.id)).where(Article.id > article_id))


# --- the article list -----------------------------------------------------------------------------

@dataclass
class ArticleRow:
    id: int
    key: str
    title: str | None
    source: str
    published: dt.date | None
    province_legacy: str | None
    province_current: str | None
    status: str
    reviewed_by: str | None
    total: int
    pending: int
    counts: dict = field(default_factory=dict)


@dataclass
class ArticlePage:
    rows: list[ArticleRow]
    total: int
    page: int
    pages: int
    per_page: int
    next_after: str | None          # keyset cursor of the next page (the last row's sort key and id)


SORTS = ("date", "province", "pending")
REVIEW_FILTERS = ("pending", "decided", "reviewed", "unreviewed")


def _counts():
    """Per article: how many facts its current extractor version has (the cache table, see
    :func:`refresh_fact_counts`) and how many of them are decided (a decision linked to them), a
    correlated subquery that costs an index probe on reviews for an article nobody reviewed."""
    total = func.coalesce(ArticleFactCount.facts, 0)
    decided = (select(func.count(func.distinct(Fact.id))).select_from(Review)
               .join(Fact, Review.fact_id == Fact.id)
               .where(Review.article_id == Article.id, Fact.extractor_version == Article.extractor_version)
               .correlate(Article).scalar_subquery())
    return total, decided


def refresh_fact_counts(session: Session) -> int:
    """Count the facts of every article whose row changed since its count was taken (new articles,
    re-extractions); returns how many counts were refreshed. Two requests racing here is harmless:
    the loser rolls back and reads the winner's rows."""
    from sqlalchemy import delete, insert
    from sqlalchemy.exc import IntegrityError

    stale = [i for (i,) in session.execute(
        select(Article.id).outerjoin(ArticleFactCount, ArticleFactCount.article_id == Article.id)
        .where(or_(ArticleFactCount.article_id.is_(None),
                   ArticleFactCount.article_updated_at.is_distinct_from(Article.updated_at))))]
    if not stale:
        return 0
    n_facts = (select(func.count()).select_from(Fact)
               .where(Fact.article_id == Article.id, Fact.extractor_version == Article.extractor_version)
               .correlate(Article).scalar_subquery())
    try:
        for at in range(0, len(stale), 1000):
            chunk = stale[at:at + 1000]
            session.execute(delete(ArticleFactCount).where(ArticleFactCount.article_id.in_(chunk)))
            session.execute(insert(ArticleFactCount).from_select(
                ["article_id", "article_updated_at", "facts"],
                select(Article.id, Article.updated_at, n_facts).where(Article.id.in_(chunk))))
        session.commit()
    except IntegrityError:
        session.rollback()
    return len(stale)


def list_articles(session: Session, source: str | None = None, province: str | None = None,
                  review: str | None = None, concept: str | None = None, page: int = 1,
                  per_page: int = thresholds.ARTICLES_PER_PAGE, sort: str = "date", after: str | None = None
                  ) -> ArticlePage:
    """One page of the article list. ``province`` is ``legacy:CODE`` or ``current:CODE`` (or a name);
    ``after`` is the keyset cursor of the previous page's last row (then ``page`` only labels the page),
    else the page is found by offset. Sorts: date (newest first), province (current, then legacy
    name), pending (most pending first); ties by id.

    Two steps, so the wide article rows (their texts) are never scanned: the ids of the page come from
    narrow columns (the covering index ``ix_articles_list``), then only those rows are read in full."""
    if sort not in SORTS:
        raise ReviewError(f"sort must be one of {', '.join(SORTS)}")
    if review and review not in REVIEW_FILTERS:
        raise ReviewError(f"review must be one of {', '.join(REVIEW_FILTERS)}")
    needs_counts = sort == "pending" or review in ("pending", "decided")
    if needs_counts:
        refresh_fact_counts(session)
    n_total, n_decided = _counts()
    n_pending = n_total - n_decided
    key = {"date": func.coalesce(Article.published, literal(dt.date(1, 1, 1))),
           "province": func.coalesce(ProvinceRow.current_name, "~") + "|" + func.coalesce(ProvinceRow.legacy_name, "~"),
           "pending": n_pending}[sort]
    ascending = sort == "province"           # province A→Z; date and pending show the largest first

    def narrow(*columns):
        query = select(*columns).select_from(Article).where(Article.duplicate_of_id.is_(None))
        if source:
            query = query.join(Source, Source.id == Article.source_id).where(Source.key == source)
        if sort == "province":
            query = query.outerjoin(ProvinceRow, ProvinceRow.legacy_code == Article.province_legacy_code)
        if review in ("decided", "reviewed", "unreviewed"):
            query = query.outerjoin(ArticleMark, ArticleMark.article_id == Article.id)
        if needs_counts:
            query = query.outerjoin(ArticleFactCount, ArticleFactCount.article_id == Article.id)
        if province:
            kind, _, code = province.partition(":")
            if kind == "legacy":
                query = query.where(Article.province_legacy_code == code)
            elif kind == "current":
                query = query.where(Article.province_current_code == code)
            else:
                ref = resolve_province(province)
                query = query.where(or_(Article.province_legacy_code == (ref.legacy_code if ref else province),
                                        Article.province_current_code == (ref.current_code if ref else province)))
        if concept:
            query = query.where(Article.id.in_(select(Fact.article_id).join(Article, and_(
                Article.id == Fact.article_id, Fact.extractor_version == Article.extractor_version))
                .where(Fact.concept == concept)))
        if review == "pending":
            query = query.where(n_pending > 0)
        elif review == "decided":
            query = query.where(n_pending == 0, n_total > 0, ArticleMark.article_id.is_(None))
        elif review == "reviewed":
            query = query.where(ArticleMark.article_id.is_not(None))
        elif review == "unreviewed":
            query = query.where(ArticleMark.article_id.is_(None))
        return query

    total = session.scalar(select(func.count()).select_from(narrow(Article.id).subquery()))
    pages = max(1, -(-total // per_page))
    page = max(1, min(page, pages))
    ids_query = narrow(Article.id, key.label("sort_key"))
    cursor = _parse_cursor(after, sort)
    if cursor is not None:
        value, last_id = cursor
        # One direction for both columns, so a row-value comparison is the keyset condition.
        ids_query = ids_query.where(tuple_(key, Article.id) > tuple_(literal(value), literal(last_id)) if ascending
                                    else tuple_(key, Article.id) < tuple_(literal(value), literal(last_id)))
    order = (key.asc(), Article.id.asc()) if ascending else (key.desc(), Article.id.desc())
    ids_query = ids_query.order_by(*order).limit(per_page)
    if cursor is None:
        ids_query = ids_query.offset((page - 1) * per_page)
    picked = session.execute(ids_query).all()
    details = {r[0]: r for r in session.execute(
        select(Article.id, Article.article_key, Article.title, Source.key, Article.published, ProvinceRow.legacy_name,
               ProvinceRow.current_name, Article.status, ArticleMark.reviewed_by)
        .join(Source, Source.id == Article.source_id)
        .outerjoin(ProvinceRow, ProvinceRow.legacy_code == Article.province_legacy_code)
        .outerjoin(ArticleMark, ArticleMark.article_id == Article.id)
        .where(Article.id.in_([p[0] for p in picked])))}
    rows = [ArticleRow(*details[p[0]], 0, 0) for p in picked]
    _fill_counts(session, rows)
    next_after = None
    if picked and page < pages:
        last_key, last_id = picked[-1][1], picked[-1][0]
        next_after = json.dumps([str(last_key) if sort == "date" else last_key, last_id])
    return ArticlePage(rows, total, page, pages, per_page, next_after)


def _parse_cursor(after: str | None, sort: str):
    if not after:
        return None
    try:
        value, last_id = json.loads(after)
        last_id = int(last_id)
        if sort == "date":
            value = dt.date.fromisoformat(value)
        elif sort == "pending":
            value = int(value)
        elif not isinstance(value, str):
            raise ValueError
    except (ValueError, TypeError):
        raise ReviewError("the page cursor is not valid: start from page 1") from None
    return value, last_id


def _fill_counts(session: Session, rows: list[ArticleRow]) -> None:
    """Accepted / edited / rejected / pending / added counts of the rows on one page (two queries)."""
    ids = [r.id for r in rows]
    if not ids:
        return
    versions = dict(session.execute(select(Article.id, Article.extractor_version).where(Article.id.in_(ids))).all())
    # By article id alone (an index range each), the other generations dropped here: a join with
    # articles on the version makes PostgreSQL scan far more than these 50 articles' facts.
    facts = [(a, fid, added) for a, ver, fid, added in session.execute(
        select(Fact.article_id, Fact.extractor_version, Fact.id, Fact.added_by).where(Fact.article_id.in_(ids)))
        if ver == versions.get(a)]
    latest: dict[int, Review] = {}
    for r in session.scalars(select(Review).where(Review.article_id.in_(ids), Review.fact_id.is_not(None))
                             .order_by(Review.id)):
        latest[r.fact_id] = r
    counts = {i: {"pending": 0, "accepted": 0, "edited": 0, "rejected": 0, "added": 0} for i in ids}
    for article_id, fact_id, added in facts:
        counts[article_id]["added" if added is not None else status_of(latest.get(fact_id))] += 1
    for row in rows:
        row.counts = counts[row.id]
        row.pending = counts[row.id]["pending"]
        row.total = sum(counts[row.id][k] for k in ("pending", "accepted", "edited", "rejected"))
