"""What counts as an archived copy, which one is chosen, and what is said when there is none (#15).

All against a real pywb: the collection ``web`` and the more recent ``fresh`` one (tests/servers/pywb.py).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from citecheck.archive import SnapshotRequest, find_snapshots
from citecheck.config import ArchiveProvider, ArchiveSettings
from citecheck.models import ArchiveMatch, Snapshot
from citecheck.net import NetClient
from tests.servers.pywb import (
    FRESH,
    HOSPITAL,
    LONG,
    RETRACTED,
    SOFT_MISSING,
    SOURDOUGH,
    STORY,
    STORY_QUOTE,
    TRUNCATED,
    WALLED,
    WEATHER,
    PywbServer,
)
from tests.servers.site import FixtureSite

CONTEXT = (
    "According to the Daily Example, parliament passed the budget after an all-night session, "
    f"\u201c{STORY_QUOTE}\u201d, the speaker said."
)


def at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)


async def one(request: SnapshotRequest, client: NetClient, *providers: ArchiveProvider) -> Snapshot:
    settings = ArchiveSettings(providers=providers, match_content=True)
    return (await find_snapshots([request], client, settings))[request.url]


def fresh_then_web(pywb: PywbServer) -> tuple[ArchiveProvider, ArchiveProvider]:
    """The README's layout: the local evidence collection first, then the big archive."""
    return pywb.provider(name="evidence", collection=FRESH), pywb.provider(name="web")


# -- the nearest date wins across providers --------------------------------------------------------


async def test_nearest_copy_wins_over_provider_order(pywb_server: PywbServer, net_client: NetClient) -> None:
    # "fresh" is asked first and holds copies from 2021 and 2024; "web" holds one from five days later
    snapshot = await one(SnapshotRequest(STORY, at(2020, 3, 10)), net_client, *fresh_then_web(pywb_server))
    assert snapshot.found and snapshot.archive == "web"
    assert (
        snapshot.memento_datetime is not None and snapshot.memento_datetime.date().isoformat() == "2020-03-15"
    )


async def test_a_tie_goes_to_the_provider_listed_first(
    pywb_server: PywbServer, net_client: NetClient
) -> None:
    # both collections hold a copy captured on 2021-06-01
    snapshot = await one(SnapshotRequest(STORY, at(2021, 6, 1)), net_client, *fresh_then_web(pywb_server))
    assert snapshot.found and snapshot.archive == "evidence"
    snapshot = await one(
        SnapshotRequest(STORY, at(2021, 6, 1)), net_client, *reversed(fresh_then_web(pywb_server))
    )
    assert snapshot.found and snapshot.archive == "web"


# -- an error page is not a copy ----------------------------------------------------------------------


async def test_an_archived_error_page_is_not_a_copy(pywb_server: PywbServer, net_client: NetClient) -> None:
    snapshot = await one(SnapshotRequest(RETRACTED, at(2020, 2, 1)), net_client, pywb_server.provider())
    assert not snapshot.found
    assert snapshot.http_status == 404  # what the archive holds is still reported
    assert snapshot.error is None  # the archive answered: this is "no copy", not "not reached"
    assert any("error page (HTTP 404)" in line for line in snapshot.evidence)


async def test_a_soft_404_capture_does_not_pre_empt_a_real_copy(
    pywb_server: PywbServer, net_client: NetClient
) -> None:
    # "fresh" holds a "Page not found" page captured with 200 the day after the citation
    snapshot = await one(SnapshotRequest(HOSPITAL, at(2020, 4, 1)), net_client, *fresh_then_web(pywb_server))
    assert snapshot.found and snapshot.archive == "web" and snapshot.http_status == 200
    assert any("Hospitals add beds" in line for line in snapshot.evidence)
    assert any(
        "evidence: nearest capture (2020-04-02) is an error page" in line for line in snapshot.evidence
    )


async def test_a_soft_404_capture_gives_way_to_an_older_real_copy_in_the_same_archive(
    pywb_server: PywbServer, net_client: NetClient
) -> None:
    snapshot = await one(SnapshotRequest(SOFT_MISSING, at(2020, 6, 2)), net_client, pywb_server.provider())
    assert snapshot.found and snapshot.memento_datetime is not None
    assert snapshot.memento_datetime.date().isoformat() == "2019-06-01"
    assert any("Council approves tram line" in line for line in snapshot.evidence)


async def test_a_bot_wall_capture_is_not_a_copy(pywb_server: PywbServer, net_client: NetClient) -> None:
    snapshot = await one(SnapshotRequest(WALLED, at(2020, 5, 1)), net_client, pywb_server.provider())
    assert not snapshot.found and snapshot.http_status == 200
    assert any("bot wall" in line for line in snapshot.evidence)


# -- why there is no copy --------------------------------------------------------------------------


def unreachable(name: str) -> ArchiveProvider:
    return ArchiveProvider(
        name=name,
        kind="wayback",
        replay_url="http://archive.invalid/web",
        cdx_url="http://archive.invalid/cdx",
    )


async def test_an_unreachable_archive_is_said_to_be_not_reached(net_client: NetClient) -> None:
    snapshot = await one(SnapshotRequest(STORY, at(2020, 3, 10)), net_client, unreachable("ia"))
    assert not snapshot.found
    assert (snapshot.error or "").startswith("archive not reached: ia: unreachable")


async def test_a_rate_limited_archive_is_said_to_be_not_reached(
    fixture_site: FixtureSite, net_client: NetClient
) -> None:
    provider = ArchiveProvider(name="busy", kind="wayback", replay_url=fixture_site.url("/archive-throttled"))
    snapshot = await one(SnapshotRequest(STORY, at(2020, 3, 10)), net_client, provider)
    assert not snapshot.found
    assert snapshot.error == "archive not reached: busy: rate limited (HTTP 429)"


async def test_one_budgeted_look_up_is_one_request_even_when_throttled(
    fixture_site: FixtureSite, net_client: NetClient
) -> None:
    # the archive asks for a one-second pause, which the client would honour (max_retry_after is 2 s)
    # with two more requests the archive's budget never counted
    provider = ArchiveProvider(name="busy", kind="wayback", replay_url=fixture_site.url("/archive-busy/once"))
    snapshot = await one(SnapshotRequest(STORY, at(2020, 3, 10)), net_client, provider)
    assert not snapshot.found and "rate limited" in (snapshot.error or "")
    assert fixture_site.count(f"/archive-busy/once/20200310000000id_/{STORY}") == 1


# -- content matching --------------------------------------------------------------------------------


async def test_an_unrelated_page_published_near_the_date_is_a_mismatch(
    pywb_server: PywbServer, net_client: NetClient
) -> None:
    paraphrase = "According to the Daily Example, parliament passed the budget after an all-night session."
    request = SnapshotRequest(
        SOURDOUGH, at(2020, 3, 15), context=paraphrase, outlet_domains=("news.example.com",)
    )
    snapshot = await one(request, net_client, pywb_server.provider())
    assert snapshot.found and snapshot.match is ArchiveMatch.MISMATCH
    assert any("1 days from the cited date" in line for line in snapshot.evidence)


async def test_the_site_name_in_a_title_is_not_a_matching_term(
    pywb_server: PywbServer, net_client: NetClient
) -> None:
    # CONTEXT names the Daily Example; the weather page's title ends in "| Daily Example"
    request = SnapshotRequest(WEATHER, at(2020, 3, 15), context=CONTEXT, outlet_domains=("news.example.com",))
    snapshot = await one(request, net_client, pywb_server.provider())
    assert snapshot.found and snapshot.match is ArchiveMatch.MISMATCH
    assert not any(line.startswith("matched terms") for line in snapshot.evidence)


# -- the wayback kind against pywb's CDX ------------------------------------------------------------


async def test_the_wayback_kind_recovers_a_truncated_url_from_pywb(
    pywb_server: PywbServer, net_client: NetClient
) -> None:
    request = SnapshotRequest(TRUNCATED, at(2021, 5, 21), truncated=True)
    snapshot = await one(request, net_client, pywb_server.provider("wayback"))
    assert snapshot.recovered_url == LONG
    assert snapshot.found and snapshot.http_status == 200


@pytest.mark.parametrize("kind", ["wayback", "pywb"])
async def test_the_2xx_search_works_in_either_cdx_dialect(
    kind: str, pywb_server: PywbServer, net_client: NetClient
) -> None:
    snapshot = await one(
        SnapshotRequest(SOFT_MISSING, at(2020, 6, 2)), net_client, pywb_server.provider(kind)
    )
    assert snapshot.found and snapshot.memento_datetime is not None
    assert snapshot.memento_datetime.year == 2019


# -- the copy a document gives (a wiki archive-url) -------------------------------------------------


@pytest.mark.parametrize(
    ("path", "is_copy"), [("/articles/given-copy", True), ("/bot-wall/200", False), ("/soft404/title", False)]
)
async def test_a_given_copy_that_is_an_error_page_or_a_bot_wall_is_not_used(
    path: str, is_copy: bool, fixture_site: FixtureSite, net_client: NetClient
) -> None:
    from citecheck.archive.given import given_copy

    snapshot, evidence = await given_copy(STORY, fixture_site.url(path), net_client, ArchiveSettings())
    assert (snapshot is not None) is is_copy
    if not is_copy:
        assert "is not a copy" in evidence
