"""The repository's documents point at what is there: every relative link of every Markdown file
resolves to a file or folder of the repository, and the design note and gold conventions that code
and docs cite are the repository's own (docs/DESIGN.md, docs/GOLD.md)."""
from __future__ import annotations

import subprocess
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parents[1]
INLINE_LINK = regex.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE_LINK = regex.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", regex.MULTILINE)
CITED = regex.compile(r"(?<![\w/.-])((?:[\w.-]+/)*(?:DESIGN|GOLD)\.md)\b")


def _tracked(*patterns: str) -> list[Path]:
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", *patterns], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.splitlines()
    return [ROOT / p for p in listed if (ROOT / p).is_file()]


def relative_links(markdown: str) -> list[str]:
    """The link targets of a Markdown text that name a file of the repository (not a URL or an anchor),
    without their #fragment. Code blocks are left out: what they show is not a link."""
    prose = regex.sub(r"^(```|~~~).*?^\1", "", markdown, flags=regex.MULTILINE | regex.DOTALL)
    prose = regex.sub(r"`[^`\n]*`", "", prose)
    targets = INLINE_LINK.findall(prose) + REFERENCE_LINK.findall(prose)
    return [t.split("#", 1)[0] for t in targets
            if not regex.match(r"[a-z][a-z0-9+.-]*:|#|//", t, flags=regex.IGNORECASE) and t.split("#", 1)[0]]


def test_the_link_finder_sees_links_and_skips_urls_anchors_and_code():
    text = ("See [the note](docs/DESIGN.md#layout), ![chart](docs/x.svg \"a title\") and [web](https://x.org/a.md),\n"
            "[here](#top), `[not](a-link.md)`.\n```\n[nor](this.md)\n```\n[ref]: ../shared/GOLD.md\n")
    assert relative_links(text) == ["docs/DESIGN.md", "docs/x.svg", "../shared/GOLD.md"]


def test_every_relative_link_of_the_markdown_files_resolves_to_a_file_of_the_repository():
    documents = _tracked("*.md")
    assert ROOT / "README.md" in documents and ROOT / "docs" / "DESIGN.md" in documents
    broken = []
    for doc in documents:
        for target in relative_links(doc.read_text(encoding="utf-8")):
            resolved = (doc.parent / target).resolve()
            if not resolved.exists() or ROOT.resolve() not in (resolved, *resolved.parents):
                broken.append(f"{doc.relative_to(ROOT)}: {target}")
    assert broken == []


def test_the_design_note_and_gold_conventions_cited_are_the_repositorys_own():
    """A bare `DESIGN.md` or `GOLD.md` (the shared files, not in this repository) is not cited; the
    repository's own are docs/DESIGN.md and docs/GOLD.md."""
    cited = []
    for path in _tracked("*.md", "*.py", "*.txt", "*.csv", "*.yaml", "*.html", "*.toml", "Makefile"):
        if path.is_relative_to(ROOT / "tests"):
            continue
        for name in CITED.findall(path.read_text(encoding="utf-8", errors="replace")):
            if not (path.parent / name).is_file() and not (ROOT / name).is_file():
                cited.append(f"{path.relative_to(ROOT)}: {name}")
    assert cited == []
