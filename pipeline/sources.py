"""The source registry: ``sources.yaml`` parsed and validated into typed entries.

Every mistake names the source and the field ("sources.yaml: source 'x': field 'delay' must be a
number"). Relative paths are resolved against the sources file's folder.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import regex
import yaml

from settings import thresholds
from pipeline.errors import ConfigError

KINDS = ("files", "html_index", "rss", "sitemap")
KEY_PATTERN = regex.compile(r"[a-z0-9_-]+")
@dataclass
class CleaningRules:
    """Per-source cleaning, from ``sources.yaml`` (``clean:``) or a sidecar meta file (applied by
    :mod:`pipeline.clean`; kept here, with the registry, so that the store reads no cleaning code)."""

    replace: dict[str, str] = field(default_factory=dict)
    remove_selectors: list[str] = field(default_factory=list)


# field → (type(s), required for kinds)
FIELDS: dict[str, tuple[tuple[type, ...], tuple[str, ...]]] = {
    "key": ((str,), KINDS),
    "kind": ((str,), KINDS),
    "path": ((str,), ("files",)),
    "url": ((str,), ("html_index", "rss", "sitemap")),
    "link_selector": ((str,), ("html_index",)),
    "next_selector": ((str,), ()),
    "max_pages": ((int,), ()),
    "max_articles": ((int,), ()),
    "province": ((str, type(None)), ()),
    "include": ((list,), ()),
    "exclude": ((list,), ()),
    "delay": ((int, float), ()),
    "timeout": ((int, float), ()),
    "retry_delays": ((list,), ()),
    "enabled": ((bool,), ()),
    "language": ((str,), ()),
    "clean": ((dict,), ()),
}
CLEAN_FIELDS = {"remove_selectors": list, "replace": dict}


@dataclass
class SourceConfig:
    key: str
    kind: str
    location: str                       # absolute folder for files, URL otherwise
    province: str | None = None
    link_selector: str | None = None
    next_selector: str | None = None
    max_pages: int = 1
    max_articles: int | None = None
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    delay: float = 1.0
    timeout: float = 20.0
    retry_delays: tuple[float, ...] = thresholds.RETRY_DELAYS
    enabled: bool = True
    language: str = "vi"
    clean: CleaningRules = field(default_factory=CleaningRules)
    raw: dict = field(default_factory=dict)

    def accepts_url(self, url: str) -> bool:
        if self.include and not any(regex.search(p, url) for p in self.include):
            return False
        return not any(regex.search(p, url) for p in self.exclude)


def load_sources(path: Path) -> list[SourceConfig]:
    """Parse and validate a sources file."""
    name = path.name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"sources file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read sources file {path}: {exc}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{name}: not valid YAML: {exc}".replace("\n", " ")) from None
    if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
        raise ConfigError(f"{name}: must hold a list under 'sources:'")
    extra = set(data) - {"sources"}
    if extra:
        raise ConfigError(f"{name}: unknown top-level keys {sorted(extra)}")
    out, seen = [], set()
    for i, entry in enumerate(data["sources"], 1):
        source = parse_source(entry, path.parent, f"{name}: source #{i}")
        if source.key in seen:
            raise ConfigError(f"{name}: source {source.key!r}: duplicate key")
        seen.add(source.key)
        out.append(source)
    return out


def parse_source(entry: object, base: Path, where: str) -> SourceConfig:
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: must be a mapping of fields")
    key = entry.get("key")
    if isinstance(key, str):
        where = where.split(": source")[0] + f": source {key!r}"
    for f, value in entry.items():
        if f not in FIELDS:
            raise ConfigError(f"{where}: unknown field {f!r}")
        types, _ = FIELDS[f]
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            expected = " or ".join("null" if t is type(None) else t.__name__ for t in types)
            raise ConfigError(f"{where}: field {f!r} must be {expected}, not {type(value).__name__}")
    kind = entry.get("kind")
    if kind not in KINDS:
        raise ConfigError(f"{where}: field 'kind' must be one of {', '.join(KINDS)}")
    for f, (_, required_for) in FIELDS.items():
        if kind in required_for and f not in entry:
            raise ConfigError(f"{where}: field {f!r} is required for kind {kind!r}")
    if not KEY_PATTERN.fullmatch(key):
        raise ConfigError(f"{where}: field 'key' must match [a-z0-9_-]+")
    for f in ("include", "exclude"):
        for pattern in entry.get(f, []):
            try:
                regex.compile(pattern)
            except (regex.error, TypeError) as exc:
                raise ConfigError(f"{where}: field {f!r}: bad regular expression {pattern!r}: {exc}") from None
    clean = entry.get("clean", {})
    for f, value in clean.items():
        if f not in CLEAN_FIELDS:
            raise ConfigError(f"{where}: unknown field 'clean.{f}'")
        if not isinstance(value, CLEAN_FIELDS[f]):
            raise ConfigError(f"{where}: field 'clean.{f}' must be {CLEAN_FIELDS[f].__name__}")
    if kind == "files":
        location = str((base / entry["path"]).resolve())
    else:
        location = entry["url"]
        if not regex.match(r"https?://", location):
            raise ConfigError(f"{where}: field 'url' must be an http(s) URL")
    return SourceConfig(
        key=key, kind=kind, location=location, province=entry.get("province"),
        link_selector=entry.get("link_selector"), next_selector=entry.get("next_selector"),
        max_pages=entry.get("max_pages", 1), max_articles=entry.get("max_articles"),
        include=list(entry.get("include", [])), exclude=list(entry.get("exclude", [])),
        delay=float(entry.get("delay", 1.0)), timeout=float(entry.get("timeout", 20.0)),
        retry_delays=tuple(float(x) for x in entry.get("retry_delays", thresholds.RETRY_DELAYS)),
        enabled=entry.get("enabled", True), language=entry.get("language", "vi"),
        clean=CleaningRules(replace={str(k): str(v) for k, v in clean.get("replace", {}).items()},
                            remove_selectors=[str(s) for s in clean.get("remove_selectors", [])]),
        raw=dict(entry),
    )
