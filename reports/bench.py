"""The throughput benchmark. It times the product: ``vnfacts run`` itself, in a child process, over
the given articles (a fresh SQLite file, the options of the run: Prefect or not, workers, Dask), and
over no articles at all — the run's fixed cost (start-up, Prefect's temporary server, worker
processes) — so that the per-article cost is the difference; each run with the peak memory and the
CPU seconds of its processes by role (:class:`TreeWatch`). In the same run, on the same articles:
underthesea ``word_tokenize`` and ``ner`` over every sentence (the reference points), and, in this
process, the share of each stage and of the token layer (``ingest_source`` with stage timings).

Benchmarks live here and in ``vnfacts bench``, never as timed assertions in tests.
"""
from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from pipeline.errors import ArticleError, VnfactsError
from pipeline.fetch import RawArticle, list_files, read_file
from pipeline.process import process_article, warm_up


class TreeWatch:
    """What a run's processes use, read while it runs: peak memory and CPU seconds by role.

    Memory: the peak, sampled every ``interval`` seconds, of the sum of the processes' proportional
    set sizes (shared pages counted once across the processes), and of the largest single resident
    set. Reading a process's PSS costs about 4 ms of CPU (the kernel walks its page tables): sampled
    more often, the watcher would take a noticeable share of a 2-core machine from the run it
    measures. (The run's memory is flat, so a sample a second finds its peak.)

    CPU: each process's user + system seconds, read every ``cpu_interval`` seconds (a cheap read of
    ``/proc``), the last reading kept, summed by the process's role in a run (:func:`process_role`);
    the tree is listed anew every ``listing_interval`` seconds. A process's last ``cpu_interval``
    before it exits is not seen, nor one that starts and ends between two listings. On a machine of few cores these
    figures say where the cores went: a layout is bound by CPU when ``cores_busy`` (CPU seconds over
    the wall time) is near the number of cores, and then only less CPU makes it faster."""

    def __init__(self, pid: int, interval: float = 1.0, cpu_interval: float = 0.1, listing_interval: float = 0.5):
        self.pid, self.interval = pid, interval
        self.cpu_interval, self.listing_interval = cpu_interval, listing_interval
        self.peak_total = self.peak_largest = 0.0
        self.peak_without_server = 0.0
        self.cpu: dict[int, tuple[str, float]] = {}          # pid → (role, CPU seconds at the last reading)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> "TreeWatch":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        import psutil

        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        roles: dict[int, str] = {}
        processes: list = []
        next_memory = next_listing = 0.0
        while not self._stop.is_set():
            if time.monotonic() >= next_listing:
                # Listing the tree reads every process of the machine (psutil builds the parent map
                # from /proc): done every half second, the cheap CPU reads of the known ones between.
                try:
                    processes = [root, *root.children(recursive=True)]
                except psutil.Error:
                    break
                next_listing = time.monotonic() + self.listing_interval
            for proc in processes:
                try:
                    if proc.pid not in roles:
                        parent = proc.parent()
                        roles[proc.pid] = process_role(proc.pid == self.pid, proc.cmdline(),
                                                       parent.cmdline() if parent else [])
                    times = proc.cpu_times()
                except psutil.Error:
                    continue
                self.cpu[proc.pid] = (roles[proc.pid], times.user + times.system)
            if time.monotonic() >= next_memory:
                self._memory(processes)
                next_memory = time.monotonic() + self.interval
            self._stop.wait(self.cpu_interval)

    def _memory(self, processes) -> None:
        import psutil

        total = without_server = largest = 0.0
        for proc in processes:
            try:
                info = proc.memory_full_info()
                server = "prefect.server.api.server" in " ".join(proc.cmdline())
            except psutil.Error:
                continue
            mb = getattr(info, "pss", info.rss) / 2**20
            total += mb
            without_server += 0 if server else mb
            largest = max(largest, info.rss / 2**20)
        self.peak_total = max(self.peak_total, total)
        self.peak_without_server = max(self.peak_without_server, without_server)
        self.peak_largest = max(self.peak_largest, largest)

    def report(self) -> dict:
        return {"all_processes": round(self.peak_total, 1), "without_prefect_server": round(self.peak_without_server, 1),
                "largest_process": round(self.peak_largest, 1)}

    def cpu_report(self, seconds: float) -> dict:
        """CPU seconds by role, their total, and the cores that total kept busy over ``seconds``."""
        by_role: dict[str, float] = {}
        for role, cpu in self.cpu.values():
            by_role[role] = by_role.get(role, 0.0) + cpu
        total = sum(by_role.values())
        return {**{role: round(by_role[role], 2) for role in sorted(by_role)}, "total": round(total, 2),
                "cores_busy": round(total / seconds, 2) if seconds > 0 else 0.0}


def process_role(is_root: bool, cmdline: list[str], parent_cmdline: list[str]) -> str:
    """A run's process by what it does: ``launcher`` (the command the user started, which waits),
    ``prefect_server`` (Prefect's temporary server), ``fork_server`` (it loads the models once for
    the workers), ``workers`` (forked from it: ``--workers N``, Dask's worker processes),
    ``dask`` (Dask's own processes), ``run`` (the run itself: Prefect's client, the one writer) and
    ``other`` (e.g. multiprocessing's resource tracker)."""
    line, parent = " ".join(cmdline), " ".join(parent_cmdline)
    if is_root:
        return "launcher"
    if "prefect.server.api.server" in line:
        return "prefect_server"
    if "multiprocessing.forkserver" in parent:
        return "workers"
    if "multiprocessing.forkserver" in line:
        return "fork_server"
    if "-m cli run" in line:
        return "run"
    if "distributed" in line or "dask" in line:
        return "dask"
    return "other"


def timed_run(sources: Path, db_path: Path, workers: int = 1, dask: str | None = None, prefect: bool = False) -> dict:
    """``vnfacts run`` as a user starts it (``python -m cli`` is what the ``vnfacts`` script runs), timed
    from start to exit, with the peak memory of its processes."""
    argv = [sys.executable, "-m", "cli", "run", "--sources", str(sources), "--db", f"sqlite:///{db_path}",
            "--workers", str(workers), *(["--dask", dask] if dask else []), *([] if prefect else ["--no-prefect"])]
    started = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with TreeWatch(child.pid) as watch:
        out, err = child.communicate()
    seconds = time.perf_counter() - started
    if child.returncode not in (0, 3):
        raise VnfactsError(f"vnfacts run failed ({child.returncode}): {(err or out).strip()[-500:]}")
    return {"seconds": seconds, "exit_status": child.returncode, "peak_memory_mb": watch.report(),
            "cpu_seconds": watch.cpu_report(seconds)}


def timed_extract(folder: Path, workers: int = 1) -> dict:
    """``vnfacts extract`` over the articles as a user runs it (a child process, output discarded),
    timed from start to exit: the extraction without a store or Prefect, in one process or in
    ``workers`` processes."""
    argv = [sys.executable, "-m", "cli", "extract", str(folder), "--format", "jsonl", "--workers", str(workers)]
    started = time.perf_counter()
    child = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - started
    if child.returncode not in (0, 3):
        raise VnfactsError(f"vnfacts extract failed ({child.returncode}): {child.stderr.strip()[-500:]}")
    return {"seconds": round(seconds, 3)}


def layout_options(spec: str) -> tuple[int, str | None]:
    """``2`` → ``--workers 2``; ``local:2`` or ``tcp://HOST:PORT`` → ``--dask``."""
    return (1, spec) if ":" in spec else (int(spec), None)


def stored_counts(db_path: Path) -> dict:
    """What the run stored: articles by status and facts, read through the store."""
    from sqlalchemy import func, select

    from store import db
    from store.models import Fact
    from store.read import article_counts_by_source

    url = f"sqlite:///{db_path}"
    with db.session(url) as session:
        statuses = article_counts_by_source(session).get("bench", {})
        facts = session.scalar(select(func.count()).select_from(Fact))
    db.ENGINES.pop(url).dispose()
    return {"articles": statuses, "facts": facts}


def stage_pass(folder: Path, db_path: Path) -> dict:
    """The same ingest in this process with per-stage timings and the token layer's counters."""
    from extractors import tokens
    from run.ingest import ingest_source
    from pipeline.sources import SourceConfig
    from store import db

    url = f"sqlite:///{db_path}"
    db.upgrade(url)
    warm_up()
    tokens.STATS.update(sentences=0, tokenized=0, seconds=0.0, ner_docs=0)
    timings: dict[str, float] = {}
    started, cpu = time.perf_counter(), time.process_time()
    ingest_source(SourceConfig(key="bench", kind="files", location=str(folder)), url, timings=timings)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    db.ENGINES.pop(url).dispose()
    st = tokens.STATS
    total = sum(timings.values()) or 1.0
    return {
        "seconds": round(seconds, 3), "cpu_seconds": round(cpu, 3),
        "stage_share": {k: round(v / total, 3) for k, v in sorted(timings.items())},
        "token_layer": {"sentences": st["sentences"], "tokenized": st["tokenized"],
                        "share": round(st["tokenized"] / st["sentences"], 3) if st["sentences"] else 0.0,
                        "ner_sentences": st["ner_docs"], "seconds": round(st["seconds"], 3),
                        "share_of_pipeline": round(st["seconds"] / seconds, 3)},
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def run_references(files: list[Path], ner_sample: int) -> dict:
    """underthesea word_tokenize over every sentence; ner over every sentence (or an even sample)."""
    from underthesea import ner, sent_tokenize, word_tokenize

    word_tokenize("Khởi động mô hình.")
    ner("Khởi động mô hình.")
    sentences = []
    for path in files:
        try:
            text = read_file(path).content
        except ArticleError:
            continue
        for paragraph in text.split("\n"):
            if paragraph.strip():
                sentences.extend(sent_tokenize(paragraph))
    chars = sum(len(s) for s in sentences)
    t, c = time.perf_counter(), time.process_time()
    for s in sentences:
        word_tokenize(s)
    tokenize_s, tokenize_cpu = time.perf_counter() - t, time.process_time() - c
    sample = sentences if not ner_sample or ner_sample >= len(sentences) else sentences[::max(1, len(sentences) // ner_sample)]
    t, c = time.perf_counter(), time.process_time()
    for s in sample:
        ner(s)
    ner_sample_s, ner_sample_cpu = time.perf_counter() - t, time.process_time() - c
    sample_chars = sum(len(s) for s in sample) or 1
    return {"sentences": len(sentences), "chars": chars, "word_tokenize_s": tokenize_s,
            "ner_s": ner_sample_s * chars / sample_chars,          # extrapolated by characters when sampled
            "word_tokenize_cpu": tokenize_cpu, "ner_cpu": ner_sample_cpu * chars / sample_chars,
            "ner_sentences_timed": len(sample)}


def article_folder(files: list[Path], folder: Path, repeat: int = 1) -> Path:
    """The articles as one ``files`` source: links in a folder of their own (a repeated name gets a
    suffix); ``repeat`` > 1 links every article that many times under new names (a scale check:
    the copies are the same texts, so the store links them as duplicates after extracting them)."""
    folder.mkdir(parents=True, exist_ok=True)
    seen: set[str] = set()
    for copy in range(repeat):
        for path in files:
            stem, n = path.stem if copy == 0 else f"{path.stem}-copy{copy}", 1
            name = stem + path.suffix
            while name in seen:
                n += 1
                name = f"{stem}-{n}{path.suffix}"
            seen.add(name)
            (folder / name).symlink_to(path.resolve())
            meta = path.with_name(path.stem + ".meta.json")
            if meta.exists():
                (folder / (Path(name).stem + ".meta.json")).symlink_to(meta.resolve())
    return folder


def sources_file(folder: Path, path: Path) -> Path:
    path.write_text(f"sources:\n  - {{key: bench, kind: files, path: '{folder}'}}\n", encoding="utf-8")
    return path


def bench(paths: list[Path], limit: int | None = None, workers: int = 1, dask: str | None = None,
          prefect: bool = True, references: bool = True, ner_sample: int = 1000, stages: bool = True,
          repeat: int = 1, compare: tuple[str, ...] = (), extract: bool = False) -> dict:
    """The report of ``vnfacts bench``. ``compare`` times more layouts of the same run in this
    invocation (``2`` for ``--workers 2``, ``local:2`` for ``--dask local:2``), each end to end and
    against the first; ``extract`` times ``vnfacts extract`` over the same articles. Ratios measured
    in one invocation hold on a machine whose load stays even; absolute times do not."""
    files = list_files(paths)[: limit or None]
    if not files:
        raise ArticleError("no article files to benchmark")
    n = len(files) * repeat
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        articles = article_folder(files, tmp_path / "articles", repeat)
        empty = tmp_path / "empty"
        empty.mkdir()
        fixed = timed_run(sources_file(empty, tmp_path / "empty.yaml"), tmp_path / "fixed.db", workers, dask, prefect)
        run = timed_run(sources_file(articles, tmp_path / "run.yaml"), tmp_path / "run.db", workers, dask, prefect)
        stored = stored_counts(tmp_path / "run.db")
        chars = repeat * sum(len(read_file(p).content) for p in files if p.stat().st_size < 10_000_000)
        per_article_s = max(run["seconds"] - fixed["seconds"], 1e-9)
        report: dict = {
            "articles": n, "repeat": repeat, "cpu_count": os.cpu_count(),
            "run": {
                "command": f"vnfacts run --workers {workers}" + (f" --dask {dask}" if dask else "")
                           + ("" if prefect else " --no-prefect"),
                "seconds": round(run["seconds"], 3),
                "fixed_seconds": round(fixed["seconds"], 3),
                "per_article_ms": round(per_article_s / n * 1000, 2),
                "articles_per_s": round(n / per_article_s, 2),
                "chars_per_s": round(chars / per_article_s),
                "stored": stored,
                "exit_status": run["exit_status"],
            },
            "peak_memory_mb": run["peak_memory_mb"],
            "cpu_seconds": run["cpu_seconds"],
        }
        for spec in compare:
            w, d = layout_options(spec)
            n_done = len(report.setdefault("compare", []))
            other_db = tmp_path / f"compare-{n_done}.db"
            other = timed_run(sources_file(articles, tmp_path / f"compare-{n_done}.yaml"), other_db, w, d, prefect)
            report["compare"].append({
                "command": f"vnfacts run --workers {w}" + (f" --dask {d}" if d else "") + ("" if prefect else " --no-prefect"),
                "seconds": round(other["seconds"], 3), "speed_vs_first": round(run["seconds"] / other["seconds"], 2),
                "stored": stored_counts(other_db), "peak_memory_mb": other["peak_memory_mb"],
                "cpu_seconds": other["cpu_seconds"]})
        if extract:
            report["extract"] = timed_extract(articles)
            cores = os.cpu_count() or 1
            if cores > 1:       # the same on every core (`extract --workers N`)
                report["extract_parallel"] = {"workers": cores, **timed_extract(articles, cores)}
        if stages:
            report["stages"] = stage_pass(articles, tmp_path / "stages.db")
    if references:
        ref = run_references(files, ner_sample)
        report["reference"] = {
            "sentences": ref["sentences"],
            "word_tokenize": {"seconds": round(ref["word_tokenize_s"], 3), "articles_per_s": round(n / ref["word_tokenize_s"], 2)},
            "ner": {"seconds": round(ref["ner_s"], 3), "articles_per_s": round(n / ref["ner_s"], 2),
                    "sentences_timed": ref["ner_sentences_timed"], "extrapolated": ref["ner_sentences_timed"] < ref["sentences"]},
        }
        # per article: the run's time without its fixed cost; end to end: with it.
        report["ratio"] = {"vs_word_tokenize": round(ref["word_tokenize_s"] / per_article_s, 2),
                           "vs_ner": round(ref["ner_s"] / per_article_s, 2),
                           "end_to_end_vs_word_tokenize": round(ref["word_tokenize_s"] / run["seconds"], 2),
                           "end_to_end_vs_ner": round(ref["ner_s"] / run["seconds"], 2)}
        for other in report.get("compare", []):
            other["end_to_end_vs_word_tokenize"] = round(ref["word_tokenize_s"] / other["seconds"], 2)
        if extract:
            for key in ("extract", "extract_parallel"):
                if key in report:
                    report[key].update(vs_word_tokenize=round(ref["word_tokenize_s"] / report[key]["seconds"], 2),
                                       vs_ner=round(ref["ner_s"] / report[key]["seconds"], 2))
        if stages:        # CPU time of the in-process pass: the same comparison, unmoved by other load
            report["ratio_cpu"] = {"vs_word_tokenize": round(ref["word_tokenize_cpu"] / report["stages"]["cpu_seconds"], 2),
                                   "vs_ner": round(ref["ner_cpu"] / report["stages"]["cpu_seconds"], 2)}
    return report


# -- growth with size ----------------------------------------------------------------------------------

SIZE_KINDS = ("news", "numbers", "unpunctuated")


def size_text(kind: str, size: int, news: str) -> str:
    """``size`` characters of one input kind: real news text repeated, a run of numbers like
    "123.456.789% ", or news with every full stop and comma taken out."""
    unit = {"news": news, "numbers": "123.456.789% ",
            "unpunctuated": news.replace(".", " ").replace(",", " ")}[kind]
    return (unit * (size // len(unit) + 1))[:size]


def sizes_table(paths: list[Path], sizes_kb: tuple[int, ...] = (50, 100, 200, 400, 800, 1600),
                kinds: tuple[str, ...] = SIZE_KINDS) -> dict:
    """Seconds per 100 KB of ``process_article`` at each size and kind (no time limit, one process):
    flat rows mean linear time. The news text is the given articles joined."""
    news = "\n".join(read_file(p).content for p in list_files(paths)[:50]) or "Toàn tỉnh cấp 1.200 thẻ căn cước. "
    warm_up()
    table: dict[str, dict[str, float]] = {}
    for kind in kinds:
        row = {}
        for kb in sizes_kb:
            text = size_text(kind, kb * 1000, news)
            raw = RawArticle(f"{kind}-{kb}", text, False, content_hash=f"{kind}-{kb}")
            started = time.perf_counter()
            try:
                process_article(raw, seconds=24 * 3600)
            except ArticleError:
                pass                                              # e.g. not Vietnamese: the time still counts
            row[f"{kb} KB"] = round((time.perf_counter() - started) / (kb / 100), 3)
        table[kind] = row
    return {"seconds_per_100_kb": table}
