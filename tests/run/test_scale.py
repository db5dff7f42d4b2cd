"""Throughput machinery: the batched writer, the process pool and a Dask scheduler with workers in
other processes, each storing exactly what one process stores."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select, text

from run.ingest import ingest_source, prepare_source, process_refs, store_processed
from pipeline.fetch import ArticleRef
from pipeline.sources import SourceConfig
from store import db
from store.models import Article

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "corpus" / "seeds"

pytestmark = pytest.mark.slow


def _facts(url: str) -> set[tuple]:
    with db.session(url) as s:
        return {tuple(r) for r in s.execute(text(
            "SELECT article, kind, value, unit, qualifier, role, period, concept, value_start FROM facts_current"))}


@pytest.fixture(scope="module")
def single_process_facts(tmp_path_factory) -> set[tuple]:
    url = f"sqlite:///{tmp_path_factory.mktemp('single') / 'single.db'}"
    db.upgrade(url)
    ingest_source(SourceConfig(key="seeds", kind="files", location=str(SEEDS)), url)
    facts = _facts(url)
    assert len(facts) >= 85
    return facts


def test_a_batch_with_one_article_the_database_refuses_stores_the_others(database_url):
    """One transaction per batch, all or nothing per article: the batch fails, is stored again article
    by article, and only the bad article is kept as failed, with the database's reason."""
    db.upgrade(database_url)
    source = SourceConfig(key="seeds", kind="files", location=str(SEEDS))
    source_id = prepare_source(source, database_url)
    refs = [ArticleRef(p.stem, str(p)) for p in sorted(SEEDS.glob("*.txt"))[:3]]
    done = process_refs(source, refs)
    assert [d.status for d in done] == ["ok", "ok", "ok"]
    bad = done[1].result
    bad.facts[0] = {**bad.facts[0], "kind": None}          # NOT NULL: the database refuses the row
    written = store_processed(source_id, done, database_url)
    assert [w.status for w in written] == ["ok", "failed", "ok"]
    assert "cannot be stored" in written[1].error and "null" in written[1].error.lower()
    with db.session(database_url) as s:
        stored = dict(s.execute(select(Article.article_key, Article.status)).all())
        facts = s.scalar(text("SELECT count(*) FROM facts"))
    assert stored == {refs[0].key: "ok", refs[1].key: "failed", refs[2].key: "ok"}
    assert facts == len(done[0].result.facts) + len(done[2].result.facts)      # nothing of the bad one


def test_a_batch_whose_worker_died_is_stored_as_failed_and_the_run_goes_on(tmp_path, monkeypatch):
    """A real worker process dies in the middle of the first batch: that batch and the one queued
    behind it in the broken pool are stored as failed, a new pool takes the rest, and the next run
    picks the failed ones up."""
    from run import ingest
    from run.runner import ProcessPool

    class DyingFirstBatch(ProcessPool):
        submitted = 0

        def submit(self, fn, *args):
            self.submitted += 1
            if self.submitted == 1:
                return super().submit(os._exit, 1)         # the worker process ends abruptly
            return super().submit(fn, *args)

    monkeypatch.setattr(ingest.thresholds, "BATCH_SIZE", 2)
    url = f"sqlite:///{tmp_path / 'dead.db'}"
    db.upgrade(url)
    source = SourceConfig(key="seeds", kind="files", location=str(SEEDS))
    pool = DyingFirstBatch(1)
    try:
        summary = ingest_source(source, url, pool)
    finally:
        pool.close()
    assert [w.status for w in summary.written] == ["failed"] * 4 + ["ok"]
    assert all("processing worker failed: BrokenProcessPool" in w.error for w in summary.written[:4])
    again = ingest_source(source, url)                      # the next run picks them up
    assert again.counts() == {"ok": 4, "unchanged": 1}


def test_several_workers_hash_what_they_hand_over_one_worker_leaves_it_to_the_writer():
    """The one writer of a run with several workers is what the run waits for: its workers work out
    each result's SimHash. Beside one worker the writer has a core to spare and works it out itself."""
    from pipeline.result import body_of
    from pipeline.simhash import simhash
    from run.ingest import process_batch
    from run.runner import InProcess, ProcessPool

    source = SourceConfig(key="seeds", kind="files", location=str(SEEDS))
    refs = [ArticleRef(p.stem, str(p)) for p in sorted(SEEDS.glob("*.txt"))[:2]]
    assert not InProcess().simhash_in_workers
    for workers, hashed in ((1, False), (2, True)):
        pool = ProcessPool(workers)
        try:
            assert pool.simhash_in_workers is hashed
            done = pool.submit(process_batch, refs, source, {}, None, pool.simhash_in_workers).result(timeout=300)
        finally:
            pool.close()
        assert [vars(d.result)["_simhash"] is not None for d in done] == [hashed, hashed]
        assert all(d.result.simhash == simhash(body_of(d.result.text)) for d in done)


def test_one_worker_gets_a_process_of_its_own_when_the_machine_has_another_core():
    """On one core the run processes in its own process; with more, its one worker is a process beside it."""
    from run.runner import EarlyStart, ProcessPool

    assert EarlyStart(workers=1, cores=1).executor() is None
    early = EarlyStart(workers=1, cores=2)
    pool = early.executor()
    try:
        assert isinstance(pool, ProcessPool) and pool.workers == 1 and pool.name == "1 worker process"
        assert pool.submit(os.getpid).result(timeout=300) != os.getpid()
    finally:
        pool.close()
        early.close()


@pytest.mark.parametrize("layout", [["--workers", "1"], ["--workers", "2"], ["--dask", "local:2"]],
                         ids=["one-worker", "pool", "dask-local"])
def test_vnfacts_run_in_worker_processes_stores_what_one_process_stores(single_process_facts, tmp_path, layout):
    """The workers started with the run (a fork server's pool, a local cluster) and the run writing."""
    url = f"sqlite:///{tmp_path / 'pool.db'}"
    run = subprocess.run([sys.executable, "-m", "cli.main", "run", "--no-prefect", *layout, "--db", url,
                          "--sources", str(ROOT / "corpus" / "sources.yaml")], capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 0, run.stderr
    assert _facts(url) == single_process_facts


@pytest.fixture
def dask_scheduler(tmp_path):
    """A Dask scheduler and two workers, each a process of its own, as on a cluster (here on 127.0.0.1)."""
    from conftest import free_port

    dask_cli = str(Path(sys.executable).with_name("dask"))
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([dask_cli, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=tmp_path)]
    address = f"tcp://127.0.0.1:{port}"
    for _ in range(2):
        procs.append(subprocess.Popen([dask_cli, "worker", address, "--nthreads", "1", "--no-dashboard",
                                       "--preload", "run.preload"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=tmp_path))
    try:
        from distributed import Client

        deadline = time.monotonic() + 120
        while True:
            try:
                with Client(address, timeout=5) as client:
                    client.wait_for_workers(2, timeout=120)
                break
            except (OSError, TimeoutError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        yield address
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()


@pytest.mark.postgres
def test_a_dask_cluster_over_tcp_stores_into_postgresql_what_one_process_stores(single_process_facts, dask_scheduler,
                                                                               postgres_url):
    run = subprocess.run([sys.executable, "-m", "cli.main", "run", "--no-prefect", "--dask", dask_scheduler,
                          "--db", postgres_url, "--sources", str(ROOT / "corpus" / "sources.yaml")],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    assert _facts(postgres_url) == single_process_facts
    from distributed import Client

    with Client(dask_scheduler, timeout=10) as client:      # the batches ran as tasks of this cluster
        assert "process_batch" in client.run_on_scheduler(lambda dask_scheduler: list(dask_scheduler.task_prefixes))


def test_a_local_dask_cluster_forks_its_workers_warm():
    """``--dask local:N``'s worker processes are forked from a fork server that loaded the models (as a
    process pool's are), not each loading its own copy after it starts."""
    probe = ("import os\nfrom distributed import Client\nfrom run.runner import local_cluster\n"
             "cluster = local_cluster(1)\nclient = Client(cluster)\n"
             "print(client.submit(lambda: __import__('run.preload').preload.LOADED_BY != os.getpid(), pure=False).result())\n"
             "client.close()\ncluster.close()\n")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "True"


def test_worker_processes_import_no_store():
    """The fork server's warm-up (run.preload: the models and the workers' module) leaves SQLAlchemy and
    the store out: workers only read and process, the run's own process writes."""
    probe = "import sys, run.preload; print(sorted(m for m in ('sqlalchemy', 'store', 'store.write') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[]"
