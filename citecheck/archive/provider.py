"""What every archive provider offers, and the budget each one spends.

A provider answers three questions, each with a result value rather than an exception (an archive that
cannot be reached is a finding too):

* `nearest(url, when)`: the capture closest to a date, through the replay interface, which archives
  allow far more often than their index APIs (the Internet Archive: ~600 replay vs ~30 CDX requests
  a minute).
* `nearest_ok(url, when, exclude)`: the closest capture that answered 2xx, when the nearest one did not
  or was an error page served with 2xx (`exclude`: that capture, and any other with its payload digest).
  Only an index (CDX) can answer this, so providers without one return nothing, and the wayback provider
  only spends CDX budget that is free right now.
* `with_prefix(prefix)`: every archived URL that starts with a truncated one, again an index question.

`ArchiveBudget` holds each provider's limits: a per-minute budget for replay requests and one for index
requests (both from config, below the archive's published ceilings) and a cap on requests in flight.
Every archive request is one request against that budget: the client is told not to retry a 429 or
a 5xx by itself (`NO_RETRY`); a 429 pauses the budget instead.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import Protocol

from ..config import ArchiveProvider
from ..net import NETWORK_FAILURES, Clock, FetchResult, RateBudget, RateLimiter, retry_after_seconds

__all__ = [
    "NO_RETRY",
    "Archive",
    "ArchiveBudget",
    "Capture",
    "Lookup",
    "PrefixLookup",
    "http_date",
    "lookup_problem",
    "parse_http_date",
    "payload_digest",
    "timestamp14",
    "timestamp_datetime",
]

# How long to stop asking an archive that said 429 without saying for how long.
DEFAULT_BACKOFF_SECONDS = 60.0
# `retry_statuses` for archive requests: none. A retry the client sent by itself would be a request the
# archive's rate budget never counted (one budgeted look-up must stay one request).
NO_RETRY: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class Capture:
    """One archived copy (a memento in RFC 7089 terms)."""

    original_url: str
    memento_url: str  # the address a person opens to see the copy
    captured_at: datetime
    http_status: int | None
    raw_url: str | None = None  # the unmodified payload (wayback `id_`), for content matching
    digest: str | None = None  # "sha1:<base32>", the WARC payload digest form
    media_type: str | None = None
    body: bytes | None = None  # payload already read during the lookup
    location: str | None = None  # where an archived redirect pointed
    headers: tuple[tuple[str, str], ...] = ()  # the archived answer's headers, as replayed

    @property
    def is_ok(self) -> bool:
        return self.http_status is not None and 200 <= self.http_status < 300

    @property
    def day(self) -> str:
        return self.captured_at.date().isoformat()


@dataclass(frozen=True, slots=True)
class Lookup:
    """A provider's answer: a capture, nothing (`capture is None`, no error), or why it could not say."""

    capture: Capture | None = None
    error: str | None = None
    unreachable: bool = False  # the archive itself could not be reached (network failure)


@dataclass(frozen=True, slots=True)
class PrefixLookup:
    urls: tuple[str, ...] = ()
    supported: bool = True
    error: str | None = None
    unreachable: bool = False


class Archive(Protocol):
    name: str
    budget: ArchiveBudget

    async def nearest(self, url: str, when: datetime, *, want_body: bool = True) -> Lookup: ...

    async def nearest_ok(
        self, url: str, when: datetime, *, want_body: bool = True, exclude: Capture | None = None
    ) -> Lookup: ...

    async def with_prefix(self, prefix: str) -> PrefixLookup: ...

    async def read(self, capture: Capture) -> bytes | None: ...


class ArchiveBudget:
    """Per-provider limits: replay and index requests per minute, and requests in flight."""

    def __init__(self, provider: ArchiveProvider, clock: Clock | None = None) -> None:
        self.replay: RateBudget = RateLimiter(provider.replay_per_minute, clock)
        self.index: RateBudget = RateLimiter(provider.cdx_per_minute, clock)
        self._in_flight = asyncio.Semaphore(provider.concurrency)

    def share(self, replay: RateBudget, index: RateBudget) -> None:
        """Spend budgets kept elsewhere (a cluster's workers share them) instead of this process's own."""
        self.replay, self.index = replay, index

    @asynccontextmanager
    async def replay_slot(self) -> AsyncIterator[None]:
        await self.replay.acquire()
        async with self._in_flight:
            yield

    @asynccontextmanager
    async def index_slot(self) -> AsyncIterator[None]:
        await self.index.acquire()
        async with self._in_flight:
            yield

    @asynccontextmanager
    async def spare_index_slot(self) -> AsyncIterator[bool]:
        """An index request only if the budget has room now; yields False (and waits for nothing) if not."""
        if not self.index.try_acquire():
            yield False
            return
        async with self._in_flight:
            yield True

    def throttled(self, retry_after: str | None, limiter: RateBudget) -> None:
        """The archive answered 429: stop using this budget for as long as it asked (or a minute)."""
        seconds = retry_after_seconds(retry_after)
        limiter.defer(DEFAULT_BACKOFF_SECONDS if seconds is None else seconds)


def timestamp14(when: datetime) -> str:
    """The 14-digit UTC timestamp wayback-style archives use in URLs and CDX (YYYYMMDDhhmmss)."""
    if when.tzinfo is not None:
        when = when.astimezone(UTC)
    return when.strftime("%Y%m%d%H%M%S")


def timestamp_datetime(stamp: str) -> datetime | None:
    """The datetime of a 4-14 digit wayback timestamp (missing parts are the earliest value)."""
    if not stamp.isdigit() or not 4 <= len(stamp) <= 14:
        return None
    padded = stamp + "0101000000"[len(stamp) - 4 :] if len(stamp) < 14 else stamp
    try:
        return datetime.strptime(padded, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def http_date(when: datetime) -> str:
    """RFC 7231 IMF-fixdate, as Accept-Datetime wants it."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return format_datetime(when.astimezone(UTC), usegmt=True)


def parse_http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def payload_digest(body: bytes) -> str:
    """SHA-1 in base32, the WARC-Payload-Digest form that CDX indexes list (without the prefix)."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def lookup_problem(
    name: str, answer: FetchResult, budget: ArchiveBudget, limiter: RateBudget
) -> Lookup | None:
    """Why an archive's `answer` cannot be used (network failure, 429, server error), or None.

    A 429 also pauses `limiter`, the budget the request was charged to, for as long as the archive asked.
    A 5xx that carries Memento-Datetime is an archived server error, i.e. a capture, not a problem.
    """
    if answer.status_code == 429:
        budget.throttled(answer.header("retry-after"), limiter)
        return Lookup(error=f"{name}: rate limited (HTTP 429)")
    if not answer.answered:
        failure = answer.failure.value if answer.failure else "no answer"
        return Lookup(
            error=f"{name}: unreachable ({answer.detail or failure})",
            unreachable=answer.failure in NETWORK_FAILURES,
        )
    status = answer.status_code or 0
    if status >= 500 and not answer.header("memento-datetime"):
        return Lookup(error=f"{name}: archive answered HTTP {status}")
    return None
