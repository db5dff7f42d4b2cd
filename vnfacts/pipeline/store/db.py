"""Engines, sessions and migrations of the fact store."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from vnfacts.pipeline.errors import ConfigError, VnfactsError

ALEMBIC_INI = Path(__file__).parent / "alembic.ini"


class StoreUnavailable(VnfactsError):
    """The database cannot be reached or opened."""


# One engine (and connection pool) per URL for the life of the process.
ENGINES: dict[str, Engine] = {}


def engine(url: str) -> Engine:
    if url in ENGINES:
        return ENGINES[url]
    try:
        eng = create_engine(url, future=True, pool_pre_ping=True)
    except Exception as exc:  # SQLAlchemy raises ArgumentError, NoSuchModuleError, ValueError for bad URLs
        raise ConfigError(f"invalid database URL {url!r}: {exc}") from None
    if eng.dialect.name == "sqlite":
        @event.listens_for(eng, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")      # readers (the web app) never block the writer
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()
    ENGINES[url] = eng
    return eng


def session(url: str) -> Session:
    return Session(engine(url), expire_on_commit=False)


def alembic_config(url: str, connection=None):
    from alembic.config import Config

    cfg = Config(str(ALEMBIC_INI))
    cfg.set_main_option("script_location", str(ALEMBIC_INI.parent / "migrations"))
    cfg.attributes["database_url"] = url
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at ``url`` to ``revision`` (creating it when it is a new SQLite file)."""
    from alembic import command

    try:
        with engine(url).begin() as conn:
            command.upgrade(alembic_config(url, conn), revision)
    except OperationalError as exc:
        raise StoreUnavailable(f"cannot open the database {_safe(url)}: {exc.orig}") from None


def is_current(url: str) -> bool:
    """True when the database has the tables of the newest migration."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    try:
        with engine(url).connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
    except OperationalError as exc:
        raise StoreUnavailable(f"cannot open the database {_safe(url)}: {exc.orig}") from None
    head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    return current == head


def table_names(url: str) -> list[str]:
    return inspect(engine(url)).get_table_names()


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<unparseable URL>"
