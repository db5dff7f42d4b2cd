"""The numeral grammar: any number written in Vietnamese words parses to the number written in digits."""
import csv
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.quantities.numerals import find_numerals, parse_numeral
from helpers import facts_of, mentions_of

DIGITS = {1: "một", 2: "hai", 3: "ba", 4: "bốn", 5: "năm", 6: "sáu", 7: "bảy", 8: "tám", 9: "chín"}
SCALES = [(10**9, ("tỷ", "tỉ")), (10**6, ("triệu",)), (10**3, ("nghìn", "ngàn"))]


def vietnamese_words(n: int, pick) -> str:
    """Vietnamese words for 1 <= n < 10^12, written by hand (not by the grammar under test), with the
    variants a writer may choose: mốt/một and tư/bốn after "mươi", lăm/năm after tens (năm only before a
    scale word: a final "hai mươi năm" is twenty years), linh/lẻ, nghìn/ngàn, tỷ/tỉ, and "không trăm"
    written out or left out inside a number."""
    groups = []
    rest = n
    for size, names in SCALES:
        groups.append((rest // size, names))
        rest %= size
    groups.append((rest, ()))
    words: list[str] = []
    for value, names in groups:
        if value == 0:
            continue
        leading = not words
        words += _group(value, leading, bool(names), pick)
        if names:
            words.append(pick(names))
    return " ".join(words)


def _group(v: int, leading: bool, scale_follows: bool, pick) -> list[str]:
    h, t, u = v // 100, v // 10 % 10, v % 10
    out = []
    if h:
        out += [DIGITS[h], "trăm"]
    elif not leading and (t == 0 or pick((True, False))):
        out += ["không", "trăm"]
    if t == 0 and u:
        if h or not leading:
            out += [pick(("linh", "lẻ")), pick(("bốn", "tư")) if u == 4 else DIGITS[u]]
        else:
            out.append(DIGITS[u])
    elif t == 1:
        out.append("mười")
        if u:
            out.append(_last(u, after_muoi=False, scale_follows=scale_follows, pick=pick))
    elif t >= 2:
        out += [DIGITS[t], "mươi"]
        if u:
            out.append(_last(u, after_muoi=True, scale_follows=scale_follows, pick=pick))
    return out


def _last(u: int, after_muoi: bool, scale_follows: bool, pick) -> str:
    if u == 1:
        return pick(("mốt", "một")) if after_muoi else "một"
    if u == 4:
        return pick(("tư", "bốn"))
    if u == 5:
        return pick(("lăm", "năm")) if scale_follows else "lăm"
    return DIGITS[u]


@settings(max_examples=400, deadline=None)
@given(st.integers(min_value=1, max_value=10**12 - 1), st.randoms(use_true_random=False))
def test_any_number_in_words_parses_to_its_value(n, rnd):
    words = vietnamese_words(n, rnd.choice)
    assert parse_numeral(words) == n, words


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=10**12 - 1), st.randoms(use_true_random=False),
       st.sampled_from(["Tỉnh đã cấp ", "Đến nay, ", "(", "— "]), st.sampled_from([" hồ sơ.", " đồng", ")", ", tăng"]))
def test_a_number_in_words_inside_a_sentence_has_exact_offsets(n, rnd, before, after):
    words = vietnamese_words(n, rnd.choice)
    text = before + words + after
    found = [x for x in find_numerals(text) if x.value == n]
    assert len(found) == 1
    assert text[found[0].start:found[0].end] == words


@pytest.mark.parametrize("surface, value", [
    ("mười bốn", 14), ("ba mươi ba", 33), ("mười lăm", 15), ("hai mươi mốt", 21), ("hai mươi tư", 24),
    ("năm nghìn", 5000), ("hai trăm nghìn", 200000), ("một tỷ", 10**9), ("một tỉ", 10**9),
    ("hai mươi mốt nghìn không trăm mười một", 21011), ("bảy trăm hai mươi mốt nghìn không trăm mười hai", 721012),
    ("một trăm linh năm", 105), ("một nghìn lẻ tư", 1004), ("hai chục", 20), ("hai nghìn tỷ", 2 * 10**12),
    ("hai mươi năm nghìn", 25000), ("hai triệu rưỡi", 2500000), ("5 nghìn", 5000), ("1,2 triệu", 1200000),
    ("1 tỷ 200 triệu", 1200000000), ("1.500 tỷ", 1500 * 10**9), ("bốn mươi hai", 42),
])
def test_numerals(surface, value):
    assert parse_numeral(surface) == Decimal(value)


@pytest.mark.parametrize("surface", [
    "hai mươi năm",          # twenty years, not 25
    "mười năm",              # ten years, not 15
    "một nghìn hai",         # colloquial shorthand, not read
    "1 tỷ 200",
    "hàng trăm", "trăm nghìn", "nghìn", "không", "tư nhân", "lẻ năm", "mười mốt", "hai chục lăm",
    "năm 2024", "một nghìn hai triệu",
])
def test_what_is_not_one_numeral(surface):
    assert parse_numeral(surface) is None


def _examples():
    path = Path(__file__).parent / "data" / "numeral_examples.csv"
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    assert rows, path
    return [pytest.param(r["sentence"], r["example"], r["facts"], id=f"{r['source']}: {r['example']}") for r in rows]


def _expected(facts: str) -> list[tuple]:
    out = []
    for fact in filter(None, (f.strip() for f in facts.split(";"))):
        kind, value, unit, qualifier = fact.rsplit(" ", 3) if fact.count(" ") == 3 else _split(fact)
        number = Decimal(value)
        out.append((kind, int(number) if number == number.to_integral_value() else float(number),
                    None if unit == "-" else unit, qualifier))
    return out


def _split(fact: str) -> tuple[str, str, str, str]:
    """"count 1 thị xã exact": the unit may hold spaces."""
    kind, value, rest = fact.split(" ", 2)
    unit, qualifier = rest.rsplit(" ", 1)
    return kind, value, unit, qualifier


@pytest.mark.parametrize("sentence, example, facts", _examples())
def test_the_numeral_examples_yield_their_value_kind_and_qualifier(sentence, example, facts):
    got = [(f["kind"], f["value"], f["unit"], f["qualifier"]) for f in facts_of(sentence)]
    assert got == _expected(facts)


@pytest.mark.parametrize("sentence, example, facts", _examples())
def test_every_numeral_value_has_exact_offsets_in_the_example(sentence, example, facts):
    m = mentions_of(sentence)
    at = m.text.lower().index(example.lower())
    for q in m.quantities:
        surface = m.text[q.start:q.end]
        assert surface and surface == surface.strip()
        if len(m.quantities) == 1 or q.kind == "rank":
            assert at <= q.start and q.end <= at + len(example), (surface, example)


WORDS = ["một", "hai", "năm", "mười", "mươi", "mốt", "tư", "lăm", "trăm", "linh", "lẻ", "không", "nghìn", "triệu",
         "tỷ", "chục", "rưỡi", "dăm", "hàng", "1,2", "200", "Ba", "năm", "-", ",", "\n"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=30), st.sampled_from([" ", "  ", " \u00a0"]))
def test_any_soup_of_number_words_gives_disjoint_numerals_with_exact_offsets(words, space):
    text = space.join(words)
    found = find_numerals(text)
    for n, following in zip(found, found[1:] + [None]):
        surface = text[n.start:n.end]
        assert surface == surface.strip() and surface
        assert n.value >= 0
        assert parse_numeral(surface) == n.value                 # the same numeral read on its own
        if following is not None:
            assert n.end <= following.start


def test_a_long_run_of_number_words_is_read_in_linear_time(monkeypatch):
    """Counted, not timed: the grammar is tried a bounded number of times per word."""
    import extractors.quantities.numerals as numerals

    calls = {"n": 0}
    real = numerals._value

    def counting(tokens):
        calls["n"] += 1
        return real(tokens)

    monkeypatch.setattr(numerals, "_value", counting)
    counts = []
    for size in (200, 400, 600):
        calls["n"] = 0
        numerals.find_numerals(" ".join(["một"] * size))
        counts.append(calls["n"])
    assert counts[2] - counts[1] == counts[1] - counts[0]         # each 200 more words cost the same
