"""The ``vnfacts`` command line. Each command parses its arguments and calls one library function.

Exit status: 0 when everything was processed, 3 when some inputs were reported as errors,
2 for a usage error, 1 when the command itself could not run (one line on stderr, no traceback).
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from pipeline.errors import ArticleError, ConfigError, VnfactsError
from settings import prefect_local_api, settings, thresholds

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="Structured indicator facts from Vietnamese news reports.")
db_app = typer.Typer(no_args_is_help=True, help="Manage the fact store.")
app.add_typer(db_app, name="db")
sources_app = typer.Typer(no_args_is_help=True, help="List, check and preview article sources (sources.yaml).")
app.add_typer(sources_app, name="sources")
users_app = typer.Typer(no_args_is_help=True, help="Reviewer and admin accounts of the web app.")
app.add_typer(users_app, name="users")
tokens_app = typer.Typer(no_args_is_help=True, help="API tokens for machine clients.")
app.add_typer(tokens_app, name="tokens")
gold_app = typer.Typer(no_args_is_help=True, help="Reviewed articles as gold annotations.")
app.add_typer(gold_app, name="gold")
# Outside a terminal (make run into a log, CI) rich would assume 80 columns and squeeze the tables.
out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True, soft_wrap=True, width=None if sys.stderr.isatty() else 160)

EXIT_PARTIAL = 3
DEFAULT_SOURCES = Path("corpus/sources.yaml")


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        import extractors

        try:
            number = version("vnfacts")
        except PackageNotFoundError:
            number = "unknown (not installed)"
        out.print(f"vnfacts {number} (extractors {extractors.EXTRACTOR_VERSION})", markup=False, highlight=False)
        raise typer.Exit(0)


@app.callback()
def _main(show_version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                            help="Print the version and exit.")):
    """Structured indicator facts from Vietnamese news reports."""


def _fail(message: str, code: int = 1) -> None:
    err.print(f"error: {message}", markup=False, highlight=False)
    raise typer.Exit(code)


@app.command()
def extract(paths: list[Path] = typer.Argument(..., help="Article files (.txt, .html) or folders of them."),
            format: str = typer.Option("jsonl", "--format", "-f", help="jsonl or table."),
            province: Optional[str] = typer.Option(None, help="Province hint for texts that do not name theirs."),
            workers: int = typer.Option(1, "--workers", help="Processes that extract in parallel (output keeps the files' order).")):
    """Extract facts and officials from article files, without a database.

    Example: vnfacts extract corpus/seeds --format jsonl --workers 2 > out.jsonl
    """
    from pipeline.fetch import list_files

    if format not in ("jsonl", "table"):
        _fail(f"unknown format {format!r} (jsonl or table)", 2)
    if workers < 1:
        _fail("--workers must be at least 1", 2)
    files = list_files(paths)
    if not files:
        _fail("no article files in the given paths", 2)
    if workers > 1:
        from run import lifetime

        if not lifetime.supervised():        # the worker processes end with the command, even on SIGKILL
            raise typer.Exit(lifetime.run_in_own_group([sys.executable, "-m", "cli.main", *sys.argv[1:]]))
        lifetime.watch_parent()
    failures = 0
    for recs in _extracted(files, province, workers):
        failures += recs[0]["type"] == "error"
        if format == "jsonl":
            for r in recs:
                sys.stdout.write(json.dumps(r, ensure_ascii=False) + "\n")
        else:
            _print_records_table(recs)
    sys.stdout.flush()
    if failures:
        raise typer.Exit(EXIT_PARTIAL)


EXTRACT_BATCH = 8          # files a worker of `extract --workers N` is given at once: small, so the last
                           # batches of a folder keep every worker busy; large beside the ~1 ms a batch costs to hand over


def _extracted(files: list[Path], province: str | None, workers: int):
    """Each file's records, in the files' order: in this process, or in ``workers`` processes of
    the run's process pool (models loaded once in its fork server), a few batches ahead."""
    from pipeline.fetch import file_key
    from pipeline.process import process_file, process_files

    if workers == 1:
        for path in files:
            yield process_file(path, province)
        return
    from run.runner import ProcessPool, run_batches

    pool = ProcessPool(workers)
    try:
        batches = [files[i:i + EXTRACT_BATCH] for i in range(0, len(files), EXTRACT_BATCH)]
        for batch, result in run_batches(pool, process_files, batches, lambda batch: (province,)):
            if isinstance(result, Exception):          # a worker died: its files are reported, the rest go on
                for path in batch:
                    yield [{"type": "error", "article": file_key(path), "error": f"worker failed: {result}"}]
                continue
            yield from result
    finally:
        pool.close()


def _print_records_table(recs: list[dict]) -> None:
    head = recs[0]
    if head["type"] == "error":
        err.print(f"{head['article']}: {head['error']}", markup=False)
        return
    prov = (head.get("province") or {}).get("legacy") or "—"
    out.print(f"[bold]{head['article']}[/bold]  province: {prov}  title: {head.get('title') or '—'}")
    for o in (r for r in recs if r["type"] == "official"):
        out.print(f"  official: {o['name']}" + (f" ({o['rank']})" if o["rank"] else "") + " — " + "; ".join(o["titles"]),
                  markup=False)
    table = Table("kind", "value", "unit", "qualifier", "role", "period", "as_of", "concept", "indicator")
    for f in (r for r in recs if r["type"] == "fact"):
        table.add_row(f["kind"], str(f["value"]), f["unit"] or "", f["qualifier"],
                      f["role"] + (f" {f['direction']}" if f["direction"] else ""), f["period"] or "",
                      f["as_of"] or "", f["concept"], (f["indicator"] or "")[:50])
    out.print(table)


@app.command()
def run(ctx: typer.Context,
        sources: Path = typer.Option(DEFAULT_SOURCES, "--sources", help="The sources file."),
        db_url: Optional[str] = typer.Option(None, "--db", help="Database URL (default: VNFACTS_DATABASE_URL or sqlite:///vnfacts.db)."),
        prefect: bool = typer.Option(True, "--prefect/--no-prefect", help="Run as a Prefect flow (default) or without Prefect."),
        workers: int = typer.Option(1, "--workers", help="Processes that extract in parallel (this process is the one writer)."),
        dask: Optional[str] = typer.Option(None, "--dask", help="local:N for a local Dask cluster, tcp://HOST:PORT for a scheduler.")):
    """Run the ingest flow over every enabled source into the fact store: a progress bar per source
    (plain log lines when not on a terminal), then a summary per source and this run's failures.

    Example: vnfacts run --sources corpus/sources.yaml --db sqlite:///vnfacts.db --workers 2
    """
    from cli.progress import print_summary, reporter_for
    from run.progress import reporting
    from run.runner import DASK_SPEC, pooled_workers
    from pipeline.sources import load_sources

    url = settings(db_url).database_url
    if not sources.is_file():
        _fail(f"sources file not found: {sources}", 2)
    configs = load_sources(sources)            # fail early, before Prefect starts, on a bad file
    if workers < 1:
        _fail("--workers must be at least 1", 2)
    if dask and not DASK_SPEC.fullmatch(dask):
        _fail(f"--dask must be local:N or tcp://HOST:PORT, not {dask!r}", 2)
    from run import lifetime

    if lifetime.supervised():           # (cli.launch ran this command in its own process group)
        lifetime.watch_parent()
    elif prefect or pooled_workers(workers, dask) or dask:   # Prefect's server and the workers end with the run, even on SIGKILL
        raise typer.Exit(lifetime.run_in_own_group([sys.executable, "-m", "cli", *sys.argv[1:]]))
    server = flush = None
    if prefect:
        from cli.prefect_api import api_for_run, prefect_env, run_settings, start_early

        server = ctx.obj                                # started by cli.launch, before anything was imported
        if server is None:
            prefect_env()
            server = start_early(prefect_local_api())  # boots while Prefect is imported and the store migrates
    from run.ingest import HeadStart, run_sources
    from pipeline.process import warm_up
    from run.runner import EarlyStart
    from store import db

    early = EarlyStart(workers, dask)          # workers load their models while the run starts up
    head = None
    reporter = reporter_for(err)
    with reporting(reporter):
        try:
            if prefect:
                # Prefect first: its logging set up before the models' imports (underthesea calls
                # logging.basicConfig, after which the flow's INFO lines would reach the terminal).
                from flows import DATABASE_ENV, run_flow, send_pending

                from prefect.settings import temporary_settings

                flush = send_pending                       # before a temporary server stops
                db.upgrade(url)                            # an unreachable database is one line, before the flow
                executor = early.executor()
                if executor is None:                       # (worker processes load their own)
                    warm_up()
                head = HeadStart(configs, url, executor)   # articles processed while Prefect starts
                api = api_for_run(server, prefect_local_api(), thresholds.PREFECT_SERVER_START_TIMEOUT_S)
                os.environ[DATABASE_ENV] = url      # the flow is given the variable's name, never the URL
                with temporary_settings(run_settings(api, server)):
                    summary = run_flow(str(sources), DATABASE_ENV, workers, early.dask, configs, upgrade=False,
                                       head_start=head)
            else:
                summary = run_sources(configs, url, workers, early.dask, executor=early.executor())
        finally:
            reporter.close()
            if head is not None:
                head.close()
            early.close()
            if server is not None:
                if flush is not None:
                    flush()
                server.stop()
    print_summary(out, err, summary)
    for key, reason in summary.failed_sources.items():
        err.print(f"source {key} failed: {reason}", markup=False, highlight=False)
    if summary.partial:
        raise typer.Exit(EXIT_PARTIAL)


@app.command()
def failures(source: Optional[str] = typer.Option(None, "--source", help="Only this source's articles."),
             db_url: Optional[str] = typer.Option(None, "--db", help="Database URL."),
             format: str = typer.Option("table", "--format", "-f", help="table or jsonl.")):
    """List the stored articles that failed or were quarantined, with their reasons (a run retries them).

    Example: vnfacts failures --source seeds
    """
    from store import db
    from store.read import failed_articles

    _check_format(format, ("table", "jsonl"))
    url = _current_db(db_url)
    with db.session(url) as session:
        rows = failed_articles(session, source)
    if format == "jsonl":
        for r in rows:
            sys.stdout.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")
        return
    table = Table("source", "article", "status", "attempts", "updated", "reason")
    for r in rows:
        table.add_row(r["source"], r["article"], r["status"], str(r["attempts"]), str(r["updated_at"])[:19],
                      r["error"] or "")
    out.print(table)
    out.print(f"{len(rows)} failed or quarantined articles", markup=False)


def _check_format(value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        _fail(f"unknown format {value!r} ({' or '.join(allowed)})", 2)


@app.command()
def reprocess(source: Optional[str] = typer.Option(None, "--source", help="Only this source's articles."),
              sources: Optional[Path] = typer.Option(None, "--sources", help="Take cleaning rules from this sources file."),
              db_url: Optional[str] = typer.Option(None, "--db", help="Database URL.")):
    """Clean and extract again from the stored raw content of each article, without fetching.

    Example: vnfacts reprocess --source baohagiang-de-an-06 --sources corpus/sources.yaml
    """
    from run.ingest import reprocess as run_reprocess
    from pipeline.sources import load_sources

    url = _current_db(db_url)
    configs = {c.key: c for c in load_sources(sources)} if sources else None
    summary = run_reprocess(url, source, configs)
    out.print("reprocessed: " + ", ".join(f"{n} {s}" for s, n in sorted(summary.counts().items()))
              + f"; {summary.facts} facts written", markup=False)
    if summary.partial:
        raise typer.Exit(EXIT_PARTIAL)


@app.command("eval")
def eval_(paths: Optional[list[Path]] = typer.Argument(None, help="Article files or folders (default: the known gold sets)."),
          gold: Optional[Path] = typer.Option(None, "--gold", help="Folder of gold JSON files (the format of docs/GOLD.md)."),
          shared: Path = typer.Option(Path("../shared/corpus"), "--shared",
                                      help="Where the shared dev and dev06 sets live (used without PATHS)."),
          show_errors: bool = typer.Option(False, "--show-errors", help="List every miss and mismatch on stderr."),
          as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON.")):
    """Extract and score against gold, with the acceptance scorer's figures. Without PATHS, every known
    set: the bundled seeds, and the shared dev (2017 news) and dev06 (Đề án 06 reports) when present.

    Example: vnfacts eval            (or: vnfacts eval --gold corpus/gold corpus/seeds)
    """
    from reports.evaluate import evaluate_set, format_report, known_sets

    if paths and gold is None:
        _fail("--gold is needed with PATHS", 2)
    if gold is not None and not gold.is_dir():
        _fail(f"gold folder not found: {gold}", 2)
    sets = [("given", list(paths), gold)] if paths else known_sets(Path("corpus"), shared)
    results = {}
    for name, texts, gold_dir in sets:
        errors: list[str] = []
        results[name] = evaluate_set(texts, gold_dir, errors, lambda path, e: err.print(f"{path.stem}: {e}", markup=False))
        if show_errors:
            err.print("\n".join(errors), markup=False, highlight=False)
    if as_json:
        out.print(json.dumps(results["given"] if paths else results, ensure_ascii=False), markup=False, highlight=False)
        return
    for name, result in results.items():
        if not paths:
            out.print(f"-- {name}", markup=False, highlight=False)
        out.print(format_report(result), markup=False, highlight=False)


@app.command()
def facts(article: Optional[str] = typer.Option(None, "--article", help="Only this article (its file stem)."),
          kind: Optional[str] = typer.Option(None, "--kind", help="Only this kind (percent, count, …)."),
          province: Optional[str] = typer.Option(None, "--province", help="Legacy or current province (name, alias or code)."),
          concept: Optional[str] = typer.Option(None, "--concept", help="Indicator key, e.g. eid_accounts."),
          db_url: Optional[str] = typer.Option(None, "--db", help="Database URL."),
          format: str = typer.Option("table", "--format", "-f", help="table or jsonl."),
          limit: int = typer.Option(200, "--limit", help="At most this many facts.")):
    """Print stored facts from the facts_current view.

    Example: vnfacts facts --province "Tuyên Quang" --concept eid_accounts --kind percent
    """
    from store import db
    from store.query import check_filter
    from store.read import facts_current

    _check_format(format, ("table", "jsonl"))
    try:
        check_filter(kind=kind, concept=concept, province=province)
    except ConfigError as exc:
        _fail(str(exc), 2)
    url = _current_db(db_url)
    with db.session(url) as session:
        rows = facts_current(session, article, kind, limit, province=province, concept=concept)
    if format == "jsonl":
        for r in rows:
            sys.stdout.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")
        return
    table = Table("article", "province", "kind", "value", "unit", "qualifier", "role", "period", "concept", "mentions",
                  "review")
    for r in rows:
        table.add_row(r["article"], r["province_legacy_name"] or "", r["kind"],
                      f"{r['value']:g}" if r["value"] is not None else "", r["unit"] or "",
                      r["qualifier"], r["role"], r["period"] or "", r["concept"], str(r["mentions"]), r["review_status"])
    out.print(table)
    out.print(f"{len(rows)} facts", markup=False)


@app.command()
def concepts(db_url: Optional[str] = typer.Option(None, "--db", help="Database URL."),
             top: int = typer.Option(20, "--top", help="How many 'other' phrases to list.")):
    """List the indicator vocabulary with stored fact counts, and the commonest 'other' phrases.

    Example: vnfacts concepts --top 30
    """
    from store import db
    from store.read import concept_usage

    url = _current_db(db_url)
    with db.session(url) as session:
        vocab, others = concept_usage(session, top)
    table = Table("concept", "label", "facts", title="Indicator vocabulary (gazetteer/data/concepts.yaml)")
    for key, label, n in vocab:
        table.add_row(key, label, str(n))
    out.print(table)
    table = Table("indicator phrase", "facts", title="Most frequent phrases left as 'other' (candidates for new cues)")
    for phrase, n in others:
        table.add_row(phrase, str(n))
    out.print(table)


@app.command()
def officials(province: Optional[str] = typer.Option(None, "--province", help="Legacy or current province name."),
              db_url: Optional[str] = typer.Option(None, "--db", help="Database URL."),
              format: str = typer.Option("table", "--format", "-f", help="table or jsonl.")):
    """List the officials registry: each person once, with titles and article counts.

    Example: vnfacts officials --province "Hậu Giang"
    """
    from store import db
    from store.read import officials_listing

    _check_format(format, ("table", "jsonl"))
    url = _current_db(db_url)
    with db.session(url) as session:
        rows = officials_listing(session, province)
    if format == "jsonl":
        for r in rows:
            sys.stdout.write(json.dumps(r, ensure_ascii=False) + "\n")
        return
    table = Table("name", "rank", "titles", "province", "articles")
    for r in rows:
        table.add_row(r["name"], r["rank"] or "", "; ".join(r["titles"]), r["province"] or "", str(r["articles"]))
    out.print(table)


def _current_db(db_url: Optional[str]) -> str:
    from store import db

    url = settings(db_url).database_url
    if not db.is_current(url):
        where = " (no such file here: run from the folder that holds it, or pass --db)" if db.sqlite_file_missing(url) else ""
        _fail(f"the database is not initialised or not up to date{where}; run: vnfacts db upgrade --db {db._safe(url)}")
    return url


@app.command()
def bench(paths: list[Path] = typer.Argument(..., help="Article files or folders."),
          limit: Optional[int] = typer.Option(None, "--limit", help="At most this many articles."),
          workers: int = typer.Option(1, "--workers", help="The run's --workers."),
          dask: Optional[str] = typer.Option(None, "--dask", help="The run's --dask (local:N or tcp://HOST:PORT)."),
          prefect: bool = typer.Option(True, "--prefect/--no-prefect", help="The run's --prefect/--no-prefect."),
          references: bool = typer.Option(True, "--references/--no-references",
                                          help="Also time underthesea word_tokenize and ner on the same sentences."),
          stages: bool = typer.Option(True, "--stages/--no-stages",
                                      help="Also time each stage and the token layer (in this process)."),
          ner_sample: int = typer.Option(1000, "--ner-sample",
                                         help="Sentences timed for the ner reference (0: every sentence)."),
          repeat: int = typer.Option(1, "--repeat", help="Run over every article this many times under new names "
                                                         "(scale check: throughput and memory should stay flat)."),
          compare: Optional[str] = typer.Option(None, "--compare",
                                                help="More layouts timed in the same invocation, e.g. 2,local:2 "
                                                     "(--workers 2, --dask local:2), each against the first."),
          extract: bool = typer.Option(False, "--extract/--no-extract",
                                       help="Also time `vnfacts extract` over the same articles."),
          sizes: Optional[str] = typer.Option(None, "--sizes",
                                              help="Instead: seconds per 100 KB at these sizes in KB (e.g. 50,100,200,400,800,1600) "
                                                   "for news, numbers-only and unpunctuated text.")):
    """Benchmark `vnfacts run` itself (a fresh SQLite file) and print JSON: the run's fixed cost
    (over no articles) apart from its per-article cost, peak memory of all its processes, stage
    shares, and underthesea's word_tokenize and ner over the same sentences, timed in the same run.

    Example: vnfacts bench ../shared/bench/corpus --limit 500 --compare 2,local:2 --extract
    (or --sizes 50,100,200,400,800,1600)
    """
    from run.runner import DASK_SPEC
    from reports.bench import bench as run_bench
    from reports.bench import sizes_table

    if sizes is not None:
        try:
            kb = tuple(int(x) for x in sizes.split(",") if x.strip())
        except ValueError:
            kb = ()
        if not kb or min(kb) < 1:
            _fail("--sizes takes sizes in KB separated by commas, e.g. 50,100,200", 2)
        out.print(json.dumps(sizes_table(paths, kb), ensure_ascii=False, indent=2), markup=False, highlight=False)
        return

    if workers < 1 or repeat < 1:
        _fail("--workers and --repeat must be at least 1", 2)
    if dask and not DASK_SPEC.fullmatch(dask):
        _fail(f"--dask must be local:N or tcp://HOST:PORT, not {dask!r}", 2)
    layouts = tuple(x.strip() for x in (compare or "").split(",") if x.strip())
    bad = [x for x in layouts if not (DASK_SPEC.fullmatch(x) or (x.isdigit() and int(x) >= 1))]
    if bad:
        _fail(f"--compare takes worker counts or Dask specs separated by commas (2,local:2), not {bad[0]!r}", 2)
    out.print(json.dumps(run_bench(paths, limit, workers, dask, prefect, references, ner_sample, stages, repeat,
                                   layouts, extract),
                         ensure_ascii=False, indent=2), markup=False, highlight=False)


@sources_app.command("list")
def sources_list(sources: Path = typer.Option(DEFAULT_SOURCES, "--sources", help="The sources file."),
                 db_url: Optional[str] = typer.Option(None, "--db", help="Database URL (adds stored article counts).")):
    """List the sources of a sources file, with stored article counts when the database exists.

    Example: vnfacts sources list --sources corpus/sources.yaml
    """
    from pipeline.sources import load_sources
    from store import db
    from store.read import article_counts_by_source

    configs = load_sources(sources)
    url = settings(db_url).database_url
    counts = {}
    try:
        if db.is_current(url):
            with db.session(url) as session:
                counts = article_counts_by_source(session)
    except VnfactsError:
        counts = {}
    table = Table("key", "kind", "location", "province", "enabled", "stored (ok/failed/quarantined)")
    for c in configs:
        n = counts.get(c.key, {})
        table.add_row(c.key, c.kind, c.location, c.province or "", "yes" if c.enabled else "no",
                      f"{n.get('ok', 0)}/{n.get('failed', 0)}/{n.get('quarantined', 0)}")
    out.print(table)


@sources_app.command("check")
def sources_check(file: Path = typer.Argument(..., help="The sources file to check.")):
    """Validate a sources file and try to list every source (folder present, pages reachable).

    Example: vnfacts sources check corpus/sources.yaml
    """
    from reports.preview import check_source
    from pipeline.sources import load_sources

    configs = load_sources(file)
    out.print(f"{file}: valid, {len(configs)} sources", markup=False)
    failures = 0
    for c in configs:
        result = check_source(c)
        failures += not result.ok
        out.print(f"  {'ok  ' if result.ok else 'FAIL'} {c.key} ({c.kind}): {result.detail}", markup=False)
    if failures:
        raise typer.Exit(EXIT_PARTIAL)


@sources_app.command("preview")
def sources_preview(key: str = typer.Argument(..., help="The source's key."),
                    sources: Path = typer.Option(DEFAULT_SOURCES, "--sources", help="The sources file."),
                    limit: int = typer.Option(3, "--limit", help="How many articles to fetch."),
                    format: str = typer.Option("text", "--format", "-f", help="text or json.")):
    """Fetch a few articles of one source and show what they yield, writing nothing.

    Example: vnfacts sources preview baohagiang-de-an-06 --limit 2
    """
    from dataclasses import asdict

    from reports.preview import preview_source
    from pipeline.sources import load_sources

    configs = {c.key: c for c in load_sources(sources)}
    if key not in configs:
        _fail(f"no source {key!r} in {sources} (known: {', '.join(configs) or 'none'})", 2)
    items = preview_source(configs[key], limit)
    if format == "json":
        out.print(json.dumps([asdict(i) for i in items], ensure_ascii=False, indent=2), markup=False, highlight=False)
        return
    for item in items:
        out.print(f"\n== {item.key}: {item.status}" + (f" — {item.error}" if item.error else ""), markup=False)
        if item.vietnamese_share is not None:
            out.print(f"language: {item.language or 'too short to tell'} "
                      f"({item.vietnamese_share:.0%} Vietnamese syllables)", markup=False)
        if item.status != "ok":
            if not item.first_lines and item.vietnamese_share is None:
                out.print("no cleaned text: refused before cleaning", markup=False)
            for line in item.first_lines:           # what the cleaner left of a refused article
                out.print(f"  | {line[:160]}", markup=False)
            continue
        out.print(f"title: {item.title or '—'}   province: {item.province or '—'}", markup=False)
        for w in item.warnings:
            out.print(f"warning: {w}", markup=False)
        for line in item.first_lines:
            out.print(f"  | {line[:160]}", markup=False)
        for o in item.officials:
            out.print(f"  official: {o['name']} — {'; '.join(o['titles'])}", markup=False)
        for f in item.facts:
            out.print(f"  fact: {f['kind']} {f['value']} {f['unit'] or ''} [{f['role']}, {f['concept']}] "
                      f"«{f['indicator'] or ''}»", markup=False)


@app.command()
def serve(host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
          port: int = typer.Option(8000, "--port", help="Port to listen on."),
          db_url: Optional[str] = typer.Option(None, "--db", help="Database URL."),
          require_tokens: bool = typer.Option(False, "--require-tokens", help="The API answers only with a token."),
          secure_cookies: bool = typer.Option(False, "--secure-cookies",
                                              help="Mark cookies Secure (sent over HTTPS only): behind an HTTPS proxy.")):
    """Start the reviewer web app and the read-only API.

    Example: vnfacts serve --host 127.0.0.1 --port 8000
    """
    from web.app import serve as run_server

    url = _current_db(db_url)
    run_server(url, host, port, require_tokens, secure_cookies)


@users_app.command("add")
def users_add(name: str = typer.Argument(..., help="The user's name (login)."),
              role: str = typer.Option("reviewer", "--role", help="reviewer or admin."),
              db_url: Optional[str] = typer.Option(None, "--db", help="Database URL.")):
    """Create a reviewer or an admin; the password is read from a prompt, or from stdin when piped.

    Example: vnfacts users add lan --role reviewer
    """
    from store import db
    from store.accounts import add_user

    url = _current_db(db_url)
    if sys.stdin.isatty():
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
    with db.session(url) as session:
        add_user(session, name, role, password)
        session.commit()
    out.print(f"user {name} ({role}) created", markup=False)


def _read_password() -> str:
    if sys.stdin.isatty():
        return typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\n")


@users_app.command("list")
def users_list(db_url: Optional[str] = typer.Option(None, "--db", help="Database URL.")):
    """List accounts: name, role, active, open sessions.

    Example: vnfacts users list
    """
    from store import db
    from store.accounts import list_users

    with db.session(_current_db(db_url)) as session:
        for u in list_users(session):
            out.print(f"{u['name']}\t{u['role']}\t{'active' if u['active'] else 'disabled'}\t{u['sessions']} sessions",
                      markup=False, highlight=False)


def _change_user(name: str, db_url: Optional[str], change, done: str) -> None:
    from store import db

    with db.session(_current_db(db_url)) as session:
        change(session)
        session.commit()
    out.print(f"user {name} {done}", markup=False)


@users_app.command("disable")
def users_disable(name: str = typer.Argument(..., help="The user's name."),
                  db_url: Optional[str] = typer.Option(None, "--db", help="Database URL.")):
    """Disable a user: they cannot sign in, and every open session of theirs ends now.

    Example: vnfacts users disable lan
    """
    from store.accounts import set_active

    _change_user(name, db_url, lambda s: set_active(s, name, False), "disabled; their sessions ended")


@users_app.command("enable")
def users_enable(name: str = typer.Argument(..., help="The user's name."),
                 db_url: Optional[str] = typer.Option(None, "--db", help="Database URL.")):
    """Enable a disabled user again.

    Example: vnfacts users enable lan
    """
    from store.accounts import set_active

    _change_user(name, db_url, lambda s: set_active(s, name, True), "enabled")


@users_app.command("set-password")
def users_set_password(name: str = typer.Argument(..., help="The user's name."),
                       db_url: Optional[str] = typer.Option(None, "--db", help="Database URL.")):
    """Set a new password (prompted, or read from stdin when piped); the user's sessions end.

    Example: vnfacts users set-password lan   (or: echo 'a new long password' | vnfacts users set-password lan)
    """
    from store.accounts import set_password

    password = _read_password()
    _change_user(name, db_url, lambda s: set_password(s, name, password), "has a new password; their sessions ended")


@tokens_app.command("list")
def tokens_list(db_url: Optional[str] = typer.Option(None, "--db", help="Database URL.")):
    """List API tokens (names and state; the tokens themselves are not stored).

    Example: vnfacts tokens list
    """
    from store import db
    from store.accounts import list_tokens

    with db.session(_current_db(db_url)) as session:
        for t in list_tokens(session):
            out.print(f"{t.name}\t{'revoked' if t.revoked else 'active'}\tcreated {t.created_at:%Y-%m-%d %H:%M}",
                      markup=False, highlight=False)


@tokens_app.command("revoke")
def tokens_revoke(name: str = typer.Argument(..., help="The token's name."),
                  db_url: Optional[str] = typer.Option(None, "--db", help="Database URL.")):
    """Revoke an API token: the API refuses it from now on.

    Example: vnfacts tokens revoke dashboard
    """
    from store import db
    from store.accounts import revoke_token

    with db.session(_current_db(db_url)) as session:
        revoke_token(session, name)
        session.commit()
    out.print(f"token {name} revoked", markup=False)


@tokens_app.command("add")
def tokens_add(name: str = typer.Argument(..., help="A name for the client (e.g. the dashboard)."),
               db_url: Optional[str] = typer.Option(None, "--db", help="Database URL.")):
    """Create an API token for a machine client and print it once (stdout; the note on stderr).

    The JSON API is open to anyone who reaches the app unless it runs with `vnfacts serve
    --require-tokens`; without that option a token only adds the reviewers' names to the
    history the API shows.

    Example: vnfacts tokens add dashboard && vnfacts serve --require-tokens
    """
    from store import db
    from store.accounts import add_api_token

    url = _current_db(db_url)
    with db.session(url) as session:
        token = add_api_token(session, name)
        session.commit()
    out.print(token, markup=False, highlight=False)
    err.print("Shown once. The API asks for it only when the app runs with `vnfacts serve --require-tokens`; "
              "otherwise the API is open and the token only adds reviewer names to the history it shows "
              "(send it as: Authorization: Bearer TOKEN).", markup=False, highlight=False)


@gold_app.command("export")
def gold_export(out_dir: Path = typer.Option(..., "--out", help="Folder to write gold/ and texts/ into."),
                db_url: Optional[str] = typer.Option(None, "--db", help="Database URL.")):
    """Write the articles marked fully reviewed as gold annotations (the format of docs/GOLD.md) with their cleaned
    texts: only decided facts (accepted, edited, added by a reviewer), never pending ones.

    Example: vnfacts gold export --out reviewed && vnfacts eval --gold reviewed/gold reviewed/texts
    """
    from reports.gold_export import export_gold
    from store import db

    url = _current_db(db_url)
    with db.session(url) as session:
        n = export_gold(session, out_dir)
    out.print(f"{n.articles} articles ({n.facts} facts, {n.added} added by reviewers) written to "
              f"{out_dir}/gold and {out_dir}/texts", markup=False)
    if n.pending_left_out:
        err.print(f"{n.pending_left_out} pending facts of marked articles were left out (a re-extraction "
                  "found them after the mark): review them and mark the articles again", markup=False)


def _filters(province, concept, kind, source, review):
    from store.query import FactFilter

    return FactFilter(province=province, concept=concept, kind=kind, source=source, review=review)


@app.command()
def export(out_file: Path = typer.Option(..., "--out", help="File to write (.csv, .parquet or .jsonl)."),
           format: Optional[str] = typer.Option(None, "--format", "-f", help="csv, parquet or jsonl (default: from --out's extension)."),
           province: Optional[str] = typer.Option(None, help="Legacy or current province (name or code)."),
           concept: Optional[str] = typer.Option(None, help="Indicator key."),
           kind: Optional[str] = typer.Option(None, help="percent, count, …"),
           source: Optional[str] = typer.Option(None, help="Source key."),
           review: Optional[str] = typer.Option(None, help="pending, accepted, edited or reviewed."),
           db_url: Optional[str] = typer.Option(None, "--db", help="Database URL.")):
    """Export facts_current to CSV, Parquet or JSON lines, streamed in chunks; the format follows the
    file's extension unless --format says otherwise.

    Example: vnfacts export --out facts.parquet --province "Tuyên Quang"
    """
    from store.query import check_filter
    from reports.export import format_for

    try:
        fmt = format_for(out_file, format)
        check_filter(kind=kind, concept=concept, province=province, review=review)
    except ConfigError as exc:
        _fail(str(exc), 2)
    from reports.export import export_facts

    url = _current_db(db_url)
    n = export_facts(url, out_file, fmt, _filters(province, concept, kind, source, review))
    out.print(f"{n} facts written to {out_file}", markup=False)


@app.command()
def chart(concept: str = typer.Argument(..., help="Indicator key, e.g. eid_accounts."),
          out_file: Path = typer.Option(..., "--out", help="FILE.svg or FILE.png (a chart), FILE.csv (the province table)."),
          by: str = typer.Option("province", "--by", help="province (latest value of each) or period (over time, a line per province)."),
          province: Optional[str] = typer.Option(None, help="Only this province."),
          kind: str = typer.Option("percent", "--kind", help="percent, count, money, …"),
          db_url: Optional[str] = typer.Option(None, "--db", help="Database URL.")):
    """Plot an indicator: the latest value by province, or over time per province on a date axis;
    or write the table of the latest value per province (.csv). Units and a source note on every chart.

    Example: vnfacts chart eid_accounts --by period --out eid-over-time.svg
    """
    from reports.charts import BY, FORMATS, chart as make_chart, table_csv

    fmt = out_file.suffix.lower().lstrip(".")
    if fmt not in (*FORMATS, "csv"):
        _fail(f"--out must end in .svg, .png or .csv, not {out_file.name!r}", 2)
    if by not in BY:
        _fail(f"--by must be one of {', '.join(BY)}", 2)
    url = _current_db(db_url)
    if fmt == "csv":
        out_file.write_text(table_csv(url, concept, kind), encoding="utf-8")
        out.print(f"table written to {out_file}", markup=False)
        return
    out_file.write_bytes(make_chart(url, concept, fmt, by, province, kind))
    out.print(f"chart written to {out_file}", markup=False)


@db_app.command("reference")
def db_reference(out_file: Optional[Path] = typer.Option(None, "--out", help="Write here instead of stdout.")):
    """Print (or write) the SQL reference of the views and tables, generated from the models.

    Example: vnfacts db reference --out docs/REFERENCE.md
    """
    from store.contract import reference_markdown

    doc = reference_markdown()
    if out_file:
        out_file.write_text(doc, encoding="utf-8")
    else:
        sys.stdout.write(doc)


@db_app.command("grant-readonly")
def db_grant_readonly(role: str = typer.Argument(..., help="PostgreSQL role to create or grant to."),
                      password_env: Optional[str] = typer.Option(None, "--password-env",
                                                                 help="Environment variable holding the role's password."),
                      db_url: Optional[str] = typer.Option(None, "--db", help="PostgreSQL URL.")):
    """Give a PostgreSQL role read access to the views facts_current and officials_current only.

    Example: vnfacts db grant-readonly dashboards --password-env VNFACTS_RO_PASSWORD
    """
    from store import db

    url = _current_db(db_url)
    password = os.environ.get(password_env) if password_env else None
    if password_env and not password:
        _fail(f"environment variable {password_env} is not set")
    db.grant_readonly(url, role, password)
    out.print(f"role {role} can read facts_current and officials_current", markup=False)


@db_app.command("upgrade")
def db_upgrade(db_url: Optional[str] = typer.Option(None, "--db", help="Database URL."),
               revision: str = typer.Option("head", help="Target revision.")):
    """Create or migrate the fact store to the newest schema.

    Example: vnfacts db upgrade --db postgresql+psycopg://postgres@127.0.0.1:5432/test
    """
    from store import db

    url = settings(db_url).database_url
    db.upgrade(url, revision)
    out.print(f"database at revision {revision}: {db._safe(url)}", markup=False)


def main(prefect_server=None) -> None:
    """Console entry point (through :mod:`cli.launch`): user errors become one line on stderr, never a
    traceback. ``prefect_server``: the temporary Prefect server the launcher started for ``run``."""
    try:
        # Without standalone mode click returns the code of a typer.Exit instead of exiting.
        code = app(standalone_mode=False, obj=prefect_server)
        sys.exit(code if isinstance(code, int) else 0)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (VnfactsError, ConfigError) as exc:
        err.print("error: " + " ".join(str(exc).split()), markup=False, highlight=False)
        sys.exit(1)
    except typer.Abort:
        sys.exit(130)
    except Exception as exc:
        # typer ships its own click; its usage errors know how to show themselves and their exit code (2).
        if isinstance(exc, typer.TyperException) and hasattr(exc, "show") and hasattr(exc, "exit_code"):
            exc.show()
            sys.exit(exc.exit_code)
        if os.environ.get("VNFACTS_DEBUG"):
            raise
        err.print(f"error: {type(exc).__name__}: {exc} (set VNFACTS_DEBUG=1 for the traceback)", markup=False)
        sys.exit(1)


if __name__ == "__main__":
    main()
