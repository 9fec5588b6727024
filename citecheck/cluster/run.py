"""The driver's side of a cluster run: a Dask client, and the few ways the pipeline hands it work.

pipeline.py says what runs in which order (`_run_on_cluster`); this module says where and when:

* `submit`: a task anywhere. Extraction and storage go by chunk of documents, so they spread over the
  workers, and Dask runs a chunk's storage where its extraction result already is.
* `by_host`: a wave's wanted links cut into `partitions` parts by host (partition.py), one task each,
  each after the previous wave's task for the same part, so one task at a time holds a host.
* `waves`: the input in waves of `cluster.wave_documents`, cut into chunks; at most two waves are in
  flight, so the next wave is extracted while this one's links are checked, and the scheduler holds a
  bounded graph however large the input.

"local:N" starts a LocalCluster of N worker processes (two threads each: one can extract while the
other waits on the network) on 127.0.0.1 and stops it at the end; any other address is a running
scheduler (`dask scheduler`, dask-kubernetes, dask-jobqueue ...) that is left running.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from types import TracebackType
from typing import Any

from ..config import ClusterSettings
from ..errors import ClusterError, RunBusyError
from .partition import split_by_host

__all__ = ["LOCAL_THREADS", "ClusterRun"]

LOCAL_THREADS = 2  # threads per worker process of a "local:N" cluster
WAVES_IN_FLIGHT = 2
_CONNECT_TIMEOUT = "30s"
_POLL_SECONDS = 0.5

Progress = Callable[[str, int, int], None]


def _pick(parts: tuple[Any, ...], index: int) -> Any:
    return parts[index]


class ClusterRun:
    """`with ClusterRun(address, settings, progress) as cluster:` a client for one run."""

    def __init__(self, address: str, settings: ClusterSettings, progress: Progress) -> None:
        self.address = address
        self.settings = settings
        self.progress = progress
        self.client: Any = None
        self._cluster: Any = None
        self.partitions = 1
        self._owners: list[Any] = []  # the latest link-check task of each partition
        self._waves: deque[tuple[list[tuple[Any, int]], list[Any]]] = deque()  # (storage, link checks)
        self.no_network: str | None = None  # what a link-check task found, if it found no network
        self._submitted = 0
        self._stored = 0
        self._total = 0

    def __enter__(self) -> ClusterRun:
        from distributed import Client, LocalCluster

        try:
            if self.address.startswith("local:"):
                self._cluster = LocalCluster(
                    n_workers=int(self.address.removeprefix("local:")),
                    threads_per_worker=LOCAL_THREADS,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address="127.0.0.1:0",  # a free port on loopback only: 8787 may be taken
                    silence_logs=logging.ERROR,
                )
                self.client = Client(self._cluster)
            else:
                self.client = Client(self.address, timeout=_CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as exc:
            self.__exit__(None, None, None)
            raise ClusterError(f"cannot reach the Dask scheduler at {self.address}: {exc}") from None
        threads = sum(self.client.nthreads().values()) or 1
        self.partitions = self.settings.host_partitions or 2 * threads
        self._owners = [None] * self.partitions
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if self.client is not None:
            self.client.close()
        if self._cluster is not None:
            self._cluster.close()

    # -- handing out work -------------------------------------------------------------------------
    def submit(self, function: Callable[..., Any], *args: Any, name: str) -> Any:
        self._submitted += 1
        return self.client.submit(function, *args, key=f"{name}-{self._submitted}", pure=False)

    def by_host(self, function: Callable[..., Any], wanted: Any, *args: Any, name: str) -> list[Any]:
        """`function(part, *args, previous)` for each host partition of `wanted` (a future)."""
        parts = self.submit(split_by_host, wanted, self.partitions, name="split-by-host")
        for index in range(self.partitions):
            part = self.submit(_pick, parts, index, name=f"hosts-{index}")
            previous = self._owners[index]
            after = () if previous is None else (previous,)
            self._owners[index] = self.submit(function, part, *args, *after, name=f"{name}-{index}")
        return list(self._owners)

    def waves(
        self, todo: Sequence[tuple[int, str]], stop_if: Callable[[], str | None]
    ) -> Iterator[list[list[tuple[int, str]]]]:
        """The input in waves of chunks; waits while WAVES_IN_FLIGHT waves are unfinished. `stop_if`
        names a reason to stop (the run was taken over), checked while waiting."""
        self._total = len(todo)
        size, chunk = self.settings.wave_documents, self.settings.chunk_documents
        for start in range(0, len(todo), size):
            while len(self._waves) >= WAVES_IN_FLIGHT:
                self._wait_oldest(stop_if)
            wave = todo[start : start + size]
            yield [list(wave[at : at + chunk]) for at in range(0, len(wave), chunk)]
        while self._waves:
            self._wait_oldest(stop_if)

    def stored_by(self, tasks: Sequence[Any], chunks: Sequence[Sequence[Any]], checks: Sequence[Any]) -> None:
        """The storage tasks of a wave with their chunks (for progress), and its link-check tasks."""
        storage = [(task, len(chunk)) for task, chunk in zip(tasks, chunks, strict=True)]
        self._waves.append((storage, list(checks)))

    def _wait_oldest(self, stop_if: Callable[[], str | None]) -> None:
        from distributed import wait

        oldest, checks = self._waves[0]
        pending = [task for task, _ in oldest]
        while pending:
            reason = stop_if()
            if reason is not None:
                raise RunBusyError(reason)
            try:
                done = wait(pending, timeout=_POLL_SECONDS, return_when="FIRST_COMPLETED").done
            except TimeoutError:
                continue
            for task in done:
                task.result()  # a task that failed for good raises its error here
            pending = [task for task in pending if task not in done]
            finished = sum(size for task, size in oldest if task not in pending)
            self.progress("store", self._stored + finished, self._total)
        self._stored += sum(size for _, size in oldest)
        self.no_network = self.no_network or next(filter(None, (task.result() for task in checks)), None)
        self._waves.popleft()
