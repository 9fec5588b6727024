"""Reading stored runs back as typed values, a page of documents at a time.

In: a database and a run id. Out: the run's `DocumentResult`s in input order, each with its text when the
database holds it (rows stored before migration 0008 come back with an empty text). Citations' offsets
are stored in the decoded text's terms, as the JSON report gives them; they come back in the terms of
the document's normalised text, as the pipeline made them.

A run may hold 100,000 documents, so nothing here reads a whole run at once: `StoredDocuments` is a
`Sequence[DocumentResult]` whose every pass (iteration) reads PAGE_SIZE documents per round trip, hands
them out and forgets them (a run of one page only is read once and kept). Only the ids of the run's
documents are held for a pass, 8 bytes each. Renderers iterate `result.documents` once or twice and ask
for its length; both work as they do on a tuple, and memory stays flat in the size of the run.

Each pass opens its own engine and closes it when the pass ends, so a `RunResult` built on
`StoredDocuments` stays usable after the `Store` that made it is closed, and holds no connection (nor a
SQLite read snapshot that would stop checkpoints) between passes.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from itertools import islice
from typing import Any, overload

from sqlalchemy import Connection, Engine, func, select

from ..models import (
    Affiliation,
    ArchivedPage,
    ArchiveMatch,
    Citation,
    CitationKind,
    CitationResult,
    CitedDate,
    Document,
    DocumentResult,
    LinkCheck,
    LinkStatus,
    Outlet,
    OutletType,
    Role,
    Snapshot,
    Span,
    Verdict,
    VerdictLabel,
)
from .engine import create_engine_for
from .tables import CitationRow, DocumentRow, OutletRow, RunDocumentRow, SnapshotRow, UrlCheckRow, VerdictRow

__all__ = [
    "PAGE_SIZE",
    "StoredDocuments",
    "aware",
    "check_from_row",
    "document_ids",
    "iter_documents",
    "load_page",
    "offset_maps",
    "outlet_from_row",
    "page_from_json",
    "page_to_json",
    "parse_date",
    "snapshot_from_row",
    "text_offset",
    "verdict_from_row",
]

PAGE_SIZE = 500
_IN_CHUNK = 1000  # ids per IN (...) list, well under SQLite's and PostgreSQL's parameter limits


# -- rows to values (rows are ORM objects or Core rows with the same column names) -------------------


def aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def parse_date(value: str | None) -> CitedDate | None:
    if not value:
        return None
    if value.startswith("--"):
        parts = value[2:].split("-")
        return CitedDate(None, int(parts[0]), int(parts[1]) if len(parts) > 1 else None)
    parts = value.split("-")
    month = int(parts[1]) if len(parts) > 1 else None  # "2013": a year alone
    return CitedDate(int(parts[0]), month, int(parts[2]) if len(parts) > 2 else None)


def check_from_row(row: Any, from_cache: bool = False) -> LinkCheck:
    return LinkCheck(
        url=row.url,
        status=LinkStatus(row.status),
        http_status=row.http_status,
        final_url=row.final_url,
        error=row.error,
        elapsed=row.elapsed,
        checked_at=aware(row.checked_at),
        redirects=tuple(row.redirects or ()),
        from_cache=from_cache,
        cause=LinkStatus(row.cause) if row.cause else None,
        failures=row.failures or 0,
        failing_since=aware(row.failing_since),
        history=row.history,
    )


def page_to_json(page: ArchivedPage | None) -> dict[str, str | bool | None] | None:
    if page is None:
        return None
    published = page.published.isoformat() if page.published else None
    return {
        "title": page.title,
        "headline": page.headline,
        "text": page.text,
        "published": published,
        "complete": page.complete,
    }


def page_from_json(value: dict[str, str | bool | None] | None) -> ArchivedPage | None:
    if not value:
        return None
    published = value.get("published")
    return ArchivedPage(
        title=str(value.get("title") or ""),
        headline=str(value.get("headline") or ""),
        text=str(value.get("text") or ""),
        published=date.fromisoformat(published) if isinstance(published, str) and published else None,
        complete=value.get("complete") is not False,  # pages stored before the flag existed were read whole
    )


def snapshot_from_row(row: Any, *, with_page: bool = False) -> Snapshot:
    """A snapshot row as the look-up it records; `with_page` also reads the stored copy (for judging a
    citation against it; reports never need it)."""
    return Snapshot(
        url=row.url,
        archive=row.archive,
        found=row.found,
        memento_url=row.memento_url,
        memento_datetime=aware(row.memento_datetime),
        http_status=row.http_status,
        digest=row.digest,
        match=ArchiveMatch(row.match),
        evidence=tuple(row.evidence or ()),
        recovered_url=row.recovered_url,
        error=row.error,
        page=page_from_json(row.page) if with_page else None,
    )


def _judged(snapshot: Snapshot, citation_row: Any) -> Snapshot:
    """The snapshot as one citation's judgement of it (match and evidence stored with the citation)."""
    if citation_row.archive_match is None:
        return snapshot  # stored before matches moved to citations: the look-up's own match
    return replace(
        snapshot,
        match=ArchiveMatch(citation_row.archive_match),
        evidence=tuple(citation_row.archive_evidence or ()),
    )


def verdict_from_row(row: Any) -> Verdict:
    return Verdict(score=row.score, label=VerdictLabel(row.label), reasons=tuple(row.reasons or ()))


def outlet_from_row(row: Any) -> Outlet:
    # a row stored before migration 0012 has no prominence: the registry's default applies
    prominence = {} if row.prominence is None else {"prominence": row.prominence}
    return Outlet(
        id=row.slug,
        name=row.name,
        type=OutletType(row.type),
        country=row.country,
        owner=row.owner,
        funder=row.funder,
        state_affiliation=Affiliation(row.state_affiliation),
        note=row.note,
        sources=tuple(row.sources or ()),
        controller=row.controller,
        parent=row.parent,
        aliases=tuple(row.aliases or ()),
        abbreviations=tuple(row.abbreviations or ()),
        cue_aliases=tuple(row.cue_aliases or ()),
        domains=tuple(row.domains or ()),
        hints=tuple(row.hints or ()),
        short_names=tuple(row.short_names or ()),
        **prominence,
    )


# -- pages ------------------------------------------------------------------------------------------


OffsetMap = tuple[tuple[int, int], ...]


def offset_maps(stored: Any) -> tuple[OffsetMap, OffsetMap]:
    """A document's (offset_map, end_map) as stored: {"starts": [...], "ends": [...]}; rows written before
    end maps were kept hold the list of starts alone."""
    if not stored:
        return (), ()
    starts, ends = (stored.get("starts"), stored.get("ends")) if isinstance(stored, dict) else (stored, ())
    return (
        tuple((int(index), int(original)) for index, original in starts or ()),
        tuple((int(index), int(original)) for index, original in ends or ()),
    )


def text_offset(
    points: OffsetMap, original: int, end: bool = False, keys: Sequence[int] | None = None
) -> int:
    """The offset in a document's normalised text of `original`, an offset in its decoded text: the
    inverse of Document.original_offset (an offset inside characters NFC composed maps to their start).
    With `end`, the inverse of Document.original_end: a span's end inside what the text left out (a
    closing tag or emphasis mark, the rest of an entity) maps to the end of the character before it.
    `keys`, the decoded-text offsets of `points` (`offset_keys(points)`), spares listing them per call:
    a document's thousands of citations each made that list anew (a fifth of a report's time)."""
    if not points:
        return original
    found = bisect.bisect_right(keys if keys is not None else offset_keys(points), original) - 1
    if found < 0:
        return original
    here, there = points[found]
    following = points[found + 1][0] if found + 1 < len(points) else None
    offset = here + original - there
    if following is None:
        return offset
    return min(offset, following) if end else min(offset, max(here, following - 1))


def offset_keys(points: OffsetMap) -> list[int]:
    return [there for _, there in points]


def _chunks(values: Iterable[int]) -> Iterator[list[int]]:
    iterator = iter(values)
    while chunk := list(islice(iterator, _IN_CHUNK)):
        yield chunk


def _by_id(connection: Connection, table: Any, ids: Iterable[int]) -> dict[int, Any]:
    """Rows of `table` by id; `table` may be a list of its columns, to read only those."""
    columns = table if isinstance(table, list) else list(table.c)
    id_column = next(column for column in columns if column.name == "id")
    found: dict[int, Any] = {}
    for chunk in _chunks(sorted(set(ids))):
        for row in connection.execute(select(*columns).where(id_column.in_(chunk))):
            found[row.id] = row
    return found


# A report reads the look-up, not the archived page kept for judging later citations.
_SNAPSHOTS_WITHOUT_PAGE = [column for column in SnapshotRow.__table__.c if column.name != "page"]


def document_ids(connection: Connection, run_id: int) -> array[int]:
    """The run's run_documents ids in input order (position), compactly."""
    ids: array[int] = array("q")
    query = (
        select(RunDocumentRow.id)
        .where(RunDocumentRow.run_id == run_id)
        .order_by(RunDocumentRow.position, RunDocumentRow.id)
    )
    ids.extend(connection.execute(query).scalars())
    return ids


def load_page(connection: Connection, ids: Sequence[int], outlets: dict[int, Outlet]) -> list[DocumentResult]:
    """The documents with these run_documents ids, in the order given, with everything a report shows.

    `outlets` caches outlet rows across pages (there are as many as the registry has entries).
    """
    run_documents = {
        row.id: row
        for row in connection.execute(
            select(
                RunDocumentRow.id,
                RunDocumentRow.path,
                RunDocumentRow.error,
                RunDocumentRow.note,
                RunDocumentRow.document_id,
                DocumentRow.sha256,
                DocumentRow.size,
                DocumentRow.encoding,
                DocumentRow.media_type,
                DocumentRow.title,
                DocumentRow.text,
                DocumentRow.offset_map,
            )
            .outerjoin(DocumentRow, DocumentRow.id == RunDocumentRow.document_id)
            .where(RunDocumentRow.id.in_(list(ids)))
        )
    }
    verdicts = VerdictRow.__table__
    document_verdicts: dict[int, Verdict] = {}
    citation_rows: dict[int, list[Any]] = {}
    citation_verdicts: dict[int, Verdict] = {}
    citations = CitationRow.__table__
    for row in connection.execute(
        select(verdicts).where(verdicts.c.run_document_id.in_(list(ids))).order_by(verdicts.c.id)
    ):
        document_verdicts.setdefault(row.run_document_id, verdict_from_row(row))
    for row in connection.execute(
        select(citations)
        .where(citations.c.run_document_id.in_(list(ids)))
        .order_by(citations.c.run_document_id, citations.c.position)
    ):
        citation_rows.setdefault(row.run_document_id, []).append(row)
    for row in connection.execute(
        select(verdicts)
        .join(citations, citations.c.id == verdicts.c.citation_id)
        .where(citations.c.run_document_id.in_(list(ids)))
        .order_by(verdicts.c.id)
    ):
        citation_verdicts.setdefault(row.citation_id, verdict_from_row(row))
    every_citation = [row for rows in citation_rows.values() for row in rows]
    check_ids = (r.url_check_id for r in every_citation if r.url_check_id)
    checks = _by_id(connection, UrlCheckRow.__table__, check_ids)
    snapshot_ids = (r.snapshot_id for r in every_citation if r.snapshot_id)
    snapshots = _by_id(connection, _SNAPSHOTS_WITHOUT_PAGE, snapshot_ids)
    missing = {r.outlet_id for r in every_citation if r.outlet_id is not None} - outlets.keys()
    for outlet_id, row in _by_id(connection, OutletRow.__table__, missing).items():
        outlets[outlet_id] = outlet_from_row(row)

    page = []
    for run_document_id in ids:
        head = run_documents.get(run_document_id)
        if head is None:  # deleted while we read; a report shows what is there
            continue
        document = None
        points: tuple[tuple[int, int], ...] = ()
        ends: tuple[tuple[int, int], ...] = ()
        if head.document_id is not None:
            points, ends = offset_maps(head.offset_map)
            document = Document(
                path=head.path,
                sha256=head.sha256,
                text=head.text or "",
                size=head.size,
                encoding=head.encoding,
                media_type=head.media_type,
                title=head.title,
                note=head.note,
                offset_map=points,
                end_map=ends,
            )
        point_keys, end_keys = offset_keys(points), offset_keys(ends or points)
        items = []
        for row in citation_rows.get(run_document_id, ()):
            citation = Citation(
                kind=CitationKind(row.kind),
                role=Role(row.role),
                text=row.raw_text,
                span=Span(
                    text_offset(points, row.start_offset, keys=point_keys),
                    text_offset(ends or points, row.end_offset, end=True, keys=end_keys),
                ),
                line=row.line,
                url=row.url,
                malformed=row.malformed,
                date=parse_date(row.cited_date),
                outlet=outlets.get(row.outlet_id) if row.outlet_id is not None else None,
                cue=row.cue,
                context=row.context,
                page=row.page,
                archive_url=row.archive_url,
            )
            check = checks.get(row.url_check_id) if row.url_check_id else None
            snapshot = snapshots.get(row.snapshot_id) if row.snapshot_id else None
            items.append(
                CitationResult(
                    citation=citation,
                    link=check_from_row(check) if check is not None else None,
                    snapshot=_judged(snapshot_from_row(snapshot), row) if snapshot is not None else None,
                    verdict=citation_verdicts.get(row.id),
                )
            )
        page.append(
            DocumentResult(
                path=head.path,
                document=document,
                error=head.error,
                citations=tuple(items),
                verdict=document_verdicts.get(run_document_id),
            )
        )
    return page


def iter_documents(engine: Engine, run_id: int, ids: Sequence[int] | None = None) -> Iterator[DocumentResult]:
    """Every document of a run in input order, one page per short read transaction."""
    if ids is None:
        with engine.connect() as connection:
            ids = document_ids(connection, run_id)
    outlets: dict[int, Outlet] = {}
    for start in range(0, len(ids), PAGE_SIZE):
        with engine.connect() as connection:
            page = load_page(connection, ids[start : start + PAGE_SIZE], outlets)
        yield from page


class StoredDocuments(Sequence[DocumentResult]):
    """The documents of a stored run, read from the database on demand (see the module docstring)."""

    def __init__(self, url: str, run_id: int, busy_timeout_ms: int) -> None:
        self.url = url
        self.run_id = run_id
        self.busy_timeout_ms = busy_timeout_ms
        # A run that fits in one page is read once and kept: the report, the exit code and --fail-on
        # each take a pass, and a page holds no more than one pass would anyway.
        self._only_page: tuple[DocumentResult, ...] | None = None

    def _engine(self) -> Engine:
        return create_engine_for(self.url, self.busy_timeout_ms)

    def __iter__(self) -> Iterator[DocumentResult]:
        if self._only_page is not None:
            yield from self._only_page
            return
        engine = self._engine()
        try:
            with engine.connect() as connection:
                ids = document_ids(connection, self.run_id)
                if len(ids) <= PAGE_SIZE:
                    self._only_page = tuple(load_page(connection, ids, {}))
            if self._only_page is not None:
                yield from self._only_page
            else:
                yield from iter_documents(engine, self.run_id, ids)
        finally:
            engine.dispose()

    def __len__(self) -> int:
        engine = self._engine()
        try:
            with engine.connect() as connection:
                query = select(func.count(RunDocumentRow.id)).where(RunDocumentRow.run_id == self.run_id)
                return int(connection.execute(query).scalar_one())
        finally:
            engine.dispose()

    @overload
    def __getitem__(self, index: int) -> DocumentResult: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[DocumentResult, ...]: ...

    def __getitem__(self, index: int | slice) -> DocumentResult | tuple[DocumentResult, ...]:
        engine = self._engine()
        try:
            with engine.connect() as connection:
                ids = document_ids(connection, self.run_id)
            if isinstance(index, slice):
                return tuple(iter_documents(engine, self.run_id, ids[index]))
            wanted = ids[index]  # IndexError as a tuple would raise it
            return next(iter_documents(engine, self.run_id, [wanted]))
        finally:
            engine.dispose()

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        if len(self) != len(other):
            return False
        return all(mine == theirs for mine, theirs in zip(self, other, strict=False))

    __hash__ = None  # type: ignore[assignment]  # equal to a tuple with the same documents

    def __repr__(self) -> str:
        from sqlalchemy.engine import make_url

        url = make_url(self.url).render_as_string(hide_password=True)
        return f"StoredDocuments(run_id={self.run_id}, url={url!r})"
