"""Review logic: the state of each fact after its reviews, recording a decision (append-only, with an
optimistic version check), the history of a fact, orphaned reviews, and the article page's model.
Plain functions over a SQLAlchemy session; the web app only renders what they return."""
from __future__ import annotations

import math

import datetime as dt
import json
from dataclasses import dataclass, field

import regex
from markupsafe import Markup, escape
from sqlalchemy import and_, case, func, literal, or_, select, tuple_
from sqlalchemy.orm import Session

import gazetteer
from extractors.periods import period_bounds
from pipeline.errors import VnfactsError
from store.models import (EDITABLE_FIELDS, Article, ArticleFactCount, ArticleMark, Fact, Official, OfficialMention, ProvinceRow,
                                   Review, Source)
from settings import thresholds

KINDS = ("percent", "count", "quantity", "ratio", "money", "score", "rank")
QUALIFIERS = ("exact", "over", "under", "approx")
ROLES = ("actual", "change", "target")
DIRECTIONS = ("", "increase", "decrease")
PERIOD = regex.compile(r"\d{4}(?:-(?:H[12]|Q[1-4]|9M|0[1-9]|1[0-2]|\d{4}))?")
AS_OF = regex.compile(r"\d{4}-\d{2}(?:-\d{2})?")


CONTROL = regex.compile(r"[\x00-\x1f\x7f-\x9f]")
FORMS = {"period": "2023, 2024-H1, 2024-Q3, 2024-9M, 2024-07, 2023-2024", "as_of": "2024-06-10 or 2024-09"}
# What a reviewer may type for each kind (finite, and within what a report can mean).
VALUE_RANGES = {"percent": (-1000.0, 100000.0), "count": (0.0, 1e12), "ratio": (0.0, 1e6), "rank": (1.0, 100000.0),
                "score": (-1e6, 1e6), "money": (-1e16, 1e16), "quantity": (-1e15, 1e15), None: (-1e16, 1e16)}


def clean_note(note: str | None) -> str | None:
    """A reviewer's note as stored: control characters (NUL refused by PostgreSQL) dropped, at most 2,000 characters."""
    text = regex.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", note or "").strip()
    return text[:2000] or None


def _real_label(name: str, value: str) -> bool:
    """A period or as_of that names real dates: year 1900–2100, a real month and day."""
    import datetime as dt

    if name == "period":
        start, end = (None, None)
        try:
            start, end = period_bounds(value)
        except ValueError:
            return False
        return start is not None and 1900 <= start.year <= 2100 and end.year <= 2100
    try:
        if len(value) == 7:
            dt.date.fromisoformat(value + "-01")
        else:
            dt.date.fromisoformat(value)
    except ValueError:
        return False
    return 1900 <= int(value[:4]) <= 2100


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


def _identity(fact: Fact):
    return and_(Review.article_id == fact.article_id, Review.fact_kind == fact.kind,
                Review.value_start == fact.value_start, Review.value_end == fact.value_end,
                or_(Review.fact_value == fact.value, and_(Review.fact_value.is_(None), fact.value is None)))


def reviews_of(session: Session, fact: Fact) -> list[Review]:
    """Every decision on this fact, across extractor versions, oldest first."""
    return list(session.scalars(select(Review).where(_identity(fact)).order_by(Review.id)))


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
            "add": "edited"}[review.action if review else None]


def record_review(session: Session, fact_id: int, action: str, reviewer: str, edits: dict | None = None,
                  note: str | None = None, expected_latest: int | None = None) -> Review:
    """Append a decision. ``expected_latest`` is the latest review id the reviewer saw (0 for none):
    if another decision came in since, :class:`ReviewConflict` is raised instead of overwriting it."""
    # Lock the fact row: two reviewers posting at the same moment take turns, and the second one sees
    # the first one's decision in its version check (PostgreSQL; SQLite has one writer anyway).
    fact = session.scalars(select(Fact).where(Fact.id == fact_id).with_for_update()).first()
    if fact is None:
        raise ReviewError(f"no fact {fact_id}")
    if action not in ("accept", "reject", "edit"):
        raise ReviewError(f"unknown action {action!r}")
    history = reviews_of(session, fact)
    latest = history[-1] if history else None
    if expected_latest is not None and (latest.id if latest else 0) != expected_latest:
        raise ReviewConflict(latest)
    review = Review(fact_id=fact.id, article_id=fact.article_id, fact_kind=fact.kind, fact_value=fact.value,
                    value_start=fact.value_start, value_end=fact.value_end, action=action, reviewer=reviewer,
                    note=clean_note(note), created_at=dt.datetime.now(dt.timezone.utc))
    # The latest review carries the whole reviewed state: accepting keeps earlier edits.
    carried = state_after(fact, latest) if latest and latest.action != "reject" else machine_state(fact)
    if action == "edit":
        carried.update(validate_edits({"_current_kind": carried.get("kind"), **(edits or {})}))
    if action != "reject":
        for f in EDITABLE_FIELDS:
            if carried[f] != getattr(fact, f):
                setattr(review, f, carried[f])
        if review.period is not None:
            start, end = period_bounds(review.period)
            review.period_start, review.period_end = start, end
    session.add(review)
    session.flush()
    return review


def validate_edits(form: dict) -> dict:
    """Typed, checked field values from an edit form (only the fields present). Every bad field is
    reported at once: :class:`ReviewError` carries ``errors`` (field → message)."""
    out: dict = {}
    errors: dict[str, str] = {}

    def choice(name: str, allowed: tuple[str, ...]):
        if name in form:
            value = (form[name] or "").strip()
            if value not in allowed:
                errors[name] = f"{name} must be one of {', '.join(a for a in allowed if a) or '—'}"
            else:
                out[name] = value or None

    choice("kind", KINDS)
    choice("qualifier", QUALIFIERS)
    choice("role", ROLES)
    choice("direction", DIRECTIONS)
    if "concept" in form:
        concept = (form["concept"] or "").strip()
        if concept not in gazetteer.concepts():
            errors["concept"] = "concept must be a key of the vocabulary"
        else:
            out["concept"] = concept
    if "value" in form:
        raw = (form["value"] or "").strip().replace(" ", "")
        try:
            out["value"] = float(raw.replace(",", ".")) if raw.count(",") == 1 and "." not in raw else float(raw)
            if not math.isfinite(out["value"]):
                raise ValueError
        except ValueError:
            out.pop("value", None)
            errors["value"] = f"value must be a finite number, not {raw!r}"
        else:
            kind = out.get("kind") or form.get("_current_kind")
            low, high = VALUE_RANGES.get(kind, VALUE_RANGES[None])
            if not low <= out["value"] <= high:
                errors["value"] = f"a {kind or 'fact'} value must lie between {low:g} and {high:g}"
    for name, pattern in (("period", PERIOD), ("as_of", AS_OF), ("baseline", None)):
        if name in form:
            value = (form[name] or "").strip() or None
            if value and CONTROL.search(value):
                errors[name] = f"{name} must not hold control characters"
            elif value and pattern is not None and not (pattern.fullmatch(value) and _real_label(name, value)):
                errors[name] = f"{name} {value!r} is not a valid label (the gold format's forms, docs/GOLD.md: {FORMS[name]})"
            elif value and len(value) > 20:
                errors[name] = f"{name} has at most 20 characters"
            else:
                out[name] = value
    if "unit" in form:
        unit = (form["unit"] or "").strip()
        if CONTROL.search(unit):
            errors["unit"] = "unit must not hold control characters"
        elif len(unit) > 100:
            errors["unit"] = "unit has at most 100 characters"
        else:
            out["unit"] = unit or None
    if "negated" in form or form.get("_has_negated"):
        out["negated"] = str(form.get("negated", "")).lower() in ("1", "true", "on", "yes")
    if errors:
        raise ReviewError("; ".join(errors.values()), errors)
    return out


def record_add(session: Session, article_id: int, start: int, end: int, reviewer: str, form: dict,
               note: str | None = None) -> Review:
    """A fact the extractor missed: the reviewer selected the number at ``start:end`` of the cleaned
    text and filled the fields. Stored as a review of kind ``add`` carrying every field."""
    article = session.get(Article, article_id)
    if article is None or article.status != "ok":
        raise ReviewError("facts can only be added to an article that was extracted")
    text_ = article.cleaned_text or ""
    errors: dict[str, str] = {}
    if not (0 <= start < end <= len(text_)) or end - start > thresholds.MAX_ADDED_SPAN:
        errors["span"] = "select the number in the text (the selection is outside the text or too long)"
    elif not regex.search(r"\d", text_[start:end]):
        errors["span"] = f"the selection {text_[start:end]!r} has no digit"
    else:
        view = article_view(session, article.id)
        for fact in current_facts(session, article):
            if fact.value_start < end and start < fact.value_end:
                errors["span"] = (f"{text_[fact.value_start:fact.value_end]!r} is already a fact here: "
                                  "edit or reject that one")
                break
        for other in view.added if view else []:
            if other.value_start < end and start < other.value_end:
                errors["span"] = (f"{text_[other.value_start:other.value_end]!r} was added already: "
                                  "withdraw that one first")
    defaults = {"qualifier": "exact", "role": "actual", "concept": "other"}
    fields = {k: form.get(k, defaults.get(k, "")) for k in ("kind", "value", "unit", "qualifier", "role", "direction",
                                                             "baseline", "period", "as_of", "concept")}
    fields["_has_negated"] = True
    fields["negated"] = form.get("negated", "")
    try:
        values = validate_edits(fields)
    except ReviewError as exc:
        values = {}
        errors.update(exc.errors)
    if not errors and values.get("kind") == "ratio":
        errors["kind"] = "a ratio cannot be added by hand yet: add its numerator as a count"
    if not errors and values.get("value") is None:
        errors["value"] = "value must be a number"
    if errors:
        raise ReviewError("; ".join(errors.values()), errors)
    review = Review(fact_id=None, article_id=article.id, fact_kind=values["kind"], fact_value=values["value"],
                    value_start=start, value_end=end, action="add", reviewer=reviewer,
                    note=clean_note(note), created_at=dt.datetime.now(dt.timezone.utc))
    for f in EDITABLE_FIELDS:
        setattr(review, f, values.get(f))
    review.negated = bool(values.get("negated"))
    if review.period is not None:
        review.period_start, review.period_end = period_bounds(review.period)
    session.add(review)
    session.flush()
    return review


def withdraw_add(session: Session, review_id: int, reviewer: str, article_id: int | None = None) -> Review:
    """Take back an added fact: a ``reject`` on the same identity (append-only, like every decision)."""
    added = session.get(Review, review_id)
    if added is None or added.action != "add" or (article_id is not None and added.article_id != article_id):
        raise ReviewError(f"no added fact {review_id}")
    review = Review(fact_id=None, article_id=added.article_id, fact_kind=added.fact_kind, fact_value=added.fact_value,
                    value_start=added.value_start, value_end=added.value_end, action="reject", reviewer=reviewer,
                    created_at=dt.datetime.now(dt.timezone.utc))
    session.add(review)
    session.flush()
    return review


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
    paragraphs: list[Markup]
    facts: list[FactItem]
    officials: list[dict]
    orphans: list[Review]
    added: list[Review] = field(default_factory=list)     # 'add' reviews in force that no extracted fact matches
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
    facts = current_facts(session, article)
    items = []
    matched: set[int] = set()
    for fact in facts:
        history = reviews_of(session, fact)
        matched |= {r.id for r in history}
        latest = history[-1] if history else None
        steps, before = [], machine_state(fact)
        for r in history:
            after = state_after(fact, r) if r.action != "reject" else before
            changed = {f: (before[f], after[f]) for f in EDITABLE_FIELDS if before[f] != after[f]}
            steps.append({"review": r, "changed": changed})
            before = after
        items.append(FactItem(fact, state_after(fact, latest) if latest and latest.action != "reject"
                              else machine_state(fact), status_of(latest), latest.id if latest else 0, steps))
    unmatched = [r for r in session.scalars(select(Review).where(Review.article_id == article.id).order_by(Review.id))
                 if r.id not in matched]
    added = added_in_force(unmatched)
    add_keys = _add_keys(unmatched)                   # withdrawn additions are history, not orphans
    orphans = [r for r in unmatched if _key(r) not in add_keys]
    officials = [{"name": o.name, "rank": m.rank, "titles": m.titles, "found_by": m.found_by}
                 for m, o in session.execute(select(OfficialMention, Official)
                                             .join(Official, Official.id == OfficialMention.official_id)
                                             .where(OfficialMention.article_id == article.id,
                                                    OfficialMention.extractor_version == article.extractor_version))]
    source = session.get(Source, article.source_id).key
    text_ = article.cleaned_text or ""
    offsets, at = [], 0
    for line in text_.split("\n"):
        offsets.append(at)
        at += len(line) + 1
    return ArticleView(article, source, highlight(text_, items, added), items, officials, orphans, added,
                       session.get(ArticleMark, article.id), offsets)


def _key(r: Review) -> tuple:
    return (r.fact_kind, r.value_start, r.value_end, r.fact_value)


def _add_keys(reviews: list[Review]) -> set[tuple]:
    return {_key(r) for r in reviews if r.action == "add"}


def added_in_force(unmatched: list[Review]) -> list[Review]:
    """Of reviews that match no extracted fact, the 'add' ones whose identity was not withdrawn since."""
    latest: dict[tuple, Review] = {}
    for r in unmatched:
        if _key(r) in _add_keys(unmatched):
            latest[_key(r)] = r
    return sorted((r for r in latest.values() if r.action == "add"), key=lambda r: r.value_start)


def highlight(text: str, items: list[FactItem], added: list[Review] = ()) -> list[Markup]:
    """The cleaned text as escaped paragraphs, every extracted number wrapped in a <mark>, every number
    a reviewer added in a <mark class="added">."""
    spans = sorted([(i.fact.value_start, i.fact.value_end, i) for i in items] +
                   [(r.value_start, r.value_end, r) for r in added], key=lambda s: s[0])
    paragraphs, offset = [], 0
    for line in text.split("\n"):
        start, end = offset, offset + len(line)
        offset = end + 1
        parts, cursor = [], start
        for a, b, item in spans:
            if a < start or b > end or a < cursor:
                continue
            parts.append(escape(text[cursor:a]))
            if isinstance(item, Review):
                parts.append(Markup('<mark id="ma{id}" class="kind-{kind} status-added added" data-card="a{id}" '
                                    'title="{kind} · added by {who}"><a href="#a{id}">{num}</a></mark>').format(
                    id=item.id, kind=item.kind, who=item.reviewer, num=text[a:b]))
                cursor = b
                continue
            parts.append(Markup('<mark id="m{id}" class="kind-{kind} status-{status}" data-card="f{id}" '
                                'title="{kind} · {status}"><a href="#f{id}">{num}</a></mark>').format(
                id=item.fact.id, kind=item.state["kind"], status=item.status, num=text[a:b]))
            cursor = b
        parts.append(escape(text[cursor:end]))
        paragraphs.append(Markup("").join(parts))
    return paragraphs


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
    :func:`refresh_fact_counts`) and how many of them are decided (any review), a correlated subquery
    that costs an index probe on reviews for an article nobody reviewed."""
    total = func.coalesce(ArticleFactCount.facts, 0)
    decided = (select(func.count(func.distinct(Fact.id))).select_from(Review)
               .join(Fact, and_(Review.article_id == Fact.article_id, Review.fact_kind == Fact.kind,
                                Review.value_start == Fact.value_start, Review.value_end == Fact.value_end,
                                or_(Review.fact_value == Fact.value,
                                    and_(Review.fact_value.is_(None), Fact.value.is_(None)))))
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
                from extractors.places import resolve_province

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
    facts = [(a, k, st, en, v) for a, ver, k, st, en, v in session.execute(
        select(Fact.article_id, Fact.extractor_version, Fact.kind, Fact.value_start, Fact.value_end, Fact.value)
        .where(Fact.article_id.in_(ids))) if ver == versions.get(a)]
    by_article: dict[int, list[Review]] = {}
    for r in session.scalars(select(Review).where(Review.article_id.in_(ids)).order_by(Review.id)):
        by_article.setdefault(r.article_id, []).append(r)
    counts = {i: {"pending": 0, "accepted": 0, "edited": 0, "rejected": 0, "added": 0} for i in ids}
    matched: dict[int, set[tuple]] = {i: set() for i in ids}
    latest: dict[int, dict[tuple, Review]] = {i: {} for i in ids}
    for r in (r for rs in by_article.values() for r in rs):
        latest[r.article_id][_key(r)] = r
    for article_id, kind, start, end, value in facts:
        k = (kind, start, end, value)
        matched[article_id].add(k)
        counts[article_id][status_of(latest[article_id].get(k))] += 1
    for i in ids:
        unmatched = [r for r in by_article.get(i, []) if _key(r) not in matched[i]]
        counts[i]["added"] = len(added_in_force(unmatched))
    for row in rows:
        row.counts = counts[row.id]
        row.pending = counts[row.id]["pending"]
        row.total = sum(counts[row.id][k] for k in ("pending", "accepted", "edited", "rejected"))


def province_choices() -> list[dict]:
    """The filter's options: each current unit, then the legacy provinces it took in, both names shown."""
    groups: dict[str, dict] = {}
    for p in sorted(gazetteer.provinces().values(), key=lambda p: (p.current_name, p.legacy_name)):
        g = groups.setdefault(p.current_code, {"code": p.current_code, "name": p.current_name, "legacy": []})
        g["legacy"].append({"code": p.legacy_code, "name": p.legacy_name})
    return list(groups.values())
