"""The "summary" format, the terminal's default: a block per document, the weightiest reasons, the
flagged sources, and no more documents than a screen holds."""

from __future__ import annotations

import dataclasses
import io

import pytest

from citecheck.models import DocumentResult, RunResult, Verdict, VerdictLabel
from citecheck.report import digest
from citecheck.report.reasons import weightiest_reasons

from .conftest import BRIEFING, DEAD_URL, FAILED, LIVE, VAGUE


@pytest.fixture(autouse=True)
def wide_plain_output(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "LINES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "160")


def _render(result: RunResult) -> str:
    stream = io.StringIO()
    digest.render(result, stream)
    return stream.getvalue()


def test_a_block_per_document_with_score_reasons_and_flagged_sources(run_result: RunResult) -> None:
    output = _render(run_result)
    assert BRIEFING.verdict is not None
    assert "  weak 41/100 · 2 flagged" in output
    for reason in weightiest_reasons(BRIEFING.verdict, 3):
        assert f"  • {reason}" in output
    assert "links: 3 citation(s)" not in output  # the fourth reason waits for the table
    flagged = output[output.index("flagged:") :]
    assert f"✗ {DEAD_URL} — dead 404, none in wayback (line 3, 7)" in flagged
    assert "✗ javascript:alert(document.domain) — malformed, pywb undated (line 6)" in flagged
    assert "Sources familiar" not in flagged  # weak, not flagged
    assert f"error: {FAILED.error}" in output
    assert "2 documents: strong 0 · adequate 0 · weak 1 · unverifiable 0 · failed 1" in output
    assert "8 citations · 3 flagged links (2 without an archived copy) · 2 archived copies found" in output


def _clean(index: int) -> DocumentResult:
    return dataclasses.replace(
        BRIEFING,
        path=f"clean-{index:02d}.txt",
        citations=(LIVE, VAGUE),
        verdict=Verdict(70 + index % 10, VerdictLabel.STRONG, ("sources: 2 distinct source(s)",)),
    )


def test_a_long_run_keeps_the_documents_that_need_a_reader(run_result: RunResult) -> None:
    documents = [_clean(index) for index in range(30)]
    documents[7] = dataclasses.replace(BRIEFING, path="flagged-07.txt")
    documents[25] = dataclasses.replace(FAILED, path="failed-25.txt")
    output = _render(dataclasses.replace(run_result, documents=tuple(documents)))
    headers = [line.split(" — ")[0] for line in output.splitlines() if line.endswith(".txt") or " — " in line]
    shown = [header for header in headers if header.endswith(".txt")]
    assert len(shown) == digest.MAX_DOCUMENTS
    assert "flagged-07.txt" in shown and "failed-25.txt" in shown
    assert shown == sorted(shown, key=lambda name: int(name.split("-")[1][:2]))  # input order
    assert "10 more documents not shown" in output
    # Of the clean ones, the lowest scores are kept: score 70 + index % 10, so index 9 (79) goes first.
    assert "clean-09.txt" not in shown and "clean-00.txt" in shown


def test_a_short_run_shows_every_document(run_result: RunResult) -> None:
    output = _render(dataclasses.replace(run_result, documents=tuple(_clean(i) for i in range(3))))
    assert all(f"clean-{i:02d}.txt" in output for i in range(3))
    assert "not shown" not in output
