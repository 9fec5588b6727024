"""Any Memento archive (RFC 7089): datetime negotiation through a TimeGate, or a TimeMap as fallback.

TimeGate (`timegate_url` + "/" + URL, with `Accept-Datetime`): the archive answers with a redirect to the
memento nearest that date (RFC 7089 §4.1, pattern 2.1), or serves it directly with `Memento-Datetime` and
`Content-Location` (pattern 2.2 and the "URI-R = URI-G" patterns). The memento's own `Memento-Datetime`
header is the authority on when it was captured; the TimeGate's `Link: <...>; rel="memento";
datetime="..."` entry is used if the memento does not say.

TimeMap (`timemap_url` + "/" + URL, `application/link-format`): the list of every memento; the nearest one
is chosen locally. TimeMaps are index queries (the Internet Archive counts them against the same small
budget as CDX), so they are used only when no TimeGate is configured.

Memento has no prefix search and no status filter, so `with_prefix` is unsupported and `nearest_ok`
returns nothing: both are CDX features (see wayback.py).

The link-format parser here (RFC 8288 §3 syntax) is shared with the wayback provider, which reads the
`rel="original"` link pywb and the Wayback Machine send with each memento.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin

from ..config import ArchiveProvider
from ..net import Clock, FetchResult, NetClient
from ..safe_urls import inside_prefix
from .provider import (
    NO_RETRY,
    ArchiveBudget,
    Capture,
    Lookup,
    PrefixLookup,
    http_date,
    lookup_problem,
    parse_http_date,
    payload_digest,
)

__all__ = ["Link", "MementoArchive", "nearest_memento", "original_from_links", "parse_link_format"]

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_LINK = re.compile(
    r"""\s*<(?P<target>[^>]*)>(?P<params>(?:\s*;\s*[^;,"=\s]+(?:\s*=\s*(?:"(?:[^"\\]|\\.)*"|[^;,\s]*))?)*)\s*,?""",
    re.VERBOSE,
)
_PARAM = re.compile(
    r"""\s*;\s*(?P<name>[^;,"=\s]+)(?:\s*=\s*(?:"(?P<quoted>(?:[^"\\]|\\.)*)"|(?P<token>[^;,\s]*)))?"""
)


@dataclass(frozen=True, slots=True)
class Link:
    target: str
    params: dict[str, str]

    @property
    def rels(self) -> tuple[str, ...]:
        return tuple(self.params.get("rel", "").lower().split())

    @property
    def datetime(self) -> datetime | None:
        return parse_http_date(self.params.get("datetime"))


def parse_link_format(text: str) -> list[Link]:
    """Links from a Link header or an application/link-format body. Unparseable stretches are skipped."""
    links: list[Link] = []
    position = 0
    while position < len(text):
        match = _LINK.match(text, position)
        if match is None or match.end() == position:
            next_start = text.find("<", position + 1)
            if next_start < 0:
                break
            position = next_start
            continue
        params: dict[str, str] = {}
        for param in _PARAM.finditer(match.group("params")):
            value = param.group("quoted")
            value = value.replace('\\"', '"') if value is not None else (param.group("token") or "")
            params.setdefault(param.group("name").lower(), value)
        links.append(Link(match.group("target"), params))
        position = match.end()
    return links


def nearest_memento(links: list[Link], when: datetime) -> Link | None:
    """The memento link closest in time to `when`; on a tie, the earlier one (it existed at that date)."""
    dated = [
        (link, moment) for link in links if "memento" in link.rels and (moment := link.datetime) is not None
    ]
    if not dated:
        return None
    link, _moment = min(dated, key=lambda pair: (abs((pair[1] - when).total_seconds()), pair[1]))
    return link


def original_from_links(result: FetchResult) -> str | None:
    for link in parse_link_format(result.header("link") or ""):
        if "original" in link.rels:
            return link.target
    return None


class MementoArchive:
    """A TimeGate/TimeMap archive from config (`kind: memento`)."""

    def __init__(self, provider: ArchiveProvider, client: NetClient, clock: Clock | None = None) -> None:
        self.name = provider.name
        self._provider = provider
        self._client = client
        self.budget = ArchiveBudget(provider, clock)

    async def nearest(self, url: str, when: datetime, *, want_body: bool = True) -> Lookup:
        if self._provider.timegate_url:
            return await self._via_timegate(self._provider.timegate_url, url, when, want_body)
        if self._provider.timemap_url:
            return await self._via_timemap(self._provider.timemap_url, url, when, want_body)
        return Lookup(error=f"{self.name}: neither timegate_url nor timemap_url is configured")

    async def nearest_ok(
        self, url: str, when: datetime, *, want_body: bool = True, exclude: Capture | None = None
    ) -> Lookup:
        return Lookup()

    async def with_prefix(self, prefix: str) -> PrefixLookup:
        return PrefixLookup(supported=False)

    async def read(self, capture: Capture) -> bytes | None:
        if capture.body is not None:
            return capture.body
        async with self.budget.replay_slot():
            result = await self._client.fetch(capture.raw_url or capture.memento_url, retry_statuses=NO_RETRY)
        return result.body if result.ok else None

    async def _via_timegate(self, timegate_url: str, url: str, when: datetime, want_body: bool) -> Lookup:
        gate = f"{timegate_url.rstrip('/')}/{inside_prefix(url)}"
        async with self.budget.replay_slot():
            answer = await self._client.fetch(
                gate,
                method="GET" if want_body else "HEAD",
                follow_redirects=False,
                headers={"Accept-Datetime": http_date(when)},
                retry_statuses=NO_RETRY,
            )
        problem = lookup_problem(self.name, answer, self.budget, self.budget.replay)
        if problem is not None:
            return problem
        if answer.header("memento-datetime"):  # the TimeGate served the memento itself
            return Lookup(self._capture(url, answer, answer.header("content-location") or gate, None))
        location = answer.header("location")
        if answer.status_code in _REDIRECTS and location:
            memento_url = str(_join(gate, location))
            announced = next(
                (
                    link.datetime
                    for link in parse_link_format(answer.header("link") or "")
                    if "memento" in link.rels and link.target == memento_url
                ),
                None,
            )
            return await self._read_memento(url, memento_url, announced, want_body)
        if answer.status_code == 404:
            return Lookup()
        return Lookup(error=f"{self.name}: TimeGate answered HTTP {answer.status_code}")

    async def _via_timemap(self, timemap_url: str, url: str, when: datetime, want_body: bool) -> Lookup:
        timemap = f"{timemap_url.rstrip('/')}/{inside_prefix(url)}"
        async with self.budget.index_slot():
            answer = await self._client.fetch(timemap, retry_statuses=NO_RETRY)
        problem = lookup_problem(self.name, answer, self.budget, self.budget.index)
        if problem is not None:
            return problem
        if answer.status_code == 404:
            return Lookup()
        if not answer.ok:
            return Lookup(error=f"{self.name}: TimeMap answered HTTP {answer.status_code}")
        chosen = nearest_memento(parse_link_format(answer.body.decode("utf-8", "replace")), when)
        if chosen is None:
            return Lookup()
        return await self._read_memento(url, chosen.target, chosen.datetime, want_body)

    async def _read_memento(
        self, url: str, memento_url: str, announced: datetime | None, want_body: bool
    ) -> Lookup:
        async with self.budget.replay_slot():
            memento = await self._client.fetch(
                memento_url,
                method="GET" if want_body else "HEAD",
                follow_redirects=False,
                retry_statuses=NO_RETRY,
            )
        problem = lookup_problem(self.name, memento, self.budget, self.budget.replay)
        if problem is not None:
            return problem
        capture = self._capture(url, memento, memento_url, announced)
        if capture is None:
            return Lookup(error=f"{self.name}: {memento_url} carries no Memento-Datetime")
        return Lookup(capture)

    def _capture(
        self, url: str, memento: FetchResult, memento_url: str, announced: datetime | None
    ) -> Capture | None:
        captured_at = parse_http_date(memento.header("memento-datetime")) or announced
        if captured_at is None:
            return None
        body = memento.body if memento.ok and memento.body else None
        return Capture(
            original_url=original_from_links(memento) or url,
            memento_url=memento_url,
            captured_at=captured_at,
            http_status=memento.status_code,
            raw_url=memento_url,
            digest=payload_digest(body) if body is not None else None,
            media_type=memento.media_type or None,
            body=body,
            location=memento.header("location"),
            headers=memento.headers,
        )


def _join(base: str, location: str) -> str:
    return urljoin(base, location.strip())
