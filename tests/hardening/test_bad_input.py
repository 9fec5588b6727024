"""Hostile and broken documents: each gets a clear outcome of its own, and the batch finishes.

The offline batch runs the real command in a subprocess, so a crash, a hang (bounded by the subprocess
timeout) or a runaway recursion would fail the test rather than the test runner. The online test proves
that links in schemes other than http(s) are never fetched, in hrefs or in the text, by recording every
request that leaves the process and every request the fixture site receives.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from citecheck.config import ArchiveSettings, Config, NetworkSettings
from citecheck.models import CitationKind, LinkStatus
from citecheck.net import guarded_transport
from citecheck.pipeline import run_check
from tests.servers.fixtures import RecordingTransport
from tests.servers.site import FixtureSite

from .conftest import run_citecheck

SCHEMA = json.loads((Path(__file__).parents[2] / "citecheck" / "data" / "report-v1.schema.json").read_text())
MB = 1024 * 1024
HOSTILE_SCHEMES = (
    "javascript:alert(document.cookie)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "file:///etc/passwd",
)


def _write_batch(folder: Path) -> None:
    folder.mkdir()
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    (folder / "nul-bytes.txt").write_bytes(b"According to Reuters, the vote\x00 was close.\n")
    (folder / "invalid-utf8.txt").write_bytes(bytes(range(0x80, 0x100)) * 40 + b"\xff\xfe\xfd" * 10)
    # mostly UTF-8 with one Latin-1 byte: decoded by detection, not refused
    (folder / "almost-utf8.txt").write_bytes(
        "According to Reuters, the caf\u00e9 reopened. ".encode() * 20 + b"Caf\xe9 society.\n"
    )
    (folder / "empty.txt").write_bytes(b"")
    with (folder / "single-line-50mb.txt").open("wb") as stream:  # over input.max_bytes (20 MiB)
        stream.write(b"According to Reuters, " + b"a" * (50 * MB))
    # under the limit, one line, a few citations spread through it
    filler = b"lorem ipsum dolor sit amet, consectetur adipiscing elit. " * (3 * MB // 57)
    (folder / "single-line-15mb.txt").write_bytes(
        b"".join(filler + f"According to Reuters, point {i} stands. ".encode() for i in range(5))
    )
    (folder / "ten-thousand-urls.txt").write_text(
        "A link dump.\n" + "".join(f"https://example.com/archive/page-{i}\n" for i in range(10_000))
    )
    (folder / "deeply-nested.html").write_text(
        "<html><body>"
        + "<div><span>" * 10_000
        + "According to Reuters, deep down."
        + "</span></div>" * 10_000
    )
    (folder / "unclosed-nesting.html").write_text(
        "<p><b><i><a href='https://example.com/x'>" * 2_000 + "text"
    )
    (folder / "idn-rtl.txt").write_text(
        "According to Reuters:\n"
        "http://\u043f\u0440\u0438\u043c\u0435\u0440.\u0438\u0441\u043f\u044b\u0442\u0430\u043d\u0438\u0435/"
        "\u043f\u0443\u0442\u044c\n"  # http://пример.испытание/путь
        "http://\u0645\u062b\u0627\u0644.\u0625\u062e\u062a\u0628\u0627\u0631/\u0645\u0633\u0627\u0631\n"
        "https://example.com/\u202egnp.exe\n"  # a right-to-left override inside a path
    )
    (folder / "schemes.html").write_text(
        "<html><body><p>According to Reuters, "
        + "".join(f'<a href="{link}">link {i}</a> ' for i, link in enumerate(HOSTILE_SCHEMES))
        + "</p><p>In the text: "
        + " ".join(HOSTILE_SCHEMES)
        + "</p></body></html>"
    )
    (folder / "good.txt").write_text(
        "According to Reuters, the port opened (Nikkei Asia, November 15, 2024).\n"
    )


def test_a_batch_of_bad_documents_finishes_with_an_outcome_for_each(tmp_path: Path) -> None:
    batch = tmp_path / "batch"
    _write_batch(batch)
    report = tmp_path / "report.json"
    database = f"sqlite:///{tmp_path / 'bad.db'}"
    finished = run_citecheck(
        "check", str(batch), "--offline", "--db", database, "--quiet", "--format", "json", "-o", str(report)
    )
    # Some documents cannot be read: exit 2 once the whole batch is done and reported (#17).
    assert finished.returncode == 2, finished.stderr
    data = json.loads(report.read_text())
    documents = {Path(d["path"]).name: d for d in data["documents"]}
    # the contract holds for every hostile document (9,500 of the 10,000 alike URLs spared the validator)
    jsonschema.validate(
        {**data, "documents": [{**d, "citations": d["citations"][:500]} for d in data["documents"]]}, SCHEMA
    )
    assert set(documents) == {path.name for path in batch.iterdir()}

    def error(name: str) -> str:
        return str(documents[name]["error"])

    def urls(name: str) -> list[dict[str, object]]:
        return [c for c in documents[name]["citations"] if c["kind"] == "url"]

    assert "binary" in error("binary.txt")
    assert "binary" in error("nul-bytes.txt")
    assert "decode" in error("invalid-utf8.txt")
    assert "empty" in error("empty.txt")
    assert "too large" in error("single-line-50mb.txt") and "20,971,520" in error("single-line-50mb.txt")
    for name in (
        "almost-utf8.txt",
        "single-line-15mb.txt",
        "ten-thousand-urls.txt",
        "deeply-nested.html",
        "unclosed-nesting.html",
        "idn-rtl.txt",
        "schemes.html",
        "good.txt",
    ):
        assert documents[name]["error"] is None, name
        assert documents[name]["label"] is not None, name  # scored, not just read
    assert sum(c["text"] == "Reuters" for c in documents["single-line-15mb.txt"]["citations"]) == 5
    assert len(urls("ten-thousand-urls.txt")) == 10_000
    assert any(c["text"] == "Reuters" for c in documents["deeply-nested.html"]["citations"])
    idn = [c["url"] for c in urls("idn-rtl.txt")]
    assert "http://xn--e1afmkfd.xn--80akhbyknj4f/\u043f\u0443\u0442\u044c" in idn  # IDNA, path kept
    assert any(str(u).startswith("http://xn--mgbh0fb.xn--kgbechtv/") for u in idn)
    hostile = [c for c in urls("schemes.html") if not str(c["text"]).startswith("http")]
    assert {str(c["text"]) for c in hostile} >= set(HOSTILE_SCHEMES)  # in the text (hrefs may add more)
    assert all(c["url"] is None and "unsupported scheme" in str(c["malformed"]) for c in hostile)
    assert all(c["link"] is None for c in hostile)  # nothing to check: never requested


@pytest.mark.network
def test_only_http_links_on_loopback_are_ever_requested(
    tmp_path: Path, fixture_site: FixtureSite, net_settings: NetworkSettings
) -> None:
    arabic, russian = (
        "/articles/\u0645\u0642\u0627\u0644\u0629",
        "/articles/\u0441\u0442\u0430\u0442\u044c\u044f",
    )
    override = "/articles/\u202egnp.exe"
    page = tmp_path / "links.html"
    page.write_text(
        "<html><body><p>According to Reuters, "
        + "".join(f'<a href="{link}">hostile {i}</a> ' for i, link in enumerate(HOSTILE_SCHEMES))
        + f'<a href="{fixture_site.url("/articles/safe-href")}">a real one</a>.</p>'
        + "<p>Typed out: "
        + " ".join(HOSTILE_SCHEMES)
        + f" and {fixture_site.url(arabic)} and {fixture_site.url(russian)} and {fixture_site.url(override)}"
        + " and http://\u043f\u0440\u0438\u043c\u0435\u0440.invalid/\u043f\u0443\u0442\u044c"
        + " and http://\u0645\u062b\u0627\u0644.invalid/\u0645\u0633\u0627\u0631</p></body></html>"
    )
    config = Config(network=net_settings, archive=ArchiveSettings(providers=()))
    recorder = RecordingTransport(guarded_transport(net_settings))
    result = run_check([str(page)], config, database_url=f"sqlite:///{tmp_path / 'l.db'}", transport=recorder)

    assert recorder.sent, "the http links must have been checked"
    for _method, url in recorder.sent:
        assert url.startswith(f"http://127.0.0.1:{fixture_site.main_port}/"), url
    for path in ("/articles/safe-href", arabic, russian):
        assert fixture_site.count(path) >= 1, path  # IDN and right-to-left paths reach the server intact
    assert fixture_site.count(override) == 0  # a direction override is a spoof: reported, never followed

    items = [item for item in result.documents[0].citations if item.citation.kind is CitationKind.URL]
    by_text = {item.citation.text: item for item in items}
    for link in HOSTILE_SCHEMES:  # recorded as malformed, never checked
        item = by_text[link]
        assert item.citation.url is None and item.citation.malformed and item.link is None
    invalid_hosts = [item for item in items if ".invalid" in (item.citation.url or "")]
    assert len(invalid_hosts) == 2
    for item in invalid_hosts:  # a host that does not resolve fails the link; dead needs more checks
        assert item.link is not None and item.link.status is LinkStatus.FAILING
        assert item.link.cause is LinkStatus.DNS_ERROR
    spoofed = next(item for item in items if "\u202e" in item.citation.text)
    assert spoofed.citation.malformed and "U+202E" in spoofed.citation.malformed
    assert spoofed.link is not None and spoofed.link.status is LinkStatus.MALFORMED


def _limited_memory() -> None:
    """Run in the child before exec: 2 GiB of address space, so a runaway read fails instead of
    eating the shared machine's memory."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def _check_json(
    *args: str, tmp_path: Path, timeout: float = 60
) -> tuple[int, dict[str, dict[str, object]], str]:
    import subprocess

    from .conftest import citecheck_command

    report = tmp_path / "report.json"
    database = f"sqlite:///{tmp_path / 'walk.db'}"
    finished = subprocess.run(
        citecheck_command(
            "check", *args, "--offline", "--db", database, "--quiet", "--format", "json", "-o", str(report)
        ),
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=_limited_memory,
    )
    documents = {}
    if report.exists() and report.stat().st_size:
        documents = {Path(d["path"]).name: d for d in json.loads(report.read_text())["documents"]}
    return finished.returncode, documents, finished.stderr


def _tree_with_traps(tmp_path: Path) -> Path:
    import os

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("According to Reuters, SECRET-TOKEN-42 opens the vault.\n")
    tree = tmp_path / "tree"
    (tree / "sub").mkdir(parents=True)
    (tree / "good.txt").write_text("According to Reuters, the port opened.\n")
    (tree / "sub" / "inner.md").write_text("As Xinhua reported, the talks resumed.\n")
    os.mkfifo(tree / "pipe.txt")
    (tree / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (tree / "sub" / "loop").symlink_to(tree)
    (tree / "creds.txt").symlink_to(outside / "secret.txt")
    (tree / "elsewhere").symlink_to(outside)
    (tree / "inner-link.md").symlink_to(tree / "sub" / "inner.md")  # stays inside: read
    return tree


def test_a_walk_stays_in_its_tree_and_names_what_it_skips(tmp_path: Path) -> None:
    """Links out of the tree (to a credentials file, to a directory) are not followed, and a FIFO, a
    dangling link and a link loop are each named in the report instead of hanging or vanishing (#16)."""
    tree = _tree_with_traps(tmp_path)
    code, documents, stderr = _check_json(str(tree), tmp_path=tmp_path)
    assert code in (0, 1), stderr
    errors = {name: str(document["error"]) for name, document in documents.items() if document["error"]}
    assert set(documents) == {"good.txt", "inner.md", "inner-link.md", *errors}
    assert "FIFO" in errors["pipe.txt"]
    assert "dangling" in errors["gone.txt"]
    assert "loop" in errors["loop"]
    assert "out of" in errors["creds.txt"] and "--follow-symlinks" in errors["creds.txt"]
    assert "out of" in errors["elsewhere"]
    assert "SECRET-TOKEN" not in json.dumps(documents)

    code, documents, stderr = _check_json(str(tree), "--follow-symlinks", tmp_path=tmp_path)
    assert documents["creds.txt"]["error"] is None and documents["secret.txt"]["error"] is None


def test_special_files_named_on_the_command_line(tmp_path: Path) -> None:
    """/dev/zero never ends and a FIFO without a writer never opens: each gets a clear error, bounded in
    time and memory, and the good document beside them is checked (#16)."""
    import os

    fifo = tmp_path / "silent.fifo"
    os.mkfifo(fifo)
    good = tmp_path / "good.txt"
    good.write_text("According to Reuters, the port opened.\n")
    code, documents, stderr = _check_json("/dev/zero", str(fifo), str(good), tmp_path=tmp_path)
    assert code == 2, stderr  # inputs named on the command line that cannot be read (#17)
    assert "character device" in str(documents["zero"]["error"])
    assert "nothing came through the pipe" in str(documents["silent.fifo"]["error"])
    assert documents["good.txt"]["error"] is None


def test_a_pipe_is_read_up_to_the_size_limit(tmp_path: Path) -> None:
    import os
    import threading

    from citecheck.config import InputSettings
    from citecheck.errors import InputError
    from citecheck.ingest import read_document

    fifo = tmp_path / "feed.fifo"
    os.mkfifo(fifo)

    def write(data: bytes) -> None:
        try:
            with open(fifo, "wb") as stream:
                stream.write(data)
        except BrokenPipeError:
            pass  # the reader stopped at its limit

    writer = threading.Thread(target=write, args=(b"According to Reuters, the port opened.\n",))
    writer.start()
    try:
        document = read_document(str(fifo), InputSettings())
    finally:
        writer.join(timeout=30)
    assert "Reuters" in document.text

    endless = threading.Thread(target=write, args=(b"x" * 300_000,))
    endless.start()
    try:
        with pytest.raises(InputError, match="too large"):
            read_document(str(fifo), InputSettings(max_bytes=100_000))
    finally:
        endless.join(timeout=30)
    assert not endless.is_alive()
