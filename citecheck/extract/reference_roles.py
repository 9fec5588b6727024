"""What reference entries, author-year citations, credits and cited addresses say about citations.

Citations in (as the prose rules found them), the same citations out with:
- the date a cited address carries: its reference entry's publication date, else the date in its path
  (/2023/08/25/), else a single date in its link label ("[2021-12-06 tweet](URL)");
- for a name in a reference entry's container ("The Guardian" in `"Title". The Guardian. 5 March 2021.`):
  the role cited and the entry's date, whatever the words around it say; a name inside the entry's
  title is what the work is about, so it is only mentioned. A container the registry knows by name but
  the prose matcher left out ("HarperCollins Publishers Inc.") is added as a cited outlet; one the
  registry does not know is added as a cited `work` by its name, when it stands where every style puts
  a work or publisher (right after a marked title, or "Place: Publisher") and reads as a name;
- for each author-year citation ("(Smith, 2013)"), a citation of kind `work` whose outlet is the
  work itself, typed academic, dated by its year; it is not in the registry, so its id says so;
- for a name inside a photo or video credit, the role `credit`: named, not relied on.
Works after the prose rules so it does not depend on how they are written.
"""

from __future__ import annotations

import bisect
import dataclasses
import re

from ..models import Citation, CitationKind, CitedDate, Document, Outlet, OutletType, Role, Span
from ..resolve.registry import Registry
from .credits import find_credits
from .dates import find_dates, url_date
from .organisations import type_by_name
from .references import (
    AuthorYear,
    DatedSource,
    ReferenceEntry,
    References,
    find_references,
    is_title_cased_name,
    reference_words,
)

__all__ = ["with_references"]

REFERENCE_CUE = "reference entry"
CREDIT_CUE = "photo or video credit"


def _inside(span: Span, outer: Span) -> bool:
    return outer.start <= span.start and span.end <= outer.end


def _trimmed(text: str, span: Span) -> Span:
    """The span without the spaces and line breaks at its ends (an HTML anchor may hold a block's)."""
    start, end = span.start, span.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


def _label(text: str, citation: Citation) -> Span | None:
    """The words a reader clicks for a link: the anchor of an HTML link (its span), or the text of a
    Markdown link "[label](URL)" right before the address."""
    if text[citation.span.start : citation.span.end] != citation.text:
        return citation.span  # an href: the span holds the anchor text, not the address
    start = citation.span.start
    if not text.endswith("](", 0, start):
        return None
    opening = text.rfind("[", max(0, start - 300), start - 2)
    return Span(opening + 1, start - 2) if opening >= 0 and "\n" not in text[opening : start - 2] else None


def _link_date(text: str, citation: Citation) -> CitedDate | None:
    if citation.url:
        found = url_date(citation.url)
        if found is not None:
            return found
    label = _label(text, citation)
    if label is None:
        return None
    dates = find_dates(text, label.start, label.end)
    return dates[0][2] if len(dates) == 1 else None


def _dated_url(text: str, citation: Citation, entry: ReferenceEntry | None) -> Citation:
    if entry is not None:
        date = entry.date or (citation.date if citation.date != entry.accessed else None)
        date = date or _link_date(text, citation)
        return dataclasses.replace(
            citation, date=date, cue=citation.cue if citation.cue not in (None, "link") else REFERENCE_CUE
        )
    if citation.date is None:
        found = _link_date(text, citation)
        if found is not None:
            return dataclasses.replace(citation, date=found)
    return citation


def _names_container(text: str, citation: Citation, container: Span) -> bool:
    """Whether the name is most of the container, less its legal form: "HarperCollins" names
    "HarperCollins Publishers Inc.", but "Harvard" does not name "Harvard Business School"."""
    if not _inside(citation.span, container):
        return False
    name = reference_words().publisher_form.sub("", text[container.start : container.end])
    name = name.removeprefix("The ").strip()
    return len(name) > 0 and (citation.span.end - citation.span.start) / len(name) >= 0.6


def _a_place(name: str, outlet: Outlet | None) -> bool:
    """ "Kyiv" or "Ukraine" for its government: a name that stands for a government only beside a cue
    (a registry cue alias), which in a note's slot before a date is where something happened or was said
    ("Interview, Kyiv, 3 March 2022"), not a publisher."""
    if outlet is None or outlet.type is not OutletType.GOVERNMENT:
        return False
    folded = name.strip().casefold()
    return any(alias.casefold() == folded for alias in outlet.cue_aliases) and not any(
        alias.casefold() == folded for alias in (outlet.name, *outlet.aliases, *outlet.abbreviations)
    )


def _in_entry(text: str, citation: Citation, entry: ReferenceEntry) -> Citation:
    # With no container, a body standing in the author's place published the work: "Example Wire,
    # "Title," 3 May 2021" (a person's name there is never in the registry).
    container = entry.container or entry.author
    if _a_place(citation.text, citation.outlet):
        return citation
    if container is not None and _names_container(text, citation, container):
        return dataclasses.replace(
            citation, role=Role.CITED, cue=REFERENCE_CUE, date=entry.date or citation.date
        )
    if entry.title is not None and _inside(citation.span, entry.title) and citation.role is Role.CITED:
        return dataclasses.replace(citation, role=Role.MENTIONED, cue=None, date=None)
    return citation


def _container_outlet(text: str, entry: ReferenceEntry, registry: Registry) -> Outlet | None:
    """The registry entry the container names, as written or without its legal form ("Inc.")."""
    if entry.container is None:
        return None
    name = text[entry.container.start : entry.container.end]
    for candidate in (name, reference_words().publisher_form.sub("", name)):
        found = registry.by_name(candidate.strip()) if candidate.strip() else []
        if len(found) == 1:
            return None if _a_place(candidate, found[0]) else found[0]
    return None


def _container_known(text: str, entry: ReferenceEntry, registry: Registry) -> bool:
    assert entry.container is not None
    name = text[entry.container.start : entry.container.end]
    candidates = {name.strip(), reference_words().publisher_form.sub("", name).strip()} - {""}
    return any(registry.by_name(candidate) for candidate in candidates)


def _unregistered_outlet(text: str, container: Span) -> Outlet | None:
    """A container the registry does not know, as an outlet of its own if it reads as a name: capitalised
    words ("Harvard Business School", "The Example Review"), joined by short words ("Journal of X")."""
    name = reference_words().publisher_form.sub("", text[container.start : container.end]).strip()
    after_place = text.endswith(": ", 0, container.start)  # "Leeds: Northgate" (else "Title," Leeds, date)
    if not is_title_cased_name(name, least_words=1 if after_place else 2):
        return None
    return _unlisted(name, "the work or publisher a reference entry cites; not in the registry")


def _unlisted(name: str, note: str) -> Outlet:
    """An outlet made from a name the registry does not know; its id says so."""
    return Outlet(
        id=f"work:{_SLUG.sub('-', name.casefold()).strip('-')}",
        name=name,
        type=type_by_name(name),  # "... School": academic, by the registry's own names
        note=note,
    )


def _container_citation(document: Document, entry: ReferenceEntry, outlet: Outlet, line: int) -> Citation:
    assert entry.container is not None
    text = document.text
    return Citation(
        kind=CitationKind.WORK if outlet.id.startswith("work:") else CitationKind.OUTLET,
        role=Role.CITED,
        text=text[entry.container.start : entry.container.end],
        span=entry.container,
        line=line,
        date=entry.date,
        outlet=outlet,
        cue=REFERENCE_CUE,
        context=text[entry.span.start : entry.span.end].strip(),
    )


_SLUG = re.compile(r"[^a-z0-9]+")


def _work_outlet(work: AuthorYear) -> Outlet:
    slug = _SLUG.sub("-", work.name.casefold()).strip("-")
    return Outlet(
        id=f"work:{slug}",
        name=work.name,
        type=OutletType.ACADEMIC,
        note="a work cited by author and year; not in the registry",
    )


def _work_citation(document: Document, work: AuthorYear, line: int) -> Citation:
    text = document.text
    line_start = text.rfind("\n", 0, work.span.start) + 1
    line_end = text.find("\n", work.span.end)
    return Citation(
        kind=CitationKind.WORK,
        role=Role.CITED,
        text=text[work.span.start : work.span.end],
        span=work.span,
        line=line,
        date=CitedDate(work.year, None),
        outlet=_work_outlet(work),
        cue="author-year citation",
        context=text[line_start : len(text) if line_end < 0 else line_end].strip()[:600],
    )


def _line(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _added(
    document: Document, references: References, citations: list[Citation], registry: Registry
) -> list[Citation]:
    text = document.text
    added = []
    named = sorted((c for c in citations if c.outlet is not None), key=lambda c: c.span.start)
    named_starts = [c.span.start for c in named]
    for entry in references.entries:
        if entry.container is None:
            continue
        first = bisect.bisect_left(named_starts, entry.container.start)
        last = bisect.bisect_left(named_starts, entry.container.end)
        inside = named[first:last]
        if any(_names_container(text, c, entry.container) for c in inside):
            continue  # a name stands for the container already (the prose rules' role was settled above)
        outlet = _container_outlet(text, entry, registry) if not inside else None
        if outlet is None and entry.container_placed and not _container_known(text, entry, registry):
            outlet = _unregistered_outlet(text, entry.container)  # "Boston: Harvard Business School"
        if outlet is not None:
            added.append(_container_citation(document, entry, outlet, _line(text, entry.container.start)))
    named_spans = [c.span for c in citations if c.kind is not CitationKind.VAGUE and c.outlet is not None]
    for work in references.author_years:
        if any(s.start < work.span.end and work.span.start < s.end for s in named_spans):
            continue  # "(Reuters, 2021)": an outlet the prose rules read, not a scholar
        added.append(_work_citation(document, work, _line(text, work.span.start)))
    added += _dated_source_citations(document, references, named_spans)
    return added


def _dated_source_citations(document: Document, references: References, named: list[Span]) -> list[Citation]:
    """Names the registry does not know, cited in the "(Source, date)" form the document uses for outlets
    it does know: "(Example Wire, May 2)" beside "(Reuters, May 3)". Without one known outlet in that form
    a capitalised word and a date in parentheses may be a place or an event ("(Geneva, June 16)")."""
    text = document.text
    known: list[DatedSource] = []
    unknown: list[DatedSource] = []
    spans = sorted(named, key=lambda span: span.start)
    starts = [span.start for span in spans]
    for source in references.dated_sources:
        last = bisect.bisect_left(starts, source.span.end)  # the names that start before it ends
        overlapping = any(span.end > source.span.start for span in spans[max(0, last - 3) : last])
        (known if overlapping else unknown).append(source)
    if not known:
        return []
    return [_dated_source_citation(document, source, _line(text, source.span.start)) for source in unknown]


def _dated_source_citation(document: Document, source: DatedSource, line: int) -> Citation:
    text = document.text
    name = text[source.span.start : source.span.end]
    line_start = text.rfind("\n", 0, source.span.start) + 1
    line_end = text.find("\n", source.span.end)
    return Citation(
        kind=CitationKind.WORK,
        role=Role.CITED,
        text=name,
        span=source.span,
        line=line,
        date=source.date,
        outlet=_unlisted(name, "a source cited as (Source, date); not in the registry"),
        cue="(source, date)",
        context=text[line_start : len(text) if line_end < 0 else line_end].strip()[:600],
    )


def with_references(document: Document, citations: list[Citation], registry: Registry) -> list[Citation]:
    text = document.text
    references = find_references(text)
    credits = find_credits(text)
    result = []
    for citation in citations:
        entry = references.entry_at(citation.span.start, citation.span.end)
        if citation.kind is not CitationKind.VAGUE and any(
            _inside(_trimmed(text, citation.span), c) for c in credits
        ):
            citation = dataclasses.replace(citation, role=Role.CREDIT, cue=CREDIT_CUE)
        elif citation.kind is CitationKind.URL:
            citation = _dated_url(text, citation, entry)
        elif citation.kind is CitationKind.OUTLET and entry is not None:
            citation = _in_entry(text, citation, entry)
        result.append(citation)
    added = _added(document, references, result, registry)
    if not added:
        return result
    return sorted([*result, *added], key=lambda c: (c.span.start, c.span.end))
