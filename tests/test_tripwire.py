"""The suite's own tripwire (tests/conftest.py) must recognise what leaves the machine.

Tested through its decision function and by checking that it is installed, so that this test itself
never needs to aim at an outside address.
"""

from __future__ import annotations

import socket

import pytest

from tests import conftest


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "127.0.0.3", "::1", "[::1]", "localhost", "2130706433", "0x7f000004", "gone.invalid"],
)
def test_loopback_spellings_and_invalid_names_stay(host: str) -> None:
    assert conftest._stays_on_machine(host)


@pytest.mark.parametrize(
    "host", ["169.254.169.254", "10.0.0.1", "8.8.8.8", "web.archive.org", "2606:4700::1111", "0x0a000001"]
)
def test_other_addresses_and_names_are_caught(host: str) -> None:
    assert not conftest._stays_on_machine(host)


def test_the_tripwire_is_installed() -> None:
    assert socket.socket.connect is conftest._guarded_connect
    assert socket.getaddrinfo is conftest._guarded_getaddrinfo
