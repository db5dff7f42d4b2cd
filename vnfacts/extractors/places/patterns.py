"""Place patterns, compiled once."""
import regex

# Words that introduce a district-level unit: "huyện Tháp Mười", "thành phố Cao Lãnh", "TP. Hải Dương".
DISTRICT_INTRO = regex.compile(r"(?:huyện|quận|thị\s+xã|thành\s+phố|TP\.?|Tp\.?)\s*$", regex.IGNORECASE)
# A dateline like "BHG- Sáng 17.7": capitals, then a hyphen, at the start of a paragraph.
DATELINE = regex.compile(r"^(?P<code>\p{Lu}[\p{Lu}\p{Ll}]{1,5})\s?[-–]\s", regex.MULTILINE)
