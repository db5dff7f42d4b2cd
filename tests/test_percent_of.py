"""What a percentage is of: a share of a plan, an estimate, a target or the same period last year is
kept apart from a rate of a population (issue 25); the words are gazetteer data."""
from __future__ import annotations

import pytest

import gazetteer
from extractors.percent_of import percent_of
from helpers import one_fact


@pytest.mark.parametrize("sentence, value, expected", [
    ("Giải ngân vốn đầu tư công đạt 71,2% kế hoạch năm 2024.", 71.2, "plan"),
    ("Thu ngân sách nhà nước trên địa bàn bằng 58% dự toán.", 58, "estimate"),
    ("Tỉnh đã cấp thẻ căn cước đạt 115% chỉ tiêu được giao.", 115, "target"),
    ("Tỷ lệ giải ngân đạt 45% so với kế hoạch vốn.", 45, "plan"),
    ("Kim ngạch xuất khẩu bằng 105% so với cùng kỳ năm trước.", 105, "prior_period"),
    ("Tỷ lệ hộ nghèo toàn tỉnh còn 12,5%.", 12.5, None),
    ("Tỷ lệ kích hoạt tài khoản định danh điện tử đạt 75,1% dân số.", 75.1, None),
    ("Số khách quốc tế tăng 30,2% so với cùng kỳ năm 2016.", 30.2, None),       # a change: role says it
])
def test_what_a_percentage_is_of(sentence, value, expected):
    assert one_fact(sentence, value)["percent_of"] == expected


def test_the_words_are_data_and_the_match_is_whole_words():
    assert gazetteer.percent_bases().bases["dự toán"] == "estimate"
    text = "đạt 80% khách hàng"          # "kh…" is not the abbreviation KH
    assert percent_of(text, text.index("%") + 1) is None
    text = "đạt 80% KH năm"
    assert percent_of(text, text.index("%") + 1) == "plan"
