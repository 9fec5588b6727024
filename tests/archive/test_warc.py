"""capture_pages writes a WARC that pywb then replays through the same provider code."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from citecheck.archive import SnapshotRequest, capture_pages, find_snapshots
from citecheck.config import ArchiveSettings
from citecheck.net import NetClient
from tests.servers.pywb import PywbServer
from tests.servers.site import FixtureSite


async def test_captured_pages_replay_in_pywb(
    fixture_site: FixtureSite, pywb_server: PywbServer, net_client: NetClient
) -> None:
    page = fixture_site.url("/articles/preserved")
    moved = fixture_site.url("/redirect/moved")
    collection = pywb_server.root / "collections" / "evidence"

    written = await capture_pages([page, moved, "http://gone.invalid/"], net_client, collection)

    assert len(written) == 1 and written[0].parent == collection / "archive"
    with written[0].open("rb") as stream:
        records = [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI")) for r in ArchiveIterator(stream)]
    # every hop is kept: the redirect and where it led
    responses = [uri for kind, uri in records if kind == "response"]
    assert responses == [page, moved, fixture_site.url("/articles/new-home")]
    assert sum(1 for kind, _ in records if kind == "request") == 3
    assert len(list((collection / "indexes").glob("*.cdxj"))) == 1

    settings = ArchiveSettings(providers=(pywb_server.provider(collection="evidence"),))
    now = datetime.now(UTC)
    results = await find_snapshots(
        [SnapshotRequest(page, now), SnapshotRequest(moved, now)], net_client, settings
    )
    assert results[page].found and results[page].http_status == 200
    assert "title: 'Story preserved'" in results[page].evidence
    # replayed as it was seen live: the redirect, then the page it led to
    assert results[moved].found and results[moved].http_status == 200
    assert f"the copy is of {fixture_site.url('/articles/new-home')}" in results[moved].evidence


async def test_nothing_answered_writes_nothing(tmp_path: Path, net_client: NetClient) -> None:
    collection = tmp_path / "collections" / "empty"
    assert await capture_pages(["http://gone.invalid/"], net_client, collection) == []
    assert not collection.exists()
