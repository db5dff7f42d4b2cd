"""Which province an article is about.

Votes: each mention of a province (or an alias) counts one; a district named with its unit word
("huyện Tháp Mười") counts one for the only province that has it; a newspaper dateline ("BHG-",
"(GLO)-") counts five. The article's web address votes too: a province spelled in its path
("/ha-noi-tat-ca-can-bo…") or host ("congan.kontum.gov.vn", "baoquangnam.vn"), or the host of a
provincial paper listed in ``newspapers.csv`` ("anhp.vn"). The winner needs two votes and twice the
runner-up's; the text decides alone when it can, and the address's votes are added only when it
cannot. Without a winner the report is national (or about several provinces) and the province is
null. A hint from the source or sidecar wins.
"""
from __future__ import annotations

import collections
import datetime as dt
import unicodedata
from functools import cache
from urllib.parse import urlparse

import regex

import gazetteer
from gazetteer.resolve import ProvinceRef, resolve_province
from extractors.lexicon import phrase_finder
from extractors.places import patterns as P
from settings import thresholds

# The day the 63 provinces became 34 (Nghị quyết 202/2025/QH15); later articles name the new units.
MERGER_DATE = dt.date(2025, 7, 1)



@cache
def _names_pattern():
    names = tuple(gazetteer.provinces()) + tuple(gazetteer.province_aliases())
    return phrase_finder(names, False)


@cache
def _districts_pattern():
    return phrase_finder(tuple(gazetteer.districts()), False)


@cache
def _legacy_name_by_code() -> dict[str, str]:
    return {p.legacy_code: p.legacy_name for p in gazetteer.provinces().values()}


def province_votes(text: str, districts: bool = True) -> collections.Counter[str]:
    votes: collections.Counter[str] = collections.Counter()
    aliases = gazetteer.province_aliases()
    for m in _names_pattern().finditer(text):
        name = aliases.get(m.group(0), m.group(0))
        votes[name] += 1
    if districts:
        votes += _district_votes(text, P.district_intro())
    datelines = gazetteer.datelines()
    for m in P.DATELINE.finditer(text[:600]):
        if m.group("code") in datelines:
            votes[datelines[m.group("code")]] += thresholds.DATELINE_VOTES
    return votes


def _district_votes(text: str, intro: regex.Pattern) -> collections.Counter[str]:
    """A district named after a unit word ("huyện Tháp Mười") votes for the only province that has it."""
    votes: collections.Counter[str] = collections.Counter()
    by_code = _legacy_name_by_code()
    districts = gazetteer.districts()
    for m in _districts_pattern().finditer(text):
        codes = districts[m.group(0)]
        if len(codes) == 1 and intro.search(text[max(0, m.start() - 12):m.start()]):
            votes[by_code[next(iter(codes))]] += 1
    return votes


@cache
def _province_slugs() -> dict[tuple[str, ...], str]:
    """Each province's name as the words of a web address: ("ha", "noi") and ("hanoi",) → Hà Nội."""
    out: dict[tuple[str, ...], str] = {}
    names = {**{n: n for n in gazetteer.provinces()}, **gazetteer.province_aliases()}
    for name, legacy in names.items():
        words = tuple(P.URL_WORDS.findall(_unaccented(name)))
        if words:
            out[words] = legacy
            out[("".join(words),)] = legacy
    return out


def _unaccented(s: str) -> str:
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in s if not unicodedata.combining(c)).lower()


def url_votes(url: str | None) -> collections.Counter[str]:
    """Votes from an article's web address: a listed paper's host, a province in the host or the path."""
    votes: collections.Counter[str] = collections.Counter()
    if not url:
        return votes
    parsed = urlparse(url if "//" in url else "//" + url)
    host = (parsed.hostname or "").lower()
    domains = gazetteer.newspaper_domains()
    labels = host.split(".")
    for i in range(len(labels) - 1):
        if ".".join(labels[i:]) in domains:
            votes[domains[".".join(labels[i:])]] += thresholds.URL_HOST_VOTES
            break
    else:
        slugs = _province_slugs()
        for label in labels[:-1]:
            for words, legacy in slugs.items():
                if len(words) == 1 and len(words[0]) >= 5 and words[0] in label:   # baoquangnam, congan.kontum
                    votes[legacy] += thresholds.URL_HOST_VOTES
                    break
    path_words = P.URL_WORDS.findall(parsed.path.lower())
    slugs = _province_slugs()
    for i in range(len(path_words)):
        for n in (4, 3, 2):
            legacy = slugs.get(tuple(path_words[i:i + n])) if len(path_words) >= i + n else None
            if legacy:
                votes[legacy] += thresholds.URL_PATH_VOTES
                break
    return votes


def article_province(text: str, hint: str | None = None, url: str | None = None,
                     written: dt.date | None = None, title: str | None = None) -> ProvinceRef | None:
    if hint:
        hinted = resolve_province(hint)
        if hinted:
            return hinted
    if written and written >= MERGER_DATE:
        return _after_merger(text, url)
    votes = province_votes(text)
    if title:
        # the headline says whose report it is: its province counts more, and a headline that opens with
        # it ("Lào Cai: Thu ngân sách 6 tháng …", "TPHCM: …") as much as a dateline
        named = province_votes(title, districts=False)
        for name, n in named.items() if len(named) == 1 else ():     # "TPHCM hay Hà Nội …" is a comparison
            votes[name] += n * thresholds.HEADLINE_VOTES
        opener = P.HEADLINE_PLACE.match(title)
        named = province_votes(opener.group("place"), districts=False) if opener else None
        if named and len(named) == 1:
            votes[next(iter(named))] += thresholds.DATELINE_VOTES
    # The text decides when it can; the web address only settles what the text leaves open.
    winner = _winner(votes) or _winner(votes + url_votes(url)) or _headline_and_address(title, url)
    return resolve_province(winner) if winner else None


def _headline_and_address(title: str | None, url: str | None) -> str | None:
    """A report that names many provinces (a national ranking) is about the one its headline names
    alone when its web address names it too — a provincial paper on its own province's place
    ("baodanang.vn: Đà Nẵng đứng thứ 2 toàn quốc …")."""
    named = province_votes(title, districts=False) if title else collections.Counter()
    if len(named) != 1:
        return None
    province = next(iter(named))
    return province if url_votes(url).get(province) else None


def _after_merger(text: str, url: str | None) -> ProvinceRef | None:
    """An article written after the July 2025 merger names the current units: the current province
    comes from the names in the text; the legacy one from the old place names inside it (a former
    district now naming a ward, "phường Quy Nhơn"; an old province's name), else the legacy
    province of the same name."""
    legacy = gazetteer.provinces()
    current_of = {name: p.current_name for name, p in legacy.items()}
    names = province_votes(text, districts=False) + url_votes(url)
    current: collections.Counter[str] = collections.Counter()
    for name, n in names.items():
        current[name if name in gazetteer.provinces_current() else current_of[name]] += n
    places = _district_votes(text, P.unit_intro())
    for name, n in places.items():
        current[current_of[name]] += n
    winner = _winner(current)
    if winner is None:
        return None
    inside = collections.Counter({name: n for name, n in (places + collections.Counter(
        {k: v for k, v in names.items() if k not in gazetteer.provinces_current()})).items() if current_of[name] == winner})
    ranked = inside.most_common(2)
    old = ranked[0][0] if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]) else None
    if old is None:
        old = winner if winner in legacy else next((n for n, p in legacy.items() if p.current_name == winner), None)
    ref = resolve_province(old)
    return ProvinceRef(ref.legacy, ref.legacy_code, winner, gazetteer.provinces_current()[winner]) if ref else None


def _winner(votes: collections.Counter[str]) -> str | None:
    """The province with enough votes and twice the runner-up's, if any."""
    ranked = votes.most_common(2)
    if not ranked or ranked[0][1] < thresholds.PROVINCE_MIN_VOTES:
        return None
    if len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1]:
        return None
    if len(votes) >= thresholds.PROVINCE_MANY and ranked[0][1] <= thresholds.PROVINCE_MANY_SHARE * sum(votes.values()):
        return None                   # a national report naming many provinces, one a little more often
    return ranked[0][0]
