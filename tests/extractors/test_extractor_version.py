"""EXTRACTOR_VERSION follows what defines extraction: a changed extractor, gazetteer file or model is a
new version (so an upgraded store re-extracts); caches and bytecode are not."""
from __future__ import annotations

import shutil
from pathlib import Path

import extractors
from extractors import DEFINING, fingerprint

ROOT = Path(__file__).resolve().parents[2]


def _copy(tmp_path: Path) -> Path:
    for folder in DEFINING:
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def test_the_version_is_the_digest_of_the_defining_files():
    assert extractors.EXTRACTOR_VERSION == extractors.extractor_version()
    assert len(extractors.EXTRACTOR_VERSION) == 16 and len(extractors.EXTRACTOR_VERSION) <= 40   # facts.extractor_version
    assert fingerprint(ROOT) == fingerprint(ROOT)


def test_a_changed_gazetteer_file_changes_the_version(tmp_path):
    copy = _copy(tmp_path)
    before = fingerprint(copy)
    assert before == fingerprint(ROOT)                     # the same files give the same version anywhere
    titles = copy / "gazetteer" / "data" / "titles.txt"
    titles.write_text(titles.read_text(encoding="utf-8") + "Phó Trưởng ban Thường trực\n", encoding="utf-8")
    assert fingerprint(copy) != before


def test_changed_extractor_code_or_a_new_model_changes_the_version(tmp_path):
    copy = _copy(tmp_path)
    before = fingerprint(copy)
    patterns = next((copy / "extractors").rglob("patterns.py"))
    patterns.write_text(patterns.read_text(encoding="utf-8") + "\n# a new alternative\n", encoding="utf-8")
    after_code = fingerprint(copy)
    assert after_code != before
    (copy / "models" / "concepts.bin").write_bytes(b"\x00weights")
    assert fingerprint(copy) != after_code
    assert fingerprint(copy, library="underthesea 6.8.4") != fingerprint(copy, library="underthesea 6.9.0")


def test_caches_and_bytecode_do_not_change_the_version(tmp_path):
    copy = _copy(tmp_path)
    before = fingerprint(copy)
    cache = copy / "extractors" / "__pycache__"
    cache.mkdir(exist_ok=True)
    (cache / "x.cpython-311.pyc").write_bytes(b"bytecode")
    assert fingerprint(copy) == before
