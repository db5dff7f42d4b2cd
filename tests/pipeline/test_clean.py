"""Cleaning: the text every offset refers to."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.clean import CleaningRules, clean_text


@pytest.mark.parametrize("raw, cleaned", [
    ("Thanh Hoá, Khánh Hoà, uỷ ban", "Thanh Hóa, Khánh Hòa, ủy ban"),
    ("quý, hoàn thành, thuý", "quý, hoàn thành, thúy"),
    ("Ho\u0300a Bi\u0300nh", "Hòa Bình"),                                  # NFD composed
    ("đạt\u200b 86,7%\u00a0nhé", "đạt 86,7% nhé"),                         # zero-width and no-break spaces
    ("Kết quả đạttỷ lệ tích cực89,8%(tăng", "Kết quả đạt tỷ lệ tích cực 89,8%(tăng"),
    ("cácnhiệm vụ, thựchiện, KT - XHđược", "các nhiệm vụ, thực hiện, KT - XH được"),
    ("triển khaiĐề án 06, VNeID, iPhone", "triển khai Đề án 06, VNeID, iPhone"),
    ("![]() |\nGiám đốc phát biểu |\n|", "Giám đốc phát biểu"),
    ("[Audio] Hải Dương cần đầu tư", "Hải Dương cần đầu tư"),
])
def test_cleaning_table(raw, cleaned):
    assert clean_text(raw).text == cleaned


def test_injected_spam_phrase_is_repaired_by_the_source_rule():
    raw = "6 tháng đầu bongdalu truc tiep. So với bongdalu truc tiep 2023. Luật bongdalu truc tiep 2023."
    result = clean_text(raw, CleaningRules(replace={"bongdalu truc tiep": "năm"}))
    assert "bongdalu" not in result.text and result.text.count("năm") == 3
    assert result.warnings == []


def test_injected_spam_phrase_is_found_and_removed_without_a_rule():
    raw = "6 tháng đầu bongdalu truc tiep. So với bongdalu truc tiep 2023. Luật bongdalu truc tiep 2023."
    result = clean_text(raw)
    assert "bongdalu" not in result.text
    assert "bongdalu truc tiep" in result.warnings[0]


def test_a_repeated_unaccented_vietnamese_phrase_is_not_spam():
    raw = "Cong an tinh. Cong an tinh. Cong an tinh. Cong an tinh."
    assert clean_text(raw).text == raw


def test_seed_004_after_its_source_rule_has_no_spam_and_no_glued_words():
    import json

    raw = open("corpus/seeds/004_55d2a3152ed71c97.txt", encoding="utf-8").read()
    meta = json.load(open("corpus/seeds/004_55d2a3152ed71c97.meta.json", encoding="utf-8"))
    text = clean_text(raw, CleaningRules(replace=meta["clean"]["replace"])).text
    assert "bongdalu" not in text
    for glued in ("đạttỷ", "cực89", "Tỷlệ", "hộiđạt", "nămhọc", "cácnhiệm", "thựchiện", "XHđược"):
        assert glued not in text


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_cleaning_any_text_never_raises_and_is_nfc(raw):
    import unicodedata

    text = clean_text(raw).text
    assert unicodedata.is_normalized("NFC", text)
    assert "\u200b" not in text


def test_a_repeated_loanword_phrase_is_text_not_spam():
    from pipeline.clean import clean_text

    text = ("Tỉnh cấp CCCD gắn chip cho 100% dân số. Việc cấp thẻ gắn chip cho người cao tuổi được ưu tiên. "
            "Công an xã hỗ trợ cấp thẻ gắn chip cho học sinh.")
    cleaned = clean_text(text)
    assert cleaned.text.count("gắn chip cho") == 3 and not cleaned.warnings


ENGLISH = ("The provincial police said that 1,200 identity cards were issued in March and the number of "
           "electronic accounts rose by 15 percent compared with the same period last year, while 40 "
           "officers took part in the campaign across the districts of the province this week. Officials "
           "expect another 3,000 applications before the end of the quarter, and 12 new service points "
           "will open in rural communes where residents have complained about long queues and travel.")


def test_an_article_in_another_language_is_refused_on_its_cleaned_text_before_any_analysis():
    from pipeline.fetch import RawArticle
    from pipeline.process import outcome

    timings: dict[str, float] = {}
    done = outcome(RawArticle("en", ENGLISH, False, content_hash="en"), timings=timings)
    assert done.status == "quarantined" and done.error.startswith("not Vietnamese text (")
    assert done.raw is not None and done.result is None        # kept with its reason and its content
    assert "clean" in timings and "analyse" not in timings     # cleaned, then refused: nothing analysed
    vietnamese = outcome(RawArticle("vi", "Năm 2024, toàn tỉnh cấp 1.200 thẻ căn cước, đạt 95% kế hoạch. " * 8,
                                    False, content_hash="vi"), timings=timings)
    assert vietnamese.status == "ok" and "analyse" in timings
