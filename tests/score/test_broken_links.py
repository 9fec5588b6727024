"""One notion of "broken" (#15): the score, the reports' flagged links and the exit code agree.

Runs on the fixture site: links the address guard refuses (127.0.0.2 is not allowed; nothing is sent to
it), and links whose server is gone (closed ports on 127.0.0.1).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from citecheck.cli import main
from citecheck.config import ArchiveSettings, Config, NetworkSettings
from citecheck.models import LinkStatus, RunResult, VerdictLabel
from citecheck.net import guarded_transport
from citecheck.pipeline import run_check
from citecheck.report import render
from citecheck.report.summary import summarize
from citecheck.score import is_flagged
from tests.servers.fixtures import RecordingTransport
from tests.servers.pywb import PywbServer
from tests.servers.site import FixtureSite, closed_port

pytestmark = pytest.mark.network


def exit_code(db_url: str, result: RunResult, fail_on: str, tmp_path: Path) -> int:
    with pytest.raises(SystemExit) as stopped:
        main(
            [
                "report",
                str(result.run_id),
                "--db",
                db_url,
                "--fail-on",
                fail_on,
                "-o",
                str(tmp_path / "r.json"),
            ]
        )
    return int(stopped.value.code or 0)


def test_links_all_refused_by_the_address_guard_fail_the_run_and_the_document(
    fixture_site: FixtureSite, net_settings: NetworkSettings, tmp_path: Path
) -> None:
    port = fixture_site.main_port
    document = tmp_path / "private.txt"
    document.write_text(
        "According to Reuters (March 3, 2024), the port reopened after the strike.\n"
        f"Source: http://127.0.0.2:{port}/internal/memo\n"
        f"See also http://127.0.0.2:{port}/internal/minutes for the minutes.\n"
    )
    db_url = f"sqlite:///{tmp_path / 'r.db'}"
    recorder = RecordingTransport(guarded_transport(net_settings))
    config = Config(network=net_settings, archive=ArchiveSettings(providers=()))
    result = run_check([str(document)], config, database_url=db_url, transport=recorder)

    links = [item for item in result.documents[0].citations if item.link is not None]
    assert len(links) == 2 and {item.link.status for item in links if item.link} == {LinkStatus.REFUSED}
    assert not any("127.0.0.2" in url for _, url in recorder.sent)
    for item in links:
        assert item.verdict is not None and item.verdict.label is VerdictLabel.UNVERIFIABLE
        assert "link: the citation gives an address a reader can check" not in item.verdict.reasons
    document_verdict = result.documents[0].verdict
    assert document_verdict is not None and document_verdict.label is VerdictLabel.WEAK
    assert summarize(result).flagged_links == 2
    assert is_flagged(result, "unverifiable") and is_flagged(result, "dead")
    assert exit_code(db_url, result, "unverifiable", tmp_path) == 1


def test_connection_errors_count_alike_in_the_score_the_summary_and_the_exit_code(
    fixture_site: FixtureSite,
    pywb_server: PywbServer,
    net_settings: NetworkSettings,
    tmp_path: Path,
) -> None:
    gone = [f"http://127.0.0.1:{closed_port()}/story-{n}" for n in range(6)]
    document = tmp_path / "gone.txt"
    document.write_text(
        "".join(f"Source: Example News, March {n + 1}, 2024\n{url}\n\n" for n, url in enumerate(gone))
    )
    db_url = f"sqlite:///{tmp_path / 'r.db'}"
    # an archive that answers, and holds none of them: whether a copy exists is established
    empty = pywb_server.provider(name="archive")
    config = Config(network=net_settings, archive=ArchiveSettings(providers=(empty,)))
    result = run_check([str(document)], config, database_url=db_url)

    items = [item for item in result.documents[0].citations if item.link is not None]
    assert len(items) == 6
    for item in items:
        assert item.link is not None and item.link.status is LinkStatus.FAILING
        assert item.link.cause is LinkStatus.CONNECT_ERROR and item.broken
        assert item.verdict is not None and item.verdict.label is VerdictLabel.UNVERIFIABLE
        assert any(reason.startswith("link status: failing since") for reason in item.verdict.reasons)
    summary = summarize(result)
    assert summary.flagged_links == 6 and summary.failing_links == 6
    stream = io.StringIO()
    render(result, "summary", stream)
    assert "6 flagged links (6 failing, not yet confirmed dead" in stream.getvalue()
    # every policy that counts failing links fails the run; `dead` waits for confirmation
    assert exit_code(db_url, result, "failing", tmp_path) == 1
    assert exit_code(db_url, result, "unverifiable", tmp_path) == 1
    assert exit_code(db_url, result, "dead", tmp_path) == 0
