"""Helpers for the hardening tests: small corpora, the real CLI in a subprocess, and database counts.

The runs that must survive SIGKILL or share a database with another writer are real `citecheck`
processes, because that is what a user kills or starts twice; their runtime is bounded by subprocess
timeouts, never asserted.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, func, select

from citecheck.store.tables import RunDocumentRow, RunRow

CITECHECK = Path(sys.executable).with_name("citecheck")
OUTLETS = ["Reuters", "Xinhua", "Nikkei Asia", "the BBC", "Le Monde", "Kyodo News"]
# Whatever happens, a hardening subprocess gives up after this long (a hang is a failure, not a wait).
SUBPROCESS_TIMEOUT = 180


def write_corpus(folder: Path, count: int, *, url: str | None = None, prefix: str = "doc") -> list[Path]:
    """`count` distinct small documents citing outlets and a date; `url` % index adds a link to each."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        outlet, other = OUTLETS[index % len(OUTLETS)], OUTLETS[(index * 7 + 3) % len(OUTLETS)]
        text = (
            f"Note {prefix}-{index}\n\n"
            f"According to {outlet}, the committee met {index} times "
            f"({other}, March {index % 28 + 1}, 2024).\n"
            f"U.S. media revealed that the vote was postponed.\n"
        )
        if url is not None:
            text += f"\nSource: {outlet}, March {index % 28 + 1}, 2024\n{url % index}\n"
        path = folder / f"{prefix}-{index:05d}.txt"
        path.write_text(text)
        paths.append(path)
    return paths


def citecheck_command(*args: str) -> list[str]:
    return [str(CITECHECK), *args]


def run_citecheck(*args: str, timeout: float = SUBPROCESS_TIMEOUT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(citecheck_command(*args), capture_output=True, text=True, timeout=timeout)


def stored_documents(engine: Engine) -> int:
    """Documents stored so far by the newest run (0 while the schema is still being created)."""
    try:
        with engine.connect() as connection:
            run_id = connection.execute(select(func.max(RunRow.id))).scalar()
            if run_id is None:
                return 0
            return int(
                connection.execute(
                    select(func.count(RunDocumentRow.id)).where(RunDocumentRow.run_id == run_id)
                ).scalar_one()
            )
    except Exception:  # no tables yet: the child is still migrating
        return 0


def kill_when_stored(process: subprocess.Popen[bytes], engine: Engine, at_least: int = 1) -> int:
    """SIGKILL `process` as soon as `at_least` documents of its run are in the database.

    Returns how many were stored at the kill. Fails if the process ended on its own first (the corpus
    was too small to catch it half-way) or never stored anything within the subprocess timeout.
    """
    deadline = time.monotonic() + SUBPROCESS_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            stderr = process.stderr.read().decode() if process.stderr else ""
            pytest.fail(f"citecheck ended (exit {process.returncode}) before it could be killed: {stderr}")
        if stored_documents(engine) >= at_least:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
            return stored_documents(engine)
        time.sleep(0.01)
    process.kill()
    pytest.fail("citecheck stored nothing before the timeout")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same test on a SQLite file and on the PostgreSQL server of $CITECHECK_TEST_POSTGRES_URL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'hardening.db'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """A plain engine for reading what the subprocesses stored."""
    engine = create_engine(database_url)
    try:
        yield engine
    finally:
        engine.dispose()
