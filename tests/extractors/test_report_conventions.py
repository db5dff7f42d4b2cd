"""Facts right on reports nobody tuned for (issue 24): one test per class of miss, on sentences
written for the tests in the shape of provincial reports — never a sentence of a gold set."""
import pytest

from helpers import facts_of, mentions_of, one_fact


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


def test_the_year_a_plan_or_forecast_is_for_does_not_date_the_report():
    # an undated report that names a goal for a later year first: its own figures keep its year
    text = ("Yêu cầu đến năm 2030, sản lượng cá tra phải đạt 2 triệu tấn.\n"
            "Doanh nghiệp đặt mục tiêu xuất khẩu 500 triệu USD vào năm 2030. "
            "Năm 2022, toàn ngành xuất khẩu được 280 triệu USD.\n"
            "Bước sang 6 tháng cuối năm, giá cá giảm 8%.")
    assert one_fact(text, 8)["period"] == "2022-H2"
    forecast = ("Năm 2019, công ty lãi 40 tỷ đồng. Con số này tăng gấp đôi trong 4 năm tới, vào năm 2023.\n"
                "Trong quý IV, công ty tuyển thêm 120 lao động.")
    assert one_fact(forecast, 120)["period"] == "2019-Q4"
    # a report that names no other year is written in the first year it forecasts for
    only = ("Các ngân hàng dự báo kết quả kinh doanh khả quan trong năm 2018.\n"
            "Sáu tháng đầu năm, lợi nhuận của nhóm tăng 12%.")
    assert one_fact(only, 12)["period"] == "2018-H1"


def test_a_figure_of_a_day_outside_the_carried_period_keeps_no_period():
    text = ("Không để chợ gốm đóng cửa\n"
            "Hơn một trăm hộ kinh doanh tại chợ đã bãi thị vì giá thuê ki ốt tăng.\n"
            "Hợp đồng thuê đất đã hết hạn. Tháng 6/2016, công ty đóng cửa chợ để sửa chữa. "
            "Chiều ngày 7/2, sau buổi họp với người dân, đã có khoảng 30% số hộ kinh doanh hoạt động trở lại. "
            "Giá thuê năm 2017 lên đến 80.000 đồng/m2.")
    assert one_fact(text, 30)["period"] is None
    # the day a report's figures were told, after its period, keeps the report's period
    report = ("Kinh tế - xã hội 6 tháng đầu năm 2024 của tỉnh\n"
              "Sáng 5/7, tại hội nghị, lãnh đạo tỉnh cho biết thu ngân sách đạt 3.200 tỷ đồng.")
    assert one_fact(report, 3_200_000_000_000)["period"] == "2024-H1"


def test_a_year_said_in_passing_does_not_date_the_rest_of_its_paragraph():
    text = ("Thành cổ đang bị bê tông hóa\n"
            "Báo chí đã phản ánh nhiều lần về công trình.\n"
            "Thành cổ được công nhận là di tích quốc gia năm 1994, thuộc nhóm nghiêm cấm vi phạm. "
            "Đơn vị thi công đã kè 4 đoạn hào và lát 300 m đường.")
    assert one_fact(text, 4)["period"] is None
    framed = ("Tình hình sản xuất của huyện\n"
              "Huyện có nhiều chuyển biến.\n"
              "Năm 2023, toàn huyện trồng mới 120 ha rừng. Các xã đã trồng 35 ha cây ăn quả.")
    assert one_fact(framed, 35)["period"] == "2023"


def test_a_year_in_quoted_speech_is_a_period_but_a_quoted_name_keeps_its_year():
    speech = 'Bộ trưởng nói: "Năm 2016, ngành đã xuất khẩu được 3 tỷ USD tôm".'
    assert one_fact(speech, 3_000_000_000)["period"] == "2016"
    # a stray quote earlier in a scraped line does not make the rest of it a name
    stray = 'Sinh viên tham gia cuộc thi "An toàn thông tin. Năm 2017, trường tuyển 600 sinh viên.'
    assert one_fact(stray, 600)["period"] == "2017"
    named = 'Mẫu xe nhận giải "Xe concept đẹp nhất 2016" có giá 2 triệu USD.'
    assert one_fact(named, 2_000_000)["period"] is None


def test_a_four_digit_number_that_counts_is_not_a_year():
    text = "Hiện mỗi năm thành phố có khoảng 2000 học sinh đi du học, chi 40 triệu USD."
    assert one_fact(text, 40_000_000)["period"] is None
    assert one_fact(text, 2000)["kind"] == "count"


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


# -- indicators named from the outside vocabularies --------------------------------------------------

@pytest.mark.parametrize("text, value, concept", [
    ("Trong quý, tỉnh có 8 dự án FDI cấp mới với tổng vốn đăng ký 2.100 tỷ đồng.", 8, "investment"),
    ("Trong quý, tỉnh có 8 dự án FDI cấp mới với tổng vốn đăng ký 2.100 tỷ đồng.", 2_100_000_000_000, "investment"),
    ("Giải ngân vốn đầu tư công đạt 47% kế hoạch.", 47, "investment"),
    ("Tỉnh thu hút thêm 310 triệu USD vốn đầu tư trực tiếp nước ngoài.", 310_000_000, "investment"),
    ("Tổng sản phẩm trên địa bàn (GRDP) ước tăng 6,1%.", 6.1, "economic_growth"),
    ("Khu vực công nghiệp - xây dựng đóng góp 2,1 điểm phần trăm vào mức tăng chung.", 2.1, "economic_growth"),
    ("Thu nội địa đạt 58% dự toán.", 58, "budget"),
    ("Thu NSNN trên địa bàn đạt 4.100 tỷ đồng.", 4_100_000_000_000, "budget"),
    # indicators of the national list without a key of ours are `other`, not a neighbour's key
    ("Có 420 doanh nghiệp thành lập mới, tổng mức bán lẻ hàng hóa đạt 9.000 tỷ đồng.", 420, "other"),
    ("Chỉ số giá tiêu dùng tháng 5 tăng 0,3%.", 0.3, "other"),
])
def test_economic_indicators_take_their_keys(text, value, concept):
    assert one_fact(text, value)["concept"] == concept


def test_the_abbreviation_and_the_written_out_name_are_one_cue():
    assert one_fact("Tỉnh có 12 dự án đầu tư trực tiếp nước ngoài mới.", 12)["concept"] == "investment"
    assert one_fact("Vốn FDI đăng ký đạt 95 triệu USD.", 95_000_000)["concept"] == "investment"


def test_a_breakdown_sentence_keeps_the_totals_indicator():
    text = ("Năm 2024, GRDP của tỉnh tăng 7,2%. Trong đó, khu vực dịch vụ tăng 6,4%; "
            "khu vực nông, lâm nghiệp và thủy sản tăng 3,1%.")
    assert [one_fact(text, v)["concept"] for v in (7.2, 6.4, 3.1)] == ["economic_growth"] * 3


def test_a_sector_word_alone_does_not_override_what_a_share_measures():
    text = "Vốn đầu tư vào khu vực dịch vụ chiếm 45% tổng vốn đầu tư."
    assert one_fact(text, 45)["concept"] == "investment"


# -- which subject wins --------------------------------------------------------------------------------

def test_paying_into_accounts_is_cashless_but_its_beneficiaries_are_welfare():
    text = ("Tỉnh đã chi trả trợ cấp an sinh xã hội cho 15.000 người với số tiền 9 tỷ đồng. "
            "Chi trả qua tài khoản cho 12.400/15.000 người, đạt 82,7%.")
    assert one_fact(text, 15000)["concept"] == "social_welfare_payments"
    assert one_fact(text, 9_000_000_000)["concept"] == "social_welfare_payments"
    assert one_fact(text, 82.7)["concept"] == "cashless_payments"


def test_timely_settlement_is_administrative_procedures_even_online():
    text = "Tỷ lệ hồ sơ trực tuyến được giải quyết đúng hạn đạt 99,6%."
    assert one_fact(text, 99.6)["concept"] == "administrative_procedures"


def test_an_indicator_outside_the_vocabulary_does_not_take_the_articles_subject():
    text = ("Kích hoạt tài khoản định danh điện tử\n"
            "Toàn tỉnh đã kích hoạt 120.000 tài khoản định danh điện tử. Huyện đã tạo lập 7.500 hồ sơ định danh. "
            "Ngành y tế đã khởi tạo 51 hồ sơ sức khỏe điện tử.")
    assert one_fact(text, 120000)["concept"] == "eid_accounts"
    assert one_fact(text, 51)["concept"] == "other"


def test_an_excerpt_that_opens_with_a_breakdown_takes_the_articles_subject():
    text = ("Trong đó có hơn 300 trường hợp là trẻ em dưới 6 tuổi.\n"
            "Công an quận đã thu nhận hồ sơ cấp thẻ căn cước cho 1.200 công dân. "
            "Công an phường trả thẻ căn cước cho 900 người. Tổ công tác cấp căn cước lưu động cho 40 người.")
    assert one_fact(text, 300)["concept"] == "id_card_issuance"


# -- officials' titles end where the organisation's name ends ------------------------------------------

def officials_of(text: str) -> dict[str, tuple]:
    return {o.name: (o.rank, o.titles) for o in mentions_of(text).officials}


@pytest.mark.parametrize("text, name, titles", [
    ("Theo Phó Giám đốc Sở Lao động - Thương binh và Xã hội Lò Văn Pá, tỉnh đã chi trả 12 tỷ đồng.",
     "Lò Văn Pá", ["Phó Giám đốc Sở Lao động - Thương binh và Xã hội"]),
    ("Bà Hà Thị Lan - Giám đốc Sở Văn hóa, Thể thao và Du lịch - phát biểu khai mạc.",
     "Hà Thị Lan", ["Giám đốc Sở Văn hóa, Thể thao và Du lịch"]),
    ("Ông Trần Văn Cường, Giám đốc Trung tâm Phục vụ hành chính công thuộc Văn phòng UBND tỉnh, cho biết.",
     "Trần Văn Cường", ["Giám đốc Trung tâm Phục vụ hành chính công thuộc Văn phòng UBND tỉnh"]),
    ("Ông Nguyễn Hoài An, Trưởng ban Pháp chế HĐND tỉnh bày tỏ lo ngại về việc buông lỏng quản lý.",
     "Nguyễn Hoài An", ["Trưởng ban Pháp chế HĐND tỉnh"]),
    ("Trung tướng Tô Văn Minh, Chánh Văn phòng Bộ Công an thông tin tại họp báo.",
     "Tô Văn Minh", ["Chánh Văn phòng Bộ Công an"]),
    ("Phó Thủ tướng Lê Minh Khang đã ký quyết định.", "Lê Minh Khang", ["Phó Thủ tướng"]),
    ("Trưởng phòng Cảnh sát giao thông Công an tỉnh Hoàng Văn Sơn cho biết.",
     "Hoàng Văn Sơn", ["Trưởng phòng Cảnh sát giao thông Công an tỉnh"]),
])
def test_a_title_runs_through_its_organisations_name_and_stops_at_the_verb(text, name, titles):
    assert officials_of(text)[name][1] == titles


def test_names_after_a_title_in_running_text_are_officials():
    found = officials_of("Đại tá Y Ngọc Niê, Phó Giám đốc Công an tỉnh cho biết đã cấp 50.000 thẻ. "
                         "Phó Chủ tịch UBND tỉnh Kpă Thuyên chủ trì hội nghị.")
    assert found["Y Ngọc Niê"] == ("Đại tá", ["Phó Giám đốc Công an tỉnh"])
    assert found["Kpă Thuyên"] == (None, ["Phó Chủ tịch UBND tỉnh"])


# -- the indicator phrase is what the figure measures, whole --------------------------------------------

@pytest.mark.parametrize("text, value, indicator", [
    ("Tỷ lệ kích hoạt tài khoản định danh điện tử mức độ 2 đạt 64,3%.", 64.3,
     "Tỷ lệ kích hoạt tài khoản định danh điện tử mức độ 2"),
    ("Theo đó, tỷ lệ giải quyết hồ sơ đúng hạn đạt 98,8%.", 98.8, "tỷ lệ giải quyết hồ sơ đúng hạn"),
    ("Tỷ lệ kích hoạt tài khoản toàn tỉnh tính đến ngày 10.6 đạt 75,1%.", 75.1, "Tỷ lệ kích hoạt tài khoản toàn tỉnh"),
    ("Tổng thu ngân sách nhà nước ước đạt 3.370 tỷ đồng, tăng 17,7% so với cùng kỳ.", 3_370_000_000_000,
     "Tổng thu ngân sách nhà nước"),
    ("Tổng thu ngân sách nhà nước ước đạt 3.370 tỷ đồng, tăng 17,7% so với cùng kỳ.", 17.7, "Tổng thu ngân sách nhà nước"),
    ("Trong đó, số hồ sơ tiếp nhận trực tuyến là 105.970 hồ sơ.", 105970, "số hồ sơ tiếp nhận trực tuyến"),
    ("Tỉnh cấp phép cho 8 dự án với tổng số vốn hơn 10.430 tỷ đồng.", 10_430_000_000_000, "tổng số vốn"),
    ("Đến nay, 100% công dân đủ điều kiện đã được cấp thẻ căn cước.", 100,
     "công dân đủ điều kiện đã được cấp thẻ căn cước"),
])
def test_the_indicator_is_the_noun_phrase_the_figure_quantifies(text, value, indicator):
    assert one_fact(text, value)["indicator"] == indicator


def test_a_cue_matches_whole_words_only():
    # "xác định danh tính" (identifying someone) holds no "định danh" (e-ID) cue
    assert one_fact("Công an đã hỗ trợ xác định danh tính cho 35 trường hợp.", 35)["concept"] == "other"
    assert one_fact("Toàn tỉnh có 35.000 tài khoản định danh điện tử được kích hoạt.", 35000)["concept"] == "eid_accounts"


# -- smaller: dates of surveys, baselines said first, the value of the same period ------------------------

def test_a_surveys_date_is_the_as_of_of_the_figures_it_dates():
    text = "Theo kết quả khảo sát ngày 30/6/2024 của Sở Nội vụ, 92% người dân hài lòng; 85% doanh nghiệp đánh giá tốt."
    assert [one_fact(text, v)["as_of"] for v in (92, 85)] == ["2024-06-30", "2024-06-30"]


@pytest.mark.parametrize("text, value, baseline", [
    ("So với năm 2021, xếp hạng năm 2022 của tỉnh tăng được 4 bậc.", 4, "2021"),
    ("So với cùng kỳ năm 2023 tăng 3 vụ tai nạn.", 3, "same_period"),
])
def test_a_comparison_that_opens_the_sentence_is_the_baseline(text, value, baseline):
    fact = one_fact(text, value)
    assert (fact["role"], fact["baseline"]) == ("change", baseline)


def test_the_value_of_the_same_period_last_year_has_that_periods_label():
    text = "Quý I/2024, tỉnh thu hút 8 dự án với tổng vốn 1,4 tỷ USD, vượt nhiều lần so với cùng kỳ năm 2023 (35,4 triệu USD)."
    assert one_fact(text, 35_400_000)["period"] == "2023-Q1"
    assert one_fact(text, 1_400_000_000)["period"] == "2024-Q1"


def test_a_score_change_and_a_rank_in_provinces():
    text = "Năm 2023, chỉ số PAR Index của tỉnh đạt 85,2 điểm, tăng 0,18 điểm so với năm 2022, xếp thứ 8/63 tỉnh."
    change = one_fact(text, 0.18)
    assert (change["kind"], change["role"], change["direction"], change["baseline"]) == ("score", "change", "increase", "2022")
    rank = one_fact(text, 8)
    assert (rank["kind"], rank["unit"], rank["period"]) == ("rank", "tỉnh", "2023")


def test_a_provincial_papers_ranking_story_is_about_the_province_its_headline_names():
    text = ("Đà Nẵng đứng thứ 3 toàn quốc về chuyển đổi số\n"
            "Theo bảng xếp hạng, Hà Nội (0,71), Hải Phòng (0,69), Đà Nẵng (0,68), Quảng Ninh (0,66) và "
            "Bắc Ninh (0,65) dẫn đầu; Cà Mau, Bạc Liêu, Sơn La xếp cuối.")
    national = mentions_of(text, {"url": "https://vnexpress.net/xep-hang-chuyen-doi-so-123.html"})
    assert national.province is None
    local = mentions_of(text, {"url": "https://baodanang.vn/xa-hoi/202311/xep-hang-chuyen-doi-so-123/"})
    assert local.province.legacy == "Đà Nẵng"


def test_a_newspapers_month_folder_gives_the_year_of_a_date_without_one():
    text = "Tính đến ngày 18/4, toàn tỉnh đã kích hoạt 120.000 tài khoản định danh điện tử."
    fact = one_fact(text, 120000, {"url": "https://baothainguyen.vn/cuoc-song-so/202304/kich-hoat-tai-khoan-d625a4f/"})
    assert fact["as_of"] == "2023-04-18"
    assert one_fact(text, 120000)["as_of"] is None


# -- growth said as a noun, amounts that only sound like changes ------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("Năm 2024, tỉnh Cao Bằng tăng trưởng 6,52%.", 6.52),
    ("Tốc độ tăng trưởng kinh tế của tỉnh đạt 7,2%.", 7.2),
    ("Mức tăng GDP cùng kỳ 2023 là 4,4%.", 4.4),
])
def test_growth_said_as_a_noun_is_a_change(text, value):
    fact = one_fact(text, value)
    assert (fact["role"], fact["direction"]) == ("change", "increase")


@pytest.mark.parametrize("text, value, role", [
    ("Quý I, tổng vốn đăng ký tăng thêm 1,79 tỷ USD.", 1_790_000_000, "actual"),      # an amount of added capital
    ("Tỉnh đã tăng cường kiểm tra đạt 100% cơ sở.", 100, "actual"),                   # "tăng cường" is not "tăng"
    ("Số đơn vị sự nghiệp giảm từ 401 xuống còn 208 đơn vị.", 208, "actual"),         # the level after the fall
    ("Để đảm bảo mục tiêu tăng trưởng 6,7%, các quý còn lại phải đạt trên 7%.", 6.7, "target"),
])
def test_words_that_only_look_like_changes(text, value, role):
    assert one_fact(text, value)["role"] == role


def test_a_period_after_a_comparative_is_what_is_compared_with():
    text = "Quý III/2024, có 20 địa phương có mức tăng trưởng thấp hơn 6 tháng đầu năm."
    assert one_fact(text, 20)["period"] == "2024-Q3"


def test_a_period_named_in_a_later_sentence_dates_that_sentence_not_the_paragraph():
    text = ("Tình hình kinh tế 6 tháng đầu năm 2024\n"
            "Sáu tháng đầu năm có 500 doanh nghiệp thành lập mới. Chỉ số giá tiêu dùng tháng 6 tăng 0,55%. "
            "Số lao động được giải quyết việc làm là 15.360 lao động.")
    assert one_fact(text, 0.55)["period"] == "2024-06"
    assert one_fact(text, 15360)["period"] == "2024-H1"


def test_a_budget_lines_head_decides_its_concept_not_the_source_it_names():
    assert one_fact("Thu từ khu vực có vốn đầu tư nước ngoài đạt 42.981 tỷ đồng.", 42_981_000_000_000)["concept"] == "budget"
    assert one_fact("Thu hút đầu tư vốn ngoài ngân sách đạt hơn 194.000 tỷ đồng.", 194_000_000_000_000)["concept"] == "investment"


def test_crime_reports_are_the_vneid_indicator_only_when_made_through_vneid():
    assert one_fact("Công an huyện đã tiếp nhận, xử lý 430 tin báo về tội phạm.", 430)["concept"] == "other"
    text = "Người dân dùng ứng dụng VNeID để cung cấp tin báo, qua đó đã tiếp nhận 107 tin trên VNeID."
    assert one_fact(text, 107)["concept"] == "crime_reports_vneid"


def test_teachers_and_pupils_counted_are_the_education_data_indicator_only_in_a_database():
    assert one_fact("Toàn huyện còn thiếu 320 giáo viên mầm non so với định mức.", 320)["concept"] == "other"
    assert one_fact("Năm 2017 kinh phí được Bộ GD&ĐT cấp giảm 18,5% so với năm 2016.", 18.5)["concept"] == "other"
    text = "Ngành giáo dục có 96,4% hồ sơ giáo viên được cập nhật lên cơ sở dữ liệu ngành."
    assert one_fact(text, 96.4)["concept"] == "education_data_sync"


def test_a_count_of_its_own_thing_does_not_take_a_concept_named_elsewhere_in_its_sentence():
    text = "Năm 2016, quận xảy ra 54 vụ tai nạn giao thông, dù mô hình tuyến phố văn minh đã được nhân rộng."
    assert one_fact(text, 54)["concept"] == "other"
    text = "Đến nay, tỉnh đã xây dựng 28 khu công nghiệp, thu hút vốn đầu tư hơn 10 tỷ USD."
    assert one_fact(text, 28)["concept"] == "other"
    assert one_fact(text, 10_000_000_000)["concept"] == "investment"
    # a count of records measures what its sentence is about
    text = ("Trong tháng, Sở tiếp nhận 2.450 hồ sơ đề nghị giải quyết về thủ tục hành chính; "
            "tỷ lệ giải quyết đúng hạn đạt 98%.")
    assert one_fact(text, 2450)["concept"] == "administrative_procedures"


def test_words_that_also_name_other_things_need_their_channel_in_the_sentence():
    assert one_fact("Huấn luyện viên không hài lòng khi đội chỉ kiểm soát bóng 52%.", 52)["concept"] == "other"
    assert one_fact("Các đơn vị dán tem truy xuất nguồn gốc cho 35% sản phẩm rau.", 35)["concept"] == "other"
    assert one_fact("Có 9 đồ vật trong nhà phải được làm sạch mỗi tuần, chiếm 40% thời gian dọn dẹp.", 40)["concept"] == "other"
    text = "Công an xã đã thực hiện 12.000 lượt truy xuất thông tin cư trú khi người dân nộp hồ sơ."
    assert one_fact(text, 12000)["concept"] == "residence_data_lookups"
    assert one_fact("Mức độ hài lòng của người dân với dịch vụ hành chính đạt 91,2%.", 91.2)["concept"] == "citizen_satisfaction"


def test_health_insurance_in_general_is_not_care_by_identity_card():
    general = ("Năm 2016, tỷ lệ bao phủ bảo hiểm y tế đạt 81,7% dân số.\n"
               "Các cơ sở khám chữa bệnh đã thực hiện 150 triệu lượt khám, chi từ quỹ 49.003 tỷ đồng.\n"
               "Số thẻ cấp trùng là 116.096 thẻ.")
    for value in (81.7, 150_000_000, 116096):
        assert one_fact(general, value)["concept"] == "other"
    by_id = ("Đến nay, 100% cơ sở khám chữa bệnh trên địa bàn đã tra cứu thông tin thẻ bảo hiểm y tế bằng CCCD gắn chip.\n"
             "Đã có 185.420 lượt khám chữa bệnh sử dụng căn cước.\n"
             "Trong tuần, các cơ sở thực hiện thêm 3.150 lượt khám.")
    assert one_fact(by_id, 185420)["concept"] == "health_insurance_by_id"
    assert one_fact(by_id, 3150)["concept"] == "health_insurance_by_id"


def test_a_count_of_another_thing_after_cu_the_breaks_nothing_down():
    text = ("Bộ đã sửa đổi các văn bản hướng dẫn (25 văn bản). "
            "Cụ thể, cả nước có 2.410 xã đạt chuẩn nông thôn mới.")
    assert one_fact(text, 25)["concept"] == "documents_issued"
    assert one_fact(text, 2410)["concept"] == "other"
    breakdown = ("Tỷ lệ hồ sơ dịch vụ công trực tuyến toàn tỉnh đạt 65%. "
                 "Trong đó, cấp huyện đạt 58%.")
    assert one_fact(breakdown, 58)["concept"] == "online_public_services"


def test_a_purpose_after_a_finished_act_was_carried_out():
    text = "Công an huyện đã huy động 45 cán bộ để thành lập 11 tổ công tác."
    assert one_fact(text, 11)["role"] == "actual"
    assert one_fact("Tỉnh cần thêm 200 tỷ đồng để xây 12 trường học.", 12)["role"] == "target"


# -- estimates, differences and the bounds that define groups ----------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("6 tháng đầu năm, GRDP ước tính tăng 3,02% so với cùng kỳ.", 3.02),
    ("Năm 2024, thu ngân sách ước thực hiện 5.200 tỷ đồng.", 5_200_000_000_000),
    ("Ước tính, trong quý I/2024, kim ngạch xuất khẩu đạt 4,12 tỷ USD.", 4_120_000_000),
])
def test_an_estimate_word_before_the_verb_or_opening_the_sentence_is_approx(text, value):
    assert one_fact(text, value)["qualifier"] == "approx"


def test_a_difference_is_exact_and_a_peak_is_a_bound():
    assert one_fact("Lãi suất thấp hơn 0,11%/năm so với phiên trước.", 0.11)["qualifier"] == "exact"
    assert one_fact("Đoàn leo lên đỉnh núi cao hơn 3.000 mét.", 3000)["qualifier"] == "over"


@pytest.mark.parametrize("text, value, direction", [
    ("Trong quý, toàn huyện xảy ra 31 vụ cháy, ít hơn 9 vụ so với cùng kỳ năm trước.", 9, "decrease"),
    ("Năm nay trường tuyển được 540 học sinh, nhiều hơn 62 em so với năm học trước.", 62, "increase"),
])
def test_fewer_or_more_than_before_is_an_exact_difference(text, value, direction):
    fact = one_fact(text, value)
    assert (fact["qualifier"], fact["role"], fact["direction"]) == ("exact", "change", direction)
    # Without a comparison the same words bound the figure: "ít hơn 9 vụ" alone is fewer than nine.
    assert one_fact("Mỗi đợt chỉ tiếp nhận ít hơn 9 hồ sơ.", 9)["qualifier"] == "under"


@pytest.mark.parametrize("text, kept, dropped", [
    ("Hiện có 24 xã thực hiện số hóa đạt dưới 10%; 73 xã đạt dưới 50%.", [24, 73], [10, 50]),
    ("Có 16/34 địa phương có tốc độ tăng trưởng đạt từ 8% trở lên.", [[16, 34]], [8]),
    ("Nhóm thứ nhất đạt trên 80% gồm 9 bộ, cơ quan ngang bộ.", [9], [80]),
    ("Trong quý, có 7 địa phương có kim ngạch xuất khẩu đạt trên 2 tỷ USD.", [7], [2_000_000_000]),
])
def test_a_bound_that_defines_a_group_is_a_category_its_count_the_fact(text, kept, dropped):
    values = [f["value"] for f in facts_of(text)]
    assert all(v in values for v in kept) and not any(v in values for v in dropped)


def test_a_rate_of_its_own_noun_after_a_group_is_still_a_fact():
    text = "Trong 15.000 phiếu khảo sát ở 30 quận, huyện có trên 90% người dân ủng hộ."
    assert one_fact(text, 90)["qualifier"] == "over"


def test_a_title_after_a_delegation_is_the_principals():
    found = officials_of("Thừa ủy quyền của Thủ tướng Chính phủ, đồng chí Lê Trí Thanh, Chủ tịch UBND tỉnh trao Bằng khen.")
    assert found["Lê Trí Thanh"][1] == ["Chủ tịch UBND tỉnh"]


@pytest.mark.parametrize("text, province", [
    ("Lào Cai: Thu ngân sách 6 tháng đạt 5.000 tỷ đồng\nHà Nội và TP.HCM dẫn đầu cả nước; tỉnh đứng thứ 12.", "Lào Cai"),
    ("Tăng trưởng kinh tế BR-VT quý I đạt 6,5%\nTỉnh BR-VT có 12 dự án mới.", "Bà Rịa - Vũng Tàu"),
])
def test_a_headline_that_opens_with_a_province_names_the_reports_province(text, province):
    assert mentions_of(text).province.legacy == province


def test_double_digit_growth_counts_no_digits():
    assert [f["value"] for f in facts_of("Có 5 tỉnh có GRDP tăng 2 chữ số.")] == [5]


def test_ranks_coordinated_without_a_second_thu():
    facts = facts_of("Hai tỉnh lần lượt xếp thứ 2 và 3 cả nước.")
    assert [f["value"] for f in facts if f["kind"] == "rank"] == [2, 3]
    counted = facts_of("Năm 2023, tỉnh xếp thứ 5/63, 120 xã đạt chuẩn nông thôn mới.")
    assert [(f["kind"], f["value"]) for f in counted] == [("rank", 5), ("count", 120)]


def test_a_full_name_after_a_title_ending_in_a_unit_word_is_a_person_a_ward_is_not():
    assert officials_of("Trưởng Công an xã Nguyễn Văn Khánh đã đến từng nhà.")["Nguyễn Văn Khánh"][1] == ["Trưởng Công an xã"]
    assert officials_of("Trưởng Công an phường Phạm Ngũ Lão cho biết đã xử lý 12 vụ.") == {}


def test_phó_is_never_dropped_whatever_its_case():
    assert officials_of("Theo phó Thủ tướng Lê Minh Khái, cần đẩy nhanh giải ngân.")["Lê Minh Khái"][1] == ["phó Thủ tướng"]


# -- periods: stretches of months, spans, names, what a bracket and a comparison date --------------------

@pytest.mark.parametrize("text, value, period", [
    ("Trong 3 tháng đầu năm 2025, kim ngạch xuất khẩu đạt 36,6% kế hoạch.", 36.6, "2025-Q1"),
    ("Trong 7 tháng đầu năm 2024, cả nước có 1.816 dự án mới.", 1816, None),       # no period form names 7 months
    ("Trong giai đoạn từ 2005 - 2023, tỉnh thu hút 120 dự án.", 120, "2005-2023"),
    ("Kỷ niệm 40 năm thành lập ngành (1986 - 2026), 25 tập thể được khen thưởng.", 25, None),
])
def test_stretches_of_months_spans_and_anniversaries(text, value, period):
    assert one_fact(text, value)["period"] == period


def test_a_bracketed_same_period_dates_its_own_figure_and_nothing_after():
    text = ("Báo cáo quý I/2023\n"
            "Xuất khẩu đạt 120 triệu USD (cùng kỳ 2022 xuất siêu 41,3 triệu USD). Tỉnh đạt 62,7% so kế hoạch.")
    assert [one_fact(text, v)["period"] for v in (120_000_000, 41_300_000, 62.7)] == ["2023-Q1", "2022-Q1", "2023-Q1"]


def test_a_time_after_so_voi_dates_what_is_compared_with():
    text = "Năm 2024, bình quân đạt 5,9 triệu USD/dự án so với mức 4,9 triệu USD/dự án trong 7 tháng năm 2023."
    assert one_fact(text, 5_900_000)["period"] == "2024"


def test_a_comparison_said_before_the_changes_it_introduces_is_their_baseline():
    text = "Doanh thu và lợi nhuận tăng so với cùng kỳ, với mức tăng lần lượt là 10,9% và 8,4%."
    assert [one_fact(text, v)["baseline"] for v in (10.9, 8.4)] == ["same_period", "same_period"]
    bracket = "Năm 2023, toàn tỉnh xảy ra 120 vụ tai nạn (so với năm 2022, giảm 70 vụ, giảm 44 người chết)."
    assert [one_fact(bracket, v)["baseline"] for v in (70, 44)] == ["2022", "2022"]
    assert one_fact(bracket, 120)["role"] == "actual"


@pytest.mark.parametrize("text, value, concept", [
    ("Năm 2023, có 18,5 triệu công dân sử dụng CCCD đi KCB.", 18_500_000, "health_insurance_by_id"),
    ("Năm 2024, trên 50% trường học thực hiện thanh toán học phí không dùng tiền mặt.", 50, "cashless_payments"),
])
def test_abbreviations_of_any_cue_and_a_payment_channel_at_schools(text, value, concept):
    assert one_fact(text, value)["concept"] == concept


def test_a_fall_said_as_sut_giam_and_a_range_said_trong_khoang():
    fact = one_fact("Xơ, sợi dệt sụt giảm mạnh nhất 92,42%.", 92.42)
    assert (fact["role"], fact["direction"]) == ("change", "decrease")
    assert [f["qualifier"] for f in facts_of("Lãi suất nằm trong khoảng 5,1% - 5,7%.")] == ["exact", "exact"]


def test_a_number_listed_after_an_identifier_counts_when_a_counted_noun_follows_it():
    text = "Năm 2024, huyện xếp thứ 5 và 8 xã đạt chuẩn nông thôn mới nâng cao."
    assert one_fact(text, 8)["unit"] == "xã"
    assert one_fact(text, 5)["kind"] == "rank"
    # Still identifiers when nothing is counted: the wards and the school years.
    assert not facts_of("Các phường 2, 4 và 7 có tỷ lệ cao nhất. Học sinh lớp 10 và 12 được nghỉ. "
                        "Sở cung cấp dịch vụ công mức độ 3, 4 lĩnh vực đất đai.")


@pytest.mark.parametrize("text, value, unit", [
    ("Năm 2023, công ty lãi hơn 1.250 tỷ, cao nhất từ trước tới nay.", 1_250_000_000_000, "VND"),
    ("Bị can đã nhận hối lộ gần 3,5 tỷ của các chủ xe.", 3_500_000_000, "VND"),
    ("Huyện đã giải ngân 120 tỷ đồng, còn lại 35 tỷ chưa giải ngân.", 35_000_000_000, "VND"),
    ("Xuất khẩu đạt 1,5 tỷ USD, riêng cà phê đạt 400 triệu.", 400_000_000, "USD"),
])
def test_millions_or_billions_with_no_noun_are_money_when_the_sentence_says_so(text, value, unit):
    fact = one_fact(text, value)
    assert (fact["kind"], fact["unit"]) == ("money", unit)


@pytest.mark.parametrize("text, value", [
    ("Tổng lượt khách du lịch đến tỉnh ước đạt 1,2 triệu, tăng 8%.", 1_200_000),
    ("Cây ăn quả cho thu nhập hơn 300 triệu/ha/năm.", 300_000_000),
    ("Số người xem trực tiếp trận đấu lên tới 3 triệu.", 3_000_000),
])
def test_a_bare_million_stays_a_count_without_a_word_of_money(text, value):
    assert one_fact(text, value)["kind"] == "count"


def test_a_word_that_opens_with_a_scale_syllable_is_no_scale():
    assert one_fact("Công ty sẽ chia cổ tức năm 2023 tỷ lệ 30% bằng tiền mặt.", 30)["kind"] == "percent"
    assert not [f for f in facts_of("Công ty sẽ chia cổ tức năm 2023 tỷ lệ 30% bằng tiền mặt.") if f["value"] >= 10**9]
    fact = one_fact("Danh sách năm nay có 15 tỷ phú đô la.", 15)
    assert (fact["kind"], fact["unit"]) == ("count", "tỷ phú")


def test_a_small_amount_in_another_currency_gives_no_currency_to_a_bare_million():
    text = "Lượng khách quốc tế đạt 1,5 triệu, mỗi khách chi tiêu bình quân 120 USD/ngày."
    assert one_fact(text, 1_500_000)["kind"] == "count"


def test_a_part_of_a_total_in_millions_keeps_both_scales():
    fact = one_fact("Khoảng 2 triệu trong tổng số 7 triệu người thuê nhà được trợ cấp.", [2_000_000, 7_000_000])
    assert (fact["kind"], fact["unit"]) == ("ratio", "người")


@pytest.mark.parametrize("text, not_a_person", [
    ("Cựu cầu thủ nay là Giám đốc điều hành của Hoàng Anh Gia Lai.", "Hoàng Anh Gia Lai"),
    ("Hàng triệu cử tri đi bầu Tổng thống thứ 20 của Hàn Quốc hôm qua.", "Hàn Quốc"),
    ("Chủ tịch UBND tỉnh dự lễ khai hội Đền Trần Xuân Giáp Thìn tại Nam Định.", "Trần Xuân Giáp Thìn"),
])
def test_what_follows_a_title_of_an_organisation_or_a_lunar_year_is_no_person(text, not_a_person):
    assert not_a_person not in officials_of(text)


def test_a_title_that_names_another_person_is_not_the_next_persons():
    found = officials_of("Sau vụ việc của Giám đốc Sở Xây dựng Phạm Văn Lợi trước đây, bà Nguyễn Thị Hòa cho rằng "
                         "cần rút kinh nghiệm. Phó Chủ tịch Quốc hội dành cho Đoàn, ông Mark Wilson, Chủ tịch Tiểu ban "
                         "Thương mại, lời chào.")
    assert found["Phạm Văn Lợi"][1] == ["Giám đốc Sở Xây dựng"]
    assert "Nguyễn Thị Hòa" not in found
    assert found["Mark Wilson"][1] == ["Chủ tịch Tiểu ban Thương mại"]


def test_a_foreign_name_after_a_title_and_its_country_is_whole():
    found = officials_of("Tổng thống Hàn Quốc Yoon Suk-yeol phát biểu khai mạc. Chủ tịch Triều Tiên Kim Jong-un cho biết.")
    assert found["Yoon Suk-yeol"][1] == ["Tổng thống Hàn Quốc"]
    assert found["Kim Jong-un"][1] == ["Chủ tịch Triều Tiên"]
    assert not [name for name in found if name.startswith("Hàn Quốc")]


def test_what_an_official_does_ends_the_title_and_the_next_title_starts_afresh():
    found = officials_of("Chủ tịch nước Võ Văn Thưởng hội kiến Thủ tướng Lào Sonexay Siphandone tại Hà Nội. "
                         "Tổng Thư ký Quốc hội Bùi Văn Cường cho hay kỳ họp kéo dài 20 ngày.")
    assert found["Sonexay Siphandone"][1] == ["Thủ tướng Lào"]
    assert found["Bùi Văn Cường"][1] == ["Tổng Thư ký Quốc hội"]


def test_a_city_after_its_unit_word_is_no_person_though_it_opens_with_a_surname():
    found = officials_of("Chủ tịch UBND thành phố Hạ Long kiêm Trưởng Ban quản lý vịnh Hạ Long có mặt. "
                         "Chủ tịch UBND thành phố Lê Văn Hải chủ trì.")
    assert "Hạ Long" not in found and found["Lê Văn Hải"][1] == ["Chủ tịch UBND thành phố"]


def test_abbreviated_director_titles_are_titles():
    found = officials_of("Ông Lê Văn Hậu, Phó GĐ Trung tâm Y tế huyện cho biết. PGĐ Sở Tài chính Trần Thị Lan phát biểu.")
    assert found["Lê Văn Hậu"][1] == ["Phó GĐ Trung tâm Y tế huyện"]
    assert found["Trần Thị Lan"][1] == ["PGĐ Sở Tài chính"]


def test_a_sectors_contribution_is_a_share_not_a_change():
    text = "Năm 2023, khu vực dịch vụ tăng 6,1%, đóng góp 31,5%; khu vực công nghiệp tăng 9,8%, đóng góp 52,3%."
    assert one_fact(text, 6.1)["role"] == "change"
    for value in (31.5, 52.3):
        assert (one_fact(text, value)["role"], one_fact(text, value)["direction"]) == ("actual", None)


def test_a_growth_rate_reached_is_a_change_and_the_position_after_it_ranks_it():
    text = "Năm 2023, tốc độ tăng trưởng kinh tế (GRDP) của tỉnh đạt mức 7,2%, đứng thứ 15/63 tỉnh, thành phố."
    growth, rank = one_fact(text, 7.2), one_fact(text, 15)
    assert (growth["role"], growth["direction"], growth["concept"]) == ("change", "increase", "economic_growth")
    assert (rank["kind"], rank["role"], rank["concept"]) == ("rank", "actual", "economic_growth")


def test_revenue_from_imports_and_exports_is_a_budget_line():
    text = "Thu ngân sách 6 tháng: thu nội địa 4.100 tỷ đồng; thu xuất nhập khẩu là 1.250 tỷ đồng, đạt 61%."
    assert one_fact(text, 1_250_000_000_000)["concept"] == "budget"


def test_the_minutes_of_a_clock_time_are_no_count():
    assert not facts_of("PV Miền Trung 18/04/2024 10:03 GMT+7\nTh 5, 18/04/2024 | 08:41 SA\nHội nghị bắt đầu lúc 14:30 chiều.")


def test_each_position_of_a_list_of_positions_once_and_ranking_the_same_figure():
    text = ("Năm 2023, GRDP của tỉnh ước đạt 85.400 tỷ đồng; xếp thứ 35/63 tỉnh, thành phố trong cả nước và xếp thứ 4 "
            "khu vực Tây Nguyên. Kinh tế số đạt 0,52 điểm, xếp thứ 27 và xã hội số đạt 0,49 điểm, xếp thứ 31.")
    ranks = [f for f in facts_of(text) if f["kind"] == "rank"]
    assert sorted(f["value"] for f in ranks) == [4, 27, 31, 35]
    assert {f["value"]: f["concept"] for f in ranks}[4] == "economic_growth"


def test_a_figure_dated_outside_its_reports_period_does_not_take_it():
    text = ("Kinh tế - xã hội 9 tháng năm 2023\n"
            "Theo rà soát hộ nghèo theo chuẩn nghèo đa chiều giai đoạn 2021-2025, cuối năm 2022, toàn tỉnh còn 8.210 hộ nghèo.\n"
            "Tính đến ngày 15/9, toàn tỉnh đã cấp 2.300 thẻ căn cước.")
    poor = one_fact(text, 8210)
    assert (poor["period"], poor["as_of"]) == (None, "2022-12-31")
    cards = one_fact(text, 2300)
    assert (cards["period"], cards["as_of"]) == ("2023-9M", "2023-09-15")


def test_a_total_of_a_group_or_an_amount_naming_who_has_it_is_a_fact():
    text = ("Có ít nhất 37 tỉnh, thành phố đang bội chi quỹ với tổng số tiền trên 3.400 tỷ đồng. "
            "Trong đó, doanh nghiệp nợ nhiều nhất hơn 7,3 tỉ đồng là Công ty Hà Thành.")
    assert one_fact(text, 3_400_000_000_000)["qualifier"] == "over"
    assert one_fact(text, 7_300_000_000)["kind"] == "money"


def test_the_plans_value_in_brackets_is_the_years_target():
    text = ("Thu ngân sách 6 tháng năm 2024\n"
            "Tổng thu ngân sách 6 tháng là 8.150 tỷ đồng, đạt 52,1% so với nghị quyết đề ra (15.640 tỷ đồng).")
    plan, done = one_fact(text, 15_640_000_000_000), one_fact(text, 8_150_000_000_000)
    assert (plan["role"], plan["period"]) == ("target", "2024")
    assert (done["role"], done["period"]) == ("actual", "2024-H1")


def test_the_rest_of_a_list_in_the_next_sentence_keeps_the_lists_indicator():
    text = ("Xuất khẩu 6 tháng năm 2024\nKim ngạch xuất khẩu của Bình Dương đạt 15,2 tỷ USD.\n"
            "Tiếp theo là Đồng Nai 10,4 tỷ USD; Long An 4,1 tỷ USD.")
    for value in (10_400_000_000, 4_100_000_000):
        assert one_fact(text, value)["concept"] == one_fact(text, 15_200_000_000)["concept"] == "economic_growth"


def test_the_rest_of_a_list_takes_the_period_its_sentence_before_named():
    text = ("Xuất khẩu 9 tháng năm 2023\nChín tháng, kim ngạch xuất khẩu của tỉnh đạt 9,6 tỷ USD.\n"
            "Riêng quý III, tỉnh xuất siêu 1,2 tỷ USD. Tiếp đến là Long An (0,9 tỷ USD).")
    assert one_fact(text, 900_000_000)["period"] == "2023-Q3"
    assert one_fact(text, 9_600_000_000)["period"] == "2023-9M"


def test_a_ranking_compared_with_a_year_is_the_next_years_not_its_reports_half():
    text = ("Hội nghị sơ kết 6 tháng đầu năm 2024\n"
            "Tỉnh xếp hạng 18/63 tỉnh, thành phố, tăng 3 bậc so với năm 2022.\nTỉnh thu hút 12 dự án mới.")
    assert one_fact(text, 18)["period"] == "2023"
    assert one_fact(text, 12)["period"] == "2024-H1"


@pytest.mark.parametrize("text, value", [
    ("GRDP 6 tháng đầu năm 2023 ước tính đạt 29.240,3 tỷ đồng (giá so sánh 2010).", 29_240_300_000_000),
    ("Kim ngạch xuất khẩu dự ước đạt 1,2 tỷ USD.", 1_200_000_000),
])
def test_an_estimate_reached_is_approx(text, value):
    assert one_fact(text, value)["qualifier"] == "approx"


# -- a fourth read: rankings, change verbs and counted nouns that reports also use -------------------------

def test_rankings_written_with_vi_thu_vi_tri_or_a_comparative_ordinal():
    text = ("Quy mô kinh tế ước đạt 41,2 nghìn tỉ đồng, xếp vị thứ 27/63 tỉnh, thành phố; "
            "xếp vị trí 4/14 tỉnh trong vùng.")
    assert (one_fact(text, 27)["kind"], one_fact(text, 27)["of"]) == ("rank", 63)
    assert (one_fact(text, 4)["kind"], one_fact(text, 4)["of"]) == ("rank", 14)
    assert one_fact("Tỷ lệ hộ nghèo của vùng là 9,8%, cao thứ ba cả nước.", 3)["kind"] == "rank"


def test_a_fall_or_a_rise_said_with_other_verbs_is_a_change():
    fact = one_fact("Doanh thu quý II đạt 12 nghìn tỉ đồng, thu hẹp 420 tỉ đồng so với cùng kỳ.", 420_000_000_000)
    assert (fact["role"], fact["direction"], fact["baseline"]) == ("change", "decrease", "same_period")
    fact = one_fact("Tỉnh nhảy vọt 11 bậc so với năm 2022.", 11)
    assert (fact["kind"], fact["role"], fact["direction"]) == ("rank", "change", "increase")
    # "tụt giảm còn" gives the new level, as "giảm còn" does
    assert one_fact("Doanh số tháng 6 tụt giảm còn 640 chiếc.", 640)["role"] == "actual"


def test_the_accused_are_counted():
    assert one_fact("Cơ quan điều tra đã khởi tố 57 vụ, 132 bị can.", 132)["unit"] == "bị can"


def test_a_programmes_span_in_the_lead_is_no_report_period_but_a_school_year_is():
    text = ("Chương trình mục tiêu quốc gia giảm nghèo giai đoạn 2021-2025 đã qua nửa chặng đường.\n"
            "Cuối năm 2023, toàn huyện còn 1.204 hộ nghèo.")
    fact = one_fact(text, 1204)
    assert (fact["period"], fact["as_of"]) == (None, "2023-12-31")
    school = "Tuyển sinh lớp 10 năm học 2023-2024\nToàn thành phố có 96.000 thí sinh dự thi."
    assert one_fact(school, 96000)["period"] == "2023-2024"


def test_a_year_a_few_words_after_so_voi_is_compared_with():
    text = ("Năm 2024, vùng gieo trồng được 717,9 nghìn ha, tăng 10,2 nghìn ha so với vụ thu đông năm 2023; "
            "năng suất đạt 57,9 tạ/ha.")
    assert one_fact(text, 10200)["baseline"] == "2023"
    assert one_fact(text, 57.9)["period"] == "2024"
    # a phrase opened after "so với" dates the figure instead
    assert one_fact("Doanh số tăng 14% so với cùng kỳ trong tháng 3/2024.", 14)["period"] == "2024-03"


def test_a_price_threshold_is_a_level_not_a_result():
    text = "Giá vàng giảm 150 nghìn đồng/lượng, xuống sát ngưỡng 66 triệu đồng/lượng."
    assert 66_000_000 not in [f["value"] for f in facts_of(text)]
    assert one_fact(text, 150_000)["role"] == "change"


def test_the_bracket_closing_a_plans_noun_phrase_is_the_plans_value():
    text = ("Tỷ lệ tham gia bảo hiểm thất nghiệp đạt 28,4%, thấp hơn 1,6% so với chỉ tiêu được giao tại "
            "Quyết định số 12/QĐ-UBND ngày 3/2/2023 của UBND tỉnh (30%) và so với chỉ tiêu Sở giao (29,5%).")
    assert one_fact(text, 30)["role"] == "target"
    assert one_fact(text, 29.5)["role"] == "target"
    assert one_fact(text, 28.4)["role"] == "actual"
    # a list after the plan, or a ministry's name, is no plan's value
    listed = "Tỷ lệ kích hoạt còn thấp so với chỉ tiêu được giao như: xã An Phú (12,1%)."
    assert one_fact(listed, 12.1)["role"] == "actual"
    named = "Bộ Y tế có 14,6 triệu lượt truy cập, tiếp sau là Bộ Kế hoạch và Đầu tư (6,8 triệu lượt)."
    assert one_fact(named, 6_800_000)["role"] == "actual"


def test_a_ranking_said_once_then_listed_after_semicolons_and_its_size_after_so_voi():
    text = ("Ở chỉ số này, tỉnh A dẫn đầu với 91,2%; đứng thứ 2 là tỉnh B đạt 90,3%; "
            "thứ 3 tỉnh C đạt 89,9%.")
    assert one_fact(text, 3)["kind"] == "rank"
    fact = one_fact("Tỉnh có tốc độ tăng trưởng thấp thứ 4 so với 63 tỉnh, thành.", 4)
    assert (fact["kind"], fact["of"]) == ("rank", 63)
    assert 63 not in [f["value"] for f in facts_of("Tỉnh có tốc độ tăng trưởng thấp thứ 4 so với 63 tỉnh, thành.")]


def test_a_comparison_inside_brackets_stays_there_and_its_comparatives_are_exact_differences():
    text = ("Công an bắt giữ 96 vụ, 130 đối tượng (so với năm 2022, phát hiện ít hơn 14 vụ, nhiều hơn 9 đối tượng) "
            "và 820 vụ với 1.090 đối tượng sử dụng trái phép chất ma túy.")
    fewer = one_fact(text, 14)
    assert (fewer["qualifier"], fewer["role"], fewer["direction"], fewer["baseline"]) == ("exact", "change", "decrease", "2022")
    assert one_fact(text, 9)["qualifier"] == "exact"
    assert (one_fact(text, 820)["role"], one_fact(text, 1090)["role"]) == ("actual", "actual")


def test_chi_so_nay_refers_back_to_the_index_named_before():
    text = ("Kết quả Chỉ số SIPAS năm 2023\n"
            "Chỉ số SIPAS đo lường sự hài lòng của người dân, tổ chức với sự phục vụ của cơ quan hành chính.\n"
            "Ở chỉ số này, tỉnh B đạt 88,12%, tăng 1,3% so với năm 2022.")
    assert one_fact(text, 88.12)["concept"] == "citizen_satisfaction"


def test_a_bracketed_change_right_before_so_voi_is_compared():
    fact = one_fact("Tai nạn giao thông giảm mạnh (giảm 18,4%) so với cùng kỳ năm 2023.", 18.4)
    assert (fact["direction"], fact["baseline"]) == ("decrease", "same_period")


def test_a_report_calling_its_year_nam_nay_is_dated_after_the_year_it_compares_with_in_brackets():
    text = ("Kinh tế tỉnh tiếp tục tăng trưởng cao trong 9 tháng năm nay, đạt mức 11,2%. "
            "Công nghiệp tăng 15,1% (mức tăng 9 tháng năm 2023 chỉ là 6,4%).")
    assert one_fact(text, 11.2)["period"] == "2024-9M"


def test_a_position_written_vi_tri_so():
    assert one_fact("Tỉnh tiếp tục giữ vị trí số 2 với 72,1 điểm.", 2)["kind"] == "rank"


def test_a_later_list_item_names_its_own_indicator_an_earlier_one_is_shared():
    text = ("Tỉnh đã cấp 120.000 thẻ căn cước cho công dân trong năm. "
            "Đến cuối năm 2024, tỷ lệ bao phủ bảo hiểm y tế đạt 94,1%; tỷ lệ lao động tham gia bảo hiểm xã hội "
            "đạt 41,6%; tỷ lệ người dân hài lòng đạt trên 88%.")
    assert one_fact(text, 94.1)["concept"] == "other"
    assert one_fact(text, 88)["concept"] == "citizen_satisfaction"
    shared = ("Số người được chi trả lương hưu không dùng tiền mặt đạt 78%; chế độ một lần đạt trên 95%; "
              "trợ cấp thất nghiệp đạt 99,1%.")
    assert one_fact(shared, 95)["concept"] == "cashless_payments"


def test_a_ranking_table_names_no_position():
    text = "Theo bảng xếp hạng 63 tỉnh, thành phố năm 2024, tỉnh đạt 66,2 điểm, xếp hạng 7/63."
    ranks = [f["value"] for f in facts_of(text) if f["kind"] == "rank"]
    assert ranks == [7]
