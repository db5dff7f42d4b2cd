"""Indicator concepts from the vocabulary in gazetteer/data/concepts.yaml."""
import pytest

from helpers import one_fact


@pytest.mark.parametrize("sentence, value, concept", [
    ("Đã có 178/178 cơ sở khám chữa bệnh dùng thẻ CCCD gắn chip.", [178, 178], "health_insurance_by_id"),
    ("Toàn tỉnh thu nhận gần 1.810.000 hồ sơ cấp CCCD.", 1810000, "id_card_issuance"),
    ("Đã phê duyệt 1.112.118 tài khoản định danh điện tử.", 1112118, "eid_accounts"),
    ("Tiếp nhận được 107 tin báo, tố giác tội phạm qua VNeID.", 107, "crime_reports_vneid"),
    ("Tỷ lệ hồ sơ thanh toán trực tuyến đạt 95%.", 95, "online_payments"),
    ("Tỷ lệ giải quyết đúng và trước hạn đạt 99,1%.", 99.1, "administrative_procedures"),
    ("Đã cấp, kích hoạt hơn 12.000 chữ ký số.", 12000, "digital_signatures"),
    ("Tổ Công tác tổ chức 50 cuộc họp.", 50, "meetings_held"),
    ("Dịp này, UBND tỉnh đã khen thưởng cho 05 tập thể.", 5, "awards"),
    ("Chi trả học phí năm học 2023-2024 đạt tỷ lệ 84,6%.", 84.6, "cashless_payments"),
    ("Giá lúa tẻ thường ở mức 5.200 đồng/kg.", 5200, "other"),
    ("Toàn thành phố hiện có 345 tuyến đường cho phép đỗ xe.", 345, "other"),
])
def test_concepts(sentence, value, concept):
    assert one_fact(sentence, value)["concept"] == concept


def test_a_change_shares_the_indicator_of_its_level():
    text = "Sử dụng thẻ CCCD khám chữa bệnh thay thế thẻ BHYT đạt 95,1% (tăng 13,4% so với năm 2023)."
    level, change = one_fact(text, 95.1), one_fact(text, 13.4)
    assert change["concept"] == level["concept"] == "health_insurance_by_id"
    assert change["indicator"] == level["indicator"]


@pytest.mark.parametrize("sentence, value, subject", [
    ("Sở Tư pháp đã số hóa dữ liệu hộ tịch đạt gần 82%.", 82, "Sở Tư pháp"),
    ("Công an tỉnh thực hiện điện tử hóa 100% tờ khai; số hóa hồ sơ cư trú đạt 21,8%.", 21.8, "Công an tỉnh"),
    ("Toàn tỉnh có 40 mô hình điểm.", 40, None),
])
def test_subject_of_a_fact(sentence, value, subject):
    fact = one_fact(sentence, value)
    assert fact["subject"] == subject
    if subject:
        assert not fact["indicator"].startswith(subject)


def test_a_parenthetical_remark_keeps_its_cues_to_itself():
    text = "Dự kiến đến năm 2017 giảm 69 biên chế so với hiện nay (giảm chi ngân sách khoảng 9,94 tỉ đồng/năm)."
    assert one_fact(text, 69)["concept"] == "other"
    assert one_fact(text, 9940000000)["concept"] == "budget"


@pytest.mark.parametrize("sentence, value, concept", [
    ("Đến nay toàn tỉnh có 1,1 triệu tài khoản ngân hàng và 420.000 ví điện tử.", 1100000, "cashless_payments"),
    ("Sinh viên nghèo được nhận học bổng 50% học phí.", 50, "other"),            # no payment named
    ("Đoàn đã kiểm tra 12 tàu cá tại cảng.", 12, "other"),                      # no meeting named
])
def test_cues_that_need_their_context(sentence, value, concept):
    assert one_fact(sentence, value)["concept"] == concept


E_ID_REPORT = ("Đẩy nhanh kích hoạt tài khoản định danh điện tử\n"
               "Công tác cấp tài khoản định danh điện tử được triển khai quyết liệt. Tỷ lệ kích hoạt tài khoản "
               "định danh điện tử toàn tỉnh đạt 63%.\n"
               "Huyện Đông đã tạo lập hồ sơ đạt 108%, kích hoạt được 61.300 tài khoản.\n"
               "Trong đó, thị trấn An đạt 112%; xã Bình đạt 97%.\n"
               "Dịp này, 1.500 đoàn viên thanh niên tham gia hỗ trợ người dân.")


@pytest.mark.parametrize("value", [108, 61300, 112, 97])
def test_figures_of_an_e_id_report_that_leave_it_implicit_take_its_subject(value):
    assert one_fact(E_ID_REPORT, value)["concept"] == "eid_accounts"


def test_a_figure_with_nothing_tying_it_to_the_subject_keeps_its_own_reading():
    assert one_fact(E_ID_REPORT, 1500)["concept"] == "other"


def test_general_news_is_not_pulled_into_a_subject():
    text = ("Kinh tế tăng trưởng khá\nGRDP của tỉnh tăng 7,2%. Kim ngạch xuất khẩu đạt 1,2 tỷ USD. "
            "Giá trị sản xuất công nghiệp tăng 9%.\nToàn tỉnh có 120 hợp tác xã thành lập mới.")
    assert one_fact(text, 120)["concept"] == "other"


def test_a_rank_takes_only_what_its_own_phrase_ranks():
    text = "Tỉnh đã hoàn thành vượt chỉ tiêu kích hoạt tài khoản định danh điện tử, xếp thứ 5/63 tỉnh, thành phố."
    assert one_fact(text, 5)["concept"] == "other"


def test_a_figure_that_names_nothing_takes_the_subject_of_its_report():
    text = ("Tỉnh dẫn đầu về hồ sơ trực tuyến toàn trình\n"
            "Năm 2024, tỉnh xử lý trực tuyến toàn trình 61,2% hồ sơ thủ tục hành chính. Tỷ lệ hồ sơ trực tuyến "
            "toàn trình của tỉnh tăng mạnh.\n"
            "Tỉnh A (52,3%) và tỉnh B (49,1%) là những địa phương xếp sau. Đến cuối năm, tỷ lệ này đạt 57%.")
    assert [one_fact(text, v)["concept"] for v in (52.3, 49.1, 57)] == ["online_public_services"] * 3


DTI_REPORT = ("Công bố chỉ số chuyển đổi số DTI năm 2024\n"
              "Chỉ số DTI của tỉnh năm 2024 đạt 0,61 điểm. Theo bảng xếp hạng DTI, tỉnh xếp thứ 19/63 tỉnh, thành phố.\n"
              "Trong đó, chính quyền số xếp thứ 22/63; kinh tế số xếp thứ 17/63.")


@pytest.mark.parametrize("value", [19, 22, 17])
def test_the_ranks_of_a_dti_report_rank_the_dti(value):
    assert one_fact(DTI_REPORT, value)["concept"] == "digital_transformation_index"


def test_a_rank_in_a_report_on_something_else_is_other():
    text = ("Kích hoạt tài khoản định danh điện tử\nToàn tỉnh đã kích hoạt 81.000 tài khoản định danh điện tử, "
            "hoàn thành vượt chỉ tiêu, tỉnh xếp thứ 6/63 tỉnh, thành phố.")
    assert one_fact(text, 6)["concept"] == "other"
