"""Reviews become gold: articles a reviewer marked fully reviewed, written in the format of docs/GOLD.md
with their cleaned texts, so ``vnfacts eval --gold OUT/gold OUT/texts`` measures the extractors against
what reviewers decided. Only decided facts are written (accepted, edited, or added by a reviewer);
a pending fact (one a re-extraction brought after the mark) and an orphaned addition (its number is no
longer in the text) never reach gold. Which facts are decided is the store's rule (store/reviews.py)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import regex
from sqlalchemy.orm import Session

import gazetteer
from store import reviews

CONTEXT_WORDS_BEFORE, CONTEXT_WORDS_AFTER = 3, 2


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
    names = {p.legacy_code: p for p in gazetteer.provinces().values()}
    summary = GoldSummary()
    for article in reviews.reviewed_articles(session):
        province = names.get(article.province_legacy_code)
        decided, pending = reviews.decided_facts(session, article)
        summary.pending_left_out += pending
        summary.added += sum(1 for row in decided if row["review_status"] == "added")
        facts = [_gold_fact(article.cleaned_text, row) for row in decided]
        summary.facts += len(facts)
        officials = [{"name": o["name"], "rank": o["rank"], "titles": o["titles"]}
                     for o in reviews.article_officials(session, article)]
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
