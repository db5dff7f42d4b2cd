"""The ``vnfacts`` entry point (cli/launch.py): the supervising parent of ``vnfacts run`` imports
nothing heavy, and the child reports to the one temporary Prefect server it started first.

The real command in subprocesses (``python -m cli``, what the ``vnfacts`` script runs), a real
temporary Prefect server, real SQLite."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEED = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))[0]

pytestmark = pytest.mark.slow


def _one_article(tmp_path: Path) -> Path:
    folder = tmp_path / "one"
    folder.mkdir()
    (folder / SEED.name).write_bytes(SEED.read_bytes())
    sources = tmp_path / "sources.yaml"
    sources.write_text(f"sources:\n  - {{key: one, kind: files, path: '{folder}'}}\n", encoding="utf-8")
    return sources


def _imported(importtime_log: str) -> set[str]:
    """The modules named by ``python -X importtime`` lines."""
    return {line.rsplit("|", 1)[1].strip() for line in importtime_log.splitlines() if line.startswith("import time:")} \
        - {"package"}


def test_the_parent_of_a_run_imports_nothing_heavy_before_handing_over(tmp_path):
    """``-X importtime`` is the parent's own flag (the child is started without it), so every import
    line on stderr is the parent's: the run's modules, typer, rich, SQLAlchemy and Prefect are not
    among them — the child imports them, once."""
    sources = _one_article(tmp_path)
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "cli", "run", "--sources", str(sources),
                             "--db", f"sqlite:///{tmp_path / 'p.db'}"], cwd=ROOT, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "one" in result.stdout                        # the child ran and printed the summary
    parent = _imported(result.stderr)
    assert {"cli.launch", "run.lifetime"} <= parent
    heavy = {m for m in parent if m.split(".")[0] in {"typer", "rich", "click", "sqlalchemy", "prefect", "pydantic",
                                                       "spacy", "underthesea", "regex", "yaml"}
             or m in {"cli.main", "cli.progress", "run.ingest", "run.runner", "pipeline.process"}}
    assert heavy == set(), sorted(heavy)


def _descendants(pid: int) -> set[int]:
    found, todo = set(), [pid]
    while todo:
        path = Path(f"/proc/{todo[0]}/task/{todo[0]}/children")
        todo = todo[1:]
        try:
            kids = {int(c) for c in path.read_text().split()}
        except OSError:
            continue
        found |= kids
        todo += list(kids)
    return found


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def test_a_run_reports_to_the_one_server_its_launcher_started(tmp_path):
    """The child starts Prefect's temporary server before anything else and hands it to the run
    command: one server for the whole run (a second would mean the run started its own), and the
    run ends with it."""
    sources = _one_article(tmp_path)
    proc = subprocess.Popen([sys.executable, "-m", "cli", "run", "--sources", str(sources), "--db",
                             f"sqlite:///{tmp_path / 's.db'}"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    servers: set[int] = set()
    while proc.poll() is None:
        servers |= {p for p in _descendants(proc.pid) if "prefect.server.api.server:create_app" in _cmdline(p)}
        time.sleep(0.02)
    out, err = proc.communicate()
    assert proc.returncode == 0, err[-3000:]
    assert "Beginning flow run" not in err and "Finished in state" not in err    # Prefect's INFO lines: the API's
    assert len(servers) == 1, servers
    assert not any(Path(f"/proc/{p}").exists() and _cmdline(p) for p in servers)
