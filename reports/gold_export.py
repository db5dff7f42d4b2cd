"""Reviews become gold: reviewed articles written in the format of GOLD.md, with their cleaned texts,
so ``vnfacts eval --gold OUT/gold OUT/texts`` measures the extractors against what reviewers corrected."""
from __future__ import annotations

import json
from pathlib import Path

import regex
from sqlalchemy import select, text
from sqlalchemy.orm import Session

import gazetteer
from pipeline.store.models import Article, Official, OfficialMention, Review

CONTEXT_WORDS_BEFORE, CONTEXT_WORDS_AFTER = 3, 2


def export_gold(session: Session, out: Path, status: str = "reviewed") -> int:
    """Write ``out/gold/KEY.json`` and ``out/texts/KEY.txt``; returns how many articles were written."""
    (out / "gold").mkdir(parents=True, exist_ok=True)
    (out / "texts").mkdir(parents=True, exist_ok=True)
    query = select(Article).where(Article.status == "ok", Article.duplicate_of_id.is_(None)).order_by(Article.id)
    if status == "reviewed":
        query = query.where(Article.id.in_(select(Review.article_id)))
    names = {p.legacy_code: p for p in gazetteer.provinces().values()}
    count = 0
    for article in session.scalars(query):
        province = names.get(article.province_legacy_code)
        facts = [_gold_fact(article.cleaned_text, row) for row in session.execute(text(
            "SELECT * FROM facts_current WHERE article_id = :a ORDER BY value_start"), {"a": article.id}).mappings()]
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
        count += 1
    return count


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
        fact["of"] = int(row["denominator"])            # the size of the ranking (GOLD.md)
    return fact


def _context(text_: str, row) -> str:
    """A few words around the number, inside its evidence sentence."""
    start, end = row["evidence_start"], row["evidence_end"]
    before = regex.findall(r"\S+", text_[start:row["value_start"]])[-CONTEXT_WORDS_BEFORE:]
    after = regex.findall(r"\S+", text_[row["value_end"]:end])[:CONTEXT_WORDS_AFTER]
    return " ".join([*before, text_[row["value_start"]:row["value_end"]] + (after[0] if after and
                     not text_[row["value_end"]:row["value_end"] + 1].isspace() else "")] +
                    (after[1:] if after and not text_[row["value_end"]:row["value_end"] + 1].isspace() else after)).strip()
