"""Accuracy guards: the scorer's figures on the bundled gold, and on the shared dev set when present.

The thresholds are the acceptance figures of the issues; a change that drops below them fails here.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from vnfacts.pipeline.evaluate import load_gold, score
from vnfacts.pipeline.extract import extract_article
from vnfacts.pipeline.fetch import list_files, read_file
from vnfacts.pipeline.normalise import records

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "corpus" / "dev"


def scored(texts: Path, gold: Path) -> dict:
    recs = [r for path in list_files([texts]) for r in records(extract_article(read_file(path)))]
    return score(load_gold(gold), recs)


def test_seed_corpus_meets_the_acceptance_figures():
    res = scored(ROOT / "corpus" / "seeds", ROOT / "corpus" / "gold")
    assert res["facts"]["f1"] >= 0.95 and res["facts"]["strict_f1"] >= 0.90
    assert all(v >= 0.90 for v in res["attributes"].values()), res["attributes"]
    assert res["attributes"]["qualifier"] >= 0.95 and res["attributes"]["unit"] >= 0.95
    assert res["officials"]["f1"] >= 0.95 and res["titles"]["f1"] >= 0.90 and res["rank_accuracy"] == 1.0
    assert res["province_accuracy"] == {"legacy": 1.0, "current": 1.0}


@pytest.mark.skipif(not DEV.exists(), reason="shared dev set not beside the checkout")
def test_dev_set_meets_the_acceptance_figures():
    res = scored(DEV / "texts", DEV / "gold")
    assert res["facts"]["f1"] >= 0.85 and res["facts"]["strict_f1"] >= 0.70
    assert res["officials"]["f1"] >= 0.85 and res["titles"]["f1"] >= 0.75
    assert min(res["province_accuracy"].values()) >= 0.85
