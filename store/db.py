"""Engines, sessions and migrations of the fact store."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from pipeline.errors import ConfigError, VnfactsError

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


# The newest migration (tests/test_migrations.py checks it against Alembic's scripts). A store already
# there is not handed to Alembic at all: importing Alembic and loading every migration script is
# about half a second of every run's start, for nothing.
HEAD_REVISION = "0011_i26"


def at_head(url: str) -> bool:
    """True when the database at ``url`` is at :data:`HEAD_REVISION` (False when it cannot say: a
    new or unreachable database goes through :func:`upgrade`, which reports it)."""
    from sqlalchemy import text

    try:
        with engine(url).connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return False
            return set(conn.execute(text("SELECT version_num FROM alembic_version")).scalars()) == {HEAD_REVISION}
    except OperationalError:
        return False


# The key of the PostgreSQL advisory lock that migrations hold (any fixed 64-bit number; "vnfacts" in hex).
MIGRATION_LOCK = 0x766E6661637473


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at ``url`` to ``revision`` (creating it when it is a new SQLite file).

    The migration runs under a lock — on PostgreSQL a transaction-scoped advisory lock, on SQLite the
    database's write lock taken at the start — so two runs starting on an empty database take turns,
    and the second finds the schema current. A database already at head is left alone (:func:`at_head`)."""
    if revision == "head" and at_head(url):
        return
    from alembic import command
    from sqlalchemy import text

    try:
        with engine(url).begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
            elif conn.dialect.name == "sqlite":   # the driver begins only before DML: take the write lock now
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            command.upgrade(alembic_config(url, conn), revision)
    except OperationalError as exc:
        raise StoreUnavailable(f"cannot open the database {_safe(url)}: {_one_line(exc.orig)}") from None


def transient(exc: BaseException) -> bool:
    """Database errors worth one more try: a connection that went away, a deadlock, a serialization
    failure, a locked SQLite file."""
    from sqlalchemy.exc import DBAPIError

    if not isinstance(exc, DBAPIError):
        return False
    code = getattr(exc.orig, "sqlstate", None) or ""
    return bool(exc.connection_invalidated or code.startswith(("08", "40", "57P")) or "database is locked" in str(exc)
                or "server closed the connection" in str(exc) or "terminating connection" in str(exc))


def retrying(url: str, work, attempts: int | None = None, commit: bool = False):
    """``work(session)`` in a new session (committed when ``commit``), tried again through transient
    errors — a connection that went away, a deadlock or serialization failure with a concurrent run, a
    locked SQLite file — after a growing pause. The one retry of the store: the run's writes, every
    read of the processing loop and ``reprocess`` go through it. A transient error that outlasts
    ``attempts``, or an operational error that is not transient (a database that cannot be opened),
    is :class:`StoreUnavailable`, one line; any other error (a value the database refuses) is raised
    as it is, for the caller to keep that article as failed."""
    import time

    from sqlalchemy.exc import DBAPIError

    from settings import thresholds

    attempts = attempts or thresholds.STORE_ATTEMPTS
    for attempt in range(1, attempts + 1):
        try:
            with session(url) as s:
                result = work(s)
                if commit:
                    s.commit()
                return result
        except DBAPIError as exc:
            if transient(exc) and attempt < attempts:
                time.sleep(0.2 * attempt)
                continue
            if transient(exc) or isinstance(exc, OperationalError):
                raise StoreUnavailable(f"database {_safe(url)}: {_one_line(exc.orig)}") from None
            raise
    raise AssertionError("unreachable")


def _one_line(message: object) -> str:
    return " ".join(str(message).split())


def is_current(url: str) -> bool:
    """True when the database has the tables of the newest migration."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    if sqlite_file_missing(url):     # asking would create an empty file (e.g. a command run in another folder)
        return False
    try:
        current = retrying(url, lambda s: MigrationContext.configure(s.connection()).get_current_revision())
    except StoreUnavailable as exc:
        raise StoreUnavailable(f"cannot open the database {_safe(url)}: {str(exc).split(': ', 1)[1]}") from None
    head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    return current == head


def sqlite_file_missing(url: str) -> bool:
    """True for a SQLite URL naming a file that does not exist (yet)."""
    from sqlalchemy.engine import make_url

    try:
        parsed = make_url(url)
    except Exception:
        return False
    name = parsed.database
    return parsed.get_backend_name() == "sqlite" and bool(name) and name != ":memory:" \
        and not name.startswith("file:") and not Path(name).exists()


def table_names(url: str) -> list[str]:
    return inspect(engine(url)).get_table_names()


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<unparseable URL>"


def grant_readonly(url: str, role: str, password: str | None = None) -> None:
    """Create (if needed) a PostgreSQL role that can read the downstream views and nothing else."""
    import regex
    from sqlalchemy import text

    if engine(url).dialect.name != "postgresql":
        raise ConfigError("grant-readonly needs PostgreSQL (SQLite has no roles)")
    if not regex.fullmatch(r"[a-z_][a-z0-9_]{0,62}", role):
        raise ConfigError("role must be a lower-case SQL identifier ([a-z_][a-z0-9_]*)")
    with engine(url).begin() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
        if not exists:
            conn.execute(text(f'CREATE ROLE "{role}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE'))
        if password:   # ALTER ROLE takes no bound parameters: a quoted literal, sent as is by the driver
            conn.exec_driver_sql(f'ALTER ROLE "{role}" PASSWORD \'{password.replace(chr(39), chr(39) * 2)}\'')
        schema = conn.execute(text("SELECT current_schema()")).scalar()
        database = conn.execute(text("SELECT current_database()")).scalar()
        conn.execute(text(f'GRANT CONNECT ON DATABASE "{database}" TO "{role}"'))
        conn.execute(text(f'GRANT USAGE ON SCHEMA "{schema}" TO "{role}"'))
        for view in ("facts_current", "officials_current", "provinces"):
            conn.execute(text(f'GRANT SELECT ON "{schema}"."{view}" TO "{role}"'))
