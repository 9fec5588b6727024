"""Servers that attack the checker: each costs bounded time and memory and ends as a clear status.

tests/net/test_client.py already covers a dripping body (total_timeout), redirect loops and the hop
limit, bodies streamed past the cap or declared over it, and answers that are not HTTP. Here: a gzip
bomb, a Content-Length shorter than the body or negative, broken chunked encoding, a body that is not
the gzip it claims to be, a charset nobody knows, and hostile pages, live or archived. Time is bounded
by the client's own timeouts (never asserted); memory is measured with tracemalloc, which sees every
bytes object the decompressor hands back.
"""

from __future__ import annotations

import tracemalloc
from datetime import UTC, datetime

import pytest

from citecheck.archive import SnapshotRequest, find_snapshots
from citecheck.check import check_links
from citecheck.config import ArchiveProvider, ArchiveSettings, NetworkSettings
from citecheck.models import ArchiveMatch, LinkStatus
from citecheck.net import FetchFailure, NetClient
from tests.servers.site import GZIP_BOMB_INFLATED, FixtureSite, gzip_bomb

pytestmark = pytest.mark.network


async def test_gzip_bomb_stops_at_the_body_cap(
    fixture_site: FixtureSite, net_client: NetClient, net_settings: NetworkSettings
) -> None:
    assert len(gzip_bomb()) < net_settings.max_body_bytes < GZIP_BOMB_INFLATED  # built before measuring
    tracemalloc.start()
    try:
        result = await net_client.fetch(fixture_site.url("/gzip-bomb"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.failure is FetchFailure.TOO_LARGE
    assert len(result.body) <= net_settings.max_body_bytes
    # a few copies of the cap, not the 256 MiB the body inflates to (nor one 64 KiB read's worth of it)
    assert peak < 8 * net_settings.max_body_bytes + 2 * len(gzip_bomb())


async def test_gzip_bomb_is_a_too_large_link(
    fixture_site: FixtureSite, net_client: NetClient, net_settings: NetworkSettings
) -> None:
    url = fixture_site.url("/gzip-bomb")
    checks = await check_links([url], net_client, net_settings)
    assert checks[url].status is LinkStatus.TOO_LARGE


async def test_content_length_shorter_than_the_body(fixture_site: FixtureSite, net_client: NetClient) -> None:
    result = await net_client.fetch(fixture_site.raw_url("/long-body"))
    assert result.failure is None and result.status_code == 200
    assert result.body == b"<html><title>Long</title></html>\n"  # what was declared, nothing more


@pytest.mark.parametrize("path", ["/negative-length", "/bad-chunked"])
async def test_broken_framing_is_a_protocol_failure(
    path: str, fixture_site: FixtureSite, net_client: NetClient
) -> None:
    result = await net_client.fetch(fixture_site.raw_url(path))
    assert result.failure is FetchFailure.PROTOCOL


async def test_body_that_is_not_the_gzip_it_claims(fixture_site: FixtureSite, net_client: NetClient) -> None:
    result = await net_client.fetch(fixture_site.url("/gzip-invalid"))
    assert result.status_code == 200
    assert result.failure is FetchFailure.PROTOCOL
    assert result.detail and "gzip" in result.detail


async def test_unknown_charset_is_still_checked(
    fixture_site: FixtureSite, net_client: NetClient, net_settings: NetworkSettings
) -> None:
    url = fixture_site.url("/charset-bogus")
    checks = await check_links([url], net_client, net_settings)
    assert checks[url].status is LinkStatus.ALIVE
    assert fixture_site.count("/charset-bogus", method="GET") >= 1  # the body was read and fingerprinted


async def test_one_hostile_server_does_not_hold_up_the_rest(
    fixture_site: FixtureSite, net_client: NetClient, net_settings: NetworkSettings
) -> None:
    hostile = [
        fixture_site.url("/gzip-bomb"),
        fixture_site.url("/drip"),
        fixture_site.url("/redirect/loop/a"),
        fixture_site.url("/huge"),
        fixture_site.raw_url("/bad-chunked"),
        fixture_site.url("/gzip-invalid"),
    ]
    honest = fixture_site.url("/articles/among-hostile-servers")
    checks = await check_links([*hostile, honest], net_client, net_settings)
    assert checks[honest].status is LinkStatus.ALIVE
    assert checks[fixture_site.url("/gzip-bomb")].status is LinkStatus.TOO_LARGE
    assert checks[fixture_site.url("/drip")].status is LinkStatus.TIMEOUT
    assert all(checks[url].status is not LinkStatus.ALIVE for url in hostile)


async def test_hostile_pages_do_not_stall_the_link_beside_them(
    fixture_site: FixtureSite, net_settings: NetworkSettings
) -> None:
    """A page of 160 KB of unclosed <title> tags and 4 MiB of tag soup on a catch-all host, checked beside
    an honest link that answers in 0.4 s with a 3 s total_timeout. Parsing on the event loop (a
    backtracking title pattern, then a full parse of the soup) held the loop long enough for the honest
    link's deadline to pass: it was reported `timeout` (#16). Now both pages are read linearly, capped
    and in a worker thread, and the honest link is alive."""
    settings = net_settings.model_copy(
        update={"max_body_bytes": 5 * 1024 * 1024, "total_timeout": 3.0, "read_timeout": 2.0}
    )
    titles, soup = fixture_site.url("/hostile/titles"), fixture_site.portal_url("/hostile/soup")
    honest = fixture_site.url("/unhurried/beside-hostile-pages")
    async with NetClient(settings) as client:
        checks = await check_links([titles, soup, honest], client, settings)
    assert checks[honest].status is LinkStatus.ALIVE, checks[honest].error
    assert checks[titles].status is LinkStatus.ALIVE  # a page without a usable title is still a page
    assert checks[soup].status in (LinkStatus.ALIVE, LinkStatus.SOFT_404)
    assert fixture_site.count("/hostile/soup", host="portal", method="GET") >= 1  # it was read


async def test_a_hostile_archived_copy_does_not_stall_the_look_up_beside_it(
    fixture_site: FixtureSite, net_settings: NetworkSettings
) -> None:
    """The archive's copy of one cited page is 4 MiB of tag soup; the copy of another takes the archive
    0.4 s to serve, within a 3 s total_timeout. The archived copy was parsed with BeautifulSoup on the
    event loop, for far longer than 3 s, so the honest copy's look-up timed out and read "archive not
    reached". Now it is read like a live page (check/page.py: capped, in a worker thread, with a
    deadline), and a copy read only in part is not called a mismatch."""
    settings = net_settings.model_copy(
        update={"max_body_bytes": 5 * 1024 * 1024, "total_timeout": 3.0, "read_timeout": 2.0}
    )
    archive = ArchiveSettings(
        providers=(ArchiveProvider(name="mini", kind="wayback", replay_url=fixture_site.url("/wb")),),
        match_content=True,
    )
    when = datetime(2021, 3, 2, tzinfo=UTC)
    hostile, honest = (
        "http://news.example/articles/hostile-soup",
        "http://news.example/articles/unhurried-copy",
    )
    requests = [
        SnapshotRequest(hostile, when, context='The minister said "we will not back down" on Monday.'),
        SnapshotRequest(honest, when, context="The harbour reopened on Monday, the port authority said."),
    ]
    async with NetClient(settings) as client:
        found = await find_snapshots(requests, client, archive)
    assert found[honest].found and found[honest].error is None, found[honest].error
    assert found[honest].match is ArchiveMatch.MATCHED
    assert found[hostile].found
    assert found[hostile].match is ArchiveMatch.NOT_CHECKED, found[hostile].evidence
    assert "the copy was read only in part (too large or too costly to read whole)" in found[hostile].evidence
