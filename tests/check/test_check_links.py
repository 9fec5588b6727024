"""check_links against the fixture site: one case per status class, HEAD fallback, soft 404s, offline."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from citecheck.check import check_links
from citecheck.config import NetworkSettings
from citecheck.models import LinkCheck, LinkStatus
from citecheck.net import NetClient
from tests.servers.fixtures import RecordingTransport
from tests.servers.site import FixtureSite, closed_port

# (path on the main host, expected status); the site routes are described in tests/servers/site.py
MAIN_HOST_CASES = [
    ("/articles/alive", LinkStatus.ALIVE),
    ("/report.pdf", LinkStatus.ALIVE),
    ("/redirect/slash", LinkStatus.ALIVE),
    ("/redirect/moved", LinkStatus.REDIRECTED),
    ("/status/404", LinkStatus.DEAD),
    ("/status/410", LinkStatus.DEAD),
    ("/status/400", LinkStatus.DEAD),
    ("/no/such/page", LinkStatus.DEAD),
    ("/status/401", LinkStatus.BLOCKED),
    ("/status/403", LinkStatus.BLOCKED),
    ("/status/451", LinkStatus.BLOCKED),
    ("/throttled-long", LinkStatus.BLOCKED),
    ("/status/500", LinkStatus.SERVER_ERROR),
    ("/status/502", LinkStatus.SERVER_ERROR),
    ("/redirect/loop/a", LinkStatus.SERVER_ERROR),
    ("/flaky/check", LinkStatus.ALIVE),
    ("/soft404/title", LinkStatus.SOFT_404),
    ("/redirect/home", LinkStatus.SOFT_404),
    ("/huge", LinkStatus.TOO_LARGE),
    ("/slow", LinkStatus.TIMEOUT),
    ("/head-rejected", LinkStatus.ALIVE),
    ("/head-501", LinkStatus.ALIVE),
    ("/redirect/to?url=" + quote("http://0x7f000004/", safe=""), LinkStatus.REFUSED),
    ("/redirect/to?url=" + quote("http://2130706435/", safe=""), LinkStatus.REFUSED),
    ("/redirect/to?url=" + quote("http://127.0.0.2/", safe=""), LinkStatus.REFUSED),
    ("/redirect/to?url=" + quote("http://gone.invalid/", safe=""), LinkStatus.DNS_ERROR),
]


@pytest.fixture
def fast_settings(net_settings: NetworkSettings) -> NetworkSettings:
    return net_settings.model_copy(update={"read_timeout": 0.3})


@pytest.mark.parametrize(
    ("path", "expected"), MAIN_HOST_CASES, ids=[case[0][:40] for case in MAIN_HOST_CASES]
)
async def test_status_classes(
    path: str, expected: LinkStatus, fixture_site: FixtureSite, fast_settings: NetworkSettings
) -> None:
    url = fixture_site.url(path)
    async with NetClient(fast_settings) as client:
        results = await check_links([url], client, fast_settings)
    found = results[url]
    assert found.status is expected, found
    assert found.checked_at is not None


async def test_non_standard_status_is_blocked(
    fixture_site: FixtureSite, net_client: NetClient, net_settings: NetworkSettings
) -> None:
    url = fixture_site.raw_url("/status/999")
    found = (await check_links([url, fixture_site.url("/")], net_client, net_settings))[url]
    assert found.status is LinkStatus.BLOCKED and found.http_status == 999


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://outlet-that-died.invalid/story", LinkStatus.DNS_ERROR),
        ("http://127.0.0.2/story", LinkStatus.REFUSED),
        ("ftp://files.example.com/report", LinkStatus.REFUSED),
        ("http://", LinkStatus.MALFORMED),
        ("https://exa mple.com/", LinkStatus.MALFORMED),
    ],
)
async def test_statuses_reached_without_the_site(
    url: str,
    expected: LinkStatus,
    fixture_site: FixtureSite,
    net_client: NetClient,
    net_settings: NetworkSettings,
) -> None:
    # the alive page proves the network works, so a DNS error is the link's own
    alive = fixture_site.url("/articles/proof")
    results = await check_links([url, alive], net_client, net_settings)
    assert results[url].status is expected
    assert results[alive].status is LinkStatus.ALIVE


async def test_connect_and_tls_errors(
    fixture_site: FixtureSite, net_client: NetClient, net_settings: NetworkSettings
) -> None:
    refused = f"http://127.0.0.1:{closed_port()}/story"
    tls = f"https://127.0.0.1:{fixture_site.main_port}/articles/tls"
    results = await check_links([refused, tls, fixture_site.url("/")], net_client, net_settings)
    assert results[refused].status is LinkStatus.CONNECT_ERROR
    assert results[tls].status is LinkStatus.TLS_ERROR


async def test_redirect_keeps_the_final_url(
    fixture_site: FixtureSite, net_client: NetClient, net_settings: NetworkSettings
) -> None:
    url = fixture_site.url("/redirect/moved")
    found = (await check_links([url], net_client, net_settings))[url]
    assert found.status is LinkStatus.REDIRECTED and found.http_status == 200
    assert found.final_url == fixture_site.url("/articles/new-home")
    assert found.redirects == (fixture_site.url("/articles/new-home"),)


async def test_head_rejection_falls_back_to_get(
    fixture_site: FixtureSite, net_client: NetClient, net_settings: NetworkSettings
) -> None:
    settings = net_settings.model_copy(update={"detect_soft_404": False})  # HEAD first only then
    url = fixture_site.url("/head-rejected")
    heads, gets = (fixture_site.count("/head-rejected", method=m) for m in ("HEAD", "GET"))
    found = (await check_links([url], net_client, settings))[url]
    assert found.status is LinkStatus.ALIVE
    assert fixture_site.count("/head-rejected", method="HEAD") == heads + 1
    assert fixture_site.count("/head-rejected", method="GET") == gets + 1


async def test_a_page_costs_one_get_with_soft_404_detection(
    fixture_site: FixtureSite, net_client: NetClient, net_settings: NetworkSettings
) -> None:
    path = "/articles/one-request"
    await check_links([fixture_site.url(path)], net_client, net_settings)
    assert fixture_site.count(path, method="GET") == 1
    assert fixture_site.count(path, method="HEAD") == 0


async def test_dead_link_costs_one_request(
    fixture_site: FixtureSite, net_client: NetClient, net_settings: NetworkSettings
) -> None:
    url = fixture_site.url("/status/410")
    before = fixture_site.count("/status/410")
    await check_links([url], net_client, net_settings)
    assert fixture_site.count("/status/410") - before == 1


async def test_non_html_is_judged_on_head_without_soft_404_detection(
    fixture_site: FixtureSite, net_client: NetClient, net_settings: NetworkSettings
) -> None:
    settings = net_settings.model_copy(update={"detect_soft_404": False})
    before = fixture_site.count("/report.pdf", method="GET")
    found = await check_links([fixture_site.url("/report.pdf")], net_client, settings)
    assert found[fixture_site.url("/report.pdf")].status is LinkStatus.ALIVE
    assert fixture_site.count("/report.pdf", method="GET") == before


async def test_large_download_is_alive_not_too_large(
    fixture_site: FixtureSite, net_client: NetClient, net_settings: NetworkSettings
) -> None:
    # 4 MiB against a 256 KiB body cap: only HTML bodies are read, so the cap never applies
    url = fixture_site.url("/big-file.zip")
    found = (await check_links([url], net_client, net_settings))[url]
    assert found.status is LinkStatus.ALIVE and found.http_status == 200


async def test_catchall_host_is_soft_404_and_probed_once(
    fixture_site: FixtureSite, net_client: NetClient, net_settings: NetworkSettings
) -> None:
    before = set(fixture_site.paths_seen("catchall"))
    urls = [fixture_site.catchall_url("/posts/2020/one"), fixture_site.catchall_url("/posts/2021/two")]
    results = await check_links(urls, net_client, net_settings)
    assert all(results[url].status is LinkStatus.SOFT_404 for url in urls)
    assert "random path" in (results[urls[0]].error or "")
    probes = set(fixture_site.paths_seen("catchall")) - before - {"/posts/2020/one", "/posts/2021/two"}
    assert len(probes) == 1  # one random path for the host, shared by both links


async def test_catchall_home_page_is_alive(
    fixture_site: FixtureSite, net_client: NetClient, net_settings: NetworkSettings
) -> None:
    url = fixture_site.catchall_url("/")
    assert (await check_links([url], net_client, net_settings))[url].status is LinkStatus.ALIVE


async def test_honest_host_is_alive_after_its_probe(
    fixture_site: FixtureSite, net_client: NetClient, net_settings: NetworkSettings
) -> None:
    url = fixture_site.url("/articles/honest")
    found = (await check_links([url], net_client, net_settings))[url]
    assert found.status is LinkStatus.ALIVE and found.error is None


async def test_duplicates_are_checked_once(
    fixture_site: FixtureSite, net_client: NetClient, net_settings: NetworkSettings
) -> None:
    url = fixture_site.url("/articles/twice")
    seen: list[LinkCheck] = []
    results = await check_links([url, url], net_client, net_settings, on_done=seen.append)
    assert list(results) == [url]
    assert fixture_site.count("/articles/twice") == 1
    assert [check.url for check in seen] == [url]


async def test_refused_redirect_target_is_never_contacted(
    fixture_site: FixtureSite,
    recorded_client: tuple[NetClient, RecordingTransport],
    net_settings: NetworkSettings,
) -> None:
    client, recorder = recorded_client
    url = fixture_site.url("/redirect/to?url=" + quote("http://127.0.0.3/latest/", safe=""))
    found = (await check_links([url], client, net_settings))[url]
    assert found.status is LinkStatus.REFUSED and "127.0.0.3" in (found.error or "")
    assert recorder.hosts() == {"127.0.0.1"}


# -- no network is not a dead link -------------------------------------------------------------------


async def test_whole_offline_run_is_unknown_not_dead(net_settings: NetworkSettings) -> None:
    settings = net_settings.model_copy(update={"connectivity_check_urls": ("https://archive.invalid/",)})
    urls = ["https://news.invalid/a", "https://paper.invalid/b", "https://wire.invalid/c"]
    seen: list[LinkCheck] = []
    async with NetClient(settings) as client:
        results = await check_links(urls, client, settings, on_done=seen.append)
    assert {found.status for found in results.values()} == {LinkStatus.UNKNOWN_OFFLINE}
    assert all(not found.status.is_broken for found in results.values())
    assert {check.status for check in seen} == {LinkStatus.UNKNOWN_OFFLINE}  # never reported as dns_error


async def test_offline_by_refused_connections(net_settings: NetworkSettings) -> None:
    port = closed_port()
    settings = net_settings.model_copy(
        update={"connectivity_check_urls": (f"http://127.0.0.1:{port}/",), "retries": 0}
    )
    urls = [f"http://127.0.0.1:{port}/a", f"http://127.0.0.1:{closed_port()}/b"]
    async with NetClient(settings) as client:
        results = await check_links(urls, client, settings)
    assert {found.status for found in results.values()} == {LinkStatus.UNKNOWN_OFFLINE}


async def test_dns_errors_stand_when_the_connectivity_check_answers(
    net_client: NetClient, net_settings: NetworkSettings
) -> None:
    urls = ["https://news.invalid/a", "https://paper.invalid/b"]
    results = await check_links(urls, net_client, net_settings)
    assert {found.status for found in results.values()} == {LinkStatus.DNS_ERROR}


async def test_without_check_urls_two_failing_hosts_mean_offline(net_settings: NetworkSettings) -> None:
    settings = net_settings.model_copy(update={"connectivity_check_urls": ()})
    async with NetClient(settings) as client:
        one = await check_links(["https://news.invalid/a"], client, settings)
        two = await check_links(["https://news.invalid/a", "https://paper.invalid/b"], client, settings)
    assert one["https://news.invalid/a"].status is LinkStatus.DNS_ERROR
    assert {found.status for found in two.values()} == {LinkStatus.UNKNOWN_OFFLINE}


async def test_mixed_failures_are_not_offline(net_settings: NetworkSettings) -> None:
    settings = net_settings.model_copy(
        update={"connectivity_check_urls": ("https://archive.invalid/",), "retries": 0}
    )
    dns, refused = "https://news.invalid/a", f"http://127.0.0.1:{closed_port()}/b"
    async with NetClient(settings) as client:
        results = await check_links([dns, refused], client, settings)
    assert results[dns].status is LinkStatus.DNS_ERROR
    assert results[refused].status is LinkStatus.CONNECT_ERROR
