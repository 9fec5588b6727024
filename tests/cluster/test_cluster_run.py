"""A run on a Dask cluster gives the report a run on one process gives, checks each URL once, keeps
per-host limits across workers, and survives a worker killed half-way (#20)."""

from __future__ import annotations

import os
import re
import signal
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import create_engine, func, select, text

from citecheck.models import CitationKind, RunResult
from citecheck.pipeline import run_check
from citecheck.report.json import to_dict
from citecheck.store.repository import Store
from citecheck.store.tables import RunDocumentRow, UrlCheckRow
from tests.servers.pywb import PywbServer
from tests.servers.site import FixtureSite

from .conftest import PER_HOST, cluster_config, corpus_copy, fixture_urls, write_documents

pytestmark = [pytest.mark.network, pytest.mark.postgres]

HOSTS = ("main", "catchall", "portal")


def _comparable(result: RunResult) -> dict[str, Any]:
    """The JSON report without what differs between any two runs: ids, and the times things happened
    (the run's, and when a failing link was first seen, also where its history names the day)."""
    report = to_dict(result)
    for key in ("id", "started_at", "finished_at"):
        report["run"].pop(key)
    for document in report["documents"]:
        for citation in document["citations"]:
            link = citation["link"]
            if link is not None:
                link["failing_since"] = link["failing_since"] is not None
                link["history"] = re.sub(r"\d{4}-\d{2}-\d{2}", "<day>", link["history"] or "")
    return report


def _schema_of_its_own(url: str, schema: str) -> str:
    """The same PostgreSQL database with `schema` (made empty) first on the search path."""
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"


def _first_difference(left: Any, right: Any, where: str = "") -> str | None:
    """Where two JSON values first differ, and how; None when they are equal."""
    if isinstance(left, dict) and isinstance(right, dict):
        for key in sorted(set(left) | set(right), key=str):
            found = _first_difference(left.get(key), right.get(key), f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(left, list) and isinstance(right, list) and len(left) == len(right):
        for index, (one, other) in enumerate(zip(left, right, strict=True)):
            found = _first_difference(one, other, f"{where}[{index}]")
            if found:
                return found
        return None
    return None if left == right else f"{where}: {left!r} != {right!r}"


def _requests(site: FixtureSite, urls: list[str]) -> Counter[str]:
    """Requests the fixture site has answered so far for each of `urls` (by path, any method)."""
    hosts = {site.main_port: "main", site.catchall_port: "catchall", site.portal_port: "portal"}
    counts: Counter[str] = Counter()
    for url in urls:
        parts = urlsplit(url)
        if parts.port in hosts:
            counts[url] = site.count(parts.path, host=hosts[parts.port])
    return counts


def _inputs(
    tmp_path: Path, fixture_site: FixtureSite, key: str, slow: int = 20
) -> tuple[list[str], list[str]]:
    urls = fixture_urls(fixture_site, key, slow)
    documents = corpus_copy(tmp_path / "corpus") + write_documents(tmp_path / "generated", urls)
    return [str(path) for path in documents], urls


def test_a_cluster_run_reports_what_one_process_reports_and_checks_each_url_once(
    dask_client: Any, postgres_url: str, fixture_site: FixtureSite, pywb_server: PywbServer, tmp_path: Path
) -> None:
    config = cluster_config(fixture_site, pywb_server)
    paths, urls = _inputs(tmp_path, fixture_site, "equal")
    # Each run in a database of its own: a link's history (failures seen by earlier runs) is evidence too.
    one_process = run_check(paths, config, database_url=_schema_of_its_own(postgres_url, "reference"))

    before = _requests(fixture_site, urls)
    fixture_site.reset_peaks()
    on_cluster = run_check(paths, config, database_url=postgres_url, cluster=dask_client.scheduler.address)
    sent = _requests(fixture_site, urls) - before

    assert _first_difference(_comparable(on_cluster), _comparable(one_process)) is None
    cited = {url for url in urls if url in before or url in sent}
    assert cited and all(sent[url] == 1 for url in cited), {u: sent[u] for u in cited if sent[u] != 1}
    assert {host: fixture_site.peak_in_flight[host] for host in HOSTS} == {
        host: min(fixture_site.peak_in_flight[host], PER_HOST) for host in HOSTS
    }
    assert fixture_site.peak_in_flight["main"] >= 1


def test_a_worker_killed_half_way_loses_nothing_and_repeats_no_stored_url(
    dask_client: Any, postgres_url: str, fixture_site: FixtureSite, pywb_server: PywbServer, tmp_path: Path
) -> None:
    config = cluster_config(fixture_site, pywb_server)
    paths, urls = _inputs(tmp_path, fixture_site, "kill", slow=60)
    Store(postgres_url).close()  # migrated before anyone looks
    engine = create_engine(postgres_url)
    before = _requests(fixture_site, urls)
    fixture_site.reset_peaks()
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["result"] = run_check(
                paths, config, database_url=postgres_url, cluster=dask_client.scheduler.address
            )
        except BaseException as exc:  # handed to the test thread below
            outcome["error"] = exc

    runner = threading.Thread(target=run)
    runner.start()
    killed = _kill_a_checking_worker(dask_client, engine, runner)
    with engine.connect() as connection:
        stored_at_kill = set(connection.scalars(select(UrlCheckRow.url)))
    runner.join(timeout=300)
    assert not runner.is_alive()
    if "error" in outcome:
        raise outcome["error"]
    result: RunResult = outcome["result"]
    sent = _requests(fixture_site, urls) - before

    assert killed and stored_at_kill, "the worker must die while links are being checked"
    with engine.connect() as connection:
        positions = connection.scalars(
            select(RunDocumentRow.position).where(RunDocumentRow.run_id == result.run_id)
        ).all()
        checks = connection.execute(
            select(UrlCheckRow.url, func.count())
            .where(UrlCheckRow.run_id == result.run_id)
            .group_by(UrlCheckRow.url)
        ).all()
    engine.dispose()
    assert sorted(positions) == list(range(len(paths)))  # nothing missing, nothing twice
    assert all(count == 1 for _, count in checks)
    assert len(stored_at_kill) < len(checks), "the worker must die before the checks are done"
    links = [
        item.link
        for document in result.documents
        for item in document.citations
        if item.citation.kind is CitationKind.URL
    ]
    assert links and all(link is not None for link in links)
    assert {url for url, _ in checks} >= {url for url in urls if sent[url] or url in stored_at_kill}
    repeated = {url: sent[url] for url in stored_at_kill if sent[url] > 1}
    assert repeated == {}, "a URL stored before the kill was fetched again"
    assert max(fixture_site.peak_in_flight[host] for host in HOSTS) <= PER_HOST


def _kill_a_checking_worker(client: Any, engine: Any, runner: threading.Thread) -> str | None:
    """SIGKILL the worker process running a link-check task once some checks are stored."""
    pids = client.run(os.getpid)
    deadline = time.monotonic() + 240
    while runner.is_alive() and time.monotonic() < deadline:
        with engine.connect() as connection:
            stored = connection.scalar(select(func.count()).select_from(UrlCheckRow)) or 0
        if stored >= 10:
            for worker, keys in client.processing().items():
                if any(str(key).startswith("check-") for key in keys) and worker in pids:
                    os.kill(pids[worker], signal.SIGKILL)
                    return str(worker)
        time.sleep(0.05)
    return None
