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
