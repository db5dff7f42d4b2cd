"""Time-expression patterns, compiled once. Each alternative has a named group and an example."""
import regex

YEAR = r"(?:19|20)\d{2}"
ROMAN_QUARTER = r"(?:IV|III|II|I|1|2|3|4)"

PERIOD = regex.compile(
    rf"""
      (?P<h1>(?:(?:6|sáu)\s+tháng\s+đầu(?:\s+năm)?|(?:6|sáu)\s+tháng\s+năm(?=\s+{YEAR})|(?:bình\s+quân|tính\s+chung|lũy\s+kế)\s+(?:6|sáu)\s+tháng(?:\s+năm)?)(?:\s+(?P<h1y>{YEAR}))?)(?![\p{{L}}\d])  # e.g. 6 tháng đầu năm 2024, 6 tháng năm 2024, Sáu tháng đầu năm, bình quân 6 tháng
    | (?P<h2>(?:6|sáu)\s+tháng\s+cuối(?:\s+năm)?(?:\s+(?P<h2y>{YEAR}))?)(?![\p{{L}}\d])      # e.g. 6 tháng cuối năm
    | (?P<m9>(?:9|chín)\s+tháng(?:\s+đầu)?(?:\s+năm)?(?:\s+(?P<m9y>{YEAR}))?)(?![\p{{L}}\d])  # e.g. 9 tháng năm 2024, Chín tháng
    | (?P<q1m>(?:3|ba)\s+tháng\s+đầu(?:\s+năm)?(?:\s+(?P<q1y>{YEAR}))?)(?![\p{{L}}\d])      # e.g. 3 tháng đầu năm 2025 (= quý I)
    | (?P<nm>(?:[1-9]|1[01]|hai|bốn|năm|bảy|tám|mười|mười\s+một)\s+tháng\s+(?:đầu\s+năm|đầu|năm)(?:\s+{YEAR})?)(?![\p{{L}}\d])  # e.g. 7 tháng đầu năm 2024: no period form
    | (?P<quarter>(?:qu[ýí]|qúy|qúi)\s+(?P<q>{ROMAN_QUARTER})(?:\s*(?:/|năm|\.)\s*(?P<qy>{YEAR}))?)(?![\p{{L}}\d])  # e.g. quý III/2017, Qúy I/2024 (the tone mark misplaced, as typed)
    | (?P<school>năm\s*học\s+(?P<sy1>{YEAR})\s*[-–/]\s*(?P<sy2>{YEAR}))              # e.g. năm học 2023-2024
    | (?P<span>(?:giai\s+đoạn(?:\s+từ)?|nhiệm\s+kỳ|năm|hết\s+năm|tới|đến|từ)\s+(?P<s1>{YEAR})\s*[-–]\s*(?P<s2>{YEAR}))  # e.g. giai đoạn 2022-2023, giai đoạn từ 2005 - 2023
    | (?P<month>tháng\s+(?P<mm>1[0-2]|0?[1-9])(?:\s*(?:/|\.|-|năm)\s*(?P<my>{YEAR}))?)(?![\d/.-]\d)  # e.g. tháng 1.2017, tháng 7/2017, tháng 4-2023
    | (?P<this_year>năm\s+nay)(?![\p{{L}}])                                            # e.g. trong năm nay
    | (?P<last_year>năm\s+(?:ngoái|trước))(?![\p{{L}}])                                # e.g. so với năm trước
    | (?<![\d./-])(?<!\d\s*[-–]\s*)(?P<year>(?:năm\s+)?(?P<yy>{YEAR}))(?![\d.,/]\d|\s*[-–]\s*\d)   # e.g. năm 2023, 2023 (not the end of "1986 - 2026")
    """,
    regex.VERBOSE | regex.IGNORECASE,
)

# What every alternative of PERIOD starts with, lower-cased (keep in step with PERIOD): the pattern is
# tried only where one of these stands, instead of at every character.
PERIOD_STARTS = ("bình", "tính", "lũy", "3", "ba", "1", "2", "4", "5", "7", "8", "hai", "bốn", "bảy", "tám", "mười", "6", "sáu", "9", "chín", "quý", "quí", "qúy", "qúi", "năm", "giai", "nhiệm", "hết", "tới", "đến", "tháng", "19", "20")

# Dates: "ngày 10.6", "07/6/2023", "01.7.2024", "ngày 13-7".
DATE = regex.compile(
    rf"""
    (?<![\d./])(?P<d>[0-3]?\d)\s?(?P<sep>[./-])\s?(?P<m>1[0-2]|0?[1-9])(?:(?P=sep)(?P<y>{YEAR}))?(?![\d]|[.,/]\d)
    """,
    regex.VERBOSE,
)
# A day named as such ("ngày 12/01/2017", "chiều 5-8"): unlike a bare "10/10", never a ratio.
DAY_MENTION = regex.compile(
    rf"(?<![\p{{L}}])(?:ngày|hôm|sáng|chiều|tối|trưa|đêm)\s+(?:ngày\s+)?[0-3]?\d\s?[./-]\s?(?:1[0-2]|0?[1-9])(?![\d])",
    regex.IGNORECASE,
)
# Where the day an article was written shows: "/2023/05/12/" or "-20230512160944948.htm" in its address,
# a timestamp line "13:47 21/07/2023" or a "date 2023-05" marker at its start.
URL_DATE = regex.compile(rf"(?<!\d)(?P<y>{YEAR})(?P<sep>[/-]?)(?P<m>1[0-2]|0[1-9])(?P=sep)(?P<d>3[01]|[12]\d|0[1-9])")
# A month folder of a newspaper's address: "/202304/", "/2023/04/" (the day is not given: the first is taken).
URL_MONTH = regex.compile(rf"/(?P<y>{YEAR})/?(?P<m>1[0-2]|0[1-9])/")
# A line that is nothing but a publication stamp, as pages copied with their header carry it near the top:
# "Thứ Năm, 18/04/2024 - 10:30", "Cập nhật: 10:30 18/4/2024", "Ngày đăng: 18/04/2024 (GMT+7)". The whole
# line must be the stamp, so a sentence that dates a figure ("Đến 18/4/2024, …") is never one.
STAMP_LINE = regex.compile(
    rf"""\s*(?:\p{{Lu}}[\p{{L}}.]*\s+){{0,4}}?             # a byline before it: "PV Tây Bắc 07/07/2024 10:03 GMT+7"
        (?:(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|2|3|4|5|6|7)|th\s*[2-7]|cn|chủ\s+nhật|cập\s+nhật(?:\s+lúc)?|ngày\s+(?:đăng|cập\s+nhật|xuất\s+bản)
          |đăng\s+(?:lúc|ngày)|xuất\s+bản|published)\s*[:,]?\s*)*
        (?:(?:lúc\s+)?\d{{1,2}}[:h]\d{{2}}(?::\d{{2}})?\s*(?:[-,|]\s*)?(?:ngày\s+)?)?
        (?P<d>[0-3]?\d)[/.-](?P<m>1[0-2]|0?[1-9])[/.-](?P<y>{YEAR})
        (?:\s*(?:[-,|]\s*)?(?:lúc\s+)?\d{{1,2}}[:h]\d{{2}}(?::\d{{2}})?(?:\s*(?:SA|CH|AM|PM))?)?(?:\s*\(?GMT\s*[+]\s*7\)?)?\s*""",
    regex.VERBOSE | regex.IGNORECASE,
)
TIMESTAMP_START = regex.compile(
    rf"""^\s*(?:
        (?:\d{{1,2}}:\d{{2}}\s+)?(?P<d>[0-3]?\d)/(?P<m>1[0-2]|0?[1-9])/(?P<y>{YEAR})     # e.g. 13:47 21/07/2023
      | date\s+(?P<iy>{YEAR})-(?P<im>1[0-2]|0[1-9])(?:-(?P<id>[0-3]\d))?                  # e.g. date 2023-05
    )""",
    regex.VERBOSE,
)
# A figure right before a bracket, and "năm nay" (this year, unnamed).
FIGURE_BEFORE_BRACKET = regex.compile(r"\d(?:\s*(?:%|\p{L}+))?\s*$")
THIS_YEAR = regex.compile(r"(?<![\p{L}])năm\s+nay(?![\p{L}])", regex.IGNORECASE)
# The end of a sentence before a position: a full stop, question or exclamation mark (and a closing
# quote or bracket) before a space, or a line break. Decimal and thousands points have no space after.
SENTENCE_BREAK = regex.compile(r"[.!?…][\"”’)]*\s|\n")
# What every date with a year holds: a separator, then the year ("/2023" of "07/6/2023").
YEAR_AFTER_SEPARATOR = regex.compile(rf"[./-]{YEAR}")
MONTH_DATE = regex.compile(rf"tháng\s+(?P<m>1[0-2]|0?[1-9])\s*[/.]\s*(?P<y>{YEAR})", regex.IGNORECASE)

# The label of a stretch of months that the period forms do not name ("7 tháng đầu năm"): it claims the
# figure's period, which is then none.
NO_FORM = "-"
# A span of bare years in brackets is an anniversary or a name: "Kỷ niệm 40 năm thành lập (1986 - 2026)".
BRACKETED_SPAN = regex.compile(r"\(\s*$")

# A period label ("2024-H1") and the last few words before a year, compiled once.
LABEL = regex.compile(r"(\d{4})(?:-(H1|H2|Q[1-4]|9M|\d{2}|\d{4}))?")
LAST_WORDS = regex.compile(r"((?:\S+\s+){0,4})$")


def compared_after_words(enders: str) -> regex.Pattern:
    """A period a few words after "so với" in its clause is compared with: "so với vụ thu đông năm 2023",
    "so với cùng thời điểm năm 2022" (no punctuation, no number between; a word that opens another phrase,
    ``enders`` — `compared_phrase_enders` in semantic_cues.yaml — ends it: "so với cùng kỳ trong tháng
    3/2017" dates the figure)."""
    return regex.compile(rf"(?<![\p{{L}}])so\s+với(?:\s+(?!(?:{enders})(?![\p{{L}}]))\p{{L}}+){{1,4}}\s+$", regex.IGNORECASE)
