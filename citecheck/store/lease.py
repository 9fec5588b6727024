"""The run lease kept alive from a thread of its own.

A run says every `HEARTBEAT_SECONDS` that its process still works on it (`Store.heartbeat`), so that a
`--resume` elsewhere can tell a live run from a dead one (`live_holder`). The beats come from this
thread, not from the event loop: a loop held up by a slow page, a large document's extraction or a long
database write must not let the lease go stale, or another machine takes over a run that is still
working (#16). The thread also notices when the run was taken over anyway (the recorded worker is no
longer this process); the pipeline then stops instead of writing beside the new holder.
"""

from __future__ import annotations

import threading
from types import TracebackType

from . import repository
from .repository import Store

__all__ = ["Heartbeat"]


class Heartbeat:
    """`with Heartbeat(store, run_id):` beats for the run until the block ends."""

    def __init__(self, store: Store, run_id: int, interval: float | None = None) -> None:
        self._store = store
        self._run_id = run_id
        self._interval = repository.HEARTBEAT_SECONDS if interval is None else interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"citecheck-heartbeat-{run_id}", daemon=True)
        self._lost = threading.Event()

    @property
    def lost(self) -> bool:
        """True once another process holds the run."""
        return self._lost.is_set()

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._stop.set()
        self._thread.join()

    def _beat(self) -> None:
        while not self._stop.wait(self._interval):
            if not self._store.heartbeat(self._run_id):
                self._lost.set()
                return
