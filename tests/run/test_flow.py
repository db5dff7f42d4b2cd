"""The Prefect flow end to end, against a temporary Prefect API and a real database."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from store import db
from store.models import Article

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def test_ingest_flow_over_the_bundled_corpus_then_again(prefect_harness, database_url, tmp_path, monkeypatch):
    from flows import ingest_flow

    monkeypatch.setenv("VNFACTS_DATABASE_URL", database_url)
    summary = ingest_flow(str(ROOT / "corpus" / "sources.yaml"))
    assert summary.counts() == {"ok": 5}
    assert summary.facts >= 85
    again = ingest_flow(str(ROOT / "corpus" / "sources.yaml"))
    assert again.counts() == {"unchanged": 5}
    with db.session(database_url) as s:
        assert s.scalar(select(func.count()).select_from(Article)) == 5


def test_flow_goes_on_past_a_bad_article_and_skips_disabled_sources(prefect_harness, tmp_path, monkeypatch):
    from flows import ingest_flow

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "ok.txt").write_text("Toàn tỉnh cấp 120 thẻ căn cước.", encoding="utf-8")
    (folder / "broken.txt").write_bytes(b"\x00" * 10)
    (tmp_path / "sources.yaml").write_text(
        "sources:\n"
        "  - {key: local, kind: files, path: articles}\n"
        "  - {key: paused, kind: files, path: nowhere, enabled: false}\n", encoding="utf-8")
    monkeypatch.setenv("VNFACTS_TEST_DB", f"sqlite:///{tmp_path / 'f.db'}")
    summary = ingest_flow(str(tmp_path / "sources.yaml"), "VNFACTS_TEST_DB")
    assert sorted(w.status for w in summary.written) == ["ok", "quarantined"]


def _facts(url: str) -> set[tuple]:
    from sqlalchemy import text

    with db.session(url) as s:
        return {tuple(r) for r in s.execute(text(
            "SELECT article, kind, value, unit, qualifier, role, period, concept, value_start FROM facts_current"))}


def test_process_pool_and_dask_runs_store_the_same_facts_as_one_process(prefect_harness, postgres_url, tmp_path,
                                                                       monkeypatch):
    from flows import run_flow
    from run.ingest import ingest_source
    from pipeline.sources import load_sources

    sources = str(ROOT / "corpus" / "sources.yaml")
    single = f"sqlite:///{tmp_path / 'single.db'}"
    db.upgrade(single)
    for source in load_sources(Path(sources)):
        ingest_source(source, single)
    expected = _facts(single)
    assert len(expected) >= 85

    pooled = f"sqlite:///{tmp_path / 'pooled.db'}"
    monkeypatch.setenv("VNFACTS_POOLED", pooled)
    assert run_flow(sources, "VNFACTS_POOLED", workers=2).counts() == {"ok": 5}
    assert _facts(pooled) == expected

    monkeypatch.setenv("VNFACTS_DATABASE_URL", postgres_url)
    assert run_flow(sources, dask="local:2").counts() == {"ok": 5}
    assert _facts(postgres_url) == expected


def test_flow_over_a_web_source_stores_pages_and_failures(prefect_harness, web, tmp_path, monkeypatch):
    """The Prefect flow against the fixture site: pages cleaned and stored, faults stored with reasons."""
    from flows import ingest_flow

    web.site.add("/mix/index.html", 200, {"Content-Type": "text/html; charset=utf-8"},
                 "".join(f'<h3 class="title"><a href="{p}">x</a></h3>' for p in
                         ("/tin-tuc/bai-1.html", "/tin-tuc/bai-3.html", "/error500.html", "/loop-a.html")).encode())
    (tmp_path / "sources.yaml").write_text(
        "sources:\n"
        f"  - {{key: mix, kind: html_index, url: '{web.base}/mix/index.html', link_selector: 'h3.title a',\n"
        "      delay: 0, timeout: 2, retry_delays: [0.05], clean: {remove_selectors: ['.related', '.share']}}\n",
        encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'flow-web.db'}"
    monkeypatch.setenv("VNFACTS_DATABASE_URL", url)
    summary = ingest_flow(str(tmp_path / "sources.yaml"))
    assert sorted(w.status for w in summary.written) == ["failed", "ok", "ok", "quarantined"]
    with db.session(url) as s:
        rows = {a.article_key.rsplit("_", 1)[0]: a for a in s.scalars(select(Article))}
    assert "HTTP 500" in rows["error500"].error and "redirects" in rows["loop-a"].error
    assert "Tin liên quan" not in rows["bai-1"].cleaned_text and rows["bai-1"].etag
    again = ingest_flow(str(tmp_path / "sources.yaml"))
    assert sorted(w.status for w in again.written) == ["failed", "quarantined", "unchanged", "unchanged"]


def test_flow_and_task_logs_reach_the_prefect_api(prefect_harness, tmp_path, monkeypatch):
    """The UI shows what the run logged: read the flow run's logs back from the API."""
    import asyncio

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
    from prefect.logging.handlers import APILogWorker

    from flows import ingest_flow

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "ok.txt").write_text("Toàn tỉnh cấp 120 thẻ căn cước.", encoding="utf-8")
    (folder / "broken.txt").write_bytes(b"\x00" * 10)
    (tmp_path / "sources.yaml").write_text("sources:\n  - {key: local, kind: files, path: articles}\n", encoding="utf-8")
    monkeypatch.setenv("VNFACTS_DATABASE_URL", f"sqlite:///{tmp_path / 'logs.db'}")
    state = ingest_flow(str(tmp_path / "sources.yaml"), return_state=True)
    flow_run_id = state.state_details.flow_run_id
    APILogWorker.drain_all(timeout=60)              # logs are sent in batches: send what is queued

    async def logs():
        async with get_client() as client:
            # limit and offset given: this Prefect's client sends null for them, which its server refuses
            return await client.read_logs(LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run_id])), limit=200,
                                          offset=0)

    messages = [log.message for log in asyncio.run(logs())]
    assert "local: 2 articles listed" in messages                                  # a task's log
    assert any(m.startswith("local: 2 articles processed") for m in messages)
    assert "local: 2/2 articles stored, 1 facts" in messages                       # the flow's
    assert "local/broken quarantined: binary content, not text" in messages


def test_the_deployment_names_the_database_never_a_url(monkeypatch):
    """The served deployment carries a schedule and parameters without a secret; a URL passed as the
    database parameter is refused before anything is stored."""
    from flows import DEPLOYMENT, database_url, ingest_flow
    from pipeline.errors import ConfigError

    deployment = ingest_flow.to_deployment(**DEPLOYMENT)
    assert deployment.parameters == {"sources_file": "corpus/sources.yaml", "database": "VNFACTS_DATABASE_URL"}
    assert deployment.schedules[0].schedule.cron == "0 2 * * *"
    monkeypatch.setenv("VNFACTS_DATABASE_URL", "postgresql+psycopg://app:secret@db:5432/vnfacts")
    assert database_url("VNFACTS_DATABASE_URL").endswith("@db:5432/vnfacts")
    with pytest.raises(ConfigError, match="NAME of an environment variable"):
        database_url("postgresql+psycopg://app:secret@db:5432/vnfacts")


def test_prefect_flow_run_ls_and_logs_work_against_the_server(prefect_harness, tmp_path, monkeypatch):
    """The README's way of watching runs: `prefect flow-run ls` and `prefect flow-run logs` against the
    API the runs report to (fastapi is pinned to a version whose body parsing Prefect's server expects)."""
    import os
    import subprocess
    import sys
    from importlib.metadata import version

    from prefect.settings import PREFECT_API_URL

    pinned = next(line.split("==")[1] for line in (ROOT / "requirements.lock").read_text().splitlines()
                  if line.startswith("fastapi=="))
    if version("fastapi") != pinned:
        pytest.skip(f"fastapi {version('fastapi')} installed, {pinned} pinned: make install (or pip install -c requirements.lock)")

    from flows import ingest_flow

    monkeypatch.setenv("VNFACTS_DATABASE_URL", f"sqlite:///{tmp_path / 'ls.db'}")
    state = ingest_flow(str(ROOT / "corpus" / "sources.yaml"), return_state=True)
    prefect_cli = str(Path(sys.executable).with_name("prefect"))
    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value()}
    listed = subprocess.run([prefect_cli, "flow-run", "ls", "--flow-name", "vnfacts-ingest"], capture_output=True,
                            text=True, env=env, timeout=300)
    assert listed.returncode == 0 and "Traceback" not in listed.stdout + listed.stderr, listed.stdout + listed.stderr
    assert str(state.state_details.flow_run_id)[:8] in listed.stdout
    from prefect.logging.handlers import APILogWorker

    APILogWorker.drain_all(timeout=60)
    logs = subprocess.run([prefect_cli, "flow-run", "logs", str(state.state_details.flow_run_id)], capture_output=True,
                          text=True, env=env, timeout=300)
    assert logs.returncode == 0, logs.stdout + logs.stderr
    assert "seeds: 5/5 articles stored, 91 facts" in logs.stdout


def test_a_run_reports_to_a_running_local_server_instead_of_starting_one(prefect_harness, monkeypatch):
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from cli.prefect_api import api_for_run, running_server, start_early

    api = PREFECT_API_URL.value()
    assert running_server(api) and not running_server("http://127.0.0.1:9/api")
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        assert not PREFECT_API_URL.value()
        assert start_early(local_api=api) is None                   # nothing started: one answers there
        assert api_for_run(None, api, timeout=5) == api
    monkeypatch.setenv("PREFECT_API_URL", api)
    assert start_early(local_api="http://127.0.0.1:9/api") is None  # PREFECT_API_URL is set


def test_a_temporary_server_started_early_answers_and_stops(monkeypatch):
    """The server a run starts before importing Prefect is a working Prefect API, and gone after stop()."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from cli.prefect_api import TemporaryServer, api_for_run, running_server, start_early
    from settings import thresholds

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    server = start_early(local_api="http://127.0.0.1:9/api")
    assert isinstance(server, TemporaryServer)
    try:
        with temporary_settings(restore_defaults={PREFECT_API_URL}):
            assert api_for_run(server, "http://127.0.0.1:9/api", thresholds.PREFECT_SERVER_START_TIMEOUT_S) == server.api_url
        assert running_server(server.api_url)
    finally:
        server.stop()
    assert server.process.poll() is not None and not running_server(server.api_url)


def _flow_runs(client, state_types=None):
    from prefect.client.schemas.filters import FlowFilter, FlowFilterName, FlowRunFilter, FlowRunFilterState, \
        FlowRunFilterStateType

    from flows import FLOW_NAME

    run_filter = FlowRunFilter(state=FlowRunFilterState(type=FlowRunFilterStateType(any_=state_types))) \
        if state_types else None
    return client.read_flow_runs(flow_filter=FlowFilter(name=FlowFilterName(any_=[FLOW_NAME])), flow_run_filter=run_filter)


def _sources(tmp_path: Path, name: str, copies: int = 0, binary: bool = False) -> Path:
    import shutil

    folder = tmp_path / name
    folder.mkdir()
    seeds = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
    for i in range(copies):
        shutil.copy(seeds[i % len(seeds)], folder / f"copy{i:03d}.txt")
    shutil.copy(seeds[0], folder / "good.txt")
    if binary:
        (folder / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 200)
    sources = tmp_path / f"{name}.yaml"
    sources.write_text(f"sources:\n  - key: {name}\n    kind: files\n    path: {folder}\n", encoding="utf-8")
    return sources


def test_a_run_killed_with_sigkill_is_marked_crashed_by_the_next_run(prefect_harness, tmp_path):
    """A real `vnfacts run` killed with SIGKILL cannot report its end: its flow run stays Running until
    the next run on this machine finds its process gone and marks it Crashed (read back through the API)."""
    import os
    import signal
    import subprocess
    import sys
    import time

    import psutil
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.objects import StateType
    from prefect.settings import PREFECT_API_URL

    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(), "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "cli.main", "run", "--db", f"sqlite:///{tmp_path / 'killed.db'}"]
    with get_client(sync_client=True) as client:
        before = {r.id for r in _flow_runs(client)}
        victim = subprocess.Popen([*command, "--sources", str(_sources(tmp_path, "slow", copies=40))], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        deadline = time.monotonic() + 300
        running = None
        while running is None and time.monotonic() < deadline and victim.poll() is None:
            running = next((r for r in _flow_runs(client, [StateType.RUNNING])
                            if r.id not in before and r.infrastructure_pid), None)
            time.sleep(0.2)
        assert running is not None, "the run never showed up Running with its process recorded"
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=60)
        worker = int(running.infrastructure_pid.rpartition(":")[2])
        assert worker != victim.pid                          # the flow ran in the supervised child …
        psutil.wait_procs([psutil.Process(worker)] if psutil.pid_exists(worker) else [], timeout=60)
        assert not psutil.pid_exists(worker)                 # … which went down with the command
        assert client.read_flow_run(running.id).state.type == StateType.RUNNING      # nobody told Prefect

        nxt = subprocess.run([*command, "--sources", str(_sources(tmp_path, "next"))], env=env, capture_output=True,
                             text=True, timeout=600, cwd=ROOT)
        assert nxt.returncode == 0, nxt.stderr
        state = client.read_flow_run(running.id).state
        assert state.type == StateType.CRASHED and f"its process ({worker} on " in state.message
        latest = [r for r in _flow_runs(client) if r.id not in before and r.id != running.id]
        assert [r.state.type for r in latest] == [StateType.COMPLETED]
        assert f"marked Crashed by flow run {latest[0].name!r}" in state.message


def test_a_run_with_a_binary_file_ends_completed_with_failures_and_carries_its_summary(tmp_path):
    """Without PREFECT_API_URL a run reports to its own temporary server, whose database is in the
    suite's PREFECT_HOME (never ~/.prefect); a server started on that home afterwards shows the run's
    final state and its summary artifact through Prefect's API."""
    import json
    import os
    import subprocess
    import sys

    import httpx
    import regex
    from conftest import PREFECT_HOME

    from cli.prefect_api import TemporaryServer
    from flows import COMPLETED_WITH_FAILURES, SUMMARY_ARTIFACT

    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    ran = subprocess.run([sys.executable, "-m", "cli.main", "run", "--sources", str(_sources(tmp_path, "mixed", binary=True)),
                          "--db", f"sqlite:///{tmp_path / 'mixed.db'}"], env={**env, "PYTHONPATH": str(ROOT)},
                         capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert ran.returncode == 3, ran.stderr
    assert (Path(PREFECT_HOME) / "prefect.db").is_file()

    server = TemporaryServer()
    try:
        server.wait_ready(120)
        api = httpx.Client(base_url=server.api_url, timeout=60)
        runs = api.post("/flow_runs/filter", json={"flows": {"name": {"any_": ["vnfacts-ingest"]}},
                                                    "sort": "START_TIME_DESC", "limit": 1}).json()
        state = runs[0]["state"]
        assert (state["type"], state["name"]) == ("COMPLETED", COMPLETED_WITH_FAILURES)
        assert regex.fullmatch(r"1 ok, 1 quarantined, \d+ facts written", state["message"]), state["message"]
        artifacts = api.post("/artifacts/filter", json={"artifacts": {"flow_run_id": {"any_": [runs[0]["id"]]}}}).json()
        assert [a["key"] for a in artifacts] == [SUMMARY_ARTIFACT] and artifacts[0]["type"] == "table"
        table = json.loads(artifacts[0]["data"])
        assert table == [{"source": "mixed", "ok": 1, "unchanged": 0, "duplicate": 0, "failed": 0, "quarantined": 1,
                          "facts written": table[0]["facts written"]}] and table[0]["facts written"] > 10
        assert "mixed/binary: quarantined: binary content, not text" in artifacts[0]["description"]
    finally:
        server.stop()


def _prefect_server_start():
    """The command and environment expressions of the installed Prefect's SubprocessASGIServer, read
    from its source: constants as values, anything else as its source text."""
    import ast
    import inspect
    import textwrap

    from prefect.server.api.server import SubprocessASGIServer

    tree = ast.parse(textwrap.dedent(inspect.getsource(SubprocessASGIServer._run_uvicorn_command)))
    call = next(n for n in ast.walk(tree) if isinstance(n, ast.Call) and ast.unparse(n.func) == "subprocess.Popen")
    keywords = {k.arg: k.value for k in call.keywords}
    command = [e.value if isinstance(e, ast.Constant) else ast.unparse(e) for e in keywords["args"].elts]
    server_env = next(n.value for n in ast.walk(tree) if isinstance(n, ast.Assign) and ast.unparse(n.targets[0]) == "server_env")
    environment = [ast.unparse(v) if k is None else ast.unparse(k) for k, v in zip(keywords["env"].keys, keywords["env"].values)]
    return command, ast.literal_eval(server_env), environment


def test_the_early_server_is_started_as_the_installed_prefect_starts_its_own():
    """cli/prefect_api.py copies Prefect's start-up of its temporary server (to start it before
    Prefect is imported): the command and the ephemeral settings must be Prefect's, or this fails."""
    import sys

    import prefect

    from cli.prefect_api import EPHEMERAL_ENV, server_environment, uvicorn_command

    command, ephemeral, environment = _prefect_server_start()
    expressions = {"sys.executable": sys.executable, "str(prefect.__module_path__.parent)": str(prefect.__module_path__.parent),
                   "str(self.port)": "4321"}
    assert uvicorn_command(4321) == [expressions.get(part, part) for part in command]
    assert EPHEMERAL_ENV == ephemeral
    assert server_environment().items() >= EPHEMERAL_ENV.items()
    # Prefect's environment: this process's, the ephemeral settings, and the settings in force in
    # the starting process — which the early server reads itself (next test). A new step fails here.
    assert environment == ["os.environ", "server_env", "get_current_settings().to_environment_variables(exclude_unset=True)"]


def test_the_early_server_reads_the_settings_prefect_would_pass_it(tmp_path, monkeypatch):
    """The step the copy leaves out passes the starting process's settings to the server: started
    under a profile, the early server has the profile's setting without it."""
    import json
    import subprocess
    import sys
    import urllib.request

    from cli.prefect_api import TemporaryServer
    from settings import thresholds

    home = tmp_path / "prefect-home"
    home.mkdir()
    (home / "profiles.toml").write_text('active = "vnfacts-test"\n\n[profiles.vnfacts-test]\n'
                                        'PREFECT_SERVER_API_DEFAULT_LIMIT = "123"\n', encoding="utf-8")
    monkeypatch.setenv("PREFECT_HOME", str(home))
    for name in ("PREFECT_PROFILE", "PREFECT_API_URL", "PREFECT_SERVER_API_DEFAULT_LIMIT", "PREFECT_API_DEFAULT_LIMIT"):
        monkeypatch.delenv(name, raising=False)
    passed = subprocess.run([sys.executable, "-c", "import json; from prefect.settings import get_current_settings; "
                             "print(json.dumps(get_current_settings().to_environment_variables(exclude_unset=True)))"],
                            capture_output=True, text=True, check=True)
    assert json.loads(passed.stdout)["PREFECT_SERVER_API_DEFAULT_LIMIT"] == "123"     # what Prefect would pass
    server = TemporaryServer()
    try:
        server.wait_ready(thresholds.PREFECT_SERVER_START_TIMEOUT_S)
        with urllib.request.urlopen(f"{server.api_url}/admin/settings", timeout=10) as response:
            settings = json.loads(response.read())
    finally:
        server.stop()
    assert settings["server"]["api"]["default_limit"] == 123


def _flow_run_events(api: str, flow_run_id) -> list[str]:
    """The names of the events the server stored about one flow run, once its completion is among them."""
    import time

    from prefect.client.orchestration import get_client
    from prefect.events.filters import EventFilter, EventResourceFilter
    from prefect.events.worker import EventsWorker
    from prefect.settings import PREFECT_API_URL, temporary_settings

    EventsWorker.drain_all(timeout=30)
    names: list[str] = []
    with temporary_settings({PREFECT_API_URL: api}), get_client(sync_client=True) as client:
        for _ in range(150):                       # the server stores events in batches
            page = client.read_events(EventFilter(resource=EventResourceFilter(id=[f"prefect.flow-run.{flow_run_id}"])),
                                      limit=50)
            names = [e.event for e in page.events]
            if "prefect.flow-run.Completed" in names:
                return names
            time.sleep(0.2)
    raise AssertionError(f"the flow run's completion was not stored: {names}")


def test_flow_runs_on_the_runs_own_temporary_server_send_no_heartbeats(tmp_path, monkeypatch):
    """Against the temporary server a run started (which ends with the run), the flow run sends no
    heartbeats — nobody could read them, and their thread cost up to a second at the flow's end; against
    a server that outlives the run, heartbeats are sent as Prefect sends them (its zombie-flow automation
    reads them)."""
    from prefect.settings import temporary_settings

    from cli.prefect_api import TemporaryServer, run_settings
    from flows import ingest_flow
    from settings import thresholds

    sources = _sources(tmp_path, "beats")
    monkeypatch.setenv("VNFACTS_DATABASE_URL", f"sqlite:///{tmp_path / 'beats.db'}")
    server = TemporaryServer()
    try:
        server.wait_ready(thresholds.PREFECT_SERVER_START_TIMEOUT_S)
        api = server.api_url
        events = {}
        for outlives_the_run, owner in ((False, server), (True, None)):
            with temporary_settings(run_settings(api, owner)):
                state = ingest_flow(str(sources), return_state=True)
            assert state.is_completed()
            events[outlives_the_run] = _flow_run_events(api, state.state_details.flow_run_id)
    finally:
        server.stop()
    assert "prefect.flow-run.heartbeat" not in events[False]
    assert "prefect.flow-run.heartbeat" in events[True]
