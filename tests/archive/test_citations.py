"""Archived copies as run_check uses them: judged per citation, kept as evidence only when they are
evidence, and recovered addresses checked live (#15). The fixture site plays the live web and a real
pywb the archive; each test writes its own collection of captures of the fixture site's addresses."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote

import jsonschema
import pytest
from warcio.archiveiterator import ArchiveIterator

from citecheck.config import ArchiveProvider, ArchiveSettings, Config, NetworkSettings
from citecheck.models import ArchiveMatch, CitationResult, LinkStatus, RunResult, VerdictLabel
from citecheck.net import guarded_transport
from citecheck.pipeline import archive_documents, run_check
from citecheck.report import render
from citecheck.report.json import to_dict
from tests.servers.fixtures import RecordingTransport
from tests.servers.pywb import Capture, PywbServer
from tests.servers.site import FixtureSite

pytestmark = pytest.mark.network

SCHEMA = json.loads((Path(__file__).parents[2] / "citecheck" / "data" / "report-v1.schema.json").read_text())
QUOTE = "the closest vote in decades"


def at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 12, tzinfo=UTC)


def collection(pywb: PywbServer, tmp_path: Path, *captures: Capture) -> ArchiveProvider:
    name = "c-" + tmp_path.name[-20:].strip("_").replace("_", "-")
    pywb.add_collection(name, captures)
    return pywb.provider(name="archive", collection=name)


def config_for(net_settings: NetworkSettings, *providers: ArchiveProvider) -> Config:
    return Config(network=net_settings, archive=ArchiveSettings(providers=providers))


def the_link(result: RunResult, document: int = 0) -> CitationResult:
    items = [item for item in result.documents[document].citations if item.citation.url]
    assert len(items) == 1, items
    return items[0]


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_two_documents_citing_one_url_are_each_judged_on_their_own_claim(
    fixture_site: FixtureSite, pywb_server: PywbServer, net_settings: NetworkSettings, tmp_path: Path
) -> None:
    url = fixture_site.url("/articles/budget-vote")
    provider = collection(
        pywb_server,
        tmp_path,
        Capture(
            url,
            at(2021, 3, 15),
            "200 OK",
            "Parliament passes budget after all-night session",
            f"After an all-night session parliament passed the budget, {QUOTE}, the speaker said.",
        ),
    )
    config = config_for(net_settings, provider)
    honest = write(
        tmp_path,
        "honest.txt",
        f"Parliament passed the budget, \u201c{QUOTE}\u201d, the speaker said on March 15, 2021 ({url}).\n",
    )
    invented = write(
        tmp_path,
        "invented.txt",
        "The minister promised \u201cfree trams for every pensioner by summer\u201d on March 15, 2021 "
        f"({url}).\n",
    )
    db_url = f"sqlite:///{tmp_path / 'runs.db'}"

    both = run_check([honest, invented], config, database_url=db_url)
    assert the_link(both, 0).snapshot is not None and the_link(both, 0).snapshot.match is ArchiveMatch.MATCHED
    assert (
        the_link(both, 1).snapshot is not None and the_link(both, 1).snapshot.match is ArchiveMatch.MISMATCH
    )
    honest_reasons = the_link(both, 0).verdict.reasons  # type: ignore[union-attr]
    assert "archive: the archived page matches the citation" in honest_reasons

    # later runs answer the look-up from the cache, and still judge each document's own claim
    for path, expected in ((invented, ArchiveMatch.MISMATCH), (honest, ArchiveMatch.MATCHED)):
        recorder = RecordingTransport(guarded_transport(net_settings))
        alone = run_check([path], config, database_url=db_url, transport=recorder)
        assert recorder.sent == []
        snapshot = the_link(alone).snapshot
        assert snapshot is not None and snapshot.match is expected


def test_an_archived_error_page_earns_nothing_and_its_status_is_reported(
    fixture_site: FixtureSite, pywb_server: PywbServer, net_settings: NetworkSettings, tmp_path: Path
) -> None:
    url = fixture_site.url("/status/410")
    provider = collection(
        pywb_server, tmp_path, Capture(url, at(2021, 3, 1), "404 Not Found", "Not found", "Gone.")
    )
    document = write(tmp_path, "gone.txt", f"Source: Fixture News, March 2, 2021\n{url}\n")
    result = run_check(
        [document], config_for(net_settings, provider), database_url=f"sqlite:///{tmp_path / 'r.db'}"
    )

    item = the_link(result)
    assert item.snapshot is not None and not item.snapshot.found
    assert item.verdict is not None and item.verdict.label is VerdictLabel.UNVERIFIABLE
    assert not any("copy from" in reason for reason in item.verdict.reasons)
    report = to_dict(result)
    jsonschema.validate(report, SCHEMA)
    archive = report["documents"][0]["citations"][-1]["archive"]
    assert archive["found"] is False and archive["status"] == 404 and archive["error"] is None


def test_an_archive_not_reached_is_said_and_does_not_make_the_claim_unverifiable(
    fixture_site: FixtureSite, net_settings: NetworkSettings, tmp_path: Path
) -> None:
    down = ArchiveProvider(
        name="ia",
        kind="wayback",
        replay_url="http://archive.invalid/web",
        cdx_url="http://archive.invalid/cdx",
    )
    document = write(
        tmp_path, "gone.txt", f"Source: Fixture News, March 2, 2021\n{fixture_site.url('/status/404')}\n"
    )
    result = run_check(
        [document], config_for(net_settings, down), database_url=f"sqlite:///{tmp_path / 'r.db'}"
    )

    item = the_link(result)
    assert item.verdict is not None and item.verdict.label is not VerdictLabel.UNVERIFIABLE
    assert any(reason.startswith("archive not reached: ia: unreachable") for reason in item.verdict.reasons)
    assert not any("no archived copy found" in reason for reason in item.verdict.reasons)
    archive = to_dict(result)["documents"][0]["citations"][-1]["archive"]
    assert archive["error"].startswith("archive not reached")
    for fmt in ("markdown", "table", "html"):
        stream = io.StringIO()
        render(result, fmt, stream)
        assert "archive not reached" in stream.getvalue() and "none in ia" not in stream.getvalue()


def test_a_recovered_address_is_checked_live(
    fixture_site: FixtureSite, pywb_server: PywbServer, net_settings: NetworkSettings, tmp_path: Path
) -> None:
    full = fixture_site.url("/articles/%E2%80%9Cbudget%E2%80%9D-passes")
    truncated = full[: full.index("%E2%80%9D") + 5]  # cut inside an escape: ".../%E2%80%9Cbudget%E2%8"
    provider = collection(
        pywb_server, tmp_path, Capture(full, at(2021, 3, 15), "200 OK", "Budget passes", "Yes.")
    )
    document = write(tmp_path, "cut.txt", f"Source: Fixture News, March 15, 2021\n{truncated}\n")
    path = unquote("/articles/%E2%80%9Cbudget%E2%80%9D-passes")  # the server counts decoded paths
    hits = fixture_site.count(path)

    result = run_check(
        [document], config_for(net_settings, provider), database_url=f"sqlite:///{tmp_path / 'r.db'}"
    )
    item = the_link(result)
    assert item.citation.malformed and item.snapshot is not None and item.snapshot.recovered_url == full
    assert item.link is not None and item.link.url == full and item.link.status is LinkStatus.ALIVE
    assert fixture_site.count(path) > hits
    assert to_dict(result)["documents"][0]["citations"][-1]["link"]["status"] == "alive"


def _captured(warcs: list[Path]) -> set[str]:
    uris = set()
    for warc in warcs:
        with warc.open("rb") as stream:
            uris |= {
                r.rec_headers.get_header("WARC-Target-URI")
                for r in ArchiveIterator(stream)
                if r.rec_type == "response"
            }
    return uris


def test_error_pages_and_bot_walls_are_not_captured_as_evidence(
    fixture_site: FixtureSite, net_settings: NetworkSettings, tmp_path: Path
) -> None:
    alive = fixture_site.url("/articles/kept-as-evidence")
    others = [
        fixture_site.url(path) for path in ("/status/404", "/soft404/title", "/bot-wall/200", "/status/500")
    ]
    document = write(tmp_path, "links.txt", "\n".join(f"See {url}" for url in [alive, *others]) + "\n")
    config = Config(
        network=net_settings, archive=ArchiveSettings(collection_dir=str(tmp_path / "c" / "evidence"))
    )
    urls, written = archive_documents([document], config)
    assert set(urls) == {alive, *others}
    assert _captured(written) == {alive}


def test_save_captures_only_pages_that_answered_as_themselves(
    fixture_site: FixtureSite, net_settings: NetworkSettings, tmp_path: Path
) -> None:
    alive = fixture_site.url("/articles/saved-page")
    walled = fixture_site.url("/bot-wall/200")
    document = write(tmp_path, "links.txt", f"See {alive}\nand {walled}\n")
    evidence = tmp_path / "c" / "evidence"
    config = Config(network=net_settings, archive=ArchiveSettings(providers=(), collection_dir=str(evidence)))
    result = run_check([document], config, database_url=f"sqlite:///{tmp_path / 'r.db'}", save=True)
    statuses = {item.citation.url: item.link.status for item in result.documents[0].citations if item.link}
    assert statuses == {alive: LinkStatus.ALIVE, walled: LinkStatus.BLOCKED}
    assert _captured(sorted((evidence / "archive").glob("*.warc.gz"))) == {alive}
