"""What a document's own structure says about its citations, beyond its words.

Citations in, the same citations out with what the input format knew added:
- the page each stands on (a PDF, or plain text with form feeds between pages);
- for a reference the markup structures (a wiki <ref> with {{cite news|url=|work=|date=|archive-url=}}):
  the editor's outlet, date and archived copy, and the reference number as the cue editors read;
- for a web page, its own publisher from its metadata: citations of that outlet are self-citations.

The template's fields are what the editor wrote, so they take precedence over what the words of the
rendered entry suggest; the URL's own domain still names the outlet when the registry knows it.

A template's date is read as citation styles write it (`_reference_date`): "2013", "c. 2013" and "Spring
2013" are the year 2013; a letter after the year ("2013a", "15 March 2013b") only tells apart one
author's works of a year and is dropped; two years ("Winter 2012–2013", "2012–13") give no date rather than a
guess.
"""

from __future__ import annotations

import dataclasses
import re

from ..models import Citation, CitationKind, CitedDate, Document, Outlet, Reference, Role, Span
from ..resolve.registry import Registry
from .dates import parse_date
from .urls import normalise_url

__all__ = ["with_structure"]

_YEAR_LETTER = re.compile(r"(?<=\d{4})[a-z]\b")
_YEAR = re.compile(r"(?<!\d)(?:1[7-9]|20)\d\d(?!\d)")
_SHORT_SECOND_YEAR = re.compile(r"(?<!\d)\d{4}\s*[-–/]\s*\d\d(?!\d)")  # "2012–13", "2012/13"


def with_structure(document: Document, citations: list[Citation], registry: Registry) -> list[Citation]:
    if not (document.page_starts or document.references or document.publisher):
        return citations
    if document.references:
        citations = _with_references(document, citations, registry)
    if document.publisher:
        citations = _with_publisher(document, citations, registry)
    if document.page_starts:
        citations = [dataclasses.replace(c, page=document.page_at(c.span.start)) for c in citations]
    return citations


def _named_outlet(name: str | None, registry: Registry) -> Outlet | None:
    if not name:
        return None
    found = registry.by_name(name.strip())
    return found[0] if found else None


def _reference_outlet(reference: Reference, registry: Registry) -> Outlet | None:
    return _named_outlet(reference.work, registry) or _named_outlet(reference.publisher, registry)


def _reference_date(value: str | None) -> CitedDate | None:
    """The date a template's date= or year= gives (see the module docstring)."""
    if not value:
        return None
    text = _YEAR_LETTER.sub("", value)
    found = parse_date(text)
    if found is not None and found.year is not None:
        return found
    years = set(_YEAR.findall(text))
    if len(years) != 1 or _SHORT_SECOND_YEAR.search(text):
        return found
    return CitedDate(int(years.pop()), None)


def _cue(reference: Reference) -> str:
    label = f"reference [{reference.number}]"
    return f"{label} ({reference.template})" if reference.template else label


def _for_reference(
    citation: Citation, reference: Reference, outlet: Outlet | None, url: str | None
) -> Citation:
    date = _reference_date(reference.date)
    if citation.kind is CitationKind.URL and url is not None and citation.url == url:
        return dataclasses.replace(
            citation,
            cue=_cue(reference),
            date=date or citation.date,
            outlet=citation.outlet or outlet,
            archive_url=reference.archive_url,
        )
    if citation.kind is not CitationKind.OUTLET or citation.role is Role.SELF or outlet is None:
        return citation
    # The template's work or publisher is the source cited, whatever verb stands near its name; another
    # name in the entry (in the title, say) is only named there.
    if citation.outlet is not None and citation.outlet.id == outlet.id:
        return dataclasses.replace(citation, role=Role.CITED, cue=_cue(reference), date=date or citation.date)
    return dataclasses.replace(citation, role=Role.MENTIONED, cue=None, date=None)


def _work_citation(document: Document, reference: Reference, outlet: Outlet, line: int) -> Citation:
    """The outlet a template names when the words of the entry did not name it to the extractor."""
    name = reference.work or reference.publisher or outlet.name
    entry = document.text[reference.span.start : reference.span.end]
    at = entry.find(name)
    start = reference.span.start + (at if at >= 0 else 0)
    end = start + len(name) if at >= 0 else reference.span.end
    date = _reference_date(reference.date)
    return Citation(
        kind=CitationKind.OUTLET,
        role=Role.CITED,
        text=document.text[start:end],
        span=Span(start, end),
        line=line,
        date=date,
        outlet=outlet,
        cue=_cue(reference),
        context=entry.strip(),
    )


def _with_references(document: Document, citations: list[Citation], registry: Registry) -> list[Citation]:
    result = list(citations)
    added: list[Citation] = []
    for reference in document.references:
        inside = [
            index
            for index, citation in enumerate(result)
            if reference.span.start <= citation.span.start < reference.span.end
        ]
        outlet = _reference_outlet(reference, registry)
        url = normalise_url(reference.url) if reference.url else None
        for index in inside:
            result[index] = _for_reference(result[index], reference, outlet, url)
        covered = {
            named.outlet.id
            for named in (result[index] for index in inside)
            if named.outlet is not None and named.role is not Role.MENTIONED
        }
        if (
            outlet is not None
            and outlet.id not in covered
            and not any(result[index].kind is CitationKind.URL for index in inside)
        ):
            line = document.text.count("\n", 0, reference.span.start) + 1
            added.append(_work_citation(document, reference, outlet, line))
    if not added:
        return result
    return sorted([*result, *added], key=lambda c: (c.span.start, c.span.end))


def _with_publisher(document: Document, citations: list[Citation], registry: Registry) -> list[Citation]:
    own = _named_outlet(document.publisher, registry)
    if own is None and document.path.startswith(("http://", "https://")):
        own = registry.by_url(document.path)
    if own is None:
        return citations
    return [
        dataclasses.replace(citation, role=Role.SELF, cue="the page's own publisher")
        if citation.outlet is not None
        and citation.outlet.id == own.id
        and citation.role is Role.CITED
        and citation.kind in (CitationKind.URL, CitationKind.OUTLET)
        else citation
        for citation in citations
    ]
