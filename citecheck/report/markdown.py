"""The "markdown" format: a report to paste into a pull request, an issue or a wiki page.

In: a RunResult. Out: GitHub-flavoured Markdown — a run summary table, then per document its score,
reasons and one table row per distinct source (report/sources.py), with the sources it only names on
one "Also named" line (rows of their own with --all).

Document text is untrusted and would otherwise be read as Markdown: a `|` splits a table cell, a newline
ends the row, `[text](javascript:...)` or `<img onerror=...>` becomes a link or HTML in renderers that
allow it. So every value from a document goes through `cell()` or `inline()`, which backslash-escape the
Markdown punctuation (CommonMark allows escaping any ASCII punctuation) and turn newlines into `<br>`
(in cells) or spaces (in headings and list items). Only http(s) addresses become links.
"""

from __future__ import annotations

import itertools
import re
from typing import TextIO
from urllib.parse import quote

from ..models import (
    Affiliation,
    ArchiveMatch,
    CitationKind,
    DocumentResult,
    RunResult,
    Snapshot,
    Verdict,
)
from .options import RenderOptions
from .reasons import weightiest_reasons
from .sources import SourceGroup, group_sources
from .summary import (
    RunSummary,
    archive_absence,
    as_words,
    flagged_detail,
    is_flagged_link,
    link_status_words,
    local_time,
    no_network_notice,
    readable_url,
    reveal_direction_controls,
    skipped_lines,
    summarize,
    web_url,
)
from .titles import display_title

__all__ = ["cell", "inline", "render"]

# Characters that start Markdown constructs inside a line: emphasis, code, links and images, raw HTML,
# entities, table cells, strikethrough, closing heading hashes, and the backslash itself so that a
# literal backslash stays literal.
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]<>&|~#])")
_LINE_BREAKS = re.compile(r"\r\n|[\n\r\x0b\x0c\x85\u2028\u2029]")
_OTHER_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# Characters that would end or break a link destination, or a table cell, if left as they are.
_UNSAFE_IN_DESTINATION = " <>()|\\\"'`"
NO_VALUE = "—"
LINES_SHOWN = 8


def _escape(text: str) -> str:
    text = reveal_direction_controls(_OTHER_CONTROLS.sub("\ufffd", text))
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)


def cell(text: str | None) -> str:
    """A value made safe for a table cell: punctuation escaped, newlines as <br>, empty as a dash."""
    if not text:
        return NO_VALUE
    return "<br>".join(_escape(line) for line in _LINE_BREAKS.split(text))


def inline(text: str) -> str:
    """A value made safe for a heading or list item, where a <br> would be out of place."""
    return " ".join(_escape(line) for line in _LINE_BREAKS.split(text))


def _link(label: str, url: str | None) -> str:
    """`[label](url)` for an http(s) URL with unsafe characters percent-encoded; otherwise the label only."""
    href = web_url(url)
    if href is None:
        return label
    destination = "".join(quote(char, safe="") if char in _UNSAFE_IN_DESTINATION else char for char in href)
    return f"[{label}]({destination})"


def _verdict(verdict: Verdict | None) -> str:
    return NO_VALUE if verdict is None else f"{verdict.label} ({verdict.score})"


def _source(group: SourceGroup) -> str:
    """The source's name, its outlet type and affiliation, and the other ways the document writes it."""
    name = cell(readable_url(group.name) if group.kind is CitationKind.URL else group.name)
    outlet = group.outlet
    details: list[str] = []
    if outlet is not None:
        details.append(as_words(outlet.type))
        if outlet.country:
            details.append(cell(outlet.country))
        if outlet.state_affiliation is not Affiliation.NONE:
            details.append(f"state-{outlet.state_affiliation}")
        if not outlet.registered:
            details.append("not in the registry")
    elif group.kind is CitationKind.VAGUE:
        details.append("vague attribution")
    text = f"{name} ({', '.join(details)})" if details else name
    others = [form for form in group.written if form != group.name]
    if others and group.kind is not CitationKind.URL:
        text += "<br>as " + ", ".join(cell(form) for form in others[:3])
    if group.kind is CitationKind.URL and group.quote:
        text += f"<br>“{cell(group.quote)}”"
    return text


def _link_status(group: SourceGroup) -> str:
    citation = group.representative.citation
    if citation.malformed:
        return f"**malformed**: {cell(citation.malformed)}"
    link = group.link
    if link is None:
        return "not checked" if citation.kind is CitationKind.URL else NO_VALUE
    status = link_status_words(link)
    text = f"**{status}**" if link.status.is_broken else status
    if link.http_status is not None:
        text += f" (HTTP {link.http_status})" if link.history else f" {link.http_status}"
    return text


def _archive(snapshot: Snapshot | None) -> str:
    if snapshot is None:
        return NO_VALUE
    if not snapshot.found or not snapshot.memento_url:
        return cell(archive_absence(snapshot))
    when = snapshot.memento_datetime.date().isoformat() if snapshot.memento_datetime else "undated"
    text = _link(f"{cell(snapshot.archive)} {when}", snapshot.memento_url)
    if snapshot.match is not ArchiveMatch.NOT_CHECKED:
        text += f" ({as_words(snapshot.match)})"
    return text


def _lines(lines: tuple[int, ...]) -> str:
    shown = ", ".join(str(line) for line in lines[:LINES_SHOWN])
    return shown + (f" +{len(lines) - LINES_SHOWN}" if len(lines) > LINES_SHOWN else "")


def _source_row(group: SourceGroup) -> str:
    cells = [
        _source(group),
        str(group.role),
        str(group.count),
        _lines(group.lines),
        _link_status(group),
        _archive(group.snapshot),
        _verdict(group.verdict),
        cell(group.reason),
    ]
    return "| " + " | ".join(cells) + " |"


def _summary(result: RunResult, summary: RunSummary) -> list[str]:
    lines = [
        "## Summary",
        "",
        "| Document | Score | Label | Citations | Flagged links | Weightiest reason |",
        "| --- | ---: | --- | ---: | ---: | --- |",
    ]
    for document in result.documents:
        flagged = sum(is_flagged_link(item) for item in document.citations)
        verdict = document.verdict
        if document.error:
            score, label, note = NO_VALUE, "**error**", cell(document.error)
        elif verdict is None:
            score, label, note = NO_VALUE, "not scored", NO_VALUE
        else:
            score, label = str(verdict.score), str(verdict.label)
            weightiest = weightiest_reasons(verdict, 1)
            note = cell(weightiest[0]) if weightiest else NO_VALUE
        lines.append(
            f"| {cell(document.path)} | {score} | {label} | {len(document.citations)} | {flagged} | {note} |"
        )
    labels = ", ".join(f"{label} {count}" for label, count in summary.labels.items())
    if summary.failed:
        labels += f", error {summary.failed}"
    if summary.unscored:
        labels += f", not scored {summary.unscored}"
    kinds = ", ".join(f"{kind} {count}" for kind, count in summary.kinds.items())
    flagged_links = str(summary.flagged_links)
    if summary.flagged_links:
        flagged_links += flagged_detail(summary)
    lines += [
        "",
        f"- **Documents:** {summary.documents} ({labels})",
        f"- **Citations:** {summary.citations} ({kinds})",
        f"- **Flagged links:** {flagged_links}",
        f"- **Archived copies found:** {summary.archived}",
        *(f"- **Skipped:** {inline(line)}" for line in skipped_lines(result.skipped)),
    ]
    return lines


def _document(document: DocumentResult, options: RenderOptions) -> list[str]:
    lines = [f"## {inline(document.path)}", ""]
    title = display_title(document.document)
    if title:
        lines += [f"*{inline(title)}*", ""]
    if document.error:
        return [*lines, f"**Error:** {inline(document.error)}", ""]
    if document.document is not None and document.document.note:
        lines += [f"**Note:** {inline(document.document.note)}", ""]
    if document.verdict is not None:
        lines.append(f"**Score {document.verdict.score}/100 — {document.verdict.label}**")
        lines.append("")
        # Every reason, those that weigh most first.
        lines += [
            f"- {inline(reason)}"
            for reason in weightiest_reasons(document.verdict, len(document.verdict.reasons))
        ]
        lines.append("")
    if not document.citations:
        return [*lines, "No citations found.", ""]
    sources = group_sources(document)
    rows = sources.all if options.all_sources else sources.shown
    if rows:
        lines += [
            "| Source | Role | × | Lines | Link | Archive | Verdict | Deciding reason |",
            "| --- | --- | ---: | --- | --- | --- | --- | --- |",
        ]
        lines += [_source_row(group) for group in rows]
        lines.append("")
    if sources.also_named and not options.all_sources:
        named = ", ".join(f"{inline(group.name)} ({group.count})" for group in sources.also_named)
        lines += [f"**Also named:** {named}", ""]
    return lines


def render(result: RunResult, stream: TextIO, options: RenderOptions | None = None) -> None:
    summary = summarize(result)
    meta = [f"run {result.run_id}"] if result.run_id is not None else []
    meta.append(f"started {local_time(result.started_at)}")
    if result.finished_at:
        meta.append(f"finished {local_time(result.finished_at)}")
    if result.offline:
        meta.append("offline: links and archives were not checked")
    if no_network_notice(result):
        meta.append(no_network_notice(result) or "")
    header = ["# citecheck report", "", " · ".join(meta), "", *_summary(result, summary), ""]
    # Written a document at a time (a run may hold 100,000): the same text as joining every line with
    # newlines and ending it with exactly one, because trailing newlines are held back until more text
    # follows.
    held, started = "", False
    options = options or RenderOptions()
    documents = (_document(document, options) for document in result.documents)
    for lines in itertools.chain([header], documents):
        if not lines:
            continue
        text = ("\n" if started else "") + "\n".join(lines)
        started = True
        body = text.rstrip("\n")
        if body:
            stream.write(held + body)
            held = text[len(body) :]
        else:
            held += text
    stream.write("\n")
