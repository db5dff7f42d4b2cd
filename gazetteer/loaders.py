"""Loaders for the gazetteer files. Small, cached, and loud when a file is missing or malformed."""
from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

import regex
import yaml

DATA_DIR = Path(__file__).parent / "data"


class GazetteerError(RuntimeError):
    """A gazetteer file is missing or does not have the expected shape."""


def _read(name: str) -> str:
    path = DATA_DIR / name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise GazetteerError(f"gazetteer file missing: {path}") from None
    except UnicodeDecodeError as exc:
        raise GazetteerError(f"gazetteer file {path} is not UTF-8: {exc}") from None
    return unicodedata.normalize("NFC", text)


class Phrases(tuple):
    """An immutable list of phrases that hashes once: the extractors' pattern caches are keyed by
    the phrases themselves (equal lists share one pattern), and a cache hit costs no re-hashing."""

    def __new__(cls, phrases):
        self = super().__new__(cls, phrases)
        self._hash = tuple.__hash__(self)
        return self

    def __hash__(self) -> int:
        return self._hash


@cache
def lines(name: str) -> Phrases:
    """Non-empty, non-comment lines of a one-entry-a-line file."""
    out = Phrases(s.strip() for s in _read(name).splitlines() if s.strip() and not s.lstrip().startswith("#"))
    if not out:
        raise GazetteerError(f"gazetteer file {name} has no entries")
    return out


@cache
def _csv(name: str, columns: tuple[str, ...]) -> tuple[dict[str, str], ...]:
    body = "\n".join(s for s in _read(name).splitlines() if not s.startswith("#"))
    reader = csv.DictReader(io.StringIO(body))
    missing = set(columns) - set(reader.fieldnames or ())
    if missing:
        raise GazetteerError(f"gazetteer file {name} lacks columns {sorted(missing)}")
    rows = tuple(reader)
    for n, row in enumerate(rows, 2):
        if any(not (row.get(c) or "").strip() for c in columns):
            raise GazetteerError(f"gazetteer file {name}, row {n}: empty value in {columns}")
    return rows


@cache
def _yaml(name: str) -> dict:
    try:
        data = yaml.safe_load(_read(name))
    except yaml.YAMLError as exc:
        raise GazetteerError(f"gazetteer file {name} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise GazetteerError(f"gazetteer file {name} must hold a mapping")
    return data


@dataclass(frozen=True)
class Province:
    legacy_code: str
    legacy_name: str
    current_code: str
    current_name: str


@cache
def provinces() -> dict[str, Province]:
    """Legacy (63-unit) provinces by name, each with the current (34-unit) province it belongs to."""
    rows = _csv("provinces_legacy.csv", ("legacy_code", "legacy_name", "current_code", "current_name"))
    return {r["legacy_name"]: Province(r["legacy_code"], r["legacy_name"], r["current_code"], r["current_name"])
            for r in rows}


@cache
def provinces_current() -> dict[str, str]:
    """Current province name → code."""
    return {r["name"]: r["code"] for r in _csv("provinces_current.csv", ("code", "name"))}


@cache
def province_aliases() -> dict[str, str]:
    known = provinces()
    out = {}
    for r in _csv("province_aliases.csv", ("alias", "legacy_name")):
        if r["legacy_name"] not in known:
            raise GazetteerError(f"province_aliases.csv: unknown province {r['legacy_name']!r}")
        out[r["alias"]] = r["legacy_name"]
    return out


@cache
def districts() -> dict[str, frozenset[str]]:
    """Legacy district name → the legacy province codes that have a district of that name."""
    out: dict[str, set[str]] = {}
    for r in _csv("districts_legacy.csv", ("legacy_code", "name", "kind")):
        out.setdefault(r["name"], set()).add(r["legacy_code"])
    return {k: frozenset(v) for k, v in out.items()}


@cache
@dataclass(frozen=True)
class Newspaper:
    name: str
    domain: str
    dateline: str
    legacy_name: str


@cache
def newspapers() -> tuple[Newspaper, ...]:
    """Provincial newspapers and portals: name, web domain, dateline code and the province they cover."""
    known = provinces()
    out = []
    for r in _csv("newspapers.csv", ("newspaper", "domain", "dateline", "legacy_name")):
        name = province_aliases().get(r["legacy_name"], r["legacy_name"])
        if name not in known:
            raise GazetteerError(f"newspapers.csv: unknown province {r['legacy_name']!r}")
        out.append(Newspaper(r["newspaper"], r["domain"].lower(), r["dateline"], name))
    return tuple(out)


@cache
def datelines() -> dict[str, str]:
    """Dateline code ("BHG", "QNO") → the legacy province its paper covers."""
    return {n.dateline: n.legacy_name for n in newspapers()}


@cache
def newspaper_domains() -> dict[str, str]:
    """Web domain of a provincial paper or portal → its legacy province."""
    return {n.domain: n.legacy_name for n in newspapers()}


def titles() -> tuple[str, ...]:
    return lines("titles.txt")


def ranks() -> tuple[str, ...]:
    return lines("ranks.txt")


@cache
def surnames() -> frozenset[str]:
    return frozenset(lines("surnames.txt"))


def honorifics() -> tuple[str, ...]:
    return lines("honorifics.txt")


def non_public_organisations() -> tuple[str, ...]:
    return lines("non_public_organisations.txt")


def counting_nouns() -> tuple[str, ...]:
    return lines("counting_nouns.txt")


def noun_modifiers() -> tuple[str, ...]:
    return lines("noun_modifiers.txt")


def non_fact_nouns() -> tuple[str, ...]:
    return lines("non_fact_nouns.txt")


def record_nouns() -> Phrases:
    return lines("record_nouns.txt")


def identifier_words() -> tuple[str, ...]:
    return lines("identifier_words.txt")


@cache
def money_exceptions() -> frozenset[str]:
    return frozenset(lines("money_exceptions.txt"))


@cache
def lunar_year_names() -> frozenset[str]:
    """The 60 names of the lunar years ("Đinh Dậu", "Giáp Thìn")."""
    return frozenset(lines("lunar_year_names.txt"))


def organisation_prepositions() -> Phrases:
    """What a title ends in when the organisation it belongs to follows ("Giám đốc … của")."""
    return lines("organisation_prepositions.txt")


def scale_compounds() -> Phrases:
    """Words that start with a scale syllable and are no scale ("tỷ lệ", "tỷ phú")."""
    return lines("scale_compounds.txt")


def money_nouns() -> Phrases:
    """Words naming an amount of money: a bare "4.650 tỷ" after one is an amount in đồng."""
    return lines("money_nouns.txt")


@cache
def measure_units() -> dict[str, str]:
    return {r["surface"]: r["unit"] for r in _csv("measure_units.csv", ("surface", "unit"))}


@cache
def currencies() -> dict[str, str]:
    return {r["surface"]: r["currency"] for r in _csv("currencies.csv", ("surface", "currency"))}


@cache
def scale_words() -> dict[str, int]:
    return {r["word"]: int(r["multiplier"]) for r in _csv("scale_words.csv", ("word", "multiplier"))}


@cache
def number_words() -> dict[str, int]:
    return {r["word"]: int(r["value"]) for r in _csv("number_words.csv", ("word", "value"))}


@cache
def qualifiers() -> dict[str, str]:
    rows = _csv("qualifiers.csv", ("phrase", "qualifier"))
    bad = [r["qualifier"] for r in rows if r["qualifier"] not in ("over", "under", "approx", "exact")]
    if bad:
        raise GazetteerError(f"qualifiers.csv: unknown qualifier values {bad}")
    return {r["phrase"]: r["qualifier"] for r in rows}


SEMANTIC_KEYS = ("change", "change_fillers", "target", "target_weak", "target_clause", "target_frame", "neutral", "actual", "inheritance_blockers", "negation_before",
                 "negation_after", "baseline_intro", "same_period", "present", "as_of_intro",
                 "continuation_openers", "name_before_year", "since_intro", "vision_intro", "horizon_intro",
                 "list_joiners")


@cache
def semantic_cues() -> dict:
    data = _yaml("semantic_cues.yaml")
    missing = [k for k in SEMANTIC_KEYS if k not in data]
    if missing:
        raise GazetteerError(f"semantic_cues.yaml lacks keys {missing}")
    return data


@dataclass(frozen=True)
class PercentBases:
    bases: dict[str, str]            # phrase → what a percentage before it is of (plan, estimate, …)
    links: tuple[str, ...]           # words that may stand between the percentage and its base


@cache
def percent_bases() -> PercentBases:
    data = _yaml("percent_bases.yaml")
    bases, links = data.get("bases"), data.get("links")
    if not isinstance(bases, dict) or not bases or not all(isinstance(v, str) and v for v in bases.values()):
        raise GazetteerError("percent_bases.yaml needs 'bases': a mapping of phrase → what the percentage is of")
    if not isinstance(links, list) or not all(isinstance(w, str) and w for w in links):
        raise GazetteerError("percent_bases.yaml needs 'links': a list of phrases")
    return PercentBases({str(k): v for k, v in bases.items()}, tuple(links))


@dataclass(frozen=True)
class Concept:
    key: str
    label: str
    cues: tuple[str, ...]
    weak: tuple[str, ...] = ()
    dominates: tuple[str, ...] = field(default_factory=tuple)
    article_subject: bool = False          # may be the subject of a report whose figures leave it implicit
    implicit: tuple[str, ...] = ()         # words that tie a figure without a cue to that subject
    ranked: bool = False                   # a report's rankings rank this indicator itself
    dominates_rates: tuple[str, ...] = ()  # keys it overrides for a rate (percent, ratio), whatever they dominate
    requires: tuple[str, ...] = ()         # its cues count only in a sentence that names one of these


# The outside indicator lists whose names are cues of the concept keys (each file names its source).
INDICATOR_LISTS = ("indicators_national_statistics.yaml", "indicators_de_an_06.yaml")


@cache
def indicator_abbreviations() -> dict[str, str]:
    """Abbreviation → the words it stands for ("FDI" → "đầu tư trực tiếp nước ngoài")."""
    return {r["abbreviation"]: r["expansion"] for r in _csv("indicator_abbreviations.csv", ("abbreviation", "expansion"))}


@cache
def indicator_names() -> dict[str, tuple[str, ...]]:
    """Concept key (or ``KEY.weak`` for its weak cues) → the indicator names the outside lists give it,
    each also with its abbreviations written out or in ("vốn FDI" and "vốn đầu tư trực tiếp nước ngoài")."""
    out: dict[str, list[str]] = {}
    for name in INDICATOR_LISTS:
        for key, names in _yaml(name).items():
            if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
                raise GazetteerError(f"gazetteer file {name}: {key!r} must list indicator names")
            out.setdefault(str(key), []).extend(names)
    return {key: tuple(dict.fromkeys(v for n in names for v in abbreviation_variants(n))) for key, names in out.items()}


def abbreviation_variants(phrase: str) -> tuple[str, ...]:
    """The phrase, with each abbreviation it holds written out, and each written-out form abbreviated."""
    out = [phrase]
    for short, full in indicator_abbreviations().items():
        for p in list(out):
            if regex.search(rf"(?<![\p{{L}}]){regex.escape(short)}(?![\p{{L}}])", p):
                out.append(regex.sub(rf"(?<![\p{{L}}]){regex.escape(short)}(?![\p{{L}}])", full, p))
            if full.lower() in p.lower():
                out.append(regex.sub(regex.escape(full), short, p, flags=regex.IGNORECASE))
    return tuple(dict.fromkeys(out))


@cache
def concepts() -> dict[str, Concept]:
    data = _yaml("concepts.yaml").get("concepts")
    if not isinstance(data, dict) or "other" not in data:
        raise GazetteerError("concepts.yaml must map 'concepts' to keys, including 'other'")
    listed = indicator_names()
    unknown = {k.removesuffix(".weak") for k in listed} - set(data)
    if unknown:
        raise GazetteerError(f"indicator lists name keys that concepts.yaml lacks: {sorted(unknown)}")
    out = {}
    for key, spec in data.items():
        if not isinstance(spec, dict) or not isinstance(spec.get("cues", []), list):
            raise GazetteerError(f"concepts.yaml: concept {key!r} needs a 'cues' list")
        own = tuple(v for cue in map(str, spec.get("cues") or ()) for v in abbreviation_variants(cue))
        cues = tuple(dict.fromkeys((*own, *listed.get(key, ()))))
        weak = tuple(dict.fromkeys((*map(str, spec.get("weak") or ()), *listed.get(key + ".weak", ()))))
        out[key] = Concept(key, str(spec.get("label", key)), cues, weak, tuple(spec.get("dominates") or ()),
                           bool(spec.get("article_subject", False)), tuple(map(str, spec.get("implicit") or ())),
                           bool(spec.get("ranked", False)), tuple(spec.get("dominates_rates") or ()),
                           tuple(map(str, spec.get("requires") or ())))
    unknown = {d for c in out.values() for d in (*c.dominates, *c.dominates_rates)} - set(out)
    if unknown:
        raise GazetteerError(f"concepts.yaml: 'dominates' names unknown keys {sorted(unknown)}")
    return out


@cache
def syllables() -> dict[str, int]:
    """Lower-case Vietnamese syllable → how many dictionary words use it."""
    return {r["syllable"]: int(r["words"]) for r in _csv("syllables.csv", ("syllable", "words"))}


@cache
def abbreviations() -> frozenset[str]:
    return frozenset(lines("abbreviations.txt"))


def title_stop_words() -> tuple[str, ...]:
    return lines("title_stop_words.txt")


@cache
def organisation_abbreviations() -> dict[str, str]:
    return {r["abbreviation"]: r["expansion"]
            for r in _csv("organisation_abbreviations.csv", ("abbreviation", "expansion"))}


def organisation_heads() -> tuple[str, ...]:
    return lines("organisation_heads.txt")


def organisation_names() -> tuple[str, ...]:
    """Names of ministries and departments that hold a dash, a comma or "và" and are one organisation."""
    return lines("organisation_names.txt")


@cache
def not_unit_words() -> frozenset[str]:
    return frozenset(lines("not_unit_words.txt"))


@cache
def two_syllable_words() -> frozenset[str]:
    """Lower-case two-syllable dictionary words ("tư pháp", "y tế", "thông tin")."""
    return frozenset(lines("two_syllable_words.txt"))


@cache
def legacy_encodings() -> dict[str, dict[str, str]]:
    """{"tcvn3": {legacy text: unicode}, "vni": {...}}; where two letters share a legacy form the
    first listed wins (the table lists capitals first only where the legacy font has them)."""
    out: dict[str, dict[str, str]] = {"tcvn3": {}, "vni": {}}
    for r in _csv("legacy_encodings.csv", ("unicode", "tcvn3", "vni")):
        for enc in out:
            out[enc].setdefault(r[enc], r["unicode"])
    return out


@cache
def non_name_words() -> frozenset[str]:
    return frozenset(lines("non_name_words.txt"))


@dataclass(frozen=True)
class UnitWord:
    word: str
    levels: frozenset[str]                 # province | district | commune
    abbreviation_of: str | None


@cache
def administrative_units() -> tuple[UnitWord, ...]:
    """Words that introduce an administrative unit's name, with their levels."""
    rows = _csv("administrative_units.csv", ("word", "levels"))
    out = tuple(UnitWord(r["word"], frozenset(r["levels"].split()), r.get("abbreviation_of") or None) for r in rows)
    for u in out:
        if not u.levels <= {"province", "district", "commune"}:
            raise GazetteerError(f"administrative_units.csv: unknown level in {u.word!r}")
    return out


def unit_words(*levels: str, abbreviations: bool = True) -> Phrases:
    """The unit words of any of ``levels`` (all levels when none is given)."""
    return _unit_words(frozenset(levels), abbreviations)


@cache
def _unit_words(levels: frozenset[str], abbreviations: bool) -> Phrases:
    return Phrases(u.word for u in administrative_units()
                   if (not levels or u.levels & levels) and (abbreviations or u.abbreviation_of is None))


@cache
def place_nouns() -> Phrases:
    return lines("place_nouns.txt")


@cache
def so_compounds() -> frozenset[str]:
    return frozenset(w.lower() for w in lines("so_compounds.txt"))


@cache
def ranking_words() -> dict[str, Phrases]:
    """Words of rankings: ``intro`` before a position, ``steps`` a move is counted in, ``scope``,
    ``leading`` (first place when a scope follows: "dẫn đầu cả nước"), and ``table`` (optional: words
    that make an intro a noun, "bảng xếp hạng 63 tỉnh")."""
    data = _yaml("ranking_words.yaml")
    out = {}
    for key in ("intro", "steps", "scope", "leading", "leading_group"):
        if not isinstance(data.get(key), list) or not data[key]:
            raise GazetteerError(f"ranking_words.yaml needs a non-empty list {key!r}")
        out[key] = Phrases(str(w) for w in data[key])
    out["table"] = Phrases(str(w) for w in data.get("table") or ())
    return out


@cache
def loanwords() -> frozenset[str]:
    return frozenset(w.lower() for w in lines("loanwords.txt"))


@cache
def index_words() -> Phrases:
    return lines("index_words.txt")


@cache
def generic_phrases() -> frozenset[str]:
    """Indicator phrases that name no indicator ("tỷ lệ này"), from concepts.yaml."""
    return frozenset(str(p).lower() for p in _yaml("concepts.yaml").get("generic_phrases") or ())


@cache
def countries() -> Phrases:
    return lines("countries.txt")


@cache
def number_words_tagged() -> dict[str, int]:
    return {r["word"]: int(r["value"]) for r in _csv("number_words_tagged.csv", ("word", "value", "reading"))}


@cache
def number_words_listed() -> tuple[str, ...]:
    """Ambiguous number words read as numbers only inside a list of counts."""
    rows = _csv("number_words_tagged.csv", ("word", "value", "reading"))
    bad = [r["reading"] for r in rows if r["reading"] not in ("tagged", "listed")]
    if bad:
        raise GazetteerError(f"number_words_tagged.csv: unknown reading values {bad}")
    return tuple(r["word"] for r in rows if r["reading"] == "listed")


def not_counted_phrases() -> Phrases:
    return lines("not_counted_phrases.txt")


def so_skip_words() -> Phrases:
    return lines("so_skip_words.txt")


@cache
def unit_abbreviations() -> dict[str, str]:
    return {r["abbreviation"]: r["expansion"] for r in _csv("unit_abbreviations.csv", ("abbreviation", "expansion"))}


NUMERAL_ROLES = ("last_after_tens", "last_after_muoi", "tens", "hundreds", "zero_tens", "zero", "half", "vague")


@cache
def numeral_words() -> dict[str, tuple[str, Decimal]]:
    """Words that exist only inside a composed number, with their role in the numeral grammar and value."""
    rows = _csv("numeral_words.csv", ("word", "value", "role"))
    bad = [r["role"] for r in rows if r["role"] not in NUMERAL_ROLES]
    if bad:
        raise GazetteerError(f"numeral_words.csv: unknown roles {bad} (known: {NUMERAL_ROLES})")
    try:
        return {r["word"]: (r["role"], Decimal(r["value"])) for r in rows}
    except InvalidOperation:
        raise GazetteerError("numeral_words.csv: a value is not a number") from None


@cache
def bound_after() -> dict[str, str]:
    """Phrases after an amount that bound it ("từ 7000 đồng trở xuống"): phrase → qualifier."""
    rows = _csv("bound_after.csv", ("phrase", "qualifier"))
    bad = [r["qualifier"] for r in rows if r["qualifier"] not in ("over", "under", "approx")]
    if bad:
        raise GazetteerError(f"bound_after.csv: unknown qualifier values {bad}")
    return {r["phrase"]: r["qualifier"] for r in rows}


@cache
def ordinal_words() -> dict[str, int]:
    """Ordinals that are not the cardinal after "thứ" ("thứ nhất" = 1, "thứ tư" = 4), from ranking_words.yaml."""
    data = _yaml("ranking_words.yaml").get("ordinals")
    if not isinstance(data, dict) or not data or not all(isinstance(v, int) for v in data.values()):
        raise GazetteerError("ranking_words.yaml needs a mapping 'ordinals' of word → position")
    return {str(k): v for k, v in data.items()}
