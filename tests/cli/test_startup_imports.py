"""What a command imports is what a person waits for on every run (#19): the stages a command does not
run stay unimported. Each command runs in a fresh interpreter, its output piped (no terminal)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = """
import sys
from citecheck.cli import main

try:
    main(sys.argv[1:])
except SystemExit as exited:
    assert exited.code in (0, 1), exited.code
print("loaded:", " ".join(sorted(sys.modules)))
"""

NETWORK_AND_ARCHIVE = ("httpx", "citecheck.net.client", "citecheck.check", "citecheck.archive", "warcio")
DRAWING = ("rich.progress", "rich.live")


def _loaded(*arguments: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, *arguments], capture_output=True, text=True, timeout=300, check=True
    )
    return set(done.stdout.strip().splitlines()[-1].removeprefix("loaded:").split())


@pytest.fixture
def one_line(tmp_path: Path) -> Path:
    path = tmp_path / "note.txt"
    path.write_text(
        "The figures, the ministry told the Associated Press, come from https://stats.example.invalid/t1.\n"
    )
    return path


def test_extract_reads_without_the_database_an_event_loop_the_network_or_progress_bars(
    one_line: Path,
) -> None:
    loaded = _loaded("extract", str(one_line))
    unwanted = ("sqlalchemy", "alembic", "asyncio", "uvloop", *NETWORK_AND_ARCHIVE, *DRAWING)
    assert "citecheck.extract" in loaded
    assert sorted(name for name in loaded if name in unwanted) == []


def test_an_offline_check_stores_without_the_network_the_archive_or_progress_bars(
    one_line: Path, tmp_path: Path
) -> None:
    database = f"sqlite:///{tmp_path / 'offline.db'}"
    loaded = _loaded("check", "--offline", "--db", database, str(one_line))
    assert "sqlalchemy" in loaded and "citecheck.score" in loaded
    assert sorted(name for name in loaded if name in (*NETWORK_AND_ARCHIVE, *DRAWING)) == []
