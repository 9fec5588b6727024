"""--resume takes over only a run whose process has stopped; a live one is left alone with a clear error.

A run records its holder ("host/pid") and a heartbeat. On this machine the holder process is asked
directly, so a run killed with SIGKILL is resumable at once; a holder on another machine counts as
live until its heartbeat is older than RUN_LEASE.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, func, select, update

from citecheck.cli import main
from citecheck.config import Config
from citecheck.errors import RunBusyError
from citecheck.models import DocumentResult
from citecheck.pipeline import run_check
from citecheck.store.engine import create_engine_for, upgrade
from citecheck.store.repository import RUN_LEASE, Store, live_holder
from citecheck.store.tables import RunDocumentRow, RunRow

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


def _heartbeat_at(engine: Engine, run_id: int) -> datetime:
    with engine.connect() as connection:
        beat = connection.execute(select(RunRow.heartbeat_at).where(RunRow.id == run_id)).scalar_one()
    return beat.replace(tzinfo=beat.tzinfo or UTC)


def _fast_heartbeats(monkeypatch: pytest.MonkeyPatch) -> None:
    import citecheck.pipeline
    import citecheck.store.repository

    monkeypatch.setattr(citecheck.store.repository, "HEARTBEAT_SECONDS", 0.05)
    monkeypatch.setattr(citecheck.pipeline, "HEARTBEAT_SECONDS", 0.05, raising=False)  # where it once lived


def test_heartbeats_go_on_while_the_event_loop_is_held_up(
    tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A progress callback that blocks for 0.6 s holds up the event loop the way a slow parse or a long
    extraction does; the heartbeat must still move (it comes from a thread of its own, #16)."""
    _fast_heartbeats(monkeypatch)
    write_corpus(tmp_path / "corpus", 3)
    reader = create_engine(db_url)
    moved: list[bool] = []

    def stall(stage: str, done: int, _total: int) -> None:
        if stage == "extract" and done == 1:
            with reader.connect() as connection:
                run_id = connection.execute(select(RunRow.id)).scalar_one()
            before = _heartbeat_at(reader, run_id)
            time.sleep(0.6)
            moved.append(_heartbeat_at(reader, run_id) > before)

    try:
        run_check([str(tmp_path / "corpus")], Config(), offline=True, database_url=db_url, progress=stall)
    finally:
        reader.dispose()
    assert moved == [True]


def test_a_run_taken_over_stops_without_writing_beside_the_new_holder(
    tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fast_heartbeats(monkeypatch)
    write_corpus(tmp_path / "corpus", 3)
    other = create_engine(db_url)

    def taken_over(stage: str, done: int, _total: int) -> None:
        if stage == "extract" and done == 1:
            with other.begin() as connection:
                connection.execute(update(RunRow).values(worker="other-host/4242"))
            time.sleep(0.3)  # a few heartbeats: the first one finds the run held by someone else

    try:
        with pytest.raises(RunBusyError, match="taken over by other-host/4242"):
            run_check(
                [str(tmp_path / "corpus")], Config(), offline=True, database_url=db_url, progress=taken_over
            )
        with other.connect() as connection:
            run = connection.execute(select(RunRow)).one()
            stored = connection.execute(select(func.count(RunDocumentRow.id))).scalar_one()
    finally:
        other.dispose()
    assert run.worker == "other-host/4242" and run.status == "running"  # left to its new holder
    assert stored == 0


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_one_document_position_is_stored_once_per_run(
    backend: str, db_url: str, request: pytest.FixtureRequest
) -> None:
    """Two processes writing one run: the unique key on (run, position) lets only the first row in."""
    url = db_url if backend == "sqlite" else str(request.getfixturevalue("postgres_url"))
    first, second = Store(url), Store(url)
    try:
        run_id = first.start_run(["corpus"], offline=True)
        result = DocumentResult(path="corpus/doc-0.txt", document=None, error="document is empty")
        first.save_document_result(run_id, 0, result)
        with pytest.raises(RunBusyError, match="already stored"):
            second.save_document_result(run_id, 0, result)
        second.save_document_result(run_id, 1, result)
        with first.engine.connect() as connection:
            positions = connection.execute(select(RunDocumentRow.position).order_by(RunDocumentRow.position))
            assert list(positions.scalars()) == [0, 1]
    finally:
        first.close()
        second.close()


def test_the_migration_keeps_one_row_per_position(db_url: str) -> None:
    engine = create_engine_for(db_url)
    try:
        upgrade(engine, "0003")
        with engine.begin() as connection:
            connection.execute(
                RunRow.__table__.insert().values(
                    id=1, started_at=NOW, offline=True, status="failed", inputs=[], tool_version="0"
                )
            )
            for path in ("a.txt", "a.txt", "b.txt"):
                position = 0 if path == "a.txt" else 1
                connection.execute(
                    RunDocumentRow.__table__.insert().values(run_id=1, path=path, position=position)
                )
        upgrade(engine)
        with engine.connect() as connection:
            rows = connection.execute(select(RunDocumentRow.id, RunDocumentRow.position)).all()
    finally:
        engine.dispose()
    assert sorted(position for _, position in rows) == [0, 1]
    assert min(row_id for row_id, _ in rows) == 1  # the earliest row of a pair is the one kept
