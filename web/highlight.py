"""The article's text as the review page shows it: escaped paragraphs with every fact's number marked."""
from __future__ import annotations

from markupsafe import Markup, escape

from store.models import Review
from store.reviews import FactItem


def highlight(text: str, items: list[FactItem], added: list[Review] = ()) -> list[Markup]:
    """The cleaned text as escaped paragraphs, every extracted number wrapped in a <mark>, every number
    a reviewer added in a <mark class="added">."""
    spans = sorted([(i.fact.value_start, i.fact.value_end, i) for i in items] +
                   [(r.at_start, r.at_end, r) for r in added], key=lambda s: s[0])
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
