"""Gazetteer files: complete, sourced, and loud when broken."""
from pathlib import Path

import pytest

import gazetteer
from gazetteer import loaders

DATA = Path(loaders.DATA_DIR)


def test_every_data_file_names_its_source():
    for path in DATA.iterdir():
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# Source:"), path.name


def test_the_two_maps_of_provinces():
    assert len(gazetteer.provinces()) == 63
    assert len(gazetteer.provinces_current()) == 34
    assert {p.current_name for p in gazetteer.provinces().values()} == set(gazetteer.provinces_current())


def test_concept_vocabulary_has_the_gold_keys():
    keys = set(gazetteer.concepts())
    assert {"online_public_services", "eid_accounts", "id_card_issuance", "health_insurance_by_id", "other"} <= keys


def test_a_missing_file_fails_loudly(monkeypatch, tmp_path):
    monkeypatch.setattr(loaders, "DATA_DIR", tmp_path)
    loaders.lines.cache_clear()
    with pytest.raises(loaders.GazetteerError, match="missing"):
        loaders.lines("ranks.txt")
    loaders.lines.cache_clear()


def test_a_malformed_csv_fails_loudly(monkeypatch, tmp_path):
    (tmp_path / "scale_words.csv").write_text("# Source: test\nword\nnghìn\n", encoding="utf-8")
    monkeypatch.setattr(loaders, "DATA_DIR", tmp_path)
    loaders._csv.cache_clear()
    with pytest.raises(loaders.GazetteerError, match="lacks columns"):
        loaders._csv("scale_words.csv", ("word", "multiplier"))
    loaders._csv.cache_clear()


def test_a_new_indicator_synonym_needs_no_code(monkeypatch, tmp_path):
    """The data team adds a cue to concepts.yaml; the extractor picks it up."""
    import shutil

    from helpers import one_fact
    from extractors.concepts import extract as concept_extract

    for f in DATA.iterdir():
        shutil.copy(f, tmp_path / f.name)
    yaml_path = tmp_path / "concepts.yaml"
    yaml_path.write_text(yaml_path.read_text(encoding="utf-8").replace(
        "cues: [vốn đầu tư,", "cues: [trạm sạc xe điện, vốn đầu tư,"), encoding="utf-8")
    monkeypatch.setattr(loaders, "DATA_DIR", tmp_path)
    for fn in (loaders._yaml, loaders.concepts, concept_extract._cue_index):
        fn.cache_clear()
    try:
        assert one_fact("Tỉnh đã lắp đặt 120 trạm sạc xe điện.", 120)["concept"] == "investment"
    finally:
        monkeypatch.undo()
        for fn in (loaders._yaml, loaders.concepts, concept_extract._cue_index):
            fn.cache_clear()
