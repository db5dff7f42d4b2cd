"""One source of settings for the CLI, the flow, the web app and Alembic: the environment.

    VNFACTS_DATABASE_URL       SQLAlchemy URL of the fact store (default: sqlite:///vnfacts.db)
    VNFACTS_PREFECT_LOCAL_API  where a run looks for a Prefect server already running on this machine
                               when PREFECT_API_URL is unset (default: prefect server start's
                               http://127.0.0.1:4200/api; empty: never look, start a temporary server)
"""
from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_DATABASE_URL = "sqlite:///vnfacts.db"


@dataclass(frozen=True)
class Settings:
    database_url: str


def settings(database_url: str | None = None) -> Settings:
    """Settings from the environment; an explicit argument (``--db``) wins."""
    return Settings(database_url=database_url or os.environ.get("VNFACTS_DATABASE_URL") or DEFAULT_DATABASE_URL)


def prefect_local_api() -> str | None:
    """The address a run asks for a running Prefect server before it starts a temporary one; None
    when ``VNFACTS_PREFECT_LOCAL_API`` is set empty (the test suite: its runs never report to a
    server that happens to answer on this machine)."""
    from settings import thresholds

    return os.environ.get("VNFACTS_PREFECT_LOCAL_API", thresholds.PREFECT_LOCAL_API) or None
