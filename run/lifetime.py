"""A run and every process it starts end together.

A run starts processes of its own — the temporary Prefect server, the fork server of a process pool
and its workers, their resource tracker, a local Dask cluster — that would outlive a run killed with SIGKILL (which no
handler sees). So the command runs in a child process that leads a process group of its own, and:

- the parent forwards SIGINT/SIGTERM/SIGHUP to that group, waits, and then kills whatever the group
  still holds (a server left behind by a crashed child);
- the child watches a pipe whose other end only the parent holds: when the parent dies, even by
  SIGKILL, the pipe reads end-of-file and the child kills its whole group, itself included.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

WATCH_FD = "VNFACTS_PARENT_FD"        # set in the child: the pipe that ends when the parent dies
FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def supervised() -> bool:
    """True in the child of :func:`run_in_own_group` (which then does the work)."""
    return WATCH_FD in os.environ


def run_in_own_group(argv: list[str]) -> int:
    """Run ``argv`` in a new process group, end the group with it, and return its exit status
    (128 + N when signal N ended it)."""
    read_end, write_end = os.pipe()
    child = subprocess.Popen(argv, process_group=0, pass_fds=(read_end,),
                             env={**os.environ, WATCH_FD: str(read_end)})
    os.close(read_end)                # the parent keeps only the write end, and never writes to it

    def forward(signum, _frame):
        _kill_group(child.pid, signum)

    previous = {sig: signal.signal(sig, forward) for sig in FORWARDED}
    try:
        code = child.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        _kill_group(child.pid, signal.SIGKILL)     # whatever the run left behind
        os.close(write_end)
    return 128 - code if code < 0 else code


def watch_parent() -> None:
    """In the child: end the whole process group as soon as the parent is gone."""
    fd = int(os.environ.pop(WATCH_FD))
    os.set_inheritable(fd, False)     # the run's own children do not keep the pipe open

    def wait_for_eof():
        try:
            while os.read(fd, 1):
                pass
        except OSError:
            pass
        sys.stderr.flush()
        _kill_group(0, signal.SIGKILL)

    threading.Thread(target=wait_for_eof, name="vnfacts-parent-watch", daemon=True).start()


def _kill_group(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass
