"""Soft 404s on the fixture portal: a heavy navigation template, a catch-all "Sorry" page served with 200,
a section page served for a missing article, a redirect to a section, and a headline "Page Not Found".

Each case is a real link check against the loopback site (tests/servers/site.py, host "portal"). Before
#15, comparing the first 6,000 characters of visible text made every healthy portal article a soft 404:
those characters were all navigation.
"""

from __future__ import annotations

import pytest

from citecheck.check import check_links
from citecheck.check.soft404 import HostProbes
from citecheck.config import NetworkSettings
from citecheck.models import LinkStatus
from citecheck.net import NetClient
from tests.servers.site import PORTAL_ARTICLES, FixtureSite

pytestmark = pytest.mark.network


async def test_healthy_articles_under_a_heavy_template_are_alive(
    fixture_site: FixtureSite, net_client: NetClient, net_settings: NetworkSettings
) -> None:
    urls = [fixture_site.portal_url(f"/{key}") for key in PORTAL_ARTICLES]
    assert len(urls) == 20
    results = await check_links(urls, net_client, net_settings)
    wrong = {
        url: (found.status, found.error)
        for url, found in results.items()
        if found.status is not LinkStatus.ALIVE
    }
    assert wrong == {}


@pytest.mark.parametrize(
    ("path", "expected", "why"),
    [
        ("/news/story-that-was-removed", LinkStatus.SOFT_404, "random path"),
        ("/world/2021/trade-deal-collapses", LinkStatus.SOFT_404, "section page"),
        ("/politics/old-story-about-tax-cuts", LinkStatus.SOFT_404, "section page"),
        ("/reviews/page-not-found", LinkStatus.ALIVE, None),
        ("/world/", LinkStatus.ALIVE, None),
        ("/", LinkStatus.ALIVE, None),
    ],
)
async def test_portal_soft_404s(
    path: str,
    expected: LinkStatus,
    why: str | None,
    fixture_site: FixtureSite,
    net_client: NetClient,
    net_settings: NetworkSettings,
) -> None:
    url = fixture_site.portal_url(path)
    found = (await check_links([url], net_client, net_settings))[url]
    assert found.status is expected, found.error
    if why is not None:
        assert why in (found.error or "")


async def test_an_error_headline_on_an_honest_host_is_an_article(
    fixture_site: FixtureSite, net_client: NetClient, net_settings: NetworkSettings
) -> None:
    """The main host answers 404 for unknown paths; its review titled "Page Not Found" is a page, while
    its real error page served with 200 (title "Page not found", one line of text) is still a soft 404."""
    review, error_page = fixture_site.url("/reviews/page-not-found"), fixture_site.url("/soft404/title")
    results = await check_links([review, error_page], net_client, net_settings)
    assert results[review].status is LinkStatus.ALIVE
    assert results[error_page].status is LinkStatus.SOFT_404


async def test_the_probe_page_is_read_once_per_host(fixture_site: FixtureSite, net_client: NetClient) -> None:
    probes = HostProbes(net_client)
    first = await probes.probe_content(fixture_site.portal_url("/news/a"))
    again = await probes.probe_content(fixture_site.portal_url("/world/b"))
    assert first is not None and again is first
    assert probes.hosts_probed == 1
