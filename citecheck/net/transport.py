"""The production transport: httpx's transport interface over keep-alive HTTP/1.1 connections whose
sockets are opened by the address guard.

httpx's own transport does not let a caller choose httpcore's network backend, so `_GuardedTransport`
does the small amount of translation it does (httpx request -> httpcore request, errors -> httpx
errors) and keeps its own connections per origin. Requests reach it from `NetClient`, which has already
resolved and checked the host (guard.py), capped the requests in flight (limits.py) and will read the
body under its cap; the transport connects through `GuardedNetworkBackend` to the validated addresses
only, honouring the origins a request may reach whatever their address (`TRUSTED_ORIGINS`).

Why a pool of its own and not a library's (measured for #19): httpcore's own
`AsyncConnectionPool` over the same guarded backend spends most of a link check's CPU time on its
bookkeeping (a queue of waiting requests, a scan of every connection, locks and cancellation shields
around each step: 5.4 against 0.6 ms per request in one alternating run); aiohttp's pool
(bench/aiohttp_transport.py, in bench/targets.py's runs) takes about a fifth less CPU per request on
uvloop, but importing aiohttp
costs 0.12 s, which a run earns back only after about 900 requests, and most documents cite tens.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections import OrderedDict
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import cast

import httpcore
import httpx

from ..config import NetworkSettings
from .guard import AddressPolicy, AddressRefused, GuardedNetworkBackend, GuardedResolver, NameNotResolved

__all__ = ["TRUSTED_ORIGINS", "guarded_transport"]

# The request extension carrying the origins a request may reach whatever their address (NetClient.trusting).
TRUSTED_ORIGINS = "citecheck_trusted_origins"
# How long an idle keep-alive connection is kept for reuse.
_KEEPALIVE_SECONDS = 5.0


_CORE_ERRORS: tuple[tuple[type[Exception], type[httpx.HTTPError]], ...] = (
    # most specific first
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.ProtocolError, httpx.ProtocolError),
    (AddressRefused, httpx.ConnectError),
    (NameNotResolved, httpx.ConnectError),
)


@contextlib.contextmanager
def _as_httpx_errors() -> Iterator[None]:
    """httpx's contract for transports: raise httpx exceptions, keep the original as the cause."""
    try:
        yield
    except Exception as exc:
        for core_type, httpx_type in _CORE_ERRORS:
            if isinstance(exc, core_type):
                raise httpx_type(str(exc)) from exc
        raise


class _CoreResponseStream(httpx.AsyncByteStream):
    def __init__(
        self, stream: Iterable[bytes] | AsyncIterable[bytes], on_close: Callable[[], Awaitable[None]]
    ) -> None:
        self._stream = stream
        self._on_close: Callable[[], Awaitable[None]] | None = on_close

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with _as_httpx_errors():
            async for part in cast(AsyncIterable[bytes], self._stream):
                yield part

    async def aclose(self) -> None:
        try:
            close = getattr(self._stream, "aclose", None)
            if close is not None:
                await close()
        finally:
            if self._on_close is not None:
                on_close, self._on_close = self._on_close, None
                await on_close()


@dataclass(slots=True)
class _Origin:
    """The keep-alive connections to one origin; at most `per_host` of them busy at once."""

    core: httpcore.Origin
    slots: asyncio.Semaphore
    idle: list[httpcore.AsyncHTTP11Connection] = field(default_factory=list)
    in_flight: int = 0
    closed: bool = False  # dropped by the transport; a connection coming back is closed, not kept


class _GuardedTransport(httpx.AsyncBaseTransport):
    """httpx.AsyncHTTPTransport's job, over connections whose network backend is the address guard.

    httpx's own transport does not let a caller choose httpcore's network backend, so this class does
    the small amount of translation it does: httpx request -> httpcore request, errors -> httpx errors.

    Connections are kept per origin: up to `per_host` HTTP/1.1 connections each, the most recently
    used reused first. httpcore's connection pool would do the same, but its bookkeeping (a queue of
    waiting requests, a scan of every connection, locks and cancellation shields around each step)
    cost about a tenth of the CPU time of a link check; a semaphore and a list do here. Origins not used
    for a while are closed once more than `max_idle_origins` exist, so a run over thousands of hosts
    does not hold thousands of idle sockets.
    """

    def __init__(self, resolver: GuardedResolver, per_host: int, max_idle_origins: int) -> None:
        self._backend = GuardedNetworkBackend(resolver)
        self._ssl_context: ssl.SSLContext | None = None  # made on the first https origin (0.1-0.3 s)
        self._per_host = per_host
        self._max_idle_origins = max_idle_origins
        self._origins: OrderedDict[tuple[bytes, bytes, int], _Origin] = OrderedDict()

    def _origin(self, key: tuple[bytes, bytes, int]) -> _Origin:
        origin = self._origins.get(key)
        if origin is None:
            origin = self._origins[key] = _Origin(httpcore.Origin(*key), asyncio.Semaphore(self._per_host))
        else:
            self._origins.move_to_end(key)
        return origin

    async def _connection(self, origin: _Origin, request: httpx.Request) -> httpcore.AsyncHTTP11Connection:
        while origin.idle:
            connection = origin.idle.pop()
            if not connection.has_expired():  # neither past keep-alive nor hung up on by the server
                return connection
            await connection.aclose()
        timeout = request.extensions.get("timeout", {}).get("connect")
        host = origin.core.host.decode("ascii")
        trusted = request.extensions.get(TRUSTED_ORIGINS, frozenset())
        stream = await self._backend.connect_tcp(host, origin.core.port, timeout=timeout, trusted=trusted)
        if origin.core.scheme == b"https":
            if self._ssl_context is None:
                self._ssl_context = ssl.create_default_context()
                self._ssl_context.set_alpn_protocols(["http/1.1"])
            stream = await stream.start_tls(self._ssl_context, server_hostname=host, timeout=timeout)
        return httpcore.AsyncHTTP11Connection(origin.core, stream, keepalive_expiry=_KEEPALIVE_SECONDS)

    async def _close_idle_origins(self) -> None:
        excess = len(self._origins) - self._max_idle_origins
        if excess <= 0:
            return
        idle = [key for key, origin in self._origins.items() if origin.in_flight == 0][:excess]
        for key in idle:
            origin = self._origins.get(key)
            if origin is None or origin.in_flight:  # taken up again while an earlier origin was closing
                continue
            del self._origins[key]
            origin.closed = True
            await _close_all(origin.idle)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        port = url.port or (443 if url.raw_scheme == b"https" else 80)
        origin = self._origin((url.raw_scheme, url.raw_host, port))
        origin.in_flight += 1
        try:
            await origin.slots.acquire()
        except BaseException:
            origin.in_flight -= 1
            raise
        connection: httpcore.AsyncHTTP11Connection | None = None

        async def released() -> None:
            origin.in_flight -= 1
            origin.slots.release()
            if connection is not None and connection.is_idle():
                if origin.closed:
                    await connection.aclose()
                else:
                    origin.idle.append(connection)

        try:
            with _as_httpx_errors():
                connection = await self._connection(origin, request)
                response = await connection.handle_async_request(
                    httpcore.Request(
                        method=request.method,
                        url=httpcore.URL(
                            scheme=url.raw_scheme, host=url.raw_host, port=port, target=url.raw_path
                        ),
                        headers=request.headers.raw,
                        content=cast(AsyncIterable[bytes], request.stream),
                        extensions=request.extensions,
                    )
                )
        except BaseException:
            if connection is not None and not connection.is_closed():
                await connection.aclose()  # cancelled between steps: the connection's state is unknown
            await released()
            raise
        await self._close_idle_origins()
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_CoreResponseStream(response.stream, released),
            extensions=response.extensions,
        )

    @property
    def open_origins(self) -> int:
        """Origins with state (and so possibly idle connections) right now."""
        return len(self._origins)

    async def aclose(self) -> None:
        origins, self._origins = list(self._origins.values()), OrderedDict()
        for origin in origins:
            origin.closed = True
            await _close_all(origin.idle)


async def _close_all(connections: list[httpcore.AsyncHTTP11Connection]) -> None:
    while connections:
        await connections.pop().aclose()


def guarded_transport(
    settings: NetworkSettings, resolver: GuardedResolver | None = None
) -> httpx.AsyncBaseTransport:
    """The production transport: connects only to addresses `settings.allow_private_hosts` permits.

    Tests wrap it (e.g. to record every request that leaves the process) and pass the wrapper to
    `NetClient`.
    """
    resolver = resolver or GuardedResolver(AddressPolicy(settings.allow_private_hosts))
    return _GuardedTransport(resolver, per_host=settings.per_host, max_idle_origins=2 * settings.concurrency)
