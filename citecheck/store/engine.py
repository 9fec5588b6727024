"""Engines and migrations: SQLite gets WAL, a busy timeout and foreign keys; PostgreSQL works as is.

Several citecheck processes may share one database, so two things are arranged here:

* SQLite write transactions begin with `BEGIN IMMEDIATE` (ask for `write_engine()`). A deferred
  transaction that reads and then writes cannot wait for another writer in WAL mode: if that writer
  committed after the read, SQLite answers SQLITE_BUSY at once instead of honouring busy_timeout
  (SQLITE_BUSY_SNAPSHOT, https://www.sqlite.org/rescode.html#busy_snapshot). Taking the write
  lock first makes a second writer wait its turn. pysqlite's own transaction handling is switched off so
  that SQLAlchemy emits every BEGIN itself (the recipe in SQLAlchemy's SQLite dialect documentation).
* Migrations run under a lock (the SQLite write lock, or a PostgreSQL advisory lock), and only when the
  database is behind: two processes opening a new database at once must not both create the tables.
"""

from __future__ import annotations

import functools
import importlib
import math
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError

from ..errors import StoreError

DEFAULT_BUSY_TIMEOUT_MS = 30_000
DEFAULT_CONNECT_TIMEOUT = 10.0
# Execution option read by the SQLite "begin" hook: DEFERRED (default) or IMMEDIATE.
_SQLITE_BEGIN = "citecheck_sqlite_begin"
# Any constant shared by every citecheck process: the key of the PostgreSQL advisory lock for migrations.
_MIGRATION_LOCK_KEY = 0x63697465  # "cite"
# The newest migration's revision; tests/store/test_migrations.py checks it against Alembic's own answer.
SCHEMA_HEAD = "0012"


def _migrations_dir() -> Path:
    # The top-level migrations/ folder is shipped inside the package as citecheck._migrations
    # (see pyproject.toml), so an installed citecheck can upgrade its own database.
    migrations = importlib.import_module("citecheck._migrations")
    assert migrations.__file__ is not None
    return Path(migrations.__file__).parent


def create_engine_for(
    url: str, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS, connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
) -> Engine:
    """An engine for `url`. PostgreSQL connections give up after `connect_timeout` seconds (unless the URL
    sets its own), so a server that accepts the connection and never answers is an error, not a hang."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"invalid database URL {url!r}: {exc}") from None
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            folder = Path(database).expanduser().parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(
                    f"cannot create the folder {folder} for database {database}: {exc.strerror or exc}"
                ) from None
        kwargs["connect_args"] = {"timeout": busy_timeout_ms / 1000}
    elif parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
        kwargs["connect_args"] = {"connect_timeout": max(1, math.ceil(connect_timeout))}
    try:
        engine = create_engine(parsed, **kwargs)
    except (SQLAlchemyError, ImportError) as exc:
        raise StoreError(
            f"cannot open database {parsed.render_as_string(hide_password=True)}: {exc}"
        ) from None
    if parsed.get_backend_name() == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN (see _sqlite_begin)
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection: Any) -> None:
            mode = connection.get_execution_options().get(_SQLITE_BEGIN, "DEFERRED")
            connection.exec_driver_sql(f"BEGIN {mode}")

    return engine


def write_engine(engine: Engine) -> Engine:
    """The same engine (same pool), but its SQLite transactions take the write lock when they begin."""
    if engine.dialect.name == "sqlite":
        return engine.execution_options(**{_SQLITE_BEGIN: "IMMEDIATE"})
    return engine


def _alembic_config(engine: Engine) -> Any:
    from alembic.config import Config as AlembicConfig

    config = AlembicConfig()
    config.set_main_option("script_location", str(_migrations_dir()))
    config.attributes["database_url"] = engine.url.render_as_string(hide_password=False)
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate to `revision`; a no-op (and no lock) when the database is already at head."""
    try:
        stamped = _stamped_revision(engine)
    except OperationalError as exc:
        message = str(exc.orig or exc).strip().splitlines()[0]
        raise StoreError(
            f"cannot connect to database {engine.url.render_as_string(hide_password=True)}: {message}"
        ) from None
    try:
        if revision == "head" and stamped == SCHEMA_HEAD:
            return  # the usual case, answered without importing Alembic (a fifth of a second)
        from alembic import command

        config = _alembic_config(engine)
        with write_engine(engine).begin() as connection:
            if engine.dialect.name == "postgresql":
                # held until commit; a second process waits here, then finds the schema at head
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    except SQLAlchemyError as exc:
        raise StoreError(f"database migration failed: {exc.__class__.__name__}: {exc}") from None


def downgrade(engine: Engine, revision: str = "base") -> None:
    from alembic import command

    config = _alembic_config(engine)
    with write_engine(engine).begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def _stamped_revision(engine: Engine) -> str | None:
    """The revision Alembic stamped in the database, read with one query; None if not stamped yet."""
    with engine.connect() as connection:
        if not sa_inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@functools.cache
def head_revision() -> str | None:
    from alembic.config import Config as AlembicConfig
    from alembic.script import ScriptDirectory

    config = AlembicConfig()
    config.set_main_option("script_location", str(_migrations_dir()))
    return ScriptDirectory.from_config(config).get_current_head()


def insert_skipping_duplicates(dialect_name: str, table: Any) -> Any:
    """INSERT that skips rows a unique key already holds (ON CONFLICT DO NOTHING, on both backends)."""
    if dialect_name == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(table).on_conflict_do_nothing()
    from sqlalchemy.dialects import sqlite

    return sqlite.insert(table).on_conflict_do_nothing()
