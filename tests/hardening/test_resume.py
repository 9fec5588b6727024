"""A run killed with SIGKILL half-way is finished by `citecheck check ... --resume`.

What a resumed run must do: keep every document stored before the kill (no second row, no second
check of its links), store the rest at the positions a full run would have given them, end as one
finished run, and report all its documents.
"""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from citecheck.config import Config
from citecheck.pipeline import run_check
from citecheck.store.history import run_overview
from citecheck.store.repository import Store
from citecheck.store.tables import (
    CitationRow,
    DocumentRow,
    RunDocumentRow,
    RunRow,
    UrlCheckRow,
    VerdictRow,
)
from tests.servers.site import FixtureSite

from .conftest import SUBPROCESS_TIMEOUT, citecheck_command, kill_when_stored, run_citecheck, write_corpus

DOCUMENTS = 1000


def _run_documents(engine: Engine, run_id: int) -> list[tuple[int, str, int]]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(RunDocumentRow.id, RunDocumentRow.path, RunDocumentRow.position)
            .where(RunDocumentRow.run_id == run_id)
            .order_by(RunDocumentRow.position)
        ).all()
    return [(row.id, row.path, row.position) for row in rows]


def _only_run(engine: Engine) -> tuple[int, str]:
    with engine.connect() as connection:
        runs = connection.execute(select(RunRow.id, RunRow.status)).all()
    assert len(runs) == 1, f"expected one run, found {runs}"
    return runs[0].id, runs[0].status


def _assert_complete(engine: Engine, run_id: int, paths: list[Path]) -> None:
    """Every input stored once, at its position in the input order, with its citations and verdicts."""
    stored = _run_documents(engine, run_id)
    assert [path for _, path, _ in stored] == [str(p) for p in paths]  # each path exactly once, in order
    assert [position for _, _, position in stored] == list(range(len(paths)))
    with engine.connect() as connection:
        documents = connection.execute(select(func.count(DocumentRow.id))).scalar_one()
        distinct = connection.execute(select(func.count(func.distinct(DocumentRow.sha256)))).scalar_one()
        without_citations = connection.execute(
            select(func.count(RunDocumentRow.id))
            .where(RunDocumentRow.run_id == run_id)
            .where(~RunDocumentRow.id.in_(select(CitationRow.run_document_id)))
        ).scalar_one()
        document_verdicts = connection.execute(
            select(func.count(VerdictRow.id)).where(VerdictRow.run_document_id.is_not(None))
        ).scalar_one()
    assert documents == distinct == len(paths)
    assert without_citations == 0  # no document was stored half-way
    assert document_verdicts == len(paths)


def _report_paths(report: Path) -> list[str]:
    with report.open(newline="") as stream:
        return list(dict.fromkeys(row["path"] for row in csv.DictReader(stream)))


def test_sigkill_then_resume_finishes_the_run(tmp_path: Path, database_url: str, engine: Engine) -> None:
    paths = write_corpus(tmp_path / "corpus", DOCUMENTS)
    corpus = str(tmp_path / "corpus")
    args = ["check", corpus, "--offline", "--db", database_url, "--quiet", "--format", "csv"]
    process = subprocess.Popen(
        citecheck_command(*args, "-o", str(tmp_path / "killed.csv")),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    stored = kill_when_stored(process, engine)
    assert 0 < stored < DOCUMENTS
    run_id, status = _only_run(engine)
    assert status == "running"  # what a SIGKILL leaves behind, and what --resume looks for
    before = {path: row_id for row_id, path, _ in _run_documents(engine, run_id)}

    report = tmp_path / "resumed.csv"
    finished = run_citecheck(*args, "--resume", "-o", str(report))
    assert finished.returncode in (0, 1), finished.stderr

    assert _only_run(engine) == (run_id, "finished")  # the same run, not a new one
    _assert_complete(engine, run_id, paths)
    after = {path: row_id for row_id, path, _ in _run_documents(engine, run_id)}
    assert {path: after[path] for path in before} == before  # stored documents were kept, not redone
    assert _report_paths(report) == [str(p) for p in paths]  # the report covers the whole run


def test_resume_without_an_unfinished_run_starts_a_new_one(tmp_path: Path, db_url: str) -> None:
    write_corpus(tmp_path / "corpus", 3)
    paths = [str(tmp_path / "corpus")]
    first = run_check(paths, Config(), offline=True, database_url=db_url)
    resumed = run_check(paths, Config(), offline=True, database_url=db_url, resume=True)
    assert resumed.run_id != first.run_id  # the finished run is left alone
    assert len(resumed.documents) == 3


def test_resume_takes_up_a_failed_run_in_the_same_mode_only(tmp_path: Path, db_url: str) -> None:
    write_corpus(tmp_path / "corpus", 4)
    paths = [str(tmp_path / "corpus")]
    store = Store(db_url)
    try:
        failed = store.start_run(paths, offline=True)
        store.finish_run(failed, status="failed")
        online = store.start_run(paths, offline=False)  # killed while checking links
    finally:
        store.close()
    resumed = run_check(paths, Config(), offline=True, database_url=db_url, resume=True)
    assert resumed.run_id == failed and resumed.run_id != online
    assert [Path(d.path).name for d in resumed.documents] == [f"doc-{i:05d}.txt" for i in range(4)]
    store = Store(db_url)
    try:
        overview = run_overview(store, failed)
    finally:
        store.close()
    assert overview is not None and overview.status == "finished" and overview.documents == 4


@pytest.mark.network
def test_links_checked_before_the_kill_are_not_requested_again(
    tmp_path: Path, fixture_site: FixtureSite
) -> None:
    key = tmp_path.name[-10:].strip("_")
    count = 300  # two batches: the kill lands in the first, the second is checked after resuming
    paths = write_corpus(tmp_path / "corpus", count, url=fixture_site.url(f"/articles/resume-{key}-%d"))
    config = tmp_path / "config.yaml"
    config.write_text(
        "network:\n"
        "  allow_private_hosts: ['127.0.0.1']\n"
        f"  connectivity_check_urls: ['{fixture_site.url('/')}']\n"
        "  connect_timeout: 2\n  read_timeout: 2\n  total_timeout: 10\n  retries: 0\n"
        "archive:\n  providers: []\n"
    )
    database_url = f"sqlite:///{tmp_path / 'resume.db'}"
    args = ["check", str(tmp_path / "corpus"), "--config", str(config), "--db", database_url]
    args += ["--quiet", "--format", "csv", "-o", str(tmp_path / "report.csv")]
    from sqlalchemy import create_engine

    engine = create_engine(database_url)
    try:
        process = subprocess.Popen(
            citecheck_command(*args), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        kill_when_stored(process, engine)
        with engine.connect() as connection:
            checked = set(connection.execute(select(UrlCheckRow.url)).scalars())
        assert checked, "the killed run had stored no link checks"
        path_of = {
            fixture_site.url(path): path for path in (f"/articles/resume-{key}-{i}" for i in range(count))
        }
        seen_at_kill = {url: fixture_site.count(path) for url, path in path_of.items()}

        finished = subprocess.run(
            citecheck_command(*args, "--resume"), capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT
        )
        assert finished.returncode in (0, 1), finished.stderr

        for url in checked:  # answered from the cache (within cache.ttl_hours), not the network
            assert fixture_site.count(path_of[url]) == seen_at_kill[url], url
        unchecked = set(path_of) - checked
        assert unchecked and all(fixture_site.count(path_of[url]) >= 1 for url in unchecked)
        run_id, status = _only_run(engine)
        assert status == "finished"
        _assert_complete(engine, run_id, paths)
        with engine.connect() as connection:
            statuses = set(connection.execute(select(UrlCheckRow.status)).scalars())
            checks = connection.execute(select(func.count(UrlCheckRow.id))).scalar_one()
        assert statuses == {"alive"}
        assert checks == count  # each URL checked once across the kill and the resume
    finally:
        engine.dispose()
