"""Session-wide fixtures. Loopback servers live in tests/servers/ and are registered as plugins here."""

from __future__ import annotations

import ipaddress
import os
import shutil
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest_plugins = ["tests.servers.fixtures"]


def pytest_configure(config: pytest.Config) -> None:
    # Parsed registry files are cached per user; tests keep theirs in a folder of their own.
    folder = tempfile.mkdtemp(prefix="citecheck-test-cache-")
    config.stash[_CACHE_DIR] = folder
    os.environ["CITECHECK_CACHE_DIR"] = folder


# -- groups that need a service of the system: Chromium and PostgreSQL ------------------------------------
# Without one, its group is skipped and the run says so in one line (on CI, where both must be present,
# the tests run and fail instead). README "Running the tests" says how to provide them.
CHROMIUM = Path(os.environ.get("CITECHECK_TEST_CHROMIUM", "/usr/bin/chromium"))
_SKIPPED_GROUPS = pytest.StashKey[dict[str, tuple[int, str]]]()


def _missing_services() -> dict[str, str]:
    missing = {}
    if not CHROMIUM.exists():
        missing["browser"] = f"{CHROMIUM} not found (apt-get install chromium)"
    if not os.environ.get("CITECHECK_TEST_POSTGRES_URL"):
        missing["postgres"] = "CITECHECK_TEST_POSTGRES_URL is not set (a PostgreSQL database URL)"
    return missing


def _group(item: pytest.Item) -> str | None:
    if item.get_closest_marker("postgres") or "postgres_url" in getattr(item, "fixturenames", ()):
        return "postgres"
    if item.get_closest_marker("browser"):
        return "browser"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    missing = {} if os.environ.get("CI") else _missing_services()
    skipped: dict[str, tuple[int, str]] = {}
    for item in items:
        group = _group(item)
        if group in missing:
            assert group is not None
            item.add_marker(pytest.mark.skip(reason=missing[group]))
            count, why = skipped.get(group, (0, missing[group]))
            skipped[group] = (count + 1, why)
    config.stash[_SKIPPED_GROUPS] = skipped


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    for group, (count, why) in sorted(config.stash.get(_SKIPPED_GROUPS, {}).items()):
        terminalreporter.write_line(f"skipped the {group} tests ({count}): {why}")


def pytest_unconfigure(config: pytest.Config) -> None:
    folder = config.stash.get(_CACHE_DIR, None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


_CACHE_DIR = pytest.StashKey[str]()

# -- a tripwire: no test may send traffic off this machine -------------------------------------------
# The suite's servers all listen on loopback, and DNS failures use `.invalid` names, which the address
# guard refuses without a look-up. If a guard broke, a test could reach a real address; these wrappers
# refuse every connection or name look-up that would leave the machine and fail the test that made it.

_OFF_MACHINE: list[str] = []
_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo


def _stays_on_machine(host: object) -> bool:
    if not isinstance(host, str):
        return True  # a Unix socket path or a bytes address of the test's own making
    name = host.strip("[]").rstrip(".").lower()
    if name in ("localhost", "") or name.endswith((".localhost", ".invalid")):
        return True
    try:
        return ipaddress.ip_address(name.split("%")[0]).is_loopback
    except ValueError:
        pass
    try:  # the C library's spellings: "2130706433", "0x7f000001", "127.1"
        return socket.inet_aton(name)[0] == 127
    except OSError:
        return False


def _guarded_connect(self: socket.socket, address: Any) -> None:
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _stays_on_machine(address[0]):
        _OFF_MACHINE.append(f"connect to {address!r}")
        raise OSError(f"test tripwire: refused a connection to {address!r}, which is off this machine")
    return _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: Any) -> int:
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _stays_on_machine(address[0]):
        _OFF_MACHINE.append(f"connect to {address!r}")
        raise OSError(f"test tripwire: refused a connection to {address!r}, which is off this machine")
    return _real_connect_ex(self, address)


def _guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    name = host.decode() if isinstance(host, bytes) else host
    if name is not None and not _stays_on_machine(name):
        _OFF_MACHINE.append(f"name look-up of {name!r}")
        raise socket.gaierror(socket.EAI_NONAME, f"test tripwire: refused to look up {name!r}")
    return _real_getaddrinfo(host, *args, **kwargs)


socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]
socket.getaddrinfo = _guarded_getaddrinfo


@pytest.fixture(autouse=True)
def _no_traffic_off_this_machine() -> Iterator[None]:
    start = len(_OFF_MACHINE)
    yield
    attempts = _OFF_MACHINE[start:]
    assert not attempts, f"this test tried to reach beyond loopback: {attempts}"

DATA = Path(__file__).parent / "data"
CORPUS = DATA / "corpus"


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """A fresh SQLite database per test."""
    return f"sqlite:///{tmp_path / 'citecheck.db'}"


@pytest.fixture
def postgres_url() -> str:
    """A PostgreSQL database from $CITECHECK_TEST_POSTGRES_URL (.ci/run starts one), wiped per test."""
    import os

    url = os.environ.get("CITECHECK_TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("CI must provide CITECHECK_TEST_POSTGRES_URL (see .ci/run)")
        pytest.skip("no PostgreSQL server: set CITECHECK_TEST_POSTGRES_URL")
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url
