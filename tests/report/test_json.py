"""The "json" format: written one document at a time, byte for byte what one json.dump would write."""

from __future__ import annotations

import dataclasses
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from citecheck.models import DocumentResult, RunResult
from citecheck.report import json as json_report

from .conftest import BRIEFING, FAILED


def _rendered(result: RunResult) -> str:
    stream = io.StringIO()
    json_report.render(result, stream)
    return stream.getvalue()


@pytest.mark.parametrize("documents", [(), (BRIEFING,), (BRIEFING, FAILED, BRIEFING)])
def test_streamed_output_equals_one_dump(
    run_result: RunResult, documents: tuple[DocumentResult, ...]
) -> None:
    result = dataclasses.replace(run_result, documents=documents)
    expected = json.dumps(json_report.to_dict(result), ensure_ascii=False, indent=2) + "\n"
    assert _rendered(result) == expected


def test_a_document_larger_than_one_write_equals_one_dump(run_result: RunResult) -> None:
    """A document of thousands of citations is written in several pieces; they join up exactly."""
    many = dataclasses.replace(BRIEFING, citations=BRIEFING.citations * 300)
    result = dataclasses.replace(run_result, documents=(BRIEFING, many, FAILED))
    expected = json.dumps(json_report.to_dict(result), ensure_ascii=False, indent=2) + "\n"
    assert len(BRIEFING.citations) > 5 and len(expected) > 1_000_000
    assert _rendered(result) == expected


class _OneShotDocuments:
    """Documents that can be read once, as a stored run's pages are; a renderer must not need two passes."""

    def __init__(self, documents: tuple[DocumentResult, ...]) -> None:
        self._documents: Iterator[DocumentResult] | None = iter(documents)

    def __iter__(self) -> Iterator[DocumentResult]:
        assert self._documents is not None, "documents read twice"
        documents, self._documents = self._documents, None
        return documents


def test_documents_are_read_once() -> None:
    run = RunResult(run_id=7, started_at=datetime(2024, 5, 1, tzinfo=UTC), finished_at=None, offline=True)
    result = dataclasses.replace(run, documents=_OneShotDocuments((BRIEFING, FAILED)))  # type: ignore[arg-type]
    parsed = json.loads(_rendered(result))
    assert [document["path"] for document in parsed["documents"]] == [BRIEFING.path, FAILED.path]
