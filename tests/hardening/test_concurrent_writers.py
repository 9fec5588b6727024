"""Two `citecheck check` processes writing one database at once both finish, with nothing lost.

Both start on an empty database, so they also race to create the schema; half their documents have the
same content, so they also race to insert the same `documents` rows (unique by sha256).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from sqlalchemy import Engine, func, select

from citecheck.store.tables import DocumentRow, RunDocumentRow, RunRow

from .conftest import SUBPROCESS_TIMEOUT, citecheck_command, write_corpus

DOCUMENTS = 300


def test_two_runs_share_one_database(tmp_path: Path, database_url: str, engine: Engine) -> None:
    first = write_corpus(tmp_path / "first", DOCUMENTS, prefix="first")
    second = write_corpus(tmp_path / "second", DOCUMENTS // 2, prefix="second")
    for path in first[: DOCUMENTS // 2]:  # the same content under another name
        shutil.copy(path, tmp_path / "second" / f"copy-{path.name}")
    processes = [
        subprocess.Popen(
            citecheck_command(
                "check", str(folder), "--offline", "--db", database_url, "--quiet", "--format", "csv"
            ),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for folder in (tmp_path / "first", tmp_path / "second")
    ]
    for process in processes:
        _, stderr = process.communicate(timeout=SUBPROCESS_TIMEOUT)
        assert process.returncode in (0, 1), stderr.decode()

    with engine.connect() as connection:
        runs = connection.execute(select(RunRow.id, RunRow.status)).all()
        per_run = dict(
            connection.execute(
                select(RunDocumentRow.run_id, func.count(RunDocumentRow.id)).group_by(RunDocumentRow.run_id)
            ).all()
        )
        duplicated_paths = connection.execute(
            select(RunDocumentRow.run_id, RunDocumentRow.path)
            .group_by(RunDocumentRow.run_id, RunDocumentRow.path)
            .having(func.count(RunDocumentRow.id) > 1)
        ).all()
        documents = connection.execute(select(func.count(DocumentRow.id))).scalar_one()
    assert sorted(status for _, status in runs) == ["finished", "finished"]
    assert sorted(per_run.values()) == sorted([len(first), len(second) + DOCUMENTS // 2])
    assert duplicated_paths == []
    assert documents == len(first) + len(second)  # shared content stored once
