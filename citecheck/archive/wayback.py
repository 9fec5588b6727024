"""Wayback-style archives: the Internet Archive's Wayback Machine, and anything that speaks its URLs.

Finding the capture nearest a date goes through the replay path, not the CDX index:
``<replay_url>/<YYYYMMDDhhmmss>id_/<url>`` answers with a redirect to the nearest capture's own
timestamp (or the capture itself if the timestamp is exact), and 404 when the archive holds none. The
Internet Archive allows roughly 600 replay requests a minute but only about 30 CDX or TimeMap
requests, and replay also hands back the payload for content matching in the same request. ``id_``
asks for the archived bytes without the archive's link rewriting or banner.

How an answer is read:

* ``Memento-Datetime`` present: this is a capture. Its HTTP status is the archived status (a captured
  404 replays as 404), reported as such; `find_snapshots` then prefers a 2xx capture if one exists.
* no ``Memento-Datetime`` and a redirect inside the archive: the archive is moving us to the exact
  timestamp; follow it (a few hops at most).
* no ``Memento-Datetime`` and 404: no capture at all.

The CDX API is used only for what replay cannot do: a prefix query (``matchType=prefix``) that recovers
the full address of a URL the document cut short, and a search for the nearest 2xx capture when the
nearest one is an error, the latter only when the CDX budget has room at that moment.

The CDX dialect is a class attribute because servers differ: the Internet Archive filters with
``statuscode:2..`` (a regular expression), pywb with ``~status:2`` (its ``~`` marks a regex; without it
the value is matched as a substring). Field lists (`fl`) differ too (``original``/``statuscode`` against
``url``/``status``, and pywb silently drops names it does not know), so none is sent: every server's
default fields carry what we read. Both JSON outputs (the IA's array of arrays with a header row, pywb's
one object per line) are read by `parse_cdx`, and the rows are filtered and sorted again here, so a
`kind: wayback` provider pointed at a pywb works too, only with a few more rows to read. An answer in
which no row can be read is reported as not understood, never as "nothing archived".

Save Page Now (`request_save_page_now`) asks the Internet Archive to capture a page. It needs an
account's S3-style keys, is off unless configured, and is never called by the tests.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from datetime import datetime
from urllib.parse import urlencode, urljoin

from ..config import ArchiveProvider, SavePageNow
from ..net import Clock, FetchResult, NetClient
from ..safe_urls import has_dot_segments, inside_prefix, without_userinfo
from .memento import original_from_links
from .provider import (
    NO_RETRY,
    ArchiveBudget,
    Capture,
    Lookup,
    PrefixLookup,
    lookup_problem,
    parse_http_date,
    payload_digest,
    timestamp14,
    timestamp_datetime,
)

__all__ = [
    "WAYBACK_CDX",
    "CdxDialect",
    "CdxRow",
    "SaveRequest",
    "WaybackArchive",
    "parse_cdx",
    "request_save_page_now",
    "usable_prefix",
]

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_MAX_ARCHIVE_HOPS = 5
_CLOSEST_ROWS = 25
_PREFIX_ROWS = 200
_STAMP = re.compile(r"(\d{4,14})(?:[a-z]{2}_)?")
_PARTIAL_ESCAPE = re.compile(r"%[0-9A-Fa-f]?$")


@dataclass(frozen=True, slots=True)
class CdxDialect:
    ok_status_filter: str  # the `filter=` value selecting 2xx captures
    prefix_params: tuple[tuple[str, str], ...] = ()


WAYBACK_CDX = CdxDialect(
    ok_status_filter="statuscode:2..",
    prefix_params=(("collapse", "urlkey"),),  # one row per distinct URL
)


@dataclass(frozen=True, slots=True)
class CdxRow:
    url: str
    timestamp: str
    status: int | None
    digest: str | None
    media_type: str | None

    @property
    def captured_at(self) -> datetime | None:
        return timestamp_datetime(self.timestamp)


_FIELD_NAMES = {
    "original": "url",
    "url": "url",
    "timestamp": "timestamp",
    "statuscode": "status",
    "status": "status",
    "digest": "digest",
    "mimetype": "mime",
    "mime": "mime",
}
# The Internet Archive's plain-text column order when `fl` is not given.
_DEFAULT_COLUMNS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length")


def parse_cdx(body: bytes) -> list[CdxRow]:
    """Rows of a CDX answer in any of the common shapes: JSON array, NDJSON, CDXJ or plain text."""
    text = body.decode("utf-8", "replace").strip()
    if not text:
        return []
    records: list[dict[str, str]] = []
    if text.startswith("["):
        try:
            table = json.loads(text)
        except ValueError:
            return []
        if table and isinstance(table[0], list):
            header = [str(name) for name in table[0]]
            records = [dict(zip(header, map(str, row), strict=False)) for row in table[1:] if len(row) > 1]
    else:
        for line in text.splitlines():
            line = line.strip()
            if line.startswith("{"):
                records.append(_json_record(line))
            elif " {" in line:  # CDXJ: "<surt> <timestamp> {json}"
                surt_and_stamp, _, payload = line.partition(" {")
                record = _json_record("{" + payload)
                record.setdefault("timestamp", surt_and_stamp.split()[-1])
                records.append(record)
            elif line:
                records.append(dict(zip(_DEFAULT_COLUMNS, line.split(), strict=False)))
    return [row for row in map(_row, records) if row is not None]


def _json_record(line: str) -> dict[str, str]:
    try:
        value = json.loads(line)
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def _row(record: dict[str, str]) -> CdxRow | None:
    fields = {_FIELD_NAMES[k]: v for k, v in record.items() if k in _FIELD_NAMES}
    if not fields.get("url") or not fields.get("timestamp"):
        return None
    status = fields.get("status", "")
    digest = fields.get("digest") or None
    return CdxRow(
        url=fields["url"],
        timestamp=fields["timestamp"],
        status=int(status) if status.isdigit() else None,
        digest=(digest if digest is None or ":" in digest else f"sha1:{digest}"),
        media_type=fields.get("mime") or None,
    )


def usable_prefix(truncated: str) -> str:
    """The truncated URL without a dangling half percent-escape ("%E2%8"), which indexes would mangle."""
    return _PARTIAL_ESCAPE.sub("", truncated)


class WaybackArchive:
    """A `kind: wayback` provider: replay at `replay_url`, index at `cdx_url`."""

    dialect: CdxDialect = WAYBACK_CDX

    def __init__(self, provider: ArchiveProvider, client: NetClient, clock: Clock | None = None) -> None:
        self.name = provider.name
        self._client = client
        self._replay = provider.replay_url.rstrip("/") if provider.replay_url else None
        self._cdx = provider.cdx_url or self._default_cdx_url()
        self.budget = ArchiveBudget(provider, clock)

    def _default_cdx_url(self) -> str | None:
        return None

    def replay_address(self, url: str, stamp: str, *, raw: bool = True) -> str:
        """``<replay>/<stamp>id_/<url>`` (raw payload) or ``<replay>/<stamp>/<url>`` (for people)."""
        return f"{self._replay}/{stamp}{'id_' if raw else ''}/{inside_prefix(url)}"

    async def nearest(self, url: str, when: datetime, *, want_body: bool = True) -> Lookup:
        if self._replay is None:
            return Lookup(error=f"{self.name}: no replay_url configured")
        target = self.replay_address(url, timestamp14(when))
        for _hop in range(_MAX_ARCHIVE_HOPS):
            async with self.budget.replay_slot():
                answer = await self._client.fetch(
                    target,
                    method="GET" if want_body else "HEAD",
                    follow_redirects=False,
                    retry_statuses=NO_RETRY,
                )
            problem = lookup_problem(self.name, answer, self.budget, self.budget.replay)
            if problem is not None:
                return problem
            memento_datetime = parse_http_date(answer.header("memento-datetime"))
            location = answer.header("location")
            if memento_datetime is None and answer.status_code in _REDIRECTS and location:
                target = urljoin(target, location.strip())
                if not target.startswith(f"{self._replay}/") or has_dot_segments(target):
                    return Lookup(error=f"{self.name}: replay redirected outside the archive to {target}")
                continue
            if memento_datetime is None and answer.status_code == 404:
                return Lookup()
            if memento_datetime is None:
                # a memento says when it was captured (RFC 7089 §2.1.1); anything else is some other page
                return Lookup(
                    error=f"{self.name}: {answer.final_url} answered HTTP {answer.status_code} "
                    "without Memento-Datetime, so it is not an archived copy"
                )
            return self._capture(url, answer.final_url, answer, memento_datetime)
        return Lookup(error=f"{self.name}: more than {_MAX_ARCHIVE_HOPS} redirects inside the archive")

    def _capture(
        self, url: str, target: str, answer: FetchResult, memento_datetime: datetime | None
    ) -> Lookup:
        stamp, original = self._split_replay_address(target)
        captured_at = memento_datetime or (timestamp_datetime(stamp) if stamp else None)
        if captured_at is None or stamp is None:
            return Lookup(error=f"{self.name}: cannot tell when {target} was captured")
        original = original_from_links(answer) or original or url
        body = answer.body if answer.ok and answer.body else None
        return Lookup(
            Capture(
                original_url=original,
                memento_url=self.replay_address(original, stamp, raw=False),
                captured_at=captured_at,
                http_status=answer.status_code,
                raw_url=target,
                digest=payload_digest(body) if body is not None else None,
                media_type=answer.media_type or None,
                body=body,
                location=answer.header("location"),
                headers=answer.headers,
            )
        )

    def _split_replay_address(self, target: str) -> tuple[str | None, str | None]:
        rest = target[len(f"{self._replay}/") :]
        head, _, original = rest.partition("/")
        match = _STAMP.fullmatch(head)
        return (match.group(1) if match else None), (original or None)

    async def nearest_ok(
        self, url: str, when: datetime, *, want_body: bool = True, exclude: Capture | None = None
    ) -> Lookup:
        if self._cdx is None:
            return Lookup()
        stamp = timestamp14(when)
        params = [
            ("url", without_userinfo(url)),
            ("output", "json"),
            ("filter", self.dialect.ok_status_filter),
            ("closest", stamp),
            ("sort", "closest"),
            ("limit", str(_CLOSEST_ROWS)),
        ]
        async with self.budget.spare_index_slot() as granted:
            if not granted:
                return Lookup(error=f"{self.name}: CDX budget spent; did not look for a 2xx capture")
            answer = await self._client.fetch(f"{self._cdx}?{urlencode(params)}", retry_statuses=NO_RETRY)
        problem = lookup_problem(self.name, answer, self.budget, self.budget.index)
        if problem is not None:
            return problem
        if not answer.ok:
            return Lookup()
        # filter and sort again here: a server that ignores `filter` or `sort` must not mislead us
        rows = [row for row in parse_cdx(answer.body) if row.status and 200 <= row.status < 300]
        if exclude is not None:  # an error page served with 2xx, and its identical recaptures
            rows = [
                row
                for row in rows
                if row.timestamp != timestamp14(exclude.captured_at)
                and (exclude.digest is None or row.digest != exclude.digest)
            ]
        dated = [(row, row.captured_at) for row in rows if row.captured_at is not None]
        if not dated:
            return Lookup()
        best, _ = min(dated, key=lambda pair: abs((pair[1] - when).total_seconds()))
        found = await self.nearest(best.url, best.captured_at or when, want_body=want_body)
        if found.capture is not None and found.capture.digest is None and best.digest:
            return Lookup(replace(found.capture, digest=best.digest))
        return found

    async def with_prefix(self, prefix: str) -> PrefixLookup:
        if self._cdx is None:
            return PrefixLookup(supported=False)
        params = [
            ("url", usable_prefix(without_userinfo(prefix))),
            ("matchType", "prefix"),
            ("output", "json"),
            ("limit", str(_PREFIX_ROWS)),
            *self.dialect.prefix_params,
        ]
        async with self.budget.index_slot():
            answer = await self._client.fetch(f"{self._cdx}?{urlencode(params)}", retry_statuses=NO_RETRY)
        problem = lookup_problem(self.name, answer, self.budget, self.budget.index)
        if problem is not None:
            return PrefixLookup(error=problem.error, unreachable=problem.unreachable)
        if not answer.ok:
            return PrefixLookup(error=f"{self.name}: CDX answered HTTP {answer.status_code}")
        rows = parse_cdx(answer.body)
        if not rows and answer.body.strip():
            return PrefixLookup(error=f"{self.name}: CDX answer not understood (no row names a URL)")
        urls = list(dict.fromkeys(row.url for row in rows))
        return PrefixLookup(urls=tuple(urls))

    async def read(self, capture: Capture) -> bytes | None:
        if capture.body is not None:
            return capture.body
        async with self.budget.replay_slot():
            answer = await self._client.fetch(
                capture.raw_url or capture.memento_url, follow_redirects=False, retry_statuses=NO_RETRY
            )
        return answer.body if answer.ok else None


@dataclass(frozen=True, slots=True)
class SaveRequest:
    url: str
    job_id: str | None = None
    error: str | None = None


async def request_save_page_now(url: str, client: NetClient, settings: SavePageNow) -> SaveRequest | None:
    """Ask Save Page Now (SPN2) to capture `url`; None when the feature is off or has no credentials.

    SPN2 takes a form POST with ``Authorization: LOW <access>:<secret>`` and answers with a job id to
    poll; citecheck only records the id, the capture appears in the archive minutes later.
    """
    keys = settings.keys()
    if not settings.enabled or keys is None:
        return None
    access_key, secret_key = keys
    answer = await client.trusting([settings.endpoint]).fetch(
        settings.endpoint,
        method="POST",
        follow_redirects=False,
        headers={
            "Accept": "application/json",
            "Authorization": f"LOW {access_key}:{secret_key}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        content=urlencode({"url": without_userinfo(url)}).encode("ascii"),
    )
    if not answer.ok:
        return SaveRequest(url, error=answer.detail or f"Save Page Now answered HTTP {answer.status_code}")
    try:
        reply = json.loads(answer.body)
    except ValueError:
        return SaveRequest(url, error="Save Page Now answered with something other than JSON")
    if isinstance(reply, dict) and reply.get("job_id"):
        return SaveRequest(url, job_id=str(reply["job_id"]))
    message = reply.get("message") if isinstance(reply, dict) else None
    return SaveRequest(url, error=str(message or "Save Page Now returned no job id"))
