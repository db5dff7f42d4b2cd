"""The publication date comes only from what states one: sidecar, page metadata, URL, dateline.
A period phrase at the start of a text is never a publication date (issue 25)."""
from __future__ import annotations

import hashlib

import pytest

from pipeline.extract import extract_article
from pipeline.fetch import RawArticle
from pipeline.published import published_day

PERIOD_OPENINGS = ("9 tháng năm 2024, tỉnh Hà Giang đã cấp 10.000 tài khoản định danh điện tử cho người dân.",
                   "Đến hết tháng 8/2024, tỉnh Hà Giang đã cấp 10.000 tài khoản định danh điện tử cho người dân.")


def published(content: str, is_html: bool = False, meta: dict | None = None, url: str | None = None) -> str | None:
    raw = RawArticle(article="t", content=content, is_html=is_html, meta=meta or {}, url=url,
                     content_hash=hashlib.sha256(content.encode()).hexdigest())
    return extract_article(raw).published


def page(head: str, body: str) -> str:
    return (f"<html><head><title>Sơ kết Đề án 06</title>{head}</head><body><article><h1>Sơ kết Đề án 06</h1>"
            f"<p>{body}</p><p>Các sở, ngành tiếp tục triển khai các nhiệm vụ của Đề án trong thời gian tới.</p>"
            "</article></body></html>")


@pytest.mark.parametrize("text", PERIOD_OPENINGS)
def test_a_period_phrase_at_the_start_is_not_a_publication_date(text):
    assert published(text) is None
    assert published(page("", text), is_html=True) is None       # htmldate's text search would say 2024-01-01 / 2024-08-01


def test_the_sidecar_date_comes_first():
    assert published(PERIOD_OPENINGS[0], meta={"published": "2024-10-03T08:00:00+07:00"}) == "2024-10-03"
    assert published(PERIOD_OPENINGS[0], meta={"published": "not a date"}) is None


@pytest.mark.parametrize("head, expected", [
    ('<meta property="article:published_time" content="2024-07-21T10:00:00+07:00">', "2024-07-21"),
    ('<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle", '
     '"datePublished": "2023-03-05T08:00:00+07:00"}</script>', "2023-03-05"),
])
def test_the_pages_date_metadata_is_read(head, expected):
    assert published(page(head, PERIOD_OPENINGS[0]), is_html=True) == expected


def test_a_time_element_is_read():
    html = page("", PERIOD_OPENINGS[1]).replace("<h1>", '<time datetime="2022-11-02T07:30:00">2/11/2022</time><h1>')
    assert published(html, is_html=True) == "2022-11-02"


def test_a_date_in_the_address_is_read():
    assert published(PERIOD_OPENINGS[0], url="https://baohagiang.vn/2024/10/03/so-ket-de-an-06.html") == "2024-10-03"
    assert published(PERIOD_OPENINGS[0], meta={"url": "https://x.vn/tin-tuc-20240915.htm"}) == "2024-09-15"


def test_a_dateline_timestamp_is_read_and_a_month_only_marker_names_no_day():
    assert published("13:47 21/07/2023\n" + PERIOD_OPENINGS[0]) == "2023-07-21"
    assert published("date 2023-05\n" + PERIOD_OPENINGS[0]) is None


@pytest.mark.parametrize("stamp", ["Thứ Năm, 18/04/2024 - 10:30", "Cập nhật: 10:30 18/4/2024",
                                   "Ngày đăng: 18/04/2024 (GMT+7)", "Chủ nhật, 18-04-2024, 07:05",
                                   "PV Miền Trung 18/04/2024 10:03 GMT+7", "Th 5, 18/04/2024 | 08:41 SA"])
def test_a_stamp_line_under_the_headline_is_a_dateline(stamp):
    text = "Huyện cấp 1.200 thẻ căn cước cho người dân\n" + stamp + "\nToàn huyện cấp 1.200 thẻ căn cước."
    assert published_day(None, None, None, text) == (__import__("datetime").date(2024, 4, 18), "dateline")


def test_a_sentence_that_dates_a_figure_is_no_stamp():
    text = "Huyện cấp thẻ căn cước\nĐến 18/4/2024, toàn huyện cấp 1.200 thẻ căn cước.\n18/4/2024"
    assert published_day(None, None, None, "Tiêu đề\n" + "Dòng.\n" * 4 + "18/4/2024") == (None, None)
    assert published_day(None, None, None, text[:text.rindex("\n")]) == (None, None)


def test_the_order_of_sources_and_each_source_named():
    assert published_day("2024-01-02", "2024-02-03", "https://x.vn/2024/03/04/a", "") == \
        (__import__("datetime").date(2024, 1, 2), "sidecar")
    assert published_day(None, "2024-02-03", "https://x.vn/2024/03/04/a", "")[1] == "metadata"
    assert published_day(None, None, "https://x.vn/2024/03/04/a", "10:00 05/06/2024 x")[1] == "url"
    assert published_day(None, None, None, "10:00 05/06/2024 x")[1] == "dateline"
    assert published_day(None, None, "https://x.vn/2024/13/45/a", "x") == (None, None)
