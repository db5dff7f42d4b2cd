"""What an operator sees: a run over 60 articles with 3 bad ones, on a pipe and in a pseudo-terminal;
``vnfacts failures``; usage errors; one fact with several mentions and the observations view."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from store import db

ROOT = Path(__file__).resolve().parents[2]
PROVINCES = ["Hà Giang", "Cao Bằng", "Lào Cai", "Yên Bái", "Sơn La", "Điện Biên", "Lai Châu", "Hòa Bình",
             "Thái Nguyên", "Bắc Kạn", "Lạng Sơn", "Quảng Ninh", "Nam Định", "Ninh Bình", "Thanh Hóa",
             "Nghệ An", "Hà Tĩnh", "Quảng Bình", "Quảng Trị"]
TOPICS = [("thẻ căn cước", "cấp"), ("tài khoản định danh điện tử", "kích hoạt"), ("hồ sơ trực tuyến", "tiếp nhận")]


def vnfacts(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cli", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600, env={**os.environ, "PYTHONPATH": str(ROOT)})


def _corpus(folder: Path, good: int = 57) -> None:
    folder.mkdir()
    for i in range(good):
        province = PROVINCES[i % len(PROVINCES)]
        thing, verb = TOPICS[i % len(TOPICS)]
        n = 1000 + 37 * i
        (folder / f"a{i:02d}.txt").write_text(
            f"{province} {verb} {n} {thing} trong quý {i % 4 + 1}\n"
            f"Sáng {i % 27 + 1}.{i % 12 + 1}, UBND tỉnh {province} họp sơ kết công tác số {i}.\n"
            f"Theo báo cáo của Công an tỉnh {province}, trong quý {i % 4 + 1} năm 2024 toàn tỉnh đã {verb} {n} {thing}, "
            f"đạt {50 + i % 45}% kế hoạch; {i + 3} xã hoàn thành chỉ tiêu trước thời hạn.\n", encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x00\xff" * 64)
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "english.txt").write_text(
        "The provincial police said that 1,200 identity cards were issued in March and the number of electronic "
        "accounts rose by 15 percent compared with the same period last year, while 40 officers took part in the "
        "campaign across the districts of the province this week. Officials expect another 3,000 applications "
        "before the end of the quarter, and 12 new service points will open in rural communes.", encoding="utf-8")


@pytest.fixture(scope="module")
def sixty(tmp_path_factory):
    base = tmp_path_factory.mktemp("sixty")
    _corpus(base / "articles")
    (base / "sources.yaml").write_text("sources:\n  - {key: sixty, kind: files, path: articles}\n", encoding="utf-8")
    return base


def test_a_run_over_60_articles_with_3_bad_ones_names_them_and_exits_3(sixty):
    url = f"sqlite:///{sixty / 'run.db'}"
    ran = vnfacts("run", "--sources", str(sixty / "sources.yaml"), "--db", url, "--no-prefect")
    assert ran.returncode == 3, ran.stderr
    with db.session(url) as s:
        reasons = dict(s.execute(text("SELECT article_key, error FROM articles WHERE status <> 'ok'")).all())
        stored = s.execute(text("SELECT COUNT(*) FROM articles")).scalar()
    assert set(reasons) == {"binary", "empty", "english"} and stored == 60
    listed = [line.strip() for line in ran.stderr.splitlines() if line.startswith("  sixty/")]
    assert sorted(listed) == sorted(f"sixty/{key}: quarantined: {reason}" for key, reason in reasons.items())
    assert "3 articles failed or were quarantined" in ran.stderr
    # off a terminal: plain log lines, no bar; the summary is one row per source
    assert "sixty: 60 articles to process" in ran.stderr and "sixty: 60/60 articles" in ran.stderr
    assert "━" not in ran.stderr
    row = next(line for line in ran.stdout.splitlines() if "sixty" in line)
    assert [cell.strip() for cell in row.strip("│ ").split("│")][:6] == ["sixty", "57", "0", "0", "0", "3"]

    again = vnfacts("run", "--sources", str(sixty / "sources.yaml"), "--db", url, "--no-prefect")
    assert again.returncode == 3
    # only this run's articles are listed (the 57 ok ones are unchanged, the 3 retried and listed again)
    assert len([line for line in again.stderr.splitlines() if line.startswith("  sixty/")]) == 3

    failures = vnfacts("failures", "--db", url, "--format", "jsonl")
    assert failures.returncode == 0, failures.stderr
    rows = [json.loads(line) for line in failures.stdout.splitlines()]
    assert {(r["source"], r["article"], r["status"], r["error"]) for r in rows} == \
        {("sixty", key, "quarantined", reason) for key, reason in reasons.items()}
    assert all(r["attempts"] == 2 for r in rows)
    table = vnfacts("failures", "--db", url, "--source", "sixty")
    assert "binary content" in table.stdout and "3 failed or quarantined articles" in table.stdout
    assert "0 failed" in vnfacts("failures", "--db", url, "--source", "other").stdout


def test_progress_in_a_pseudo_terminal_is_a_bar(sixty, tmp_path):
    import fcntl
    import pty
    import select
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 140, 0, 0))
    proc = subprocess.Popen([sys.executable, "-m", "cli.main", "run", "--sources", str(sixty / "sources.yaml"),
                             "--db", f"sqlite:///{tmp_path / 'tty.db'}", "--no-prefect"], cwd=ROOT,
                            stdin=slave, stdout=slave, stderr=slave, close_fds=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT), "TERM": "xterm-256color", "COLUMNS": "140"})
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 600)
        if not ready:
            break
        try:
            data = os.read(master, 65536)
        except OSError:        # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    code = proc.wait(timeout=60)
    os.close(master)
    shown = b"".join(chunks).decode("utf-8", "replace")
    assert code == 3
    assert "━" in shown                                    # rich's bar
    assert "60/60" in shown and "articles/s" in shown and "facts" in shown
    assert "articles to process" not in shown               # the plain log lines are for pipes
    assert "sixty/binary: quarantined: binary content, not text" in shown


@pytest.mark.parametrize("args, message", [
    (("run", "--sources", "no/such/sources.yaml"), "sources file not found"),
    (("run", "--dask", "banana"), "--dask must be local:N or tcp://HOST:PORT"),
    (("run", "--dask", "local:0"), "--dask must be"),
    (("export", "--out", "x.parquet", "--format", "xlsx"), "format must be one of"),
    (("export", "--out", "x.xlsx"), "cannot tell the format"),
    (("facts", "--format", "xml"), "unknown format"),
    (("facts", "--kind", "banana"), "kind must be one of"),
    (("facts", "--province", "Atlantis"), "unknown province"),
    (("failures", "--format", "xml"), "unknown format"),
])
def test_usage_errors_exit_2_with_one_line(args, message):
    result = vnfacts(*args)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert message in result.stderr and "Traceback" not in result.stderr


def test_version_and_no_empty_database_outside_the_checkout(tmp_path):
    version = vnfacts("--version", cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("vnfacts ")
    for command in (("facts",), ("failures",), ("concepts",), ("export", "--out", "x.csv"), ("sources", "list")):
        result = vnfacts(*command, cwd=tmp_path)
        assert "Traceback" not in result.stderr
        assert not (tmp_path / "vnfacts.db").exists(), command
    assert "no such file here" in vnfacts("facts", cwd=tmp_path).stderr


def test_a_prefect_warning_is_printed_above_the_bars_not_into_them():
    """Prefect's console handler, writing to the same terminal as the bars, goes through the bars'
    console while they are drawn: rich clears the live bars, prints the line, draws them again below."""
    import io
    import logging

    from prefect.logging.handlers import PrefectConsoleHandler
    from rich.console import Console

    from cli.progress import BarReporter
    from store.write import Written

    terminal = io.StringIO()
    handler = PrefectConsoleHandler(stream=terminal)          # Prefect's own handler, on the same terminal
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("prefect.vnfacts-test")
    logger.addHandler(handler)
    own = handler.console
    try:
        reporter = BarReporter(Console(file=terminal, force_terminal=True, width=120))
        reporter.source_started("seeds", 10)
        reporter.stored("seeds", [Written("a", "ok", facts=2)])
        logger.warning("a Prefect warning")
        reporter.stored("seeds", [Written("b", "ok", facts=1)])
        reporter.close()
    finally:
        logger.removeHandler(handler)
    shown = terminal.getvalue()
    before, after = shown.split("WARNING a Prefect warning", 1)
    assert before.endswith("\x1b[2K")                 # the bars were erased first (rich's position_cursor) …
    assert "seeds" in after and "2/10" in after        # … and drawn again under the line
    assert handler.console is own                      # Prefect's handler has its console back after the run
