"""The vnfacts command line, run as a user runs it: a real subprocess."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import regex

ROOT = Path(__file__).resolve().parents[2]
SHARED_SCORER = ROOT.parent / "shared" / "bench" / "score.py"


def vnfacts(*args: str, cwd: Path = ROOT, env: dict | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    import os

    return subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=cwd, capture_output=True,
                          text=True, input=stdin, env={**os.environ, **(env or {})}, timeout=300)


def test_extract_prints_the_jsonl_contract():
    result = vnfacts("extract", "corpus/seeds/004_55d2a3152ed71c97.txt", "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    article = records[0]
    assert article == {"type": "article", "article": "004_55d2a3152ed71c97", "published": None,
                       "title": "Sơ kết 6 tháng đầu năm thực hiện Đề án số 06",
                       "province": {"legacy": "Hà Giang", "legacy_code": "02", "current": "Tuyên Quang",
                                    "current_code": "08"}}
    official = next(r for r in records if r["type"] == "official")
    assert (official["name"], official["rank"]) == ("Phan Huy Ngọc", None)
    fact = next(r for r in records if r["type"] == "fact" and r["value"] == 75.1)
    assert {k: fact[k] for k in ("kind", "unit", "qualifier", "role", "as_of", "negated", "concept")} == {
        "kind": "percent", "unit": "%", "qualifier": "exact", "role": "actual", "as_of": "2024-06-10",
        "negated": False, "concept": "eid_accounts"}
    assert fact["indicator"] == "Tỷ lệ kích hoạt tài khoản định danh điện tử toàn tỉnh"
    text = fact["evidence"]
    assert text[fact["start"] - fact["evidence_start"]:fact["end"] - fact["evidence_start"]] == "75,1"


def test_an_unprocessable_input_is_an_error_record_and_exit_3(tmp_path):
    (tmp_path / "good.txt").write_text("Toàn tỉnh cấp 120 thẻ căn cước.", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\x00\xff" * 64)
    result = vnfacts("extract", str(tmp_path), "--format", "jsonl")
    assert result.returncode == 3
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert {"type": "error", "article": "bad", "error": "binary content, not text"} in records
    assert any(r["type"] == "fact" and r["article"] == "good" for r in records)
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args, code, message", [
    (("extract", "no/such/file.txt"), 3, None),
    (("extract", "corpus/seeds", "--format", "xml"), 2, "unknown format"),
    (("run", "--sources", "no/such/sources.yaml"), 2, "sources file not found"),
    (("nonsense",), 2, "No such command"),
    (("facts", "--db", "sqlite:////nonexistent-dir/x.db"), 1, "error:"),
    (("run", "--db", "notaurl://", "--no-prefect"), 1, "error:"),
])
def test_user_mistakes_are_one_line_never_a_traceback(args, code, message):
    result = vnfacts(*args)
    assert result.returncode == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    if message:
        assert message in result.stderr


def test_eval_prints_the_acceptance_scorers_figures():
    ours = vnfacts("eval", "--gold", "corpus/gold", "corpus/seeds", "--json")
    assert ours.returncode == 0, ours.stderr
    mine = json.loads(ours.stdout)
    assert mine["facts"]["f1"] >= 0.95
    if not SHARED_SCORER.exists():
        pytest.skip("shared scorer not beside the checkout")
    extracted = vnfacts("extract", "corpus/seeds", "--format", "jsonl").stdout
    theirs = subprocess.run([sys.executable, str(SHARED_SCORER), "--gold", "corpus/gold", "--pred", "/dev/stdin", "--json"],
                            input=extracted, capture_output=True, text=True, cwd=ROOT, check=True)
    assert mine == json.loads(theirs.stdout)


def test_every_command_is_documented_with_an_example():
    from cli.main import app

    def commands(typer_app):
        for info in typer_app.registered_commands:
            yield info.callback
        for group in typer_app.registered_groups:
            yield from commands(group.typer_instance)

    callbacks = list(commands(app))
    assert len(callbacks) >= 5
    for callback in callbacks:
        assert callback.__doc__ and "Example: vnfacts" in callback.__doc__, callback.__name__


def test_officials_and_concepts_commands_read_the_store(tmp_path):
    url = f"sqlite:///{tmp_path / 'f.db'}"
    assert vnfacts("run", "--db", url, "--no-prefect").returncode == 0
    listed = vnfacts("officials", "--db", url, "--province", "Cần Thơ", "--format", "jsonl")
    people = [json.loads(line) for line in listed.stdout.splitlines()]
    assert {p["name"] for p in people} == {"Đồng Văn Thanh", "Huỳnh Việt Hòa", "Phan Văn Giữ"}
    assert all(p["province"] == "Hậu Giang" and p["articles"] == 1 for p in people)
    concepts = vnfacts("concepts", "--db", url)
    assert concepts.returncode == 0
    assert "eid_accounts" in concepts.stdout and "Most frequent phrases left as 'other'" in concepts.stdout
    empty = vnfacts("officials", "--db", f"sqlite:///{tmp_path / 'new.db'}")
    assert empty.returncode == 1 and "vnfacts db upgrade" in empty.stderr


def test_bench_times_the_run_itself_with_its_fixed_cost_apart_stages_and_memory():
    result = vnfacts("bench", "corpus/seeds", "--no-references", "--no-prefect")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    run = report["run"]
    assert report["articles"] == 5 and run["command"] == "vnfacts run --workers 1 --no-prefect"
    assert run["stored"]["articles"] == {"ok": 5} and run["stored"]["facts"] >= 85      # what the run stored
    assert run["fixed_seconds"] > 0 and run["seconds"] > 0 and run["per_article_ms"] >= 0    # (values: the bench's job)
    assert set(report["stages"]["stage_share"]) >= {"clean", "quantities", "semantics", "concepts", "store"}
    assert abs(sum(report["stages"]["stage_share"].values()) - 1) < 0.01
    memory = report["peak_memory_mb"]
    assert memory["all_processes"] > 50 and memory["largest_process"] > 50      # the models alone take more
    cpu = report["cpu_seconds"]               # by role: the run and, beside another core, its fork server and worker
    assert cpu["run"] > 0 and cpu["total"] >= cpu["run"] and cpu["cores_busy"] > 0


def test_bench_compares_layouts_and_times_extract_in_the_same_invocation():
    result = vnfacts("bench", "corpus/seeds", "--no-references", "--no-prefect", "--no-stages", "--compare", "2",
                     "--extract")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    [other] = report["compare"]
    assert other["command"] == "vnfacts run --workers 2 --no-prefect"
    assert other["stored"] == report["run"]["stored"]                 # the same articles, the same facts
    assert other["seconds"] > 0 and report["extract"]["seconds"] > 0
    if (os.cpu_count() or 1) > 1:                                      # extract timed on every core too
        assert report["extract_parallel"]["workers"] == os.cpu_count() and report["extract_parallel"]["seconds"] > 0
    bad = vnfacts("bench", "corpus/seeds", "--compare", "two")
    assert bad.returncode == 2 and "--compare" in bad.stderr


def test_every_command_is_in_the_readme_command_table():
    from cli.main import app

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("| command | what it does |"):readme.index("Every command's `--help`")]
    for info in app.registered_commands:
        name = info.name or info.callback.__name__.rstrip("_")
        assert f"`vnfacts {name}" in table, name
    for group in app.registered_groups:
        for info in group.typer_instance.registered_commands:
            name = info.name or info.callback.__name__
            row = next((line for line in table.splitlines() if f"`vnfacts {group.name} " in line), "")
            assert name in row, f"{group.name} {name}"


ENGLISH = ("The provincial police said that 1,200 identity cards were issued in March and the number of "
           "electronic accounts rose by 15 percent compared with the same period last year, while 40 "
           "officers took part in the campaign across the districts of the province this week. Officials "
           "expect another 3,000 applications before the end of the quarter, and 12 new service points "
           "will open in rural communes where residents have complained about long queues and travel.")


def test_sources_preview_shows_what_the_cleaner_left_of_a_refused_article(tmp_path):
    """A quarantined article is previewed with its cleaned text and the language guess that refused it."""
    import shutil

    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(ROOT / "corpus" / "seeds" / "000_347ef5340c29b66c.txt", folder)
    (folder / "english.txt").write_text(ENGLISH, encoding="utf-8")
    (folder / "zz_binary.txt").write_bytes(b"\x00\x01\x02\xff" * 200)
    sources = tmp_path / "sources.yaml"
    sources.write_text(f"sources:\n  - key: mixed\n    kind: files\n    path: {folder}\n", encoding="utf-8")
    shown = vnfacts("sources", "preview", "mixed", "--sources", str(sources), "--limit", "3")
    assert shown.returncode == 0, shown.stderr
    blocks = {b.split(":", 1)[0].strip(): b for b in shown.stdout.split("\n== ")[1:]}
    assert set(blocks) == {"000_347ef5340c29b66c", "english", "zz_binary"}
    english = blocks["english"].splitlines()
    assert english[0].startswith("english: quarantined — not Vietnamese text")
    assert regex.fullmatch(r"language: other \(\d+% Vietnamese syllables\)", english[1])
    assert english[2] == f"  | {ENGLISH[:160]}"
    assert regex.fullmatch(r"language: vi \(\d+% Vietnamese syllables\)", blocks["000_347ef5340c29b66c"].splitlines()[1])
    assert blocks["zz_binary"].splitlines()[1:] == ["no cleaned text: refused before cleaning"]
    as_json = json.loads(vnfacts("sources", "preview", "mixed", "--sources", str(sources), "--format", "json").stdout)
    refused = next(i for i in as_json if i["key"] == "english")
    assert refused["language"] == "other" and refused["vietnamese_share"] < 0.5 and refused["first_lines"] == [ENGLISH]


def test_extract_and_run_agree_on_status_and_facts(tmp_path):
    """One door: the English article is refused by both, the Vietnamese ones yield the same facts."""
    import shutil

    folder = tmp_path / "articles"
    folder.mkdir()
    for name in ("000_347ef5340c29b66c", "003_8ce00a1f2a2d9f91"):
        shutil.copy(ROOT / "corpus" / "seeds" / f"{name}.txt", folder)
    (folder / "english.txt").write_text(ENGLISH, encoding="utf-8")
    sources = tmp_path / "sources.yaml"
    sources.write_text(f"sources:\n  - key: mixed\n    kind: files\n    path: {folder}\n", encoding="utf-8")
    extracted = vnfacts("extract", str(folder), "--format", "jsonl")
    assert extracted.returncode == 3
    records = [json.loads(line) for line in extracted.stdout.splitlines()]
    errors = {r["article"]: r["error"] for r in records if r["type"] == "error"}
    assert set(errors) == {"english"} and "not Vietnamese" in errors["english"]

    url = f"sqlite:///{tmp_path / 'run.db'}"
    ran = vnfacts("run", "--sources", str(sources), "--db", url, "--no-prefect")
    assert ran.returncode == 3
    from store import db
    from sqlalchemy import text

    with db.session(url) as s:
        statuses = dict(s.execute(text("SELECT article_key, status FROM articles")).all())
        stored = sorted(s.execute(text("SELECT article, kind, value, value_start, role, concept FROM facts_current")).all())
        reason = s.execute(text("SELECT error FROM articles WHERE article_key = 'english'")).scalar_one()
        kept = dict(((k, (t, lang, share)) for k, t, lang, share in
                     s.execute(text("SELECT article_key, cleaned_text, language, vietnamese_share FROM articles"))))
    assert statuses == {"000_347ef5340c29b66c": "ok", "003_8ce00a1f2a2d9f91": "ok", "english": "quarantined"}
    assert reason == errors["english"]
    # The quarantined article keeps what the cleaner left and the guess the language check refused it by.
    assert kept["english"][0] == ENGLISH and kept["english"][1] == "other" and kept["english"][2] < 0.5
    assert f"({kept['english'][2]:.0%} of words" in reason
    assert {kept[k][1] for k in kept if k != "english"} == {"vi"} and all(kept[k][2] > 0.8 for k in kept if k != "english")
    printed = sorted((r["article"], r["kind"], float(r["value"]) if r["kind"] != "ratio" else None, r["start"], r["role"],
                      r["concept"]) for r in records if r["type"] == "fact")
    assert [(a, k, float(v) if k != "ratio" else None, st, ro, c) for a, k, v, st, ro, c in stored] == printed
    assert len(printed) > 20


def test_bench_sizes_reports_seconds_per_100_kb_for_each_kind():
    result = vnfacts("bench", "corpus/seeds", "--sizes", "5,10")
    assert result.returncode == 0, result.stderr
    table = json.loads(result.stdout)["seconds_per_100_kb"]
    assert set(table) == {"news", "numbers", "unpunctuated"}
    assert all(set(row) == {"5 KB", "10 KB"} and all(v > 0 for v in row.values()) for row in table.values())
    assert vnfacts("bench", "corpus/seeds", "--sizes", "big").returncode == 2


@pytest.mark.slow
def test_extract_over_hostile_files_accounts_for_every_file(tmp_path):
    """A 600 KB run of numbers, a 13 MB text and damaged files: every file gets its article or error
    record, the slow one ends as 'time limit exceeded', and the command goes on to exit 3."""
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "numbers.txt").write_text("123.456.789% " * (600_000 // 13), encoding="utf-8")
    news = (ROOT / "corpus" / "seeds" / "000_347ef5340c29b66c.txt").read_text(encoding="utf-8")
    (folder / "huge.txt").write_text((news + "\n") * (13_000_000 // (len(news.encode()) + 1)), encoding="utf-8")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 400)
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "utf16.txt").write_bytes("Toàn tỉnh cấp 1.200 thẻ căn cước.".encode("utf-16")[:-1])
    (folder / "good.txt").write_text("Toàn tỉnh cấp 1.200 thẻ căn cước công dân trong năm 2024.", encoding="utf-8")
    result = vnfacts("extract", str(folder), "--format", "jsonl",
                     env={"VNFACTS_ARTICLE_TIME_LIMIT_S": "20"})
    assert result.returncode == 3, result.stderr[-2000:]
    records = [json.loads(line) for line in result.stdout.splitlines()]
    seen = {r["article"]: r for r in records if r["type"] in ("article", "error")}
    assert set(seen) == {"numbers", "huge", "binary", "empty", "utf16", "good"}
    assert seen["good"]["type"] == "article" and seen["binary"]["type"] == "error"
    assert seen["huge"]["type"] == "error" and "time limit" in seen["huge"]["error"]


def test_extract_on_two_workers_prints_what_one_process_prints(tmp_path):
    """``--workers 2`` spreads the files over two processes of the run's pool: the same records in
    the same order (the files' order), a bad file still its error record, the same exit status."""
    folder = tmp_path / "mixed"
    folder.mkdir()
    for seed in sorted((ROOT / "corpus" / "seeds").glob("*.txt")):
        (folder / seed.name).write_bytes(seed.read_bytes())
    (folder / "0_binary.txt").write_bytes(bytes(range(256)) * 400)
    (folder / "zz_short.txt").write_text("Toàn tỉnh cấp 1.200 thẻ căn cước công dân trong năm 2024.", encoding="utf-8")
    one = vnfacts("extract", str(folder), "--format", "jsonl")
    two = vnfacts("extract", str(folder), "--format", "jsonl", "--workers", "2")
    assert one.returncode == two.returncode == 3, two.stderr[-2000:]
    assert two.stdout == one.stdout
    heads = [json.loads(line) for line in two.stdout.splitlines()]
    heads = {r["article"]: r["type"] for r in heads if r["type"] in ("article", "error")}
    assert len(heads) == 7 and list(heads)[-1] == "zz_short" and heads["0_binary"] == "error"
    assert vnfacts("extract", str(folder), "--workers", "0").returncode == 2
