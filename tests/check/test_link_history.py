"""Dead means confirmed (#15): runs on different days, on the fixture site, with an injected clock.

A link that fails once is `failing`; it is `dead` after `network.dead_after_checks` failed checks over
at least `network.dead_after_days` days, with no success between them. Each run is a real `run_check`
against the fixture site; only "now" is moved, and the cache (24 h) lets a run within the day reuse the
morning's check.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from citecheck.cli import main
from citecheck.config import ArchiveProvider, ArchiveSettings, Config, NetworkSettings
from citecheck.models import LinkCheck, LinkStatus, RunResult
from citecheck.pipeline import run_check
from citecheck.report import render
from citecheck.score import is_flagged
from tests.servers.site import FixtureSite, closed_port

pytestmark = pytest.mark.network

DAY_ONE = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def day(n: int) -> datetime:
    """Nine o'clock n days after the first run, and n minutes: a day's cache (24 h) has run out."""
    return DAY_ONE + timedelta(days=n, minutes=n)


class Runs:
    """run_check on one document and one database, each run at a moment the test chooses."""

    def __init__(self, tmp_path: Path, net_settings: NetworkSettings, url: str) -> None:
        self.db_url = f"sqlite:///{tmp_path / 'history.db'}"
        self.document = tmp_path / "doc.txt"
        self.document.write_text(f"Source: Fixture News, December 1, 2026\n{url}\n")
        self.config = Config(network=net_settings, archive=ArchiveSettings(providers=()))

    def at(self, moment: datetime) -> RunResult:
        return run_check([str(self.document)], self.config, database_url=self.db_url, clock=lambda: moment)


def link_of(result: RunResult) -> LinkCheck:
    links = [item.link for item in result.documents[0].citations if item.link is not None]
    assert len(links) == 1
    return links[0]


def exit_code(runs: Runs, result: RunResult, fail_on: str, tmp_path: Path) -> int:
    """`citecheck report RUN --fail-on ...`: the exit code a CI job sees."""
    with pytest.raises(SystemExit) as stopped:
        main(
            [
                "report",
                str(result.run_id),
                "--db",
                runs.db_url,
                "--fail-on",
                fail_on,
                "--format",
                "json",
                "-o",
                str(tmp_path / "report.json"),
            ]
        )
    return int(stopped.value.code or 0)


@pytest.fixture
def dead_page(fixture_site: FixtureSite) -> Iterator[str]:
    yield fixture_site.url("/status/404")


def test_a_404_is_failing_until_three_checks_over_three_days_confirm_it(
    dead_page: str, fixture_site: FixtureSite, net_settings: NetworkSettings, tmp_path: Path
) -> None:
    runs = Runs(tmp_path, net_settings, dead_page)

    first = link_of(runs.at(DAY_ONE))
    assert first.status is LinkStatus.FAILING and first.cause is LinkStatus.DEAD and first.http_status == 404
    assert first.failures == 1 and first.history == "failing since 2026-12-01, 1 of 3 checks"

    hits = fixture_site.count("/status/404")
    same_day = link_of(runs.at(DAY_ONE + timedelta(hours=3)))  # within the cache: the same check
    assert same_day.failures == 1 and fixture_site.count("/status/404") == hits

    second_run = runs.at(day(1))
    second = link_of(second_run)
    assert second.status is LinkStatus.FAILING and second.history == "failing since 2026-12-01, 2 of 3 checks"
    assert is_flagged(second_run, "failing") and not is_flagged(second_run, "dead")
    assert exit_code(runs, second_run, "failing", tmp_path) == 1
    assert exit_code(runs, second_run, "dead", tmp_path) == 0
    for fmt in ("table", "markdown", "html", "json"):  # every report shows the history
        stream = io.StringIO()
        render(second_run, fmt, stream)
        assert "failing since 2026-12-01, 2 of 3 checks" in stream.getvalue(), fmt
    stored = json.loads((tmp_path / "report.json").read_text())
    link = stored["documents"][0]["citations"][-1]["link"]
    assert link["status"] == "failing" and link["cause"] == "dead" and link["failed_checks"] == 2

    # three failed checks, but only two days apart: not yet dead
    third = link_of(runs.at(day(2)))
    assert third.status is LinkStatus.FAILING and third.failures == 3
    assert third.history == "failing since 2026-12-01, 3 of 3 checks; dead once failing 3 days"

    fourth_run = runs.at(day(3))
    fourth = link_of(fourth_run)
    assert fourth.status is LinkStatus.DEAD and fourth.cause is LinkStatus.DEAD
    assert fourth.history == "dead after 4 failed checks since 2026-12-01"
    assert is_flagged(fourth_run, "dead")
    assert exit_code(runs, fourth_run, "dead", tmp_path) == 1


def test_one_success_starts_the_count_again(
    fixture_site: FixtureSite, net_settings: NetworkSettings, tmp_path: Path
) -> None:
    key = tmp_path.name
    runs = Runs(tmp_path, net_settings, fixture_site.url(f"/switch/{key}"))

    fixture_site.switches[key] = 404
    assert link_of(runs.at(DAY_ONE)).failures == 1
    assert link_of(runs.at(day(2))).failures == 2

    fixture_site.switches[key] = 200
    assert link_of(runs.at(day(3))).status is LinkStatus.ALIVE

    fixture_site.switches[key] = 404
    again = link_of(runs.at(day(4)))
    assert again.status is LinkStatus.FAILING and again.failures == 1
    assert again.failing_since is not None and again.failing_since.date().isoformat() == "2026-12-05"
    assert link_of(runs.at(day(6))).status is LinkStatus.FAILING
    confirmed = link_of(runs.at(day(8)))
    assert confirmed.status is LinkStatus.DEAD
    assert confirmed.history == "dead after 3 failed checks since 2026-12-05"


def test_a_day_without_network_is_said_and_neither_fails_a_link_nor_resets_its_count(
    fixture_site: FixtureSite, net_settings: NetworkSettings, tmp_path: Path
) -> None:
    gone = f"http://127.0.0.1:{closed_port()}/story"  # nobody listens: every check is a connection error
    runs = Runs(tmp_path, net_settings, gone)
    first = link_of(runs.at(DAY_ONE))
    assert first.status is LinkStatus.FAILING and first.cause is LinkStatus.CONNECT_ERROR

    # the next day the connectivity check fails too: the machine is offline, which says nothing of the link
    archive = ArchiveProvider(name="ia", kind="wayback", replay_url=fixture_site.url("/archive-for-offline"))
    offline = Runs(tmp_path, net_settings, gone)
    offline.config = Config(
        network=net_settings.model_copy(
            update={"connectivity_check_urls": (f"http://127.0.0.1:{closed_port()}/",)}
        ),
        archive=ArchiveSettings(providers=(archive,)),
    )
    cut_off = offline.at(day(1))
    assert link_of(cut_off).status is LinkStatus.UNKNOWN_OFFLINE
    assert cut_off.no_network is not None and cut_off.no_network.startswith("no network:")
    snapshot = cut_off.documents[0].citations[-1].snapshot
    assert snapshot is not None and (snapshot.error or "").startswith("archive not reached: no network")
    assert not any(path.startswith("/archive-for-offline") for path in fixture_site.paths_seen())
    for fmt in ("table", "summary", "markdown", "html", "json"):  # a fact of the run, in every header
        stream = io.StringIO()
        render(cut_off, fmt, stream)
        assert "No network" in stream.getvalue() or '"no_network": "no network' in stream.getvalue(), fmt

    # the next check continues the count the offline day neither added to nor reset
    assert link_of(runs.at(day(2))).failures == 2
