"""The "markdown" format: a report to paste into a pull request, an issue or a wiki page.

In: a RunResult. Out: GitHub-flavoured Markdown — a run summary table, then per document its score,
reasons and a citation table.

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
    CitationResult,
    DocumentResult,
    Role,
    RunResult,
    Snapshot,
    Verdict,
)
from .summary import RunSummary, as_words, is_flagged_link, reveal_direction_controls, summarize, web_url

__all__ = ["cell", "inline", "render"]

# Characters that start Markdown constructs inside a line: emphasis, code, links and images, raw HTML,
# entities, table cells, strikethrough, closing heading hashes, and the backslash itself so that a
# literal backslash stays literal.
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]<>&|~#])")
_LINE_BREAKS = re.compile(r"\r\n|[\n\r\x0b\x0c\x85\u2028\u2029]")
_OTHER_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# Characters that would end or break a link destination, or a table cell, if left as they are.
_UNSAFE_IN_DESTINATION = " <>()|\\\"'`"
NO_VALUE = "—"


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


def _outlet(item: CitationResult) -> str:
    outlet = item.citation.outlet
    if outlet is None:
        return "unnamed source" if item.citation.kind is CitationKind.VAGUE else NO_VALUE
    details = [as_words(outlet.type)]
    if outlet.country:
        details.append(cell(outlet.country))
    if outlet.state_affiliation is not Affiliation.NONE:
        details.append(f"state-{outlet.state_affiliation}")
    return f"{cell(outlet.name)} ({', '.join(details)})"


def _link_status(item: CitationResult) -> str:
    citation = item.citation
    if citation.malformed:
        return f"**malformed**: {cell(citation.malformed)}"
    if item.link is None:
        return NO_VALUE
    status = as_words(item.link.status)
    text = f"**{status}**" if item.link.status.is_broken else status
    if item.link.http_status is not None:
        text += f" {item.link.http_status}"
    return text


def _archive(snapshot: Snapshot | None) -> str:
    if snapshot is None:
        return NO_VALUE
    if not snapshot.found or not snapshot.memento_url:
        return f"none in {cell(snapshot.archive)}"
    when = snapshot.memento_datetime.date().isoformat() if snapshot.memento_datetime else "undated"
    text = _link(f"{cell(snapshot.archive)} {when}", snapshot.memento_url)
    if snapshot.match is not ArchiveMatch.NOT_CHECKED:
        text += f" ({as_words(snapshot.match)})"
    return text


def _citation_row(item: CitationResult) -> str:
    citation = item.citation
    verdict = item.verdict
    reasons = "; ".join(verdict.reasons) if verdict else ""
    cells = [
        str(citation.line),
        str(citation.kind) if citation.role is Role.CITED else f"{citation.kind} ({citation.role})",
        cell(citation.text),
        _outlet(item),
        citation.date.iso() if citation.date else NO_VALUE,
        _link_status(item),
        _archive(item.snapshot),
        _verdict(verdict),
        cell(reasons),
    ]
    return "| " + " | ".join(cells) + " |"


def _summary(result: RunResult, summary: RunSummary) -> list[str]:
    lines = [
        "## Summary",
        "",
        "| Document | Score | Label | Citations | Flagged links | Top reason |",
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
            note = cell(verdict.reasons[0]) if verdict.reasons else NO_VALUE
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
        flagged_links += f" ({summary.flagged_without_archive} without an archived copy)"
    lines += [
        "",
        f"- **Documents:** {summary.documents} ({labels})",
        f"- **Citations:** {summary.citations} ({kinds})",
        f"- **Flagged links:** {flagged_links}",
        f"- **Archived copies found:** {summary.archived}",
    ]
    return lines


def _document(document: DocumentResult) -> list[str]:
    lines = [f"## {inline(document.path)}", ""]
    title = document.document.title if document.document else None
    if title:
        lines += [f"*{inline(title)}*", ""]
    if document.error:
        return [*lines, f"**Error:** {inline(document.error)}", ""]
    if document.verdict is not None:
        lines.append(f"**Score {document.verdict.score}/100 — {document.verdict.label}**")
        lines.append("")
        lines += [f"- {inline(reason)}" for reason in document.verdict.reasons]
        lines.append("")
    if not document.citations:
        return [*lines, "No citations found.", ""]
    lines += [
        "| Line | Kind | Cited | Outlet | Date | Link | Archive | Verdict | Reasons |",
        "| ---: | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    lines += [_citation_row(item) for item in document.citations]
    lines.append("")
    return lines


def render(result: RunResult, stream: TextIO) -> None:
    summary = summarize(result)
    meta = [f"run {result.run_id}"] if result.run_id is not None else []
    meta.append(f"started {result.started_at.isoformat()}")
    if result.finished_at:
        meta.append(f"finished {result.finished_at.isoformat()}")
    if result.offline:
        meta.append("offline: links and archives were not checked")
    header = ["# citecheck report", "", " · ".join(meta), "", *_summary(result, summary), ""]
    # Written a document at a time (a run may hold 100,000): the same text as joining every line with
    # newlines and ending it with exactly one, because trailing newlines are held back until more text
    # follows.
    held, started = "", False
    for lines in itertools.chain([header], map(_document, result.documents)):
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
