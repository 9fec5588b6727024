"""Link checks spread over several processes, each checking the links of its own hosts.

A link check costs about a millisecond of CPU time in Python (HTTP parsing, the event loop, TLS), so
on a long list of links one process is busy long before the network is. Other processes, each with its
own `NetClient` and event loop, take whole hosts: every request to a host still comes from one
process, so `per_host`, the soft-404 probe per host and the host's cookies work as they do in one
process. `concurrency` is shared out among the processes. Redirects to another host are followed by
whichever process got the link, so such a target may see `per_host` requests from each process.

An extra process is a fresh interpreter running `python -m citecheck.check.worker`, fed over a pipe:
not multiprocessing, which would re-run the caller's main script in the child (a script that calls
`run_check` without an `if __name__ == "__main__"` guard would run twice). Processes start on the first
list long enough to need them and are kept for the run, so their connections stay open from one batch
to the next. If one fails or stalls, its links are checked in the main process; nothing is lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import pickle
import struct
import sys
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from ..config import NetworkSettings
from ..models import LinkCheck

__all__ = ["MIN_URLS_PER_PROCESS", "CheckProcesses", "default_process_count", "read_message", "write_message"]

# Below this many links per process, starting one (about 0.3 s of imports) costs more than it saves.
MIN_URLS_PER_PROCESS = 250
_MAX_DEFAULT_PROCESSES = 4
_WORKER_COMMAND = (sys.executable, "-m", "citecheck.check.worker")
_LENGTH = struct.Struct(">Q")
_EXIT_SECONDS = 5.0  # how long a process asked to end may take before it is killed


def default_process_count() -> int:
    """One process per CPU core this process may run on, at most four."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, _MAX_DEFAULT_PROCESSES))


class CheckProcesses:
    """The extra processes of a run (`count` - 1 of them; the main process checks a share too)."""

    def __init__(
        self,
        settings: NetworkSettings,
        count: int | None = None,
        *,
        min_urls: int = MIN_URLS_PER_PROCESS,
        command: Sequence[str] = _WORKER_COMMAND,
    ) -> None:
        self.count = count or default_process_count()
        self.min_urls = min_urls
        # Each process gets its share of the run's concurrency, so the total in flight stays the same.
        share = max(1, math.ceil(settings.concurrency / self.count))
        self.worker_settings = settings.model_copy(update={"concurrency": share})
        self._command = tuple(command)
        self._idle: list[_Worker] = []
        self._started = 0
        self.broken: str | None = None  # why the extra processes were given up, once they were

    def split(self, urls: Sequence[str]) -> tuple[list[str], list[list[str]]]:
        """(the main process's links, one list per extra process), whole hosts each, balanced by count."""
        wanted = min(self.count, len(urls) // self.min_urls) if self.broken is None else 1
        if wanted < 2:
            return list(urls), []
        by_host: dict[str, list[str]] = {}
        for url in urls:
            by_host.setdefault(_host_key(url), []).append(url)
        groups: list[list[str]] = [[] for _ in range(min(wanted, len(by_host)))]
        for host_urls in sorted(by_host.values(), key=len, reverse=True):
            min(groups, key=len).extend(host_urls)
        return groups[0], [group for group in groups[1:] if group]

    async def check(self, urls: list[str]) -> dict[str, LinkCheck]:
        """Check `urls` in an extra process; raises if that process cannot (it is then stopped)."""
        worker = self._idle.pop() if self._idle else await self._start()
        # Each link is bounded by total_timeout, and the process runs `concurrency` of them at once.
        rounds = math.ceil(len(urls) / self.worker_settings.concurrency) + 1
        try:
            async with asyncio.timeout(rounds * self.worker_settings.total_timeout):
                answer = await worker.ask(urls)
        except BaseException:
            worker.stop()
            raise
        self._idle.append(worker)
        return answer

    async def _start(self) -> _Worker:
        if self._started >= self.count - 1:
            raise RuntimeError("more link lists at once than extra processes")
        self._started += 1
        process = await asyncio.create_subprocess_exec(
            *self._command,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
        )
        worker = _Worker(process)
        worker.send(self.worker_settings)
        return worker

    async def aclose(self) -> None:
        """End the extra processes: each closes its connections and exits when its input closes."""
        idle, self._idle = self._idle, []
        for worker in idle:
            await worker.finish()


class _Worker:
    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    def send(self, message: Any) -> None:
        assert self.process.stdin is not None
        write_message(self.process.stdin, message)

    async def ask(self, urls: list[str]) -> dict[str, LinkCheck]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.send(urls)
        await self.process.stdin.drain()
        answer = await read_message_async(self.process.stdout)
        if answer is None:
            code = await self.process.wait()
            raise RuntimeError(f"link-check process ended with exit code {code}")
        if not isinstance(answer, dict):
            raise RuntimeError(f"link-check process failed: {answer}")
        return answer

    async def finish(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            async with asyncio.timeout(_EXIT_SECONDS):
                await self.process.wait()
        except TimeoutError:
            self.stop()
            await self.process.wait()

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            if self.process.returncode is None:
                self.process.kill()


def _host_key(url: str) -> str:
    """Host and port, as the per-host limit counts them ("" for what will not parse)."""
    try:
        parts = urlsplit(url)
        return f"{(parts.hostname or '').lower()}:{parts.port or ''}"
    except ValueError:
        return ""


# Messages between the processes: an 8-byte length, then a pickle. Both ends are this package, started
# by this process; nothing from outside is ever unpickled.


def write_message(stream: Any, message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_LENGTH.pack(len(data)) + data)


async def read_message_async(stream: asyncio.StreamReader) -> Any:
    try:
        header = await stream.readexactly(_LENGTH.size)
        return pickle.loads(await stream.readexactly(_LENGTH.unpack(header)[0]))
    except asyncio.IncompleteReadError:
        return None


def read_message(stream: Any) -> Any:
    header = stream.read(_LENGTH.size)
    if len(header) < _LENGTH.size:
        return None
    size = _LENGTH.unpack(header)[0]
    data = stream.read(size)
    if len(data) < size:
        return None
    return pickle.loads(data)
