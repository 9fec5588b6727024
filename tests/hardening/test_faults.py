"""Faults get clear outcomes: one line and exit 2, never a traceback or a hang (#16).

The command runs in a subprocess where a hang or a runaway allocation would otherwise take the test
runner with it: each has a timeout, and the memory test an address-space limit.
"""

from __future__ import annotations

import socket
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from citecheck.check import check_links
from citecheck.cli import main
from citecheck.config import NetworkSettings
from citecheck.models import LinkStatus
from citecheck.net import NetClient
from tests.servers.site import FixtureSite

from .conftest import citecheck_command

DOCUMENT = "According to Reuters, the port opened on March 2, 2024.\n"


def _run(*args: str, timeout: float = 90, memory: int | None = None) -> subprocess.CompletedProcess[str]:
    def limit() -> None:
        if memory is not None:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run(
        citecheck_command(*args), capture_output=True, text=True, timeout=timeout, preexec_fn=limit
    )


def _one_clear_line(finished: subprocess.CompletedProcess[str], *words: str) -> None:
    assert finished.returncode == 2, finished.stderr
    lines = finished.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("citecheck: "), finished.stderr
    assert all(word in lines[0] for word in words), lines[0]


def test_a_database_folder_that_cannot_be_made(tmp_path: Path) -> None:
    document = tmp_path / "doc.txt"
    document.write_text(DOCUMENT)
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the database folder should go")
    finished = _run("check", str(document), "--offline", "--quiet", "--db", f"sqlite:///{blocker}/sub/c.db")
    _one_clear_line(finished, "cannot create the folder", str(blocker))


def test_out_of_memory_is_one_line(tmp_path: Path) -> None:
    """A 3 GiB (sparse) document with input.max_bytes raised past it, under a 1.5 GiB address-space limit."""
    document = tmp_path / "huge.txt"
    with document.open("wb") as stream:
        stream.truncate(3 << 30)
    config = tmp_path / "config.yaml"
    config.write_text(f"input:\n  max_bytes: {8 << 30}\n")
    database = f"sqlite:///{tmp_path / 'm.db'}"
    finished = _run(
        "check",
        str(document),
        "--offline",
        "--quiet",
        "--config",
        str(config),
        "--db",
        database,
        memory=3 << 29,
    )
    _one_clear_line(finished, "out of memory")


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A loopback port that accepts connections and never says a word."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield int(listener.getsockname()[1])
    finally:
        stop.set()
        thread.join(timeout=5)
        for connection in held:
            connection.close()
        listener.close()


def test_a_postgresql_server_that_never_answers_times_out(tmp_path: Path, silent_server: int) -> None:
    document = tmp_path / "doc.txt"
    document.write_text(DOCUMENT)
    config = tmp_path / "config.yaml"
    config.write_text("database:\n  connect_timeout: 2\n")
    url = f"postgresql+psycopg://postgres@127.0.0.1:{silent_server}/citecheck"
    finished = _run("check", str(document), "--offline", "--quiet", "--config", str(config), "--db", url)
    _one_clear_line(finished, "cannot connect to database", f"127.0.0.1:{silent_server}")


ESCAPES = "\x1b]0;owned\x07\x1b[2J\x9b31m"


@pytest.mark.parametrize("fmt", ["table", "csv", "html", "markdown"])
def test_escape_sequences_in_file_names_reach_no_output(tmp_path: Path, fmt: str) -> None:
    evil = tmp_path / f"evil{ESCAPES}.txt"
    evil.write_text(DOCUMENT)
    database = f"sqlite:///{tmp_path / 'e.db'}"
    checked = _run("check", str(evil), "--offline", "--quiet", "--db", database, "--format", fmt)
    runs = _run("runs", "--db", database)
    for output in (checked.stdout, checked.stderr, runs.stdout, runs.stderr):
        assert not set(output) & {"\x1b", "\x07", "\x9b"}, repr(output[:300])
    assert "evil" in checked.stdout and "evil" in runs.stdout


@pytest.mark.network
async def test_a_url_with_a_control_character_is_malformed_and_never_sent(
    fixture_site: FixtureSite, net_client: NetClient, net_settings: NetworkSettings
) -> None:
    url = fixture_site.url("/articles/a\x9b31mred")
    results = await check_links([url, fixture_site.url("/articles/beside")], net_client, net_settings)
    assert results[url].status is LinkStatus.MALFORMED and "U+009B" in (results[url].error or "")
    assert not [path for path in fixture_site.paths_seen() if "31mred" in path]


@pytest.mark.network
def test_archive_counts_what_it_captured(
    tmp_path: Path, fixture_site: FixtureSite, capsys: pytest.CaptureFixture[str]
) -> None:
    document = tmp_path / "links.md"
    document.write_text(
        "According to Reuters, the port opened.\n\n"
        f"- {fixture_site.url('/articles/captured-one')}\n"
        + "".join(f"- http://127.0.0.{n}/refused-{n}\n" for n in (2, 3, 4))
    )
    config = tmp_path / "config.yaml"
    evidence = tmp_path / "evidence"
    config.write_text(
        f"network:\n  allow_private_hosts: ['127.0.0.1']\narchive:\n  collection_dir: {evidence}\n"
    )
    with pytest.raises(SystemExit) as exit_info:
        main(["archive", str(document), "--config", str(config)])
    assert exit_info.value.code in (0, None)
    assert "captured 1 of 4; 3 refused" in capsys.readouterr().out
