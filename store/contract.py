"""The SQL contract: what each column of the downstream views means, and the generated reference.

``docs/REFERENCE.md`` is generated from this module and the models (``vnfacts db reference``); a
test regenerates it and checks it, and checks that the views have exactly the documented columns.
"""
from __future__ import annotations

from store.models import Base

VIEWS: dict[str, dict[str, str]] = {
    "facts_current": {
        "fact_id": "Id of the machine fact (facts.id); stable while the extractor version is unchanged.",
        "article_id": "Id of the article (articles.id).",
        "article": "The article's key: the file stem, or a slug and hash of its URL.",
        "source": "Key of the source in sources.yaml.",
        "url": "Where the article was fetched from (null for local files).",
        "title": "The article's headline.",
        "published": "Publication date, when the source or the text gives it.",
        "extractor_version": "Version of the extractors that produced the fact.",
        "kind": "percent | count | quantity | ratio | money | score (after review).",
        "value": "The number (a ratio's value is numerator / denominator); money in đồng or dollars.",
        "numerator": "A ratio's numerator (95 in 95/95), else null.",
        "denominator": "A ratio's denominator, else null.",
        "unit": "% for percents, VND/USD for money, the unit of measure, or the counted noun (văn bản, lượt).",
        "qualifier": "exact | over (hơn, trên, vượt) | under (dưới, chưa đến) | approx (gần, khoảng, ước đạt).",
        "role": "actual | change (tăng/giảm … so với …) | target (chỉ tiêu, mục tiêu, kế hoạch).",
        "direction": "For a change: increase | decrease.",
        "baseline": "For a change: the period compared with (2022, 2016-12) or same_period.",
        "period": "The period the value is about: 2023, 2024-H1, 2024-Q3, 2024-9M, 2017-01, 2023-2024.",
        "period_start": "First day of the period.",
        "period_end": "Last day of the period.",
        "as_of": "Date the value stands at (tính đến ngày …): ISO date, or YYYY-MM when only the month is known.",
        "negated": "True when the text says the quantity was not reached.",
        "concept": "Indicator key from gazetteer/data/concepts.yaml; 'other' when none fits.",
        "indicator": "The phrase the number measures, as written.",
        "subject": "The organisation the sentence credits with the figure (Sở Tư pháp), when named.",
        "province_legacy_code": "Province of the article on the pre-2025 map (63 units), official code.",
        "province_legacy_name": "Its name on the pre-2025 map.",
        "province_current_code": "The unit it belongs to since 1 July 2025 (34 units), official code.",
        "province_current_name": "Its name on the current map.",
        "evidence": "The sentence that states the fact.",
        "evidence_start": "Offset of the sentence in the article's cleaned text.",
        "evidence_end": "End offset of the sentence.",
        "value_start": "Offset of the number in the cleaned text.",
        "value_end": "End offset of the number.",
        "mentions": "How many times the article states this fact (headline, lead, captions, body): one fact, one row, so sums count it once.",
        "percent_of": "What a percentage is of when it is not a rate: plan | estimate | target | prior_period (null for a rate).",
        "added_by_review": "For a fact a reviewer added: the id of its 'add' review (null for extracted facts).",
        "review_status": "pending | accepted | edited | added (rejected facts are not in the view; orphaned "
                         "additions, whose number is no longer in the text, are not either).",
        "reviewed_by": "Who made the latest decision, when there is one.",
        "reviewed_at": "When the latest decision was made.",
    },
    "officials_current": {
        "official_id": "Id of the person in the registry (officials.id).",
        "name": "Full name, without honorifics.",
        "rank": "Military or police rank (Đại tá, Trung tướng, …), or null.",
        "titles": "Every title the articles give the person (JSON list of strings).",
        "province_legacy_code": "The person's province on the pre-2025 map, when known.",
        "province_legacy_name": "Its name.",
        "province_current_code": "The unit it belongs to since 1 July 2025.",
        "province_current_name": "Its name.",
        "articles": "How many stored articles name the person.",
        "last_published": "Publication date of the latest of those articles.",
    },
    "observations": {
        "observation_id": "The lowest fact_id of the series key (a stable handle while that fact stays).",
        "province_legacy_code": "Province on the pre-2025 map (series key).",
        "province_legacy_name": "Its name.",
        "province_current_code": "The unit it belongs to since 1 July 2025.",
        "province_current_name": "Its name.",
        "concept": "Indicator key (series key; facts of concept 'other', negated facts and facts without period and as_of are not observations).",
        "kind": "percent | count | quantity | ratio | money | score (series key).",
        "role": "actual | change | target (series key).",
        "direction": "For a change: increase | decrease (series key).",
        "unit": "Its unit (series key).",
        "percent_of": "plan | estimate | target | prior_period, null for a rate (series key).",
        "period": "The period the value is about (series key).",
        "period_start": "First day of the period.",
        "period_end": "Last day of the period.",
        "as_of": "Date the value stands at (series key).",
        "value": "The chosen value (docs/OBSERVATIONS.md).",
        "chosen_by": "The rule that chose it: only_value | reviewer | latest_review | latest_published | most_mentions | first_stored.",
        "distinct_values": "How many different values the articles report for this key.",
        "facts": "How many facts_current rows the key has.",
        "articles": "How many articles report it.",
        "sources": "How many sources those articles come from.",
        "mentions": "How many times those articles state it in all.",
        "first_published": "Publication date of the earliest reporting article.",
        "last_published": "Publication date of the latest one.",
        "fact_ids": "The ids of those facts, comma-separated.",
        "article_ids": "The ids of those articles, comma-separated.",
    },
}


def reference_markdown() -> str:
    lines = ["# vnfacts — SQL reference", "",
             "Generated by `vnfacts db reference` from `store/contract.py` and the models;",
             "a test keeps it in sync. Downstream tools read the **views**; the tables may change between versions.", ""]
    for view, columns in VIEWS.items():
        lines += [f"## View `{view}`", "", "| column | meaning |", "|---|---|"]
        lines += [f"| `{name}` | {meaning} |" for name, meaning in columns.items()]
        lines.append("")
    lines += ["## Tables", ""]
    for table in Base.metadata.sorted_tables:
        lines += [f"### `{table.name}`", "", "| column | type | null |", "|---|---|---|"]
        lines += [f"| `{c.name}` | {c.type} | {'yes' if c.nullable else 'no'} |" for c in table.columns]
        lines.append("")
    return "\n".join(lines)
