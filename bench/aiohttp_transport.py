"""An experiment measured by bench/targets.py, not a part of citecheck: NetClient over aiohttp.

An httpx transport (the seam NetClient takes) whose requests go through aiohttp's client, its
connection pool (per-host limit, keep-alive) and its HTTP parser (llhttp, in C). The address guard
stays where it is in citecheck's own transport: names are resolved by citecheck's `GuardedResolver`
(aiohttp's resolver hook), and every socket is checked against the address policy before it connects
(aiohttp's socket factory), which also covers IP-literal URLs, for which aiohttp asks no resolver.
NetClient's pre-flight check, body cap, decoding, retries and deadlines are unchanged above it.

Why it is not citecheck's transport (see BENCHMARKS.md, "Where a person waits"): on uvloop it takes
about a fifth less CPU per request than citecheck's own pool over httpcore, but importing aiohttp costs
about 0.12 s of CPU (it builds two TLS contexts at import), which a run only earns back after some
900 requests; most documents cite tens of links.
"""

from __future__ import annotations

import contextvars
import ipaddress
import socket
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import httpx

from citecheck.config import NetworkSettings
from citecheck.net.guard import AddressPolicy, AddressRefused, GuardedResolver, Origin

__all__ = ["AiohttpTransport"]

# The host and trusted origins of the request whose connection is being opened, for the resolver and
# the socket factory, which aiohttp calls in the requesting task without telling them which request.
_CONNECTING: contextvars.ContextVar[tuple[str, frozenset[Origin]]] = contextvars.ContextVar("connecting")


class _Resolver(aiohttp.abc.AbstractResolver):
    def __init__(self, guard: GuardedResolver) -> None:
        self._guard = guard

    async def resolve(self, host: str, port: int = 0, family: int = socket.AF_INET) -> list[Any]:
        _, trusted = _CONNECTING.get(("", frozenset()))
        addresses = await self._guard.resolve(host, port, trusted)
        return [
            {
                "hostname": host,
                "host": str(address),
                "port": port,
                "family": socket.AF_INET6 if address.version == 6 else socket.AF_INET,
                "proto": 0,
                "flags": socket.AI_NUMERICHOST,
            }
            for address in addresses
        ]

    async def close(self) -> None:
        return None


class _Body(httpx.AsyncByteStream):
    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self._response = response

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._response.content.iter_any():
                yield chunk
        except aiohttp.ClientPayloadError as exc:
            raise httpx.RemoteProtocolError(str(exc)) from exc
        except aiohttp.ClientError as exc:
            raise httpx.ReadError(str(exc)) from exc
        except TimeoutError as exc:
            raise httpx.ReadTimeout("timed out reading the body") from exc

    async def aclose(self) -> None:
        self._response.release()


class AiohttpTransport(httpx.AsyncBaseTransport):
    def __init__(self, settings: NetworkSettings) -> None:
        self._policy = AddressPolicy(settings.allow_private_hosts)
        self._guard = GuardedResolver(self._policy)
        self._per_host = settings.per_host
        self._session: aiohttp.ClientSession | None = None

    def _socket(self, addr_info: Any) -> socket.socket:
        """The socket for one address aiohttp is about to connect to, if the policy allows that address."""
        family, kind, proto, _, sockaddr = addr_info
        host, trusted = _CONNECTING.get(("", frozenset()))
        address = ipaddress.ip_address(sockaddr[0])
        reason = self._policy.refusal(host or str(address), address, sockaddr[1], trusted)
        if reason is not None:
            raise AddressRefused(host or str(address), reason)
        return socket.socket(family=family, type=kind, proto=proto)

    def _new_session(self) -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(
            resolver=_Resolver(self._guard),
            use_dns_cache=False,  # the guard caches; a cache here would skip its per-request policy
            limit=0,  # NetClient's HostLimits caps requests in flight
            limit_per_host=self._per_host,
            keepalive_timeout=5.0,
            socket_factory=self._socket,
            happy_eyeballs_delay=None,
        )
        return aiohttp.ClientSession(
            connector=connector,
            cookie_jar=aiohttp.DummyCookieJar(),  # NetClient keeps the cookies
            auto_decompress=False,  # NetClient decodes under its body cap
            skip_auto_headers=("User-Agent",),
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self._session is None:
            self._session = self._new_session()
        timeout = request.extensions.get("timeout", {})
        trusted = request.extensions.get("citecheck_trusted_origins", frozenset())
        token = _CONNECTING.set((request.url.host, trusted))
        try:
            response = await self._session.request(
                request.method,
                str(request.url),
                headers=dict(request.headers),
                data=request.content or None,
                allow_redirects=False,
                timeout=aiohttp.ClientTimeout(
                    total=None, sock_connect=timeout.get("connect"), sock_read=timeout.get("read")
                ),
            )
        except AddressRefused as exc:
            raise httpx.ConnectError(str(exc)) from exc
        except aiohttp.ClientConnectorError as exc:
            raise httpx.ConnectError(str(exc)) from exc
        except aiohttp.ServerDisconnectedError as exc:
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.") from exc
        except aiohttp.ClientResponseError as exc:
            raise httpx.RemoteProtocolError(str(exc)) from exc
        except aiohttp.ClientError as exc:
            raise httpx.ReadError(str(exc)) from exc
        except TimeoutError as exc:
            raise httpx.ReadTimeout("timed out waiting for the answer") from exc
        finally:
            _CONNECTING.reset(token)
        return httpx.Response(
            status_code=response.status, headers=response.raw_headers, stream=_Body(response)
        )

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
