"""Province names resolved to both maps: the legacy (63) province and the current (34) unit it
belongs to since the July 2025 merger. Extractors, the store's filters and the web app share it."""
from __future__ import annotations

from dataclasses import dataclass

from gazetteer.loaders import province_aliases, provinces


@dataclass(frozen=True)
class ProvinceRef:
    legacy: str
    legacy_code: str
    current: str
    current_code: str

    def as_dict(self) -> dict:
        return {"legacy": self.legacy, "legacy_code": self.legacy_code,
                "current": self.current, "current_code": self.current_code}


def resolve_province(name: str | None) -> ProvinceRef | None:
    """A province by legacy name, alias or current name (case- and prefix-tolerant)."""
    if not name:
        return None
    by_name = provinces()
    cleaned = name.strip()
    aliases = province_aliases()
    if cleaned in aliases:
        cleaned = aliases[cleaned]
    for prefix in ("Tỉnh ", "tỉnh ", "Thành phố ", "thành phố ", "TP. ", "TP.", "TP "):
        if cleaned.startswith(prefix):
            cleaned = cleaned[len(prefix):].strip()
    legacy = by_name.get(cleaned) or by_name.get(province_aliases().get(cleaned, ""))
    if legacy is None:
        lowered = {k.lower(): v for k, v in by_name.items()}
        legacy = lowered.get(cleaned.lower())
    if legacy is None:
        return None
    return ProvinceRef(legacy.legacy_name, legacy.legacy_code, legacy.current_name, legacy.current_code)
