"""NetClient against the fixture site: redirects, address policy, timeouts, caps, retries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from urllib.parse import quote

import pytest

from citecheck.config import NetworkSettings
from citecheck.net import FetchFailure, NetClient, guarded_transport, retry_after_seconds
from tests.servers.fixtures import FakeClock, RecordingTransport
from tests.servers.site import FixtureSite, closed_port


def redirect_to(site: FixtureSite, target: str) -> str:
    return site.url("/redirect/to?url=" + quote(target, safe=""))


async def test_fetches_a_page_with_the_configured_user_agent(fixture_site: FixtureSite) -> None:
    settings = NetworkSettings(allow_private_hosts=("127.0.0.1",), user_agent="citecheck-test/1.0")
    async with NetClient(settings) as client:
        result = await client.fetch(fixture_site.url("/agent"))
    assert result.ok and result.status_code == 200
    assert b"citecheck-test/1.0" in result.body
    assert fixture_site.user_agents["/agent"] == "citecheck-test/1.0"
    assert client.request_count == 1


async def test_head_reads_no_body(fixture_site: FixtureSite, net_client: NetClient) -> None:
    result = await net_client.fetch(fixture_site.url("/articles/head-only"), method="HEAD")
    assert result.status_code == 200 and result.body == b""
    assert fixture_site.count("/articles/head-only", method="HEAD") == 1


async def test_follows_a_redirect_chain_hop_by_hop(fixture_site: FixtureSite, net_client: NetClient) -> None:
    result = await net_client.fetch(fixture_site.url("/redirect/chain/3"))
    assert result.ok
    assert result.final_url == fixture_site.url("/redirect/chain/0")
    assert result.redirects == tuple(fixture_site.url(f"/redirect/chain/{n}") for n in (2, 1, 0))


async def test_can_leave_redirects_alone(fixture_site: FixtureSite, net_client: NetClient) -> None:
    result = await net_client.fetch(fixture_site.url("/redirect/moved"), follow_redirects=False)
    assert result.status_code == 301 and result.header("location") == "/articles/new-home"
    assert result.redirects == ()


async def test_detects_a_redirect_loop(fixture_site: FixtureSite, net_client: NetClient) -> None:
    result = await net_client.fetch(fixture_site.url("/redirect/loop/a"))
    assert result.failure is FetchFailure.REDIRECT_LOOP
    assert result.status_code == 302
    assert fixture_site.count("/redirect/loop/a") >= 1


async def test_stops_at_the_hop_limit(fixture_site: FixtureSite, net_client: NetClient) -> None:
    result = await net_client.fetch(fixture_site.url("/redirect/chain/9"))
    assert result.failure is FetchFailure.TOO_MANY_REDIRECTS
    assert len(result.redirects) == net_client.settings.max_redirects + 1


async def test_a_cookie_bounce_is_not_a_loop(fixture_site: FixtureSite, net_client: NetClient) -> None:
    result = await net_client.fetch(fixture_site.url("/redirect/cookie"))
    assert result.ok and b"Cookie accepted" in result.body


@pytest.mark.parametrize(
    "target", ["http://127.0.0.2/", "http://2130706435/latest/meta-data/", "http://[::ffff:127.0.0.4]/"]
)
async def test_refuses_private_targets_directly(
    target: str, recorded_client: tuple[NetClient, RecordingTransport]
) -> None:
    client, recorder = recorded_client
    result = await client.fetch(target)
    assert result.failure is FetchFailure.REFUSED
    assert "address policy" in (result.detail or "")
    assert recorder.sent == []


@pytest.mark.parametrize(
    "target", ["http://127.0.0.2/admin", "http://2130706435/latest/meta-data/", "http://0x7f000004/"]
)
async def test_refuses_private_targets_after_a_redirect(
    target: str, fixture_site: FixtureSite, recorded_client: tuple[NetClient, RecordingTransport]
) -> None:
    client, recorder = recorded_client
    result = await client.fetch(redirect_to(fixture_site, target))
    assert result.failure is FetchFailure.REFUSED
    assert result.final_url == target and result.redirects == (target,)
    assert result.status_code == 302  # what the last server that answered said
    assert recorder.hosts() == {"127.0.0.1"}  # nothing ever left for the refused address


async def test_refuses_non_http_schemes_even_from_a_redirect(
    fixture_site: FixtureSite, net_client: NetClient
) -> None:
    result = await net_client.fetch(redirect_to(fixture_site, "file:///etc/passwd"))
    assert result.failure is FetchFailure.REFUSED and "scheme" in (result.detail or "")


async def test_dns_failure_direct_and_after_redirect(
    fixture_site: FixtureSite, net_client: NetClient
) -> None:
    direct = await net_client.fetch("http://no-such-outlet.invalid/story")
    assert direct.failure is FetchFailure.DNS and direct.attempts == 0
    redirected = await net_client.fetch(redirect_to(fixture_site, "http://moved-away.invalid/"))
    assert redirected.failure is FetchFailure.DNS


async def test_connection_refused_is_retried_then_reported(net_client: NetClient) -> None:
    result = await net_client.fetch(f"http://127.0.0.1:{closed_port()}/")
    assert result.failure is FetchFailure.CONNECT
    assert result.attempts == net_client.settings.retries + 1


async def test_tls_failure(fixture_site: FixtureSite, net_client: NetClient) -> None:
    # TLS to a plain-HTTP port: the handshake fails
    result = await net_client.fetch(f"https://127.0.0.1:{fixture_site.main_port}/")
    assert result.failure is FetchFailure.TLS
    assert result.attempts == 1


async def test_read_timeout_is_not_retried(fixture_site: FixtureSite, net_settings: NetworkSettings) -> None:
    settings = net_settings.model_copy(update={"read_timeout": 0.2})
    async with NetClient(settings) as client:
        result = await client.fetch(fixture_site.url("/slow"))
    assert result.failure is FetchFailure.TIMEOUT and result.attempts == 1


async def test_total_timeout_covers_a_dripping_body(
    fixture_site: FixtureSite, net_settings: NetworkSettings
) -> None:
    settings = net_settings.model_copy(update={"read_timeout": 1.0, "total_timeout": 0.4})
    async with NetClient(settings) as client:
        result = await client.fetch(fixture_site.url("/drip"))
    assert result.failure is FetchFailure.TIMEOUT
    assert "total_timeout" in (result.detail or "")
    assert result.status_code == 200  # the headers had arrived


async def test_streamed_body_stops_at_the_cap(fixture_site: FixtureSite, net_client: NetClient) -> None:
    result = await net_client.fetch(fixture_site.url("/huge"), max_bytes=64 * 1024)
    assert result.failure is FetchFailure.TOO_LARGE
    assert result.status_code == 200 and len(result.body) == 64 * 1024


async def test_declared_length_over_the_cap_is_not_read(
    fixture_site: FixtureSite, net_client: NetClient
) -> None:
    result = await net_client.fetch(fixture_site.url("/huge-declared"))
    assert result.failure is FetchFailure.TOO_LARGE
    assert "Content-Length" in (result.detail or "") and result.body == b""


async def test_body_types_skip_other_bodies(fixture_site: FixtureSite, net_client: NetClient) -> None:
    html_only = frozenset({"text/html"})
    pdf = await net_client.fetch(fixture_site.url("/report.pdf"), body_types=html_only)
    assert pdf.ok and pdf.media_type == "application/pdf" and pdf.body == b""
    page = await net_client.fetch(fixture_site.url("/articles/kept"), body_types=html_only)
    assert page.ok and b"story kept" in page.body
    download = await net_client.fetch(fixture_site.url("/big-file.zip"), max_bytes=1024, body_types=html_only)
    assert download.ok and download.failure is None and download.body == b""


async def test_idle_origins_are_closed_beyond_twice_the_concurrency(
    fixture_site: FixtureSite, net_settings: NetworkSettings
) -> None:
    settings = net_settings.model_copy(update={"concurrency": 1})
    transport = guarded_transport(settings)
    async with NetClient(settings, transport) as client:
        for url in (fixture_site.url("/"), fixture_site.catchall_url("/"), fixture_site.raw_url("/")):
            assert (await client.fetch(url)).answered
        assert transport.open_origins == 2  # type: ignore[attr-defined]
        assert (await client.fetch(fixture_site.url("/articles/again"))).ok  # a closed origin reopens


async def test_retries_a_503_until_it_succeeds(fixture_site: FixtureSite, net_client: NetClient) -> None:
    result = await net_client.fetch(fixture_site.url("/flaky/client"))
    assert result.ok and result.attempts == 2
    assert fixture_site.count("/flaky/client") == 2


async def test_a_plain_500_is_reported_without_retrying(
    fixture_site: FixtureSite, net_client: NetClient
) -> None:
    result = await net_client.fetch(fixture_site.url("/broken-once/default"))
    assert result.status_code == 500 and result.attempts == 1
    assert fixture_site.count("/broken-once/default") == 1


async def test_retry_statuses_come_from_settings(
    fixture_site: FixtureSite, net_settings: NetworkSettings
) -> None:
    settings = net_settings.model_copy(update={"retry_statuses": (500,)})
    async with NetClient(settings) as client:
        retried = await client.fetch(fixture_site.url("/broken-once/configured"))
        not_retried = await client.fetch(fixture_site.url("/flaky/not-configured"))
    assert retried.ok and retried.attempts == 2
    assert not_retried.status_code == 503 and not_retried.attempts == 1


async def test_backoff_doubles(
    fixture_site: FixtureSite, net_settings: NetworkSettings, fake_clock: FakeClock
) -> None:
    async with NetClient(net_settings, clock=fake_clock) as client:
        result = await client.fetch(fixture_site.url("/busy/backoff"))
    assert result.status_code == 503 and result.attempts == 3
    assert fake_clock.sleeps == [0.01, 0.02]


async def test_honours_retry_after(
    fixture_site: FixtureSite, net_settings: NetworkSettings, fake_clock: FakeClock
) -> None:
    async with NetClient(net_settings, clock=fake_clock) as client:
        result = await client.fetch(fixture_site.url("/throttled/client"))
    assert result.ok
    assert fake_clock.sleeps == [1.0]  # the server's Retry-After, not the backoff


async def test_gives_up_when_retry_after_is_too_long(
    fixture_site: FixtureSite, net_settings: NetworkSettings, fake_clock: FakeClock
) -> None:
    async with NetClient(net_settings, clock=fake_clock) as client:
        result = await client.fetch(fixture_site.url("/throttled-long"))
    assert result.status_code == 429 and result.attempts == 1
    assert "max_retry_after" in (result.detail or "")
    assert fake_clock.sleeps == []


@pytest.mark.parametrize(
    ("path", "failure"),
    [
        ("/garbage", FetchFailure.PROTOCOL),
        ("/bad-status", FetchFailure.PROTOCOL),
        ("/short-body", FetchFailure.PROTOCOL),
        ("/close", FetchFailure.CONNECT),
    ],
)
async def test_malformed_responses(
    path: str, failure: FetchFailure, fixture_site: FixtureSite, net_client: NetClient
) -> None:
    result = await net_client.fetch(fixture_site.raw_url(path))
    assert result.failure is failure
    assert fixture_site.count(path, host="raw") >= 1


@pytest.mark.parametrize("url", ["http://exa mple.com/", "http://", "http://[::1/"])
async def test_unusable_urls_are_not_sent(
    url: str, recorded_client: tuple[NetClient, RecordingTransport]
) -> None:
    client, recorder = recorded_client
    result = await client.fetch(url)
    assert result.failure is FetchFailure.INVALID_URL
    assert recorder.sent == []


def test_retry_after_forms() -> None:
    now = datetime(2024, 1, 1, tzinfo=UTC)
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds(format_datetime(now + timedelta(seconds=30), usegmt=True), now) == 30.0
    assert retry_after_seconds(format_datetime(now - timedelta(seconds=30), usegmt=True), now) == 0.0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None
