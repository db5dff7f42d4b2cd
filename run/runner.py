"""Where batches of articles are processed: in this process, in a pool of worker processes on this
machine, or on a Dask cluster. The caller is the one writer: it gets each batch's results back in
order and stores them while the next batches are being processed.

At most ``in_flight`` batches are outstanding at any time, so memory stays flat however many
articles a source has. A batch whose worker died (every article's own failure is caught inside the
worker) comes back as the exception, for the caller to store as failed article by article.

The layouts, and why:
- ``InProcess``: processing and writing take turns in one process — ``--workers 1`` on a machine
  of one core (nothing is gained there by overlapping them, and it costs no start-up), and any
  caller of :func:`run_sources` that gives no executor.
- ``ProcessPool`` (``--workers N``): N processes forked from a fork server that loaded the
  extractors' models once (the workers share those pages); this process only writes, overlapping
  with the workers. ``vnfacts run --workers 1`` on a machine of more than one core is a pool of one:
  the run's own process (Prefect's client, the progress bar, the writer) then works on another core
  than the worker instead of taking turns with it (:class:`EarlyStart`).
- ``DaskCluster`` (``--dask local:N`` or ``tcp://HOST:PORT``): batches are Dask tasks on the
  cluster's workers, results come back to this process, which writes (see docs/SCALE.md).
"""
from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from typing import Any

import regex

from pipeline.errors import ConfigError
from settings import thresholds

DASK_SPEC = regex.compile(r"local:[1-9]\d*|tcp://[^\s:/]+:\d{1,5}")


class InProcess:
    """Runs each batch when it is submitted, in this process.

    Every executor says, as ``simhash_in_workers``, whether its workers should work out each
    article's SimHash (see :attr:`pipeline.result.ArticleResult.simhash`): yes when there are several
    of them, as the one writer then is what the run waits for; no beside one worker, when the writer
    has a core to spare and works it out itself."""

    in_flight = 1
    name = "1 process"
    simhash_in_workers = False

    def submit(self, fn: Callable, *args: Any) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args))
        except Exception as exc:          # a crashed batch is reported like a dead worker's (Ctrl-C still stops)
            future.set_exception(exc)
        return future

    def close(self) -> None:
        pass


class ProcessPool:
    """``workers`` processes forked from a fork server that imported :mod:`run.preload`
    (models loaded once, shared copy-on-write). A fork server, not a plain fork of this process:
    this process runs threads (Prefect's, the progress bar's), and forking a threaded process can
    leave a lock held forever in the child."""

    def __init__(self, workers: int, in_flight: int | None = None):
        self.workers = workers
        self.pool = self._new_pool()
        self.in_flight = in_flight or thresholds.IN_FLIGHT_PER_WORKER * workers
        self.name = f"{workers} worker process" + ("es" if workers > 1 else "")
        self.simhash_in_workers = workers > 1

    def _new_pool(self):
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(max_workers=self.workers, mp_context=fork_server())

    def submit(self, fn: Callable, *args: Any) -> Future:
        from concurrent.futures.process import BrokenProcessPool

        try:
            return self.pool.submit(fn, *args)
        except BrokenProcessPool:
            # A worker died (killed, out of memory): the batches the pool held come back failed, and a
            # new pool takes the rest of the run instead of every later batch failing too.
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = self._new_pool()
            return self.pool.submit(fn, *args)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class DaskCluster:
    """Batches as tasks of a Dask cluster: ``local:N`` starts N worker processes on this machine
    (closed with the run), ``tcp://HOST:PORT`` connects to a running scheduler whose workers can
    import vnfacts (same checkout and settings on every machine)."""

    def __init__(self, spec: str, in_flight: int | None = None):
        check_dask(spec)
        from distributed import Client

        self.cluster = None
        if spec.startswith("local:"):
            self.cluster = local_cluster(int(spec.split(":", 1)[1]))
            self.client = Client(self.cluster)
        else:
            self.client = Client(spec, timeout=30)
        workers = max(1, len(self.client.scheduler_info().get("workers", {})))
        self.in_flight = in_flight or thresholds.IN_FLIGHT_PER_WORKER * workers
        self.name = f"Dask {spec} ({workers} workers)"
        self.simhash_in_workers = True          # (a cluster's workers may be many, or grow)

    def submit(self, fn: Callable, *args: Any) -> Future:
        return self.client.submit(fn, *args, pure=False)

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def fork_server():
    """The fork-server context whose server has imported :mod:`run.preload` (started on first use)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["run.preload"])
    return context


def start_fork_server() -> None:
    """Start the fork server now (it loads the models while the caller goes on); a no-op once it runs."""
    from multiprocessing import forkserver

    fork_server()
    forkserver.ensure_running()


def local_cluster(n: int):
    """A Dask cluster of ``n`` single-threaded worker processes on this machine, forked warm from a
    fork server that imported :mod:`run.preload` (the models loaded once, shared like a process
    pool's; each worker still names it as its preload, a no-op there)."""
    import dask
    from distributed import LocalCluster
    from distributed.utils import get_mp_context

    with dask.config.set({"distributed.worker.multiprocessing-method": "forkserver"}):
        # Dask sets its fork server's preload on first use (its own packages); set after it, ours
        # holds: without it each worker process imported and loaded everything itself (≈ 1.4 s of
        # CPU each, and its own copy of the models).
        get_mp_context().set_forkserver_preload(["distributed", "run.preload"])
        return LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None,
                            preload=["run.preload"], silence_logs=50)


class EarlyStart:
    """The workers of a run, started before the run needs them, so that they load their models while
    the run does its own start-up (Prefect's server, migrating the store): the fork server of
    ``--workers N``, the local cluster of ``--dask local:N``. ``dask`` is then what the run should
    use (the started cluster's address); ``close()`` ends what was started."""

    def __init__(self, workers: int = 1, dask: str | None = None, cores: int | None = None):
        self.workers, self.dask, self.cluster = workers, dask, None
        self.pooled = pooled_workers(workers, dask, cores)
        if dask and dask.startswith("local:"):
            check_dask(dask)
            self.cluster = local_cluster(int(dask.split(":", 1)[1]))
            self.dask = self.cluster.scheduler_address
        elif self.pooled:
            start_fork_server()

    def executor(self):
        """The run's executor over the workers started here (a process pool, a Dask client), for a
        head start or the run to use; None when the run processes in its own process."""
        if self.dask:
            return executor_for(self.workers, self.dask)
        return ProcessPool(self.workers) if self.pooled else None

    def close(self) -> None:
        if self.cluster is not None:
            self.cluster.close()


def pooled_workers(workers: int, dask: str | None = None, cores: int | None = None) -> bool:
    """Whether a run's workers are processes of a pool: for ``--workers N`` > 1, and for one worker
    when another core can run the run's own process beside it; not with Dask (the cluster's)."""
    return not dask and (workers > 1 or (cores or os.cpu_count() or 1) > 1)


def check_dask(spec: str) -> None:
    """``local:N`` (N ≥ 1) or ``tcp://HOST:PORT``; anything else is a usage error."""
    if not DASK_SPEC.fullmatch(spec or ""):
        raise ConfigError(f"--dask must be local:N or tcp://HOST:PORT, not {spec!r}")


def executor_for(workers: int = 1, dask: str | None = None):
    """The layout the options ask for (see the module's docstring)."""
    if workers < 1:
        raise ConfigError("--workers must be at least 1")
    if dask:
        return DaskCluster(dask)
    if workers > 1:
        return ProcessPool(workers)
    return InProcess()


def run_batches(executor, fn: Callable, batches: Iterable[list],
                args_for: Callable[[list], tuple] = lambda batch: ()) -> Iterator[tuple[list, Any]]:
    """``(batch, fn(batch, *args_for(batch)))`` for each batch, in order, with up to
    ``executor.in_flight`` batches being processed while the caller works on the one it was given;
    a batch whose worker failed yields the exception instead of its result."""
    pending: deque[tuple[list, Future]] = deque()
    for batch in batches:
        pending.append((batch, executor.submit(fn, batch, *args_for(batch))))
        if len(pending) >= executor.in_flight:
            yield _done(*pending.popleft())
    while pending:
        yield _done(*pending.popleft())


def _done(batch: list, future) -> tuple[list, Any]:
    try:
        return batch, future.result()
    except Exception as exc:
        return batch, exc
