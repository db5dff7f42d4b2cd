"""One source of settings for the CLI, the flow, the web app and Alembic: the environment.

    VNFACTS_DATABASE_URL   SQLAlchemy URL of the fact store (default: sqlite:///vnfacts.db)
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
