"""Concurrency and per-minute budgets, driven by a fake clock: no sleeping, no timing."""

from __future__ import annotations

import asyncio

import pytest

from citecheck.config import NetworkSettings
from citecheck.net import FetchFailure, HostLimits, NetClient, RateLimiter
from tests.servers.fixtures import FakeClock
from tests.servers.site import FixtureSite


async def test_budget_allows_a_minutes_worth_then_waits(fake_clock: FakeClock) -> None:
    limiter = RateLimiter(30, fake_clock)
    taken = []
    for _ in range(90):
        await limiter.acquire()
        taken.append(fake_clock.now)
    assert taken[29] == 0.0  # the first 30 at once
    assert taken[30] == pytest.approx(60.0)  # the 31st when the first leaves the window
    assert taken[-1] == pytest.approx(120.0)
    # the property the archive counts: never more than 30 inside any 60-second window
    for index, start in enumerate(taken):
        inside = [t for t in taken[index:] if t < start + 60.0]
        assert len(inside) <= 30


async def test_fractional_budget_stretches_the_window(fake_clock: FakeClock) -> None:
    limiter = RateLimiter(0.5, fake_clock)
    await limiter.acquire()
    await limiter.acquire()
    assert fake_clock.now == pytest.approx(120.0)


async def test_try_acquire_never_waits(fake_clock: FakeClock) -> None:
    limiter = RateLimiter(2, fake_clock)
    assert limiter.try_acquire() and limiter.try_acquire()
    assert not limiter.try_acquire()
    assert fake_clock.sleeps == []
    fake_clock.now = 60.0
    assert limiter.try_acquire()


async def test_defer_holds_everything_back(fake_clock: FakeClock) -> None:
    limiter = RateLimiter(600, fake_clock)
    limiter.defer(45.0)
    assert limiter.wait_needed() == pytest.approx(45.0)
    assert not limiter.try_acquire()
    await limiter.acquire()
    assert fake_clock.now == pytest.approx(45.0)


def test_budget_must_be_positive() -> None:
    with pytest.raises(ValueError):
        RateLimiter(0)


async def test_host_limits_cap_each_host_and_the_total() -> None:
    limits = HostLimits(total=3, per_host=2)
    inside: dict[str, int] = {"a": 0, "b": 0}
    peak = {"a": 0, "b": 0, "total": 0}
    release = asyncio.Event()

    async def hold(host: str) -> None:
        async with limits.slot(host):
            inside[host] += 1
            peak[host] = max(peak[host], inside[host])
            peak["total"] = max(peak["total"], sum(inside.values()))
            await release.wait()
            inside[host] -= 1

    tasks = [asyncio.create_task(hold(host)) for host in "aaaabbbb"]
    for _ in range(20):
        await asyncio.sleep(0)
    assert sum(inside.values()) == 3  # the global cap is reached
    assert max(inside.values()) <= 2
    release.set()
    await asyncio.gather(*tasks)
    assert peak["a"] <= 2 and peak["b"] <= 2 and peak["total"] == 3
    assert inside == {"a": 0, "b": 0}


@pytest.mark.network
async def test_waiting_for_a_host_slot_is_not_a_timeout(fixture_site: FixtureSite) -> None:
    """Eight links to a host that answers in 0.4 s, one at a time, with a 1 s total_timeout: the last
    waits 2.8 s for its turn, yet each is sent and answered, none is a timeout (#16)."""
    settings = NetworkSettings(
        allow_private_hosts=("127.0.0.1",), per_host=1, total_timeout=1.0, read_timeout=1.0, retries=0
    )
    urls = [fixture_site.url(f"/unhurried/queue-{n}") for n in range(8)]
    async with NetClient(settings) as client:
        results = await asyncio.gather(*(client.fetch(url) for url in urls))
    assert [result.failure for result in results] == [None] * 8
    assert all(result.status_code == 200 for result in results)
    assert all(fixture_site.count(f"/unhurried/queue-{n}") == 1 for n in range(8))


@pytest.mark.network
async def test_a_slow_answer_still_times_out_after_its_turn(fixture_site: FixtureSite) -> None:
    """The clock pauses only while queued: a request that has its slot still runs out of time."""
    settings = NetworkSettings(
        allow_private_hosts=("127.0.0.1",), per_host=1, total_timeout=0.2, read_timeout=1.0, retries=0
    )
    async with NetClient(settings) as client:
        results = await asyncio.gather(
            *(client.fetch(fixture_site.url(f"/unhurried/late-{n}")) for n in range(3))
        )
    assert [result.failure for result in results] == [FetchFailure.TIMEOUT] * 3
