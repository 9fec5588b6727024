"""Address policy: which hosts a run may connect to, enforced where the socket is opened.

The URLs citecheck fetches come from documents it did not write, and redirects come from servers it
does not control, so every hop could point at this machine, the local network or a cloud metadata
service (169.254.169.254). The policy: only public unicast addresses. Loopback, private, link-local,
multicast, reserved, unspecified and shared-address space are refused, and so are IPv4-mapped IPv6
addresses (``::ffff:10.0.0.1``) and the IPv6 forms that tunnel an IPv4 address (6to4, Teredo, NAT64)
when the embedded address is not public. Hosts and networks named in `allow_private_hosts` are exempt,
on every port, or on one port when written ``host:port`` (``127.0.0.1:8080``, ``[::1]:8080``,
``wayback.local:8080``); the tests allow exactly ``127.0.0.1``.

An archive provider's own address can be trusted for that provider's requests alone (`Origin` pairs
passed with each request as `trusted`): a local pywb at 127.0.0.1:8080 is reachable for the archive
look-ups without opening 127.0.0.1:8080 to the links of every document.

Why the check sits in the network backend. Checking a URL's host name and then letting the HTTP library
resolve it again opens a DNS-rebinding hole: the name can resolve to a public address for the check and
to 10.0.0.1 a second later for the connection. `GuardedResolver` resolves each name once per run, keeps
only the addresses that pass the policy, and `GuardedNetworkBackend` (the httpcore network backend the
client's transport uses) opens the TCP connection to one of those validated IP addresses. The HTTP layer
above never learns that: the Host header and the TLS server name (SNI, and certificate checking) still
use the host name, and connections are pooled per host name. A redirect to a refused address therefore
fails before any packet is sent to it.

Name look-ups run in daemon threads of their own, at most `MAX_LOOKUPS` at a time, not in asyncio's
default executor: a resolver that never answers would hold that executor's threads, and `asyncio.run`
waits for them before it returns, so one dead DNS server could hold a finished run for minutes. A
caller stops waiting after its own timeout; the thread finishes (or not) unobserved, and `close()`
settles whatever is still pending so nothing is reported as never retrieved.

Names under ``.invalid`` never resolve (RFC 6761 §6.4 asks resolver libraries to answer them negatively
without a lookup), which the tests use for DNS failures without sending a query anywhere.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
import threading
from collections.abc import Iterable
from typing import Any, TypeAlias
from urllib.parse import urlsplit

import httpcore

from .streams import AsyncioBackend

__all__ = [
    "AddressPolicy",
    "AddressRefused",
    "GuardedNetworkBackend",
    "GuardedResolver",
    "IPAddress",
    "NameNotResolved",
    "Origin",
    "forbidden_reason",
    "origin_of",
    "split_port",
]

IPAddress: TypeAlias = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork: TypeAlias = ipaddress.IPv4Network | ipaddress.IPv6Network
Origin: TypeAlias = tuple[str, int]  # (normalised host, port)

_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
# Look-ups in flight at once, each in a thread of its own (see the module docstring).
MAX_LOOKUPS = 16


class AddressRefused(Exception):
    """The host resolves only to addresses the policy forbids; nothing was sent to them."""

    def __init__(self, host: str, reason: str) -> None:
        super().__init__(f"{host}: {reason}")
        self.host = host
        self.reason = reason


class NameNotResolved(Exception):
    """The host name has no address (NXDOMAIN, no records, resolver failure)."""

    def __init__(self, host: str, reason: str) -> None:
        super().__init__(f"{host}: {reason}")
        self.host = host
        self.reason = reason


def forbidden_reason(address: IPAddress) -> str | None:
    """Why `address` may not be contacted, or None if it is a public unicast address."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return "IPv4-mapped IPv6 address"
        embedded = _embedded_ipv4(address)
        if embedded is not None and forbidden_reason(embedded) is not None:
            return f"IPv6 address tunnelling {embedded}"
    checks = (
        (address.is_unspecified, "unspecified address"),
        (address.is_loopback, "loopback address"),
        (address.is_link_local, "link-local address"),
        (address.is_multicast, "multicast address"),
        (address.is_private, "private address"),
        (address.is_reserved, "reserved address"),
        (not address.is_global, "address that is not globally routable"),
    )
    for failed, reason in checks:
        if failed:
            return reason
    return None


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def parse_ip_literal(host: str) -> IPAddress | None:
    """The address if `host` is an IP literal (brackets and IPv6 zone allowed), else None."""
    text = host.strip("[]").split("%", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def split_port(entry: str) -> tuple[str, int | None]:
    """("127.0.0.1", 8080) for "127.0.0.1:8080", ("::1", 8080) for "[::1]:8080"; a bare host, IP or
    network (including IPv6 without brackets) has no port."""
    text = entry.strip()
    if text.startswith("["):
        inside, _, rest = text[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else ""
        return inside, int(port) if port.isdigit() else None
    host, colon, port = text.rpartition(":")
    if colon and port.isdigit() and ":" not in host:
        return host, int(port)
    return text, None


class AddressPolicy:
    """The private-address rule plus the configured exemptions: host names, IPs or CIDR networks, each on
    every port or, written ``host:port``, on one."""

    def __init__(self, allowed: Iterable[str] = ()) -> None:
        self._hosts: set[tuple[str, int | None]] = set()
        self._networks: list[tuple[IPNetwork, int | None]] = []
        for entry in allowed:
            host, port = split_port(entry)
            try:
                self._networks.append((ipaddress.ip_network(host, strict=False), port))
            except ValueError:
                self._hosts.add((_normal_host(host), port))

    def _exempt(self, host: str, address: IPAddress, port: int | None) -> bool:
        name = _normal_host(host)
        if (name, None) in self._hosts or (port is not None and (name, port) in self._hosts):
            return True
        return any(address in network and allowed in (None, port) for network, allowed in self._networks)

    def refusal(
        self, host: str, address: IPAddress, port: int | None = None, trusted: frozenset[Origin] = frozenset()
    ) -> str | None:
        """Why connecting to `address` (found for `host`) on `port` is refused, or None if it is allowed.

        `trusted` origins (an archive provider's own host and port, for its own requests) are allowed as
        they are; without a port only the exemptions that name no port apply.
        """
        if (port is not None and (_normal_host(host), port) in trusted) or self._exempt(host, address, port):
            return None
        reason = forbidden_reason(address)
        if reason is None:
            return None
        literal = parse_ip_literal(host)
        return f"{address} is a {reason}" if literal is not None else f"resolves to {address}, a {reason}"


def _normal_host(host: str) -> str:
    return host.strip("[]").rstrip(".").lower()


def origin_of(url: str) -> Origin | None:
    """(host, port) of an absolute http(s) URL, the default port filled in; None if it has no host."""
    try:
        parts = urlsplit(url)
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme.lower())
    except ValueError:
        return None
    if not parts.hostname or port is None:
        return None
    return _normal_host(parts.hostname), port


class GuardedResolver:
    """Resolves each host once per run and hands out only the addresses the policy allows.

    Look-ups (and failures) are cached for the run: the addresses the pre-flight check validated are the
    ones the backend connects to, and one document's fifty links to one site cost one lookup. The policy
    is applied on each call, because it depends on the port and on who asks (`trusted`).
    """

    def __init__(self, policy: AddressPolicy) -> None:
        self._policy = policy
        self._lookups: dict[str, asyncio.Task[tuple[IPAddress, ...]]] = {}
        self._slots: asyncio.Semaphore | None = None  # made on first use, inside the running loop

    def close(self) -> None:
        """Settle every look-up: cancel those still waiting for a resolver, and mark the failures of
        those nobody awaited as seen (asyncio would otherwise log them as never retrieved)."""
        for lookup in self._lookups.values():
            if lookup.done():
                if not lookup.cancelled():
                    lookup.exception()
            else:
                lookup.cancel()
        self._lookups.clear()

    async def resolve(
        self, host: str, port: int | None = None, trusted: frozenset[Origin] = frozenset()
    ) -> tuple[IPAddress, ...]:
        """Allowed addresses for `host` on `port`; raises NameNotResolved or AddressRefused."""
        key = _normal_host(host)
        lookup = self._lookups.get(key)
        if lookup is None:
            lookup = self._lookups[key] = asyncio.ensure_future(self._lookup(key))
            lookup.add_done_callback(_seen)
        if lookup.done():
            addresses = lookup.result()  # the common case after the first link to a host; raises its failure
        else:
            # shield: a caller's timeout must not cancel the lookup other callers share
            addresses = await asyncio.shield(lookup)
        allowed = tuple(a for a in addresses if self._policy.refusal(key, a, port, trusted) is None)
        if not allowed:
            reason = self._policy.refusal(key, addresses[0], port, trusted) or "no usable address"
            raise AddressRefused(key, reason)
        return allowed

    async def _lookup(self, host: str) -> tuple[IPAddress, ...]:
        literal = parse_ip_literal(host)
        if literal is not None:
            addresses: list[IPAddress] = [literal]
        elif host == "invalid" or host.endswith(".invalid"):
            raise NameNotResolved(host, "the .invalid domain never resolves (RFC 6761)")
        else:
            if self._slots is None:
                self._slots = asyncio.Semaphore(MAX_LOOKUPS)
            async with self._slots:
                addresses = await _system_lookup(host)
        if not addresses:
            raise NameNotResolved(host, "no address records")
        return tuple(addresses)


def _seen(lookup: asyncio.Task[tuple[IPAddress, ...]]) -> None:
    """A failed look-up is a result for every later caller, not an error to log when it is collected."""
    if not lookup.cancelled():
        lookup.exception()


def _getaddrinfo_in_thread(host: str) -> asyncio.Future[list[tuple[Any, ...]]]:
    """socket.getaddrinfo in a daemon thread; the future is settled on the loop if it is still running."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[list[tuple[Any, ...]]] = loop.create_future()

    def settle(result: list[tuple[Any, ...]] | None, error: BaseException | None) -> None:
        if future.done():
            return  # the caller gave up (cancelled)
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result or [])

    def work() -> None:
        result, error = None, None
        try:
            result = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
        except BaseException as exc:  # handed to the loop, where the caller sees it
            error = exc
        with contextlib.suppress(RuntimeError):  # the loop has closed: nobody waits any more
            loop.call_soon_threadsafe(settle, result, error)

    threading.Thread(target=work, name=f"citecheck-dns {host}", daemon=True).start()
    return future


async def _system_lookup(host: str) -> list[IPAddress]:
    try:
        infos = await _getaddrinfo_in_thread(host)
    except socket.gaierror as exc:
        raise NameNotResolved(host, exc.strerror or "name does not resolve") from None
    except UnicodeError:
        raise NameNotResolved(host, "host name cannot be encoded for DNS") from None
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _canon, sockaddr in infos:
        address = parse_ip_literal(str(sockaddr[0]))
        if address is not None and address not in addresses:
            addresses.append(address)
    if not addresses:
        raise NameNotResolved(host, "no address records")
    return addresses


class GuardedNetworkBackend(httpcore.AsyncNetworkBackend):
    """An httpcore network backend that connects only to addresses the resolver validated.

    httpcore hands it the origin's host name; it resolves that through the `GuardedResolver` and opens
    the socket to the validated IP with the wrapped backend. TLS is started afterwards by httpcore with
    the host name as server name, so certificates are still checked against the name.
    """

    def __init__(self, resolver: GuardedResolver, inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self._resolver = resolver
        self._inner = inner or AsyncioBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
        trusted: frozenset[Origin] = frozenset(),
    ) -> httpcore.AsyncNetworkStream:
        try:
            async with asyncio.timeout(timeout):
                addresses = await self._resolver.resolve(host, port, trusted)
        except TimeoutError:
            raise httpcore.ConnectTimeout(f"{host}: name lookup timed out") from None
        last_error: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    str(address), port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_error = exc
        assert last_error is not None  # the resolver never returns an empty tuple
        raise last_error

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise AddressRefused(path, "unix sockets are never contacted")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)
