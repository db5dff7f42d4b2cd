"""The throughput benchmark: clean → extract → normalise → store over a folder of articles, with
underthesea's word_tokenize and ner over every sentence of the same articles as reference points.

Benchmarks live here and in ``vnfacts bench``, never as timed assertions in tests.
"""
from __future__ import annotations

import multiprocessing
import os
import resource
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import ArticleError
from pipeline.fetch import RawArticle, list_files, read_file
from pipeline.normalise import ArticleResult
from pipeline.process import process_article
from settings import thresholds



@dataclass
class _Done:
    raw: RawArticle | None
    result: ArticleResult | None
    timings: dict[str, float]
    error: str | None = None


def _process(path: Path) -> _Done:
    timings: dict[str, float] = {}
    started = time.perf_counter()
    try:
        raw = read_file(path)
    except ArticleError as exc:
        return _Done(None, None, {"read": time.perf_counter() - started}, str(exc))
    timings["read"] = time.perf_counter() - started
    try:
        result = process_article(raw, timings=timings)
    except ArticleError as exc:
        return _Done(raw, None, timings, str(exc))
    return _Done(raw, result, timings)


def _warm_up() -> None:
    """Load underthesea's models and compile the gazetteer patterns before the clock starts."""
    from underthesea import ner, pos_tag, word_tokenize

    from extractors.tokens import warm_up

    warm_up()
    word_tokenize("Khởi động mô hình.")
    pos_tag("Khởi động mô hình.")
    ner("Khởi động mô hình.")
    process_article(RawArticle("warm-up", "Ông Nguyễn Văn A, Chủ tịch UBND tỉnh Hà Giang, cho biết năm 2024 đạt "
                                          "86,7%, tăng 3% so với năm 2023, với 1.200 hồ sơ.", False))


def run_pipeline(files: list[Path], workers: int, db_path: Path) -> dict:
    from pipeline.sources import SourceConfig
    from pipeline.store import db
    from pipeline.store.write import save_article, save_failure, sync_source

    url = f"sqlite:///{db_path}"
    db.upgrade(url)
    stages: dict[str, float] = {}
    counts = {"ok": 0, "failed": 0, "facts": 0, "chars": 0}
    started, cpu_started = time.perf_counter(), time.process_time()
    with db.session(url) as session:
        source_id = sync_source(session, SourceConfig(key="bench", kind="files", location=str(files[0].parent))).id
        session.commit()
        pool = multiprocessing.get_context("fork").Pool(workers, initializer=_warm_up) if workers > 1 else None
        results = pool.imap(_process, files, chunksize=8) if pool else map(_process, files)
        pending = 0
        for done in results:
            for stage, seconds in done.timings.items():
                stages[stage] = stages.get(stage, 0.0) + seconds
            t = time.perf_counter()
            if done.result is None:
                save_failure(session, source_id, done.raw.article if done.raw else "unreadable", done.error or "")
                counts["failed"] += 1
            else:
                save_article(session, source_id, done.raw, done.result)
                counts["ok"] += 1
                counts["facts"] += len(done.result.facts)
                counts["chars"] += len(done.raw.content)
            pending += 1
            if pending >= thresholds.BENCH_STORE_BATCH:
                session.commit()
                pending = 0
            stages["store"] = stages.get("store", 0.0) + time.perf_counter() - t
        session.commit()
        if pool:
            pool.close()
            pool.join()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    db.ENGINES.pop(url).dispose()
    return {"seconds": elapsed, "cpu_seconds": cpu, "stages": stages, **counts}


def run_references(files: list[Path], ner_sample: int) -> dict:
    """underthesea word_tokenize over every sentence; ner over every sentence (or an even sample)."""
    from underthesea import ner, sent_tokenize, word_tokenize

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
    ner_s = ner_sample_s * chars / sample_chars          # extrapolated by characters when sampled
    return {"sentences": len(sentences), "chars": chars, "word_tokenize_s": tokenize_s, "ner_s": ner_s,
            "word_tokenize_cpu": tokenize_cpu, "ner_cpu": ner_sample_cpu * chars / sample_chars,
            "ner_sentences_timed": len(sample)}


def peak_memory_mb(workers: int) -> dict:
    """Peak resident memory of this process and of the largest worker (ru_maxrss is KiB on Linux);
    ``total`` adds the workers' peak to the writer's, an upper bound of the machine's use."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 if workers > 1 else 0.0
    return {"writer": round(own, 1), "largest_worker": round(child, 1), "total": round(own + workers * child if child else own, 1)}


def bench(paths: list[Path], limit: int | None = None, workers: int = 1, references: bool = True,
          ner_sample: int = 1000) -> dict:
    files = list_files(paths)[: limit or None]
    if not files:
        raise ArticleError("no article files to benchmark")
    _warm_up()
    from extractors import tokens

    tokens.STATS.update(sentences=0, tokenized=0, seconds=0.0, ner_docs=0)
    with tempfile.TemporaryDirectory() as tmp:
        pipe = run_pipeline(files, workers, Path(tmp) / "bench.db")
    n = len(files)
    report = {
        "articles": n, "workers": workers, "cpu_count": os.cpu_count(),
        "pipeline": {
            "seconds": round(pipe["seconds"], 3),
            "articles_per_s": round(n / pipe["seconds"], 2),
            "chars_per_s": round(pipe["chars"] / pipe["seconds"]),
            "facts": pipe["facts"], "failed": pipe["failed"],
            "stage_share": {k: round(v / sum(pipe["stages"].values()), 3) for k, v in sorted(pipe["stages"].items())},
        },
    }
    if workers == 1:              # the counters live in the process that ran the extractors
        st = tokens.STATS
        report["token_layer"] = {
            "sentences": st["sentences"], "tokenized": st["tokenized"],
            "share": round(st["tokenized"] / st["sentences"], 3) if st["sentences"] else 0.0,
            "ner_sentences": st["ner_docs"], "seconds": round(st["seconds"], 3),
            "share_of_pipeline": round(st["seconds"] / pipe["seconds"], 3),
        }
    if references:
        ref = run_references(files, ner_sample)
        report["reference"] = {
            "sentences": ref["sentences"],
            "word_tokenize": {"seconds": round(ref["word_tokenize_s"], 3),
                              "articles_per_s": round(n / ref["word_tokenize_s"], 2)},
            "ner": {"seconds": round(ref["ner_s"], 3), "articles_per_s": round(n / ref["ner_s"], 2),
                    "sentences_timed": ref["ner_sentences_timed"],
                    "extrapolated": ref["ner_sentences_timed"] < ref["sentences"]},
        }
        report["ratio"] = {"vs_word_tokenize": round(ref["word_tokenize_s"] / pipe["seconds"], 2),
                           "vs_ner": round(ref["ner_s"] / pipe["seconds"], 2)}
        if workers == 1:          # CPU time of this process: the same ratios, unmoved by other load on the machine
            report["ratio_cpu"] = {"vs_word_tokenize": round(ref["word_tokenize_cpu"] / pipe["cpu_seconds"], 2),
                                   "vs_ner": round(ref["ner_cpu"] / pipe["cpu_seconds"], 2)}
    report["peak_memory_mb"] = peak_memory_mb(workers)
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
    _warm_up()
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
