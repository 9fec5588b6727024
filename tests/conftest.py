"""Session-wide fixtures. Loopback servers live in tests/servers/ and are registered as plugins here."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

pytest_plugins = ["tests.servers.fixtures"]


def pytest_configure(config: pytest.Config) -> None:
    # Parsed registry files are cached per user; tests keep theirs in a folder of their own.
    folder = tempfile.mkdtemp(prefix="citecheck-test-cache-")
    config.stash[_CACHE_DIR] = folder
    os.environ["CITECHECK_CACHE_DIR"] = folder


def pytest_unconfigure(config: pytest.Config) -> None:
    folder = config.stash.get(_CACHE_DIR, None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


_CACHE_DIR = pytest.StashKey[str]()

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
