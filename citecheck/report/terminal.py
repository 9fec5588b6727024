"""The "table" format: each document's sources as a table, drawn with rich for a terminal.

In: a RunResult. Out: per document a header (score, label, the reasons that weigh most) and one row per
distinct source (`sources.py`): role, how many times and on which lines, link status, archived copy,
verdict and the reason that decided it. Sources the document only names are folded into one
"also named: …" line unless `--all` asks for them as rows. The run's counts close the report.

Colour is a second channel, never the only one: every status, label and outlet type is also written as
a word, so the output reads the same with NO_COLOR set or piped into a file. The console helpers here
(`make_console`, `printable`, `labelled`) are shared with the summary format (`digest.py`).
"""

from __future__ import annotations

import os
import re
from typing import TextIO

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ..models import (
    Affiliation,
    ArchiveMatch,
    CitationKind,
    DocumentResult,
    LinkStatus,
    OutletType,
    RunResult,
    VerdictLabel,
)
from .options import RenderOptions
from .reasons import weightiest_reasons
from .sources import SourceGroup, group_sources
from .summary import (
    archive_absence,
    as_words,
    flagged_detail,
    has_archived_copy,
    link_status_words,
    no_network_notice,
    readable_url,
    reveal_direction_controls,
    skipped_lines,
    summarize,
)
from .titles import display_title

__all__ = [
    "LINES_SHOWN",
    "TOP_REASONS",
    "also_named_line",
    "archive_words",
    "document_header",
    "labelled",
    "lines_words",
    "link_words",
    "make_console",
    "note_lines",
    "printable",
    "render",
    "readable_url",
    "shortened",
    "display_name",
    "summary_block",
]

# How many of a document's reasons the header shows; the rest are in the HTML and JSON reports.
TOP_REASONS = 3
# How many line numbers a row lists before "+N".
LINES_SHOWN = 4
# Longest source name a row shows (a long URL is cut in the middle; the HTML and JSON reports keep it).
SOURCE_CHARS = 72
SOURCE_CHARS_COMPACT = 60
# Width used when the stream is not a terminal and COLUMNS is unset: rich would fall back to 80 columns,
# which folds a table into unreadable slivers in a log file.
FILE_WIDTH = 120
# From this many columns every field has a column of its own; below it the archive shares the link's
# column and the reason the verdict's; below NARROW_LAYOUT each source is a short block of lines.
WIDE_LAYOUT = 150
NARROW_LAYOUT = 100

LABEL_STYLES: dict[VerdictLabel, str] = {
    VerdictLabel.STRONG: "bold green",
    VerdictLabel.ADEQUATE: "cyan",
    VerdictLabel.WEAK: "yellow",
    VerdictLabel.UNVERIFIABLE: "bold red",
}
# Outlet types a reader should notice at a glance; the rest get a quiet badge.
LOUD_OUTLET_TYPES = frozenset({OutletType.STATE_MEDIA, OutletType.LEAK, OutletType.ADVOCACY})

# C0 controls except tab, DEL and C1 controls. rich strips only a few of these, and a document that
# smuggles ESC sequences into its citations must not be able to repaint the reader's terminal.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"\r\n|[\n\r\x85\u2028\u2029]")


def printable(text: str) -> str:
    """Document text made safe for a terminal: control characters shown as U+FFFD, direction controls
    as their code points, lines joined."""
    return reveal_direction_controls(_CONTROL_CHARACTERS.sub("\ufffd", _LINE_BREAKS.sub(" ", text)))


def labelled(label: VerdictLabel, number: int, suffix: str = "") -> Text:
    """`weak 41`: a label word in its colour followed by a score or a count."""
    return Text.assemble((str(label), LABEL_STYLES[label]), f" {number}{suffix}")


def status_style(status: LinkStatus) -> str:
    if status.is_broken:
        return "bold red"
    if status is LinkStatus.ALIVE:
        return "green"
    if status is LinkStatus.UNKNOWN_OFFLINE:
        return "dim"
    return "yellow"


def link_words(group: SourceGroup) -> Text:
    """The link status as words ("dead 404", "malformed"), or an empty text for a source without a link."""
    citation = group.representative.citation
    if citation.malformed:
        return Text("malformed", style="bold red")
    link = group.link
    if link is None:
        return Text("not checked", style="dim") if citation.kind is CitationKind.URL else Text()
    cell = Text(link_status_words(link), style=status_style(link.status))
    if link.http_status is not None:
        cell.append(f" (HTTP {link.http_status})" if link.history else f" {link.http_status}")
    return cell


def archive_words(group: SourceGroup) -> Text:
    snapshot = group.snapshot
    if snapshot is None:
        return Text()
    if not has_archived_copy(snapshot):
        return Text(printable(archive_absence(snapshot)), style="red")
    when = snapshot.memento_datetime.date().isoformat() if snapshot.memento_datetime else "undated"
    cell = Text(f"{printable(snapshot.archive)} {when}", style="green")
    if snapshot.match is not ArchiveMatch.NOT_CHECKED:
        style = "bold red" if snapshot.match is ArchiveMatch.MISMATCH else "dim"
        cell.append(f" {as_words(snapshot.match)}", style=style)
    return cell


def lines_words(lines: tuple[int, ...], shown: int = LINES_SHOWN) -> str:
    text = ", ".join(str(line) for line in lines[:shown])
    return text + (f" +{len(lines) - shown}" if len(lines) > shown else "")


def shortened(text: str, width: int) -> str:
    """`text` cut in the middle to at most `width` characters: both ends of a URL say the most."""
    if len(text) <= width:
        return text
    head = (width - 1) * 2 // 3
    return text[:head] + "…" + text[len(text) - (width - 1 - head) :]


def display_name(group: SourceGroup) -> str:
    """A source's name as a reader wants it: a URL with its percent-escapes decoded where they are text."""
    return readable_url(group.name) if group.kind is CitationKind.URL else group.name


def _source_cell(group: SourceGroup, width: int) -> Text:
    cell = Text(shortened(printable(display_name(group)), width))
    outlet = group.outlet
    if outlet is not None:
        cell.append(
            f" [{as_words(outlet.type)}]", style="bold red" if outlet.type in LOUD_OUTLET_TYPES else "dim"
        )
        if outlet.state_affiliation is not Affiliation.NONE:
            cell.append(f" state-{outlet.state_affiliation}", style="red")
        if not outlet.registered:
            cell.append(" not in registry", style="dim")
    elif group.kind is CitationKind.VAGUE:
        cell.append(" [vague]", style="magenta")
    other_forms = [form for form in group.written if form != group.name]
    if other_forms and group.kind is not CitationKind.URL:
        cell.append(f"\nas {', '.join(printable(form) for form in other_forms[:3])}", style="dim")
    citation = group.representative.citation
    if citation.malformed:
        cell.append(f"\nmalformed: {printable(citation.malformed)}", style="red")
    link = group.link
    if link is not None and link.final_url and link.final_url != link.url:
        cell.append(f"\n→ {printable(link.final_url)}", style="dim")
    return cell


def _verdict_cell(group: SourceGroup, with_reason: bool) -> Text:
    verdict = group.verdict
    if verdict is None:
        return Text("—", style="dim")
    cell = labelled(verdict.label, verdict.score)
    if with_reason and group.reason:
        cell.append(f"\n{printable(group.reason)}", style="dim")
    return cell


def _source_table(groups: tuple[SourceGroup, ...], width: int) -> Table:
    """One row per source. The link and archive columns appear only when a source in the table has a
    link or an archive look-up; below WIDE_LAYOUT columns the archive joins the link and the reason
    joins the verdict, so the source and the reason keep room to be read.

    Short columns keep their natural width and never wrap; the source and the reason share the rest.
    """
    wide = width >= WIDE_LAYOUT
    with_links = any(group.kind is CitationKind.URL or group.link is not None for group in groups)
    with_archive = any(group.snapshot is not None for group in groups)
    table = Table(box=box.SIMPLE_HEAD, expand=True, show_edge=False, pad_edge=False)
    table.add_column("Source", ratio=3, overflow="fold")
    table.add_column("Role", no_wrap=True)
    table.add_column("×", justify="right", no_wrap=True)
    table.add_column("Lines", no_wrap=True)
    if with_links:
        table.add_column("Link" if wide or not with_archive else "Link / archive", no_wrap=True)
    if with_archive and wide:
        table.add_column("Archive", no_wrap=True)
    table.add_column("Verdict" if wide else "Verdict / deciding reason", ratio=None if wide else 3)
    if wide:
        table.add_column("Deciding reason", ratio=3, overflow="fold")
    for group in groups:
        cells: list[RenderableType] = [
            _source_cell(group, SOURCE_CHARS),
            str(group.role),
            str(group.count),
            lines_words(group.lines, LINES_SHOWN),
        ]
        link, archive = link_words(group), archive_words(group)
        if with_links:
            if not wide and archive:
                link = link.append("\n").append_text(archive) if link else archive
            cells.append(link or Text("—", style="dim"))
        if with_archive and wide:
            cells.append(archive or Text("—", style="dim"))
        cells.append(_verdict_cell(group, with_reason=not wide))
        if wide:
            cells.append(
                Text(printable(group.reason), style="dim") if group.reason else Text("—", style="dim")
            )
        table.add_row(*cells)
    return table


def _source_list(groups: tuple[SourceGroup, ...]) -> Group:
    """The narrow layout: each source as a short block of lines, which reads at any width."""
    blocks: list[RenderableType] = []
    for group in groups:
        head = _source_cell(group, SOURCE_CHARS_COMPACT)
        head.append(
            f"\n  {group.role} ×{group.count} · line {lines_words(group.lines, LINES_SHOWN)}", style="dim"
        )
        details = [part for part in (link_words(group), archive_words(group)) if part]
        status = Text("  ")
        for part in details:
            status.append_text(part).append(" · ")
        status.append_text(_verdict_cell(group, with_reason=False))
        blocks.append(head)
        blocks.append(status)
        if group.reason:
            blocks.append(Padding(Text(printable(group.reason), style="dim"), (0, 0, 0, 2)))
    return Group(*blocks)


def _bullet(reason: str) -> Padding:
    """`  • reason`, wrapped lines indented under the reason rather than at the margin."""
    return Padding(Text(f"• {printable(reason)}"), (0, 0, 0, 2))


def also_named_line(groups: tuple[SourceGroup, ...]) -> Text:
    """`also named: Chinese Communist Party (14), House of Commons (1)`"""
    line = Text("also named: ", style="bold")
    line.append(", ".join(f"{printable(group.name)} ({group.count})" for group in groups))
    return line


def document_header(document: DocumentResult, width: int | None = None) -> Text:
    """`path — title`; with `width`, the title is cut to keep the header on one line."""
    header = Text(printable(document.path), style="bold")
    title = display_title(document.document)
    if title:
        title = printable(title)
        if width is not None:
            room = max(24, width - len(header) - 3)
            title = title if len(title) <= room else title[: room - 1].rstrip() + "…"
        header.append(f" — {title}")
    return header


def note_lines(document: DocumentResult, indent: str = "") -> list[Text]:
    """How the document was read, when a reader should know (from an archived copy, and why)."""
    note = document.document.note if document.document is not None else None
    return [Text.assemble((f"{indent}note: ", "bold yellow"), printable(note))] if note else []


def _document_block(document: DocumentResult, width: int, options: RenderOptions) -> Group:
    header = document_header(document)
    if document.error:
        return Group(header, Text.assemble(("error: ", "bold red"), printable(document.error)), Text())
    parts: list[RenderableType] = [header, *note_lines(document)]
    if document.verdict is None:
        parts.append(Text("not scored", style="dim"))
    else:
        verdict = document.verdict
        parts.append(Text.assemble("score ", labelled(verdict.label, verdict.score, "/100")))
        parts.extend(_bullet(reason) for reason in weightiest_reasons(verdict, TOP_REASONS))
        if len(verdict.reasons) > TOP_REASONS:
            parts.append(Text(f"  … and {len(verdict.reasons) - TOP_REASONS} more", style="dim"))
    sources = group_sources(document)
    rows = sources.all if options.all_sources else sources.shown
    if rows:
        parts.append(_source_list(rows) if width < NARROW_LAYOUT else _source_table(rows, width))
    elif not sources.also_named:
        parts.append(Text("no citations found", style="dim"))
    if sources.also_named and not options.all_sources:
        parts.append(also_named_line(sources.also_named))
    parts.append(Text())
    return Group(*parts)


def summary_block(result: RunResult) -> Group:
    summary = summarize(result)
    documents = Text(f"Documents: {summary.documents}")
    if summary.failed:
        documents.append(f" ({summary.failed} failed)", style="red")
    documents.append(" — ")
    documents.append(Text(" · ").join(labelled(label, count) for label, count in summary.labels.items()))
    if summary.unscored:
        documents.append(f" · not scored {summary.unscored}")
    kinds = " · ".join(f"{kind} {count}" for kind, count in summary.kinds.items())
    flagged = Text(
        f"Flagged links: {summary.flagged_links}", style="bold red" if summary.flagged_links else ""
    )
    if summary.flagged_links:
        flagged.append(flagged_detail(summary))
    lines = [
        Text("Summary", style="bold underline"),
        documents,
        Text(f"Citations: {summary.citations} — {kinds}"),
        flagged,
        Text(f"Archived copies found: {summary.archived}"),
    ]
    lines.extend(Text(printable(line), style="yellow") for line in skipped_lines(result.skipped))
    if result.offline:
        lines.append(Text("Offline run: links and archives were not checked.", style="yellow"))
    notice = no_network_notice(result)
    if notice:
        lines.append(Text(notice, style="yellow"))
    return Group(*lines)


class _Console(Console):
    """rich ends the process with status 1 on a broken pipe, which means "flagged" here; the CLI's
    handler ends it quietly with the status a closed pipe has instead (citecheck/cli.py)."""

    def on_broken_pipe(self) -> None:
        raise BrokenPipeError


def make_console(stream: TextIO) -> Console:
    """A console that colours only a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    try:
        is_terminal = stream.isatty()
    except (AttributeError, ValueError):
        is_terminal = False
    colour = is_terminal and not os.environ.get("NO_COLOR")
    width = None if is_terminal or os.environ.get("COLUMNS") else FILE_WIDTH
    # force_terminal is explicit so FORCE_COLOR/TTY_COMPATIBLE cannot turn colour on in a pipe;
    # markup, emoji and highlighting are off because the text comes from untrusted documents.
    return _Console(
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


def render(result: RunResult, stream: TextIO, options: RenderOptions | None = None) -> None:
    options = options or RenderOptions()
    console = make_console(stream)
    for document in result.documents:
        console.print(_document_block(document, console.width, options))
    console.print(summary_block(result))
