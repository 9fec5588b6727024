"""The Markdown report: golden output, and cells that document text cannot break out of."""

from __future__ import annotations

import io
import re

import pytest

from citecheck.models import RunResult
from citecheck.report import markdown

from .golden import assert_matches_golden

# A cell boundary is a pipe not preceded by a backslash.
_CELL_BOUNDARY = re.compile(r"(?<!\\)\|")


def _render(result: RunResult) -> str:
    stream = io.StringIO()
    markdown.render(result, stream)
    return stream.getvalue()


def test_matches_golden(run_result: RunResult) -> None:
    assert_matches_golden("run.md", _render(run_result))


def test_every_table_row_has_as_many_cells_as_its_header(run_result: RunResult) -> None:
    table: list[str] = []
    tables: list[list[str]] = []
    for line in [*_render(run_result).splitlines(), ""]:
        if line.startswith("|"):
            table.append(line)
        elif table:
            tables.append(table)
            table = []
    assert len(tables) == 2  # the summary and the one document that has citations
    for rows in tables:
        widths = {len(_CELL_BOUNDARY.findall(row)) for row in rows}
        assert len(widths) == 1, rows


def test_document_html_is_escaped_and_javascript_is_not_linked(run_result: RunResult) -> None:
    output = _render(run_result)
    assert "<script>" not in output and "<b>" not in output
    assert r"\<script\>alert(1)\</script\>" in output  # in the quoted sentence of the URL row
    assert r"a \<b\>javascript\</b\> link" in output
    assert "](javascript:" not in output
    assert "names no person<br>or body" in output


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a|b", r"a\|b"),
        ("line one\nline two", "line one<br>line two"),
        ("crlf\r\nend", "crlf<br>end"),
        ("[x](javascript:alert(1))", r"\[x\](javascript:alert(1))"),
        ("*bold* _em_ `code`", r"\*bold\* \_em\_ \`code\`"),
        ("back\\slash", "back\\\\slash"),
        ("", "—"),
        (None, "—"),
    ],
)
def test_cell_escaping(raw: str | None, expected: str) -> None:
    assert markdown.cell(raw) == expected


def test_inline_joins_lines_with_spaces() -> None:
    assert markdown.inline("a\nb|c") == r"a b\|c"


def test_times_are_local_and_to_the_second(run_result: RunResult) -> None:
    """The run started at 10:00:00.123456 UTC: the report says 10:00:00 in the reader's zone (UTC here)."""
    import dataclasses

    moment = run_result.started_at.replace(microsecond=123456)
    meta = _render(dataclasses.replace(run_result, started_at=moment)).splitlines()[2]
    assert "started 2024-05-01 10:00:00 UTC" in meta and ".123456" not in meta
