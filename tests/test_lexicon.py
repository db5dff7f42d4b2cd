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

# Vietnamese and foreign letters that fold oddly (ſ, K, ı, İ), digits, superscripts, spaces and punctuation.
ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắếệộợứựĐÁẠTỶLỆtỷlệCDIKSſKıİ²019 ,.-/%()\n“”"
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
