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
PRICE_AFTER = regex.compile(r"^\s*/\s*\p{L}")
WORDS = regex.compile(r"\S+")
