"""Patterns of the officials extractor, compiled once (those built from gazetteer words on first use)."""
from functools import cache

import regex

import gazetteer
from extractors.lexicon import LAST_RUN, TRAILING_RUN, at_end_pattern, last_words

# A run of capitalised words: the candidates for a person's name ("Hà Nội Nguyễn Đức Chung").
CAPITALISED_RUN = regex.compile(r"(?<![\p{L}\d])\p{Lu}\p{Ll}+(?:-\p{Ll}+)?(?:\s+\p{Lu}\p{Ll}*(?:-\p{Ll}+)?)*(?![\p{L}])")
CAP_WORD = regex.compile(r"\p{Lu}\p{Ll}*(?:-\p{Ll}+)?")
# A capitalised run after spaces ("Trung Quốc Tập Cận Bình": the run after the country), the spaces left out.
CAPITALISED_RUN_AFTER_SPACE = regex.compile(r" +\K" + CAPITALISED_RUN.pattern)
# The rest of a name after an initial the run pattern stops at: "George W" + ". Bush".
AFTER_INITIAL = regex.compile(r"\.\s*\p{Lu}\p{Ll}+(?:-\p{Ll}+)?")
# A one-letter word right before a capitalised run, which the run leaves out: "Y" of "Y Ngọc Niê".
INITIAL_BEFORE = regex.compile(r"(?<![\p{L}\d.])\p{Lu}\s$")
# What joins a name to the title chain after it: "Đồng Văn Thanh, Phó Bí thư", "Nguyễn Đình Thừa - Phó Giám đốc".
APPOSITION = regex.compile(r"^\s*(?:,|[-–]|\()\s*")
# Separators inside a title chain.
CHAIN_SEP = regex.compile(r"\s*,\s*")
# A joiner between people right before a title: "… Kamikawa Yoko và Thủ tướng Anh".
JOINER_BEFORE = regex.compile(r"\s(?:và|cùng|với)\s+$")
# A title right after a name, with no comma: "Trần Văn Nam Phó Chủ tịch UBND tỉnh".
BARE_APPOSITION = regex.compile(r"^\s+(?=\p{Lu})")
# The separator before a title, to walk a chain backwards: "Phó Bí thư Thành ủy, Chủ tịch …".
CHAIN_BEFORE = regex.compile(r",\s*$")
# An organisation's abbreviation in brackets at the end of a title: "Đường sắt Việt Nam (ĐSVN)".
ABBREVIATION_AT_END = regex.compile(r"\s*\((?:\p{Lu}|[&.-]){2,12}\)$")
# What ends a title: punctuation, quotes, a dash between spaces.
TITLE_END = regex.compile(r"[,;:()“”\"]|\.(?!\p{L})|\s[-–]\s|\s[-–]$")


@cache
def place_before() -> regex.Pattern:
    """Words before a capitalised run that make it a place or an organisation, not a person: units
    below the province ("huyện", "phường") and place nouns ("đường", "Bệnh viện"); not "tỉnh" or
    "thành phố", which end titles ("Chủ tịch UBND thành phố Nguyễn Văn A")."""
    province = gazetteer.unit_words("province")
    alternatives = []
    dictionary_before: dict[str, list[str]] = {}      # a dictionary word's first syllables, by its last one
    for d in gazetteer.two_syllable_words():
        first, _, last = d.rpartition(" ")
        if first:
            dictionary_before.setdefault(last, []).append(first.rstrip())
    for word in place_words():
        # "phố" is a street, but not as the end of "thành phố"; a one-syllable place word is none as the end
        # of a dictionary word ("Phát triển nông thôn Nguyễn Xuân Cường", "Khoa học, Công nghệ và Môi trường
        # Phan Xuân Dũng").
        longer = [p[: -len(word)].rstrip() for p in province if p.endswith(" " + word)]
        if " " not in word:
            longer += sorted(dictionary_before.get(word, ()))
        guard = "".join(rf"(?<!(?i:{regex.escape(x)})\s)" for x in longer)
        alternatives.append(guard + regex.escape(word).replace(r"\ ", r"\s+"))
    return regex.compile(r"(?<![\p{L}\p{N}])(?:" + "|".join(alternatives) + r")\s*$")


@cache
def place_words() -> tuple[str, ...]:
    """Unit words below the province (and their abbreviations, "TX.") and place nouns ("Bệnh viện"),
    longest first: a capitalised run after one is a place, not a person."""
    province = gazetteer.unit_words("province")
    words = [w for w in gazetteer.unit_words("district", "commune", abbreviations=False) if w not in province]
    words += _district_abbreviations()
    return tuple(sorted({*words, *gazetteer.place_nouns()}, key=len, reverse=True))


def place_before_search(text: str) -> regex.Match | None:
    """``place_before().search(text)``, not tried when the text cannot end in a place word (the pattern is
    anchored at the end): its last run of letters is no word's last, and it ends in no word like "TX."."""
    ends = _place_before_ends()
    if ends is not None:
        lasts, others = ends
        run = TRAILING_RUN.search(text)
        if (run is None or run.group(1) not in lasts) and not text.rstrip().endswith(others):
            return None
    return place_before().search(text)


@cache
def _place_before_ends() -> tuple[frozenset[str], tuple[str, ...]] | None:
    """The last words of the place words that end in a letter or digit, and the others whole ("TX.");
    None when a word's last run cannot be told this way (then every text is searched)."""
    words = place_words()
    others = tuple(w for w in words if not LAST_RUN.search(w))
    lasts = last_words(tuple(w for w in words if w not in others), False)
    return None if lasts is None else (lasts, others)


# "hiện đang giữ chức Cục trưởng …", "giữ chức vụ Chánh Văn phòng …": a title introduced after the name.
HOLDS_TITLE = regex.compile(r"^\s*\(?\s*(?:hiện\s+)?(?:đang\s+)?(?:giữ\s+chức\s+vụ|giữ\s+chức|đảm\s+nhận\s+chức\s+vụ|hiện\s+là)\s+")
FORMER = regex.compile(r"^(?:nguyên|Nguyên|cựu|Cựu)\s+")
FORMER_BEFORE = regex.compile(r"(?:nguyên|Nguyên|cựu|Cựu)\s+$")
# "Phó" right before a title head, in any case: "phó Thủ tướng".
DEPUTY_BEFORE = regex.compile(r"(?<![\p{L}])phó\s+$", regex.IGNORECASE)
# A joiner right before a title means the title belongs to the person before it:
# "Bí thư Tỉnh ủy và Triệu Thế Hùng".
JOINER_AT_END = regex.compile(r"(?<![\p{L}])(?:và|cùng|với|hoặc)$", regex.REVERSE)     # (searched from the end)
# A joiner between a title and the next person's name: "… Tỉnh uỷ và Triệu Thế Hùng".
NAME_JOINER_AT_END = regex.compile(r"\s(?:và|cùng)\s*$")
# A title given to the people named after it: "chức vụ Ủy viên UBND TP đối với ông Vũ Văn Kiền",
# "bổ sung Ủy viên UBND TP với ông Lê Ngọc Trữ", "5 Phó Chủ tịch UBND gồm các ông: Lê Khắc Nam, …".
ASSIGNED_TO = regex.compile(
    r"\s*(?:\([^()]{0,60}\)\s*)?(?:đối\s+với|với|cho|gồm)\s+(?:các\s+)?(?:ông|bà|đồng\s+chí)?\s*:?\s*"
)
ASSIGNED_TITLE_END = regex.compile(r"[,;:()“”\"]|\.(?!\p{L})|\s(?:đối\s+với|với|cho|gồm)(?![\p{L}])")
# The letters ending a text (a window of it), and one space character.
LAST_LETTERS = regex.compile(r"\p{L}+$")
SPACE = regex.compile(r"\s")
# Between names in a list: ", ", " và ", an honorific, a bracketed title.
NAME_LIST_GAP = regex.compile(r"\s*(?:\([^()]{0,80}\))?\s*(?:,|và|cùng)\s*(?:ông|bà|đồng\s+chí)?\s*")


@cache
def unit_word_before() -> regex.Pattern:
    """A unit word right before a capitalised run: its first words are a place's name ("huyện Gia Lâm …",
    "UBND TX Từ Sơn …"; not "TP", which also names the province-level city a title ends in)."""
    return at_end_pattern(gazetteer.Phrases((*gazetteer.unit_words(abbreviations=False), *_district_abbreviations())),
                          ignore_case=True)


def _district_abbreviations() -> list[str]:
    """Abbreviated unit words below the province ("TX" for "thị xã"); "TP" also names a province-level city."""
    return [u.word for u in gazetteer.administrative_units() if u.abbreviation_of and "province" not in u.levels]
# The two middle names most Vietnamese names carry (men's, women's): with them a name after a unit word
# ("Trưởng Công an xã Nguyễn Văn Khánh") is a person, not a place named after one ("phường Phạm Ngũ Lão").
MIDDLE_NAMES = frozenset({"Văn", "Thị"})
# A unit word right before a name: "thành phố Hạ Long", "thị xã Sơn Tây", "huyện Đồng Văn".
UNIT_WORD_BEFORE = regex.compile(r"(?<![\p{L}])(?:thành\s+phố|thị\s+xã|quận|huyện|TP\.?)\s+$", regex.IGNORECASE)
