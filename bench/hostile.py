"""Hostile servers: what one hostile page costs a link check, and what it costs the link beside it.

Each hostile page is checked by `check_links()` in a fresh child process, next to one honest link (a
small page that answers after 200 ms, on another loopback port, i.e. another host). The hostile pages are
served by a catch-all host: every unknown path answers 200, so the random-path probe succeeds and the
soft-404 comparison reads the whole page, the most expensive path a page can take. Default
`NetworkSettings` (5 MiB body cap, 45 s total timeout) except `allow_private_hosts: [127.0.0.0/8]` and no
internet connectivity probe.

The row "archived-soup" is the same tag soup served as an archived copy: the catch-all host also plays a
wayback-style archive (`/wb/<timestamp>id_/<url>`, with Memento-Datetime), and the child runs
`find_snapshots()` (content matching on) for the hostile copy beside an honest copy the archive serves
after 200 ms; the honest copy's delay is measured the same way.

Per page the child reports: wall-clock time of the check, its CPU time (user + system, every thread),
its peak RSS and how much that is above the same process after a warm-up check of the honest link alone,
and the delay the hostile page added to the honest link (its elapsed time beside the hostile page minus
its elapsed time alone). The issue's targets (#16): at most 2 s of CPU and 100 MB per response, and no
page delaying another link's check by more than 1 s.

The server runs in this process, in a thread; every socket is bound to 127.0.0.1. Nothing here is a
test: figures are printed and written to the "## Hostile servers" section of BENCHMARKS.md.

Run: .venv/bin/python bench/hostile.py [--no-write]
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import platform
import resource
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

import links

TITLE = "## Hostile servers"
HONEST_DELAY = 0.2
MB = 1_000_000
ARCHIVED = "archived-"  # pages whose name starts so are measured as archived copies
MEMENTO = {"Memento-Datetime": "Tue, 02 Mar 2021 10:00:00 GMT"}


def _pages() -> dict[str, tuple[str, bytes, dict[str, str]]]:
    """name -> (what it is, body, extra headers). Sizes keep each body under the default 5 MiB cap."""
    return {
        "titles": ("259 KB of `<title>` tags that never close", b"<title>" * (259_000 // 7), {}),
        "tag-soup": ("5 MB of unclosed `<p><b>` tag soup", b"<p><b>x" * (5 * MB // 7), {}),
        "nested-soup": ("5 MB of unclosed `<li><a><b>`, nesting", b"<li><a><b>x" * (5 * MB // 11), {}),
        "nested": ("5 MB of `<div>` nested a million deep", b"<div>" * MB, {}),
        "attributes": ("one tag with 5 MB of attributes", b"<div " + b"a=1 " * (5 * MB // 4) + b">", {}),
        "comments": ("5 MB of unclosed `<!--`", b"<!--" * (5 * MB // 4), {}),
        "text": ("5 MB of one paragraph of words", b"<p>" + b"word " * MB, {}),
        "archived-soup": (
            "5 MB of `<p><b>` tag soup as an archived copy",
            b"<p><b>x" * (5 * MB // 7),
            MEMENTO,
        ),
        "gzip-bomb": (
            "250 KB of gzip inflating to 256 MiB",
            gzip.compress(bytes(256 * 1024 * 1024), compresslevel=9),
            {"Content-Encoding": "gzip"},
        ),
    }


CATCH_ALL = b"<html><head><title>Catch-all</title></head><body><p>Every path answers this.</p></body></html>"
HONEST = (
    b"<html><head><title>Honest story</title></head><body><p>A page beside a hostile one.</p></body></html>"
)


class _Server:
    """Two raw HTTP/1.1 listeners on 127.0.0.1: the catch-all host with the hostile pages, the honest host."""

    def __init__(self) -> None:
        self.pages = _pages()
        self.hostile_port = 0
        self.honest_port = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()

    def start(self) -> None:
        threading.Thread(target=self._run, daemon=True).start()
        self._ready.wait(30)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        hostile = self._loop.run_until_complete(asyncio.start_server(self._hostile, "127.0.0.1", 0))
        honest = self._loop.run_until_complete(asyncio.start_server(self._honest, "127.0.0.1", 0))
        self.hostile_port = hostile.sockets[0].getsockname()[1]
        self.honest_port = honest.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    async def _answer(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, pick: object) -> None:
        try:
            while True:
                request = await reader.readuntil(b"\r\n\r\n")
                path = request.split(b" ", 2)[1].decode("latin-1")
                body, headers = await pick(path)  # type: ignore[operator]
                head = [
                    b"HTTP/1.1 200 OK",
                    b"Content-Type: text/html",
                    f"Content-Length: {len(body)}".encode(),
                ]
                head += [f"{k}: {v}".encode() for k, v in headers.items()]
                writer.write(
                    b"\r\n".join(head) + b"\r\n\r\n" + (b"" if request.startswith(b"HEAD") else body)
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    async def _hostile(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        async def pick(path: str) -> tuple[bytes, dict[str, str]]:
            if path.startswith("/wb/"):  # the archive: its copy of a hostile page, or an honest copy
                name = next((name for name in self.pages if path.endswith("/" + name)), "")
                if name.startswith(ARCHIVED):
                    return self.pages[name][1], self.pages[name][2]
                await asyncio.sleep(HONEST_DELAY)
                return HONEST, MEMENTO
            name = path.strip("/")
            if name in self.pages:
                _, body, headers = self.pages[name]
                return body, headers
            return CATCH_ALL, {}

        await self._answer(reader, writer, pick)

    async def _honest(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        async def pick(path: str) -> tuple[bytes, dict[str, str]]:
            await asyncio.sleep(HONEST_DELAY)
            return (HONEST, {}) if path.startswith("/story") else (b"", {"X-Status": "404"})

        await self._answer(reader, writer, pick)


# -- the child: one measurement ---------------------------------------------------------------------


def _child(hostile_url: str, honest_url: str) -> None:
    from citecheck.check import check_links
    from citecheck.config import NetworkSettings
    from citecheck.net import NetClient

    settings = NetworkSettings(allow_private_hosts=("127.0.0.0/8",), connectivity_check_urls=())

    async def check(urls: list[str]) -> dict[str, tuple[str, float]]:
        async with NetClient(settings) as client:
            found = await check_links(urls, client, settings)
        return {url: (str(result.status), result.elapsed or 0.0) for url, result in found.items()}

    alone = asyncio.run(check([honest_url + "/story/warm-up"]))[honest_url + "/story/warm-up"][1]
    _report(
        alone,
        lambda: asyncio.run(check([hostile_url, honest_url + "/story/beside"])),
        hostile_url,
        honest_url + "/story",
    )


def _report(
    alone: float, beside: Callable[[], dict[str, tuple[str, float]]], hostile_url: str, honest_url: str
) -> None:
    """Run `beside` (the hostile page and the honest one together) and print the measurement as JSON."""
    baseline_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before = usage.ru_utime + usage.ru_stime
    started = time.monotonic()
    found = beside()
    wall = time.monotonic() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(
        json.dumps(
            {
                "wall": wall,
                "cpu": usage.ru_utime + usage.ru_stime - cpu_before,
                "peak_rss_mb": usage.ru_maxrss / 1024,
                "rss_increase_mb": (usage.ru_maxrss - baseline_rss) / 1024,
                "hostile_status": found[hostile_url][0],
                "honest_status": found[honest_url + "/beside"][0],
                "honest_alone": alone,
                "honest_beside": found[honest_url + "/beside"][1],
            }
        )
    )


def _archive_child(replay_url: str, hostile_url: str, honest_url: str) -> None:
    from citecheck.archive import SnapshotRequest, find_snapshots
    from citecheck.config import ArchiveProvider, ArchiveSettings, NetworkSettings
    from citecheck.net import NetClient

    settings = NetworkSettings(allow_private_hosts=("127.0.0.0/8",), connectivity_check_urls=())
    archive = ArchiveSettings(
        providers=(ArchiveProvider(name="bench", kind="wayback", replay_url=replay_url),), match_content=True
    )
    when = datetime(2021, 3, 2, tzinfo=UTC)

    async def look_up(urls: list[str]) -> dict[str, tuple[str, float]]:
        started, finished = time.monotonic(), {}

        def done(snapshot: object) -> None:
            finished[getattr(snapshot, "url", "")] = time.monotonic() - started

        requests = [
            SnapshotRequest(url, when, context="A page beside a hostile one, the story said.") for url in urls
        ]
        async with NetClient(settings) as client:
            found = await find_snapshots(requests, client, archive, on_done=done)
        return {
            url: (f"copy {found[url].match}" if found[url].found else "no copy", finished[url])
            for url in urls
        }

    alone = asyncio.run(look_up([honest_url + "/warm-up"]))[honest_url + "/warm-up"][1]
    _report(
        alone, lambda: asyncio.run(look_up([hostile_url, honest_url + "/beside"])), hostile_url, honest_url
    )


# -- the parent ----------------------------------------------------------------------------------


def _measure(server: _Server, name: str) -> dict[str, object]:
    if name.startswith(ARCHIVED):  # cited addresses; the archive's copies of them are on the hostile host
        replay = f"http://127.0.0.1:{server.hostile_port}/wb"
        child = ["--archive-child", replay, f"http://news.example/{name}", "http://news.example/honest"]
    else:
        child = [
            "--child",
            f"http://127.0.0.1:{server.hostile_port}/{name}",
            f"http://127.0.0.1:{server.honest_port}",
        ]
    finished = subprocess.run([sys.executable, __file__, *child], capture_output=True, text=True, timeout=600)
    if finished.returncode != 0:
        raise RuntimeError(f"{name}: {finished.stderr[-2000:]}")
    return dict(json.loads(finished.stdout.strip().splitlines()[-1]))


def _table(server: _Server, results: dict[str, dict[str, object]]) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        TITLE,
        "",
        f"### {when} — one hostile page beside one honest link (`bench/hostile.py`)",
        "",
        f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()}, "
        f"{_cores()} cores; the machine was shared with other work while this ran, so wall times are "
        "upper bounds. Each row is a fresh process: `check_links([hostile page, honest link])` with default "
        "settings; the hostile page sits on a catch-all host, so the soft-404 check reads all of it (up to "
        "its 512 KiB parse cap). The honest link answers after 200 ms from another host. The archived "
        "row looks up an archived copy of the soup beside an honest copy the same archive serves after "
        "200 ms (`find_snapshots`, content matching on); its statuses are the look-ups' verdicts. Peak RSS "
        "is the whole process (Python, citecheck, lxml: the rise column is above the same process after a "
        "warm-up check); the delay is the honest link's time beside the hostile page minus its time alone.",
        "",
        "| hostile page | what it is | status | wall (s) | CPU (s) | peak RSS (MB) | rise (MB) "
        "| honest link | delay added (s) |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    for name, result in results.items():
        what = server.pages[name][0]
        delay = float(result["honest_beside"]) - float(result["honest_alone"])  # type: ignore[arg-type]
        lines.append(
            f"| {name} | {what} | {result['hostile_status']} | {float(result['wall']):.2f} | "  # type: ignore[arg-type]
            f"{float(result['cpu']):.2f} | {float(result['peak_rss_mb']):.0f} | "  # type: ignore[arg-type]
            f"{float(result['rss_increase_mb']):.0f} | {result['honest_status']} | {max(0.0, delay):.2f} |"  # type: ignore[arg-type]
        )
    lines += [
        "",
        "Before #16 the issue's probe measured, on this code's predecessor: the 259 KB title page 134 s on "
        "the event loop, the 5 MB tag soup 83 s and 667 MB per link, with every other check, timeout and "
        "heartbeat stopped meanwhile. Archived copies were still read by BeautifulSoup on the event loop "
        "until the #16 follow-up: 1 MB of `<li><a><b>` soup took 22 s there (measured once, machine "
        "shared). Targets: ≤ 2 s CPU and ≤ 100 MB per response, ≤ 1 s added to a neighbour.",
        "",
    ]
    return "\n".join(lines)


def _cores() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--child", nargs=2, metavar=("HOSTILE_URL", "HONEST_URL"), help=argparse.SUPPRESS)
    parser.add_argument(
        "--archive-child", nargs=3, metavar=("REPLAY", "HOSTILE", "HONEST"), help=argparse.SUPPRESS
    )
    parser.add_argument("--pages", help="comma-separated page names (default: all)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    if args.archive_child:
        _archive_child(*args.archive_child)
        return
    server = _Server()
    server.start()
    names = args.pages.split(",") if args.pages else list(server.pages)
    results = {}
    for name in names:
        print(f"{name} ...", file=sys.stderr, flush=True)
        results[name] = _measure(server, name)
    markdown = _table(server, results)
    print(markdown)
    if not args.no_write:
        links.write_section(markdown, TITLE)
        print(f"wrote the '{TITLE}' section of BENCHMARKS.md", file=sys.stderr)


if __name__ == "__main__":
    socket.setdefaulttimeout(None)
    main()
