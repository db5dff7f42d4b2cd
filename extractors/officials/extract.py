"""Officials: a named person with a public position (or a rank) in the text.

A name is a surname from the gazetteer followed by one to three capitalised syllables, with any
place name in front of it set aside ("Quảng Nam Lê Văn Dũng" is Lê Văn Dũng of Quảng Nam). Titles
come from three places: a chain in apposition after the name ("X, Phó Bí thư …, Chủ tịch …"),
a title right before the name ("Phó Chủ tịch Thường trực UBND tỉnh Nguyễn Thanh Bình"), and
"giữ chức …" after it. Honorifics are never part of a name or a title; a position in a company is
not public. People without a title or rank (journalists, citizens, players) are not officials.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache

import regex

import gazetteer
from extractors import deadline
from extractors.lexicon import PhraseFinder, cues, match_at_end, match_at_start, phrase_finder, phrase_key, phrase_pattern
from extractors.officials import patterns as P
from extractors.document import Analysis
from extractors.tokens import sentence_doc
from settings import thresholds



@dataclass
class FoundOfficial:
    name: str
    rank: str | None
    titles: list[str] = field(default_factory=list)
    start: int = 0
    end: int = 0
    found_by: str = "gazetteer"        # gazetteer (a known surname) | ner (underthesea's CRF tagger) | title (a foreign name after a title)
    appearances: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class _Name:
    text: str
    start: int
    end: int
    found_by: str = "gazetteer"


def find_officials(analysis: Analysis) -> list[FoundOfficial]:
    """Officials of the article, one per person, titles merged across mentions."""
    people: dict[str, FoundOfficial] = {}
    for sentence in analysis.sentences:
        deadline.check()
        names = _names(analysis.text, sentence.start, sentence.end)
        names += _ner_names(analysis, sentence, names)
        for name in names:
            rank, titles = _rank_and_titles(analysis.text, name, sentence.start, sentence.end)
            if not titles and not rank:
                continue
            person = people.setdefault(name.text, FoundOfficial(name.text, rank, [], name.start, name.end,
                                                                  name.found_by))
            person.rank = person.rank or rank
            person.titles.extend(titles)
            person.appearances.append((name.start, name.end))
        for title, name in _assigned_titles(analysis.text, sentence.start, sentence.end):
            if _is_public(title):
                person = people.setdefault(name.text, FoundOfficial(name.text, None, [], name.start, name.end))
                person.titles.append(title)
    _merge_extended_names(people)
    for person in people.values():
        person.titles = _merge_titles(person.titles)
    found = [p for p in people.values() if p.titles or p.rank]
    _link_references(analysis.text, found)
    return found


def _link_references(text: str, people: list[FoundOfficial]) -> None:
    """Later appearances without the full name: "ông Chung", "đồng chí Chủ tịch" (when one person fits)."""
    honorific = phrase_pattern(gazetteer.honorifics(), False).pattern
    for person in people:
        given = person.name.split()[-1]
        spans = set(person.appearances)
        if _after_honorific(text, given):
            for m in _after_honorifics(_given_name_reference(honorific, given)).finditer(text):
                spans.add((m.start(1), m.end(1)))
        person.appearances = sorted(spans)
    by_head: dict[str, list[FoundOfficial]] = {}
    for person in people:
        for title in person.titles:
            head = match_at_start(gazetteer.titles(), P.FORMER.sub("", title))
            if head:
                by_head.setdefault(head.group(0).lower(), []).append(person)
    for head, holders in by_head.items():
        if len({p.name for p in holders}) != 1:
            continue
        # Case-insensitive for the title only: "\p{Lu}" must still mean a capital (a name would follow).
        for m in _after_honorifics(_title_reference(honorific, head)).finditer(text):
            holders[0].appearances = sorted(set(holders[0].appearances) | {(m.start(1), m.end(1))})




def _after_honorific(text: str, given: str) -> bool:
    """Whether ``given`` stands anywhere right after spaces that follow the last word of an honorific:
    the only places "ông Chung" can be. Most names never do, and their pattern is then not compiled
    (compiling it costs more than the rest of the article's officials)."""
    lasts = _honorific_last_words()
    if lasts is None:
        return True
    x = text.find(given)
    while x >= 0:
        j = x
        while j > 0 and P.SPACE.match(text, j - 1):
            j -= 1
        if j < x:
            word = P.LAST_LETTERS.search(text, max(0, j - 60), j)
            if word and word.group(0) in lasts:
                return True
        x = text.find(given, x + 1)
    return False


@cache
def _honorific_last_words() -> frozenset[str] | None:
    """The last word of each honorific ("ông", "chí" of "đồng chí"); None when one ends in no letter."""
    out = set()
    for honorific in gazetteer.honorifics():
        last = P.LAST_LETTERS.search(honorific)
        if not last or len(last.group(0)) >= 60:
            return None
        out.add(last.group(0))
    return frozenset(out)


@lru_cache(maxsize=1024)
def _after_honorifics(pattern: regex.Pattern) -> PhraseFinder:
    """A pattern that opens with an honorific, tried only where an honorific starts (a few times an article)."""
    return PhraseFinder(gazetteer.honorifics(), False, pattern)


@lru_cache(maxsize=1024)
def _given_name_reference(honorific: str, given: str) -> regex.Pattern:
    """"ông Chung": an honorific and the given name, compiled once per name."""
    return regex.compile(honorific + r"\s+(" + regex.escape(given) + r")(?![\p{L}])(?!\s+\p{Lu})")


@lru_cache(maxsize=256)
def _title_reference(honorific: str, head: str) -> regex.Pattern:
    """"đồng chí Chủ tịch": an honorific and a title head, compiled once per head."""
    return regex.compile(honorific + r"\s+((?i:" + regex.escape(head).replace(r"\ ", r"\s+") + r"))(?![\p{L}])(?!\s+\p{Lu})")


def _ner_names(analysis: Analysis, sentence, known: list[_Name]) -> list[_Name]:
    """Names the surname list misses, from the token layer's persons (underthesea's NER, and proper
    nouns after "title + country" for foreign officials): only capitalised runs placed where an
    official's name stands (right after a title or before a title in apposition)."""
    text = analysis.text
    candidates, direct = [], []
    for found in P.CAPITALISED_RUN.finditer(text, sentence.start, sentence.end):
        run = _after_place(text, _name_run(text, found, sentence.start))
        words = text[run[0]:run[1]].split()
        if len(words) < 2 or any(run[0] < n.end and n.start < run[1] for n in known):
            continue
        if words[0] in gazetteer.surnames() or (words[0] in _non_name_starts() and words[0] not in gazetteer.countries()):
            continue
        foreign = not all(w.lower() in gazetteer.syllables() for w in words)
        if not foreign and not _name_like(words):
            continue
        before, after = text[sentence.start:run[0]], text[run[1]:sentence.end]
        place = _place_name_pattern().match(text, run[0])
        if place and place.end() >= run[1]:
            continue                  # "Thừa Thiên - Huế": the run is the start of a place's name
        if P.place_before_search(before[-20:]) or P.UNIT_WORD_BEFORE.search(before[-20:]):
            continue                  # "trên sân Nou Camp", "Thị trưởng thành phố Little Rock": a place
        # Only where a title stands: a name with just "ông"/"bà" is not an official anyway.
        title = _title_before(before) or _title_before(before + words[0])
        if title and title.split()[-1].lower() in _place_words() \
                and not match_at_end(gazetteer.countries(), title, ignore_case=False):
            continue                  # "Trưởng thôn Hưng Thủy …": the village of the title (not "… Nhật Bản")
        titled_before = bool(title)
        titled_after = bool(P.APPOSITION.match(after) and match_at_start(gazetteer.titles(), P.APPOSITION.sub("", after, 1)))
        core = _foreign_core(text, run) if titled_before and _foreign_name(words, before, title) else None
        if core:
            direct.append(_Name(text[core[0]:core[1]], core[0], core[1], "title"))
        elif titled_before or titled_after:
            candidates.append(run)
    if not candidates:
        return direct
    doc = sentence_doc(analysis, sentence, (candidates[0][0], candidates[-1][1]), persons=True)
    persons = [(doc._.start + p.start_char, doc._.start + p.end_char) for p in doc.spans["persons"]]
    out = direct
    for run in candidates:
        for x, y in persons:
            if run[0] <= x and y <= run[1] and len(text[x:y].split()) >= 2 and not _lunar_year_end(text[x:y]) \
                    and text[x:y] not in _all_place_names() and text[x:y] not in gazetteer.countries():
                if set(text[x:y].split()) & _organisation_words():
                    continue                           # "Martin Prosperity Institute"
                if all(w.lower() in gazetteer.syllables() for w in text[x:y].split()):
                    out.append(_Name(text[x:y], x, y, "ner"))
                    continue
                core = _foreign_core(text, (x, y))     # "George W" → "George W. Bush"; "New York" is no one
                if core:
                    out.append(_Name(text[core[0]:core[1]], core[0], core[1], "ner"))
    return out


def _after_place(text: str, run: tuple[int, int]) -> tuple[int, int]:
    """A run that opens with a country or province ("Hàn Quốc Moon Jae-in" after "Tổng thống", "Đức
    Angela Merkel" after "Thủ tướng") holds the name after it."""
    words = list(P.CAP_WORD.finditer(text, run[0], run[1]))
    for n in (3, 2, 1):
        if len(words) > n and " ".join(w.group(0) for w in words[:n]) in _place_or_country_names():
            return words[n].start(), run[1]
    return run


def _foreign_name(words: list[str], before: str, title: str) -> bool:
    """A run right after a state's title that is a person's name without the NER's word for it: a
    name with words no Vietnamese syllable spells ("Tổng thống Mỹ Donald Trump", "Tổng Thư ký Liên Hiệp
    Quốc Antonio Guterres"), or any name after a title that ends in a country ("Chủ tịch Trung Quốc Tập
    Cận Bình"). The title names a country or is one only a state gives (state_titles.txt): after
    "Giám đốc điều hành" a company's name stands as often as a person's, and the NER decides. Not an
    organisation ("Martin Prosperity Institute": organisation_words.txt), not longer than a name runs."""
    if len(words) > thresholds.MAX_FOREIGN_NAME_WORDS or set(words) & _organisation_words():
        return False
    country = match_at_end(gazetteer.countries(), before.rstrip(), ignore_case=False)
    state = bool(phrase_pattern(gazetteer.countries(), False).search(title)) \
        or bool(match_at_start(_state_titles(), P.FORMER.sub("", title)))
    if not state:
        return False
    if not all(w.lower() in gazetteer.syllables() for w in words):
        return True
    return bool(country) and _name_like(words)


def _foreign_core(text: str, run: tuple[int, int]) -> tuple[int, int] | None:
    """The name in a foreign run: without the Vietnamese words of an organisation before it ("Liên Hiệp
    Quốc Antonio Guterres") or of the next sentence glued after it when a full stop went missing ("Mike
    Rogers Là …", "Hyundai Thành Công"); none when a single word or an initial is left ("George W." of
    "George W. Bush") or the run is a place ("New Zealand")."""
    start = _without_vietnamese_prefix(text, run)
    words = list(P.CAP_WORD.finditer(text, start, run[1]))
    spelled = [w.group(0) for w in words]
    if any(w.isascii() and len(w) > 1 for w in spelled) and not all(w.lower() in gazetteer.syllables() for w in spelled):
        # "Tymoshenko Lãnh": the next sentence's first word after a name in Latin letters (a name of the
        # highlands, "Y Ngọc Niê", "Kpă Thuyên", is written with Vietnamese letters and keeps them)
        while words and not words[-1].group(0).isascii():
            words.pop()
    if len(words) < 2:
        return None
    end = words[-1].end()
    if len(words[-1].group(0)) == 1:
        rest = P.AFTER_INITIAL.match(text, end)
        if not rest:
            return None
        end = rest.end()                              # "George W. Bush"
    if text[start:end] in _place_or_country_names():
        return None
    return start, end


@cache
def _place_words() -> frozenset[str]:
    """One-word place nouns and unit words below the province, lower-cased: a title that ends in one
    ("Trưởng thôn") is followed by its place's name ("UBND tỉnh Mùng Mí Kẻ": "tỉnh" ends the title)."""
    return frozenset(w.lower() for w in P.place_words() if " " not in w)


@cache
def _not_titles() -> gazetteer.Phrases:
    return gazetteer.lines("not_titles.txt")


@cache
def _state_titles() -> gazetteer.Phrases:
    return gazetteer.lines("state_titles.txt")


def _without_vietnamese_prefix(text: str, run: tuple[int, int]) -> int:
    """Where a foreign name starts in a run that opens with Vietnamese words naming its organisation:
    "Liên Hiệp Quốc Antonio Guterres" after "Tổng Thư ký" (two or more such words, and two foreign
    words left: "Kim Jong-un" keeps its "Kim")."""
    words = list(P.CAP_WORD.finditer(text, run[0], run[1]))
    n = 0
    while n < len(words) and words[n].group(0).lower() in gazetteer.syllables():
        n += 1
    if n >= 2 and len(words) - n >= 2:
        return words[n].start()
    # "Afghanistan Ghani Musamim", "Đông Afghanistan Ghani Musamim" (after "thuộc miền"): a country, maybe after
    # one Vietnamese word of a region, before the name
    for skip in ((0, 1) if n else (0,)):
        for k in (3, 2, 1):
            country = " ".join(w.group(0) for w in words[skip:skip + k])
            if skip + k + 2 <= len(words) and country in _place_or_country_names():
                return words[skip + k].start()
    return run[0]


def _name_after_country(text: str, a: int, b: int) -> int | None:
    """Where a person's name starts right after a country inside text[a:b] ("Chủ tịch Trung Quốc Tập Cận
    Bình, Tổng thống Nga …"): a title there ends at the country, and what follows is another person."""
    for m in phrase_pattern(gazetteer.countries(), False).finditer(text, a, b):
        run = P.CAPITALISED_RUN_AFTER_SPACE.match(text, m.end(), b)
        if not run:
            continue
        words = run.group(0).split()
        if len(words) >= 2 and not set(words) & _organisation_words() and not _title_starts(text, run.start()) \
                and words[0] not in _non_name_starts():
            return run.start()
    return None


@cache
def _organisation_words() -> frozenset[str]:
    return frozenset(gazetteer.lines("organisation_words.txt"))


def _name_run(text: str, run: regex.Match, a: int) -> tuple[int, int]:
    """Where a capitalised run may hold a name: without an honorific that opens it ("Ông Tráng A Tủa"
    → "Tráng A Tủa"), and with a one-letter word before it that the run pattern leaves out ("Y Ngọc Niê")."""
    start, end = run.start(), run.end()
    first = run.group(0).split()[0]
    if first in gazetteer.honorifics() and len(run.group(0).split()) > 2:
        start += len(first) + 1
    letter = P.INITIAL_BEFORE.search(text, max(a, start - 2), start)
    return (letter.start() if letter else start), end


def _name_like(words: list[str]) -> bool:
    """Vietnamese syllables, no place in them: what a person's name the NER may confirm looks like."""
    if not all(w.lower() in gazetteer.syllables() for w in words):
        return False
    if gazetteer.non_name_words() & set(words):
        return False
    places = _all_place_names()
    return not any(" ".join(words[i:j]) in places for i in range(len(words)) for j in range(i + 2, len(words) + 1))


@cache
def _place_or_country_names() -> frozenset[str]:
    return _place_names() | frozenset(gazetteer.countries())


def _city_after_unit(text: str, start: int, end: int) -> bool:
    """"thành phố Hạ Long", "thị xã Sơn Tây": the name of a city or district right after its unit word
    (which may also end a title: "Chủ tịch UBND thành phố Nguyễn Văn A" — but that name is no district)."""
    return text[start:end] in gazetteer.districts() and bool(P.UNIT_WORD_BEFORE.search(text, max(0, start - 12), start))


def _lunar_year_end(name: str) -> bool:
    """The name ends in a lunar year's name ("… Xuân Đinh Dậu"): no person's."""
    return " ".join(name.split()[-2:]) in gazetteer.lunar_year_names()


@cache
def _all_place_names() -> frozenset[str]:
    return _place_names() | frozenset(gazetteer.districts())


@cache
def _place_name_pattern() -> regex.Pattern:
    """Any province, alias or district name (as written), compiled once."""
    return phrase_pattern(tuple(sorted(_all_place_names())), False)


@cache
def _non_name_starts() -> frozenset[str]:
    """First words of organisations and titles ("Sở Tài chính", "Bộ Công an", "Phó Chủ tịch")."""
    heads = gazetteer.organisation_heads() + gazetteer.titles() + gazetteer.ranks()
    return frozenset(h.split()[0] for h in heads) | gazetteer.non_name_words()


def _merge_extended_names(people: dict[str, FoundOfficial]) -> None:
    """"Đào Minh Tú Chia" (a name run into the next capitalised word) joins "Đào Minh Tú"."""
    for name in sorted(people, key=len, reverse=True):
        words = name.split()
        shorter = " ".join(words[:-1])
        if len(words) >= 3 and shorter in people and name in people:
            person = people.pop(name)
            people[shorter].titles.extend(person.titles)
            people[shorter].rank = people[shorter].rank or person.rank


def _names(text: str, a: int, b: int) -> list[_Name]:
    surnames = gazetteer.surnames()
    places = _place_or_country_names()          # "Hàn Quốc" opens with a surname and is a country
    out = []
    for run in P.CAPITALISED_RUN.finditer(text, a, b):
        words = list(P.CAP_WORD.finditer(run.group(0)))
        i = _district_prefix(text, run, words)
        while i < len(words):
            # Skip a place name at this position: "Hà Nội", "Quảng Nam", "Hậu Giang".
            skipped = False
            for n in (3, 2):
                if i + n <= len(words) and " ".join(w.group(0) for w in words[i:i + n]) in places:
                    i += n
                    skipped = True
                    break
            if skipped:
                continue
            if words[i].group(0) in surnames and i + 1 < len(words):
                j = min(len(words), i + thresholds.MAX_NAME_WORDS)
                # A name never runs into the title after it: "Trần Văn Nam Phó Chủ tịch …".
                j = next((k for k in range(i + 2, j) if _title_starts(text, run.start() + words[k].start())), j)
                start = run.start() + words[i].start()
                end = run.start() + words[j - 1].end()
                # "xã Tân Lập", "phường Phạm Ngũ Lão" are places; "Trưởng Công an xã Nguyễn Văn Khánh", a
                # full name with the commonest middle name (Văn, Thị) after a title that ends in the
                # unit word, a person
                if _lunar_year_end(text[start:end]):
                    break                                 # "Đền Trần Xuân Đinh Dậu": a temple and a lunar year
                if _city_after_unit(text, start, end):
                    break                                 # "Ủy ban nhân dân thành phố Hạ Long": the city
                if not P.place_before_search(text[max(a, start - 20):start]) \
                        or (j - i >= 3 and words[i + 1].group(0) in P.MIDDLE_NAMES and _title_before(text[a:start])):
                    out.append(_Name(text[start:end], start, end))
                break
            i += 1
    return out


def _title_starts(text: str, pos: int) -> bool:
    """A title, rank or organisation begins at ``pos`` ("Phó Chủ tịch", "Đại tá", "Sở Tài chính")."""
    return bool(match_at_start(_title_heads(), text[pos:pos + thresholds.MAX_TITLE_CHARS], ignore_case=False))


@cache
def _title_heads():
    return gazetteer.Phrases((*gazetteer.titles(), *gazetteer.ranks(), *gazetteer.organisation_heads()))


def _district_prefix(text: str, run, words) -> int:
    """How many words at the start of a run name a district introduced by its unit word
    ("UBND huyện Gia Lâm Nguyễn Ngọc Thuần": "Gia Lâm" is the district, not part of the name)."""
    if not P.unit_word_before().search(text[max(0, run.start() - 12):run.start()]):
        return 0
    for n in (3, 2, 1):
        if n < len(words) and " ".join(w.group(0) for w in words[:n]) in gazetteer.districts():
            return n
    return 0


@cache
def _place_names() -> frozenset[str]:
    """Province names and aliases. District names are left out: many are also people's names
    (Đồng Văn, Lê Thanh Nghị); a district is recognised by the unit word before it instead."""
    return frozenset(gazetteer.provinces()) | frozenset(gazetteer.province_aliases())


def _rank_and_titles(text: str, name: _Name, a: int, b: int) -> tuple[str | None, list[str]]:
    before = text[a:name.start]
    rank = None
    honorifics = gazetteer.honorifics()
    tail = before
    h = match_at_end(honorifics, tail, ignore_case=False)
    if h and not (h.group(0).strip() in gazetteer.countries() and _title_before(tail[:h.start()])):
        tail = tail[:h.start()]
    r = match_at_end(gazetteer.ranks(), tail)
    if r:
        rank = _canonical_rank(r.group(0).strip())
        tail = tail[:r.start()]
        h = match_at_end(honorifics, tail, ignore_case=False)
        if h:
            tail = tail[:h.start()]
    titles = _titles_before(text, a, a + len(tail))
    titles.extend(_titles_after(text, name.end, b))
    return rank, [t for t in titles if _is_public(t)]


def _canonical_rank(rank: str) -> str:
    """The rank as the gazetteer writes it ("thiếu tướng" → "Thiếu tướng", "Đại uý" → "Đại úy")."""
    key = " ".join(rank.lower().replace("uý", "úy").split())
    for known in gazetteer.ranks():
        if known.lower().replace("uý", "úy") == key:
            return known.replace("uý", "úy")
    return rank


@cache
def _lowercase_titles() -> tuple[str, ...]:
    """Titles as written mid-sentence ("phó chủ tịch") or with only their first letter capitalised
    ("Tổng giám đốc", "Phó chủ tịch"): one stable tuple, so its pattern is cached."""
    return tuple(dict.fromkeys([*(t.lower() for t in gazetteer.titles()), *(t[:1] + t[1:].lower() for t in gazetteer.titles())]))


@cache
def _title_words() -> re.Pattern:
    """Titles lower-cased with single spaces, any of them as a substring: a text without one holds no title."""
    return re.compile("|".join(re.escape(phrase_key(t)) for t in gazetteer.titles()))


def _titles_before(text: str, a: int, end: int) -> list[str]:
    """The title right before a name, and the titles in apposition before it: "Ủy viên Trung ương
    Đảng, Phó Bí thư Thành ủy, Chủ tịch UBND TP Nguyễn Văn A" gives all three, in order."""
    tail = text[a:end]
    last = _title_before(tail)
    if not last:
        return []
    titles = [last]
    cursor = a + tail.rfind(last)
    while True:
        sep = P.CHAIN_BEFORE.search(text, a, cursor)
        if not sep:
            break
        previous = text[a:sep.start()]
        start = max((m.end() for m in P.TITLE_END.finditer(_masked(previous))), default=0)
        segment = previous[start:].strip()
        head = match_at_start(gazetteer.titles(), P.FORMER.sub("", segment), ignore_case=False)
        if not segment or not head or _stop_word(segment, 0, len(segment)):
            break
        if _names(text, a + start, sep.start()) or _name_after_country(text, a + start, sep.start()) is not None:
            break
        titles.insert(0, segment)
        cursor = a + previous.rfind(segment)
    window_start = max(a, cursor - thresholds.MAX_TITLE_CHARS, text.rfind(";", a, cursor) + 1)
    if len(titles) > 1 and _names(text, window_start, cursor):
        return titles[-1:]            # "Bà X, Chủ tịch Quốc hội, Phó Chủ tịch … Y": the chain before is X's
                                      # (not across a semicolon: "…; Bộ trưởng, Chủ nhiệm Ủy ban Dân tộc Y")
    return titles


def _title_before(tail: str) -> str | None:
    """A title ending right before the name (an optional comma between): "Chủ tịch UBND tỉnh Thái Bình, "."""
    tail = tail.rstrip()
    comma = tail.endswith(",")
    tail = tail[:-1] if comma else tail      # the comma before the name (nothing follows it now)
    bracket = P.ABBREVIATION_AT_END.search(tail)
    if bracket:                   # "Tổng giám đốc Đường sắt Việt Nam (ĐSVN) Vũ Tá Tùng": the organisation's abbreviation
        title = _title_before(tail[:bracket.start()])
        return title + tail[bracket.start():] if title else None
    if P.JOINER_AT_END.search(tail):
        return None                     # "Bí thư Tỉnh ủy và Triệu Thế Hùng": the title is the other person's
    if match_at_end(gazetteer.organisation_prepositions(), tail):
        return None                     # "Giám đốc Marketing của Ajax Amsterdam": an organisation follows
    window = tail[-thresholds.MAX_TITLE_CHARS:]
    # No title written in the window (as listed or lower-cased), nothing to find: most capitalised words.
    if not _title_words().search(phrase_key(window)):
        return None
    cut = max((m.end() for m in P.TITLE_END.finditer(_masked(window))), default=0)
    # "… Kamikawa Yoko và Thủ tướng Anh": a title joined after another person starts afresh.
    cut = max([cut] + [m.start() for m in phrase_pattern(gazetteer.titles(), False).finditer(window)
                       if P.JOINER_BEFORE.search(window, 0, m.start())])
    window = window[cut:]
    # "Tổng thống Mỹ Donald Trump gặp Thủ tướng Nhật Bản Abe Shinzo": what an official does ends the
    # title before it; a title after it starts afresh.
    spans = [m.span() for m in phrase_pattern(gazetteer.titles(), False).finditer(window)]
    stops = [m for m in _stop_words(window, 0, len(window))
             if not any(x <= m.start() < y for x, y in spans)]      # "ký" of "Tổng Thư ký" is the title's
    if stops:
        window = window[stops[-1].end():]
    heads = list(phrase_pattern(gazetteer.titles(), False).finditer(window))
    heads += [m for m in phrase_pattern(_lowercase_titles(), False).finditer(window)]
    if not heads:
        return None
    first = min(heads, key=lambda m: m.start())
    if match_at_end(cues("delegation_before_title"), window[:first.start()]):
        return None                   # "Thừa ủy quyền của Thủ tướng Chính phủ, đồng chí X": the title is the principal's
    if comma and match_at_end(cues("preposition_before_title"), window[:first.start()]):
        return None                   # "Một tuần trước cuộc gặp của Thủ tướng, ông Vũ Tiến Lộc …": someone else's title
    start = first.start()
    deputy = P.DEPUTY_BEFORE.search(window[:start])
    if deputy:
        start = deputy.start()        # "phó Thủ tướng", written in any case, is never "Thủ tướng"
    former = P.FORMER_BEFORE.search(window[:start])
    if former:
        start = former.start()
    title = window[start:].strip(" ,")
    if _stop_word(window, first.end(), len(window)):
        return None
    if _names(title, 0, len(title)) or _name_after_country(title, 0, len(title)) is not None \
            or match_at_start(_not_titles(), title):
        return None                   # "Cục trưởng Cục X Nguyễn Đăng Chương trước đó, ông Lê Hồng Sơn": another's title
    return title or None


def _stop_words(s: str, a: int, b: int) -> list[regex.Match]:
    """Words in s[a:b] that end a title (title_stop_words.txt) — but "tại" before a country is where an
    envoy serves ("Đại sứ Việt Nam tại Mỹ"), part of the title, and a word inside an organisation's name
    (organisation_names.txt) is the name's."""
    found = list(phrase_pattern(gazetteer.title_stop_words(), False).finditer(s, a, b))
    if not found:
        return found                  # (most windows: the organisations' names are not looked for)
    countries = phrase_pattern(gazetteer.countries(), False)
    # a stop word inside an organisation's name is the name's: "tối" of "Tòa án nhân dân tối cao"
    organisations = [m.span() for m in _organisation_name_pattern().finditer(s)]
    return [m for m in found
            if not (m.group(0).lower() == "tại" and countries.match(s, m.end() + 1))
            and not any(x <= m.start() < y for x, y in organisations)]


def _stop_word(s: str, a: int, b: int) -> regex.Match | None:
    found = _stop_words(s, a, b)
    return found[0] if found else None


def _titles_after(text: str, pos: int, b: int) -> list[str]:
    """The chain of titles in apposition after a name, or one introduced by "giữ chức"."""
    rest = text[pos:b]
    m = P.HOLDS_TITLE.match(rest) or P.APPOSITION.match(rest)
    if not m and _title_starts(text, pos + len(rest) - len(rest.lstrip())):
        m = P.BARE_APPOSITION.match(rest)           # "Trần Văn Nam Phó Chủ tịch UBND tỉnh" (no comma)
    if not m:
        return []
    cursor = pos + m.end()
    titles = []
    while True:
        title = _title_at(text, cursor, b)
        if not title:
            break
        after = text[cursor + len(title):b]
        next_word = cursor + len(title) + len(after) - len(after.lstrip())
        if any(n.start == next_word for n in _names(text, cursor + len(title), b)) \
                or _name_after_country(text, cursor, b) == next_word:
            break                       # "X, Giám đốc Sở …, Phó Chủ tịch UBND tỉnh Y": the last title is Y's
        titles.append(title)
        cursor += len(title)
        sep = P.CHAIN_SEP.match(text, cursor, b)
        if not sep:
            break
        cursor = sep.end()
    return titles


def _title_at(text: str, pos: int, b: int) -> str | None:
    rest = text[pos:min(b, pos + thresholds.MAX_TITLE_CHARS)]
    body = rest
    former = P.FORMER.match(body)
    lead = former.end() if former else 0
    head = match_at_start(gazetteer.titles(), body[lead:])
    if not head or match_at_start(_not_titles(), body[lead:]):
        return None
    end = P.TITLE_END.search(_masked(body), lead + head.end())
    stop = end.start() if end else len(body)
    verb = _stop_word(body, lead + head.end(), stop)
    if verb:
        stop = verb.start()
    foreign = _name_after_country(text, pos + lead + head.end(), pos + stop)
    if foreign is not None:
        stop = foreign - pos          # "Chủ tịch Trung Quốc Tập Cận Bình": the title ends at the country
    # A person's name ends the title: "Bí thư Tỉnh uỷ và Triệu Thế Hùng".
    for name in _names(text, pos + lead + head.end(), pos + stop):
        stop = min(stop, name.start - pos)
        honorific = match_at_end(gazetteer.honorifics(), body[:stop], ignore_case=False)
        if honorific:
            stop = honorific.start()
        joined = P.NAME_JOINER_AT_END.search(body[:stop])
        if joined:
            stop = joined.start()
    return body[:stop].rstrip(" ,") or None


def _assigned_titles(text: str, a: int, b: int) -> list[tuple[str, _Name]]:
    """Titles given to a list of people named right after them ("… đối với ông A và ông B")."""
    out = []
    for head in phrase_finder(gazetteer.titles()).finditer(text, a, b):
        end = P.ASSIGNED_TITLE_END.search(text, head.end(), b)
        if not end:
            continue
        title = text[head.start():end.start()].strip()
        link = P.ASSIGNED_TO.match(text, end.start(), b)
        if not link or not title:
            continue
        cursor = link.end()
        while True:
            names = [n for n in _names(text, cursor, b) if n.start == cursor]
            if not names:
                break
            out.append((title, names[0]))
            gap = P.NAME_LIST_GAP.match(text, names[0].end, b)
            if not gap or gap.end() == names[0].end:
                break
            cursor = gap.end()
    return out


def _masked(s: str) -> str:
    """``s`` with the dashes and commas inside an organisation's name ("Sở Lao động - Thương binh và
    Xã hội") made into look-alikes that end no title; same length, so offsets hold."""
    return _organisation_name_pattern().sub(lambda m: m.group(0).translate(_NAME_PUNCTUATION), s)


_NAME_PUNCTUATION = str.maketrans({"-": "\u2010", "–": "\u2010", ",": "\u201a"})


@cache
def _organisation_name_pattern() -> regex.Pattern:
    def spelled(name: str) -> str:          # any spacing, either dash
        return "".join(r"\s*[-–]\s*" if c in "-–" else r"\s+" if c == " " else regex.escape(c) for c in name)

    alternatives = sorted(gazetteer.organisation_names(), key=len, reverse=True)
    body = "|".join(spelled(n) for n in alternatives)
    return regex.compile(rf"(?<![\p{{L}}])(?:{body})(?![\p{{L}}])", regex.IGNORECASE)


def _is_public(title: str) -> bool:
    """Not a company's or a club's position; a title only a state gives (state_titles.txt) is public
    whatever its organisation's name holds ("Cục trưởng Phát triển doanh nghiệp")."""
    if match_at_start(_state_titles(), P.FORMER.sub("", title)):
        return True
    return not phrase_pattern(gazetteer.non_public_organisations(), False).search(title)


def title_key(title: str) -> str:
    """Comparable form of a title: no case, accents, abbreviations, provinces or unit words."""
    words = []
    for word in regex.findall(r"[\p{L}\p{N}]+", title):
        expansion = gazetteer.organisation_abbreviations().get(word)
        words.extend((expansion or word).split())
    s = " " + " ".join(words) + " "
    for place in sorted(_place_names(), key=len, reverse=True):
        s = s.replace(" " + place + " ", " ")
    s = unicodedata.normalize("NFD", s.lower()).replace("đ", "d")
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = regex.sub(r" (?:tinh|tp|thanh pho|bo)(?= )", " ", s)
    return s.replace(" ", "")


def _merge_titles(titles: list[str]) -> list[str]:
    """Distinct titles in order of appearance; a title that another one extends is dropped."""
    keyed: list[tuple[str, str]] = []
    for t in titles:
        k = title_key(t)
        if k and all(k != other for other, _ in keyed):
            keyed.append((k, t))
    return [t for k, t in keyed if not any(o != k and o.startswith(k) for o, _ in keyed)]
