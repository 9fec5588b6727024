"""The one network client of a run: every request citecheck sends goes through `NetClient.fetch`.

In: a URL and what to do with it (method, body cap, whether to follow redirects). Out: a `FetchResult`
that says what the server answered, or which way the attempt failed (`FetchFailure`). Network failures
are results, never exceptions, because to citecheck a dead link is a finding.

What it takes care of, so the stages do not:

* Address policy at every hop. Redirects are followed here, by hand, one hop at a time; before each hop
  the host is resolved and checked by `guard.GuardedResolver`, and the transport connects only to the
  addresses that check validated (see guard.py for why the check sits in the socket layer).
* Limits: `settings.concurrency` requests in flight overall, `settings.per_host` per host.
* Timeouts: connect and read per request, `total_timeout` for the whole URL, redirects and retries
  included; time spent queued for a slot does not count (`_Deadline`).
* A body cap: bodies are streamed and reading stops once `max_bytes` is passed (`too_large`), so a
  multi-gigabyte download or a decompression bomb costs at most the cap.
* Retries with exponential backoff on connection failures and on `retry_statuses` (by default 408,
  429, 502, 503 and 504), honouring Retry-After up to `max_retry_after`; a server asking for a longer
  wait gets its answer reported instead.

Only this module and the transport it sends through (transport.py) import httpx. The transport is the
seam for tests (a recorder can wrap `guarded_transport()`); environment proxies are ignored
(`trust_env=False`) because a proxy would resolve names itself and so bypass the address guard.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import re
import ssl
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from enum import StrEnum
from types import TracebackType

import httpx

from ..config import NetworkSettings
from .decoding import BoundedDecoder
from .guard import (
    AddressPolicy,
    AddressRefused,
    GuardedResolver,
    NameNotResolved,
    Origin,
    origin_of,
)
from .limits import Clock, HostLimits, SystemClock
from .transport import TRUSTED_ORIGINS, guarded_transport

__all__ = ["FetchFailure", "FetchResult", "NetClient", "retry_after_seconds"]

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_HOST_CHARS = re.compile(r"[A-Za-z0-9._\-]+|\[[0-9A-Fa-f:.]+(%[\w.\-]+)?\]|[0-9A-Fa-f:.]+")
_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
# Only codings BoundedDecoder can inflate under the body cap (httpx would also offer br and zstd).
_ACCEPT_ENCODING = "gzip, deflate"
# An unwanted body up to this size is read and dropped, which keeps its keep-alive connection usable.
_SKIP_BODY_BYTES = 65536


class FetchFailure(StrEnum):
    """Why a fetch produced no usable HTTP answer (or an answer we refused to read)."""

    INVALID_URL = "invalid_url"  # not parseable, no host, bad Location header
    REFUSED = "refused"  # address policy or scheme policy; nothing was sent
    DNS = "dns"
    CONNECT = "connect"  # refused, reset or dropped connection
    TLS = "tls"
    TIMEOUT = "timeout"
    TOO_LARGE = "too_large"  # body passed the cap; status and headers are kept
    PROTOCOL = "protocol"  # the server's answer is not valid HTTP
    REDIRECT_LOOP = "redirect_loop"
    TOO_MANY_REDIRECTS = "too_many_redirects"


# Failures that say nothing about the page, only about reaching its server.
NETWORK_FAILURES = frozenset({FetchFailure.DNS, FetchFailure.CONNECT, FetchFailure.TIMEOUT})


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What one URL produced. `status_code` is the last HTTP status seen, even when a later step failed."""

    url: str
    final_url: str
    status_code: int | None = None
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    redirects: tuple[str, ...] = ()  # every hop after the first, in order
    failure: FetchFailure | None = None
    detail: str | None = None
    elapsed: float = 0.0
    attempts: int = 0

    def header(self, name: str) -> str | None:
        return _header(self.headers, name)

    @property
    def answered(self) -> bool:
        """Some server answered in HTTP, which proves this machine can reach the network."""
        return self.status_code is not None

    @property
    def ok(self) -> bool:
        return self.failure is None and self.status_code is not None and 200 <= self.status_code < 300

    @property
    def media_type(self) -> str:
        value = self.header("content-type") or ""
        return value.split(";", 1)[0].strip().lower()


def _header(headers: tuple[tuple[str, str], ...], name: str) -> str | None:
    wanted = name.lower()
    for key, value in headers:
        if key.lower() == wanted:
            return value
    return None


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds (RFC 9110 §10.2.3: delta-seconds or an HTTP date), None if absent/invalid."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


# --------------------------------------------------------------------------------------------------
# The client.


@dataclass(slots=True)
class _Attempt:
    """One request on the wire and what came back."""

    status_code: int | None = None
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    failure: FetchFailure | None = None
    detail: str | None = None
    retryable: bool = False

    def header(self, name: str) -> str | None:
        return _header(self.headers, name)


@dataclass(slots=True)
class _Request:
    """What to send on every hop of one fetch (the method and body may change at a 303)."""

    method: str
    max_bytes: int
    headers: dict[str, str]
    content: bytes | None
    body_types: frozenset[str] | None  # read the body only for these media types; None = always
    retry_statuses: frozenset[int] | tuple[int, ...]  # answers worth another attempt


class _Deadline:
    """`total_timeout` for one fetch, counting only the time it is not queued for a slot.

    The wait for a per-host or global slot is our own queue, not the server's slowness: a link queued
    behind 400 others to one host must not time out before it was ever sent. The clock starts with the
    fetch and stops while the fetch waits for a slot (`HostLimits.slot` pauses and resumes it).
    """

    def __init__(self, scope: asyncio.Timeout, seconds: float) -> None:
        self._scope = scope
        self._left = seconds
        self._since = 0.0
        self.resume()

    def pause(self) -> None:
        self._left -= asyncio.get_running_loop().time() - self._since
        self._scope.reschedule(None)

    def resume(self) -> None:
        self._since = asyncio.get_running_loop().time()
        self._scope.reschedule(self._since + self._left)


@dataclass(slots=True)
class _Progress:
    """Where a fetch had got to, so a total-timeout can still report the hop it died on."""

    current: str
    redirects: list[str] = field(default_factory=list)
    status_code: int | None = None
    attempts: int = 0
    deadline: _Deadline | None = None


class NetClient:
    """One per run; hand the same instance to check/ and archive/ so limits and caches are shared.

    `transport` replaces the guarded production transport (tests wrap `guarded_transport()` to record
    what leaves the process); `clock` replaces real sleeping between retries (tests pass a fake clock
    and assert on the delays asked for).
    """

    def __init__(
        self,
        settings: NetworkSettings,
        transport: httpx.AsyncBaseTransport | None = None,
        *,
        clock: Clock | None = None,
    ) -> None:
        self.settings = settings
        self._requests = [0]  # shared with the views `trusting` makes
        self._trusted: frozenset[Origin] = frozenset()
        self._clock: Clock = clock or SystemClock()
        self._resolver = GuardedResolver(AddressPolicy(settings.allow_private_hosts))
        self._limits = HostLimits(settings.concurrency, settings.per_host)
        self._transport = transport or guarded_transport(settings, self._resolver)
        self._cookies = httpx.Cookies()  # a server may set a cookie and redirect back to the same URL
        self._headers = {
            "User-Agent": settings.user_agent,
            "Accept": _ACCEPT,
            "Accept-Encoding": _ACCEPT_ENCODING,
        }
        timeout = httpx.Timeout(
            connect=settings.connect_timeout,
            read=settings.read_timeout,
            write=settings.read_timeout,
            pool=settings.total_timeout,
        )
        self._timeout = timeout.as_dict()

    @property
    def request_count(self) -> int:
        """Requests sent so far by this client and every view of it."""
        return self._requests[0]

    def trusting(self, urls: Iterable[str]) -> NetClient:
        """A view of this client (same limits, connections and caches) whose requests may also reach the
        origins (host and port) of `urls` whatever their address: an archive provider's own address,
        trusted for that provider's requests without opening it to document links. Redirects elsewhere
        are judged by the address policy as usual."""
        view = copy.copy(self)
        view._trusted = frozenset(origin for origin in map(origin_of, urls) if origin is not None)
        return view

    async def __aenter__(self) -> NetClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        self._resolver.close()
        await self._transport.aclose()

    async def fetch(
        self,
        url: str,
        *,
        method: str = "GET",
        max_bytes: int | None = None,
        follow_redirects: bool = True,
        headers: dict[str, str] | None = None,
        content: bytes | None = None,
        body_types: frozenset[str] | None = None,
        retry_statuses: frozenset[int] | None = None,
    ) -> FetchResult:
        """Fetch `url`; never raises for network failures (they come back in `FetchResult.failure`).

        HEAD requests read no body. `max_bytes` defaults to `settings.max_body_bytes`. With `body_types`,
        a GET keeps the body only when the answer's media type is one of them (a link check wants the
        HTML of a page, not the PDF it links to); other bodies are skipped, and the connection is kept
        when they are short. `retry_statuses` replaces `settings.retry_statuses` for this fetch: an archive
        passes an empty set, because its own rate budget, not a retry here, decides when to ask again.
        """
        started = self._clock.monotonic()
        progress = _Progress(current=url)
        request = _Request(
            method.upper(),
            max_bytes or self.settings.max_body_bytes,
            headers or {},
            content,
            body_types,
            self.settings.retry_statuses if retry_statuses is None else retry_statuses,
        )
        try:
            async with asyncio.timeout(None) as scope:
                progress.deadline = _Deadline(scope, self.settings.total_timeout)
                result = await self._follow(url, progress, request, follow_redirects)
        except TimeoutError:
            result = FetchResult(
                url=url,
                final_url=progress.current,
                status_code=progress.status_code,
                redirects=tuple(progress.redirects),
                failure=FetchFailure.TIMEOUT,
                detail=f"no complete answer within total_timeout ({self.settings.total_timeout:g}s)",
                attempts=progress.attempts,
            )
        return replace(result, elapsed=self._clock.monotonic() - started, attempts=progress.attempts)

    async def _follow(
        self, url: str, progress: _Progress, request: _Request, follow_redirects: bool
    ) -> FetchResult:
        visits: dict[str, int] = {}
        current = url
        while True:
            progress.current = current
            target, problem = self._parse(current)
            if problem is not None:
                return self._result(url, progress, failure=problem[0], detail=problem[1])
            assert target is not None
            progress.current = str(target)  # the address as sent: normalised, without its fragment
            refusal = await self._admit(target)
            if refusal is not None:
                return self._result(url, progress, failure=refusal[0], detail=refusal[1])
            target_text = str(target)
            visits[target_text] = visits.get(target_text, 0) + 1

            attempt = await self._send_with_retries(target, progress, request)
            if attempt.status_code is not None:
                progress.status_code = attempt.status_code
            location = attempt.header("location")
            if (
                attempt.failure is not None
                or not follow_redirects
                or attempt.status_code not in REDIRECT_STATUSES
                or not location
            ):
                return self._result(url, progress, attempt)

            try:
                next_url = target.join(location.strip())
            except (httpx.InvalidURL, ValueError, UnicodeError):
                return self._result(
                    url, progress, attempt, FetchFailure.INVALID_URL, f"unusable Location: {location!r}"
                )
            next_text = str(next_url.copy_with(fragment=None))
            progress.redirects.append(next_text)
            # A server may bounce a client once through the same URL to set a cookie; a second return
            # (or a return without a new cookie) is a loop.
            sets_cookie = any(k.lower() == "set-cookie" for k, _ in attempt.headers)
            seen = visits.get(next_text, 0)
            if seen >= 2 or (seen == 1 and not sets_cookie):
                progress.current = next_text
                return self._result(
                    url, progress, attempt, FetchFailure.REDIRECT_LOOP, f"redirect loop back to {next_text}"
                )
            if len(progress.redirects) > self.settings.max_redirects:
                progress.current = next_text
                return self._result(
                    url,
                    progress,
                    attempt,
                    FetchFailure.TOO_MANY_REDIRECTS,
                    f"more than {self.settings.max_redirects} redirects",
                )
            if attempt.status_code == 303 or (attempt.status_code in (301, 302) and request.method == "POST"):
                request.method = "GET" if request.method != "HEAD" else "HEAD"
                request.content = None
            current = next_text

    def _result(
        self,
        url: str,
        progress: _Progress,
        attempt: _Attempt | None = None,
        failure: FetchFailure | None = None,
        detail: str | None = None,
    ) -> FetchResult:
        return FetchResult(
            url=url,
            final_url=progress.current,
            status_code=progress.status_code,
            headers=attempt.headers if attempt else (),
            body=attempt.body if attempt else b"",
            redirects=tuple(progress.redirects),
            failure=failure or (attempt.failure if attempt else None),
            detail=detail or (attempt.detail if attempt else None),
            attempts=progress.attempts,
        )

    def _parse(self, text: str) -> tuple[httpx.URL | None, tuple[FetchFailure, str] | None]:
        try:
            target = httpx.URL(text)
        except (httpx.InvalidURL, ValueError, UnicodeError) as exc:
            return None, (FetchFailure.INVALID_URL, f"cannot parse URL: {exc}")
        if target.scheme not in ("http", "https"):
            return None, (FetchFailure.REFUSED, f"scheme {target.scheme or '(none)'!r} is not fetched")
        if not target.host:
            return None, (FetchFailure.INVALID_URL, "URL has no host")
        if not _HOST_CHARS.fullmatch(target.raw_host.decode("ascii", "replace")):
            # httpx percent-encodes what it cannot parse ("exa mple.com" -> "exa%20mple.com"); such a
            # name is not a host name, and asking DNS about it would only leak the typo
            return None, (FetchFailure.INVALID_URL, f"not a valid host name: {target.host!r}")
        return (target.copy_with(fragment=None) if "#" in text else target), None

    async def _admit(self, target: httpx.URL) -> tuple[FetchFailure, str] | None:
        """Pre-flight address check, so refusals and DNS failures are classified before any send."""
        try:
            async with asyncio.timeout(self.settings.connect_timeout):
                await self._resolver.resolve(target.host, _port(target), self._trusted)
        except AddressRefused as exc:
            return FetchFailure.REFUSED, f"address policy: {exc}"
        except NameNotResolved as exc:
            return FetchFailure.DNS, str(exc)
        except TimeoutError:
            return FetchFailure.TIMEOUT, f"{target.host}: name lookup timed out"
        return None

    async def _send_with_retries(self, target: httpx.URL, progress: _Progress, request: _Request) -> _Attempt:
        host_key = f"{target.host}:{target.port or (443 if target.scheme == 'https' else 80)}"
        attempt_number = 0
        while True:
            async with self._limits.slot(host_key, progress.deadline):
                progress.attempts += 1
                self._requests[0] += 1
                attempt = await self._send_once(target, progress, request)
            if not attempt.retryable or attempt_number >= self.settings.retries:
                return attempt
            delay = self.settings.backoff_seconds * (2**attempt_number)
            if attempt.status_code is not None:
                asked = retry_after_seconds(attempt.header("retry-after"))
                if asked is not None:
                    if asked > self.settings.max_retry_after:
                        attempt.detail = (
                            f"HTTP {attempt.status_code}: Retry-After {asked:g}s exceeds "
                            f"max_retry_after ({self.settings.max_retry_after:g}s)"
                        )
                        return attempt
                    delay = asked
            attempt_number += 1
            await self._clock.sleep(delay)

    async def _send_once(self, target: httpx.URL, progress: _Progress, request: _Request) -> _Attempt:
        outgoing = httpx.Request(
            request.method,
            target,
            headers=self._headers_for(request),
            content=request.content,
            extensions={"timeout": self._timeout, TRUSTED_ORIGINS: self._trusted},
        )
        try:
            # Straight to the transport: httpx's client layers (auth, redirects, hooks) are unused here
            # and cost a fifth of the CPU time of a link check; cookies are kept as the client would,
            # but only looked at when there are some (the cookie jar's parsing costs a tenth more).
            if self._cookies:
                self._cookies.set_cookie_header(outgoing)
            response = await self._transport.handle_async_request(outgoing)
            response.request = outgoing
            if "set-cookie" in response.headers:
                self._cookies.extract_cookies(response)
        except httpx.HTTPError as exc:
            failure, detail, retryable = _describe_error(exc)
            return _Attempt(failure=failure, detail=detail, retryable=retryable)
        progress.status_code = response.status_code  # known now, even if the body never completes
        try:
            attempt = _Attempt(
                status_code=response.status_code,
                headers=tuple((k, v) for k, v in response.headers.multi_items()),
                retryable=response.status_code in request.retry_statuses,
            )
            if request.method == "HEAD":
                # No body, but httpcore keeps the connection only once the message has been read to its end.
                with contextlib.suppress(httpx.HTTPError):
                    await response.aread()
                return attempt
            media_type = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
            if request.body_types is not None and media_type not in request.body_types:
                await _skip_body(response)
                return attempt
            await self._read_body(response, attempt, request.max_bytes)
            return attempt
        finally:
            await response.aclose()

    def _headers_for(self, request: _Request) -> httpx.Headers | dict[str, str]:
        if not request.headers:
            return self._headers
        merged = httpx.Headers(self._headers)
        merged.update(request.headers)  # case-insensitive: a caller's "accept" replaces "Accept"
        return merged

    async def _read_body(self, response: httpx.Response, attempt: _Attempt, cap: int) -> None:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            attempt.failure, attempt.retryable = FetchFailure.TOO_LARGE, False
            attempt.detail = f"Content-Length {declared} exceeds the {cap}-byte cap"
            return
        decoder = BoundedDecoder(response.headers.get("content-encoding", ""))
        chunks: list[bytes] = []
        size = 0
        try:
            async for raw in response.aiter_raw():
                chunk = decoder.decode(raw, cap + 1 - size)
                size += len(chunk)
                chunks.append(chunk)
                if size > cap:
                    attempt.failure, attempt.retryable = FetchFailure.TOO_LARGE, False
                    attempt.detail = f"body passed the {cap}-byte cap; stopped reading"
                    break
        except httpx.HTTPError as exc:
            attempt.failure, attempt.detail, attempt.retryable = _describe_error(exc)
            attempt.detail = f"while reading the body: {attempt.detail}"
        except zlib.error as exc:
            attempt.failure, attempt.retryable = FetchFailure.PROTOCOL, False
            attempt.detail = f"while reading the body: not valid {decoder.encoding} data: {exc}"
        attempt.body = b"".join(chunks)[:cap]


async def _skip_body(response: httpx.Response) -> None:
    """Read a short unwanted body to its end so the connection can serve the next request; drop the
    connection instead (by closing the response early) when the body is long."""
    declared = response.headers.get("content-length", "")
    if not declared.isdigit() or int(declared) > _SKIP_BODY_BYTES:
        return
    with contextlib.suppress(httpx.HTTPError):
        read = 0
        async for raw in response.aiter_raw():
            read += len(raw)
            if read > _SKIP_BODY_BYTES:
                return


def _port(url: httpx.URL) -> int:
    return url.port or (443 if url.scheme == "https" else 80)


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _describe_error(exc: httpx.HTTPError) -> tuple[FetchFailure, str, bool]:
    """Map an httpx error to (failure, detail, retryable), looking through the cause chain."""
    for cause in _causes(exc):
        if isinstance(cause, AddressRefused):
            return FetchFailure.REFUSED, f"address policy: {cause}", False
        if isinstance(cause, NameNotResolved):
            return FetchFailure.DNS, str(cause), False
        if isinstance(cause, ssl.SSLError | ssl.CertificateError):
            return FetchFailure.TLS, f"TLS: {cause}", False
    message = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.ConnectTimeout):
        return FetchFailure.TIMEOUT, f"connect timeout: {message}", True
    if isinstance(exc, httpx.TimeoutException):
        # read/write timeouts are not retried: each would cost another full read_timeout
        return FetchFailure.TIMEOUT, f"{type(exc).__name__}: {message}", False
    if isinstance(exc, httpx.ConnectError | httpx.ReadError | httpx.WriteError):
        return FetchFailure.CONNECT, message, True
    if isinstance(exc, httpx.UnsupportedProtocol):
        return FetchFailure.INVALID_URL, message, False
    if isinstance(exc, httpx.RemoteProtocolError) and "without sending a response" in message:
        # the connection closed before any response: a connection failure, worth one more try
        return FetchFailure.CONNECT, message, True
    return FetchFailure.PROTOCOL, f"invalid HTTP response: {message}", False
