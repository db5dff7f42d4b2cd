"""The article's province under the legacy and the current map."""
import pytest

from helpers import mentions_of
from extractors.places import resolve_province


@pytest.mark.parametrize("legacy, current, codes", [
    ("Hậu Giang", "Cần Thơ", ("93", "92")),
    ("Hải Dương", "Hải Phòng", ("30", "31")),
    ("Hà Giang", "Tuyên Quang", ("02", "08")),
    ("Thừa Thiên Huế", "Huế", ("46", "46")),
    ("Hà Nội", "Hà Nội", ("01", "01")),
])
def test_legacy_to_current(legacy, current, codes):
    ref = resolve_province(legacy)
    assert (ref.legacy, ref.current, (ref.legacy_code, ref.current_code)) == (legacy, current, codes)


@pytest.mark.parametrize("alias, legacy", [("TP.HCM", "Hồ Chí Minh"), ("Sài Gòn", "Hồ Chí Minh"),
                                           ("Thừa Thiên - Huế", "Thừa Thiên Huế"), ("tỉnh Hậu Giang", "Hậu Giang")])
def test_aliases(alias, legacy):
    assert resolve_province(alias).legacy == legacy


def test_province_from_districts():
    text = "Công an thành phố Cao Lãnh ra quân. Mô hình thí điểm tại huyện Tháp Mười được nhân rộng."
    assert mentions_of(text).province.legacy == "Đồng Tháp"


def test_province_from_a_dateline():
    assert mentions_of("Sơ kết Đề án 06\nBHG- Sáng 17.7, Tổ công tác họp trực tuyến.").province.legacy == "Hà Giang"


def test_a_report_about_several_provinces_has_none():
    text = "Tại An Giang, giá lúa ổn định. Tại Kiên Giang, giá giảm. Tại Bạc Liêu, giá tăng nhẹ."
    assert mentions_of(text).province is None


def test_a_sidecar_hint_wins():
    assert mentions_of("Toàn tỉnh ta đạt 90%.", meta={"province": "Hà Giang"}).province.current == "Tuyên Quang"


NEUTRAL = "Lực lượng công an đã tổ chức tuyên truyền, hướng dẫn người dân cài đặt ứng dụng và kích hoạt tài khoản."


@pytest.mark.parametrize("url, legacy", [
    ("https://baoquangnam.vn/xa-hoi/day-nhanh-tien-do-143683.html", "Quảng Nam"),      # a paper's host spells it
    ("http://congan.kontum.gov.vn/thong-ke/tang-cuong-trien-khai.html", "Kon Tum"),     # a police portal's host
    ("http://beta.anhp.vn/tiep-tuc-thu-nhan-d54628.html", "Hải Phòng"),                  # a listed paper's host
    ("https://example.org/xa-hoi/ha-noi-tat-ca-can-bo-kich-hoat-post1.html", "Hà Nội"),  # a province in the path
    ("https://example.org/thoi-su/ba-ria-vung-tau-ra-quan-20240101.htm", "Bà Rịa - Vũng Tàu"),
])
def test_province_from_the_web_address(url, legacy):
    assert mentions_of(NEUTRAL, {"url": url}).province.legacy == legacy


def test_an_address_without_a_province_says_nothing():
    assert mentions_of(NEUTRAL, {"url": "https://example.org/xa-hoi/tin-moi-20240101.htm"}).province is None


@pytest.mark.parametrize("lead, legacy", [
    ("(GLO)- Công an tỉnh vừa có báo cáo kết quả triển khai.", "Gia Lai"),
    ("QNO - Sáng nay, Công an tỉnh tổ chức hội nghị sơ kết.", "Quảng Nam"),
])
def test_province_from_a_bracketed_or_plain_dateline(lead, legacy):
    assert mentions_of(lead + "\n" + NEUTRAL).province.legacy == legacy


def test_the_address_does_not_outvote_the_text_of_a_national_paper_on_another_province():
    text = ("Đắk Lắk đẩy mạnh cấp căn cước. Công an tỉnh Đắk Lắk cho biết toàn tỉnh đã cấp hơn 20.000 thẻ. "
            "Đắk Lắk phấn đấu hoàn thành trong tháng 6.")
    assert mentions_of(text, {"url": "https://baohagiang.vn/xa-hoi/tin-1.html"}).province.legacy == "Đắk Lắk"


@pytest.mark.parametrize("text, legacy, current", [
    # a former city now names a ward: the old province from it, the new one from the text
    ("Công an tỉnh Gia Lai cho biết phường Quy Nhơn đã kích hoạt 41.000 tài khoản. Tỉnh Gia Lai dẫn đầu khu vực.",
     "Bình Định", "Gia Lai"),
    # no old place named: the legacy province of the same name
    ("Tỉnh Lào Cai đẩy mạnh cấp căn cước. Công an tỉnh Lào Cai đã cấp 9.000 thẻ.", "Lào Cai", "Lào Cai"),
])
def test_after_the_2025_merger_the_text_names_the_current_province(text, legacy, current):
    province = mentions_of(text, {"published": "2025-09-10"}).province
    assert (province.legacy, province.current) == (legacy, current)


def test_before_the_merger_the_same_text_names_legacy_provinces():
    text = "Công an tỉnh Gia Lai cho biết toàn tỉnh đã kích hoạt 41.000 tài khoản. Tỉnh Gia Lai dẫn đầu khu vực."
    province = mentions_of(text, {"published": "2024-09-10"}).province
    assert (province.legacy, province.current) == ("Gia Lai", "Gia Lai")


def test_a_report_naming_many_provinces_none_dominating_is_national():
    text = ("Khen thưởng công an xã. Công an xã ở Hà Tĩnh, Quảng Ninh, Đồng Nai, Nghệ An và Thừa Thiên Huế được khen. "
            "Hà Tĩnh có 3 xã, Quảng Ninh có 2 xã, Đồng Nai có 2 xã. Hà Tĩnh dẫn đầu. Tại Hà Tĩnh, lễ trao thưởng diễn ra.")
    assert mentions_of(text).province is None


def test_a_bracketed_dateline_opening_the_text_without_a_dash_names_the_paper():
    text = "(CMO) Chương trình giảm nghèo đã qua nửa chặng đường. Cuối năm 2023, toàn tỉnh còn 9.604 hộ nghèo."
    assert mentions_of(text).province.legacy == "Cà Mau"
