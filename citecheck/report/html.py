"""The "html" format: one self-contained page for reading a run in a browser, offline.

In: a RunResult. Out: a single HTML file with its CSS and JavaScript embedded, so it can be mailed,
attached to a ticket or opened from disk with no network. Per document it shows the score and the
reasons that weigh most, one table row per source (report/sources.py) and the annotated document: its
text with every citation highlighted in its verdict's colour. A line number in the table jumps to the
citation in the text, and a highlighted citation jumps to its row.

Built to open fast however large the run: the page carries each document as a JSON data block and the
script draws only what is on screen — one page of documents, one page of table rows, and the text in
chunks the browser lays out only when scrolled to (`content-visibility`). A 2 MB document with ten
thousand citations is a page of a few megabytes, not tens, and opens in about a second.

Everything shown comes from documents that may be hostile, so the page is built defensively:

- The data blocks are JSON inside `<script type="application/json">`, which a browser never runs, with
  every `<` written as `\\u003c` so no document text can close the element. The script puts document
  text on the page only through `textContent` and attributes, never as markup.
- A value becomes a link only if it is an absolute http(s) URL (`web_url`, checked here, and again by
  the script); `javascript:`, `data:` and anything else is shown as text.
- A Content-Security-Policy allows exactly our one inline script and stylesheet (by SHA-256 hash) and
  nothing else, so even an escaping bug could not run a script or load a resource.
- The static parts (run header, counts) are rendered by Jinja2 with autoescaping on.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any, TextIO

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from ..models import (
    Affiliation,
    CitationKind,
    DocumentResult,
    LinkCheck,
    OutletType,
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
    has_archived_copy,
    local_time,
    neutralise_controls,
    readable_url,
    reveal_direction_controls,
    skipped_lines,
    summarize,
    web_url,
)
from .titles import display_title

__all__ = ["data_block", "document_data", "render", "web_url"]


def _verdict(verdict: Verdict | None) -> dict[str, Any] | None:
    return None if verdict is None else {"score": verdict.score, "label": str(verdict.label)}


def _link(group: SourceGroup, link: LinkCheck | None) -> dict[str, Any] | None:
    citation = group.representative.citation
    if citation.kind is not CitationKind.URL and link is None:
        return None
    final = None
    if link is not None and link.final_url and link.final_url != link.url:
        final = {"url": readable_url(link.final_url), "href": web_url(link.final_url)}
    if citation.malformed:
        status = "malformed"
    elif link is None:
        status = "not_checked"
    else:
        status = str(link.status)
    return {
        "status": status,
        "broken": bool(citation.malformed) or (link is not None and link.status.is_broken),
        "http": link.http_status if link is not None else None,
        "history": link.history if link is not None else None,
        "url": readable_url(citation.url or citation.text),
        "href": web_url(citation.url),
        "final": final,
        "malformed": citation.malformed,
    }


def _archive(snapshot: Snapshot | None) -> dict[str, Any] | None:
    if snapshot is None:
        return None
    found = has_archived_copy(snapshot)
    when = None
    if found and snapshot.memento_datetime is not None:
        when = snapshot.memento_datetime.strftime("%Y-%m-%d %H:%M UTC")
    return {
        "found": found,
        "absence": None if found else archive_absence(snapshot),
        "archive": snapshot.archive,
        "when": when,
        "href": web_url(snapshot.memento_url) if found else None,
        "memento": snapshot.memento_url if found else None,
        "match": str(snapshot.match),
        "evidence": list(snapshot.evidence),
        "recovered": snapshot.recovered_url,
    }


def _outlet(group: SourceGroup) -> dict[str, Any] | None:
    outlet = group.outlet
    if outlet is None:
        return None
    return {
        "name": outlet.name,
        "type": str(outlet.type),
        "country": outlet.country,
        "state": None if outlet.state_affiliation is Affiliation.NONE else str(outlet.state_affiliation),
        "owner": outlet.owner,
        "funder": outlet.funder,
        "note": outlet.note,
        "registered": outlet.registered,
    }


def _source(group: SourceGroup, text_length: int) -> dict[str, Any]:
    verdict = group.verdict
    places = [
        [item.citation.span.start, item.citation.span.end, item.citation.line, item.citation.page]
        for item in group.items
        if 0 <= item.citation.span.start < item.citation.span.end <= text_length
    ]
    return {
        "name": readable_url(group.name) if group.kind is CitationKind.URL else group.name,
        "kind": str(group.kind),
        "role": str(group.role),
        "mentioned": group.mentioned_only,
        "count": group.count,
        "lines": [item.citation.line for item in group.items],
        "places": places,
        "written": [form for form in group.written if form != group.name][:5],
        "quote": group.quote,
        "outlet": _outlet(group),
        "link": _link(group, group.link),
        "archive": _archive(group.snapshot),
        "verdict": _verdict(verdict),
        "reason": group.reason,
        "reasons": list(verdict.reasons) if verdict else [],
        "flagged": group.flagged,
    }


def _source_type(group: SourceGroup) -> str:
    """The chart category: the outlet's type, or what we know when the registry had no outlet."""
    if group.outlet is not None:
        return as_words(group.outlet.type)
    if group.kind is CitationKind.VAGUE:
        return "vague attribution"
    return as_words(OutletType.UNKNOWN)


def document_data(index: int, document: DocumentResult) -> dict[str, Any]:
    """Everything the page's script draws for one document (the JSON in its data block)."""
    source = document.document
    text = source.text if source is not None else ""
    sources = group_sources(document) if source is not None and not document.error else None
    groups = sources.all if sources is not None else ()
    # The chart shows what the document stands on, so the sources it only names are left out.
    chart = Counter(_source_type(group) for group in groups if not group.mentioned_only)
    verdict = document.verdict
    return {
        "n": index,
        "path": document.path,
        "title": display_title(source),
        "note": source.note if source is not None else None,
        "error": document.error,
        "verdict": _verdict(verdict),
        "reasons": list(weightiest_reasons(verdict, len(verdict.reasons))) if verdict else [],
        "text": text or None,
        "citations": len(document.citations),
        "sources": [_source(group, len(text)) for group in groups],
        "chart": sorted(chart.items(), key=lambda pair: (-pair[1], pair[0])),
    }


_DEL_AND_C1 = re.compile("[\x7f-\x9f]")


def _json_for_script(value: Any) -> str:
    """JSON that is safe inside a <script> element: no "<" can start "</script>" or "<!--"."""
    # Direction controls stay in the data (the text's offsets count them); the script shows each one
    # as its code point wherever it puts text on the page.
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    # json escapes C0 controls itself; DEL and C1 (U+009B is a one-byte CSI) are escaped the same way, so
    # the data is unchanged but no terminal that shows the file acts on them
    return _DEL_AND_C1.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def data_block(index: int, document: DocumentResult) -> Markup:
    """One document's `<script type="application/json">` block."""
    payload = _json_for_script(document_data(index, document))
    return Markup(
        f'<script type="application/json" class="document-data" id="doc-data-{index}" '
        f'data-path="{escape(reveal_direction_controls(neutralise_controls(document.path)))}">{payload}</script>\n'
    )


def _index_entry(index: int, document: DocumentResult) -> dict[str, Any]:
    verdict = document.verdict
    flagged = 0
    if document.document is not None and not document.error:
        flagged = len(group_sources(document).flagged)
    return {
        "n": index,
        "path": document.path,
        "title": display_title(document.document),
        "error": document.error,
        "verdict": _verdict(verdict),
        "flagged": flagged,
    }


class _DataBlocks:
    """The documents' data blocks, written as the template reaches them; the index is gathered on the way
    so the run is read once for them (the counts in the header take one pass before)."""

    def __init__(self, documents: Iterable[DocumentResult]) -> None:
        self._documents = documents
        self.index: list[dict[str, Any]] = []

    def __iter__(self) -> Iterator[Markup]:
        for number, document in enumerate(self._documents, start=1):
            self.index.append(_index_entry(number, document))
            yield data_block(number, document)


class _IndexBlock:
    """The index of documents, read only after every data block was written."""

    def __init__(self, blocks: _DataBlocks) -> None:
        self._blocks = blocks

    def __str__(self) -> str:
        return _json_for_script(self._blocks.index)

    def __html__(self) -> str:
        return str(self)


def _shown(value: Any) -> Any:
    """Every value a template prints: strings with their direction controls made visible and their terminal
    controls neutralised (a report may be read with `cat` as well as in a browser)."""
    if isinstance(value, Markup):  # already-safe markup stays markup; the code point text needs no escaping
        return Markup(reveal_direction_controls(neutralise_controls(str(value))))
    return reveal_direction_controls(neutralise_controls(value)) if isinstance(value, str) else value


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("citecheck.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=_shown,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _csp_hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _content_security_policy(script: str, style: str) -> str:
    # default-src 'none' also blocks images, fonts and fetches: the page needs nothing from outside.
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src {_csp_hash(script)}",
            f"style-src {_csp_hash(style)}",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


def render(result: RunResult, stream: TextIO, options: RenderOptions | None = None) -> None:
    del options  # the page has its own toggle for the sources a document only names
    environment = _environment()
    # Our own static assets, rendered without variables; the CSP hashes must match them byte for byte.
    script = environment.get_template("report.js.j2").render()
    style = environment.get_template("report.css.j2").render()
    summary: RunSummary = summarize(result)
    blocks = _DataBlocks(result.documents)
    pieces = environment.get_template("report.html.j2").generate(
        run=result,
        started=local_time(result.started_at),
        finished=local_time(result.finished_at) if result.finished_at else None,
        summary=summary,
        skipped=skipped_lines(result.skipped),
        data_blocks=blocks,
        index=_IndexBlock(blocks),
        script=Markup(script),
        style=Markup(style),
        content_security_policy=_content_security_policy(script, style),
    )
    last = ""
    for piece in pieces:
        if piece:
            stream.write(piece)
            last = piece
    if not last.endswith("\n"):
        stream.write("\n")
