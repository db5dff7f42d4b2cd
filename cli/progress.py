"""What a run shows while it runs: a progress bar per source on a terminal (rich), plain periodic
log lines otherwise (a log file, CI); and at the end a summary per source and the articles of this
run that failed or were quarantined, with their reasons."""
from __future__ import annotations

import time

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from run.ingest import STATUSES
from run.progress import Reporter
from settings import thresholds



class _Rate(ProgressColumn):
    def render(self, task) -> Text:
        elapsed = task.finished_time if task.finished else task.elapsed
        speed = task.completed / elapsed if elapsed and task.completed else None
        return Text(f"{speed:.1f} articles/s" if speed else "… articles/s", style="progress.data.speed")


def _facts(written: list) -> int:
    return sum(w.facts for w in written)


class BarReporter(Reporter):
    """One rich bar per source: articles done / total, facts so far, rate, elapsed time."""

    def __init__(self, console: Console):
        self.progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("articles, {task.fields[facts]} facts"), _Rate(), TimeElapsedColumn(),
                                 console=console, transient=False)
        self.tasks: dict[str, int] = {}
        self.facts: dict[str, int] = {}
        self.rerouted: list[tuple] = []

    def source_started(self, source: str, total: int) -> None:
        if not self.tasks:
            self.progress.start()
            self.rerouted = route_prefect_console(self.progress.console)
        self.facts[source] = 0
        self.tasks[source] = self.progress.add_task(source, total=total, facts=0)

    def stored(self, source: str, written: list) -> None:
        self.facts[source] += _facts(written)
        self.progress.update(self.tasks[source], advance=len(written), facts=self.facts[source])

    def source_finished(self, source: str) -> None:
        task = self.tasks[source]
        self.progress.update(task, completed=self.progress.tasks[task].total)

    def close(self) -> None:
        if self.tasks:
            self.progress.stop()
            for handler, console in self.rerouted:
                handler.console = console


def route_prefect_console(console: Console) -> list[tuple]:
    """Prefect's console log handler prints through a rich Console of its own on stderr, so a Prefect
    warning printed while the bars are drawn lands inside them. Pointed at the bars' console, each
    line is printed above the live bars (rich's way of logging under a live display). Returns the
    handlers with their own consoles, to be put back when the bars end."""
    import logging
    import sys

    handlers = sys.modules.get("prefect.logging.handlers")       # Prefect configured in this process?
    if handlers is None:
        return []
    loggers = [logging.getLogger(), *(v for v in logging.Logger.manager.loggerDict.values() if isinstance(v, logging.Logger))]
    rerouted = []
    for handler in {h for logger in loggers for h in logger.handlers if isinstance(h, handlers.PrefectConsoleHandler)}:
        rerouted.append((handler, handler.console))
        handler.console = console
    return rerouted


class LogReporter(Reporter):
    """Plain lines, one when a source starts, at most one every PROGRESS_LOG_SECONDS, one when it ends."""

    def __init__(self, console: Console):
        self.console = console
        self.state: dict[str, list] = {}     # source: [total, done, facts, started, last line]

    def _line(self, source: str, final: bool = False) -> None:
        total, done, facts, started, _ = self.state[source]
        elapsed = max(time.monotonic() - started, 1e-9)
        self.console.print(f"{time.strftime('%H:%M:%S')} {source}: {done}/{total} articles, {facts} facts, "
                           f"{done / elapsed:.1f} articles/s" + (f", done in {elapsed:.1f} s" if final else ""),
                           markup=False, highlight=False)
        self.state[source][4] = time.monotonic()

    def source_started(self, source: str, total: int) -> None:
        now = time.monotonic()
        self.state[source] = [total, 0, 0, now, now]
        self.console.print(f"{time.strftime('%H:%M:%S')} {source}: {total} articles to process", markup=False,
                           highlight=False)

    def stored(self, source: str, written: list) -> None:
        s = self.state[source]
        s[1] += len(written)
        s[2] += _facts(written)
        if time.monotonic() - s[4] >= thresholds.PROGRESS_LOG_SECONDS:
            self._line(source)

    def source_finished(self, source: str) -> None:
        self._line(source, final=True)

    def close(self) -> None:
        pass


def reporter_for(console: Console) -> BarReporter | LogReporter:
    return BarReporter(console) if console.is_terminal else LogReporter(console)


def print_summary(out: Console, err: Console, summary) -> None:
    """Per source: ok, unchanged, duplicate, failed, quarantined, facts written; then every article
    of this run that failed or was quarantined, with its reason (on stderr)."""
    rows = summary.table()
    table = Table(*(rows[0] if rows else ("source", *STATUSES, "facts written")), title="This run")
    for row in rows:
        table.add_row(*(str(v) for v in row.values()))
    out.print(table)
    problems = summary.problems()
    if problems:
        err.print(f"{len(problems)} articles failed or were quarantined (vnfacts failures lists them any time):",
                  markup=False, highlight=False)
        for source, w in problems:
            err.print(f"  {source}/{w.article_key}: {w.status}: {w.error or 'no reason recorded'}", markup=False,
                      highlight=False)
