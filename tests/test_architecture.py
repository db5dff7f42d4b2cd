"""The layout's promises: the design card's folders at the root, dependencies pointing one way
(import-linter's contracts in pyproject.toml), and one door for an article."""
from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("cli", "web", "reports", "run", "store", "pipeline", "extractors", "gazetteer", "settings")
LINT = Path(sys.executable).with_name("lint-imports")


def lint(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([str(LINT), "--no-cache", "--no-logo", "--config", str(root / "pyproject.toml")],
                          cwd=root, env=env, capture_output=True, text=True, timeout=300)


def test_the_design_cards_entries_are_at_the_root():
    for name in ("pyproject.toml", "pipeline", "extractors", "gazetteer", "corpus", "models", "tests", "flows.py",
                 "README.md", "store", "run"):
        assert (ROOT / name).exists(), name


def test_the_import_contracts_hold():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize("module, back_import", [
    ("extractors/quantities/numbers.py", "import pipeline.ingest"),      # an extractor reaching up to a stage
    ("store/read.py", "import extractors.places"),                      # the store reading an extractor
    ("pipeline/fetch_web.py", "from run import ingest"),                # a stage reaching up to the run that drives it
    ("store/write.py", "import run.ingest"),                            # the store reaching up to the run
    ("run/runner.py", "import flows"),                                  # the run machinery reaching up to the flow
    ("web/api.py", "import flows"),                                     # the web app starting runs
    ("pipeline/process.py", "import store.write"),                      # a stage writing to the store
    ("pipeline/result.py", "import extractors.places"),                 # the store reaching an extractor through a stage
    ("pipeline/sources.py", "import pipeline.clean"),                   # … through the registry (clean reads extractors)
    ("reports/bench.py", "from run import lifetime"),                   # the command's process group used elsewhere
    ("pipeline/clean.py", "from pipeline import process"),              # a stage importing the door
])
def test_a_planted_back_import_breaks_a_contract(tmp_path, module, back_import):
    copy = tmp_path / "tree"
    copy.mkdir()
    for name in (*PACKAGES, "pyproject.toml"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, copy / name, ignore=shutil.ignore_patterns("__pycache__", "data", "static", "templates"))
        else:
            shutil.copy(src, copy / name)
    target = copy / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{back_import}\n", encoding="utf-8")
    result = lint(copy)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout and "0 broken" not in result.stdout


def test_flows_imports_only_what_is_below_it():
    """flows.py is a module, not a package, so import-linter sees only the imports into it (the
    layers contract); what it imports itself is checked here: the run and what is below the run."""
    tree = ast.parse((ROOT / "flows.py").read_text(encoding="utf-8"))
    ours = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            ours.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            ours.update(a.name.split(".")[0] for a in node.names)
    assert not ours & {"cli", "web", "reports"}, ours
    assert "run" in ours, ours


def test_every_path_goes_through_the_one_door():
    """Nothing but the door composes the stages: extract_article and normalise are called only there."""
    callers = []
    for path in ROOT.glob("*/**/*.py"):
        if path.parts[len(ROOT.parts)] not in (*PACKAGES,) or path.name == "process.py":
            continue
        source = path.read_text(encoding="utf-8")
        if "extract_article(" in source.replace("def extract_article(", "") or "normalise(mentions" in source:
            callers.append(str(path.relative_to(ROOT)))
    assert callers == [], callers


def test_the_tests_are_grouped_as_the_code_is():
    """A folder of tests per top-level package; only the repository-wide tests (the layout's own,
    the documents' links), the shared fixtures and the shared test data (tests/data) at the root."""
    tests = ROOT / "tests"
    folders = {p.name for p in tests.iterdir() if p.is_dir() and not p.name.startswith((".", "__"))}
    assert folders and folders <= {*PACKAGES, "data"}, folders - {*PACKAGES, "data"}
    assert sorted(p.name for p in tests.glob("test_*.py")) == ["test_architecture.py", "test_docs.py"]
