"""find_snapshots against a real pywb: the same wayback code the Internet Archive gets, on loopback."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from citecheck.archive import SnapshotRequest, build_archive, find_snapshots
from citecheck.config import ArchiveProvider, ArchiveSettings
from citecheck.models import ArchiveMatch, Snapshot
from citecheck.net import NetClient
from tests.servers.fixtures import FakeClock
from tests.servers.pywb import (
    AMBIGUOUS_PREFIX,
    LONG,
    MIXED,
    NEVER,
    RECIPE,
    RETRACTED,
    STORY,
    STORY_QUOTE,
    TRUNCATED,
    PywbServer,
)
from tests.servers.site import FixtureSite

CONTEXT = (
    "According to the Daily Example, parliament passed the budget after an all-night session, "
    f"\u201c{STORY_QUOTE}\u201d, the speaker said."
)


def settings_for(*providers: ArchiveProvider, match_content: bool = True) -> ArchiveSettings:
    return ArchiveSettings(providers=providers, match_content=match_content)


async def one(request: SnapshotRequest, client: NetClient, settings: ArchiveSettings) -> Snapshot:
    return (await find_snapshots([request], client, settings))[request.url]


def at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)


# -- nearest capture ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["pywb", "wayback"])
@pytest.mark.parametrize(
    ("when", "captured", "title"),
    [
        (at(2020, 3, 10), at(2020, 3, 15), "Parliament passes budget"),
        (at(2019, 1, 1), at(2019, 6, 1), "Budget talks begin"),
        (at(2023, 1, 1), at(2021, 6, 1), "Budget one year on"),
    ],
)
async def test_nearest_capture_across_dates(
    kind: str, when: datetime, captured: datetime, title: str, pywb_server: PywbServer, net_client: NetClient
) -> None:
    snapshot = await one(SnapshotRequest(STORY, when), net_client, settings_for(pywb_server.provider(kind)))
    assert snapshot.found and snapshot.http_status == 200 and snapshot.archive == "local"
    assert snapshot.memento_datetime is not None and snapshot.memento_datetime.date() == captured.date()
    stamp = snapshot.memento_datetime.strftime("%Y%m%d%H%M%S")
    assert snapshot.memento_url == f"{pywb_server.base()}/{stamp}/{STORY}"
    assert any(title in line for line in snapshot.evidence)


async def test_digest_matches_the_archive_index(pywb_server: PywbServer, net_client: NetClient) -> None:
    snapshot = await one(
        SnapshotRequest(STORY, at(2020, 3, 10)), net_client, settings_for(pywb_server.provider())
    )
    index = httpx.get(f"{pywb_server.base()}/cdx", params={"url": STORY, "output": "json"}).text
    assert snapshot.digest is not None
    assert snapshot.digest.removeprefix("sha1:") in index


async def test_no_date_means_now(pywb_server: PywbServer, net_client: NetClient) -> None:
    snapshot = await one(SnapshotRequest(STORY, None), net_client, settings_for(pywb_server.provider()))
    assert snapshot.memento_datetime is not None and snapshot.memento_datetime.year == 2021


async def test_no_capture(pywb_server: PywbServer, net_client: NetClient) -> None:
    snapshot = await one(
        SnapshotRequest(NEVER, at(2020, 1, 1)), net_client, settings_for(pywb_server.provider())
    )
    assert not snapshot.found and snapshot.error is None
    assert snapshot.evidence == ("local: no capture",)


async def test_only_error_captures(pywb_server: PywbServer, net_client: NetClient) -> None:
    snapshot = await one(
        SnapshotRequest(RETRACTED, at(2020, 2, 1)), net_client, settings_for(pywb_server.provider())
    )
    assert not snapshot.found and snapshot.http_status == 404
    assert snapshot.match is ArchiveMatch.NOT_CHECKED
    assert any("is an error page (HTTP 404)" in line for line in snapshot.evidence)
    assert any("no archive holds a copy" in line for line in snapshot.evidence)


async def test_an_archived_redirect_leads_to_the_archived_target(
    pywb_server: PywbServer, net_client: NetClient
) -> None:
    snapshot = await one(
        SnapshotRequest(RETRACTED, at(2020, 6, 1)), net_client, settings_for(pywb_server.provider())
    )
    assert snapshot.found and snapshot.http_status == 200
    assert f"local: the capture of 2020-05-01 redirected to {STORY}" in snapshot.evidence
    assert f"the copy is of {STORY}" in snapshot.evidence


async def test_prefers_a_2xx_capture_through_cdx(pywb_server: PywbServer, net_client: NetClient) -> None:
    snapshot = await one(
        SnapshotRequest(MIXED, at(2020, 3, 2)), net_client, settings_for(pywb_server.provider())
    )
    assert snapshot.found and snapshot.http_status == 200
    assert (
        snapshot.memento_datetime is not None and snapshot.memento_datetime.date().isoformat() == "2020-01-05"
    )
    assert any(
        "nearest capture (2020-03-01) is an error page (HTTP 404)" in line for line in snapshot.evidence
    )


async def test_no_2xx_search_without_spare_cdx_budget(
    pywb_server: PywbServer, net_client: NetClient, fake_clock: FakeClock
) -> None:
    archive = build_archive(pywb_server.provider(cdx_per_minute=1), net_client, fake_clock)
    await archive.budget.index.acquire()  # the minute's only CDX request is spent
    lookup = await archive.nearest_ok(MIXED, at(2020, 3, 2))
    assert lookup.capture is None and "CDX budget spent" in (lookup.error or "")
    assert fake_clock.sleeps == []  # it did not wait for budget


# -- truncated URLs ------------------------------------------------------------------------------


async def test_truncated_url_is_recovered_from_the_index(
    pywb_server: PywbServer, net_client: NetClient
) -> None:
    assert TRUNCATED.endswith("%E2%8") and LONG.startswith(TRUNCATED)
    request = SnapshotRequest(TRUNCATED, at(2021, 5, 21), truncated=True)
    snapshot = await one(request, net_client, settings_for(pywb_server.provider()))
    assert snapshot.recovered_url == LONG
    assert snapshot.found and snapshot.http_status == 200
    assert any("We will not back down" in line for line in snapshot.evidence)


async def test_ambiguous_truncation_is_not_guessed(pywb_server: PywbServer, net_client: NetClient) -> None:
    request = SnapshotRequest(AMBIGUOUS_PREFIX, at(2021, 6, 2), truncated=True)
    snapshot = await one(request, net_client, settings_for(pywb_server.provider()))
    assert snapshot.recovered_url is None and not snapshot.found
    assert any("2 archived URLs complete the truncated one" in line for line in snapshot.evidence)


# -- content ----------------------------------------------------------------------------------------


async def test_matching_content(pywb_server: PywbServer, net_client: NetClient) -> None:
    request = SnapshotRequest(STORY, at(2020, 3, 15), context=CONTEXT, outlet_domains=("news.example.com",))
    snapshot = await one(request, net_client, settings_for(pywb_server.provider()))
    assert snapshot.match is ArchiveMatch.MATCHED
    assert f"quote found: {STORY_QUOTE!r}" in snapshot.evidence


async def test_mismatching_content(pywb_server: PywbServer, net_client: NetClient) -> None:
    request = SnapshotRequest(RECIPE, at(2020, 3, 15), context=CONTEXT, outlet_domains=("news.example.com",))
    snapshot = await one(request, net_client, settings_for(pywb_server.provider()))
    assert snapshot.found and snapshot.match is ArchiveMatch.MISMATCH
    assert any("not the outlet's domain" in line for line in snapshot.evidence)


async def test_content_matching_can_be_switched_off(pywb_server: PywbServer, net_client: NetClient) -> None:
    request = SnapshotRequest(STORY, at(2020, 3, 15), context=CONTEXT)
    snapshot = await one(request, net_client, settings_for(pywb_server.provider(), match_content=False))
    assert snapshot.found and snapshot.match is ArchiveMatch.NOT_CHECKED


# -- Memento --------------------------------------------------------------------------------------


async def test_memento_timegate(pywb_server: PywbServer, net_client: NetClient) -> None:
    request = SnapshotRequest(STORY, at(2020, 3, 10), context=CONTEXT)
    snapshot = await one(request, net_client, settings_for(pywb_server.provider("memento", name="tg")))
    assert snapshot.found and snapshot.archive == "tg" and snapshot.http_status == 200
    assert snapshot.memento_datetime == datetime(2020, 3, 15, 12, tzinfo=UTC)
    assert snapshot.match is ArchiveMatch.MATCHED


async def test_memento_timemap_only(pywb_server: PywbServer, net_client: NetClient) -> None:
    provider = pywb_server.provider("memento", name="tm", timegate_url=None)
    snapshot = await one(SnapshotRequest(STORY, at(2019, 1, 1)), net_client, settings_for(provider))
    assert snapshot.found and snapshot.memento_datetime == datetime(2019, 6, 1, 12, tzinfo=UTC)


async def test_memento_no_capture(pywb_server: PywbServer, net_client: NetClient) -> None:
    snapshot = await one(
        SnapshotRequest(NEVER, at(2020, 1, 1)), net_client, settings_for(pywb_server.provider("memento"))
    )
    assert not snapshot.found and snapshot.error is None


# -- several providers, unreachable archives, budgets ------------------------------------------


def unreachable(name: str) -> ArchiveProvider:
    return ArchiveProvider(
        name=name,
        kind="wayback",
        replay_url="http://archive.invalid/web",
        cdx_url="http://archive.invalid/cdx",
    )


async def test_providers_are_tried_in_order(pywb_server: PywbServer, net_client: NetClient) -> None:
    settings = settings_for(unreachable("down"), pywb_server.provider(name="local"))
    snapshot = await one(SnapshotRequest(STORY, at(2020, 3, 10)), net_client, settings)
    assert snapshot.found and snapshot.archive == "local"


async def test_unreachable_archive_is_not_no_capture(net_client: NetClient) -> None:
    settings = settings_for(unreachable("ia"), unreachable("mirror"))
    snapshot = await one(SnapshotRequest(STORY, at(2020, 3, 10), truncated=True), net_client, settings)
    assert not snapshot.found
    assert (snapshot.error or "").startswith("archive not reached: ia: unreachable")


async def test_a_throttling_archive_pauses_its_budget(
    fixture_site: FixtureSite, net_client: NetClient, fake_clock: FakeClock
) -> None:
    provider = ArchiveProvider(name="busy", kind="wayback", replay_url=fixture_site.url("/archive-throttled"))
    archive = build_archive(provider, net_client, fake_clock)
    lookup = await archive.nearest(STORY, at(2020, 1, 1))
    assert lookup.capture is None and "rate limited" in (lookup.error or "")
    assert archive.budget.replay.wait_needed() == pytest.approx(3600.0)


async def test_replay_budget_is_respected(
    pywb_server: PywbServer, net_client: NetClient, fake_clock: FakeClock
) -> None:
    provider = pywb_server.provider(replay_per_minute=2)
    requests = [SnapshotRequest(STORY, at(2020, 3, 10)), SnapshotRequest(STORY + "?v=2", at(2019, 1, 1))]
    results = await find_snapshots(
        requests, net_client, settings_for(provider, match_content=False), clock=fake_clock
    )
    assert results[STORY].found
    # each lookup is two replay requests (redirect to the exact timestamp, then the capture): the third
    # and fourth requests had to wait a minute for the budget
    assert fake_clock.now == pytest.approx(60.0)


async def test_budget_is_shared_across_calls_in_a_run(
    pywb_server: PywbServer, net_client: NetClient, fake_clock: FakeClock
) -> None:
    settings = settings_for(pywb_server.provider(replay_per_minute=2), match_content=False)
    await find_snapshots([SnapshotRequest(STORY, at(2020, 3, 10))], net_client, settings, clock=fake_clock)
    assert fake_clock.now == 0.0
    await find_snapshots([SnapshotRequest(STORY, at(2019, 1, 1))], net_client, settings, clock=fake_clock)
    assert fake_clock.now == pytest.approx(60.0)  # the second call waited for the first call's budget
