"""A failure that says more about the network than the page is reused for minutes, not a day (#15).

`cache.transient_ttl_minutes` (10 by default) bounds the reuse of no network, timeouts, connection
errors, 429s and archive look-ups that did not reach the archive; other results keep `cache.ttl_hours`.
Runs are real `run_check`s against loopback servers with an injected clock.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from citecheck.config import ArchiveProvider, ArchiveSettings, Config, NetworkSettings
from citecheck.models import LinkStatus, RunResult
from citecheck.pipeline import run_check
from tests.servers.site import FixtureSite, closed_port

pytestmark = pytest.mark.network

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def run_at(document: Path, config: Config, db_url: str, moment: datetime) -> RunResult:
    return run_check([str(document)], config, database_url=db_url, clock=lambda: moment)


class _Page(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the standard library's name
        found = self.path == "/story"
        body = b"<html><head><title>Back online</title></head><body><p>The story is here.</p></body></html>"
        if not found:
            body = b"<html><head><title>Not found</title></head><body><p>No such page.</p></body></html>"
        self.send_response(200 if found else 404)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def later_server() -> Iterator[tuple[int, threading.Event]]:
    """A port nobody listens on now; set the event to start a web server on it (the network is back)."""
    port = closed_port()
    start = threading.Event()
    servers: list[http.server.ThreadingHTTPServer] = []

    def serve() -> None:
        start.wait()
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), _Page)
        servers.append(server)
        server.serve_forever(poll_interval=0.05)

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield port, start
    finally:
        start.set()
        for server in servers:
            server.shutdown()
            server.server_close()


def test_an_offline_run_is_forgotten_within_minutes(
    later_server: tuple[int, threading.Event], net_settings: NetworkSettings, tmp_path: Path
) -> None:
    port, network_back = later_server
    document = tmp_path / "doc.txt"
    document.write_text(f"Source: Example News, December 1, 2026\nhttp://127.0.0.1:{port}/story\n")
    db_url = f"sqlite:///{tmp_path / 'cache.db'}"
    # the connectivity check goes to a port that stays closed: with the link refused too, no network
    offline = net_settings.model_copy(
        update={"connectivity_check_urls": (f"http://127.0.0.1:{closed_port()}/",)}
    )
    config = Config(network=offline, archive=ArchiveSettings(providers=()))

    cut_off = run_at(document, config, db_url, START)
    assert cut_off.no_network is not None
    assert cut_off.documents[0].citations[-1].link.status is LinkStatus.UNKNOWN_OFFLINE  # type: ignore[union-attr]

    network_back.set()
    soon = run_at(document, config, db_url, START + timedelta(minutes=5))
    assert soon.documents[0].citations[-1].link.status is LinkStatus.UNKNOWN_OFFLINE  # type: ignore[union-attr]

    later = run_at(document, config, db_url, START + timedelta(minutes=30))
    assert later.no_network is None
    assert later.documents[0].citations[-1].link.status is LinkStatus.ALIVE  # type: ignore[union-attr]


def test_a_429_is_checked_again_within_minutes_a_403_within_the_day(
    fixture_site: FixtureSite, net_settings: NetworkSettings, tmp_path: Path
) -> None:
    throttled, denied = "/throttled-long", "/status/403"
    document = tmp_path / "doc.txt"
    document.write_text(f"See {fixture_site.url(throttled)} and {fixture_site.url(denied)}.\n")
    db_url = f"sqlite:///{tmp_path / 'cache.db'}"
    config = Config(network=net_settings, archive=ArchiveSettings(providers=()))

    first = run_at(document, config, db_url, START)
    statuses = {item.link.http_status for item in first.documents[0].citations if item.link}
    assert statuses == {429, 403}
    before = fixture_site.count(throttled), fixture_site.count(denied)
    run_at(document, config, db_url, START + timedelta(minutes=30))
    assert fixture_site.count(throttled) > before[0]  # asked again
    assert fixture_site.count(denied) == before[1]  # the 403 still answers from the cache


def test_an_archive_not_reached_is_asked_again_within_minutes(
    fixture_site: FixtureSite, net_settings: NetworkSettings, tmp_path: Path
) -> None:
    archive = ArchiveProvider(name="busy", kind="wayback", replay_url=fixture_site.url("/archive-busy/cache"))
    page = fixture_site.url("/articles/cached-archive-test")
    document = tmp_path / "doc.txt"
    document.write_text(f"Source: Fixture News, December 1, 2026\n{page}\n")
    db_url = f"sqlite:///{tmp_path / 'cache.db'}"
    config = Config(network=net_settings, archive=ArchiveSettings(providers=(archive,)))
    replay = f"/archive-busy/cache/20261201000000id_/{page}"

    first = run_at(document, config, db_url, START)
    snapshot = first.documents[0].citations[-1].snapshot
    assert snapshot is not None and (snapshot.error or "").startswith("archive not reached")
    asked = fixture_site.count(replay)
    run_at(document, config, db_url, START + timedelta(minutes=5))
    assert fixture_site.count(replay) == asked  # within minutes: from the cache
    run_at(document, config, db_url, START + timedelta(minutes=30))
    assert fixture_site.count(replay) > asked  # then asked again, not a day later
