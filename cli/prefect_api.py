"""Where a ``vnfacts run`` reports: the Prefect API the settings name, a server already running on
this machine, or Prefect's temporary server — started as the very first thing the run does.

Prefect's own temporary server (``SubprocessASGIServer``) is started from inside the flow run, after
Prefect (1 s) and its server module (1.4 s) are imported in this process, and then imports the same
again in its subprocess: a 5-article run spent most of its time waiting for it. Started here, before
anything is imported, the server boots while this process imports Prefect, migrates the store and
loads the extractors. It is the same server Prefect starts (uvicorn over
``prefect.server.api.server:create_app`` in ephemeral mode, without the UI), stopped when the run ends.

Why a copy of Prefect's start-up and not ``SubprocessASGIServer`` itself: that class lives in the
module whose import is the cost avoided here. The copy is pinned: tests/test_flow.py reads
``SubprocessASGIServer._run_uvicorn_command`` of the installed Prefect and fails when its command or
its environment differ from :func:`uvicorn_command` and :func:`server_environment`. The one step
Prefect adds — the settings in force in the starting process
(``get_current_settings().to_environment_variables(exclude_unset=True)``) — is left out on purpose:
nothing in this process has set any yet (Prefect is not imported), and the server reads the same
environment, profile (``PREFECT_HOME``, ``PREFECT_PROFILE``) and ``prefect.toml`` / ``.env`` files
itself; a test starts this server under a profile and reads the setting back from its API.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

# What Prefect 3.8's SubprocessASGIServer sets for its temporary server (pinned in pyproject.toml).
EPHEMERAL_ENV = {"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
PORT_TAKEN_EXIT = 3            # uvicorn's exit status when the port was taken in the meantime


def running_server(api_url: str, timeout: float = 0.5) -> bool:
    """True when a Prefect API answers its health check at ``api_url``."""
    try:
        with urllib.request.urlopen(f"{api_url.rstrip('/')}/health", timeout=timeout) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


class TemporaryServer:
    """A Prefect API server in a subprocess on a free port of 127.0.0.1, for one run."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.process = self._start()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def _start(self) -> subprocess.Popen:
        return subprocess.Popen(uvicorn_command(self.port), env=server_environment(), stdin=subprocess.DEVNULL)

    def wait_ready(self, timeout: float) -> None:
        """Until the server answers; a server that cannot start is an error with its exit status."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            code = self.process.poll()
            if code == PORT_TAKEN_EXIT:             # another program took the port first: try another
                self.port = _free_port()
                self.process = self._start()
            elif code is not None:
                raise RuntimeError(f"Prefect's temporary server exited with status {code}")
            elif running_server(self.api_url, timeout=1.0):
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"Prefect's temporary server did not answer within {timeout:g} s")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def uvicorn_command(port: int) -> list[str]:
    """The command of Prefect 3.8's temporary server (``SubprocessASGIServer._run_uvicorn_command``)."""
    import importlib.util

    prefect_dir = Path(importlib.util.find_spec("prefect").origin).parent      # found, not imported
    return [sys.executable, "-m", "uvicorn", "--app-dir", str(prefect_dir.parent), "--factory",
            "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(port),
            "--log-level", "error", "--lifespan", "on"]


def server_environment() -> dict[str, str]:
    """The temporary server's environment: this process's, and what Prefect sets for ephemeral mode."""
    return {**os.environ, **EPHEMERAL_ENV}


def prefect_env() -> None:
    """Prefect settings for a command-line run, before Prefect is imported: flow and task logs go to
    the Prefect API (the UI shows them) while the terminal shows only Prefect's warnings; the
    temporary server (no PREFECT_API_URL) skips block registration and telemetry and may take its
    time to start on a busy machine."""
    from settings import thresholds

    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO")
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_API_BLOCKS_REGISTER_ON_START", "false")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", str(thresholds.PREFECT_SERVER_START_TIMEOUT_S))


def start_early(local_api: str | None) -> TemporaryServer | None:
    """A temporary server started now, unless the run will report elsewhere: PREFECT_API_URL in the
    environment, a server answering at ``local_api``, or temporary servers turned off. (An API URL
    set in a Prefect profile is only known once Prefect is imported: :func:`api_for_run` then stops
    the server started here.)"""
    if os.environ.get("PREFECT_API_URL") or (local_api and running_server(local_api)):
        return None
    if os.environ.get("PREFECT_SERVER_EPHEMERAL_ENABLED", "").lower() in ("0", "false", "no"):
        return None
    return TemporaryServer()


def api_for_run(server: TemporaryServer | None, local_api: str | None, timeout: float) -> str | None:
    """The API URL the run should set (None: the one in Prefect's settings). Imports Prefect."""
    from prefect.settings import PREFECT_API_URL

    if PREFECT_API_URL.value():                  # set in the environment or the active profile
        if server is not None:
            server.stop()
        return None
    if server is None:           # a server already running here, or none (temporary servers turned off)
        return local_api if local_api and running_server(local_api) else None
    server.wait_ready(timeout)
    return server.api_url


def run_settings(api: str | None, server: TemporaryServer | None) -> dict:
    """The Prefect settings a run's flow runs under (for ``temporary_settings``): the API it reports to
    (none: the one in Prefect's settings) and, when that is this run's own temporary server, no flow
    run heartbeats. Heartbeats let a server that outlives a run notice that the run died (Prefect's
    zombie-flow automation); a temporary server ends with the run, so nothing would ever read them,
    while the engine's heartbeat thread — it sleeps in steps of a whole second — is joined when the
    flow ends: up to a second of every run. A run killed on this machine is still marked ``Crashed``
    by the next run (``flows.take_over_from_killed_runs``). Imports Prefect."""
    from prefect.settings import PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY

    updates: dict = {PREFECT_API_URL: api} if api else {}
    if server is not None and api == server.api_url:
        updates[PREFECT_FLOWS_HEARTBEAT_FREQUENCY] = None
    return updates


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
