"""An archive provider's own address is trusted for that provider, not for document links (#16).

A local pywb listens on 127.0.0.1, which the address guard refuses. Before, the provider failed as
"unreachable" unless `allow_private_hosts` opened 127.0.0.1 to every document link as well.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from citecheck.archive import SnapshotRequest, find_snapshots
from citecheck.check import check_links
from citecheck.config import ArchiveSettings, NetworkSettings
from citecheck.models import LinkStatus
from citecheck.net import NetClient
from tests.servers.pywb import STORY, PywbServer
from tests.servers.site import FixtureSite

pytestmark = pytest.mark.network


async def test_local_pywb_works_without_opening_its_address_to_documents(
    pywb_server: PywbServer, fixture_site: FixtureSite
) -> None:
    settings = NetworkSettings(
        allow_private_hosts=(f"127.0.0.1:{fixture_site.main_port}",),  # the site only, not pywb's port
        retries=0,
        connectivity_check_urls=(fixture_site.url("/"),),
    )
    archive = ArchiveSettings(providers=(pywb_server.provider(),), match_content=False)
    document_link = f"{pywb_server.base()}/cdx?url=news.example.com/*"
    async with NetClient(settings) as client:
        found = await find_snapshots(
            [SnapshotRequest(STORY, datetime(2020, 3, 10, tzinfo=UTC))], client, archive
        )
        checks = await check_links(
            [document_link, fixture_site.url("/articles/beside-pywb")], client, settings
        )
    assert found[STORY].found, found[STORY].error
    assert checks[document_link].status is LinkStatus.REFUSED
    assert checks[fixture_site.url("/articles/beside-pywb")].status is LinkStatus.ALIVE
