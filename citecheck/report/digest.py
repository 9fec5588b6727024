"""The "summary" format, the terminal's default: what a person needs from a run, on one screen.

In: a RunResult. Out: one short block per document (score and label, the three reasons that weigh
most, and the flagged sources), then two lines of run-wide counts. The full source table is
`--format table`; the annotated documents are `--format html`.

A run of thousands of documents would not fit any screen, so past MAX_DOCUMENTS blocks the summary
keeps those that most need a reader (failed, then flagged, then lowest score), in input order, and says
how many it left out. Reading the run once, it holds no more than those blocks.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TextIO

from rich.console import Group, RenderableType
from rich.text import Text

from ..models import DocumentResult, RunResult, VerdictLabel
from .options import RenderOptions
from .reasons import weightiest_reasons
from .sources import DocumentSources, SourceGroup, group_sources
from .summary import flagged_detail, no_network_notice, skipped_lines, summarize
from .terminal import (
    archive_words,
    display_name,
    document_header,
    labelled,
    link_words,
    make_console,
    note_lines,
    printable,
    shortened,
)

__all__ = ["FLAGGED_SHOWN", "MAX_DOCUMENTS", "TOP_REASONS", "render"]

TOP_REASONS = 3
FLAGGED_SHOWN = 5
FLAGGED_NAME_CHARS = 72  # a long URL is cut in the middle; the table and the HTML report give it whole
MAX_DOCUMENTS = 20


@dataclass(frozen=True, slots=True)
class _Block:
    position: int
    document: DocumentResult
    sources: DocumentSources | None

    @property
    def urgency(self) -> tuple[int, int, int]:
        """Smaller is more urgent: failed documents, then more flagged sources, then lower scores."""
        if self.document.error or self.sources is None:
            return (0, 0, 0)
        score = self.document.verdict.score if self.document.verdict else 101
        return (1, -len(self.sources.flagged), score)


def _flag_words(group: SourceGroup) -> Text:
    words = Text()
    link = link_words(group)
    if link:
        words.append_text(link)
    archive = archive_words(group)
    if archive:
        words.append(", " if words else "").append_text(archive)
    verdict = group.verdict
    if verdict is not None and verdict.label is VerdictLabel.UNVERIFIABLE and not words:
        words.append("unverifiable", style="bold red")
    return words


def _flagged_lines(flagged: tuple[SourceGroup, ...]) -> list[Text]:
    lines = [Text("  flagged:", style="bold red")]
    for group in flagged[:FLAGGED_SHOWN]:
        line = Text(f"    ✗ {shortened(printable(display_name(group)), FLAGGED_NAME_CHARS)}")
        line.append(" — ").append_text(_flag_words(group))
        line.append(f" (line {', '.join(str(n) for n in group.lines[:3])})", style="dim")
        lines.append(line)
    if len(flagged) > FLAGGED_SHOWN:
        lines.append(Text(f"    … and {len(flagged) - FLAGGED_SHOWN} more (--format table)", style="dim"))
    return lines


def _document_block(document: DocumentResult, sources: DocumentSources | None, width: int) -> Group:
    parts: list[RenderableType] = [document_header(document, width)]
    if document.error or sources is None:
        parts.append(Text.assemble(("  error: ", "bold red"), printable(document.error or "not read")))
        return Group(*parts)
    parts.extend(note_lines(document, "  "))
    line = Text("  ")
    verdict = document.verdict
    if verdict is None:
        line.append("not scored", style="dim")
    else:
        line.append_text(labelled(verdict.label, verdict.score, "/100"))
    if sources.flagged:
        line.append(f" · {len(sources.flagged)} flagged", style="bold red")
    parts.append(line)
    parts.extend(Text(f"  • {printable(reason)}") for reason in weightiest_reasons(verdict, TOP_REASONS))
    if sources.flagged:
        parts.extend(_flagged_lines(sources.flagged))
    return Group(*parts)


def _blocks(result: RunResult) -> tuple[list[_Block], int]:
    """The blocks to show, in input order, and how many documents were left out."""
    # A heap of the MAX_DOCUMENTS most urgent so far, least urgent on top (keys negated), later first.
    heap: list[tuple[tuple[int, int, int], int]] = []
    kept: dict[int, _Block] = {}
    total = 0
    for position, document in enumerate(result.documents):
        total += 1
        sources = group_sources(document) if document.document is not None and not document.error else None
        block = _Block(position, document, sources)
        first, second, third = block.urgency
        entry = ((-first, -second, -third), -position)
        kept[position] = block
        if len(heap) < MAX_DOCUMENTS:
            heapq.heappush(heap, entry)
        else:
            dropped = heapq.heappushpop(heap, entry)
            del kept[-dropped[1]]
    chosen = [kept[position] for position in sorted(kept)]
    return chosen, total - len(chosen)


def _run_lines(result: RunResult, left_out: int) -> Iterator[Text]:
    summary = summarize(result)
    line = Text(f"{summary.documents} document{'s' if summary.documents != 1 else ''}: ")
    line.append(Text(" · ").join(labelled(label, count) for label, count in summary.labels.items()))
    if summary.failed:
        line.append(f" · failed {summary.failed}", style="bold red")
    if summary.unscored:
        line.append(f" · not scored {summary.unscored}")
    yield line
    links = Text(f"{summary.citations} citations · ")
    links.append(f"{summary.flagged_links} flagged links", style="bold red" if summary.flagged_links else "")
    if summary.flagged_links:
        links.append(flagged_detail(summary))
    links.append(f" · {summary.archived} archived copies found")
    yield links
    if left_out:
        yield Text(
            f"{left_out} more document{'s' if left_out != 1 else ''} not shown: the summary keeps the "
            f"{MAX_DOCUMENTS} that most need a reader (--format table lists every document)",
            style="dim",
        )
    for passed_over in skipped_lines(result.skipped):
        yield Text(printable(passed_over), style="yellow")
    if result.offline:
        yield Text("Offline run: links and archives were not checked.", style="yellow")
    if no_network_notice(result):
        yield Text(no_network_notice(result) or "", style="yellow")


def render(result: RunResult, stream: TextIO, options: RenderOptions | None = None) -> None:
    del options  # the summary is the same with --all; the table shows every source
    console = make_console(stream)
    blocks, left_out = _blocks(result)
    for block in blocks:
        console.print(_document_block(block.document, block.sources, console.width))
        console.print()
    for line in _run_lines(result, left_out):
        console.print(line)
