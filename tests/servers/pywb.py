"""A real pywb on 127.0.0.1, serving WARCs written here with warcio.

The archive tests query it exactly as they would the Wayback Machine: replay at
``/<coll>/<timestamp>id_/<url>`` (with ``redirect_to_exact`` pywb redirects to the nearest capture, 404 when
there is none), CDX at ``/<coll>/cdx``, Memento TimeGate at ``/<coll>/<url>`` and TimeMap at
``/<coll>/timemap/link/<url>``.

The collection ``web`` holds:

* `STORY`: three captures (2019, 2020, 2021) whose titles differ, so the nearest one is recognisable;
  the 2020 capture carries the quote the matching tests cite.
* `RETRACTED`: only a 404 and a 301 capture.
* `MIXED`: a 2xx capture in January 2020 and a 404 in March 2020.
* `LONG` and its truncated form `TRUNCATED`: a long percent-encoded address cut in the middle of an
  escape; `AMBIGUOUS_PREFIX` is a prefix two archived URLs share.
* `RECIPE`: a page on another topic, for the mismatch test; `SOURDOUGH`, another, published the day
  before the budget vote; `WEATHER`, an unrelated page whose title ends in the site's name.
* `WALLED`: only a bot-wall challenge page, captured with 200. `SOFT_MISSING`: a 200 "Page not found"
  capture, and an older real copy.
* `GONE_ARTICLE`: the web-page fixture of tests/servers/article.py at an address that no longer answers.

The collection ``fresh`` stands for a local evidence collection made recently: a 2021 and a 2024 copy of
`STORY`, and a "Page not found" page captured with 200 for `HOSPITAL` (which ``web`` holds a real copy
of, a month earlier). `add_collection` writes further collections while the server runs, for tests whose
captures must name the fixture site's own addresses.

pywb runs as a subprocess (``wayback`` from the venv) on a free port for the whole session; the index
is built with pywb's own indexer (`index_for_pywb`). Its log is kept next to the collection for debugging.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import BinaryIO

import httpx
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from citecheck.archive.pywb import write_pywb_config
from citecheck.archive.warc import index_for_pywb
from citecheck.config import ArchiveProvider

from .article import ARTICLE_HTML, GONE_ARTICLE
from .site import HOST

COLLECTION = "web"

STORY = "http://news.example.com/2020/03/budget-vote"
RETRACTED = "http://news.example.com/2020/02/retracted-story"
MIXED = "http://news.example.com/2020/01/mixed-fortunes"
NEVER = "http://news.example.com/never-archived"
LONG = (
    "http://news.example.com/2021/05/%E2%80%9Cwe-will-not-back-down%E2%80%9D-says-minister-as-strike-"
    "enters-third-week"
)
TRUNCATED = LONG[: LONG.index("%E2%80%9D") + 5]  # ends inside an escape: ".../down%E2%8"
AMBIGUOUS_PREFIX = "http://news.example.com/2021/06/strike-ends"
RECIPE = "http://blog.example.org/posts/42"
SOURDOUGH = "http://news.example.com/2020/03/sourdough"
WEATHER = "http://news.example.com/2020/03/weather-warning"
WALLED = "http://news.example.com/2020/05/walled"
SOFT_MISSING = "http://news.example.com/2020/06/council-tram"
HOSPITAL = "http://news.example.com/2020/04/hospital-beds"
FRESH = "fresh"

STORY_QUOTE = "the closest vote in decades"


@dataclass(frozen=True)
class Capture:
    url: str
    when: datetime
    status: str
    title: str = ""
    text: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    published: str = ""
    html: str = ""  # the whole page, when it is not the generic one body() writes

    def body(self) -> bytes:
        if self.html:
            return self.html.encode()
        if not self.title:
            return b""
        meta = (
            f'<meta property="article:published_time" content="{self.published}">' if self.published else ""
        )
        return (
            f"<!doctype html><html><head><title>{self.title}</title>{meta}</head><body>"
            f"<nav>News | Politics | Sport</nav><article><h1>{self.title}</h1><p>{self.text}</p></article>"
            f"<footer>Daily Example</footer></body></html>"
        ).encode()


def _at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 12, 0, 0, tzinfo=UTC)


CAPTURES: tuple[Capture, ...] = (
    Capture(STORY, _at(2019, 6, 1), "200 OK", "Budget talks begin in parliament", "Talks opened today."),
    Capture(
        STORY,
        _at(2020, 3, 15),
        "200 OK",
        "Parliament passes budget after all-night session",
        f"After an all-night session, parliament passed the budget by three votes, {STORY_QUOTE}, "
        "the speaker said. The opposition called the vote rushed.",
        published="2020-03-15T06:00:00Z",
    ),
    Capture(STORY, _at(2021, 6, 1), "200 OK", "Budget one year on", "What changed since the budget vote."),
    Capture(RETRACTED, _at(2020, 2, 10), "404 Not Found", "Not found", "This story was retracted."),
    Capture(RETRACTED, _at(2020, 5, 1), "301 Moved Permanently", headers=(("Location", STORY),)),
    Capture(MIXED, _at(2020, 1, 5), "200 OK", "Mixed fortunes for the economy", "Growth slowed."),
    Capture(MIXED, _at(2020, 3, 1), "404 Not Found", "Not found", "Gone."),
    Capture(LONG, _at(2021, 5, 20), "200 OK", "We will not back down, says minister", "The strike goes on."),
    Capture(f"{AMBIGUOUS_PREFIX}-after-talks", _at(2021, 6, 2), "200 OK", "Strike ends after talks", "Deal."),
    Capture(f"{AMBIGUOUS_PREFIX}-without-deal", _at(2021, 6, 3), "200 OK", "Strike ends without deal", "No."),
    Capture(RECIPE, _at(2020, 3, 14), "200 OK", "Ten easy sourdough recipes", "Flour, water, salt and time."),
    Capture(
        SOURDOUGH,
        _at(2020, 3, 14),
        "200 OK",
        "Ten easy sourdough recipes",
        "Flour, water, salt and time.",
        published="2020-03-14T08:00:00Z",
    ),
    Capture(WEATHER, _at(2020, 3, 15), "200 OK", "Weather warning | Daily Example", "Storms on Saturday."),
    Capture(WALLED, _at(2020, 5, 1), "200 OK", "Just a moment...", "Checking your browser before access."),
    Capture(SOFT_MISSING, _at(2019, 6, 1), "200 OK", "Council approves tram line", "Work starts in spring."),
    Capture(SOFT_MISSING, _at(2020, 6, 1), "200 OK", "Page not found | Daily Example", "Sorry."),
    Capture(HOSPITAL, _at(2020, 3, 1), "200 OK", "Hospitals add beds before the peak", "Beds were added."),
    Capture(GONE_ARTICLE, _at(2020, 4, 7), "200 OK", html=ARTICLE_HTML),
)

FRESH_CAPTURES: tuple[Capture, ...] = (
    Capture(STORY, _at(2021, 6, 1), "200 OK", "Budget one year on", "What changed since the budget vote."),
    Capture(STORY, _at(2024, 6, 1), "200 OK", "Budget archive", "Every budget story in one place."),
    Capture(HOSPITAL, _at(2020, 4, 2), "200 OK", "Page not found | Daily Example", "Sorry."),
)


def write_warc(path: Path, captures: tuple[Capture, ...] = CAPTURES) -> None:
    with path.open("wb") as output:
        writer = WARCWriter(output, gzip=True)
        for capture in captures:
            body = capture.body()
            headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))]
            record = writer.create_warc_record(
                capture.url,
                "response",
                payload=BytesIO(body),
                http_headers=StatusAndHeaders(
                    capture.status, headers + list(capture.headers), protocol="HTTP/1.1"
                ),
                warc_headers_dict={"WARC-Date": capture.when.strftime("%Y-%m-%dT%H:%M:%SZ")},
            )
            writer.write_record(record)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _venv_tool(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


@dataclass
class PywbServer:
    root: Path
    port: int = 0
    process: subprocess.Popen[bytes] | None = None
    _log_file: BinaryIO | None = None

    def base(self, collection: str = COLLECTION) -> str:
        return f"http://{HOST}:{self.port}/{collection}"

    def provider(
        self, kind: str = "pywb", *, name: str = "local", collection: str = COLLECTION, **extra: object
    ) -> ArchiveProvider:
        """A provider entry pointing at this pywb: the wayback kinds use replay+CDX, memento the TimeGate."""
        base = self.base(collection)
        fields: dict[str, object] = {"name": name, "kind": kind, "replay_url": base, "cdx_url": f"{base}/cdx"}
        if kind == "memento":
            fields = {"name": name, "kind": kind, "timegate_url": base, "timemap_url": f"{base}/timemap/link"}
        fields.update(extra)
        return ArchiveProvider.model_validate(fields)

    @property
    def log(self) -> str:
        log = self.root / "pywb.log"
        return log.read_text(errors="replace") if log.exists() else ""

    def add_collection(self, name: str, captures: tuple[Capture, ...]) -> str:
        """Write and index a collection of `captures`; pywb serves it at once. Returns its base URL."""
        collection = self.root / "collections" / name
        (collection / "archive").mkdir(parents=True)
        (collection / "indexes").mkdir()
        warc = collection / "archive" / "fixtures.warc.gz"
        write_warc(warc, captures)
        index_for_pywb(warc, collection / "indexes")
        return self.base(name)

    def start(self) -> None:
        write_pywb_config(self.root)
        self.add_collection(COLLECTION, CAPTURES)
        self.add_collection(FRESH, FRESH_CAPTURES)
        self.port = _free_port()
        env = {**os.environ, "PYTHONWARNINGS": "ignore"}
        self._log_file = (self.root / "pywb.log").open("wb")
        self.process = subprocess.Popen(
            [_venv_tool("wayback"), "--port", str(self.port), "--bind", HOST, "--threads", "8"],
            cwd=self.root,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            env=env,
        )
        self._wait_until_ready()

    def _wait_until_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        probe = f"{self.base()}/cdx?url={STORY}&limit=1"
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"pywb exited with {self.process.returncode}:\n{self.log}")
            try:
                if httpx.get(probe, timeout=1.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"pywb did not answer within {timeout}s:\n{self.log}")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self._log_file is not None:
            self._log_file.close()
