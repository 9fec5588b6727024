"""CLI wiring: config errors, exit codes, stdin, runs and re-rendering a stored run."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from citecheck.cli import main
from tests.conftest import CORPUS


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(args)
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("network:\n  timeout_everything: 3\n", "network.timeout_everything: unknown key"),
        ("network:\n  concurrency: lots\n", "network.concurrency"),
        ("bogus_section: {}\n", "bogus_section: unknown key"),
        ("network: [1, 2\n", "invalid YAML"),
        ("- just\n- a list\n", "top level must be a mapping"),
    ],
)
def test_config_errors_exit_2_naming_file_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, expected: str
) -> None:
    config = tmp_path / "bad.yaml"
    config.write_text(content)
    code, _, err = run_cli(
        ["check", "--offline", "--config", str(config), str(CORPUS / "consulate-leak.txt")], capsys
    )
    assert code == 2
    assert str(config) in err and expected in err
    assert len(err.strip().splitlines()) == 1


def test_missing_config_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(
        ["extract", "--config", str(tmp_path / "nope.yaml"), str(CORPUS / "consulate-leak.txt")], capsys
    )
    assert code == 2 and "config file not found" in err


def test_config_from_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "env.yaml"
    config.write_text("input:\n  max_bytes: 10\n")
    monkeypatch.setenv("CITECHECK_CONFIG", str(config))
    code, out, _ = run_cli(["extract", "--format", "json", str(CORPUS / "consulate-leak.txt")], capsys)
    assert code == 2  # the only input is now too large
    assert "too large" in json.loads(out)["documents"][0]["error"]


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run_cli(["check"], capsys)
    assert code == 2


def test_check_offline_then_runs_and_report(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(
        [
            "check",
            "--offline",
            "--quiet",
            "--db",
            db_url,
            "--format",
            "json",
            "--fail-on",
            "never",
            str(CORPUS),
        ],
        capsys,
    )
    assert code == 0
    first = json.loads(out)
    assert len(first["documents"]) == 5 and first["run"]["offline"] is True
    code, out, _ = run_cli(["runs", "--db", db_url], capsys)
    assert code == 0 and f"{first['run']['id']:>5}" in out and "finished" in out
    code, out, _ = run_cli(
        ["report", str(first["run"]["id"]), "--db", db_url, "--format", "json", "--fail-on", "never"], capsys
    )
    again = json.loads(out)
    assert again == first


def test_fail_on_policy_sets_exit_code(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = tmp_path / "broken.txt"
    document.write_text(
        "Source: Radio France Internationale, March 19, 2021\nhttps://www.rfi.fr/cn/%E4%B8%93%E6%A0\n"
    )
    code, _, _ = run_cli(
        ["check", "--offline", "-q", "--db", db_url, "--format", "json", str(document)], capsys
    )
    assert code == 1  # default policy: a broken (malformed) link is flagged
    code, _, _ = run_cli(
        ["check", "--offline", "-q", "--db", db_url, "--format", "json", "--fail-on", "never", str(document)],
        capsys,
    )
    assert code == 0


def test_stdin_input(
    db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"According to Reuters, it rained.\n")))
    code, out, _ = run_cli(["extract", "--format", "json", "-"], capsys)
    assert code == 0
    [document] = json.loads(out)["documents"]
    assert document["path"] == "-"


def test_every_input_failing_exits_2(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    code, out, _ = run_cli(
        ["check", "--offline", "-q", "--db", db_url, "--format", "json", str(empty)], capsys
    )
    assert code == 2
    assert json.loads(out)["documents"][0]["error"] == "document is empty"


def test_db_upgrade_command(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["db", "upgrade", "--db", db_url], capsys)
    assert code == 0 and "revision" in out


def test_every_command_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    from citecheck.cli import cli

    def walk(group: object, prefix: list[str]) -> list[list[str]]:
        commands = getattr(group, "commands", {})
        found = []
        for name, command in commands.items():
            assert command.help, f"{' '.join(prefix + [name])} has no help text"
            found.append(prefix + [name])
            found += walk(command, prefix + [name])
        return found

    assert len(walk(cli, [])) >= 9


@pytest.mark.parametrize(
    ("fail_on", "broken_link_doc", "vague_only_doc"),
    [("dead", 1, 0), ("unverifiable", 1, 0), ("weak", 1, 1), ("never", 0, 0)],
)
def test_exit_code_for_each_fail_on_value(
    db_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    fail_on: str,
    broken_link_doc: int,
    vague_only_doc: int,
) -> None:
    broken = tmp_path / "broken.txt"
    broken.write_text("It rained (Reuters, May 1, 2024).\nSource: Reuters\nhttps://www.reuters.com/a%E5%91\n")
    vague = tmp_path / "vague.txt"
    vague.write_text("Sources say it rained. Some analysts say it was bad.\n")
    for path, expected in ((broken, broken_link_doc), (vague, vague_only_doc)):
        code, _, _ = run_cli(
            ["check", "--offline", "-q", "--db", db_url, "--format", "json", "--fail-on", fail_on, str(path)],
            capsys,
        )
        assert code == expected, (path.name, fail_on)


def test_outlets_search_and_show(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["outlets", "search", "Kyodo"], capsys)
    assert code == 0 and "kyodo" in out.lower() and "wire service" in out
    code, out, _ = run_cli(["outlets", "show", "Radio Free Asia"], capsys)
    assert code == 0 and "funder" in out and "public_broadcaster" in out and "sources" in out
    code, out, _ = run_cli(["outlets", "show", "bbc.com/zhongwen/simp/1"], capsys)
    assert code == 0 and "BBC Chinese" in out
    code, _, _ = run_cli(["outlets", "show", "No Such Outlet Anywhere"], capsys)
    assert code == 1


def test_eval_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["eval", str(CORPUS / "gold.yaml"), str(CORPUS), "--json"], capsys)
    assert code == 0
    assert json.loads(out)["overall"]["urls"]["f1"] == 1.0


def test_terminal_default_is_the_summary(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(
        ["check", "--offline", "-q", "--db", db_url, "--fail-on", "never", str(CORPUS)], capsys
    )
    assert code == 0
    assert "Deciding reason" not in out and "Summary" not in out  # no table
    assert out.count("  • ") == 15  # three reasons for each of the five documents
    assert "5 documents: strong" in out


def test_the_five_examples_fit_on_one_screen(
    db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`make demo` prints this: a person reads it in one screen (50 lines of 120 columns)."""
    monkeypatch.setenv("COLUMNS", "120")
    code, out, _ = run_cli(["check", "--offline", "-q", "--db", db_url, str(CORPUS)], capsys)
    assert code == 1  # the examples flag a malformed link
    assert len(out.splitlines()) <= 50
    assert max(len(line) for line in out.splitlines()) <= 120


def test_table_groups_sources_and_all_lists_the_mentioned(
    db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    document = CORPUS / "consulate-leak.txt"
    args = [
        "check",
        "--offline",
        "-q",
        "--db",
        db_url,
        "--fail-on",
        "never",
        "--format",
        "table",
        str(document),
    ]
    code, out, _ = run_cli(args, capsys)
    assert code == 0
    also_named = [line for line in out.splitlines() if line.startswith("also named: ")]
    assert len(also_named) == 1 and "Chinese Communist Party (" in also_named[0]
    assert not any(line.startswith("Chinese Communist Party") for line in out.splitlines())
    code, out, _ = run_cli([*args, "--all"], capsys)
    rows = [line for line in out.splitlines() if line.startswith("Chinese Communist Party")]
    assert len(rows) == 1 and " mentioned " in rows[0]  # one row, however many times it is named
    assert "also named" not in out


@pytest.mark.parametrize(
    ("name", "marker"),
    [
        ("r.html", "<!doctype html>"),
        ("r.json", '"schema"'),
        ("r.md", "# citecheck report"),
        ("r.csv", "path,document_score"),
    ],
)
def test_output_file_takes_its_format_from_the_name_and_the_terminal_gets_the_summary(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, marker: str
) -> None:
    target = tmp_path / name
    code, out, _ = run_cli(
        ["check", "--offline", "--db", db_url, "--fail-on", "never", "-o", str(target), str(CORPUS)],
        capsys,
    )
    assert code == 0
    assert marker in target.read_text(encoding="utf-8")[:200]
    assert out.count("  • ") == 15 and "5 documents: strong" in out
    assert out.rstrip().endswith(f"report written to {target}")


def test_output_file_with_quiet_prints_nothing(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "report.txt"
    code, out, err = run_cli(
        [
            "check",
            "--offline",
            "--quiet",
            "--db",
            db_url,
            "--fail-on",
            "never",
            "-o",
            str(target),
            str(CORPUS),
        ],
        capsys,
    )
    assert code == 0 and out == "" and err == ""
    assert "also named:" in target.read_text(encoding="utf-8")  # no known suffix: the table
