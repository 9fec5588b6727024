"""--resume takes over only a run whose process has stopped; a live one is left alone with a clear error.

A run records its holder ("host/pid") and a heartbeat. On this machine the holder process is asked
directly, so a run killed with SIGKILL is resumable at once; a holder on another machine counts as
live until its heartbeat is older than RUN_LEASE.
"""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from citecheck.cli import main
from citecheck.config import Config
from citecheck.errors import RunBusyError
from citecheck.pipeline import run_check
from citecheck.store.repository import RUN_LEASE, Store, live_holder
from citecheck.store.tables import RunRow

from .conftest import write_corpus

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
HOST = socket.gethostname()


@pytest.fixture
def live_process() -> Iterator[subprocess.Popen[bytes]]:
    """Another process on this machine, alive until the test ends."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        yield process
    finally:
        process.kill()
        process.wait()


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()  # reaped: the pid now names no process
    return process.pid


def test_another_machine_holds_the_run_until_its_heartbeat_is_stale() -> None:
    fresh = live_holder("other-host/4242", NOW - timedelta(seconds=5), NOW)
    assert fresh is not None and "other-host" in fresh and "4242" in fresh
    assert live_holder("other-host/4242", NOW - RUN_LEASE - timedelta(seconds=1), NOW) is None


def test_on_this_machine_the_process_is_asked(live_process: subprocess.Popen[bytes]) -> None:
    assert live_holder(f"{HOST}/{live_process.pid}", NOW, NOW) is not None
    assert live_holder(f"{HOST}/{_dead_pid()}", NOW, NOW) is None  # killed a moment ago: resumable now


def test_runs_without_a_recorded_holder_are_resumable() -> None:
    assert live_holder(None, None, NOW) is None


def _held_run(db_url: str, paths: list[str], worker: str) -> int:
    store = Store(db_url)
    try:
        run_id = store.start_run(paths, offline=True)
        with store.engine.begin() as connection:
            connection.execute(update(RunRow).where(RunRow.id == run_id).values(worker=worker))
    finally:
        store.close()
    return run_id


def test_resume_refuses_a_live_run_and_takes_it_once_stopped(
    tmp_path: Path, db_url: str, live_process: subprocess.Popen[bytes]
) -> None:
    write_corpus(tmp_path / "corpus", 3)
    paths = [str(tmp_path / "corpus")]
    held = _held_run(db_url, paths, f"{HOST}/{live_process.pid}")
    with pytest.raises(RunBusyError, match=f"run {held} .* still running .*process {live_process.pid}"):
        run_check(paths, Config(), offline=True, database_url=db_url, resume=True)

    live_process.kill()
    live_process.wait()
    resumed = run_check(paths, Config(), offline=True, database_url=db_url, resume=True)
    assert resumed.run_id == held and len(resumed.documents) == 3


def test_cli_reports_a_busy_run_in_one_line_with_exit_2(
    tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    write_corpus(tmp_path / "corpus", 2)
    paths = [str(tmp_path / "corpus")]
    _held_run(db_url, paths, "other-host/4242")  # its heartbeat is from just now
    with pytest.raises(SystemExit) as exit_info:
        main(["check", *paths, "--offline", "--resume", "--db", db_url, "--quiet"])
    assert exit_info.value.code == 2
    assert "still running (process 4242 on other-host" in capsys.readouterr().err


def test_heartbeat_moves_forward(db_url: str) -> None:
    store = Store(db_url)
    try:
        run_id = store.start_run(["x"], offline=True)
        with store.engine.begin() as connection:
            connection.execute(
                update(RunRow).where(RunRow.id == run_id).values(heartbeat_at=NOW - timedelta(days=1))
            )
        store.heartbeat(run_id)
        with store.engine.connect() as connection:
            beat = connection.execute(RunRow.__table__.select().where(RunRow.id == run_id)).one().heartbeat_at
    finally:
        store.close()
    assert beat.replace(tzinfo=beat.tzinfo or UTC) > NOW - timedelta(hours=1)


def test_a_run_beats_while_it_works(tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import citecheck.pipeline

    beats: list[int] = []
    monkeypatch.setattr(citecheck.pipeline, "HEARTBEAT_SECONDS", 0.0)
    monkeypatch.setattr(Store, "heartbeat", lambda self, run_id: beats.append(run_id))
    write_corpus(tmp_path / "corpus", 3)
    result = run_check([str(tmp_path / "corpus")], Config(), offline=True, database_url=db_url)
    assert len(beats) >= 3 and set(beats) == {result.run_id}  # at least one beat per document
