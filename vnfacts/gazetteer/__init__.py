"""The data the extractors match against: plain UTF-8 files in ``data/`` with small cached loaders.

Every file names its source on its first line. Loaders run on first use, never on import, and
raise :class:`GazetteerError` naming the file when it is missing or malformed.
"""
from vnfacts.gazetteer.loaders import (
    abbreviations,
    Concept,
    GazetteerError,
    Province,
    concepts,
    counting_nouns,
    currencies,
    datelines,
    districts,
    honorifics,
    identifier_words,
    legacy_encodings,
    lines,
    measure_units,
    money_exceptions,
    non_fact_nouns,
    non_name_words,
    non_public_organisations,
    not_unit_words,
    noun_modifiers,
    number_words,
    province_aliases,
    provinces,
    provinces_current,
    qualifiers,
    ranks,
    scale_words,
    semantic_cues,
    surnames,
    syllables,
    two_syllable_words,
    title_stop_words,
    titles,
    organisation_abbreviations,
    organisation_heads,
)

__all__ = [
    "abbreviations",
    "Concept", "GazetteerError", "Province", "concepts", "counting_nouns", "currencies", "datelines",
    "districts", "honorifics", "identifier_words", "legacy_encodings", "lines", "measure_units", "money_exceptions",
    "non_fact_nouns", "non_name_words", "non_public_organisations", "not_unit_words", "noun_modifiers", "number_words", "province_aliases",
    "provinces", "provinces_current", "qualifiers", "ranks", "scale_words", "semantic_cues", "surnames",
    "syllables", "two_syllable_words", "title_stop_words", "titles", "organisation_abbreviations", "organisation_heads",
]
