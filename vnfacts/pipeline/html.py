"""Main text, title and publish date from an HTML page (trafilatura), with source-specific removals."""
from __future__ import annotations

from dataclasses import dataclass

from vnfacts.pipeline.errors import ArticleError


@dataclass
class HtmlContent:
    text: str
    title: str | None
    published: str | None


def html_to_text(html: str, remove_selectors: list[str] | None = None) -> HtmlContent:
    import trafilatura
    from lxml import html as lxml_html

    if remove_selectors:
        try:
            tree = lxml_html.fromstring(html)
            for selector in remove_selectors:
                for node in tree.cssselect(selector):
                    node.drop_tree()
            html = lxml_html.tostring(tree, encoding="unicode")
        except Exception as exc:  # lxml raises several unrelated types on broken markup
            raise ArticleError(f"cannot apply remove_selectors: {exc}") from None
    result = trafilatura.bare_extraction(html, include_comments=False, include_tables=True, with_metadata=True)
    if result is None:
        raise ArticleError("no main text found in the HTML page")
    data = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    text = data.get("text") or ""
    if not text.strip():
        raise ArticleError("no main text found in the HTML page")
    title = data.get("title")
    body = f"{title}\n{text}" if title and not text.startswith(title) else text
    return HtmlContent(body, title, data.get("date"))
