"""ProgressBars: bars with counts on a terminal, and not a single byte otherwise."""

from __future__ import annotations

import io

import pytest

from citecheck.report.progress import ProgressBars


class TerminalStream(io.StringIO):
    def isatty(self) -> bool:
        return True


def _feed(bars: ProgressBars) -> None:
    with bars as progress:
        progress("ingest", 2, 2)
        progress("extract", 2, 2)
        progress("check", 3, 10)
        progress("archive", 0, 4)


def test_draws_one_bar_per_stage_with_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "xterm-256color")
    stream = TerminalStream()
    _feed(ProgressBars(stream=stream))
    output = stream.getvalue()
    for description in ("Reading documents", "Finding citations", "Checking links", "Looking up archives"):
        assert description in output
    assert "3/10" in output and "0/4" in output
    assert "eta" in output


@pytest.mark.parametrize(
    ("quiet", "stream"),
    [(True, TerminalStream()), (False, io.StringIO())],
    ids=["quiet", "not-a-terminal"],
)
def test_silent_when_quiet_or_not_a_terminal(quiet: bool, stream: io.StringIO) -> None:
    bars = ProgressBars(quiet=quiet, stream=stream)
    assert not bars.enabled
    _feed(bars)
    assert stream.getvalue() == ""


def test_calls_outside_the_context_are_ignored() -> None:
    stream = TerminalStream()
    bars = ProgressBars(stream=stream)
    bars("ingest", 1, 2)
    with bars:
        pass
    bars("check", 1, 2)
    assert "Reading documents" not in stream.getvalue()
