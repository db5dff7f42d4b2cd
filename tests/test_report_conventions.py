"""Facts right on reports nobody tuned for (issue 24): one test per class of miss, on sentences
written for the tests in the shape of provincial reports — never a sentence of a gold set."""
import pytest

from helpers import facts_of, one_fact


# -- the period follows the report ------------------------------------------------------------------

def test_a_half_year_report_gives_its_period_to_figures_that_name_none():
    text = ("Kinh tế - xã hội 6 tháng đầu năm 2024 của tỉnh\n"
            "Sáu tháng đầu năm, GRDP ước tăng 6,1% so với cùng kỳ.\n"
            "Thu ngân sách đạt 3.200 tỷ đồng. Có 420 doanh nghiệp thành lập mới.")
    for value in (6.1, 3_200_000_000_000, 420):
        assert one_fact(text, value)["period"] == "2024-H1"


def test_a_report_without_its_year_is_dated_by_what_it_compares_with():
    text = ("Theo số liệu vừa công bố, 6 tháng đầu năm, thu ngân sách ước đạt 1.500 tỷ đồng, "
            "tăng 12% so với cùng kỳ năm 2022.")
    assert one_fact(text, 12)["period"] == "2023-H1"
    assert one_fact(text, 1_500_000_000_000)["period"] == "2023-H1"


def test_a_ranking_published_for_a_year_gives_that_year_to_its_ranks_and_scores():
    text = ("Sáng 12-5, Bộ Thông tin và Truyền thông công bố Chỉ số chuyển đổi số cấp tỉnh năm 2023.\n"
            "Theo đó, tỉnh xếp thứ 12/63 tỉnh, thành phố, đạt 0,58 điểm.")
    assert one_fact(text, 12)["period"] == "2023"
    assert one_fact(text, 0.58)["period"] == "2023"


def test_a_year_opening_the_lead_frames_the_report_but_a_history_does_not():
    framed = "Năm 2022, toàn huyện có 1.250 hộ thoát nghèo.\nHuyện có thêm 14 trường đạt chuẩn."
    assert one_fact(framed, 14)["period"] == "2022"
    history = ("Năm 2015, xã đạt 12/19 tiêu chí và năm 2016 về đích nông thôn mới.\n"
               "Hiện xã có 8 hợp tác xã hoạt động hiệu quả.")
    assert one_fact(history, 8)["period"] is None


def test_a_price_base_is_not_a_period():
    text = "Tình hình kinh tế quý I/2024\nTổng sản phẩm trên địa bàn tăng 5,2% theo giá so sánh 2010."
    assert one_fact(text, 5.2)["period"] == "2024-Q1"


def test_a_figure_naming_its_own_month_keeps_it():
    text = ("Báo cáo tình hình kinh tế 6 tháng đầu năm 2024\n"
            "Chỉ số giá tiêu dùng tháng 6 tăng 0,48% so với tháng trước.")
    fact = one_fact(text, 0.48)
    assert (fact["period"], fact["baseline"]) == ("2024-06", "2024-05")


def test_a_misplaced_tone_mark_still_names_a_quarter():
    assert one_fact("Qúy II/2024, tỉnh cấp mới 9 dự án.", 9)["period"] == "2024-Q2"


# -- cues keep to their clause ----------------------------------------------------------------------

def test_a_request_early_in_a_scraped_article_does_not_make_later_counts_targets():
    text = ("UBND tỉnh đề nghị các sở báo cáo 5 nội dung trước ngày 30. Sau đó có 35 nhà thầu nộp hồ sơ dự thầu. "
            "Huyện có 12 xã đạt chuẩn nông thôn mới.")
    assert [one_fact(text, v)["role"] for v in (5, 35, 12)] == ["target", "actual", "actual"]


def test_a_frame_goes_on_into_the_list_after_it():
    text = "Mục tiêu đến năm 2025 của tỉnh như sau. 100% hồ sơ được số hóa. 80% người dân có tài khoản định danh."
    assert one_fact(text, 80)["role"] == "target"


@pytest.mark.parametrize("text, value", [
    ("Tổng mức đầu tư theo giá kế hoạch là 120 tỷ đồng. Có 35 nhà thầu nộp hồ sơ.", 35),
    ("Công trình được bố trí vốn kế hoạch năm 2024, hiện đã có 14 hạng mục hoàn thành.", 14),
    ("Bộ Kế hoạch và Đầu tư (6,8 triệu lượt truy cập) đứng thứ hai.", 6_800_000),
])
def test_a_plan_as_a_noun_modifier_or_in_a_name_is_no_target_cue(text, value):
    assert one_fact(text, value)["role"] == "actual"


def test_a_change_against_the_plan_is_still_a_change():
    fact = one_fact("Xuất khẩu ước đạt 400 triệu USD, đạt 65% so kế hoạch, tăng 12,5% so với cùng kỳ.", 12.5)
    assert (fact["role"], fact["direction"], fact["baseline"]) == ("change", "increase", "same_period")
