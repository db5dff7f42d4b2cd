"""Placeholder, replaced below."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class OfficialMention:
    name: str
    rank: str | None
    titles: list[str] = field(default_factory=list)
    start: int = 0
    end: int = 0


def find_officials(analysis) -> list[OfficialMention]:
    return []
