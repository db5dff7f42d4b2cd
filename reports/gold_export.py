"""Reviews become gold: articles a reviewer marked fully reviewed, written in the format of docs/GOLD.md
with their cleaned texts, so ``vnfacts eval --gold OUT/gold OUT/texts`` measures the extractors against
what reviewers decided. Only decided facts are written (accepted, edited, or added by a reviewer);
a pending fact (one a re-extraction brought after the mark) never reaches gold."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import regex
from sqlalchemy import select, text
from sqlalchemy.orm import Session

import gazetteer
from store.models import Article, ArticleMark, Fact, Official, OfficialMention, Review

CONTEXT_WORDS_BEFORE, CONTEXT_WORDS_AFTER = 3, 2
SENTENCE_END = regex.compile(r"[.!?;\n]\s")


@dataclass
class GoldSummary:
    articles: int = 0
    facts: int = 0
    added: int = 0
    pending_left_out: int = 0


def export_gold(session: Session, out: Path) -> GoldSummary:
    """Write ``out/gold/KEY.json`` and ``out/texts/KEY.txt`` for every article marked reviewed."""
    (out / "gold").mkdir(parents=True, exist_ok=True)
    (out / "texts").mkdir(parents=True, exist_ok=True)
    query = (select(Article).join(ArticleMark, ArticleMark.article_id == Article.id)
             .where(Article.status == "ok", Article.duplicate_of_id.is_(None)).order_by(Article.id))
    names = {p.legacy_code: p for p in gazetteer.provinces().values()}
    summary = GoldSummary()
    for article in session.scalars(query):
        province = names.get(article.province_legacy_code)
        rows = list(session.execute(text("SELECT * FROM facts_current WHERE article_id = :a ORDER BY value_start"),
                                    {"a": article.id}).mappings())
        decided = [row for row in rows if row["review_status"] != "pending"]
        summary.pending_left_out += len(rows) - len(decided)
        added = [_added_row(article.cleaned_text or "", r) for r in added_facts(session, article)]
        summary.added += len(added)
        facts = [_gold_fact(article.cleaned_text, row)
                 for row in sorted(decided + added, key=lambda r: r["value_start"])]
        summary.facts += len(facts)
        officials = [{"name": o.name, "rank": m.rank, "titles": m.titles}
                     for m, o in session.execute(select(OfficialMention, Official)
                                                 .join(Official, Official.id == OfficialMention.official_id)
                                                 .where(OfficialMention.article_id == article.id,
                                                        OfficialMention.extractor_version == article.extractor_version))]
        gold = {"article": article.article_key,
                "province": {"legacy": province.legacy_name if province else None,
                             "current": province.current_name if province else None},
                "published": article.published.isoformat() if article.published else None,
                "officials": officials, "facts": facts, "optional": []}
        (out / "gold" / f"{article.article_key}.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1),
                                                                  encoding="utf-8")
        (out / "texts" / f"{article.article_key}.txt").write_text(article.cleaned_text or "", encoding="utf-8")
        summary.articles += 1
    return summary


def added_facts(session: Session, article: Article) -> list[Review]:
    """The reviewer's additions in force: 'add' reviews not withdrawn since (a later 'reject' on the same
    identity) and not matched by an extracted fact (then the review is that fact's decision instead)."""
    current = {(k, a, b, v) for k, a, b, v in session.execute(
        select(Fact.kind, Fact.value_start, Fact.value_end, Fact.value)
        .where(Fact.article_id == article.id, Fact.extractor_version == article.extractor_version))}
    history = list(session.scalars(select(Review).where(Review.article_id == article.id).order_by(Review.id)))
    keys = {(r.fact_kind, r.value_start, r.value_end, r.fact_value) for r in history if r.action == "add"} - current
    latest = {}
    for r in history:
        key = (r.fact_kind, r.value_start, r.value_end, r.fact_value)
        if key in keys:
            latest[key] = r
    return sorted((r for r in latest.values() if r.action == "add"), key=lambda r: r.value_start)


def _added_row(text_: str, review: Review) -> dict:
    """An added fact in the shape of a facts_current row; its evidence is the sentence around the span."""
    start = max((m.end() for m in SENTENCE_END.finditer(text_, 0, review.value_start)), default=0)
    end_match = SENTENCE_END.search(text_, review.value_end)
    end = end_match.start() + 1 if end_match else len(text_)
    return {"kind": review.kind, "value": review.value, "numerator": None, "denominator": None,
            "qualifier": review.qualifier or "exact", "role": review.role or "actual", "negated": bool(review.negated),
            "direction": review.direction, "baseline": review.baseline, "period": review.period,
            "as_of": review.as_of, "unit": review.unit, "concept": review.concept or "other",
            "evidence_start": start, "evidence_end": end, "value_start": review.value_start,
            "value_end": review.value_end}


def _gold_fact(text_: str, row) -> dict:
    value = [row["numerator"], row["denominator"]] if row["kind"] == "ratio" else row["value"]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, list):
        value = [int(v) if float(v).is_integer() else v for v in value]
    fact = {"kind": row["kind"], "value": value, "context": _context(text_, row),
            "qualifier": row["qualifier"], "role": row["role"], "negated": bool(row["negated"])}
    for key in ("direction", "baseline", "period", "as_of", "unit", "concept"):
        if row[key] is not None:
            fact[key] = row[key]
    if row["kind"] == "rank" and row["denominator"] is not None:
        fact["of"] = int(row["denominator"])            # the size of the ranking (docs/GOLD.md)
    return fact


def _context(text_: str, row) -> str:
    """A few words around the number, inside its evidence sentence."""
    start, end = row["evidence_start"], row["evidence_end"]
    before = regex.findall(r"\S+", text_[start:row["value_start"]])[-CONTEXT_WORDS_BEFORE:]
    after = regex.findall(r"\S+", text_[row["value_end"]:end])[:CONTEXT_WORDS_AFTER]
    return " ".join([*before, text_[row["value_start"]:row["value_end"]] + (after[0] if after and
                     not text_[row["value_end"]:row["value_end"] + 1].isspace() else "")] +
                    (after[1:] if after and not text_[row["value_end"]:row["value_end"] + 1].isspace() else after)).strip()
