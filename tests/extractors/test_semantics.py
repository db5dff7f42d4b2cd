"""Role, direction, baseline, period, as_of and negation, on sentences written for the tests."""
import pytest

from helpers import facts_of, one_fact


def test_a_level_and_its_change_in_one_sentence():
    text = "Tỷ lệ hồ sơ trực tuyến năm 2023 đạt 86,7%, tăng 36,1% so với năm 2022."
    level, change = one_fact(text, 86.7), one_fact(text, 36.1)
    assert (level["role"], level["period"]) == ("actual", "2023")
    assert (change["role"], change["direction"], change["baseline"], change["period"]) == ("change", "increase", "2022", "2023")


def test_a_change_against_the_same_period():
    fact = one_fact("Xuất khẩu trong tháng 1.2017 giảm 32% về lượng so với cùng kỳ năm 2016.", 32)
    assert (fact["role"], fact["direction"], fact["baseline"], fact["period"]) == ("change", "decrease", "same_period", "2017-01")


def test_numbers_listed_after_a_change_share_it():
    facts = facts_of("Toàn thành phố đã giảm 35 trưởng phòng, 136 phó phòng so với năm 2015.")
    assert [(f["value"], f["role"], f["direction"]) for f in facts] == [
        (35, "change", "decrease"), (136, "change", "decrease")]


def test_a_changed_count_and_an_unchanged_one_are_told_apart():
    facts = facts_of("Có 22 tiêu chí thành phần tăng và 01 tiêu chí thành phần giảm.")
    assert [f["role"] for f in facts] == ["actual", "actual"]


def test_an_exceeded_target_is_a_target_with_its_own_value():
    text = "Tỷ lệ hồ sơ thanh toán trực tuyến đạt 95% (tăng 19,6% so với năm 2023, vượt chỉ tiêu 45%)."
    assert one_fact(text, 95)["role"] == "actual"
    target = one_fact(text, 45)
    assert (target["role"], target["qualifier"]) == ("target", "exact")


@pytest.mark.parametrize("sentence, value", [
    ("Thành phố phấn đấu đảm bảo tỷ lệ hồ sơ đăng ký qua mạng đạt trên 60%.", 60),
    ("Mục tiêu là đảm bảo 100% học sinh được cấp căn cước.", 100),
    ("Dự kiến đến năm 2020 giảm 413 người so với hiện nay.", 413),
    ("Đội sẽ tập 2 buổi vào ngày 15.5.", 2),
    ("Để chuẩn bị triển khai 375 dịch vụ công trực tuyến, Sở đã khảo sát.", 375),
])
def test_targets(sentence, value):
    assert one_fact(sentence, value)["role"] == "target"


def test_a_plan_as_a_noun_is_not_a_target():
    assert one_fact("Tỉnh đã xây dựng Kế hoạch và phối hợp triển khai 46 mô hình.", 46)["role"] == "actual"


def test_a_law_year_is_not_a_period():
    text = ("Trong 6 tháng đầu năm 2024, tỉnh đạt nhiều kết quả.\n"
            "Chuẩn bị thi hành Luật Căn cước năm 2023. Chi trả an sinh xã hội đạt 36,8%.")
    assert one_fact(text, 36.8)["period"] == "2024-H1"


def test_a_period_is_inherited_from_the_heading_sentence_of_its_paragraph():
    text = "Trong 6 tháng đầu năm 2024, toàn tỉnh đạt kết quả quan trọng. Tỷ lệ số hóa hồ sơ đạt trên 55%."
    fact = one_fact(text, 55)
    assert (fact["period"], fact["period_start"], fact["period_end"]) == ("2024-H1", "2024-01-01", "2024-06-30")


def test_half_year_without_a_year_takes_the_articles_year():
    text = "Sơ kết 6 tháng đầu năm 2024\nTrong 6 tháng đầu năm, tỷ lệ hài lòng đạt 97,6%."
    assert one_fact(text, 97.6)["period"] == "2024-H1"


@pytest.mark.parametrize("phrase, label", [
    ("quý III/2017", "2017-Q3"), ("9 tháng năm 2024", "2024-9M"), ("năm học 2023-2024", "2023-2024"),
    ("giai đoạn 2022 - 2023", "2022-2023"), ("tháng 7/2017", "2017-07"), ("năm 2016", "2016"),
])
def test_period_labels(phrase, label):
    assert one_fact(f"Trong {phrase}, tỉnh cấp 120 thẻ căn cước.", 120)["period"] == label


def test_as_of_with_the_year_from_the_article():
    text = "Kết quả năm 2024\nTỷ lệ kích hoạt tài khoản định danh điện tử tính đến ngày 10.6 đạt 75,1%."
    fact = one_fact(text, 75.1)
    assert fact["as_of"] == "2024-06-10"
    assert fact["indicator"] == "Tỷ lệ kích hoạt tài khoản định danh điện tử"
    assert fact["concept"] == "eid_accounts"


def test_as_of_carries_into_a_continuation_sentence():
    text = "Tính đến thời điểm tháng 2/2017, 100% các trường áp dụng sổ điểm. Cụ thể, đã có 808/860 đơn vị cập nhật."
    assert one_fact(text, [808, 860])["as_of"] == "2017-02"


@pytest.mark.parametrize("sentence, value, negated", [
    ("Còn 23/83 chỉ tiêu, nhiệm vụ năm 2024 chưa hoàn thành.", [23, 83], True),
    ("Tỷ lệ này chưa đạt chỉ tiêu (trên 90%).", 90, True),
    ("Cầu thủ chưa khỏi hẳn 100% nên chưa ra sân.", 100, True),
    ("Trạm cách nhà dân chưa đầy 2m.", 2, False),
    ("Đã hoàn thành 20/25 chỉ tiêu.", [20, 25], False),
])
def test_negation(sentence, value, negated):
    assert one_fact(sentence, value)["negated"] is negated


@pytest.mark.parametrize("text, value, as_of", [
    # a clock time and a part of the day between the intro and the date
    ("Báo cáo năm 2024\nTính đến 17h ngày 5-8, toàn huyện đã thu nhận 12.400 hồ sơ.", 12400, "2024-08-05"),
    ("Báo cáo năm 2024\nĐến chiều 14-3, xã đã kích hoạt 830 tài khoản.", 830, "2024-03-14"),
    ("Báo cáo năm 2024\nĐến 0h30 ngày 2/9, 14/14 xã đã hoàn thành.", [14, 14], "2024-09-02"),
    # a month with its year, a date in words, the end of a year
    ("Đến hết tháng 10/2024, toàn tỉnh có hơn 1,2 triệu tài khoản ngân hàng.", 1200000, "2024-10"),
    ("Theo thống kê đến ngày 12 tháng 4 năm 2024, toàn tỉnh có 5.120 tài khoản.", 5120, "2024-04-12"),
    ("Cuối năm 2023, toàn tỉnh có 460 điểm giao dịch.", 460, "2023-12-31"),
    # the date after the number, in its clause
    ("Báo cáo năm 2024\nXã đã cấp 900 thẻ tính đến ngày 20/7.", 900, "2024-07-20"),
])
def test_as_of_forms(text, value, as_of):
    assert one_fact(text, value)["as_of"] == as_of


def test_an_as_of_date_carries_through_its_paragraph_and_into_a_breakdown():
    text = ("Báo cáo năm 2024\n"
            "Tính đến ngày 30-6, toàn tỉnh đã kích hoạt 81.200 tài khoản định danh điện tử. Huyện A đạt 104%.\n"
            "Trong đó, thị xã B đạt 112%; huyện C đạt 97%.\n"
            "Về chữ ký số, toàn tỉnh cấp 4.500 chứng thư số.")
    assert [one_fact(text, v)["as_of"] for v in (81200, 104, 112, 97)] == ["2024-06-30"] * 4
    assert one_fact(text, 4500)["as_of"] is None            # a new paragraph, not a continuation


def test_a_statement_day_is_not_an_as_of_and_a_date_after_the_writing_day_is_last_year():
    said = one_fact("Báo cáo năm 2024\nNgày 15/8, ông Lâm cho biết toàn tỉnh đã cấp 2.300 thẻ.", 2300)
    assert said["as_of"] is None
    january = one_fact("Toàn tỉnh đã cấp 9.800 thẻ tính đến ngày 31-12.", 9800, {"published": "2025-01-06"})
    assert january["as_of"] == "2024-12-31"


@pytest.mark.parametrize("url, published_year", [
    ("https://example.org/xa-hoi/tin-20230512160944948.htm", "2023"),
    ("https://example.org/2022/11/03/tin-moi.html", "2022"),
])
def test_the_article_year_comes_from_its_address(url, published_year):
    fact = one_fact("Tính đến ngày 1/3, toàn tỉnh cấp 1.700 thẻ.", 1700, {"url": url})
    assert fact["as_of"] == f"{published_year}-03-01"


def test_the_end_of_a_span_and_a_dated_sentence_stop_an_as_of():
    span = one_fact("Báo cáo năm 2024\nKhoản vay 300 tỷ đồng trả dần từ 22/11/2017 đến 22/8/2021.", 300000000000)
    assert span["as_of"] is None
    text = ("Báo cáo năm 2024\nTính đến ngày 30/6, toàn tỉnh có 7.700 tài khoản. "
            "Ngày 12/7, bà Lan đã mua 2.000 cổ phiếu.")
    assert one_fact(text, 7700)["as_of"] == "2024-06-30"
    assert one_fact(text, 2000)["as_of"] is None


@pytest.mark.parametrize("text, value, role", [
    # a target cue that completes an earlier number does not reach the next one
    ("Quý I, tỉnh đạt 48,2% kế hoạch năm, tổng vốn đăng ký 2.150 tỉ đồng.", 2150000000000, "actual"),
    ("Quý I, tỉnh đạt 48,2% kế hoạch năm, tổng vốn đăng ký 2.150 tỉ đồng.", 48.2, "actual"),
    # a semicolon ends the reach of a cue
    ("Có 12/40 xã hoàn thành chỉ tiêu được giao; 28 xã còn lại đạt dưới 50%.", 28, "actual"),
    # completing a target is a result
    ("Huyện đã cơ bản hoàn thành chỉ tiêu thu nhận hồ sơ cho trên 41.000 trường hợp.", 41000, "actual"),
    # a request is a target
    ("UBND tỉnh yêu cầu các sở, ngành hoàn thành 100% việc kích hoạt tài khoản trong tháng 7.", 100, "target"),
    ("Tỉnh phấn đấu đến năm 2025 có 80% hộ gia đình dùng thanh toán số.", 80, "target"),
])
def test_role_cues_govern_their_own_reach(text, value, role):
    assert one_fact(text, value)["role"] == role


@pytest.mark.parametrize("text, value, unit, of", [
    ("Năm 2023, chỉ số PAPI của tỉnh xếp thứ 17/63 tỉnh, thành phố.", 17, "tỉnh", 63),
    ("Tỉnh đứng thứ 2 cả nước về tỷ lệ hồ sơ trực tuyến.", 2, None, None),
    ("Kết quả này giúp huyện xếp hạng 5/12 huyện trong tỉnh.", 5, "huyện", 12),
])
def test_a_position_in_a_ranking_is_a_rank_never_a_ratio(text, value, unit, of):
    fact = one_fact(text, value)
    assert (fact["kind"], fact["unit"], fact["of"], fact["denominator"], fact["role"]) == ("rank", unit, of, of, "actual")


def test_a_move_in_a_ranking_is_a_rank_change():
    fact = one_fact("Chỉ số DTI năm 2023 của tỉnh tăng 4 bậc so với năm 2022.", 4)
    assert (fact["kind"], fact["role"], fact["direction"], fact["baseline"]) == ("rank", "change", "increase", "2022")


@pytest.mark.parametrize("text", ["Đây là năm thứ 3 liên tiếp tỉnh dẫn đầu.", "Hội nghị lần thứ 2 diễn ra tại tỉnh."])
def test_ordinals_that_are_not_positions_are_not_facts(text):
    assert facts_of(text) == []


def test_changes_listed_before_a_baseline_share_it():
    text = "Báo cáo tháng 8/2021\nTrong tháng 8, doanh nghiệp mới tăng 6,1% về số lượng, tăng 18,4% về vốn so với cùng kỳ."
    assert [(one_fact(text, v)["role"], one_fact(text, v)["baseline"]) for v in (6.1, 18.4)] == [("change", "same_period")] * 2


def test_a_change_verb_with_its_object_governs_the_number():
    fact = one_fact("Năm 2021, tỉnh giảm số vụ cháy rừng được 17,5%.", 17.5)
    assert (fact["role"], fact["direction"]) == ("change", "decrease")


@pytest.mark.parametrize("text, value, baseline", [
    ("Báo cáo tháng 3/2021\nTrong tháng 3, thu ngân sách tăng 4,2% so tháng trước.", 4.2, "2021-02"),
    ("Báo cáo tháng 1/2021\nTrong tháng 1, thu ngân sách giảm 3,3% so với tháng trước.", 3.3, "2020-12"),
    ("Quý I/2021, kim ngạch tăng 8,8% so quý trước.", 8.8, "2020-Q4"),
    ("Kim ngạch năm 2021 tăng 11% so cùng kỳ.", 11, "same_period"),
])
def test_short_and_relative_baselines(text, value, baseline):
    assert one_fact(text, value)["baseline"] == baseline


@pytest.mark.parametrize("text, value, period", [
    ("Sáu tháng đầu năm 2021, toàn tỉnh cấp 3.300 thẻ.", 3300, "2021-H1"),
    ("Chín tháng năm 2021, toàn tỉnh cấp 5.100 thẻ.", 5100, "2021-9M"),
    ("Báo cáo năm 2021\nTrong tháng 4, toàn tỉnh cấp 900 thẻ.", 900, "2021-04"),      # the article's year
    ("Báo cáo năm 2021\nQuý II, toàn tỉnh cấp 800 thẻ. Huyện A cấp 120 thẻ.", 120, "2021-Q2"),   # carried in the paragraph
    ("UBND tỉnh yêu cầu hoàn thành 100% việc cấp thẻ cho học sinh, sinh viên trong tháng 9/2021.", 100, "2021-09"),
])
def test_periods_in_words_from_the_article_and_a_targets_deadline(text, value, period):
    assert one_fact(text, value)["period"] == period


def test_a_group_that_has_not_yet_produced_is_negated():
    assert one_fact("Toàn tỉnh còn 37 xã chưa phát sinh hồ sơ chữ ký số.", 37)["negated"] is True
    assert one_fact("Toàn tỉnh có 37 xã đã phát sinh hồ sơ chữ ký số.", 37)["negated"] is False


@pytest.mark.parametrize("text", ["Võ sỹ giành huy chương vàng hạng 48kg nam.",
                                  "Tỉnh có 12 chợ hạng 1 được công nhận chợ văn minh."])
def test_a_class_is_not_a_rank(text):
    assert all(f["kind"] != "rank" for f in facts_of(text))


def test_a_programmes_span_is_its_name_not_the_period_of_the_article():
    text = ("Triển khai Đề án phát triển dữ liệu dân cư giai đoạn 2022 - 2025, tầm nhìn đến năm 2030\n"
            "Toàn tỉnh có 1,2 triệu tài khoản ngân hàng.")
    assert one_fact(text, 1200000)["period"] != "2022-2025"


@pytest.mark.parametrize("text, value, period, as_of", [
    ("Tính đến đầu tháng 9/2025, toàn quốc có 65 triệu tài khoản.", 65000000, None, "2025-09"),
    ("Trong tháng 4-2023, toàn tỉnh cấp 2.600 thẻ.", 2600, "2023-04", None),
])
def test_a_month_inside_an_as_of_dates_the_figure_and_is_not_its_period(text, value, period, as_of):
    fact = one_fact(text, value)
    assert (fact["period"], fact["as_of"]) == (period, as_of)


def test_last_year_as_a_baseline_is_the_year_before_the_figures_own():
    fact = one_fact("Bài viết năm 2025\nGiá trị chỉ số năm 2024 đạt 0,69 điểm, tăng 2,6% so với năm trước.", 2.6)
    assert (fact["baseline"], fact["period"]) == ("2023", "2024")


def test_a_deadline_is_the_as_of_of_its_target():
    fact = one_fact("Báo cáo năm 2023\nTỉnh phát động phong trào, phấn đấu trước ngày 31/7 hoàn thành cấp 100% thẻ.", 100)
    assert (fact["role"], fact["as_of"]) == ("target", "2023-07-31")


def test_ranks_coordinated_and_sized_in_words():
    facts = facts_of("Năm 2022, tăng trưởng của tỉnh xếp thứ 05/14 tỉnh vùng Tây Nguyên và thứ 41/63 tỉnh, thành cả nước.")
    assert [(f["kind"], f["value"], f["of"]) for f in facts] == [("rank", 5, 14), ("rank", 41, 63)]
    sized = one_fact("Huyện ở vị trí thứ 9 trong 21 huyện, thị xã của tỉnh.", 9)
    assert (sized["kind"], sized["of"], sized["unit"]) == ("rank", 21, "huyện")


@pytest.mark.parametrize("text, value, role", [
    ("Số người dùng đạt 52 triệu, vượt 30% so với mục tiêu 40 triệu người.", 40000000, "target"),
    ("Khối sở đạt 71,2% (mục tiêu 80%), còn khối huyện chỉ đạt 23,9% (mục tiêu 35%).", 23.9, "actual"),
    ("Ứng dụng được dùng để đăng nhập với khoảng 310.000 lượt/ngày. Cổng dịch vụ công có 6.100 thủ tục.", 6100, "actual"),
])
def test_targets_own_value_remarks_and_purposes_keep_their_reach(text, value, role):
    assert one_fact(text, value)["role"] == role


@pytest.mark.parametrize("text, value", [
    ("Chỉ số DTI cấp tỉnh năm 2023 của tỉnh đạt 0,6125, tăng so với năm 2022.", 0.6125),
    ("Điểm PAR INDEX của huyện cao hơn 0,118 so với bình quân.", 0.118),
])
def test_a_bare_index_value_is_a_score(text, value):
    fact = one_fact(text, value)
    assert (fact["kind"], fact["unit"]) == ("score", "điểm")


def test_a_bare_fraction_without_an_index_is_not_a_fact():
    assert facts_of("Hệ số này là 0,125 so với trước.") == []


def test_the_ranked_indicator_is_named_in_the_ranks_own_clause():
    assert one_fact("Năm 2023, chỉ số DTI của thành phố xếp thứ 24/63 tỉnh, thành phố.", 24)["concept"] == "digital_transformation_index"


def test_a_time_said_before_a_figure_dates_it_before_one_after():
    text = "Thành phố năm 2021 xếp ở vị trí thứ 6 còn năm 2022 xếp vị trí thứ 3."
    assert (one_fact(text, 6)["period"], one_fact(text, 3)["period"]) == ("2021", "2022")


def test_a_count_of_targets_is_the_target_and_the_next_figure_is_not():
    text = "Xã mới kích hoạt 96 tài khoản/1.540 chỉ tiêu giao/4.210 công dân thường trú."
    assert (one_fact(text, 1540)["role"], one_fact(text, 4210)["role"], one_fact(text, 96)["role"]) == \
        ("target", "actual", "actual")
    assert one_fact("Còn 12/40 chỉ tiêu năm 2024 chưa hoàn thành.", [12, 40])["role"] == "actual"
