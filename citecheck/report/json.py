"""The citecheck/report/v1 JSON contract: the only place that turns a RunResult into plain dicts.

Each document carries its flat `citations` (one per place in the text, for machines) and its `sources`
(one per distinct source, as the other formats show them; see report/sources.py).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, TextIO

from ..models import Citation, CitationResult, DocumentResult, LinkCheck, RunResult, Snapshot, Verdict
from .options import RenderOptions
from .sources import group_sources
from .titles import display_title

__all__ = ["SCHEMA_ID", "render", "to_dict"]

SCHEMA_ID = "citecheck/report/v1"


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _verdict(verdict: Verdict | None) -> dict[str, Any] | None:
    if verdict is None:
        return None
    return {"score": verdict.score, "label": str(verdict.label), "reasons": list(verdict.reasons)}


def _link(link: LinkCheck | None) -> dict[str, Any] | None:
    if link is None:
        return None
    return {
        "status": str(link.status),
        "http_status": link.http_status,
        "final_url": link.final_url,
        "cause": str(link.cause) if link.cause else None,
        "failing_since": _iso(link.failing_since),
        "failed_checks": link.failures or None,
        "history": link.history,
    }


def _archive(snapshot: Snapshot | None) -> dict[str, Any] | None:
    if snapshot is None:
        return None
    return {
        "found": snapshot.found,
        "archive": snapshot.archive,
        "memento_url": snapshot.memento_url,
        "datetime": _iso(snapshot.memento_datetime),
        "status": snapshot.http_status,
        "error": snapshot.error,
        "match": str(snapshot.match),
        "recovered_url": snapshot.recovered_url,
        "evidence": list(snapshot.evidence),
    }


def _citation(item: CitationResult, document: DocumentResult) -> dict[str, Any]:
    citation: Citation = item.citation
    doc = document.document
    start, end = doc.original_span(citation.span) if doc else (citation.span.start, citation.span.end)
    outlet = citation.outlet
    return {
        "kind": str(citation.kind),
        "role": str(citation.role),
        "text": citation.text,
        "start": start,
        "end": end,
        "line": citation.line,
        "page": citation.page,
        "url": citation.url,
        "archive_url": citation.archive_url,
        "malformed": citation.malformed,
        "date": citation.date.iso() if citation.date else None,
        "cue": citation.cue,
        "outlet": None
        if outlet is None
        else {
            "id": outlet.id,
            "name": outlet.name,
            "type": str(outlet.type),
            "country": outlet.country,
            "owner": outlet.owner,
            "funder": outlet.funder,
            "state_affiliation": str(outlet.state_affiliation),
            "controller": outlet.controller,
            "note": outlet.note,
            "registered": outlet.registered,
        },
        "link": _link(item.link),
        "archive": _archive(item.snapshot),
        "verdict": _verdict(item.verdict),
    }


def _sources(document: DocumentResult) -> list[dict[str, Any]]:
    """The grouped view every human-facing format draws (report/sources.py); `citations` indexes into
    the document's flat citation list, `representative` is the one whose verdict the group shows."""
    position = {id(item): index for index, item in enumerate(document.citations)}
    groups = []
    for group in group_sources(document).all:
        verdict = group.verdict
        groups.append(
            {
                "name": group.name,
                "kind": str(group.kind),
                "role": str(group.role),
                "count": group.count,
                "lines": list(group.lines),
                "citations": [position[id(item)] for item in group.items],
                "representative": position[id(group.representative)],
                "quote": group.quote,
                "score": verdict.score if verdict else None,
                "label": str(verdict.label) if verdict else None,
                "reason": group.reason,
                "flagged": group.flagged,
            }
        )
    return groups


def _document(document: DocumentResult) -> dict[str, Any]:
    verdict = document.verdict
    return {
        "path": document.path,
        "sha256": document.sha256,
        "title": display_title(document.document),
        "error": document.error,
        "note": document.document.note if document.document else None,
        "score": verdict.score if verdict else None,
        "label": str(verdict.label) if verdict else None,
        "reasons": list(verdict.reasons) if verdict else [],
        "citations": [_citation(item, document) for item in document.citations],
        "sources": _sources(document),
    }


def _run(result: RunResult) -> dict[str, Any]:
    return {
        "id": result.run_id,
        "started_at": _iso(result.started_at),
        "finished_at": _iso(result.finished_at),
        "offline": result.offline,
        "no_network": result.no_network,
    }


def _skipped(result: RunResult) -> list[dict[str, str]]:
    """Files the run's directory walks passed over, and why."""
    return [{"path": entry.path, "reason": entry.reason} for entry in result.skipped]


def to_dict(result: RunResult) -> dict[str, Any]:
    return {
        "schema": SCHEMA_ID,
        "run": _run(result),
        "skipped": _skipped(result),
        "documents": [_document(document) for document in result.documents],
    }


def render(result: RunResult, stream: TextIO, options: RenderOptions | None = None) -> None:
    """Write `to_dict(result)` as indented JSON, one document at a time.

    A stored run is read from the database page by page; building the whole dictionary first would hold
    every document of a 100,000-document run in memory at once. A document is written as the encoder
    makes it, piece by piece, not as one string: the text of a document with 10,000 citations is some
    13 MB, and indenting its lines held them all again. The bytes are the same as
    `json.dump(to_dict(result), indent=2)` (JSON strings hold no raw newlines, so a newline in a piece is
    always the start of a line, to be indented like the document's).
    """
    head = json.dumps(
        {"schema": SCHEMA_ID, "run": _run(result), "skipped": _skipped(result)}, ensure_ascii=False, indent=2
    )
    stream.write(head[: -len("\n}")] + ',\n  "documents": [')
    empty = True
    for document in result.documents:
        stream.write("\n    " if empty else ",\n    ")
        _write_indented(_document(document), stream)
        empty = False
    stream.write("]\n}\n" if empty else "\n  ]\n}\n")


_ENCODER = json.JSONEncoder(ensure_ascii=False, indent=2)
_PIECES = 4096  # the encoder's pieces joined per write: some tens of kilobytes


def _write_indented(value: Any, stream: TextIO) -> None:
    """`value` as indented JSON whose lines after the first are indented four more spaces."""
    pieces: list[str] = []
    for piece in _ENCODER.iterencode(value):
        pieces.append(piece)
        if len(pieces) == _PIECES:
            stream.write("".join(pieces).replace("\n", "\n    "))
            pieces.clear()
    stream.write("".join(pieces).replace("\n", "\n    "))
