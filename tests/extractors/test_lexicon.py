"""The fast phrase search finds exactly what the phrase pattern finds, on any text and any window."""
from hypothesis import given, settings
from hypothesis import strategies as st

import gazetteer
from extractors.lexicon import cues, phrase_finder, phrase_pattern

PHRASE_LISTS = [
    (gazetteer.titles(), True), (gazetteer.titles(), False), (tuple(gazetteer.districts()), False),
    (cues("neutral"), True), (cues("actual"), True), (gazetteer.organisation_heads(), False),
    (("đạt", "đạt được", "Tỷ lệ", "tài khoản định danh", "e-ID", "CCCD"), True),
]

# Vietnamese and foreign letters that fold oddly (ſ, K, ı, İ), digits, superscripts, spaces and punctuation;
# a letter newer than Python's Unicode tables (U+A7CB: regex knows it, re does not) and U+001C (a space
# for re, not for regex).
ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắếệộợứựĐÁẠTỶLỆtỷlệCDIKSſKıİ²019 ,.-/%()\n“”\ua7cb\x1c"
WORDS = ["Phó Chủ tịch", "phó chủ tịch", "Giám đốc", "đạt", "đạt được", "đạtx", "Tỷ lệ", "TỶ LỆ", "tài khoản",
         "Quận 1", "Sở Tư pháp", "UBND", "CCCD", "e-ID", "năm", "ông", "Bà", "đồng chí", "Đại tá", "thiếu tướng",
         "tăng", "giảm khoảng", "gần", "hơn", "v.v.", "(", "thêm"]
TEXTS = st.lists(st.one_of(st.sampled_from(WORDS), st.text(ALPHABET, max_size=6)), max_size=30).map(" ".join) \
    | st.text(ALPHABET, max_size=80)


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.integers(0, 200), st.integers(0, 200), st.sampled_from(PHRASE_LISTS))
def test_finder_matches_the_pattern(text, a, b, phrases):
    a, b = min(a, len(text)), min(max(a, b), len(text))
    finder, pattern = phrase_finder(*phrases), phrase_pattern(*phrases)
    assert [m.span() for m in finder.finditer(text, a, b)] == [m.span() for m in pattern.finditer(text, a, b)]
    found = finder.search(text, a, b)
    expected = pattern.search(text, a, b)
    assert (found.span() if found else None) == (expected.span() if expected else None)


def test_a_text_with_other_letters_is_searched_with_the_pattern():
    # "ſ" matches "s" case-insensitively, which a lower-cased index would miss.
    text = "Tỷ lệ ſở hữu, ſở Tư pháp"
    finder = phrase_finder(("sở hữu",), True)
    assert [m.group(0) for m in finder.finditer(text)] == [m.group(0) for m in phrase_pattern(("sở hữu",), True).finditer(text)]


AT_END_LISTS = [
    (gazetteer.honorifics(), False), (gazetteer.ranks(), True), (cues("change.increase", "change.decrease"), True),
    (cues("change_fillers", "@qualifiers"), True), (("đạt", "tăng thêm", "thêm", "v.v.", "e-ID", "(", "Quận 1"), True),
]


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.sampled_from(AT_END_LISTS))
def test_match_at_end_is_the_pattern_search(text, phrases):
    from extractors.lexicon import at_end_pattern, match_at_end

    found, expected = match_at_end(*phrases[:1], text, phrases[1]), at_end_pattern(*phrases).search(text)
    assert (found.span() if found else None) == (expected.span() if expected else None)


PERIOD_WORDS = ["6 tháng đầu năm 2024", "Sáu tháng cuối năm", "9 tháng", "Chín tháng đầu năm", "quý III/2017", "QUÝ I",
                "quí 4 năm 2023", "năm học 2023-2024", "giai đoạn 2022 - 2025", "nhiệm kỳ 2020–2025", "hết năm 2023",
                "tháng 7/2017", "tháng 1.2017", "xtháng 5", "năm nay", "Năm ngoái", "năm trước", "2023", "1920", "19 tháng",
                "ſáu tháng", "đến 2025", "tới năm 2030", "12/2024", "2024-2025"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PERIOD_WORDS), st.text(ALPHABET, max_size=5)), max_size=20).map(" ".join),
       st.integers(0, 200), st.integers(0, 200))
def test_period_search_is_the_pattern(text, a, b):
    from extractors.periods import patterns as P
    from extractors.periods.extract import _period_matches

    a, b = min(a, len(text)), len(text) if b == 0 else min(max(a, b), len(text))
    assert [m.span() for m in _period_matches(text, a, b)] == [m.span() for m in P.PERIOD.finditer(text, a, b)]


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.sampled_from(PHRASE_LISTS))
def test_match_at_start_is_the_pattern_match(text, phrases):
    from extractors.lexicon import match_at_start

    found, expected = match_at_start(*phrases[:1], text, phrases[1]), phrase_pattern(*phrases).match(text)
    assert (found.span() if found else None) == (expected.span() if expected else None)


PLACE_WORDS = ["huyện", "Huyện", "phường", "TX.", "TX", "Bệnh viện", "bệnh viện", "nông thôn", "Môi trường", "đường",
               "thành phố", "phố", "Sở", "thôn", "tỉnh", "xã", "Nguyễn Văn", "\n", "  "]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PLACE_WORDS), st.text(ALPHABET, max_size=5)), max_size=12).map(" ".join))
def test_place_before_search_is_the_pattern_search(text):
    from extractors.officials import patterns as P

    found, expected = P.place_before_search(text), P.place_before().search(text)
    assert (found.span() if found else None) == (expected.span() if expected else None)


def test_characters_re_and_regex_read_differently_give_the_patterns_match():
    """The small per-first-word patterns are compiled by re; a letter newer than Python's Unicode tables
    right after a phrase, or U+001C between its words, must not make them disagree with the regex pattern."""
    from extractors.lexicon import match_at_start

    phrases = ("tỷ lệ", "tỷ")
    for text in ("tỷ lệ\ua7cb hộ nghèo", "tỷ\x1clệ hộ nghèo", "tỷ lệ hộ nghèo", "Tỷ lệ\ua7cb"):
        found, expected = match_at_start(phrases, text), phrase_pattern(phrases, True).match(text)
        assert (found.span() if found else None) == (expected.span() if expected else None), text
