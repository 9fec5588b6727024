"""The "html" format: one self-contained page for reading a run in a browser, offline.

In: a RunResult. Out: a single HTML file with its CSS, JavaScript and charts (inline SVG) embedded, so
it can be mailed, attached to a ticket or opened from disk with no network.

Everything shown comes from documents that may be hostile, so the page is built defensively:

- Jinja2 autoescaping is on and no document value is marked safe; only our own static CSS and JS
  (rendered from templates without variables) are inserted as Markup.
- A value becomes an `href` only if it is an absolute http(s) URL (`web_url`); `javascript:`, `data:`
  and anything else is shown as text.
- A Content-Security-Policy allows exactly our one inline script and stylesheet (by SHA-256 hash) and
  nothing else, so even an escaping bug could not run a script or load a resource.

Python prepares plain view values (`CitationRow`, `DocumentView`) so the template only lays them out.
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, TextIO

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from ..models import CitationKind, CitationResult, DocumentResult, OutletType, Role, RunResult, VerdictLabel
from .options import RenderOptions
from .summary import RunSummary, as_words, is_flagged_link, reveal_direction_controls, summarize, web_url

__all__ = ["CitationRow", "DocumentView", "Passage", "SourceTypeBar", "render"]

# Bars of the source-type chart: the longest bar spans this many SVG user units.
_BAR_SPAN = 240


@dataclass(frozen=True, slots=True)
class Passage:
    """The sentence around a citation, split so the template can mark the cited words."""

    before: str
    cited: str
    after: str

    @classmethod
    def of(cls, context: str, cited: str) -> Passage:
        # Citation.context carries no offsets, so find the cited text in it; extraction normalises
        # whitespace and case differently per kind, hence the case-insensitive second try.
        if not context:
            return cls("", cited, "")
        index = context.find(cited)
        if index < 0:
            index = context.lower().find(cited.lower())
        if index < 0 or not cited:
            return cls(context, "", "")
        end = index + len(cited)
        return cls(context[:index], context[index:end], context[end:])


@dataclass(frozen=True, slots=True)
class CitationRow:
    """One table row: the citation result plus what the template must not work out for itself."""

    number: int
    item: CitationResult
    passage: Passage
    status: str  # LinkStatus value, "malformed", or "none" when the citation has no link
    live_href: str | None
    final_href: str | None
    memento_href: str | None
    flagged: bool  # malformed or broken link: highlighted, and counted in the document header
    source_type: str

    @property
    def css_classes(self) -> str:
        """Highlight hooks for the stylesheet (and for tests): what the reader should look at twice."""
        citation = self.item.citation
        classes = [f"kind-{citation.kind}"]
        if self.flagged:
            classes.append("is-flagged")
        if self.item.verdict is not None and self.item.verdict.label is VerdictLabel.UNVERIFIABLE:
            classes.append("is-unverifiable")
        if citation.kind is CitationKind.VAGUE:
            classes.append("is-vague")
        if citation.outlet is not None and citation.outlet.type is OutletType.STATE_MEDIA:
            classes.append("is-state-media")
        return " ".join(classes)


@dataclass(frozen=True, slots=True)
class SourceTypeBar:
    label: str
    count: int
    length: float  # SVG user units, proportional to count


@dataclass(frozen=True, slots=True)
class DocumentView:
    anchor: str
    result: DocumentResult
    title: str | None
    rows: tuple[CitationRow, ...]
    bars: tuple[SourceTypeBar, ...]
    statuses: tuple[str, ...]  # the link statuses present, for the filter select

    @property
    def flagged(self) -> int:
        return sum(row.flagged for row in self.rows)


def _source_type(item: CitationResult) -> str:
    """The chart category: the outlet's type, or what we know when the registry had no outlet."""
    citation = item.citation
    if citation.outlet is not None:
        return as_words(citation.outlet.type)
    if citation.kind is CitationKind.VAGUE:
        return "vague attribution"
    return as_words(OutletType.UNKNOWN)


def _row_status(item: CitationResult) -> str:
    if item.citation.malformed:
        return "malformed"
    if item.link is not None:
        return str(item.link.status)
    return "none"


def _row(number: int, item: CitationResult) -> CitationRow:
    citation = item.citation
    final_url = item.link.final_url if item.link else None
    snapshot = item.snapshot
    return CitationRow(
        number=number,
        item=item,
        passage=Passage.of(citation.context, citation.text),
        status=_row_status(item),
        live_href=web_url(citation.url),
        final_href=web_url(final_url) if final_url and final_url != citation.url else None,
        memento_href=web_url(snapshot.memento_url) if snapshot and snapshot.found else None,
        flagged=is_flagged_link(item),
        source_type=_source_type(item),
    )


def _bars(rows: tuple[CitationRow, ...]) -> tuple[SourceTypeBar, ...]:
    counts = Counter(row.source_type for row in rows)
    if not counts:
        return ()
    longest = max(counts.values())
    ordered = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
    return tuple(
        SourceTypeBar(label, count, round(_BAR_SPAN * count / longest, 1)) for label, count in ordered
    )


def _document_view(index: int, document: DocumentResult) -> DocumentView:
    rows = tuple(_row(number, item) for number, item in enumerate(document.citations, start=1))
    return DocumentView(
        anchor=f"doc-{index}",
        result=document,
        title=document.document.title if document.document else None,
        rows=rows,
        # The chart shows what the document stands on, so names it only mentions are left out.
        bars=_bars(tuple(row for row in rows if row.item.citation.role not in (Role.MENTIONED, Role.CREDIT))),
        statuses=tuple(sorted({row.status for row in rows})),
    )


def _shown(value: Any) -> Any:
    """Every value a template prints: strings with their direction controls made visible."""
    if isinstance(value, Markup):  # already-safe markup stays markup; the code point text needs no escaping
        return Markup(reveal_direction_controls(str(value)))
    return reveal_direction_controls(value) if isinstance(value, str) else value


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
    environment = _environment()
    # Our own static assets, rendered without variables; the CSP hashes must match them byte for byte.
    script = environment.get_template("report.js.j2").render()
    style = environment.get_template("report.css.j2").render()
    summary: RunSummary = summarize(result)
    # Generated and written piece by piece, with the documents read as the template reaches them (twice:
    # the table of contents, then the sections), so a run of 100,000 documents is never held whole.
    pieces = environment.get_template("report.html.j2").generate(
        run=result,
        summary=summary,
        documents=_DocumentViews(result.documents),
        kinds=[str(kind) for kind in CitationKind],
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


class _DocumentViews:
    """The template's view of each document, made afresh on each pass over the run."""

    def __init__(self, documents: Iterable[DocumentResult]) -> None:
        self._documents = documents

    def __iter__(self) -> Iterator[DocumentView]:
        for index, document in enumerate(self._documents, start=1):
            yield _document_view(index, document)
