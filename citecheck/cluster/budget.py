"""Archive budgets every worker of a cluster spends together, kept in the run's database.

The Internet Archive's limits are per client, and a cluster is one client to it: 30 CDX requests a
minute shared by ten workers is 3 each, not 30. `SharedRateLimiter` is a `RateBudget` (what the archive
providers spend) whose every charge is a row in the database (store/budgets.py), so the budget holds
across processes and machines, and holds when a worker dies: what it sent stays charged until the
window has passed. A Dask semaphore was the other choice; it bounds requests in flight rather than
requests a minute, and a dead worker's leases return to the pool, so it would hold neither.
"""

from __future__ import annotations

import asyncio

from ..archive import SharedBudgets
from ..config import ArchiveProvider
from ..net import RateBudget, budget_window
from ..store.repository import Store

__all__ = ["SharedRateLimiter", "shared_budgets"]

# Longest nap between two asks while the budget is full: another worker's 429 or a freed slot may
# change the answer, and asking costs one short transaction.
_MAX_NAP = 2.0


class SharedRateLimiter:
    """At most `per_minute` events in any sliding minute, counted across every process sharing `store`."""

    def __init__(self, store: Store, name: str, per_minute: float) -> None:
        self._store = store
        self.name = name
        self._events, self._window = budget_window(per_minute)

    async def acquire(self) -> None:
        while (wait := await asyncio.to_thread(self._take)) > 0:
            await asyncio.sleep(min(wait, _MAX_NAP))

    def try_acquire(self) -> bool:
        return self._take() == 0

    def defer(self, seconds: float) -> None:
        self._store.defer_budget(self.name, seconds)

    def wait_needed(self) -> float:
        """Seconds until one more event fits; 0 when it fits now (nothing is charged)."""
        return self._store.take_budget(self.name, self._events, self._window, charge=False)

    def _take(self) -> float:
        return self._store.take_budget(self.name, self._events, self._window)


def shared_budgets(store: Store) -> SharedBudgets:
    """The budgets of each archive provider, by provider name and kind ("replay", "index")."""

    def budget(provider: ArchiveProvider, kind: str) -> RateBudget:
        per_minute = provider.replay_per_minute if kind == "replay" else provider.cdx_per_minute
        return SharedRateLimiter(store, f"archive/{provider.name}/{kind}", per_minute)

    return budget
