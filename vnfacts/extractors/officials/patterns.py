"""Patterns of the officials extractor, compiled once."""
import regex

# A run of capitalised words: the candidates for a person's name ("Hà Nội Nguyễn Đức Chung").
CAPITALISED_RUN = regex.compile(r"(?<![\p{L}\d])\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}*)*(?![\p{L}])")
CAP_WORD = regex.compile(r"\p{Lu}\p{Ll}*")
# What joins a name to the title chain after it: "Đồng Văn Thanh, Phó Bí thư", "Nguyễn Đình Thừa - Phó Giám đốc".
APPOSITION = regex.compile(r"^\s*(?:,|[-–]|\()\s*")
# Separators inside a title chain.
CHAIN_SEP = regex.compile(r"\s*,\s*")
# What ends a title: punctuation, quotes, a dash between spaces.
TITLE_END = regex.compile(r"[,;:()“”\"]|\.(?!\p{L})|\s[-–]\s|\s[-–]$")
# Words before a capitalised run that make it a place or an organisation, not a person.
PLACE_BEFORE = regex.compile(
    r"(?:huyện|quận|xã|phường|thị\s+xã|thị\s+trấn|đường|(?<!thành\s)phố|sân|trường|cầu|"
    r"thôn|ấp|bản|khách\s+sạn|Trung\s+tâm|Bệnh\s+viện|Công\s+ty|công\s+ty|Tập\s+đoàn|tại)\s*$",
)
# "hiện đang giữ chức Cục trưởng …", "giữ chức vụ Chánh Văn phòng …": a title introduced after the name.
HOLDS_TITLE = regex.compile(r"^\s*\(?\s*(?:hiện\s+)?(?:đang\s+)?(?:giữ\s+chức\s+vụ|giữ\s+chức|đảm\s+nhận\s+chức\s+vụ|hiện\s+là)\s+")
FORMER = regex.compile(r"^(?:nguyên|Nguyên)\s+")
FORMER_BEFORE = regex.compile(r"(?:nguyên|Nguyên)\s+$")
# A joiner right before a title means the title belongs to the person before it:
# "Bí thư Tỉnh ủy và Triệu Thế Hùng".
JOINER_AT_END = regex.compile(r"(?<![\p{L}])(?:và|cùng|với|hoặc)$")
# A joiner between a title and the next person's name: "… Tỉnh uỷ và Triệu Thế Hùng".
NAME_JOINER_AT_END = regex.compile(r"\s(?:và|cùng)\s*$")
# A title given to the people named after it: "chức vụ Ủy viên UBND TP đối với ông Vũ Văn Kiền",
# "bổ sung Ủy viên UBND TP với ông Lê Ngọc Trữ", "5 Phó Chủ tịch UBND gồm các ông: Lê Khắc Nam, …".
ASSIGNED_TO = regex.compile(
    r"\s*(?:\([^()]{0,60}\)\s*)?(?:đối\s+với|với|cho|gồm)\s+(?:các\s+)?(?:ông|bà|đồng\s+chí)?\s*:?\s*"
)
ASSIGNED_TITLE_END = regex.compile(r"[,;:()“”\"]|\.(?!\p{L})|\s(?:đối\s+với|với|cho|gồm)(?![\p{L}])")
# Between names in a list: ", ", " và ", an honorific, a bracketed title.
NAME_LIST_GAP = regex.compile(r"\s*(?:\([^()]{0,80}\))?\s*(?:,|và|cùng)\s*(?:ông|bà|đồng\s+chí)?\s*")
# A unit word right before a capitalised run: its first words are a place's name ("huyện Gia Lâm …").
UNIT_WORD_BEFORE = regex.compile(r"(?:huyện|quận|thị\s+xã|thị\s+trấn|xã|phường|thành\s+phố|tỉnh)\s+$", regex.IGNORECASE)
