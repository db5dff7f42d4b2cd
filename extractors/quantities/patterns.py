"""Patterns of the quantity extractor, compiled once at import. Vocabulary comes from the gazetteer."""
import regex

# A run of digits with "." or "," separators between digit groups, e.g. "1.456.363", "86,7", "774.45".
DIGIT_GROUPS = regex.compile(r"\d+(?:[.,]\d+)*")

NUMBER = regex.compile(
    r"""
    (?<![\p{L}\p{N}.,+_])         # not glued to a code or another number: K13, U.20
    (?<![^\p{Ll}]/)(?<!^/)          # not after a slash (3/96's 96), unless a word ends there: "109 tài khoản/2.068 chỉ tiêu"
    (?<![\p{L}\p{N}][-–])         # not the second half of COVID-19 or of 2016-2021
    (?<!\d:)                      # not the minutes of a clock time: 10:03, 08:41
    (?P<num>\d+(?:[.,]\d+)*)      # e.g. 1.456.363 / 86,7 / 05
    (?!\p{N})
    """,
    regex.VERBOSE,
)

RATIO = regex.compile(
    r"""
    (?<![\p{L}\p{N}.,/+_])
    (?P<a>\d+(?:[.,]\d+)*)\s?/\s?(?P<b>\d+(?:[.,]\d+)*)   # e.g. 95/95, 540.642/584.404
    (?![\p{N}/]|[.,]\d)                                    # not a date: 07/6/2023
    """,
    regex.VERBOSE,
)

# e.g. "23 trong tổng số 25", "23 dịch vụ trên tổng số 25"
RATIO_WORDS = regex.compile(
    r"""
    (?<![\p{L}\p{N}.,/+_])
    (?P<a>\d+(?:[.,]\d+)*)
    \s+(?:\p{L}+\s+){0,3}?(?:trong|trên)\s+(?:tổng\s+số|tổng|số)\s+
    (?P<b>\d+(?:[.,]\d+)*)(?![\p{N}])
    """,
    regex.VERBOSE | regex.IGNORECASE,
)

# What follows a number and makes it part of a document code: 12-NQ/TU, 422/QĐ-TTg, 3897/QĐ-UBND.
DOCUMENT_CODE_AFTER = regex.compile(r"^(?:/\s?\p{Lu}|-\p{Lu}{2}|/\d{2,4}/)")
# A number glued to letters that are not a unit: 39B, 0h00, 4G.
GLUED_LETTERS = regex.compile(r"^\p{L}+")
# Joins a bare number to the number whose unit it borrows: "345 – 350 USD", "từ 401 xuống còn 208 đơn vị".
RANGE_JOIN = regex.compile(r"^\s*(?:[-–—]|đến|tới|xuống\s+còn|xuống|lên|còn)\s*(?=\d)", regex.IGNORECASE)
PERCENT = regex.compile(r"^\s*(?:%|phần\s+trăm(?![\p{L}]))", regex.IGNORECASE)
SCORE = regex.compile(r"^\s*điểm(?![\p{L}])(?!\s+(?:cầu|giao\s+dịch|bán|tiếp\s+nhận|thi|du\s+lịch|nóng|dân\s+cư|truy\s+cập))", regex.IGNORECASE)
# A time word right before "5/2" or "10.6" makes it a date: "Chiều 5/2", "ngày 10.6". Patterns that end in
# "$" and only say whether they match are searched from the end (REVERSE): the same answer, without a
# scan from the sentence start.
TIME_WORD_BEFORE = regex.compile(
    r"(?:ngày|sáng|chiều|tối|trưa|đêm|hôm|mùng|mồng|khuya|từ|đến|tới|tháng|vào|trước|sau|hạn)\s*$",
    regex.IGNORECASE | regex.REVERSE,
)
# A word ending the text before a number (for identifier look-ups).
LAST_WORDS = regex.compile(r"((?:\p{L}+\s+){0,2}\p{L}+)\s*$")
# Numbers listed before this one, to look past them for an identifier: "quận 1, 3, " → "quận ".
LISTED_NUMBERS = regex.compile(r"(?:\d+\s*(?:,|và|hoặc)\s*)+$")
# A model or code word right before the number: "OM 5451", "IR 50404".
CODE_BEFORE = regex.compile(r"(?<![\p{L}])\p{Lu}{2,}\s+\d+(?:[.,]\d+)*\s*$")
# The word after a number, and a short window of text after it for the POS tagger.
NEXT_WORD = regex.compile(r"\s*\K[\p{L}][\p{L}\-]*")
WINDOW = regex.compile(r"\s*\K(?:\S+\s*){1,4}")

# Words right before a bare four-digit number that make it a year, not a count ("giai đoạn 2021").
YEAR_CONTEXT_BEFORE = regex.compile(r"(?:năm|giai đoạn|niên khóa|từ|đến|tới)\s*$", regex.IGNORECASE)

# A position in a ranking and the ranking's size: "4/63", "14 trong 63 tỉnh", "4 trên tổng số 63", "thấp thứ 2 so với 63 tỉnh".
RANK_POSITION = (r"(?P<pos>\d{1,3})(?:\s*/\s*(?P<of>\d{1,3})"
                 r"|\s+(?:trong|trên|so\s+với)\s+(?:tổng\s+số\s+)?(?P<of2>\d{1,3})(?=\s+\p{L}))?(?![\d/.,]\d|\p{L})")
# A position coordinated after a rank: "xếp thứ 07/13 tỉnh … và thứ 33/63", "thứ hạng 6 và 12", "…; thứ 3 tỉnh
# Hải Dương đạt 90,23%" (the placing verb said once).
# Right after the first, "thứ" may be left out when nothing is counted after the number: "lần lượt xếp thứ 2 và 3 cả nước".
RANK_NEXT = regex.compile(r"(?:[^.;:()]{0,60}?(?:,|;|\svà|\scòn)\s+(?:(?:đứng|xếp)\s+)?(?:thứ|vị\s+trí\s+thứ)\s+" + RANK_POSITION
                          + r"|\s+và\s+" + RANK_POSITION.replace("(?P<", "(?P<b_")
                          + r"(?=\s*(?:[,.;)]|$|cả\s+nước|toàn\s+quốc|về|trong|tương\s+ứng)))", regex.IGNORECASE)
# A closing bracket, then a word: the count in "64% (5.120) ý kiến" takes the noun after the bracket.
CLOSE_THEN_WORD = regex.compile(r"\s*[)\]]\s*\p{L}")
# "… là 38" (up to the number's end): a number after "là" or a colon may count the noun after an earlier "số".
IS_BEFORE = regex.compile(r"(?:\blà|:)\s*\d[\d.,/]*$", regex.REVERSE)
# The lower-case word after a number word ("ba hội"), and a list joiner before one ("…, và một máy chính").
LOWER_WORD_AFTER = regex.compile(r"\s+(\p{Ll})")
LIST_JOINER_BEFORE = regex.compile(r"(?:,|;|:|\bvà|\bgồm)\s*$", regex.REVERSE)
DIGIT = regex.compile(r"\d")
WORD_CHARACTER = regex.compile(r"[\p{L}\p{N}]")
# A digit glued to a letter ("5xếp"): one run of the word index, where a pattern may still see a word start.
DIGIT_THEN_LETTER = regex.compile(r"\p{N}\p{L}")
# An opening bracket right before a number: "công dân (58.834/58.834)" may count the noun before it.
OPEN_BEFORE = regex.compile(r"[(\[]\s*\d[\d.,/]*$", regex.REVERSE)
# A day and month written with a dot ("17.7"): a date after a time word.
DAY_MONTH = regex.compile(r"(?:[1-9]|[12]\d|3[01])\.(?:[1-9]|1[0-2])")

# Small patterns used per number, compiled once (not looked up in the regex cache on every call).
DECIMALS = regex.compile(r"[.,](\d+)$")
FIRST_WORD = regex.compile(r"\s*(\p{L}+)")
LEADING_SPACE = regex.compile(r"\s*")
LAST_WORD = regex.compile(r"(\p{L}+)\s+$")

# One word or one digit number of a numeral, whole: "bảy", "trăm", "1,2" (never glued: K13, COVID-19's 19).
NUMERAL_TOKEN = regex.compile(r"(?<![\p{L}\p{N}.,+_/])(?:\d+(?:[.,]\d+)*|\p{L}+)(?![\p{L}\p{N}])")
# "thứ" right before a number in words: an ordinal ("lần thứ hai mươi"), a position only after a ranking intro.
ORDINAL_BEFORE = regex.compile(r"(?<![\p{L}])thứ\s+$", regex.IGNORECASE | regex.REVERSE)
# A range opened before its first number ("từ 1000 đồng đến …", "giữa 1000 và 2000"): the qualifier stands before it.
RANGE_OPEN_END = regex.compile(r"(?<![\p{L}])(?:từ|giữa)\s*$", regex.IGNORECASE)
# "giữa" before the first number of a range joined by "và" ("giữa 1000 và 2000 đồng").
BETWEEN_BEFORE = regex.compile(r"(?<![\p{L}])giữa\s+$", regex.IGNORECASE | regex.REVERSE)
BETWEEN_JOIN = regex.compile(r"^\s*và\s*(?=\d)", regex.IGNORECASE)
AND_BETWEEN = regex.compile(r"\s*và\s*", regex.IGNORECASE)
# The second number of a range glued to the first by a dash ("1000-2000 đồng"), which NUMBER refuses (2016-2021).
NUMBER_AT = regex.compile(r"\d+(?:[.,]\d+)*(?!\p{N})")
# What joins the two ends of a range (the second takes the first's qualifier: "khoảng 1000-2000 đồng").
RANGE_BETWEEN = regex.compile(r"\s*(?:[-–—]|đến|tới)\s*", regex.IGNORECASE)
# Where a clause ends inside a sentence: what stands before "dẫn đầu" is looked at from here (not a comma:
# "một trong những tỉnh, thành dẫn đầu").
CLAUSE_BREAK = regex.compile(r"[;:()]")
# Where the clause of a group and its bound ends: "24 xã … đạt dưới 10%; 73 xã …".
GROUP_SEGMENT_BREAK = regex.compile(r"[;:.]\s")
# A comparison's other side after a difference, in its clause: "cao hơn 2,19% so với năm trước".
# A comparison opened earlier in the clause or bracket: "(so với năm 2022, phát hiện ít hơn 24 vụ": what follows
# "so với …," is compared with it.
COMPARED_BEFORE = regex.compile(r"(?<![\p{L}])so\s+với\s[^;.()]{1,40},[^;.()]*$", regex.IGNORECASE)
COMPARED_AFTER = regex.compile(r"(?:[^,;.()]|(?<=\d)[.,](?=\d)){0,60}?(?<![\p{L}])so(?:\s+với)?(?![\p{L}])", regex.IGNORECASE)
# A noun right after a percentage (not a bound's tail, a link or a list opener): "trên 90% người dân".
NOUN_AFTER_PERCENT = regex.compile(r"\s+(?!(?:trở|so|và|hoặc|thì|là|gồm|bao|trong|của|đến|tới|trên|dưới)(?![\p{L}]))\p{Ll}")

# After an amount: "/ha", "/lô", "/tháng" — a rate per something, not an amount.
PER_UNIT = regex.compile(r"\s*/\s*\p{L}")
# The last break of a clause before a bare amount: a comma, semicolon, colon or opening bracket.
AMOUNT_CLAUSE_BREAK = regex.compile(r"[,;:(]", regex.REVERSE)
# Between a group's count and an amount that bounds it: "(địa phương) có kim ngạch xuất khẩu đạt (trên 1 tỷ USD)" —
# what each member has, no total ("tổng") in it.
GROUP_MEMBERS_HAVE = regex.compile(r"(?:\s*,\s*\p{L}+(?:\s+\p{L}+)?)?\s+có\s+(?:(?!tổng)[\p{L}\s])*?\s(?:đạt|từ|ở\s+mức)\s+(?:\p{L}+\s+){0,3}", regex.IGNORECASE)
