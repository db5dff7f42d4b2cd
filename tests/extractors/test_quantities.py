"""Quantities: kinds, values, units, qualifiers, offsets — and numbers that are not facts."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import facts_of, mentions_of, one_fact


@pytest.mark.parametrize("sentence, kind, value, unit, qualifier", [
    ("UBND tỉnh ban hành 43 văn bản chỉ đạo.", "count", 43, "văn bản", "exact"),
    ("Năm 2023 tỷ lệ này đạt 86,7%.", "percent", 86.7, "%", "exact"),
    ("Đã thực hiện hơn 154.000 lượt truy xuất thông tin cư trú.", "count", 154000, "lượt", "over"),
    ("Tổng số tiền gần 22 tỷ đồng đã được chi trả.", "money", 22000000000, "VND", "approx"),
    ("Điểm tự chấm ước đạt 774.45 điểm.", "score", 774.45, "điểm", "approx"),
    ("Xuất khẩu khoảng 5,8 triệu tấn gạo.", "quantity", 5800000, "tấn", "approx"),
    ("Trạm xây cách nhà dân chưa đầy 2m.", "quantity", 2, "m", "under"),
    ("Đã có 95/95 cơ sở khám chữa bệnh thực hiện.", "ratio", [95, 95], "cơ sở", "exact"),
    ("Tỉnh đã triển khai 23 trong tổng số 25 dịch vụ công thiết yếu.", "ratio", [23, 25], "dịch vụ", "exact"),
    ("Bệnh viện và 02 Bệnh viện tư nhân đã triển khai.", "count", 2, "Bệnh viện", "exact"),
    ("Hai huyện Kiến Xương và Tiền Hải được miễn phí.", "count", 2, "huyện", "exact"),
    ("Giá thu mua ở mức 4.300 đồng/kg.", "money", 4300, "VND", "exact"),
    ("Khoản vay khoảng 136 triệu USD.", "money", 136000000, "USD", "approx"),
    ("Tỷ lệ giải quyết đạt tối thiểu 30% hồ sơ.", "percent", 30, "%", "over"),
    ("Đã kích hoạt trên 936.000 tài khoản.", "count", 936000, "tài khoản", "over"),
    ("UBND TP hiện có 5 Phó Chủ tịch UBND.", "count", 5, "Phó Chủ tịch", "exact"),
])
def test_quantity_table(sentence, kind, value, unit, qualifier):
    fact = one_fact(sentence, value)
    assert (fact["kind"], fact["unit"], fact["qualifier"]) == (kind, unit, qualifier)


@pytest.mark.parametrize("sentence", [
    "Nghị quyết số 12-NQ/TU ngày 07/6/2023 của Tỉnh ủy về Đề án 06.",
    "Quyết định 422/QĐ-TTg ngày 4/4/2024 của Thủ tướng Chính phủ.",
    "Hội nghị sơ kết 02 năm triển khai Đề án 06 diễn ra lúc 18 giờ 30.",
    "Chiều 2.3, đoàn công tác làm việc với tỉnh; sáng 17.7 họp trực tuyến.",
    "Hoàn thành trước thời gian quy định (10 ngày) trong năm 2023.",
    "Kỳ họp thứ 5 HĐND TP khóa XV, nhiệm kỳ 2016-2021.",
    "Trạm thu phí K13+250 đường 39B bắt đầu thu từ 0h00 ngày 1/1/2017.",
    "Bà Nguyễn Thị A, 75 tuổi, sống ở quận 1, 3, 5 của thành phố.",
    "Dịch vụ công trực tuyến mức độ 3, 4 lĩnh vực tư pháp.",
    "Tăng trưởng gấp 2,2 lần, xe dưới 12 chỗ được miễn phí.",
    "Nghị định 109 về điều kiện kinh doanh; Thông tư số 01 của Bộ.",
    "Luật Căn cước năm 2023 có hiệu lực từ ngày 01.7.2024.",
    "Đội U.20 Argentina thắng 1-0 tại World Cup U.20 2017.",
    "Giống lúa OM 5451, OM 6976 và IR50404 được thu mua.",
])
def test_numbers_that_are_not_facts_yield_nothing(sentence):
    assert facts_of(sentence) == []


def test_a_range_is_two_facts_sharing_the_unit():
    facts = facts_of("Gạo xuất khẩu đang ở mức 345 – 350 USD/tấn.")
    assert [(f["kind"], f["value"], f["unit"]) for f in facts] == [("money", 345, "USD"), ("money", 350, "USD")]


def test_a_bare_number_borrows_the_unit_it_falls_to():
    facts = facts_of("Các đơn vị đã giảm từ 401 xuống còn 208 đơn vị.")
    assert [(f["value"], f["unit"]) for f in facts] == [(401, "đơn vị"), (208, "đơn vị")]


def test_every_value_offset_points_at_the_number_in_the_cleaned_text():
    text = open("corpus/seeds/000_347ef5340c29b66c.txt", encoding="utf-8").read()
    m = mentions_of(text)
    assert m.quantities
    for q in m.quantities:
        surface = m.text[q.start:q.end]
        assert any(c.isdigit() for c in surface) or surface.lower() in ("hai", "ba", "bốn")
        assert m.text[q.sentence.start:q.sentence.end] == q.sentence.text


NAUGHTY = ["", "%%%", "95/0", "1,2,3,4", "1.000.000.000.000.000.000 người", "\u200b\u200f" * 50, "a" * 5000,
           "<script>alert(1)</script> 5%", "đạt" * 300 + "9", "((((((((((1))))))))))", "1/0/0/0/0", "0,0%",
           "tăng so với", "năm 2023 năm năm 2024", "\n\n\n", "Chủ tịch , , ,", "–– 5 –– 6 ––"]


@pytest.mark.parametrize("text", NAUGHTY)
def test_naughty_strings_never_raise_and_keep_offsets(text):
    m = mentions_of(text)
    for q in m.quantities:
        assert 0 <= q.start < q.end <= len(m.text)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(list("0123456789.,/%- ") + ["đạt", " tăng ", " hơn ", " người", " tỷ",
                                                               " đồng", " năm ", "Đề án ", "(", ")"]),
                max_size=40).map("".join))
def test_extraction_never_raises_on_number_soup(text):
    m = mentions_of(text)
    for q in m.quantities:
        assert m.text[q.start:q.end].strip()


def test_a_level_followed_by_a_conjunction_is_not_a_count():
    from helpers import facts_of

    assert facts_of("Công dân được thu nhận tài khoản định danh điện tử mức 2 khi về quê đón Tết.") == []
