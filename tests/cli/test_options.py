"""The command line a user reaches for: exit codes, a closed pipe, inputs with nothing to read, config
discovery, and the options --exclude (with .citecheckignore), --timeout, --concurrency, --max-cache-age,
--no-progress and --fail-on score<N. Online behaviour is checked against the loopback fixture site."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from citecheck import cli as cli_module
from citecheck.cli import main
from citecheck.report import FORMATS
from tests.conftest import CORPUS
from tests.servers.site import FixtureSite

CITECHECK = [sys.executable, "-m", "citecheck"]


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(args)
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


def test_the_cli_lists_the_report_formats_without_importing_them() -> None:
    assert cli_module.FORMATS == FORMATS


# -- exit codes ----------------------------------------------------------------------------------------


def test_a_missing_input_among_good_ones_exits_2_after_the_batch(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "gone.txt"
    args = ["check", "--offline", "-q", "--db", db_url, "--format", "json", "--fail-on", "never"]
    code, out, _ = run_cli([*args, str(CORPUS / "consulate-leak.txt"), str(missing)], capsys)
    assert code == 2
    good, bad = json.loads(out)["documents"]
    assert good["error"] is None and good["citations"]  # the batch went on and was reported
    assert bad["path"] == str(missing) and bad["error"] == "no such file"
    code, out, _ = run_cli([*args, str(CORPUS / "consulate-leak.txt")], capsys)
    assert code == 0  # the control: the same good input alone


def test_an_input_with_no_supported_documents_exits_2_and_says_what_was_skipped(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "scans"
    folder.mkdir()
    (folder / "page-1.png").write_bytes(b"\x89PNG\r\n")
    (folder / "notes.json").write_text("{}")
    code, out, _ = run_cli(["check", "--offline", "-q", "--db", db_url, str(folder)], capsys)
    assert code == 2
    assert f"{folder}\n  error: holds no supported documents: skipped 2 files" in out
    assert "1 .json, 1 .png: notes.json, page-1.png" in out and "(input.extensions)" in out


OFFICE_97 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600  # an OLE compound file


def _office_leftovers(folder: Path) -> dict[str, bytes]:
    """The documents a user's folder holds that citecheck does not read, each as its program writes it."""
    folder.mkdir()
    files = {
        "minutes.doc": OFFICE_97,
        "letter.rtf": b"{\\rtf1\\ansi According to Reuters, it rained.}",
        "draft.odt": b"PK\x03\x04" + b"\x00" * 26 + b"mimetypeapplication/vnd.oasis.opendocument.text",
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return files


def test_a_folder_of_only_doc_odt_and_rtf_files_exits_2_and_names_each(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "400")  # each skipped file's line whole, however long the path
    folder = tmp_path / "office"
    _office_leftovers(folder)
    code, out, _ = run_cli(["check", "--offline", "-q", "--db", db_url, str(folder)], capsys)
    assert code == 2
    assert "skipped 3 files (1 .odt, 1 .rtf, 1 .doc: draft.odt, letter.rtf, minutes.doc)" in " ".join(
        out.split()
    )
    for name in ("minutes.doc", "letter.rtf", "draft.odt"):
        suffix = name.rsplit(".", 1)[1]
        assert f"1 skipped, .{suffix} files are not read (input.extensions): {folder / name}" in out


def test_unread_kinds_named_on_the_command_line_are_errors_that_say_why(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An RTF letter and an OpenDocument draft were read as text and scored "unverifiable" with exit 0; an
    old Word file renamed .docx and an HTML page saved as .pdf were "cannot decode" or read as text."""
    folder = tmp_path / "named"
    _office_leftovers(folder)
    (folder / "renamed.docx").write_bytes(OFFICE_97)
    (folder / "saved.pdf").write_text("<!doctype html><html><body>Sorry, not found.</body></html>")
    names = ["minutes.doc", "letter.rtf", "draft.odt", "renamed.docx", "saved.pdf"]
    args = ["check", "--offline", "-q", "--db", db_url, "--format", "json", "--fail-on", "never"]
    code, out, _ = run_cli([*args, *(str(folder / name) for name in names)], capsys)
    assert code == 2
    errors = {Path(document["path"]).name: document["error"] for document in json.loads(out)["documents"]}
    assert errors == {
        "minutes.doc": "Word 97-2003 (.doc) files are not read; save it as .docx or PDF",
        "letter.rtf": "RTF files are not read; save it as .docx or PDF",
        "draft.odt": "OpenDocument files (.odt) are not read; save it as .docx or PDF",
        "renamed.docx": "Word 97-2003 (.doc) files are not read; save it as .docx or PDF",
        "saved.pdf": "not a PDF: no %PDF- header in its first 1 KiB",
    }


def test_files_a_walk_passes_over_are_listed_in_the_report(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "story.txt").write_text("According to Reuters, it rained (Reuters, May 1, 2024).\n")
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n")
    code, out, _ = run_cli(
        ["check", "--offline", "-q", "--db", db_url, "--fail-on", "never", str(folder)], capsys
    )
    assert code == 0  # a passed-over file is not an error: the folder held a document
    assert "1 skipped, .png files are not read (input.extensions): " in out and "photo.png" in out
    code, out, _ = run_cli(
        ["check", "--offline", "-q", "--db", db_url, "--fail-on", "never", "--format", "json", str(folder)],
        capsys,
    )
    assert json.loads(out)["skipped"] == [
        {"path": str(folder / "photo.png"), "reason": ".png files are not read (input.extensions)"}
    ]


def test_a_closed_pipe_ends_quietly_with_141(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [
            *CITECHECK,
            "check",
            str(CORPUS),
            "--offline",
            "--db",
            f"sqlite:///{tmp_path / 'p.db'}",
            "--format",
            "table",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader is gone before the report is written, as with `| head -0`
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == 141
    assert stderr == ""  # no traceback, no "Exception ignored"


# -- config discovery ----------------------------------------------------------------------------------


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory and a home of the test's own, with no config in either yet."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.delenv("CITECHECK_CONFIG", raising=False)
    return tmp_path


def _max_bytes_config(path: Path, limit: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"input:\n  max_bytes: {limit}\n")
    return path


def test_config_is_found_here_then_in_the_users_folder_and_verbose_says_which(
    elsewhere: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = str(CORPUS / "consulate-leak.txt")
    args = ["extract", "--verbose", "--format", "json", document]
    code, out, err = run_cli(args, capsys)
    assert code == 0 and "config: built-in defaults" in err
    user = _max_bytes_config(elsewhere / "home" / ".config" / "citecheck" / "config.yaml", 10)
    code, out, err = run_cli(args, capsys)
    assert code == 2 and "too large" in json.loads(out)["documents"][0]["error"]
    assert f"config: {user} (the user's config file)" in err
    local = _max_bytes_config(elsewhere / "work" / "citecheck.yaml", 10_000_000)
    code, out, err = run_cli(args, capsys)
    assert code == 0  # the working directory's file wins over the user's
    assert f"config: {local} (found in the working directory)" in err
    code, _, err = run_cli(["extract", "--format", "json", document], capsys)
    assert "config:" not in err  # only --verbose says it


def test_xdg_config_home_is_honoured(
    elsewhere: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    xdg = elsewhere / "xdg"
    user = _max_bytes_config(xdg / "citecheck" / "config.yaml", 10)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(xdg))
    code, _, err = run_cli(["extract", "-v", str(CORPUS / "consulate-leak.txt")], capsys)
    assert code == 2 and f"config: {user}" in err


# -- options that change how links are checked ---------------------------------------------------------


def _online_config(tmp_path: Path, site: FixtureSite) -> Path:
    config = tmp_path / "online.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "network": {
                    "allow_private_hosts": ["127.0.0.1"],
                    "connectivity_check_urls": [site.url("/")],
                    "retries": 0,
                    "detect_soft_404": False,
                },
                "archive": {"providers": []},
            }
        )
    )
    return config


def _document(tmp_path: Path, site: FixtureSite, *paths: str) -> Path:
    document = tmp_path / "links.md"
    lines = [f"According to Reuters (May 1, 2024): {site.url(path)}" for path in paths]
    document.write_text("\n\n".join(lines) + "\n")
    return document


def _link_statuses(out: str) -> dict[str, str]:
    [document] = json.loads(out)["documents"]
    return {
        c["url"].rsplit("/", 1)[-1]: c["link"]["cause"] or c["link"]["status"]  # "failing" says its cause
        for c in document["citations"]
        if c["kind"] == "url"
    }


def test_exclude_and_the_ignore_file_keep_links_unchecked(
    fixture_site: FixtureSite,
    tmp_path: Path,
    db_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    paths = ["/articles/exclude-cli", "/articles/exclude-file", "/articles/exclude-kept"]
    document = _document(tmp_path, fixture_site, *paths)
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".citecheckignore").write_text("# links we never check\nexclude-file$\n")
    config = _online_config(tmp_path, fixture_site)
    code, out, _ = run_cli(
        ["check", "-q", "--config", str(config), "--db", db_url, "--format", "json",
         "--exclude", "exclude-cli", str(document)],
        capsys,
    )  # fmt: skip
    assert code == 0
    assert _link_statuses(out) == {
        "exclude-cli": "excluded",
        "exclude-file": "excluded",
        "exclude-kept": "alive",
    }
    assert (
        fixture_site.count("/articles/exclude-cli") == 0 and fixture_site.count("/articles/exclude-file") == 0
    )
    assert fixture_site.count("/articles/exclude-kept") == 1
    # An excluded link is not a cached check: without the patterns, the next run checks it.
    (tmp_path / ".citecheckignore").unlink()
    code, out, _ = run_cli(
        ["check", "-q", "--config", str(config), "--db", db_url, "--format", "json", str(document)], capsys
    )
    assert _link_statuses(out)["exclude-cli"] == "alive" and fixture_site.count("/articles/exclude-cli") == 1


def test_a_bad_exclude_pattern_is_a_usage_error(capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    code, _, err = run_cli(["check", "--offline", "--db", db_url, "--exclude", "([", str(CORPUS)], capsys)
    assert code == 2 and "'([' is not a regular expression" in err


def test_timeout_bounds_each_link(
    fixture_site: FixtureSite, tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    document = _document(tmp_path, fixture_site, "/slow")  # answers after 3 s
    config = _online_config(tmp_path, fixture_site)
    args = ["check", "-q", "--config", str(config), "--db", db_url, "--format", "json", "--fail-on", "never"]
    code, out, _ = run_cli([*args, "--timeout", "0.5", str(document)], capsys)
    assert _link_statuses(out) == {"slow": "timeout"}
    code, out, _ = run_cli([*args, "--timeout", "10", "--refresh", str(document)], capsys)
    assert _link_statuses(out) == {"slow": "alive"}


def test_max_cache_age_decides_whether_a_check_is_reused(
    fixture_site: FixtureSite, tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    document = _document(tmp_path, fixture_site, "/articles/cache-age")
    config = _online_config(tmp_path, fixture_site)
    args = ["check", "-q", "--config", str(config), "--db", db_url, "--format", "json", str(document)]
    run_cli(args, capsys)
    run_cli(args, capsys)
    assert fixture_site.count("/articles/cache-age") == 1  # the default day: reused
    run_cli([*args, "--max-cache-age", "0"], capsys)
    assert fixture_site.count("/articles/cache-age") == 2
    code, _, err = run_cli([*args, "--max-cache-age", "soon"], capsys)
    assert code == 2 and "expected a duration such as 90s" in err


def test_concurrency_and_timeout_reach_the_network_settings() -> None:
    from datetime import timedelta

    from citecheck.config import Config

    config = cli_module._with_overrides(Config(), ("a", "b"), 3.0, 7, timedelta(hours=2))
    network = config.network
    assert (network.concurrency, network.total_timeout, network.connect_timeout, network.read_timeout) == (
        7,
        3.0,
        3.0,
        3.0,
    )
    assert network.exclude == ("a", "b") and config.cache.ttl_hours == 2.0


def _stderr_through_a_terminal(args: list[str]) -> str:
    """What citecheck writes to standard error when standard error is a terminal (progress bars)."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([*CITECHECK, *args], stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=120)
    os.close(leader)
    return b"".join(chunks).decode(errors="replace")


def test_no_progress_keeps_the_bars_off_a_terminal(tmp_path: Path) -> None:
    args = [
        "check",
        str(CORPUS),
        "--offline",
        "--db",
        f"sqlite:///{tmp_path / 'p.db'}",
        "-o",
        str(tmp_path / "r.json"),
    ]
    assert "Finding citations" in _stderr_through_a_terminal(args)  # the control
    assert "Finding citations" not in _stderr_through_a_terminal([*args, "--no-progress"])


@pytest.mark.parametrize(
    ("policy", "expected"), [("score<20", 1), ("score<10", 0), ("score<19", 1), ("score<18", 0)]
)
def test_fail_on_a_score_threshold(
    policy: str, expected: int, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """consulate-leak.txt scores 18 (its named expert is no vague source since #14)."""
    code, _, _ = run_cli(
        ["check", "--offline", "-q", "--db", db_url, "--fail-on", policy, str(CORPUS / "consulate-leak.txt")],
        capsys,
    )
    assert code == expected


def test_a_bad_fail_on_policy_is_a_usage_error(
    db_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run_cli(
        ["check", "--offline", "--db", db_url, "--fail-on", "score<lots", str(CORPUS)], capsys
    )
    assert code == 2 and "expected failing, dead, unverifiable, weak, never or score<N" in err
    config = tmp_path / "c.yaml"
    config.write_text("report:\n  fail_on: sometimes\n")
    code, _, err = run_cli(
        ["check", "--offline", "--db", db_url, "--config", str(config), str(CORPUS)], capsys
    )
    assert code == 2 and "report.fail_on" in err
