"""A Dask LocalCluster of two worker processes for the session, and documents citing the fixture site.

The workers are processes of their own, so the suite's tripwire (tests/conftest.py: no connection or
name look-up off this machine) is installed in each of them by a worker plugin, also in a worker the
nanny restarts after a test killed it; `off_machine(client)` collects what the workers refused.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from citecheck.config import ArchiveSettings, CacheSettings, Config, NetworkSettings
from tests.conftest import CORPUS
from tests.servers.pywb import PywbServer
from tests.servers.site import FixtureSite

distributed = pytest.importorskip("distributed", reason="the cluster extra: pip install -e '.[cluster]'")

WORKERS = 2
PER_HOST = 2


class Tripwire(distributed.WorkerPlugin):  # type: ignore[misc]
    """Installs the suite's socket tripwire in a worker process."""

    def setup(self, worker: Any) -> None:
        import tests.conftest  # noqa: F401  (importing it patches the socket module)


def off_machine(client: Any) -> list[str]:
    def attempts() -> list[str]:
        import tests.conftest

        return list(tests.conftest._OFF_MACHINE)

    # A worker a test just killed may still be listed; it sent nothing more (its restarted successor
    # starts with an empty list).
    found = client.run(attempts, on_error="ignore")
    return [attempt for worker_attempts in found.values() for attempt in worker_attempts]


@pytest.fixture(scope="session")
def dask_cluster() -> Iterator[Any]:
    cluster = distributed.LocalCluster(
        n_workers=WORKERS,
        threads_per_worker=2,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",
        silence_logs=50,
    )
    client = distributed.Client(cluster)
    client.register_plugin(Tripwire(), name="citecheck-tripwire")
    try:
        yield cluster
    finally:
        client.close()
        cluster.close()


@pytest.fixture
def dask_client(dask_cluster: Any) -> Iterator[Any]:
    client = distributed.Client(dask_cluster)
    client.wait_for_workers(WORKERS)
    try:
        yield client
    finally:
        assert off_machine(client) == []
        client.close()


def cluster_config(fixture_site: FixtureSite, pywb: PywbServer) -> Config:
    """Loopback only through config (the workers get the same config with every task), a small
    per-host limit, and the real pywb as the archive for the broken links."""
    return Config(
        network=NetworkSettings(
            connect_timeout=2.0,
            read_timeout=2.0,
            total_timeout=10.0,
            concurrency=16,
            per_host=PER_HOST,
            max_body_bytes=256 * 1024,
            retries=1,
            backoff_seconds=0.01,
            max_retry_after=1.0,
            allow_private_hosts=("127.0.0.1",),
            connectivity_check_urls=(fixture_site.portal_url("/"),),
        ),
        archive=ArchiveSettings(providers=(pywb.provider(name="pywb"),), match_content=False),
        cache=CacheSettings(ttl_hours=24),
    )


def fixture_urls(site: FixtureSite, key: str, slow: int = 20) -> list[str]:
    """Distinct URLs on three fixture hosts and on names that never resolve: alive, slow, missing,
    soft 404s. `key` keeps each test's paths its own on the session-wide site."""
    return (
        [site.url(f"/articles/{key}-{n}") for n in range(60)]
        + [site.url(f"/unhurried/{key}-{n}") for n in range(slow)]
        + [site.url(f"/gone/{key}-{n}") for n in range(15)]
        + [site.catchall_url(f"/posts/{key}-{n}") for n in range(15)]
        + [site.portal_url(f"/news/{key}-missing-{n}") for n in range(10)]
        + [f"http://{key}-{n}.example.invalid/story" for n in range(5)]
    )


def write_documents(folder: Path, urls: list[str], count: int = 200, seed: int = 20) -> list[Path]:
    """`count` short documents, each citing four of `urls` (so most URLs are cited many times), some
    with a dated source line (archive look-ups aim at that date)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        lines = [f"Brief {index}: what the fixture reported\n"]
        for url in rng.sample(urls, 4):
            day = rng.randint(1, 28)
            source = f"Source: Fixture News, March {day}, 2024" if rng.random() < 0.5 else "See also"
            lines.append(f"The fixture wrote about item {rng.randint(1, 999)}.\n\n{source}\n{url}\n")
        path = folder / f"brief-{index:03}.txt"
        path.write_text("\n".join(lines), encoding="utf-8")
        paths.append(path)
    return paths


def corpus_copy(folder: Path) -> list[Path]:
    """The seed corpus with every cited host moved under .invalid: the tests reach nothing off this
    machine, and the links still fail the way a dead host does."""
    import re

    folder.mkdir(parents=True, exist_ok=True)
    copies = []
    for source in sorted(CORPUS.glob("*.txt")):
        text = re.sub(
            r"(https?://)([^/\s]+)", lambda m: f"{m.group(1)}{m.group(2)}.invalid", source.read_text("utf-8")
        )
        copy = folder / source.name
        copy.write_text(text, encoding="utf-8")
        copies.append(copy)
    return copies
