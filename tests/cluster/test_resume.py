"""A cluster run whose driver is killed is finished by `--resume` on the cluster, as on one machine (#20)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select

from citecheck.store.repository import Store
from citecheck.store.tables import RunDocumentRow, RunRow
from tests.hardening.conftest import citecheck_command, kill_when_stored, run_citecheck, write_corpus

pytestmark = pytest.mark.postgres


def test_a_killed_cluster_run_is_resumed_on_the_cluster(
    postgres_url: str, dask_client: Any, tmp_path: Path
) -> None:
    paths = write_corpus(tmp_path / "corpus", 300)
    config = tmp_path / "config.yaml"
    config.write_text("cluster:\n  chunk_documents: 5\n  wave_documents: 40\n", encoding="utf-8")
    Store(postgres_url).close()
    engine = create_engine(postgres_url)
    arguments = ["check", "--offline", "-q", "--config", str(config), "--db", postgres_url]
    arguments += ["--cluster", dask_client.scheduler.address, "--fail-on", "never", str(tmp_path / "corpus")]
    first = subprocess.Popen(citecheck_command(*arguments), stderr=subprocess.PIPE)
    stored_at_kill = kill_when_stored(first, engine, at_least=20)
    assert 20 <= stored_at_kill < len(paths)

    resumed = run_citecheck(*arguments, "--resume")
    assert resumed.returncode == 0, resumed.stderr
    with engine.connect() as connection:
        runs = connection.execute(select(RunRow.id, RunRow.status)).all()
        positions = connection.scalars(select(RunDocumentRow.position)).all()
        documents = connection.scalar(select(func.count()).select_from(RunDocumentRow))
    engine.dispose()
    assert [status for _, status in runs] == ["finished"]  # the same run, taken up again
    assert sorted(positions) == list(range(len(paths))) and documents == len(paths)
