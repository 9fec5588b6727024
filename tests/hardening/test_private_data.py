"""Private data stays private: credentials in cited URLs, and archive addresses a document can bend (#16).

Everything runs against the loopback fixture site, which also plays a small wayback-style archive
(`/wb/<timestamp>id_/<url>`) and Save Page Now (`/spn/save`), and records the raw request line of every
request and every body posted to Save Page Now.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from citecheck.archive import SnapshotRequest, find_snapshots
from citecheck.config import ArchiveProvider, ArchiveSettings, Config, NetworkSettings, SavePageNow
from citecheck.net import NetClient
from citecheck.pipeline import run_check
from citecheck.report import render
from tests.servers.site import FixtureSite

pytestmark = pytest.mark.network
WHEN = datetime(2021, 3, 2, tzinfo=UTC)


def _mini_archive(site: FixtureSite) -> ArchiveSettings:
    return ArchiveSettings(
        providers=(ArchiveProvider(name="mini", kind="wayback", replay_url=site.url("/wb")),),
        match_content=False,
    )


async def test_dot_segments_stay_inside_the_replay_prefix(
    fixture_site: FixtureSite, net_client: NetClient
) -> None:
    """A cited URL full of `..` once walked out of /wb/ to /admin-secret on the archive host, and its 200
    was recorded as "archived copy found"."""
    before = fixture_site.count("/admin-secret")
    cited = "http://news.example/a/../../../../../../admin-secret"
    found = await find_snapshots([SnapshotRequest(cited, WHEN)], net_client, _mini_archive(fixture_site))
    assert fixture_site.count("/admin-secret") == before
    assert not found[cited].found


async def test_a_2xx_without_memento_datetime_is_not_a_copy(
    fixture_site: FixtureSite, net_client: NetClient
) -> None:
    plain, archived = "http://news.example/articles/plain", "http://news.example/articles/archived"
    found = await find_snapshots(
        [SnapshotRequest(plain, WHEN), SnapshotRequest(archived, WHEN)],
        net_client,
        _mini_archive(fixture_site),
    )
    assert not found[plain].found and "Memento-Datetime" in (found[plain].error or "")
    assert found[archived].found and found[archived].memento_datetime == datetime(2021, 3, 2, 10, tzinfo=UTC)


def test_credentials_go_nowhere_and_are_stored_nowhere(
    tmp_path: Path, fixture_site: FixtureSite, net_settings: NetworkSettings
) -> None:
    """The archive's replay path and Save Page Now's body once carried `alice:s3cret`, and the database
    and reports kept it."""
    cited = f"http://alice:s3cret@127.0.0.1:{fixture_site.main_port}/articles/private-notes"
    document = tmp_path / "notes.md"
    document.write_text(f"According to Reuters (March 2, 2021), the plan changed.\n\nSource: {cited}\n")
    archive = _mini_archive(fixture_site).model_copy(
        update={
            "match_content": True,  # an alive link is looked up in the archive too
            "save_page_now": SavePageNow(
                enabled=True, endpoint=fixture_site.url("/spn/save"), access_key="key", secret_key="secret"
            ),
        }
    )
    database = f"sqlite:///{tmp_path / 'private.db'}"
    lines_before, bodies_before = len(fixture_site.request_lines), len(fixture_site.bodies)
    result = run_check([str(document)], Config(network=net_settings, archive=archive), database_url=database)

    sent = fixture_site.request_lines[lines_before:]
    assert any("/wb/" in line for line in sent) and any("private-notes" in line for line in sent)
    assert not [line for line in sent if "s3cret" in line or "alice" in line]
    posted = fixture_site.bodies[bodies_before:]
    assert posted and not [body for body in posted if b"s3cret" in body or b"alice" in body]

    engine = create_engine(database)
    try:
        with engine.connect() as connection:
            for table in ("citations", "url_checks", "snapshots"):
                for row in connection.execute(text(f"SELECT * FROM {table}")):
                    assert "s3cret" not in repr(tuple(row)), table
    finally:
        engine.dispose()
    report = tmp_path / "report.json"
    with report.open("w") as stream:
        render(result, "json", stream)
    assert "s3cret" not in report.read_text() and "***@127.0.0.1" in report.read_text()
    assert json.loads(report.read_text())["documents"][0]["error"] is None
