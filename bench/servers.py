"""The loopback web the link-checking benchmark (bench/links.py) points every tool at.

In: how many links, over how many hosts, on which port, from which seed. Out: a server process that
answers for all of them, and the list of links with the answer each one should get.

Why it looks like this:

* Link checkers treat the ports of one address as one host (per-host limits, politeness delays, robots
  caches), so each simulated host gets its own loopback address, 127.0.0.2 upwards, all on one port.
  The page that lists the links is served from 127.0.0.1 on a free port. Every socket is bound to an
  explicit 127.x address: nothing listens beyond this machine.
* The server must never be what is measured, so it is a bare asyncio protocol (no framework, no ASGI
  layers) in its own process, one event loop for every listener. Each request is a few dictionary
  look-ups and one write; the only waiting is the latency the link asked for.
* It keeps no state per link: a link's path says what to answer, `/<kind>/<delay ms>/<id>`, so every
  tool sees exactly the same site however often it asks and in whatever order.
* It counts what it was asked (requests per method, TCP connections, the page host apart from the
  link hosts) and its own CPU time, so the benchmark can report what each tool sent, prove that a cached
  citecheck run sends nothing, and show that the server was not the bottleneck. `/__stats` and
  `/__reset` on the page address are the control channel and are not counted.

Run alone for a look: `.venv/bin/python bench/servers.py --urls 20 --hosts 3` prints the page address.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

__all__ = ["KINDS", "LinkSpec", "ServerProcess", "build_links", "host_address", "page_html"]

PAGE_HOST = "127.0.0.1"
PAGE_PATH = "/links.html"
EMPTY_PATH = "/empty.html"
MAX_DELAY_MS = 200


@dataclass(frozen=True, slots=True)
class Kind:
    """One behaviour a link can have: the status it answers and whether a checker should call it alive."""

    name: str
    weight: int  # share of the links, in percent
    status: int
    alive: bool
    media_type: str = "text/html; charset=utf-8"
    redirect: str | None = None  # "same" (same host), "other" (another host) or "dead" (same host, 404)


# A mix shaped like the links of a few-years-old news archive: mostly alive, a tenth gone, some moved.
KINDS: tuple[Kind, ...] = (
    Kind("ok", 62, 200, True),
    Kind("pdf", 5, 200, True, media_type="application/pdf"),
    Kind("gone404", 8, 404, False),
    Kind("gone410", 4, 410, False),
    Kind("error500", 4, 500, False),
    Kind("moved301", 5, 301, True, redirect="same"),
    Kind("found302", 4, 302, True, redirect="same"),
    Kind("temp307", 2, 307, True, redirect="same"),
    Kind("perm308", 2, 308, True, redirect="same"),
    Kind("offsite301", 2, 301, True, redirect="other"),
    Kind("moved404", 2, 302, False, redirect="dead"),
)
_BY_NAME = {kind.name: kind for kind in KINDS}
assert sum(kind.weight for kind in KINDS) == 100

_REASONS = {
    200: "OK",
    301: "Moved Permanently",
    302: "Found",
    307: "Temporary Redirect",
    308: "Permanent Redirect",
    404: "Not Found",
    410: "Gone",
    500: "Internal Server Error",
}


@dataclass(frozen=True, slots=True)
class LinkSpec:
    """One link on the benchmark page and what the fixture answers for it."""

    url: str
    host: str
    kind: str
    delay_ms: int
    alive: bool  # the ground truth: should a link checker call it alive?


def host_address(index: int) -> str:
    """The loopback address of simulated host `index` (0-based): 127.0.0.2, 127.0.0.3, ..."""
    if not 0 <= index < 250:
        raise ValueError("at most 250 hosts (127.0.0.2 to 127.0.0.251)")
    return f"127.0.0.{index + 2}"


def build_links(urls: int, hosts: int, port: int, seed: int = 7) -> list[LinkSpec]:
    """The benchmark's links, in page order: kinds by weight, latencies uniform in 0-200 ms, shuffled."""
    rng = random.Random(seed)
    names = [kind.name for kind in KINDS]
    weights = [kind.weight for kind in KINDS]
    links = []
    for number in range(urls):
        host = host_address(number % hosts)
        kind = rng.choices(names, weights)[0]
        delay = rng.randint(0, MAX_DELAY_MS)
        url = f"http://{host}:{port}/{kind}/{delay}/n{number:05d}"
        links.append(LinkSpec(url=url, host=host, kind=kind, delay_ms=delay, alive=_BY_NAME[kind].alive))
    rng.shuffle(links)  # real pages do not list their links host by host
    return links


def page_html(links: list[LinkSpec]) -> str:
    """One page citing every link, as a reader would see it: a list of sources with anchor text."""
    items = "\n".join(
        f'<li><a href="{link.url}">Report {index} on {link.host}</a></li>' for index, link in enumerate(links)
    )
    return (
        '<!doctype html>\n<html><head><meta charset="utf-8"><title>Sources</title></head><body>\n'
        "<h1>Sources</h1>\n<p>The documents this report relies on.</p>\n"
        f"<ol>\n{items}\n</ol>\n</body></html>\n"
    )


# --------------------------------------------------------------------------------------------------
# The server (runs in its own process; see ServerProcess).


def _article(host: str, key: str) -> bytes:
    # About 3 KB of text that differs per page, so a soft-404 comparison has something real to compare.
    sentences = " ".join(
        f"Paragraph {n} of story {key} on {host} adds detail {n * 7 % 13} to the account." for n in range(30)
    )
    return (
        f"<!doctype html><html><head><title>Story {key} | Host {host}</title></head><body>"
        f"<nav>Home | World | Business</nav><article><h1>Story {key}</h1><p>{sentences}</p></article>"
        f"<footer>Fixture host {host}</footer></body></html>"
    ).encode()


_EMPTY = b"<!doctype html><html><head><title>Empty</title></head><body><p>No links.</p></body></html>"
_NOT_FOUND = (
    b"<!doctype html><html><head><title>Not here</title></head><body><p>No such page.</p></body></html>"
)
_PDF = b"%PDF-1.4\n% benchmark fixture\n" + b"0" * 2048 + b"\n%%EOF\n"


class _Site:
    """What to answer for a request; shared by every connection of the process."""

    def __init__(self, page: bytes, port: int, hosts: int) -> None:
        self.page_body = page
        self.port = port
        self.hosts = hosts
        self.by_method: Counter[str] = Counter()
        self.total = 0
        self.page = 0
        self.connections = 0  # TCP connections accepted by the link hosts
        self.cpu_at_reset = time.process_time()

    def answer(
        self, method: str, target: str, local_host: str
    ) -> tuple[int, list[tuple[str, str]], bytes, float]:
        """(status, headers, body, delay seconds) for one request; counts it unless it is a control call."""
        path = target.split("?", 1)[0]
        if local_host == PAGE_HOST and path.startswith("/__"):
            return self._control(path)
        if local_host == PAGE_HOST:
            self.page += 1  # fetching the page is not checking a link; counted apart
            if path == PAGE_PATH:
                return 200, [("Content-Type", "text/html; charset=utf-8")], self.page_body, 0.0
            if path == EMPTY_PATH:
                return 200, [("Content-Type", "text/html; charset=utf-8")], _EMPTY, 0.0
            return self._not_found()
        self.total += 1
        self.by_method[method] += 1
        parts = path.split("/")
        kind = _BY_NAME.get(parts[1]) if len(parts) == 4 else None
        if kind is None or not parts[2].isdigit():
            return self._not_found()
        delay = min(int(parts[2]), 10_000) / 1000
        key = parts[3]
        if kind.redirect is not None:
            return (
                kind.status,
                [("Location", self._location(kind, key, local_host)), ("Content-Type", "text/plain")],
                b"moved\n",
                delay,
            )
        if kind.status != 200:
            body = (
                f"<!doctype html><html><head><title>HTTP {kind.status}</title></head>"
                f"<body><p>HTTP {kind.status}</p></body></html>"
            ).encode()
            return kind.status, [("Content-Type", "text/html; charset=utf-8")], body, delay
        if kind.media_type.startswith("application/pdf"):
            return 200, [("Content-Type", kind.media_type)], _PDF, delay
        return 200, [("Content-Type", kind.media_type)], _article(local_host, key), delay

    def _location(self, kind: Kind, key: str, local_host: str) -> str:
        if kind.redirect == "dead":
            return f"/gone404/0/{key}-moved"
        if kind.redirect == "other":
            index = int(local_host.rsplit(".", 1)[1]) - 2
            other = host_address((index + 1) % self.hosts)
            return f"http://{other}:{self.port}/ok/0/{key}-moved"
        return f"/ok/0/{key}-moved"

    def _not_found(self) -> tuple[int, list[tuple[str, str]], bytes, float]:
        return 404, [("Content-Type", "text/html; charset=utf-8")], _NOT_FOUND, 0.0

    def _control(self, path: str) -> tuple[int, list[tuple[str, str]], bytes, float]:
        if path == "/__reset":
            self.total = self.page = self.connections = 0
            self.by_method.clear()
            self.cpu_at_reset = time.process_time()
        counts = {"total": self.total, "by_method": dict(self.by_method), "page": self.page}
        cpu = round(time.process_time() - self.cpu_at_reset, 3)
        body = json.dumps({**counts, "connections": self.connections, "cpu_seconds": cpu}).encode()
        return 200, [("Content-Type", "application/json")], body, 0.0


class _Connection(asyncio.Protocol):
    """HTTP/1.1 with keep-alive, one request at a time per connection (no checker here pipelines)."""

    def __init__(self, site: _Site) -> None:
        self._site = site
        self._buffer = bytearray()
        self._busy = False
        self._transport: asyncio.Transport | None = None
        self._local = ""
        self._loop = asyncio.get_running_loop()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        self._local = transport.get_extra_info("sockname")[0]
        if self._local != PAGE_HOST:
            self._site.connections += 1

    def connection_lost(self, exc: Exception | None) -> None:
        self._transport = None

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        if len(self._buffer) > 65536 and b"\r\n\r\n" not in self._buffer:
            self._close()
            return
        self._next()

    def _next(self) -> None:
        if self._busy or self._transport is None:
            return
        end = self._buffer.find(b"\r\n\r\n")
        if end < 0:
            return
        head = bytes(self._buffer[:end]).decode("latin-1")
        del self._buffer[: end + 4]
        lines = head.split("\r\n")
        request = lines[0].split(" ")
        if len(request) != 3:
            self._close()
            return
        method, target, version = request
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = headers.get("content-length", "0")
        if length.isdigit() and int(length):  # no checker sends a body; drop one if it comes
            del self._buffer[: int(length)]
        wants_close = headers.get("connection", "").lower() == "close" or version == "HTTP/1.0"
        status, answer_headers, body, delay = self._site.answer(method, target, self._local)
        self._busy = True
        if delay > 0:
            self._loop.call_later(delay, self._respond, method, status, answer_headers, body, wants_close)
        else:
            self._respond(method, status, answer_headers, body, wants_close)

    def _respond(
        self, method: str, status: int, headers: list[tuple[str, str]], body: bytes, close: bool
    ) -> None:
        self._busy = False
        if self._transport is None:
            return
        lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Status')}"]
        lines += [f"{name}: {value}" for name, value in headers]
        lines.append(f"Content-Length: {len(body)}")
        lines.append("Connection: close" if close else "Connection: keep-alive")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        self._transport.write(head if method == "HEAD" else head + body)
        if close:
            self._close()
        else:
            self._next()

    def _close(self) -> None:
        if self._transport is not None:
            self._transport.close()
            self._transport = None


def _listen(address: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((address, port))
    sock.listen(1024)
    sock.setblocking(False)
    return sock


async def _serve(page: bytes, hosts: int, port: int) -> None:
    page_socket = _listen(PAGE_HOST, 0)
    site = _Site(page, port, hosts)
    loop = asyncio.get_running_loop()
    servers = [await loop.create_server(lambda: _Connection(site), sock=page_socket)]
    for index in range(hosts):
        servers.append(
            await loop.create_server(lambda: _Connection(site), sock=_listen(host_address(index), port))
        )
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    print(json.dumps({"page_port": page_socket.getsockname()[1]}), flush=True)
    # The parent closing our stdin also means stop, so an interrupted benchmark leaves no server behind.
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    stdin_closed = asyncio.ensure_future(reader.read())
    stopped = asyncio.ensure_future(stop.wait())
    await asyncio.wait([stdin_closed, stopped], return_when=asyncio.FIRST_COMPLETED)
    for server in servers:
        server.close()


# --------------------------------------------------------------------------------------------------
# The parent's handle on the server process.


class ServerProcess:
    """Starts the fixture server in a child process and talks to its control channel."""

    def __init__(self, page_file: Path, hosts: int, port: int) -> None:
        self.page_file = page_file
        self.hosts = hosts
        self.port = port
        self.page_port = 0
        self._popen: subprocess.Popen[str] | None = None

    def start(self) -> None:
        self._popen = subprocess.Popen(
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "--serve",
                str(self.page_file),
                "--hosts",
                str(self.hosts),
                "--port",
                str(self.port),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._popen.stdout is not None
        line = self._popen.stdout.readline()
        if not line:
            raise RuntimeError("the fixture server did not start (is the port free on every 127.0.0.x?)")
        self.page_port = int(json.loads(line)["page_port"])

    def stop(self) -> None:
        process = self._popen
        if process is None:
            return
        assert process.stdin is not None
        process.stdin.close()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        self._popen = None

    def __enter__(self) -> ServerProcess:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def page_url(self) -> str:
        return f"http://{PAGE_HOST}:{self.page_port}{PAGE_PATH}"

    @property
    def empty_url(self) -> str:
        return f"http://{PAGE_HOST}:{self.page_port}{EMPTY_PATH}"

    def stats(self, reset: bool = False) -> dict[str, object]:
        """Since the last reset: {"total": link-host requests, "by_method", "page": page-host requests,
        "connections": TCP connections the link hosts accepted, "cpu_seconds": the server's CPU time}."""
        import urllib.request

        path = "/__reset" if reset else "/__stats"
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy
        with opener.open(f"http://{PAGE_HOST}:{self.page_port}{path}", timeout=5) as response:
            return dict(json.loads(response.read()))


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the link-checking benchmark's fixture web.")
    parser.add_argument("--serve", metavar="PAGE_FILE", help="serve this page (how links.py runs it)")
    parser.add_argument("--urls", type=int, default=20)
    parser.add_argument("--hosts", type=int, default=3)
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(_serve(Path(args.serve).read_bytes(), args.hosts, args.port))
        return
    import tempfile

    links = build_links(args.urls, args.hosts, args.port, args.seed)
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "links.html"
        page.write_text(page_html(links))
        with ServerProcess(page, args.hosts, args.port) as server:
            print(f"page: {server.page_url} ({len(links)} links over {args.hosts} hosts); Ctrl-C stops")
            try:
                signal.pause()
            except KeyboardInterrupt:
                pass


if __name__ == "__main__":
    main()
