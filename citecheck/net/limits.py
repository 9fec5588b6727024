"""How fast and how wide a run may talk to the network.

Two kinds of limit live here, both shared by every request of one run:

* `HostLimits`: concurrency. At most `concurrency` requests in flight overall and `per_host` to any one
  host, so a document citing fifty pages of one site does not hammer that site.
* `RateLimiter`: a budget of requests per minute, used by the archive providers. The Internet Archive
  documents roughly 30 CDX/timemap requests a minute and a far larger replay budget, and answers 429 (and
  then blocks) clients that go above it, so the providers count their own requests instead of waiting to
  be told.

Time comes from a `Clock` so that tests can drive the limiter with a fake clock and assert on budgets
without sleeping or timing anything.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Protocol

__all__ = ["Clock", "HostLimits", "Pausable", "RateBudget", "RateLimiter", "SystemClock", "budget_window"]

_MINUTE = 60.0


class Clock(Protocol):
    """Monotonic time and a way to wait; the real one is `SystemClock`."""

    def monotonic(self) -> float: ...

    async def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """The event loop's idea of time: `time.monotonic` and `asyncio.sleep`."""

    def monotonic(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class Pausable(Protocol):
    """A clock that should not run while a request waits in our own queue (the fetch's total_timeout)."""

    def pause(self) -> None: ...

    def resume(self) -> None: ...


class HostLimits:
    """Global and per-host caps on requests in flight.

    A request takes its host's slot before a global one, so requests queued behind a busy host do not
    sit on global slots that requests to other hosts could use. `queued` is paused while the request
    waits for its slots: waiting in our own queue is not the server being slow.
    """

    def __init__(self, total: int, per_host: int) -> None:
        self._total = asyncio.Semaphore(total)
        self._per_host = per_host
        self._hosts: dict[str, asyncio.Semaphore] = {}

    @asynccontextmanager
    async def slot(self, host_key: str, queued: Pausable | None = None) -> AsyncIterator[None]:
        host = self._hosts.get(host_key)
        if host is None:
            host = self._hosts[host_key] = asyncio.Semaphore(self._per_host)
        if queued is not None:
            queued.pause()
        try:
            await host.acquire()
            try:
                await self._total.acquire()
            except BaseException:
                host.release()
                raise
        finally:
            if queued is not None:
                queued.resume()
        try:
            yield
        finally:
            self._total.release()
            host.release()


class RateBudget(Protocol):
    """What the archive providers spend: `RateLimiter` in one process, or a budget every worker of a
    cluster shares (citecheck.cluster.budget)."""

    async def acquire(self) -> None: ...

    def try_acquire(self) -> bool: ...

    def defer(self, seconds: float) -> None: ...


def budget_window(per_minute: float) -> tuple[int, float]:
    """A per-minute budget as (events, window in seconds): 30 -> (30, 60.0); 0.5 -> (1, 120.0)."""
    if per_minute <= 0:
        raise ValueError("per_minute must be positive")
    events = max(1, math.floor(per_minute))
    return events, events * _MINUTE / per_minute


class RateLimiter:
    """At most `per_minute` events in any sliding window of one minute.

    A sliding log rather than a token bucket: a bucket that starts full lets a client send a whole
    minute's budget at once and then a steady stream on top, i.e. nearly twice the budget inside one
    minute, which is exactly what an archive's per-minute limit counts. Fractional budgets below one per
    minute (0.5 = one event every two minutes) stretch the window instead.

    `defer()` records a server's request to back off (a 429 with Retry-After): nothing is released before
    that moment, whatever the budget says.
    """

    def __init__(self, per_minute: float, clock: Clock | None = None) -> None:
        self._events, self._window = budget_window(per_minute)
        self._clock: Clock = clock or SystemClock()
        self._recent: deque[float] = deque()
        self._not_before = 0.0
        self._lock = asyncio.Lock()

    @property
    def events_per_window(self) -> int:
        return self._events

    @property
    def window_seconds(self) -> float:
        return self._window

    def wait_needed(self) -> float:
        """Seconds until one more event fits; 0 when it fits now."""
        now = self._clock.monotonic()
        self._forget_before(now - self._window)
        wait = max(0.0, self._not_before - now)
        if len(self._recent) >= self._events:
            wait = max(wait, self._recent[0] + self._window - now)
        return wait

    def try_acquire(self) -> bool:
        """Take one event if it fits now; never waits. For optional requests such as a CDX fallback."""
        if self._lock.locked() or self.wait_needed() > 0:
            return False
        self._recent.append(self._clock.monotonic())
        return True

    async def acquire(self) -> None:
        """Wait until one more event fits the budget, then take it. Waiters are served in arrival order."""
        async with self._lock:
            while (wait := self.wait_needed()) > 0:
                await self._clock.sleep(wait)
            self._recent.append(self._clock.monotonic())

    def defer(self, seconds: float) -> None:
        """Release nothing for `seconds` from now (a server asked us to slow down)."""
        self._not_before = max(self._not_before, self._clock.monotonic() + max(0.0, seconds))

    def _forget_before(self, horizon: float) -> None:
        while self._recent and self._recent[0] <= horizon:
            self._recent.popleft()
