"""Shortcuts taken for speed give what the slow way gives, on any text: numbers read only where a digit
or a number word stands, ranking patterns tried only in sentences where one of their opening phrases does."""
from hypothesis import given, settings
from hypothesis import strategies as st

import gazetteer
from extractors.document import analyse
from extractors.quantities import extract as Q
from extractors.quantities.numerals import find_numerals, numerals_of_tokens
from extractors.quantities.patterns import NUMERAL_TOKEN

# Number words in any case, digits glued to letters, words that end or break a numeral, letters that fold
# oddly, a superscript digit and a letter newer than Python's Unicode tables (re and regex read it apart).
NUMBER_WORDS = ["hai", "Hai", "HAI", "mươi", "mốt", "trăm", "linh", "nghìn", "tỷ", "tỷ lệ", "triệu", "rưỡi", "năm",
                "Năm", "mười", "không", "dăm", "bảy", "tám", "1.200", "3,5", "12", "5tỷ", "tỷ5", "2/3", "+3", "_4",
                "xã", "hộ", "đồng", "ſáu", "KHÔNG", "Ba Mươi", "\n", ",", ".", "²", "\ua7cb", "\ua7cbhai", "x\ua7cb"]
TEXTS = st.lists(st.sampled_from(NUMBER_WORDS), max_size=14).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(TEXTS, st.integers(0, 60), st.integers(0, 60))
def test_numerals_read_from_number_words_only_are_those_read_from_every_word(text, a, b):
    a, b = min(a, len(text)), len(text) if b == 0 else min(max(a, b), len(text))
    assert find_numerals(text, a, b) == numerals_of_tokens(text, a, b, NUMERAL_TOKEN)


RANK_WORDS = ["xếp thứ", "Xếp thứ", "xếp hạng", "đứng thứ", "vị trí số", "đứng đầu", "Dẫn đầu", "cả nước", "toàn quốc",
              "bảng", "thứ", "hai", "nhất", "3", "4/63", "5xếp thứ", "người", "tỉnh", ",", ";", "và", "ſếp"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(RANK_WORDS), min_size=1, max_size=12).map(" ".join), st.sampled_from(["", "Tin ", "Tin x"]))
def test_ranking_patterns_are_tried_wherever_they_can_match(sentence, before):
    analysis = analyse(before + sentence + ".")
    words = gazetteer.ranking_words()
    for s in analysis.sentences:
        text = analysis.text
        if any(True for _ in Q._rank_pattern().finditer(s.text)) or any(True for _ in Q._rank_intro_end().finditer(text, s.start, s.end)):
            assert Q._may_open(analysis, s, words["intro"])
        if any(True for _ in Q._leading_pattern().finditer(text, s.start, s.end)):
            assert Q._may_open(analysis, s, words["leading"])


def test_a_letter_re_does_not_know_right_before_the_searched_span_still_ends_a_word():
    # U+A7CB is a letter for regex (newer Unicode tables) and unknown to re: "hai" glued to it is no number.
    text = "\ua7cbhai mươi xã"
    assert find_numerals(text, 1) == numerals_of_tokens(text, 1, len(text), NUMERAL_TOKEN)


CHANGE_WORDS = ["tăng", "Tăng", "tăng trưởng", "tốc độ tăng trưởng", "giảm", "kinh", "tế", "tai", "nạn", "(GRDP)", "2023",
                "12/2023", "được", "là", "ước đạt mức", "đạt", "khoảng", "không dưới", "hơn", "(tăng", "5giảm", ",", "  ", "\n"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(CHANGE_WORDS), max_size=16).map(" ".join).map(lambda s: s + " "))
def test_a_change_verb_with_its_object_is_searched_only_near_the_end_where_it_can_stand(before):
    from extractors.semantics.extract import _start_of_last_words, _verb_with_object

    pattern, reach = _verb_with_object()
    near, full = pattern.search(before, _start_of_last_words(before, reach)), pattern.search(before)
    assert (near.span("verb") if near else None) == (full.span("verb") if full else None)
    assert (near.span() if near else None) == (full.span() if full else None)


def test_the_longest_change_verb_object_link_and_qualifier_are_within_reach():
    from extractors.semantics.extract import _start_of_last_words, _verb_with_object

    pattern, reach = _verb_with_object()
    before = "khi tốc độ tăng trưởng kinh tế giao thông (GRDP) ước đạt mức không thấp hơn "
    m = pattern.search(before, _start_of_last_words(before, reach))
    assert m and m.group("verb") == "tốc độ tăng trưởng"
