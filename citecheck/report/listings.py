"""What `citecheck runs` and `citecheck outlets` print: a table for a person, or JSON for a program.

In: the runs' overviews (store/history.py) or a registry look-up (resolve/lookup.py). Out: text on a
stream. Times are the reader's local time to the second; every value that came from a document or a
registry file goes through `printable`, so no control character reaches the terminal.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from ..models import Outlet
from ..resolve.lookup import Lookup, SourceRecord, source_record
from .summary import local_time
from .terminal import printable

if TYPE_CHECKING:
    from ..store.history import RunOverview

__all__ = ["outlet_fields", "render_outlet", "render_outlets", "render_runs"]


def _run_dict(run: RunOverview) -> dict[str, Any]:
    return {
        "id": run.id,
        "started_at": run.started_at.isoformat(),
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        "status": run.status,
        "mode": "offline" if run.offline else "online",
        "documents": run.documents,
        "errors": run.errors,
        "score": None if run.score is None else round(run.score, 1),
        "flagged": run.flagged,
        "inputs": list(run.inputs),
    }


def render_runs(runs: Sequence[RunOverview], fmt: str, stream: TextIO) -> None:
    if fmt == "json":
        stream.write(json.dumps([_run_dict(run) for run in runs], ensure_ascii=False, indent=2) + "\n")
        return
    if not runs:
        stream.write("no runs yet\n")
        return
    started_width = max(len(local_time(run.started_at)) for run in runs)
    header = (
        f"{'id':>5}  {'started':{started_width}}  {'status':9}  {'mode':7}  {'docs':>5}  {'errors':>6}  "
        f"{'score':>5}  {'flagged':>7}  inputs"
    )
    lines = [header]
    for run in runs:
        score = "—" if run.score is None else f"{run.score:.0f}"
        inputs = printable(" ".join(run.inputs))
        lines.append(
            f"{run.id:>5}  {local_time(run.started_at):{started_width}}  {run.status:9}  "
            f"{'offline' if run.offline else 'online':7}  {run.documents:>5}  {run.errors:>6}  "
            f"{score:>5}  {run.flagged:>7}  {inputs}"
        )
    stream.write("\n".join(lines) + "\n")


def _source_dict(record: SourceRecord) -> dict[str, Any]:
    return {
        "text": record.text,
        "url": record.url,
        "path": record.path,
        "checked": record.checked.isoformat() if record.checked else None,
    }


def outlet_fields(outlet: Outlet) -> dict[str, Any]:
    """An outlet as `outlets show --format json` gives it."""
    return {
        "id": outlet.id,
        "name": outlet.name,
        "type": str(outlet.type),
        "country": outlet.country,
        "owner": outlet.owner,
        "funder": outlet.funder,
        "state_affiliation": str(outlet.state_affiliation),
        "controller": outlet.controller,
        "parent": outlet.parent,
        "aliases": list(outlet.aliases),
        "abbreviations": list(outlet.abbreviations),
        "domains": list(outlet.domains),
        "note": outlet.note,
        "sources": [_source_dict(source_record(text)) for text in outlet.sources],
    }


def render_outlets(lookup: Lookup, fmt: str, stream: TextIO, asked: str) -> None:
    """The search results, and how many of how many matches they are."""
    if fmt == "json":
        payload = {
            "query": asked,
            "total": lookup.total,
            "shown": len(lookup.outlets),
            "outlets": [_brief(outlet) for outlet in lookup.outlets],
        }
        stream.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return
    if not lookup.outlets:
        stream.write(f"no outlet matches {asked}\n")
        return
    width = max(len(outlet.id) for outlet in lookup.outlets)
    for outlet in lookup.outlets:
        where = f"{outlet.type.value.replace('_', ' ')}, {outlet.country or '-'}"
        stream.write(f"{printable(outlet.id):{width}}  {printable(outlet.name)} [{where}]\n")
    more = " (--limit 0 lists all)" if lookup.total > len(lookup.outlets) else ""
    stream.write(f"{len(lookup.outlets)} of {lookup.total} shown{more}\n")


def _brief(outlet: Outlet) -> dict[str, Any]:
    return {"id": outlet.id, "name": outlet.name, "type": str(outlet.type), "country": outlet.country}


def _source_line(record: SourceRecord) -> str:
    where = record.url or (f"this repository: {record.path}" if record.path else None)
    if where is None:
        return f"{record.text} (no address or date recorded)"
    when = f", as of {record.checked.isoformat()}" if record.checked else ", date not recorded"
    return f"{record.text} — {where}{when}"


def render_outlet(outlets: Sequence[Outlet], fmt: str, stream: TextIO, note: str | None = None) -> None:
    """Everything the registry holds about each outlet; `note` says how a fuzzy name was resolved."""
    if fmt == "json":
        stream.write(json.dumps([outlet_fields(o) for o in outlets], ensure_ascii=False, indent=2) + "\n")
        return
    if note:
        stream.write(f"{printable(note)}\n\n")
    for outlet in outlets:
        fields = outlet_fields(outlet)
        for label, key in [
            ("id", "id"),
            ("name", "name"),
            ("type", "type"),
            ("country", "country"),
            ("owner", "owner"),
            ("funder", "funder"),
            ("state affiliation", "state_affiliation"),
            ("controller", "controller"),
            ("aliases", "aliases"),
            ("abbreviations", "abbreviations"),
            ("domains", "domains"),
            ("parent", "parent"),
            ("note", "note"),
        ]:
            value = fields[key]
            text = ", ".join(value) if isinstance(value, list) else value
            if text:
                stream.write(f"{label:>18}: {printable(str(text))}\n")
        for index, text in enumerate(outlet.sources):
            label = f"{'sources':>18}:" if index == 0 else " " * 19
            stream.write(f"{label} {printable(_source_line(source_record(text)))}\n")
        stream.write("\n")
