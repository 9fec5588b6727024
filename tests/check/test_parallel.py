"""Link checks shared out among processes: whole hosts each, the same answers, nothing lost on a crash."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from citecheck.check import check_links
from citecheck.check.parallel import MIN_URLS_PER_PROCESS, CheckProcesses, default_process_count
from citecheck.config import ArchiveSettings, Config, NetworkSettings
from citecheck.models import LinkCheck, LinkStatus
from citecheck.net import NetClient
from citecheck.pipeline import run_check
from tests.servers.site import FixtureSite

# Stateless routes only: each URL must answer the same however often, and in whichever process, it is asked.
PATHS = ["/articles/a", "/articles/b", "/status/404", "/status/500", "/redirect/moved", "/report.pdf"]


def _urls(site: FixtureSite) -> list[str]:
    main = [site.url(path) for path in PATHS]
    other = [site.catchall_url(f"/post/{n}") for n in range(4)]
    return main + other


def test_split_keeps_hosts_whole_and_balances_them(net_settings: NetworkSettings) -> None:
    processes = CheckProcesses(net_settings, 3, min_urls=2)
    a = [f"https://a.example/{n}" for n in range(6)]
    b = [f"https://b.example/{n}" for n in range(3)]
    c = [f"https://c.example/{n}" for n in range(3)]
    other_port = ["https://a.example:8443/x"]  # another origin of the same name: counted as its own host
    local, remote = processes.split(a + b + c + other_port)
    # largest host first, each to the lightest group so far
    assert local == a
    assert remote == [b + other_port, c]


def test_short_lists_stay_in_the_main_process(net_settings: NetworkSettings) -> None:
    processes = CheckProcesses(net_settings, 4)
    urls = [f"https://host{n}.example/" for n in range(2 * processes.min_urls - 1)]
    assert processes.split(urls) == (urls, [])
    assert CheckProcesses(net_settings, 1, min_urls=1).split(urls) == (urls, [])


def test_concurrency_is_shared_out(net_settings: NetworkSettings) -> None:
    processes = CheckProcesses(net_settings.model_copy(update={"concurrency": 10}), 3)
    assert processes.worker_settings.concurrency == 4
    assert 1 <= default_process_count() <= 4


@pytest.mark.network
async def test_other_processes_give_the_same_answers(
    fixture_site: FixtureSite, net_settings: NetworkSettings
) -> None:
    urls = _urls(fixture_site)
    async with NetClient(net_settings) as client:
        alone = await check_links(urls, client, net_settings)
        alone_requests = client.request_count
    processes = CheckProcesses(net_settings, 2, min_urls=1)
    try:
        async with NetClient(net_settings) as client:
            shared = await check_links(urls, client, net_settings, processes=processes)
            shared_requests = client.request_count
    finally:
        await processes.aclose()
    assert processes.broken is None
    assert {url: check.status for url, check in shared.items()} == {
        url: check.status for url, check in alone.items()
    }
    assert shared[fixture_site.catchall_url("/post/0")].status is LinkStatus.SOFT_404  # probe in the worker
    assert 0 < shared_requests < alone_requests  # the other process sent the rest


@pytest.mark.network
async def test_a_crashed_process_leaves_its_links_to_the_main_one(
    fixture_site: FixtureSite, net_settings: NetworkSettings
) -> None:
    urls = _urls(fixture_site)
    done: list[str] = []
    dying = (sys.executable, "-m", "tests.check.dying_worker")
    processes = CheckProcesses(net_settings, 2, min_urls=1, command=dying)
    try:
        async with NetClient(net_settings) as client:
            results = await check_links(
                urls, client, net_settings, on_done=lambda check: done.append(check.url), processes=processes
            )
    finally:
        await processes.aclose()
    assert processes.broken is not None and "exit code 3" in processes.broken
    assert set(results) == set(urls) and sorted(done) == sorted(urls)
    assert results[fixture_site.url("/status/404")].status is LinkStatus.DEAD
    assert processes.split(urls) == (urls, [])  # given up for the rest of the run


@pytest.mark.network
def test_a_run_with_many_links_uses_the_other_processes(
    fixture_site: FixtureSite, net_settings: NetworkSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = [fixture_site.url(f"/articles/bulk-{n}") for n in range(MIN_URLS_PER_PROCESS)]
    lines += [fixture_site.catchall_url(f"/bulk-{n}") for n in range(MIN_URLS_PER_PROCESS)]
    lines += [fixture_site.url("/status/404")]
    document = tmp_path / "links.txt"
    document.write_text("\n".join(lines) + "\n")
    sent: list[int] = []
    real_check = CheckProcesses.check

    async def counting_check(self: CheckProcesses, urls: list[str]) -> dict[str, LinkCheck]:
        sent.append(len(urls))
        return await real_check(self, urls)

    monkeypatch.setattr(CheckProcesses, "check", counting_check)
    statuses = {}
    for processes in (1, 2):
        config = Config(
            network=net_settings.model_copy(update={"processes": processes}),
            archive=ArchiveSettings(providers=()),
        )
        result = run_check([str(document)], config, database_url=f"sqlite:///{tmp_path}/p{processes}.db")
        statuses[processes] = {
            item.citation.url: item.link.status
            for doc in result.documents
            for item in doc.citations
            if item.link
        }
    assert sent == [MIN_URLS_PER_PROCESS]  # the catch-all host's links, in one batch, only when asked for 2
    assert statuses[1] == statuses[2] and len(statuses[2]) == len(lines)
    assert statuses[2][fixture_site.url("/status/404")] is LinkStatus.DEAD
    assert statuses[2][fixture_site.catchall_url("/bulk-0")] is LinkStatus.SOFT_404
