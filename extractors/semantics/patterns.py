"""Clause structure patterns for the semantics extractor, compiled once."""
import regex

# Commas, semicolons, colons and brackets end a clause; "như:" opens a list of results.
CLAUSE_BREAK = regex.compile(r"[;:()]|(?<!\d),|,(?!\d)")   # not the comma of "86,7" or "mức độ 3,4"
SEGMENT_BREAK = regex.compile(r"[;:]")
OPEN_PAREN_ONLY = regex.compile(r"^\s*\(\s*$")
# "so với", and the short "so cùng kỳ", "so tháng trước".
SO_VOI = regex.compile(r"(?<![\p{L}])so(?:\s+với)?(?![\p{L}])", regex.IGNORECASE)
# The gap between two quantities that may share a change: nouns and commas, no clause end.
SHORT_GAP = regex.compile(r"^[^;.:]{0,60}$")
SEMICOLON = regex.compile(r";")
PARENTHETICAL = regex.compile(r"\([^()]*\)")
# What separates two changes that cannot share a baseline: a clause end or a baseline of the first.
LIST_BREAK = regex.compile(r"[;.:()]|(?<![\p{L}])so(?![\p{L}])", regex.IGNORECASE)
# What may stand between a number and a cue that completes it: "48,2% kế hoạch", "73,3% so với chỉ tiêu".
COMPLEMENT_GAP = regex.compile(r"\s*(?:so\s+với\s+|của\s+|theo\s+)?", regex.IGNORECASE)
# "…, như: Kết quả …": a colon before a capitalised word opens a list; cues before it do not reach in.
LIST_OPENER = regex.compile(r":\s*(?=\p{Lu})")
# A sentence opened by a frame sets the mode of the sentences after it: "Theo đề xuất của Sở GTVT, …".
FRAME_OPENER = regex.compile(r"^\s*(?:Theo|Dự kiến|Mục tiêu|Phấn đấu)(?![\p{L}])")

YEAR = r"(?:19|20)\d{2}"
# The start of a span right before an as_of intro: "từ 22/11/2017 đến …", "từ ngày 1-7 tới …".
SPAN_START_BEFORE = regex.compile(r"(?<![\p{L}])từ\s+(?:ngày\s+)?[0-3]?\d\s?[./-]\s?\d{1,2}(?:[./-]\d{4})?\s*$", regex.IGNORECASE)


def as_of_pattern(intros: str, modifiers: str, dayparts: str, year_end: str) -> regex.Pattern:
    """An as_of expression, from the cue alternations of semantic_cues.yaml (built once by the caller)."""
    return regex.compile(
        rf"""
        (?<![\p{{L}}\p{{N}}])(?:{intros})\s+
        (?:(?:{modifiers})\s+)?
        (?:\d{{1,2}}\s*(?:h|giờ|g)(?:\s*\d{{1,2}}(?:\s*phút|')?)?\s*,?\s+)?       # e.g. 23h, 0h40, 17 giờ 30
        (?:(?:{dayparts})\s+)?(?:hôm\s+)?(?:ngày\s+)?
        (?:
            (?P<wd>[0-3]?\d)\s+tháng\s+(?P<wm>1[0-2]|0?[1-9])(?:\s*(?:năm|,)\s*(?P<wy>{YEAR}))?(?!\d)  # e.g. 30 tháng 5 năm 2023
          | (?P<d>[0-3]?\d)\s?(?P<sep>[./-])\s?(?P<m>1[0-2]|0?[1-9])(?:(?P=sep)\s?(?P<y>{YEAR}))?(?![\d]|[.,/]\d)  # e.g. 29-6-2023, 10.6
          | tháng\s+(?P<mm>1[0-2]|0?[1-9])(?:\s*(?:/|\.|-|năm)\s*(?P<my>{YEAR}))?(?![\d/.]\d)     # e.g. tháng 9/2024
          | (?P<ye>{year_end})\s+(?P<ey>{YEAR})(?!\s*[-–]\s*\d)                                 # e.g. hết năm 2023
        )
      | (?<![\p{{L}}\p{{N}}])(?P<ye2>{year_end})\s+(?P<ey2>{YEAR})(?![\d]|\s*[-–]\s*\d)                         # e.g. Cuối năm 2023, …
        """,
        regex.VERBOSE | regex.IGNORECASE,
    )


# Small patterns used per number, compiled once (not looked up in the regex cache on every call).
YEAR_START = regex.compile(r"(\d{4})")
MONTH_LABEL = regex.compile(r"(\d{4})-(\d{2})")
QUARTER_LABEL = regex.compile(r"(\d{4})-Q([1-4])")
LIST_STOP = regex.compile(r"[(;.]")
BASELINE_STOP = regex.compile(r"[;)]")
SENTENCE_STOP = regex.compile(r"[;.]")
NON_DIGIT = regex.compile(r"\D")
# What may stand before a year that opens its sentence: "Năm 2023, …", "Trong năm 2024, …", "Tính chung cả năm 2023 …".
YEAR_OPENER = regex.compile(r"[\s(\-–]*(?:(?:trong|tính\s+chung|riêng|cả|trong\s+cả|qua)\s+)*(?:cả\s+)?", regex.IGNORECASE)
# A period label with a part below the year: "2024-Q1" (year, part).
SUB_YEAR_LABEL = regex.compile(r"(\d{4})-(H1|H2|Q[1-4]|9M|\d{2})")
# The syllable right after a word: "cường" of "tăng cường".
NEXT_SYLLABLE = regex.compile(r"\s+([\p{L}]+)")
DIGIT = regex.compile(r"\d")
# "so với năm 2021", "so với 2021": the year a figure is compared with.
COMPARED_YEAR = regex.compile(r"(?<![\p{L}])so\s+với\s+(?:năm\s+)?((?:19|20)\d{2})(?!\d)", regex.IGNORECASE)

# The bracket a number opens ("(91,5%)"), and the punctuation that ends a plan's noun phrase before it (so
# do `plan_phrase_enders`).
BRACKET_BEFORE_NUMBER = regex.compile(r"\(\s*$")
PLAN_PHRASE_PUNCTUATION = regex.compile(r"[,;:()]")
# "so với" after spaces: "(giảm 22,55%) so với cùng kỳ".
SO_VOI_AFTER_SPACE = regex.compile(r"\s*so(?:\s+với)?(?![\p{L}])", regex.IGNORECASE)
# The runs of non-space characters of a text, the last first (``_start_of_last_words``).
WORDS_FROM_END = regex.compile(r"\S+", regex.REVERSE)
