"""The ``vnfacts`` command's entry point, kept light so that ``vnfacts run`` gets going at once.

``vnfacts run`` runs in a child process that leads a process group of its own (:mod:`run.lifetime`:
Prefect's server and the workers end with the run, even on SIGKILL). The supervising parent only
waits, so it re-executes itself here, before anything heavy is imported: importing the command line
(typer, rich, the run's modules: about 0.4 s) would be paid twice, once by a process that does
nothing with it. The child then starts Prefect's temporary server as its very first step
(:mod:`cli.prefect_api`), so that the server boots — mostly importing ``prefect.server``, about
2 s — while the child imports the command line, migrates the store and loads the models.

Only ``run`` is looked at here, and only by its name and ``--no-prefect``; typer still parses every
argument in the child (a usage error is reported there, and the server started for it is stopped).
Every other command goes straight to :func:`cli.main.main`.
"""
from __future__ import annotations

import gc
import os
import sys


def main() -> None:
    from run import lifetime

    argv = sys.argv[1:]
    if argv[:1] != ["run"] or "--help" in argv or _in_process_only(argv):
        return _cli(None)
    if not lifetime.supervised():
        sys.exit(lifetime.run_in_own_group([sys.executable, "-m", "cli", *argv]))
    server = None                    # (the run command itself starts watching the parent)
    _start_workers_early(argv)
    if "--no-prefect" not in argv:
        from cli.prefect_api import prefect_env, start_early
        from settings import prefect_local_api

        prefect_env()
        server = start_early(prefect_local_api())
    try:
        _cli(server)
    finally:
        if server is not None:
            server.stop()            # stopped by the run already, unless it never got that far (a usage error)


def _in_process_only(argv: list[str]) -> bool:
    """``run --no-prefect`` without workers on a machine of one core starts no process of its own: it
    needs no supervisor. (Any ``--workers`` or ``--dask`` counts: typer checks their values in the child.)"""
    return "--no-prefect" in argv and not any(a.startswith(("--workers", "--dask")) for a in argv) \
        and (os.cpu_count() or 1) == 1


def _start_workers_early(argv: list[str]) -> None:
    """The fork server of the run's worker processes, started before anything else: it imports the
    extractors and loads their models (the first article waits for that), while this process imports
    the command line and Prefect's server boots. The run's :class:`run.runner.EarlyStart` finds it
    running. Only when the arguments plainly ask for a pool; anything unusual is left to the run."""
    if any(a.startswith("--dask") for a in argv):
        return
    workers = 1
    for i, a in enumerate(argv):
        value = a.partition("=")[2] if a.startswith("--workers=") else \
            (argv[i + 1] if a == "--workers" and i + 1 < len(argv) else None)
        if value is not None:
            if not value.isdigit() or int(value) < 1:
                return
            workers = int(value)
    from run.runner import pooled_workers, start_fork_server

    if pooled_workers(workers):
        start_fork_server()


def _cli(server) -> None:
    from cli.main import main as cli_main

    try:
        cli_main(server)
    finally:
        # The command is done; what is left is the interpreter's teardown, whose collections would walk
        # every object of the models and Prefect (about 0.4 s after a run): frozen, they are skipped.
        gc.freeze()
