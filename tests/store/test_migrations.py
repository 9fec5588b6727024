"""Schema changes go through Alembic only: head must build the tables the models describe."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect

from citecheck.store.engine import (
    SCHEMA_HEAD,
    create_engine_for,
    current_revision,
    downgrade,
    head_revision,
    upgrade,
)
from citecheck.store.tables import Base

ROOT = Path(__file__).resolve().parents[2]


def test_upgrade_to_head_and_downgrade_to_base(db_url: str) -> None:
    engine = create_engine_for(db_url)
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    downgrade(engine, "base")
    assert current_revision(engine) is None
    assert not set(Base.metadata.tables) & set(inspect(engine).get_table_names())
    engine.dispose()


def test_migrated_schema_matches_the_models(db_url: str) -> None:
    """autogenerate finds nothing to add: models and migrations agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    engine = create_engine_for(db_url)
    upgrade(engine)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []


def test_alembic_command_line_from_repo_root(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    env = {**os.environ, "CITECHECK_DATABASE_URL": url}
    alembic = Path(sys.executable).with_name("alembic")
    subprocess.run([str(alembic), "upgrade", "head"], cwd=ROOT, env=env, check=True, capture_output=True)
    engine = create_engine_for(url)
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_sqlite_pragmas(db_url: str) -> None:
    engine = create_engine_for(db_url, busy_timeout_ms=1234)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 1234
    engine.dispose()


@pytest.mark.postgres
def test_postgres_upgrade_and_downgrade(postgres_url: str) -> None:
    engine = create_engine_for(postgres_url)
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    downgrade(engine, "base")
    assert current_revision(engine) is None
    engine.dispose()


def test_browsing_views_join_a_stored_run(db_url: str) -> None:
    from citecheck.config import Config
    from citecheck.pipeline import run_check
    from tests.conftest import CORPUS

    run_check([str(CORPUS / "policy-monitor-1614.txt")], Config(), offline=True, database_url=db_url)
    engine = create_engine_for(db_url)
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT outlet, outlet_type, cited_date, label FROM citation_verdicts "
            "WHERE outlet = 'Nikkei Asia'"
        ).all()
        documents = connection.exec_driver_sql("SELECT document_path, score FROM document_verdicts").all()
    engine.dispose()
    assert ("Nikkei Asia", "newspaper", "2024-11-15") in {row[:3] for row in rows}
    assert len(documents) == 1 and documents[0][1] is not None


def test_schema_head_constant_is_the_newest_migration() -> None:
    # upgrade() skips Alembic when the database is at SCHEMA_HEAD; a new migration must move the constant
    assert SCHEMA_HEAD == head_revision()
