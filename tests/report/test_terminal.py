"""The "table" format: one row per source, words carry the meaning, colour only on a terminal and never
with NO_COLOR."""

from __future__ import annotations

import dataclasses
import io

import pytest

from citecheck.models import RunResult
from citecheck.report import RenderOptions, terminal
from citecheck.report.reasons import weightiest_reasons

from .conftest import BRIEFING, DEAD_URL, FAILED, VAGUE, XINHUA

ESC = "\x1b"


class TerminalStream(io.StringIO):
    """A stream that claims to be a terminal, as stdout does in an interactive shell."""

    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's shell must not decide these tests: clear the variables rich reads."""
    for name in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "COLUMNS", "LINES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")


def _render(result: RunResult, stream: io.StringIO, options: RenderOptions | None = None) -> str:
    terminal.render(result, stream, options)
    return stream.getvalue()


def test_terminal_gets_colour(run_result: RunResult) -> None:
    # The control for the two tests below: without this, "no escape codes" would prove nothing.
    assert ESC in _render(run_result, TerminalStream())


def test_no_color_means_no_escape_codes_on_a_terminal(
    run_result: RunResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert ESC not in _render(run_result, TerminalStream())


def test_pipe_gets_no_colour_even_when_forced(run_result: RunResult, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert ESC not in _render(run_result, io.StringIO())


def test_labels_reasons_and_errors_are_words(run_result: RunResult, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")  # a fake terminal has no size; rich would assume 80
    output = _render(run_result, TerminalStream())
    assert BRIEFING.verdict is not None
    assert "score weak 41/100" in output
    for reason in weightiest_reasons(BRIEFING.verdict, terminal.TOP_REASONS):
        assert reason in output
    assert "… and 1 more" in output
    for word in ("strong 85", "unverifiable 5", "weak 30", "dead 404", "alive 200", "malformed"):
        assert word in output
    assert "[state media]" in output and "state-controlled" in output  # the outlet type badge
    assert "wayback 2021-03-04 matched" in output and "none in wayback" in output
    assert "state affiliation: RT is state-controlled" in output  # the row's deciding reason
    assert f"error: {FAILED.error}" in output


def _row_of(output: str, start: str) -> str:
    [line] = [line for line in output.splitlines() if line.startswith(start)]
    return line


def test_one_row_per_source_with_its_count_and_lines(run_result: RunResult) -> None:
    output = _render(run_result, io.StringIO())
    dead_row = _row_of(output, DEAD_URL[:20])
    assert dead_row.split()[1:4] == ["cited", "2", "3,"]  # role, times, lines 3, 7
    assert sum(DEAD_URL[:20] in line for line in output.splitlines()) == 1
    rt_row = _row_of(output, "RT [state media]")
    assert rt_row.split()[4:7] == ["cited", "2", "4,"]


def test_sources_only_named_fold_into_one_line_unless_all(
    run_result: RunResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    folded = _render(run_result, io.StringIO())
    assert f"also named: {XINHUA.name} (1)" in folded
    assert not any(line.startswith(XINHUA.name) for line in folded.splitlines())
    expanded = _render(run_result, io.StringIO(), RenderOptions(all_sources=True))
    assert "also named" not in expanded
    assert _row_of(expanded, XINHUA.name).split()[6:8] == ["mentioned", "1"]


def test_summary_counts(run_result: RunResult) -> None:
    output = _render(run_result, io.StringIO())
    assert "Documents: 2 (1 failed) — strong 0 · adequate 0 · weak 1 · unverifiable 0" in output
    assert "Citations: 8 — url 4 · domain 0 · outlet 3 · vague 1" in output
    assert "Flagged links: 3 (2 without an archived copy)" in output


def test_narrow_terminal_lists_each_source_as_a_block(
    run_result: RunResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    output = _render(run_result, io.StringIO())
    assert "  cited ×2 · line 3, 7" in output and "  dead 404 · none in wayback · unverifiable 5" in output
    assert max(len(line) for line in output.splitlines()) <= 80


def test_medium_terminal_shares_columns(run_result: RunResult, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    output = _render(run_result, io.StringIO())
    assert "Link / archive" in output and "Verdict / deciding reason" in output
    assert max(len(line) for line in output.splitlines()) <= 120
    monkeypatch.setenv("COLUMNS", "160")
    output = _render(run_result, io.StringIO())
    assert "Deciding reason" in output and "Archive" in output and "Link / archive" not in output


def test_escape_sequences_in_documents_cannot_reach_the_terminal(run_result: RunResult) -> None:
    hostile = dataclasses.replace(VAGUE.citation, text="\x1b]0;pwned\x07\x1b[2J said\r\nmore")
    document = dataclasses.replace(BRIEFING, citations=(dataclasses.replace(VAGUE, citation=hostile),))
    output = _render(dataclasses.replace(run_result, documents=(document,)), io.StringIO())
    assert ESC not in output
    assert "pwned" in output  # the text is still shown, only the control characters are replaced


def test_rich_markup_in_documents_is_text(run_result: RunResult) -> None:
    marked = dataclasses.replace(VAGUE.citation, text="[bold red]officials[/] :smile:")
    document = dataclasses.replace(BRIEFING, citations=(dataclasses.replace(VAGUE, citation=marked),))
    output = _render(dataclasses.replace(run_result, documents=(document,)), io.StringIO())
    assert "[bold red]officials[/]" in output
    assert ":smile:" in output
