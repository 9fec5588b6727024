"""run_check over the network stages, against the loopback fixture site and a real pywb.

The same provider code that talks to the Wayback Machine talks to pywb here; every request that
leaves the process is recorded, so caching is proved by what was (not) sent.
"""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jsonschema
import pytest

from citecheck.archive.pywb import write_pywb_config
from citecheck.config import ArchiveProvider, ArchiveSettings, CacheSettings, Config, NetworkSettings
from citecheck.models import ArchiveMatch, CitationResult, LinkStatus, RunResult, VerdictLabel
from citecheck.net import guarded_transport
from citecheck.pipeline import archive_documents, run_check
from citecheck.report import render
from citecheck.report.json import to_dict
from citecheck.score import is_flagged
from citecheck.store.repository import Store
from tests.servers.fixtures import RecordingTransport
from tests.servers.pywb import Capture, PywbServer
from tests.servers.relay import Relay
from tests.servers.site import FixtureSite

pytestmark = pytest.mark.network

SCHEMA = json.loads((Path(__file__).parents[1] / "citecheck" / "data" / "report-v1.schema.json").read_text())


@pytest.fixture
def config(
    fixture_site: FixtureSite, pywb_server: PywbServer, net_settings: NetworkSettings, tmp_path: Path
) -> Config:
    collection = pywb_server.root / "collections" / f"e2e-{tmp_path.name[-12:].strip('_')}"
    return Config(
        network=net_settings,
        archive=ArchiveSettings(
            providers=(pywb_server.provider(collection=collection.name, name="evidence"),),
            collection_dir=str(collection),
        ),
        cache=CacheSettings(ttl_hours=24),
    )


def _document(tmp_path: Path, fixture_site: FixtureSite) -> tuple[Path, str, str]:
    alive = fixture_site.url("/articles/e2e-budget")
    dead = fixture_site.url("/status/404")
    text = (
        "The full text of story e2e-budget was reported for the fixture.\n\n"
        f"Source: Fixture News, March 3, 2024\n{alive}\n\n"
        "A second story has since been removed.\n\n"
        f"Source: Fixture News, March 4, 2024\n{dead}\n"
    )
    path = tmp_path / "digest.txt"
    path.write_text(text)
    return path, alive, dead


def test_live_checks_archive_lookups_cache_and_report(
    config: Config, fixture_site: FixtureSite, tmp_path: Path
) -> None:
    document, alive, dead = _document(tmp_path, fixture_site)
    evidence = tmp_path / "evidence.txt"
    evidence.write_text(f"Kept for later: {alive}\n")
    urls, written = archive_documents([str(evidence)], config)
    assert urls == [alive] and len(written) == 1

    db_url = f"sqlite:///{tmp_path / 'e2e.db'}"
    recorder = RecordingTransport(guarded_transport(config.network))
    first = run_check([str(document)], config, database_url=db_url, transport=recorder)
    items = {item.citation.url: item for item in first.documents[0].citations if item.citation.url}

    assert items[alive].link is not None and items[alive].link.status is LinkStatus.ALIVE
    assert items[alive].snapshot is not None and items[alive].snapshot.found
    assert items[alive].snapshot.archive == "evidence"
    assert items[alive].snapshot.match in (ArchiveMatch.MATCHED, ArchiveMatch.PARTIAL)
    assert items[alive].citation.date is not None and items[alive].citation.date.iso() == "2024-03-03"

    # the first 404 makes the link failing, not dead: dead needs failures over days (test_link_history.py)
    assert items[dead].link is not None and items[dead].link.status is LinkStatus.FAILING
    assert items[dead].link.cause is LinkStatus.DEAD
    assert items[dead].snapshot is not None and not items[dead].snapshot.found
    assert items[dead].verdict is not None and items[dead].verdict.label is VerdictLabel.UNVERIFIABLE
    assert is_flagged(first, "failing") and is_flagged(first, "unverifiable")
    assert not is_flagged(first, "dead")
    assert recorder.sent, "the first run must reach the servers"

    hits_before = fixture_site.count("/articles/e2e-budget") + fixture_site.count("/status/404")
    again = RecordingTransport(guarded_transport(config.network))
    second = run_check([str(document)], config, database_url=db_url, transport=again)
    assert again.sent == []  # within the TTL: no request leaves the process
    assert fixture_site.count("/articles/e2e-budget") + fixture_site.count("/status/404") == hits_before
    assert [i.verdict for i in second.documents[0].citations] == [
        i.verdict for i in first.documents[0].citations
    ]

    refreshed = RecordingTransport(guarded_transport(config.network))
    run_check([str(document)], config, database_url=db_url, transport=refreshed, refresh=True)
    assert any(url == alive for _, url in refreshed.sent)

    store = Store(db_url)
    try:
        assert to_dict(store.load_run(first.run_id or 0)) == to_dict(first)
    finally:
        store.close()


def test_a_machine_without_network_gets_unknown_offline_not_dead(tmp_path: Path) -> None:
    config = Config(
        network=NetworkSettings(
            connect_timeout=1,
            read_timeout=1,
            total_timeout=3,
            retries=0,
            connectivity_check_urls=("http://connectivity.invalid/",),
        ),
        archive=ArchiveSettings(
            providers=(
                ArchiveProvider(
                    name="wayback",
                    kind="wayback",
                    replay_url="http://archive.invalid/web",
                    cdx_url="http://archive.invalid/cdx",
                ),
            )
        ),
    )
    document = tmp_path / "offline.txt"
    document.write_text(
        "Source: Reuters, May 1, 2024\nhttp://news.invalid/a\n\nSource: AP\nhttp://wire.invalid/b\n"
    )
    result = run_check([str(document)], config, database_url=f"sqlite:///{tmp_path / 'o.db'}")
    links = [item.link for item in result.documents[0].citations if item.link is not None]
    assert len(links) == 2 and {link.status for link in links} == {LinkStatus.UNKNOWN_OFFLINE}
    assert not is_flagged(result, "dead")


def test_pywb_config_is_written_for_a_new_evidence_folder(
    tmp_path: Path, net_settings: NetworkSettings, fixture_site: FixtureSite
) -> None:
    root = tmp_path / "pywb"
    config = Config(
        network=net_settings, archive=ArchiveSettings(collection_dir=str(root / "collections" / "evidence"))
    )
    page = tmp_path / "page.txt"
    page.write_text(f"See {fixture_site.url('/articles/kept')}\n")
    _, written = archive_documents([str(page)], config)
    assert written and (root / "config.yaml").read_text() == write_pywb_config(tmp_path).read_text()


# -- #15: two documents, one URL, offline then online, the archive down then up -------------------

QUOTE = "the closest vote in decades"
SHARED_PATH = "/articles/e2e-budget-vote"


def _report(result: RunResult, fmt: str) -> str:
    stream = io.StringIO()
    render(result, fmt, stream)
    return stream.getvalue()


def _shared(result: RunResult, document: int) -> CitationResult:
    [item] = [item for item in result.documents[document].citations if item.citation.url]
    return item


def test_two_documents_citing_one_url_through_an_outage_and_an_archive_coming_back(
    fixture_site: FixtureSite, pywb_server: PywbServer, net_settings: NetworkSettings, tmp_path: Path
) -> None:
    start = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    with Relay(fixture_site.main_port) as web, Relay(pywb_server.port) as archive:
        url = web.url(SHARED_PATH)
        name = "e2e-" + tmp_path.name[-12:].strip("_").replace("_", "-")
        pywb_server.add_collection(
            name,
            (
                Capture(
                    url,
                    datetime(2024, 3, 3, 12, tzinfo=UTC),
                    "200 OK",
                    "Parliament passes budget after all-night session | Fixture News",
                    f"After an all-night session parliament passed the budget, {QUOTE}, the speaker said.",
                ),
            ),
        )
        provider = ArchiveProvider(
            name="archive",
            kind="pywb",
            replay_url=archive.url(f"/{name}"),
            cdx_url=archive.url(f"/{name}/cdx"),
        )
        config = Config(
            network=net_settings.model_copy(update={"connectivity_check_urls": (web.url("/"),)}),
            archive=ArchiveSettings(providers=(provider,)),
        )
        honest = tmp_path / "honest.txt"
        honest.write_text(
            f"Parliament passed the budget, \u201c{QUOTE}\u201d, the speaker said on March 3, 2024 ({url}).\n"
        )
        invented = tmp_path / "invented.txt"
        invented.write_text(
            "The minister promised \u201cfree trams for every pensioner by summer\u201d on March 3, 2024 "
            f"({url}).\n"
        )
        paths = [str(honest), str(invented)]
        db_url = f"sqlite:///{tmp_path / 'e2e.db'}"

        def run_at(moment: datetime, only: list[str] | None = None) -> RunResult:
            return run_check(only or paths, config, database_url=db_url, clock=lambda: moment)

        # 1. no network at all: nothing is called dead or unverifiable, every report says why
        offline = run_at(start)
        assert offline.no_network is not None
        for index in (0, 1):
            item = _shared(offline, index)
            assert item.link is not None and item.link.status is LinkStatus.UNKNOWN_OFFLINE
            assert item.snapshot is not None and (item.snapshot.error or "").startswith("archive not reached")
            assert item.verdict is not None and item.verdict.label is not VerdictLabel.UNVERIFIABLE
        for fmt in ("summary", "table", "markdown", "html"):
            assert "No network" in _report(offline, fmt), fmt
        assert to_dict(offline)["run"]["no_network"].startswith("no network")
        assert not is_flagged(offline, "unverifiable") and not is_flagged(offline, "failing")

        # 2. the network is back (half an hour on: offline results are not reused), the archive is not
        web.up()
        no_archive = run_at(start + timedelta(minutes=30))
        assert no_archive.no_network is None
        for index in (0, 1):
            item = _shared(no_archive, index)
            assert item.link is not None and item.link.status is LinkStatus.ALIVE
            assert item.snapshot is not None and not item.snapshot.found
            assert (item.snapshot.error or "").startswith("archive not reached: archive: unreachable")
            assert item.verdict is not None and not any(
                "no archived copy found" in r for r in item.verdict.reasons
            )
        markdown = _report(no_archive, "markdown")
        assert "archive not reached" in markdown and "No network" not in markdown

        # 3. the archive is back: the look-up is made again (a failed one is kept for minutes only),
        # once for the URL and date, and each document is judged on its own claim
        archive.up()
        recorder = RecordingTransport(guarded_transport(config.network))
        both = run_check(
            paths,
            config,
            database_url=db_url,
            clock=lambda: start + timedelta(minutes=60),
            transport=recorder,
        )
        honest_item, invented_item = _shared(both, 0), _shared(both, 1)
        assert honest_item.snapshot is not None and honest_item.snapshot.found
        assert honest_item.snapshot.match is ArchiveMatch.MATCHED
        assert invented_item.snapshot is not None and invented_item.snapshot.match is ArchiveMatch.MISMATCH
        assert (
            honest_item.verdict is not None
            and "archive: the archived page matches the citation" in honest_item.verdict.reasons
        )
        assert invented_item.verdict is not None and any(
            "does not match what the document says" in r for r in invented_item.verdict.reasons
        )
        replays = [sent for sent in recorder.sent if f":{archive.port}/" in sent[1]]
        assert replays, "the archive must have been asked"
        report = to_dict(both)
        jsonschema.validate(report, SCHEMA)
        assert [d["citations"][-1]["archive"]["match"] for d in report["documents"]] == [
            "matched",
            "mismatch",
        ]

        # 4. later runs of each document alone answer from the cache, and still judge their own claim
        for path, expected in ((str(invented), ArchiveMatch.MISMATCH), (str(honest), ArchiveMatch.MATCHED)):
            quiet = RecordingTransport(guarded_transport(config.network))
            alone = run_check(
                [path],
                config,
                database_url=db_url,
                clock=lambda: start + timedelta(minutes=90),
                transport=quiet,
            )
            assert quiet.sent == []
            snapshot = _shared(alone, 0).snapshot
            assert snapshot is not None and snapshot.match is expected
