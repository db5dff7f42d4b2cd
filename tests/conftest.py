"""Shared fixtures: a fresh database on SQLite and on the real PostgreSQL server, a Prefect harness."""
from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from pathlib import Path

import pytest

# The suite's flow runs go to a Prefect home of its own (profile, temporary server's database, logs),
# never the user's ~/.prefect, and no run of the suite — in this process or a `vnfacts run` child —
# reports to a server that happens to answer on this machine (its own PREFECT_API_URL, port 4200).
# Set before anything imports Prefect, which reads its settings once.
PREFECT_HOME = tempfile.mkdtemp(prefix="vnfacts-tests-prefect-")
os.environ["PREFECT_HOME"] = PREFECT_HOME
os.environ["VNFACTS_PREFECT_LOCAL_API"] = ""
for _name in ("PREFECT_API_URL", "PREFECT_PROFILES_PATH", "PREFECT_PROFILE"):
    os.environ.pop(_name, None)


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(PREFECT_HOME, ignore_errors=True)
    session.config.stash[EXIT_STATUS] = int(exitstatus)


EXIT_STATUS = pytest.StashKey[int]()


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    """Leave as soon as pytest is done. The interpreter's own teardown of the suite's heap (the models,
    Prefect, SQLAlchemy, the browser client) kept the process alive for tens of seconds after the
    summary, with nothing left to write: every report and cache is written by now."""
    if EXIT_STATUS in config.stash:
        import sys

        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(config.stash[EXIT_STATUS])

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = ROOT / "corpus" / "seeds"
GOLD = ROOT / "corpus" / "gold"
POSTGRES_URL = os.environ.get("VNFACTS_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REQUIRE_POSTGRES = os.environ.get("VNFACTS_REQUIRE_POSTGRES") == "1"


def _postgres_available() -> str | None:
    import sqlalchemy

    try:
        eng = sqlalchemy.create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with eng.connect():
            pass
        eng.dispose()
        return None
    except Exception as exc:  # any connection failure means "no server here"
        return f"{type(exc).__name__}: {str(exc).splitlines()[0]}"


@pytest.fixture(scope="session")
def postgres_server() -> str:
    problem = _postgres_available()
    if problem:
        if REQUIRE_POSTGRES:
            pytest.fail(f"PostgreSQL required (VNFACTS_REQUIRE_POSTGRES=1) but not reachable at {POSTGRES_URL}: {problem}")
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL}: {problem}")
    return POSTGRES_URL


@pytest.fixture
def postgres_url(postgres_server: str):
    """A URL whose connections use a schema of their own, dropped afterwards."""
    import sqlalchemy

    schema = f"vnfacts_test_{uuid.uuid4().hex[:10]}"
    admin = sqlalchemy.create_engine(postgres_server)
    with admin.begin() as conn:
        conn.execute(sqlalchemy.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in postgres_server else "?"
    yield f"{postgres_server}{sep}options=-csearch_path%3D{schema}"
    _dispose_cached_engines(schema)
    with admin.begin() as conn:
        conn.execute(sqlalchemy.text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def _dispose_cached_engines(marker: str) -> None:
    from store import db

    # Engines are kept per URL; close the pooled connections of this test's schema before dropping it.
    for url, eng in list(db.ENGINES.items()):
        if marker in url:
            eng.dispose()
            del db.ENGINES[url]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    """The same test on a new SQLite file and on a new PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'facts.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect API for every flow test of the session (it takes seconds to start)."""
    from prefect.testing.utilities import prefect_test_harness

    from settings import thresholds

    # the default 30 s is not enough on a busy 2-core machine
    with prefect_test_harness(server_startup_timeout=thresholds.PREFECT_SERVER_START_TIMEOUT_S):
        yield


@pytest.fixture
def web():
    """The fixture site on a real HTTP server at 127.0.0.1 (a new port each test)."""
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from http_fixtures import FixtureServer

    from pipeline import fetch_web

    fetch_web._fetchers.clear()
    with FixtureServer() as server:
        yield server
    fetch_web._fetchers.clear()


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """The web app on a real HTTP server at 127.0.0.1, in a thread, for browser and API tests."""

    def __init__(self, app):
        import threading

        import uvicorn

        self.app = app
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self):
        import time

        self.thread.start()
        for _ in range(200):
            if self.server.started:
                break
            time.sleep(0.05)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(timeout=5)
