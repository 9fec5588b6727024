"""A resolver that never answers: the run still ends, says why, and leaves nothing behind (#15).

The system resolver is stood in for by `socket.getaddrinfo` itself (what asyncio's getaddrinfo calls in
a worker thread): for names under `.example` (RFC 2606) it blocks until the test lets it go, as a
resolver whose server has gone silent does. No query leaves the machine.
"""

from __future__ import annotations

import gc
import logging
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from citecheck.config import ArchiveSettings, Config, NetworkSettings
from citecheck.models import LinkStatus
from citecheck.pipeline import run_check


@pytest.fixture
def silent_resolver(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    released = threading.Event()
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name.endswith(".example"):
            released.wait()
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    try:
        yield released
    finally:
        released.set()


def test_a_run_ends_while_the_resolver_is_silent(
    silent_resolver: threading.Event, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = Config(
        network=NetworkSettings(
            connect_timeout=0.5,
            read_timeout=0.5,
            total_timeout=2,
            retries=0,
            connectivity_check_urls=("http://probe.example/",),
        ),
        archive=ArchiveSettings(providers=()),
    )
    document = tmp_path / "doc.txt"
    document.write_text("See http://one.example/a and http://two.example/b and http://three.example/c.\n")
    progress: list[tuple[str, int, int]] = []
    outcome: dict[str, Any] = {}

    def run() -> None:
        outcome["result"] = run_check(
            [str(document)],
            config,
            database_url=f"sqlite:///{tmp_path / 'r.db'}",
            progress=lambda stage, done, total: progress.append((stage, done, total)),
        )

    caplog.set_level(logging.ERROR, logger="asyncio")
    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    # The resolver never answers while the run goes on: the run must not wait for it.
    worker.join(timeout=120)
    finished = not worker.is_alive()
    silent_resolver.set()
    assert finished, "the run waited for a resolver that never answers"

    result = outcome["result"]
    links = [item.link for item in result.documents[0].citations if item.link is not None]
    assert len(links) == 3
    assert {link.status for link in links} == {LinkStatus.UNKNOWN_OFFLINE}
    checks = [entry for entry in progress if entry[0] == "check"]
    assert checks and checks[-1][1] == checks[-1][2] == 3  # the bar reached its end
    gc.collect()
    assert not [r for r in caplog.records if "never retrieved" in r.getMessage()]
