"""Session-wide fixtures. Loopback servers live in tests/servers/ and are registered as plugins here."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["tests.servers.fixtures"]

DATA = Path(__file__).parent / "data"
CORPUS = DATA / "corpus"


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """A fresh SQLite database per test."""
    return f"sqlite:///{tmp_path / 'citecheck.db'}"


@pytest.fixture
def postgres_url() -> str:
    """A PostgreSQL database from $CITECHECK_TEST_POSTGRES_URL (.ci/run starts one), wiped per test."""
    import os

    url = os.environ.get("CITECHECK_TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("CI must provide CITECHECK_TEST_POSTGRES_URL (see .ci/run)")
        pytest.skip("no PostgreSQL server: set CITECHECK_TEST_POSTGRES_URL")
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url
