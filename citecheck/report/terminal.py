"""The "table" format: a RunResult drawn with rich for a person reading a terminal.

In: a RunResult. Out: per document a header (score, label, top reasons) and a citation table, then a
summary across documents. Colour is a second channel, never the only one: every status, label and outlet
type is also written as a word, so the output reads the same with NO_COLOR set or piped into a file.

Run-wide counts come from `summary.py`, shared with the Markdown and HTML reports.
"""

from __future__ import annotations

import os
import re
from typing import TextIO

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from ..models import (
    Affiliation,
    ArchiveMatch,
    CitationKind,
    CitationResult,
    DocumentResult,
    LinkStatus,
    OutletType,
    Role,
    RunResult,
    Snapshot,
    VerdictLabel,
)
from .summary import as_words, has_archived_copy, reveal_direction_controls, summarize

__all__ = ["render"]

# How many of a document's reasons the header shows; the rest are in the HTML and JSON reports.
TOP_REASONS = 3
# Width used when the stream is not a terminal and COLUMNS is unset: rich would fall back to 80 columns,
# which folds an eight-column table into unreadable slivers in a log file.
FILE_WIDTH = 120
# Below this many columns eight table columns wrap every word; the compact layout uses six.
WIDE_LAYOUT = 110

LABEL_STYLES: dict[VerdictLabel, str] = {
    VerdictLabel.STRONG: "bold green",
    VerdictLabel.ADEQUATE: "cyan",
    VerdictLabel.WEAK: "yellow",
    VerdictLabel.UNVERIFIABLE: "bold red",
}
KIND_STYLES: dict[CitationKind, str] = {
    CitationKind.URL: "blue",
    CitationKind.DOMAIN: "blue",
    CitationKind.OUTLET: "default",
    CitationKind.VAGUE: "magenta",
}
# Outlet types a reader should notice at a glance; the rest get a quiet badge.
LOUD_OUTLET_TYPES = frozenset({OutletType.STATE_MEDIA, OutletType.LEAK, OutletType.ADVOCACY})

# C0 controls except tab, DEL and C1 controls. rich strips only a few of these, and a document that
# smuggles ESC sequences into its citations must not be able to repaint the reader's terminal.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"\r\n|[\n\r\x85\u2028\u2029]")


def _printable(text: str) -> str:
    """Document text made safe for a terminal: control characters shown as U+FFFD, direction controls
    as their code points, lines joined."""
    return reveal_direction_controls(_CONTROL_CHARACTERS.sub("\ufffd", _LINE_BREAKS.sub(" ", text)))


def _status_style(status: LinkStatus) -> str:
    if status.is_broken:
        return "bold red"
    if status is LinkStatus.ALIVE:
        return "green"
    if status is LinkStatus.UNKNOWN_OFFLINE:
        return "dim"
    return "yellow"


def _labelled(label: VerdictLabel, number: int) -> Text:
    """`weak 41`: a label word in its colour followed by a score or a count."""
    return Text.assemble((str(label), LABEL_STYLES[label]), f" {number}")


def _link_cell(item: CitationResult) -> Text:
    """Only the status word and code: the long parts (final URL, what is malformed) go under the source."""
    if item.citation.malformed:
        return Text("malformed", style="bold red")
    if item.link is None:
        return Text("—" if item.citation.url is None else "not checked", style="dim")
    cell = Text(as_words(item.link.status), style=_status_style(item.link.status))
    if item.link.http_status is not None:
        cell.append(f" {item.link.http_status}")
    return cell


def _source_cell(item: CitationResult) -> Text:
    citation = item.citation
    cell = Text(_printable(citation.text))
    if citation.malformed:
        cell.append(f"\nmalformed: {_printable(citation.malformed)}", style="red")
    link = item.link
    if link is not None and link.final_url and link.final_url != link.url:
        cell.append(f"\n→ {_printable(link.final_url)}", style="dim")
    return cell


def _archive_cell(snapshot: Snapshot | None) -> Text:
    if snapshot is None:
        return Text("—", style="dim")
    if not has_archived_copy(snapshot):
        return Text(f"none in {_printable(snapshot.archive)}", style="red")
    when = snapshot.memento_datetime.date().isoformat() if snapshot.memento_datetime else "undated"
    cell = Text.assemble((f"{_printable(snapshot.archive)} {when}", "green"))
    if snapshot.match is not ArchiveMatch.NOT_CHECKED:
        cell.append(
            f"\n{snapshot.match}", style="bold red" if snapshot.match is ArchiveMatch.MISMATCH else "dim"
        )
    return cell


def _outlet_cell(item: CitationResult) -> Text:
    outlet = item.citation.outlet
    if outlet is None:
        return Text("unknown source" if item.citation.kind is CitationKind.VAGUE else "—", style="dim")
    badge_style = "bold red" if outlet.type in LOUD_OUTLET_TYPES else "dim"
    cell = Text(_printable(outlet.name))
    cell.append(f"\n[{as_words(outlet.type)}]", style=badge_style)
    if outlet.state_affiliation is not Affiliation.NONE:
        cell.append(f"\nstate-{outlet.state_affiliation}", style="red")
    return cell


def _verdict_cell(item: CitationResult) -> Text:
    if item.verdict is None:
        return Text("—", style="dim")
    cell = _labelled(item.verdict.label, item.verdict.score)
    if item.verdict.reasons:
        cell.append(f"\n{_printable(item.verdict.reasons[0])}", style="dim")
    return cell


def _kind_cell(item: CitationResult) -> Text:
    """The kind, and the role when the document does not simply cite the source."""
    citation = item.citation
    cell = Text(str(citation.kind), style=KIND_STYLES[citation.kind])
    if citation.role is not Role.CITED:
        cell.append(f"\n{citation.role}", style="dim")
    return cell


def _citation_table(document: DocumentResult, compact: bool) -> Table:
    """Eight columns on a wide console; on a narrow one the date joins the source and the archive the link.

    Short status columns keep their natural width and never wrap; the free-text columns share the rest.
    """
    table = Table(box=box.SIMPLE_HEAD, expand=True, show_edge=False, pad_edge=False)
    table.add_column("Line", justify="right", no_wrap=True)
    table.add_column("Kind", no_wrap=True)
    table.add_column("Source", ratio=2, overflow="fold")
    table.add_column("Outlet", ratio=2, overflow="fold")
    if not compact:
        table.add_column("Date", no_wrap=True)
    table.add_column("Link / archive" if compact else "Link", no_wrap=not compact, overflow="fold")
    if not compact:
        table.add_column("Archive", no_wrap=True)
    table.add_column("Verdict", ratio=2, overflow="fold")
    for item in document.citations:
        citation = item.citation
        date = citation.date.iso() if citation.date else None
        source, link, archive = _source_cell(item), _link_cell(item), _archive_cell(item.snapshot)
        if compact:
            if date:
                source.append(f"\ndated {date}", style="dim")
            if item.snapshot is not None:
                link.append("\n").append_text(archive)
            middle: list[Text | str] = [link]
        else:
            middle = [date or "—", link, archive]
        table.add_row(
            str(citation.line),
            _kind_cell(item),
            source,
            _outlet_cell(item),
            *middle,
            _verdict_cell(item),
        )
    return table


def _document_block(document: DocumentResult, compact: bool) -> Group:
    header = Text(_printable(document.path), style="bold")
    title = document.document.title if document.document else None
    if title:
        header.append(f" — {_printable(title)}")
    if document.error:
        return Group(header, Text.assemble(("error: ", "bold red"), _printable(document.error)), Text())
    parts: list[Text | Table] = [header]
    if document.verdict is None:
        parts.append(Text("not scored", style="dim"))
    else:
        verdict = document.verdict
        parts.append(Text.assemble("score ", _labelled(verdict.label, verdict.score), "/100"))
        parts.extend(Text(f"  • {_printable(reason)}") for reason in verdict.reasons[:TOP_REASONS])
        if len(verdict.reasons) > TOP_REASONS:
            parts.append(Text(f"  … and {len(verdict.reasons) - TOP_REASONS} more", style="dim"))
    if document.citations:
        parts.append(_citation_table(document, compact))
    else:
        parts.append(Text("no citations found", style="dim"))
    parts.append(Text())
    return Group(*parts)


def _summary_block(result: RunResult) -> Group:
    summary = summarize(result)
    documents = Text(f"Documents: {summary.documents}")
    if summary.failed:
        documents.append(f" ({summary.failed} failed)", style="red")
    documents.append(" — ")
    documents.append(Text(" · ").join(_labelled(label, count) for label, count in summary.labels.items()))
    if summary.unscored:
        documents.append(f" · not scored {summary.unscored}")
    kinds = " · ".join(f"{kind} {count}" for kind, count in summary.kinds.items())
    flagged = Text(
        f"Flagged links: {summary.flagged_links}", style="bold red" if summary.flagged_links else ""
    )
    if summary.flagged_links:
        flagged.append(f" ({summary.flagged_without_archive} without an archived copy)")
    lines = [
        Text("Summary", style="bold underline"),
        documents,
        Text(f"Citations: {summary.citations} — {kinds}"),
        flagged,
        Text(f"Archived copies found: {summary.archived}"),
    ]
    if result.offline:
        lines.append(Text("Offline run: links and archives were not checked.", style="yellow"))
    return Group(*lines)


def _console(stream: TextIO) -> Console:
    """A console that colours only a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    try:
        is_terminal = stream.isatty()
    except (AttributeError, ValueError):
        is_terminal = False
    colour = is_terminal and not os.environ.get("NO_COLOR")
    width = None if is_terminal or os.environ.get("COLUMNS") else FILE_WIDTH
    # force_terminal is explicit so FORCE_COLOR/TTY_COMPATIBLE cannot turn colour on in a pipe;
    # markup, emoji and highlighting are off because the text comes from untrusted documents.
    return Console(
        file=stream,
        force_terminal=is_terminal,
        color_system="auto" if colour else None,
        no_color=not colour,
        width=width,
        markup=False,
        emoji=False,
        highlight=False,
        soft_wrap=False,
    )


def render(result: RunResult, stream: TextIO) -> None:
    console = _console(stream)
    compact = console.width < WIDE_LAYOUT
    for document in result.documents:
        console.print(_document_block(document, compact))
    console.print(_summary_block(result))
