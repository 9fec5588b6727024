"""The CSV report: golden output, the column contract, error rows and formula defusing."""

from __future__ import annotations

import csv
import dataclasses
import io

from citecheck.models import DocumentResult, RunResult
from citecheck.report import csv as csv_report

from .conftest import BRIEFING, DEAD_URL, FAILED, HOSTILE, VAGUE
from .golden import assert_matches_golden


def _render(result: RunResult) -> str:
    stream = io.StringIO()
    csv_report.render(result, stream)
    return stream.getvalue()


def _rows(result: RunResult) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_render(result))))


def test_matches_golden(run_result: RunResult) -> None:
    assert_matches_golden("run.csv", _render(run_result))


def test_header_is_the_documented_column_list(run_result: RunResult) -> None:
    header = _render(run_result).splitlines()[0].split(",")
    assert header == [
        "path", "document_score", "document_label", "source", "kind", "role", "count", "lines", "quote",
        "url", "malformed", "date", "outlet", "outlet_type", "country", "owner", "funder",
        "state_affiliation", "link_status", "http_status", "final_url", "archive", "memento_url",
        "memento_datetime", "match", "score", "label", "reason", "flagged", "network", "error",
    ]  # fmt: skip
    assert header == list(csv_report.COLUMNS)


def test_one_row_per_source_and_one_per_failed_document(run_result: RunResult) -> None:
    rows = _rows(run_result)
    assert len(rows) == 6 + 1  # five sources relied on, one only named, and the failed document
    assert len(BRIEFING.citations) == 8
    failed = rows[-1]
    assert failed["path"] == FAILED.path
    assert failed["error"] == FAILED.error
    assert all(value == "" for key, value in failed.items() if key not in {"path", "network", "error"})
    assert all(row["error"] == "" for row in rows[:-1])
    dead = rows[1]
    assert (dead["url"], dead["count"], dead["lines"], dead["flagged"]) == (DEAD_URL, "2", "3 7", "yes")


def test_values_round_trip(run_result: RunResult) -> None:
    rows = {row["source"]: row for row in _rows(run_result)}
    state_media = rows["RT"]
    assert state_media["date"] == "--06-11"  # a reduced ISO date is written as is, never defused
    assert (state_media["outlet_type"], state_media["state_affiliation"]) == ("state_media", "controlled")
    assert (state_media["role"], state_media["count"], state_media["lines"]) == ("cited", "2", "4 7")
    assert rows["Sources familiar with the matter"]["reason"].endswith("names no person\nor body")
    hostile = rows[HOSTILE.citation.url or ""]
    assert HOSTILE.citation.text in hostile["quote"]
    assert hostile["memento_url"] == "javascript:alert(3)"  # CSV is data: shown as is, never a link
    assert rows["Xinhua News Agency"]["role"] == "mentioned"


def test_formula_cells_from_documents_are_defused(run_result: RunResult) -> None:
    formula = dataclasses.replace(VAGUE.citation, text='=HYPERLINK("http://evil.test","x")')
    document = dataclasses.replace(BRIEFING, citations=(dataclasses.replace(VAGUE, citation=formula),))
    (row,) = _rows(dataclasses.replace(run_result, documents=(document,)))
    assert row["source"] == "'" + formula.text


def test_document_without_citations_still_gets_a_row(run_result: RunResult) -> None:
    empty = DocumentResult(path="reports/quiet.txt", document=BRIEFING.document, verdict=BRIEFING.verdict)
    (row,) = _rows(dataclasses.replace(run_result, documents=(empty,)))
    assert (row["path"], row["document_score"], row["kind"]) == ("reports/quiet.txt", "41", "")


def test_every_row_says_what_the_run_could_reach(run_result: RunResult) -> None:
    # Issue 15: a run without network is a run-level fact every report states; in a CSV file that is
    # a column on every row, so a filtered sheet still shows it.
    no_network = dataclasses.replace(run_result, offline=False, no_network="no network: probe refused")
    offline = dataclasses.replace(run_result, offline=True, no_network=None)
    online = dataclasses.replace(run_result, offline=False, no_network=None)
    for result, expected in ((no_network, "no network"), (offline, "offline"), (online, "online")):
        rows = _rows(result)
        assert len(rows) == 7
        assert {row["network"] for row in rows} == {expected}
