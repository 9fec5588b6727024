"""The address policy: which addresses are refused, and that refusal happens before any connection."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

import httpcore
import pytest

from citecheck.net.guard import (
    AddressPolicy,
    AddressRefused,
    GuardedNetworkBackend,
    GuardedResolver,
    NameNotResolved,
    forbidden_reason,
)
from tests.servers.site import FixtureSite

REFUSED = [
    ("127.0.0.1", "loopback"),
    ("127.0.0.2", "loopback"),
    ("10.0.0.1", "private"),
    ("172.16.5.4", "private"),
    ("192.168.1.1", "private"),
    ("169.254.169.254", "link-local"),
    ("0.0.0.0", "unspecified"),
    ("224.0.0.1", "multicast"),
    ("100.64.0.1", "not globally routable"),
    ("::1", "loopback"),
    ("fe80::1", "link-local"),
    ("fc00::1", "private"),
    ("::ffff:10.0.0.1", "IPv4-mapped"),
    ("::ffff:8.8.8.8", "IPv4-mapped"),
    ("2002:a00:1::1", "tunnelling 10.0.0.1"),
    ("64:ff9b::a9fe:a9fe", "tunnelling 169.254.169.254"),
]


@pytest.mark.parametrize(("address", "reason"), REFUSED)
def test_non_public_addresses_are_refused(address: str, reason: str) -> None:
    found = forbidden_reason(ipaddress.ip_address(address))
    assert found is not None and reason in found


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_pass(address: str) -> None:
    assert forbidden_reason(ipaddress.ip_address(address)) is None


def test_allow_list_exempts_exactly_what_it_names() -> None:
    policy = AddressPolicy(["127.0.0.1", "192.168.7.0/24", "intranet.example"])
    assert policy.refusal("127.0.0.1", ipaddress.ip_address("127.0.0.1")) is None
    assert policy.refusal("127.0.0.2", ipaddress.ip_address("127.0.0.2")) is not None
    assert policy.refusal("printer", ipaddress.ip_address("192.168.7.9")) is None
    assert policy.refusal("intranet.example", ipaddress.ip_address("10.1.2.3")) is None
    assert policy.refusal("other.example", ipaddress.ip_address("10.1.2.3")) is not None


async def test_resolver_refuses_and_allows() -> None:
    resolver = GuardedResolver(AddressPolicy(["127.0.0.1"]))
    assert await resolver.resolve("127.0.0.1") == (ipaddress.ip_address("127.0.0.1"),)
    with pytest.raises(AddressRefused, match="127.0.0.2 is a loopback address"):
        await resolver.resolve("127.0.0.2")
    with pytest.raises(AddressRefused):
        await resolver.resolve("[::ffff:127.0.0.1]")


async def test_invalid_names_never_resolve_and_are_not_looked_up() -> None:
    resolver = GuardedResolver(AddressPolicy())
    with pytest.raises(NameNotResolved, match="RFC 6761"):
        await resolver.resolve("dead-outlet.invalid")


async def test_localhost_name_resolves_to_the_allowed_address_only() -> None:
    resolver = GuardedResolver(AddressPolicy(["127.0.0.1"]))
    addresses = await resolver.resolve("localhost")
    assert addresses and all(str(a) == "127.0.0.1" for a in addresses)


class _CountingBackend(httpcore.AsyncNetworkBackend):
    """Stands in for the socket layer below the guard: records every connection it is asked to open."""

    def __init__(self) -> None:
        self.connects: list[tuple[str, int]] = []
        self.real = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        self.connects.append((host, port))
        return await self.real.connect_tcp(host, port, timeout, local_address, socket_options)


@pytest.mark.parametrize("host", ["127.0.0.2", "127.0.0.3", "::1"])
async def test_backend_refuses_before_opening_a_socket(host: str) -> None:
    below = _CountingBackend()
    backend = GuardedNetworkBackend(GuardedResolver(AddressPolicy(["127.0.0.1"])), inner=below)
    with pytest.raises(AddressRefused):
        await backend.connect_tcp(host, 80, timeout=1.0)
    assert below.connects == []


async def test_backend_connects_to_the_validated_ip_not_the_name(fixture_site: FixtureSite) -> None:
    below = _CountingBackend()
    backend = GuardedNetworkBackend(GuardedResolver(AddressPolicy(["127.0.0.1"])), inner=below)
    stream = await backend.connect_tcp("localhost", fixture_site.main_port, timeout=1.0)
    await stream.aclose()
    assert below.connects == [("127.0.0.1", fixture_site.main_port)]


def test_host_port_entries_exempt_that_port_only() -> None:
    """Decisions only: none of these addresses is contacted (#16)."""
    policy = AddressPolicy(["127.0.0.1:8080", "[::1]:8443", "wayback.local:9000", "10.0.0.0/8", "::2"])
    loopback, v6, lan, ten = (
        ipaddress.ip_address(a) for a in ("127.0.0.1", "::1", "192.168.7.7", "10.1.2.3")
    )
    assert policy.refusal("127.0.0.1", loopback, 8080) is None
    assert policy.refusal("127.0.0.1", loopback, 8081) is not None
    assert policy.refusal("127.0.0.1", loopback) is not None  # a port entry never opens every port
    assert policy.refusal("[::1]", v6, 8443) is None and policy.refusal("::1", v6, 80) is not None
    assert policy.refusal("wayback.local", lan, 9000) is None and policy.refusal("wayback.local", lan, 80)
    assert policy.refusal("10.1.2.3", ten, 1234) is None  # a network without a port: every port
    assert policy.refusal("::2", ipaddress.ip_address("::2"), 80) is None  # IPv6 without brackets: no port


def test_trusted_origins_are_allowed_for_the_asker_only() -> None:
    policy = AddressPolicy()
    loopback = ipaddress.ip_address("127.0.0.1")
    trusted = frozenset({("127.0.0.1", 8080)})
    assert policy.refusal("127.0.0.1", loopback, 8080, trusted) is None
    assert policy.refusal("127.0.0.1", loopback, 8081, trusted) is not None
    assert policy.refusal("127.0.0.1", loopback, 8080) is not None


@pytest.mark.network
async def test_a_host_port_entry_opens_one_port_of_the_site(fixture_site: FixtureSite) -> None:
    from citecheck.config import NetworkSettings
    from citecheck.net import FetchFailure, NetClient

    settings = NetworkSettings(allow_private_hosts=(f"127.0.0.1:{fixture_site.main_port}",), retries=0)
    before = fixture_site.count("/", host="catchall")
    async with NetClient(settings) as client:
        main = await client.fetch(fixture_site.url("/articles/port-entry"))
        other = await client.fetch(fixture_site.catchall_url("/"))
    assert main.ok
    assert other.failure is FetchFailure.REFUSED
    assert fixture_site.count("/", host="catchall") == before
