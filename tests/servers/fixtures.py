"""Session fixtures for the loopback servers, registered as a pytest plugin from tests/conftest.py.

* `fixture_site`: the fixture website (tests/servers/site.py), started once per session.
* `pywb_server`: a real pywb serving the fixture WARCs (tests/servers/pywb.py), started once per session.
* `net_settings`: NetworkSettings for tests: only 127.0.0.1 is exempt from the address guard (so
  127.0.0.2 stays refused), short timeouts, tiny backoff, and the fixture site as connectivity check.
* `net_client`: a NetClient on those settings, closed after the test.
* `recorded_client`: the same, with the production transport wrapped in a `RecordingTransport` that
  logs every request leaving the process (to prove refused addresses are never contacted).
* `fake_clock`: a `FakeClock` whose sleep advances time instantly and records what was asked, so tests
  assert on budgets and backoff without timing anything.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from citecheck.config import NetworkSettings
from citecheck.net import NetClient, guarded_transport

from .pywb import PywbServer
from .site import FixtureSite


@pytest.fixture(scope="session")
def fixture_site() -> Iterator[FixtureSite]:
    site = FixtureSite()
    site.start()
    try:
        yield site
    finally:
        site.stop()


@pytest.fixture(scope="session")
def pywb_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PywbServer]:
    server = PywbServer(root=Path(tmp_path_factory.mktemp("pywb")))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def net_settings(fixture_site: FixtureSite) -> NetworkSettings:
    return NetworkSettings(
        connect_timeout=2.0,
        read_timeout=1.0,
        total_timeout=5.0,
        concurrency=16,
        per_host=8,
        max_body_bytes=256 * 1024,
        max_redirects=5,
        retries=2,
        backoff_seconds=0.01,
        max_retry_after=2.0,
        allow_private_hosts=("127.0.0.1",),
        connectivity_check_urls=(fixture_site.url("/"),),
    )


@pytest.fixture
async def net_client(net_settings: NetworkSettings) -> AsyncIterator[NetClient]:
    async with NetClient(net_settings) as client:
        yield client


class FakeClock:
    """Monotonic time that only moves when someone sleeps; every sleep is recorded."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class RecordingTransport(httpx.AsyncBaseTransport):
    """Wraps a transport and records (method, URL) of every request handed to it."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.sent: list[tuple[str, str]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append((request.method, str(request.url)))
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()

    def hosts(self) -> set[str]:
        return {httpx.URL(url).host for _method, url in self.sent}


@pytest.fixture
def fake_clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def recorded_client(
    net_settings: NetworkSettings,
) -> AsyncIterator[tuple[NetClient, RecordingTransport]]:
    recorder = RecordingTransport(guarded_transport(net_settings))
    async with NetClient(net_settings, transport=recorder) as client:
        yield client, recorder
