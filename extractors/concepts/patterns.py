"""Patterns that delimit indicator phrases, compiled once."""
import regex

# Where the noun phrase after a counted unit ends: punctuation, a verb of result, a comparison.
NP_END = regex.compile(
    r"[,;:()\[\].!?]|\s(?:đạt|là|được|đã|so\s+với|với|tăng|giảm|trong\s+đó|và|của|tại|trên\s+địa\s+bàn|vào|để|nhằm|thay\s+vì|sẽ|đang)(?![\p{L}])",
    regex.IGNORECASE,
)
# Where the subject of a percentage starts: a rate or level noun ("Tỷ lệ kích hoạt …").
SUBJECT_HEAD = regex.compile(r"(?<![\p{L}])(?:tỷ\s*lệ|tỉ\s*lệ|mức\s+độ|số\s+lượng|kết\s+quả|chỉ\s+số)(?![\p{L}])", regex.IGNORECASE)
# What ends the subject of a percentage before its number: "đạt", "là", "tính đến ngày 10.6 đạt".
SUBJECT_END = regex.compile(
    r"\s(?:đạt|là|ở\s+mức|chiếm|tính\s+đến|tính\s+tới|bình\s+quân|trong\s+\d|năm\s+\d|tăng|giảm)(?![\p{L}])",
    regex.IGNORECASE,
)
SUBJECT_START = regex.compile(r"[;:(]|\s[-–]\s")
# A unit price: "4.300 đồng/kg", "345 – 350 USD/tấn" (but "9,94 tỉ đồng/năm" is an amount per year).
PRICE_AFTER = regex.compile(
    r"^[\s\d.,–-]*(?:nghìn|ngàn|triệu|tỷ|tỉ)?\s*(?:đồng|VNĐ|VND|USD|EUR)\s*/\s*(?!năm|tháng|ngày|quý)\p{L}",
    regex.IGNORECASE,
)
WORDS = regex.compile(r"\S+")
CLAUSE_END = regex.compile(r"[,;:()\[\].!?]")
# Determiners before a counted noun, and how many words after them make its head ("các em học sinh").
DETERMINERS = {"các", "những", "số", "mọi", "toàn", "%", "các em"}
HEAD_WORDS = 3
LEADING_VERBS = {"đạt", "là", "chiếm", "được", "đã", "với"}
PARENTHETICAL = regex.compile(r"\([^()]*\)")

# Tense and aspect words that open a verb phrase but say nothing of what is measured.
ASPECT_MARKER = regex.compile(r"^(?:đã|đang|sẽ|cũng)\s+")

# A percentage names its own noun phrase when a word follows it ("100% công dân …"), unless that
# word only links it to a comparison or a list ("36,1% so với …", "86,7% và …").
WORD_AFTER = regex.compile(r"\s*[\p{L}]")
LINK_AFTER_PERCENT = regex.compile(r"\s*(?:so\s+với|vượt|tăng|giảm|và|trong|so|của)(?![\p{L}])", regex.IGNORECASE)
# What breaks a total down into its parts: the parts share the total's indicator ("…; trong đó, …").
BREAKDOWN = regex.compile(r"(?<![\p{L}])(?:trong\s+đó|trong\s+số\s+đó|bao\s+gồm|gồm|cụ\s+thể)(?![\p{L}])", regex.IGNORECASE)
# A paragraph that opens by continuing the report before it: "Trong đó, …", "Cụ thể: …".

# Where a sentence's stretch of text ends (";" or ":"), compiled once.
SEGMENT_BREAK = regex.compile(r"[;:]")

# The verb that links a figure to the noun phrase it quantifies, right before the figure (a qualifier of
# qualifiers.csv between): "… đạt 64,3%", "… ước đạt 3.370 tỷ đồng", "… là 105.970 hồ sơ", "… chiếm 45%".
def link_before(qualifiers: str) -> regex.Pattern:
    return regex.compile(
        r"\s(?:ước\s+)?(?:đạt\s+tỷ\s+lệ|đạt\s+tỉ\s+lệ|đạt\s+mức|đạt|là|chiếm|ở\s+mức|bằng|lên|xuống|tăng|giảm)"
        rf"(?:\s+(?:{qualifiers}))?\s*$",
        regex.IGNORECASE,
    )


# A count's subject that counts something itself: "Số hồ sơ tiếp nhận trực tuyến là 105.970 hồ sơ".
COUNT_SUBJECT = regex.compile(r"\s*(?:tổng\s+)?(?:số|số\s+lượng|lượng)(?![\p{L}])", regex.IGNORECASE)
# Where the clause holding a figure's subject starts: punctuation, but not a separator inside a number or
# a date ("tính đến ngày 10.6", "1.250,5").
PHRASE_BREAK = regex.compile(r"[;:()\[\]!?]|(?<!\d)[.,]|[.,](?!\d)")
# The noun an amount follows, after a preposition or at its clause's start (a qualifier between):
# "với tổng số vốn hơn 10.430 tỷ đồng", "Kinh phí thực hiện 5 tỷ đồng"; the nouns are semantic_cues.yaml's
# amount_nouns.
def noun_before_amount(nouns: str, qualifiers: str) -> regex.Pattern:
    return regex.compile(
        rf"(?:(?<![\p{{L}}])(?:với|có|gồm|trong\s+đó)\s+|^\s*)(?P<noun>(?:{nouns})(?:\s+[\p{{Ll}}]+){{0,5}}?)\s+"
        rf"(?:(?:{qualifiers}|lên\s+tới|lên\s+đến)\s+)?$",
        regex.IGNORECASE,
    )
