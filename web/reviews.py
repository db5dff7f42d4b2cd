"""Review logic: the state of each fact after its reviews, recording a decision (append-only, with an
optimistic version check), the history of a fact, orphaned reviews, and the article page's model.
Plain functions over a SQLAlchemy session; the web app only renders what they return."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import regex
from markupsafe import Markup, escape
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

import gazetteer
from extractors.periods import period_bounds
from pipeline.errors import VnfactsError
from pipeline.store.models import EDITABLE_FIELDS, Article, Fact, Official, OfficialMention, Review, Source

KINDS = ("percent", "count", "quantity", "ratio", "money", "score", "rank")
QUALIFIERS = ("exact", "over", "under", "approx")
ROLES = ("actual", "change", "target")
DIRECTIONS = ("", "increase", "decrease")
PERIOD = regex.compile(r"\d{4}(?:-(?:H[12]|Q[1-4]|9M|0[1-9]|1[0-2]|\d{4}))?")
AS_OF = regex.compile(r"\d{4}-\d{2}(?:-\d{2})?")


class ReviewError(VnfactsError):
    """A decision that cannot be recorded as sent (a bad field value)."""


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
    return {None: "pending", "accept": "accepted", "edit": "edited", "reject": "rejected"}[review.action if review else None]


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
                    note=(note or "").strip()[:2000] or None, created_at=dt.datetime.now(dt.timezone.utc))
    # The latest review carries the whole reviewed state: accepting keeps earlier edits.
    carried = state_after(fact, latest) if latest and latest.action != "reject" else machine_state(fact)
    if action == "edit":
        carried.update(validate_edits(edits or {}))
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
    """Typed, checked field values from an edit form (only the fields present)."""
    out: dict = {}

    def choice(name: str, allowed: tuple[str, ...]):
        if name in form:
            value = (form[name] or "").strip()
            if value not in allowed:
                raise ReviewError(f"{name} must be one of {', '.join(a for a in allowed if a) or '—'}")
            out[name] = value or None

    choice("kind", KINDS)
    choice("qualifier", QUALIFIERS)
    choice("role", ROLES)
    choice("direction", DIRECTIONS)
    if "concept" in form:
        concept = (form["concept"] or "").strip()
        if concept not in gazetteer.concepts():
            raise ReviewError("concept must be a key of the vocabulary")
        out["concept"] = concept
    if "value" in form:
        raw = (form["value"] or "").strip().replace(" ", "")
        try:
            out["value"] = float(raw.replace(",", ".")) if raw.count(",") == 1 and "." not in raw else float(raw)
        except ValueError:
            raise ReviewError(f"value must be a number, not {raw!r}") from None
    for name, pattern in (("period", PERIOD), ("as_of", AS_OF), ("baseline", None)):
        if name in form:
            value = (form[name] or "").strip() or None
            if value and pattern is not None and not pattern.fullmatch(value):
                raise ReviewError(f"{name} {value!r} is not a valid label")
            out[name] = value
    if "unit" in form:
        out["unit"] = (form["unit"] or "").strip()[:100] or None
    if "negated" in form or form.get("_has_negated"):
        out["negated"] = str(form.get("negated", "")).lower() in ("1", "true", "on", "yes")
    return out


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
    orphans = [r for r in session.scalars(select(Review).where(Review.article_id == article.id).order_by(Review.id))
               if r.id not in matched]
    officials = [{"name": o.name, "rank": m.rank, "titles": m.titles, "found_by": m.found_by}
                 for m, o in session.execute(select(OfficialMention, Official)
                                             .join(Official, Official.id == OfficialMention.official_id)
                                             .where(OfficialMention.article_id == article.id,
                                                    OfficialMention.extractor_version == article.extractor_version))]
    source = session.get(Source, article.source_id).key
    return ArticleView(article, source, highlight(article.cleaned_text or "", items), items, officials, orphans)


def highlight(text: str, items: list[FactItem]) -> list[Markup]:
    """The cleaned text as escaped paragraphs, every extracted number wrapped in a <mark>."""
    spans = sorted(((i.fact.value_start, i.fact.value_end, i) for i in items), key=lambda s: s[0])
    paragraphs, offset = [], 0
    for line in text.split("\n"):
        start, end = offset, offset + len(line)
        offset = end + 1
        parts, cursor = [], start
        for a, b, item in spans:
            if a < start or b > end or a < cursor:
                continue
            parts.append(escape(text[cursor:a]))
            parts.append(Markup('<mark id="m{id}" class="kind-{kind} status-{status}" title="{kind} · {status}">'
                                '<a href="#f{id}">{num}</a></mark>').format(
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
    province: str | None
    status: str
    counts: dict


def list_articles(session: Session, source: str | None = None, province: str | None = None,
                  review: str | None = None, concept: str | None = None, page: int = 1, per_page: int = 50) -> tuple[list[ArticleRow], int]:
    query = select(Article, Source.key).join(Source, Source.id == Article.source_id).order_by(Article.id)
    if source:
        query = query.where(Source.key == source)
    if province:
        from extractors.places import resolve_province

        ref = resolve_province(province)
        query = query.where(or_(Article.province_legacy_code == (ref.legacy_code if ref else province),
                                Article.province_current_code == (ref.current_code if ref else province)))
    if concept:
        query = query.where(Article.id.in_(select(Fact.article_id).where(Fact.concept == concept)))
    names = {p.legacy_code: p.legacy_name for p in gazetteer.provinces().values()}
    rows = []
    for article, key in session.execute(query):
        counts = {"pending": 0, "accepted": 0, "edited": 0, "rejected": 0}
        for fact in current_facts(session, article):
            history = reviews_of(session, fact)
            counts[status_of(history[-1] if history else None)] += 1
        if review == "pending" and not counts["pending"]:
            continue
        if review == "reviewed" and counts["pending"] == sum(counts.values()):
            continue
        rows.append(ArticleRow(article.id, article.article_key, article.title, key,
                               names.get(article.province_legacy_code), article.status, counts))
    total = len(rows)
    return rows[(page - 1) * per_page: page * per_page], total
