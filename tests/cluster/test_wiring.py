"""--cluster on the command line and cluster.address in config; the archive budget the workers share."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path
from typing import Any

import pytest

from citecheck.cluster.budget import SharedRateLimiter
from citecheck.config import Config
from citecheck.pipeline import run_check
from citecheck.report.json import to_dict
from citecheck.store.repository import Store
from tests.cli.test_cli import run_cli
from tests.conftest import CORPUS


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["--cluster", "local:1", "--db", "sqlite:///x.db"], "needs a PostgreSQL database"),
        (["--cluster", "nowhere", "--db", "postgresql+psycopg://u@127.0.0.1:9/x"], "expected a scheduler"),
        (["--cluster", "local:1", "--db", "postgresql+psycopg://u@127.0.0.1:9/x", "--save"], "--save"),
    ],
)
def test_what_a_cluster_run_cannot_do_exits_2_before_starting(
    capsys: pytest.CaptureFixture[str], arguments: list[str], expected: str
) -> None:
    code, _, err = run_cli(["check", "-q", *arguments, str(CORPUS / "consulate-leak.txt")], capsys)
    assert code == 2 and expected in err


def test_standard_input_is_refused_on_a_cluster(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(
        ["check", "--cluster", "local:2", "--db", "postgresql+psycopg://u@h/x", "-"], capsys
    )
    assert code == 2 and "standard input" in err


@pytest.mark.postgres
def test_cluster_option_starts_a_local_cluster_and_the_report_matches(
    postgres_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "cluster.json"
    code, _, _ = run_cli(
        [
            "check",
            "--offline",
            "-q",
            "--cluster",
            "local:1",
            "--db",
            postgres_url,
            "--fail-on",
            "never",
            "-o",
            str(report),
            str(CORPUS),
        ],
        capsys,
    )
    assert code == 0
    local = to_dict(run_check([str(CORPUS)], Config(), offline=True, database_url=postgres_url))
    clustered = json.loads(report.read_text(encoding="utf-8"))
    for found in (local, clustered):
        found["run"] = None
    assert clustered == local and len(clustered["documents"]) == 5


@pytest.mark.postgres
def test_config_cluster_address_sends_the_run_to_that_scheduler(postgres_url: str, dask_client: Any) -> None:
    config = Config.model_validate(
        {"cluster": {"address": dask_client.scheduler.address, "chunk_documents": 2}}
    )
    result = run_check([str(CORPUS)], config, offline=True, database_url=postgres_url)
    assert len(result.documents) == 5
    assert any(str(key).startswith("extract-") for key in _task_keys(dask_client))


def _task_keys(client: Any) -> list[str]:
    """Keys the scheduler has seen finish (its task stream of recent transitions)."""

    def keys(dask_scheduler: Any) -> list[str]:
        return [str(entry[0]) for entry in dask_scheduler.transition_log]

    return client.run_on_scheduler(keys)


def _charge(database_url: str, tries: int, budget: str = "archive/test/replay") -> int:
    store = Store(database_url, migrate=False)
    try:
        limiter = SharedRateLimiter(store, budget, per_minute=5)
        return sum(limiter.try_acquire() for _ in range(tries))
    finally:
        store.close()


@pytest.mark.postgres
def test_workers_share_one_archive_budget_which_outlives_a_dead_worker(
    postgres_url: str, dask_client: Any
) -> None:
    Store(postgres_url).close()
    workers = list(dask_client.scheduler_info()["workers"])
    granted = {
        worker: dask_client.submit(_charge, postgres_url, 4, workers=[worker], pure=False)
        for worker in workers
    }
    counts = {worker: future.result() for worker, future in granted.items()}
    assert sum(counts.values()) == 5  # not 5 per worker

    spender = max(counts, key=lambda worker: counts[worker])
    pid = dask_client.run(os.getpid, workers=[spender])[spender]
    os.kill(pid, signal.SIGKILL)
    store = Store(postgres_url, migrate=False)
    try:
        limiter = SharedRateLimiter(store, "archive/test/replay", per_minute=5)
        assert not limiter.try_acquire() and limiter.wait_needed() > 0  # what the dead worker sent counts
        other = SharedRateLimiter(store, "archive/test/cdx", per_minute=5)
        assert other.try_acquire()  # each budget is its own
        other.defer(60)  # a 429 seen by one process holds every process back
        assert _charge(postgres_url, 1, "archive/test/cdx") == 0
    finally:
        store.close()
