"""The "csv" format: one row per distinct source per document, for spreadsheets, pandas and `csvkit`.

In: a RunResult. Out: a header row and then one row per source (report/sources.py: an outlet, a URL or a
vague phrase, however often the document names it), documents in run order, sources in order of first
appearance. The columns follow the JSON report's field choices (`date` is the ISO 8601 form, possibly
reduced like `--06-11`; `archive` is the provider name); the flat list of every citation with its
offsets is in the JSON report.

    path, document_score, document_label, source, kind, role, count, lines, quote, url, malformed, date,
    outlet, outlet_type, country, owner, funder, state_affiliation, link_status, http_status,
    final_url, archive, memento_url, memento_datetime, match, score, label, reason, flagged, network,
    error

Choices a reader of the file needs to know:

- `lines` lists every line the source appears on, separated by spaces; `count` is how many times.
- `role` is the strongest role among its citations (cited, then self, then mentioned); the other
  columns describe the citation whose verdict the row shows (its best in that role). `reason` is the
  one reason that decided that verdict; `flagged` is `yes` when any citation of the source has a
  broken or malformed link or an unverifiable verdict.
- `network` says on every row what the run could reach, as every other report says in its header:
  `online`; `offline` (an `--offline` run: links and archives were not checked); or `no network` (an
  online run whose connectivity check failed: its links are unknown and archives were not reached).
  A reader of one file, or of a few rows of it, can then never take "not reached" for "not found".
- A document that failed gives exactly one row: its `path`, `network`, the message in the dedicated
  last column `error`, and every other column empty. `error` is empty on all other rows.
- A document without citations gives one row with only the document columns filled, so that every
  input appears in the file.
- Empty means "none" (no outlet, no link check, no verdict); there is no "null" marker.
- Cells that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return)
  get a leading apostrophe when the value came from a document, after OWASP's advice on CSV injection.
  Values citecheck itself produces (dates such as `--06-11`, numbers, enum values) are never changed.
- Rows end with "\\n": the caller's stream decides the platform's line ending, so a file opened
  without `newline=""` does not get doubled carriage returns.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import TextIO

from ..models import DocumentResult, RunResult
from .options import RenderOptions
from .sources import SourceGroup, group_sources
from .summary import neutralise_controls

__all__ = ["COLUMNS", "network", "render", "rows"]

COLUMNS = (
    "path",
    "document_score",
    "document_label",
    "source",
    "kind",
    "role",
    "count",
    "lines",
    "quote",
    "url",
    "malformed",
    "date",
    "outlet",
    "outlet_type",
    "country",
    "owner",
    "funder",
    "state_affiliation",
    "link_status",
    "http_status",
    "final_url",
    "archive",
    "memento_url",
    "memento_datetime",
    "match",
    "score",
    "label",
    "reason",
    "flagged",
    "network",
    "error",
)
_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _from_document(value: str | None) -> str:
    """Text that came from an input document, defused for spreadsheets (see the module docstring)."""
    if not value:
        return ""
    value = neutralise_controls(value)
    return f"'{value}" if value.startswith(_FORMULA_TRIGGERS) else value


def _plain(value: object) -> str:
    """A value citecheck produced itself: numbers, enum values, ISO dates. Written as is."""
    return "" if value is None else str(value)


def _document_columns(document: DocumentResult) -> dict[str, str]:
    verdict = document.verdict
    return {
        "path": _from_document(document.path),
        "document_score": _plain(verdict.score if verdict else None),
        "document_label": _plain(verdict.label if verdict else None),
    }


def _source_columns(group: SourceGroup) -> dict[str, str]:
    item = group.representative
    citation = item.citation
    outlet, link, snapshot, verdict = citation.outlet, item.link, item.snapshot, item.verdict
    return {
        "source": _from_document(group.name),
        "kind": _plain(group.kind),
        "role": _plain(group.role),
        "count": _plain(group.count),
        "lines": " ".join(str(line) for line in group.lines),
        "quote": _from_document(group.quote),
        "url": _from_document(citation.url),
        "malformed": _from_document(citation.malformed),
        "date": citation.date.iso() if citation.date else "",
        "outlet": _from_document(outlet.name) if outlet else "",
        "outlet_type": _plain(outlet.type) if outlet else "",
        "country": _from_document(outlet.country) if outlet else "",
        "owner": _from_document(outlet.owner) if outlet else "",
        "funder": _from_document(outlet.funder) if outlet else "",
        "state_affiliation": _plain(outlet.state_affiliation) if outlet else "",
        "link_status": _plain(link.status) if link else "",
        "http_status": _plain(link.http_status) if link else "",
        "final_url": _from_document(link.final_url) if link else "",
        "archive": _plain(snapshot.archive) if snapshot else "",
        "memento_url": _from_document(snapshot.memento_url) if snapshot and snapshot.found else "",
        "memento_datetime": snapshot.memento_datetime.isoformat()
        if snapshot and snapshot.found and snapshot.memento_datetime
        else "",
        "match": _plain(snapshot.match) if snapshot else "",
        "score": _plain(verdict.score) if verdict else "",
        "label": _plain(verdict.label) if verdict else "",
        "reason": _from_document(group.reason),
        "flagged": "yes" if group.flagged else "no",
    }


def network(result: RunResult) -> str:
    """What the run could reach: `offline`, `no network` or `online` (see the module docstring)."""
    if result.offline:
        return "offline"
    return "no network" if result.no_network else "online"


def rows(result: RunResult) -> Iterator[dict[str, str]]:
    """Every row of the file as a dict keyed by COLUMNS (missing keys are empty cells)."""
    reach = {"network": network(result)}
    for document in result.documents:
        if document.error:
            yield {"path": _from_document(document.path), **reach, "error": _from_document(document.error)}
            continue
        if not document.citations:
            yield {**_document_columns(document), **reach}
            continue
        for group in group_sources(document).all:
            yield {**_document_columns(document), **_source_columns(group), **reach}


def render(result: RunResult, stream: TextIO, options: RenderOptions | None = None) -> None:
    writer = csv.DictWriter(stream, fieldnames=COLUMNS, restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows(result))
