"""Main text and title from an HTML page (trafilatura), with source-specific removals, and the date the
page's metadata states (htmldate)."""
from __future__ import annotations

from dataclasses import dataclass

import regex

from pipeline.errors import ArticleError
from settings import thresholds


@dataclass
class HtmlContent:
    text: str
    title: str | None
    published: str | None         # from the page's date metadata only (see :func:`metadata_date`)


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
    data = (result.as_dict() if hasattr(result, "as_dict") else dict(result)) if result is not None else {}
    text = data.get("text") or ""
    if not text.strip():
        # Fallback for pages trafilatura cannot read (deeply nested or unusual markup): the body's
        # text without scripts, styles and navigation.
        text = _plain_text(html)
    if not text.strip():
        raise ArticleError("no main text found in the HTML page")
    title = data.get("title")
    body = f"{title}\n{text}" if title and not text.startswith(title) else text
    return HtmlContent(body, title, metadata_date(html))


def metadata_date(html: str) -> str | None:
    """The publication date the page's markup states (``article:published_time``, JSON-LD
    ``datePublished``, ``<time datetime>``, …), as YYYY-MM-DD, or None.

    htmldate's extensive search is off: it would take any date-like phrase of the text, and a
    report's period ("9 tháng năm 2024" → 2024-01-01) is not when it was published. trafilatura's own
    ``date`` runs that search, so it is not used."""
    from htmldate import find_date

    try:
        return find_date(html, extensive_search=False, original_date=True, outputformat="%Y-%m-%d")
    except Exception:  # htmldate parses third-party markup; a page it cannot read simply has no stated date
        return None


NON_TEXT_BLOCKS = regex.compile(r"<(script|style|noscript|nav|footer|header)\b.*?</\1\s*>", regex.IGNORECASE | regex.DOTALL)
TAG = regex.compile(r"<[^>]*>")


def _plain_text(html: str) -> str:
    """The body's text by a parser, or, where the parser gives up (libxml2 stops at 256 levels of
    nesting), by stripping the tags."""
    import html as html_lib

    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(html, parser=lxml_html.HTMLParser(huge_tree=True))
        for node in tree.xpath("//script|//style|//nav|//footer|//header|//noscript"):
            node.drop_tree()
        text = " ".join(tree.text_content().split())
    except Exception:  # lxml raises several unrelated types on broken markup
        text = ""
    if len(text.split()) < thresholds.MIN_FALLBACK_WORDS:
        stripped = NON_TEXT_BLOCKS.sub(" ", html)
        text = " ".join(html_lib.unescape(TAG.sub(" ", stripped)).split())
    return text if len(text.split()) >= thresholds.MIN_FALLBACK_WORDS else ""
