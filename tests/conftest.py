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
