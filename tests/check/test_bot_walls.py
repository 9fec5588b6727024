"""Bot walls are `blocked`: the page may exist, we were not let in (#15)."""

from __future__ import annotations

import pytest

from citecheck.check import check_links
from citecheck.config import NetworkSettings
from citecheck.models import LinkStatus
from citecheck.net import NetClient
from tests.servers.site import FixtureSite


@pytest.mark.parametrize("detect_soft_404", [True, False])
@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/bot-wall/503", "bot wall: cf-mitigated: challenge (HTTP 503)"),
        ("/bot-wall/200", "bot wall: challenge page titled 'Just a moment...' (HTTP 200)"),
    ],
)
async def test_a_challenge_is_blocked_not_an_error_nor_alive(
    path: str, reason: str, detect_soft_404: bool, fixture_site: FixtureSite, net_settings: NetworkSettings
) -> None:
    settings = net_settings.model_copy(update={"detect_soft_404": detect_soft_404})
    url = fixture_site.url(path)
    async with NetClient(settings) as client:
        check = (await check_links([url], client, settings))[url]
    if path.endswith("200") and not detect_soft_404:
        # HEAD reads no page, so only the header can tell; this wall sends none: it looks alive
        assert check.status is LinkStatus.ALIVE
        return
    assert check.status is LinkStatus.BLOCKED
    assert check.error == reason
