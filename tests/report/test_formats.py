"""Every human-facing format, reached through the dispatcher, on runs that are unusual in shape."""

from __future__ import annotations

import dataclasses
import io
from datetime import UTC, datetime

import pytest

from citecheck.models import (
    ArchiveMatch,
    CitationResult,
    DocumentResult,
    LinkCheck,
    LinkStatus,
    RunResult,
    Snapshot,
)
from citecheck.report import render

from .conftest import BRIEFING, DEAD, LIVE

HUMAN_FORMATS = ("table", "markdown", "html", "csv")


def _odd_run() -> RunResult:
    """Offline, unscored, a document without citations, a snapshot without a date, a redirect."""
    redirected = dataclasses.replace(
        LIVE,
        link=LinkCheck(
            url=LIVE.citation.url or "",
            status=LinkStatus.REDIRECTED,
            http_status=301,
            final_url="https://www.reuters.com/world/moved/",
        ),
        snapshot=Snapshot(
            url=LIVE.citation.url or "",
            archive="pywb",
            found=True,
            memento_url="http://127.0.0.1:8080/coll/2021/https://www.reuters.com/",
            match=ArchiveMatch.MISMATCH,
        ),
        verdict=None,
    )
    offline = CitationResult(
        citation=DEAD.citation, link=LinkCheck(DEAD.citation.url or "", LinkStatus.UNKNOWN_OFFLINE)
    )
    return RunResult(
        run_id=None,
        started_at=datetime(2024, 5, 1, tzinfo=UTC),
        finished_at=None,
        offline=True,
        documents=(
            dataclasses.replace(BRIEFING, citations=(redirected, offline), verdict=None),
            DocumentResult(path="reports/no-citations.txt", document=BRIEFING.document, citations=()),
        ),
    )


@pytest.mark.parametrize("fmt", HUMAN_FORMATS)
def test_unusual_run_renders(fmt: str) -> None:
    stream = io.StringIO()
    render(_odd_run(), fmt, stream)
    output = stream.getvalue()
    assert "reports/no-citations.txt" in output
    if fmt != "csv":
        assert "offline" in output.lower()


@pytest.mark.parametrize("fmt", HUMAN_FORMATS)
def test_empty_run_renders(fmt: str) -> None:
    stream = io.StringIO()
    render(
        RunResult(run_id=1, started_at=datetime(2024, 5, 1, tzinfo=UTC), finished_at=None, offline=False),
        fmt,
        stream,
    )
    assert stream.getvalue().endswith("\n")


def test_sources_only_named_are_one_line_and_rows_with_all() -> None:
    """Terminal and Markdown fold a source the document only names into "also named"; --all makes it a
    row that says "mentioned"; a cited source is never folded."""
    from citecheck.models import Role
    from citecheck.report import RenderOptions, markdown, terminal

    from .conftest import BRIEFING, STATE_MEDIA, build_run

    mentioned = dataclasses.replace(
        STATE_MEDIA, citation=dataclasses.replace(STATE_MEDIA.citation, role=Role.MENTIONED)
    )
    document = dataclasses.replace(BRIEFING, citations=(mentioned,))
    run = dataclasses.replace(build_run(), documents=(document,))
    for module in (markdown, terminal):
        stream = io.StringIO()
        module.render(run, stream)
        assert "lso named:" in stream.getvalue() and "RT (1)" in stream.getvalue(), module.__name__
        stream = io.StringIO()
        module.render(run, stream, RenderOptions(all_sources=True))
        assert "lso named" not in stream.getvalue() and "mentioned" in stream.getvalue(), module.__name__
    stream = io.StringIO()
    markdown.render(
        dataclasses.replace(run, documents=(dataclasses.replace(BRIEFING, citations=(STATE_MEDIA,)),)), stream
    )
    assert "Also named" not in stream.getvalue() and "| RT (state media" in stream.getvalue()


@pytest.mark.parametrize("fmt", ("table", "markdown", "html"))
def test_direction_controls_are_shown_not_obeyed(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # the table folds long sources at narrower widths
    # U+202E would make "fdp.exe" display as "exe.pdf"; reading formats show the code point instead
    spoofed_url = "https://example-news.test/\u202efdp.exe"
    spoofed = dataclasses.replace(DEAD.citation, text=spoofed_url, url=spoofed_url)
    document = dataclasses.replace(BRIEFING, citations=(dataclasses.replace(DEAD, citation=spoofed),))
    run = RunResult(run_id=1, started_at=datetime(2024, 5, 1, tzinfo=UTC), finished_at=None, offline=False)
    stream = io.StringIO()
    render(dataclasses.replace(run, documents=(document,)), fmt, stream)
    output = stream.getvalue()
    assert "\u202e" not in output
    assert "⟨U+202E⟩fdp.exe" in output


class _WatchedDocuments:
    """Documents that note, each time one is handed out, how much of the report had been written."""

    def __init__(self, documents: tuple[DocumentResult, ...], stream: io.StringIO) -> None:
        self.documents = documents
        self.stream = stream
        self.passes: list[list[int]] = []

    def __iter__(self):  # type: ignore[no-untyped-def]
        written: list[int] = []
        self.passes.append(written)
        for document in self.documents:
            written.append(len(self.stream.getvalue()))
            yield document

    def __len__(self) -> int:
        return len(self.documents)


# Where each document's own part of the report starts, per format.
_SECTION_MARKERS = {
    "markdown": "## {path}",
    "html": 'data-path="{path}"',
    "json": '"path": "{path}"',
    "csv": "{path},",
}


@pytest.mark.parametrize("fmt", sorted(_SECTION_MARKERS))
def test_reports_are_written_a_document_at_a_time(fmt: str) -> None:
    paths = [f"reports/part-{n}.txt" for n in range(4)]
    documents = tuple(dataclasses.replace(BRIEFING, path=path) for path in paths)
    stream = io.StringIO()
    watched = _WatchedDocuments(documents, stream)
    run = RunResult(
        run_id=1,
        started_at=datetime(2024, 5, 1, tzinfo=UTC),
        finished_at=None,
        offline=False,
        documents=watched,
    )
    render(run, fmt, stream)
    report = stream.getvalue()
    marker = _SECTION_MARKERS[fmt]
    assert all(marker.format(path=path) in report for path in paths)
    # On the pass that writes the sections, each document's section is out before the next is read.
    last_pass = watched.passes[-1]
    for index in range(1, len(paths)):
        assert marker.format(path=paths[index - 1]) in report[: last_pass[index]], (fmt, index)


ARCHIVED_NOTE = (
    "read from the archived copy from web of 2020-04-07 "
    "(http://127.0.0.1:8080/web/20200407120000/https://example.test/gone): the live page answered HTTP 404"
)


def _noted_run() -> RunResult:
    assert BRIEFING.document is not None
    noted = dataclasses.replace(BRIEFING, document=dataclasses.replace(BRIEFING.document, note=ARCHIVED_NOTE))
    return RunResult(
        run_id=3,
        started_at=datetime(2024, 5, 1, tzinfo=UTC),
        finished_at=None,
        offline=False,
        documents=(noted,),
    )


@pytest.mark.parametrize("fmt", ["summary", "table", "markdown"])
def test_a_document_read_from_an_archived_copy_says_so(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The note reached only the JSON report and the database: a reader of the other reports took an
    archived copy for the live page (#18)."""
    monkeypatch.setenv("COLUMNS", "240")
    stream = io.StringIO()
    render(_noted_run(), fmt, stream)
    shown = " ".join(stream.getvalue().split())
    assert "note: read from the archived copy from web of 2020-04-07" in shown.lower().replace("*", "")
    assert "the live page answered HTTP 404" in shown
