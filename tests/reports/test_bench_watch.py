"""The benchmark's watcher: which process of a run does what, and the CPU it reads while a real
process tree runs."""
import subprocess
import sys
import time

from reports.bench import TreeWatch, process_role

PY = "/usr/bin/python3"            # (only the command lines are looked at)


def test_each_process_of_a_run_gets_its_role():
    run = [PY, "-m", "cli", "run", "--sources", "s.yaml", "--workers", "1", "--dask", "local:2"]
    fork_server = [PY, "-B", "-c", "from multiprocessing.forkserver import main; main(4, 6, ['run.preload'])"]
    server = [PY, "-m", "uvicorn", "--factory", "prefect.server.api.server:create_app"]
    assert process_role(True, run, []) == "launcher"                 # the command the user started
    assert process_role(False, run, run) == "run"                    # (a --dask option is still the run)
    assert process_role(False, server, run) == "prefect_server"
    assert process_role(False, fork_server, run) == "fork_server"
    assert process_role(False, fork_server, fork_server) == "workers"   # forked from it: the same command line
    assert process_role(False, [PY, "-m", "distributed.cli.dask_worker"], run) == "dask"
    assert process_role(False, [PY, "-c", "from multiprocessing.resource_tracker import main"], run) == "other"


def test_cpu_of_a_process_tree_is_read_while_it_runs_and_summed_by_role():
    # A parent that burns CPU for a while, with a child that burns CPU too: both are read.
    burn = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.6: pass\n"
    script = f"import subprocess, sys\np = subprocess.Popen([sys.executable, '-c', {burn!r}])\n{burn}p.wait()\n"
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", script])
    with TreeWatch(child.pid, cpu_interval=0.05, listing_interval=0.1) as watch:
        child.wait()
    report = watch.cpu_report(time.perf_counter() - started)
    assert report["launcher"] >= 0.4 and report["other"] >= 0.4        # each read up to its last 0.05 s
    assert report["total"] == round(report["launcher"] + report["other"], 2)
    assert 0 < report["cores_busy"] <= 2.2
