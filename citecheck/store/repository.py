"""The only code that reads and writes the database; ORM rows never leave this module.

Transactions are short (one per document, one per batch of checks) so that two runs can share a
SQLite file in WAL mode, and so a run killed half-way leaves every finished document stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from .. import __version__
from ..errors import StoreError
from ..models import (
    Affiliation,
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
    RunResult,
    Snapshot,
    Span,
    Verdict,
    VerdictLabel,
)
from .engine import create_engine_for, upgrade
from .tables import (
    CitationRow,
    DocumentRow,
    OutletRow,
    RunDocumentRow,
    RunRow,
    SnapshotRow,
    UrlCheckRow,
    VerdictRow,
)

__all__ = ["RunSummary", "Store"]


@dataclass(frozen=True, slots=True)
class RunSummary:
    id: int
    started_at: datetime
    finished_at: datetime | None
    status: str
    offline: bool
    documents: int
    errors: int
    inputs: tuple[str, ...]


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; everything we store is UTC.
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def _parse_date(value: str | None) -> CitedDate | None:
    if not value:
        return None
    if value.startswith("--"):
        parts = value[2:].split("-")
        return CitedDate(None, int(parts[0]), int(parts[1]) if len(parts) > 1 else None)
    parts = value.split("-")
    return CitedDate(int(parts[0]), int(parts[1]), int(parts[2]) if len(parts) > 2 else None)


class Store:
    """A database opened (and migrated to head) for one process."""

    def __init__(self, url: str, busy_timeout_ms: int = 30_000, migrate: bool = True) -> None:
        self.url = url
        self.engine: Engine = create_engine_for(url, busy_timeout_ms)
        if migrate:
            try:
                upgrade(self.engine)
            except OperationalError as exc:
                raise StoreError(f"cannot open database: {exc.orig}") from None
        self._outlet_ids: dict[str, int] = {}

    def close(self) -> None:
        self.engine.dispose()

    def _session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    # -- runs -------------------------------------------------------------------------------------
    def start_run(self, inputs: Sequence[str], offline: bool) -> int:
        with self._session() as session, session.begin():
            row = RunRow(
                started_at=_now(),
                offline=offline,
                status="running",
                inputs=list(inputs),
                tool_version=__version__,
            )
            session.add(row)
            session.flush()
            return row.id

    def finish_run(self, run_id: int, status: str = "finished") -> datetime:
        finished = _now()
        with self._session() as session, session.begin():
            row = session.get(RunRow, run_id)
            if row is None:
                raise StoreError(f"run {run_id} does not exist")
            row.finished_at = finished
            row.status = status
        return finished

    def reopen_run(self, run_id: int) -> None:
        with self._session() as session, session.begin():
            row = session.get(RunRow, run_id)
            if row is None:
                raise StoreError(f"run {run_id} does not exist")
            row.status = "running"
            row.finished_at = None

    def run_summary(self, run_id: int) -> RunSummary | None:
        return next(iter(self.list_runs(run_id=run_id)), None)

    def latest_unfinished_run(self, inputs: Sequence[str]) -> int | None:
        with self._session() as session:
            rows = session.scalars(
                select(RunRow).where(RunRow.status != "finished").order_by(RunRow.id.desc())
            )
            for row in rows:
                if list(row.inputs) == list(inputs):
                    return row.id
        return None

    def list_runs(self, limit: int = 50, run_id: int | None = None) -> list[RunSummary]:
        with self._session() as session:
            query = select(RunRow).order_by(RunRow.id.desc()).limit(limit)
            if run_id is not None:
                query = select(RunRow).where(RunRow.id == run_id)
            summaries = []
            for row in session.scalars(query):
                documents = session.scalars(
                    select(RunDocumentRow.error).where(RunDocumentRow.run_id == row.id)
                ).all()
                summaries.append(
                    RunSummary(
                        id=row.id,
                        started_at=_aware(row.started_at) or row.started_at,
                        finished_at=_aware(row.finished_at),
                        status=row.status,
                        offline=row.offline,
                        documents=len(documents),
                        errors=sum(1 for error in documents if error),
                        inputs=tuple(row.inputs or ()),
                    )
                )
            return summaries

    def done_paths(self, run_id: int) -> set[str]:
        """Paths already stored for a run, so a resumed run can skip them."""
        with self._session() as session:
            return set(session.scalars(select(RunDocumentRow.path).where(RunDocumentRow.run_id == run_id)))

    # -- link checks and snapshots ------------------------------------------------------------------
    def cached_checks(self, urls: Iterable[str], ttl: timedelta) -> dict[str, tuple[int, LinkCheck]]:
        wanted = list(dict.fromkeys(urls))
        found: dict[str, tuple[int, LinkCheck]] = {}
        if not wanted or ttl <= timedelta(0):
            return found
        since = _now() - ttl
        with self._session() as session:
            for chunk_start in range(0, len(wanted), 500):
                chunk = wanted[chunk_start : chunk_start + 500]
                rows = session.scalars(
                    select(UrlCheckRow)
                    .where(UrlCheckRow.url.in_(chunk), UrlCheckRow.checked_at >= since)
                    .order_by(UrlCheckRow.checked_at)
                )
                for row in rows:  # newest last, so it wins
                    found[row.url] = (row.id, self._check_from_row(row, from_cache=True))
        return found

    @staticmethod
    def _check_from_row(row: UrlCheckRow, from_cache: bool = False) -> LinkCheck:
        return LinkCheck(
            url=row.url,
            status=LinkStatus(row.status),
            http_status=row.http_status,
            final_url=row.final_url,
            error=row.error,
            elapsed=row.elapsed,
            checked_at=_aware(row.checked_at),
            redirects=tuple(row.redirects or ()),
            from_cache=from_cache,
        )

    def save_checks(self, run_id: int | None, checks: Iterable[LinkCheck]) -> dict[str, int]:
        ids: dict[str, int] = {}
        with self._session() as session, session.begin():
            for check in checks:
                row = UrlCheckRow(
                    run_id=run_id,
                    url=check.url,
                    checked_at=check.checked_at or _now(),
                    status=str(check.status),
                    http_status=check.http_status,
                    final_url=check.final_url,
                    error=check.error,
                    elapsed=check.elapsed,
                    redirects=list(check.redirects),
                )
                session.add(row)
                session.flush()
                ids[check.url] = row.id
        return ids

    def cached_snapshots(
        self, keys: Iterable[tuple[str, str | None]], ttl: timedelta
    ) -> dict[tuple[str, str | None], tuple[int, Snapshot]]:
        found: dict[tuple[str, str | None], tuple[int, Snapshot]] = {}
        wanted = list(dict.fromkeys(keys))
        if not wanted or ttl <= timedelta(0):
            return found
        since = _now() - ttl
        urls = list({url for url, _ in wanted})
        with self._session() as session:
            for chunk_start in range(0, len(urls), 500):
                rows = session.scalars(
                    select(SnapshotRow)
                    .where(SnapshotRow.url.in_(urls[chunk_start : chunk_start + 500]))
                    .where(SnapshotRow.checked_at >= since)
                    .order_by(SnapshotRow.checked_at)
                )
                for row in rows:
                    key = (row.url, row.wanted_date)
                    if key in wanted:
                        found[key] = (row.id, self._snapshot_from_row(row))
        return found

    @staticmethod
    def _snapshot_from_row(row: SnapshotRow) -> Snapshot:
        return Snapshot(
            url=row.url,
            archive=row.archive,
            found=row.found,
            memento_url=row.memento_url,
            memento_datetime=_aware(row.memento_datetime),
            http_status=row.http_status,
            digest=row.digest,
            match=ArchiveMatch(row.match),
            evidence=tuple(row.evidence or ()),
            recovered_url=row.recovered_url,
            error=row.error,
        )

    def save_snapshots(
        self, run_id: int | None, snapshots: Iterable[tuple[str | None, Snapshot]]
    ) -> dict[tuple[str, str | None], int]:
        ids: dict[tuple[str, str | None], int] = {}
        with self._session() as session, session.begin():
            for wanted_date, snapshot in snapshots:
                row = SnapshotRow(
                    run_id=run_id,
                    url=snapshot.url,
                    wanted_date=wanted_date,
                    checked_at=_now(),
                    archive=snapshot.archive,
                    found=snapshot.found,
                    memento_url=snapshot.memento_url,
                    memento_datetime=snapshot.memento_datetime,
                    http_status=snapshot.http_status,
                    digest=snapshot.digest,
                    match=str(snapshot.match),
                    evidence=list(snapshot.evidence),
                    recovered_url=snapshot.recovered_url,
                    error=snapshot.error,
                )
                session.add(row)
                session.flush()
                ids[(snapshot.url, wanted_date)] = row.id
        return ids

    # -- documents ----------------------------------------------------------------------------------
    def _document_id(self, session: Session, document: Document) -> int:
        existing = session.scalar(select(DocumentRow.id).where(DocumentRow.sha256 == document.sha256))
        if existing is not None:
            return existing
        row = DocumentRow(
            sha256=document.sha256,
            path=document.path,
            title=document.title,
            size=document.size,
            encoding=document.encoding,
            media_type=document.media_type,
            first_seen=_now(),
        )
        try:
            with session.begin_nested():
                session.add(row)
                session.flush()
        except IntegrityError:  # another run stored the same content a moment ago
            found = session.scalar(select(DocumentRow.id).where(DocumentRow.sha256 == document.sha256))
            if found is None:
                raise
            return found
        return row.id

    def _outlet_id(self, session: Session, outlet: Outlet) -> int:
        cached = self._outlet_ids.get(outlet.id)
        if cached is not None:
            return cached
        row = session.scalar(select(OutletRow).where(OutletRow.slug == outlet.id))
        values = dict(
            name=outlet.name,
            type=str(outlet.type),
            country=outlet.country,
            owner=outlet.owner,
            funder=outlet.funder,
            state_affiliation=str(outlet.state_affiliation),
            note=outlet.note,
            sources=list(outlet.sources),
        )
        if row is None:
            row = OutletRow(slug=outlet.id, **values)
            try:
                with session.begin_nested():
                    session.add(row)
                    session.flush()
            except IntegrityError:
                row = session.scalar(select(OutletRow).where(OutletRow.slug == outlet.id))
                assert row is not None
        else:  # keep the stored facts in step with the registry in use
            for key, value in values.items():
                setattr(row, key, value)
        self._outlet_ids[outlet.id] = row.id
        return row.id

    def save_document_result(
        self,
        run_id: int,
        position: int,
        result: DocumentResult,
        check_ids: dict[str, int] | None = None,
        snapshot_ids: dict[int, int] | None = None,
    ) -> int:
        """Store one document's outcome in one transaction; returns the run_documents id.

        `check_ids` maps a URL to its url_checks row; `snapshot_ids` maps a citation's index to its
        snapshots row (the same URL may be looked up for different cited dates).
        """
        check_ids = check_ids or {}
        snapshot_ids = snapshot_ids or {}
        try:
            with self._session() as session, session.begin():
                document = result.document
                document_id = self._document_id(session, document) if document else None
                run_document = RunDocumentRow(
                    run_id=run_id,
                    document_id=document_id,
                    path=result.path,
                    position=position,
                    error=result.error,
                )
                session.add(run_document)
                session.flush()
                if result.verdict is not None:
                    session.add(self._verdict_row(run_id, result.verdict, run_document_id=run_document.id))
                for index, item in enumerate(result.citations):
                    assert document is not None and document_id is not None
                    citation = item.citation
                    row = CitationRow(
                        run_document_id=run_document.id,
                        document_id=document_id,
                        position=index,
                        kind=str(citation.kind),
                        role=str(citation.role),
                        raw_text=citation.text,
                        start_offset=document.original_offset(citation.span.start),
                        end_offset=document.original_offset(citation.span.end),
                        line=citation.line,
                        url=citation.url,
                        malformed=citation.malformed,
                        cited_date=citation.date.iso() if citation.date else None,
                        cue=citation.cue,
                        context=citation.context,
                        outlet_id=self._outlet_id(session, citation.outlet) if citation.outlet else None,
                        url_check_id=check_ids.get(citation.url) if citation.url else None,
                        snapshot_id=snapshot_ids.get(index),
                    )
                    session.add(row)
                    session.flush()
                    if item.verdict is not None:
                        session.add(self._verdict_row(run_id, item.verdict, citation_id=row.id))
                return run_document.id
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot store {result.path}: {exc.__class__.__name__}: {exc}") from None

    @staticmethod
    def _verdict_row(
        run_id: int, verdict: Verdict, *, citation_id: int | None = None, run_document_id: int | None = None
    ) -> VerdictRow:
        return VerdictRow(
            run_id=run_id,
            citation_id=citation_id,
            run_document_id=run_document_id,
            score=verdict.score,
            label=str(verdict.label),
            reasons=list(verdict.reasons),
        )

    # -- re-reading a run -----------------------------------------------------------------------------
    def load_run(self, run_id: int) -> RunResult:
        """Rebuild a stored run as a RunResult, for re-rendering without any network."""
        with self._session() as session:
            run = session.get(RunRow, run_id)
            if run is None:
                raise StoreError(f"run {run_id} does not exist (see `citecheck runs`)")
            documents = []
            run_documents = session.scalars(
                select(RunDocumentRow)
                .where(RunDocumentRow.run_id == run_id)
                .order_by(RunDocumentRow.position)
            ).all()
            for run_document in run_documents:
                documents.append(self._load_document(session, run_id, run_document))
            return RunResult(
                run_id=run.id,
                started_at=_aware(run.started_at) or run.started_at,
                finished_at=_aware(run.finished_at),
                offline=run.offline,
                documents=tuple(documents),
            )

    def _load_document(self, session: Session, run_id: int, run_document: RunDocumentRow) -> DocumentResult:
        document = None
        if run_document.document_id is not None:
            row = session.get(DocumentRow, run_document.document_id)
            assert row is not None
            document = Document(
                path=run_document.path,
                sha256=row.sha256,
                text="",
                size=row.size,
                encoding=row.encoding,
                media_type=row.media_type,
                title=row.title,
            )
        verdict_row = session.scalar(select(VerdictRow).where(VerdictRow.run_document_id == run_document.id))
        citations = []
        rows = session.scalars(
            select(CitationRow)
            .where(CitationRow.run_document_id == run_document.id)
            .order_by(CitationRow.position)
        )
        for row in rows:
            outlet = None
            if row.outlet_id is not None:
                outlet_row = session.get(OutletRow, row.outlet_id)
                assert outlet_row is not None
                outlet = Outlet(
                    id=outlet_row.slug,
                    name=outlet_row.name,
                    type=OutletType(outlet_row.type),
                    country=outlet_row.country,
                    owner=outlet_row.owner,
                    funder=outlet_row.funder,
                    state_affiliation=Affiliation(outlet_row.state_affiliation),
                    note=outlet_row.note,
                    sources=tuple(outlet_row.sources or ()),
                )
            check = session.get(UrlCheckRow, row.url_check_id) if row.url_check_id else None
            snapshot = session.get(SnapshotRow, row.snapshot_id) if row.snapshot_id else None
            verdict = session.scalar(select(VerdictRow).where(VerdictRow.citation_id == row.id))
            citation = Citation(
                kind=CitationKind(row.kind),
                role=Role(row.role),
                text=row.raw_text,
                span=Span(row.start_offset, row.end_offset),
                line=row.line,
                url=row.url,
                malformed=row.malformed,
                date=_parse_date(row.cited_date),
                outlet=outlet,
                cue=row.cue,
                context=row.context,
            )
            citations.append(
                CitationResult(
                    citation=citation,
                    link=self._check_from_row(check) if check else None,
                    snapshot=self._snapshot_from_row(snapshot) if snapshot else None,
                    verdict=self._verdict_from_row(verdict) if verdict else None,
                )
            )
        return DocumentResult(
            path=run_document.path,
            document=document,
            error=run_document.error,
            citations=tuple(citations),
            verdict=self._verdict_from_row(verdict_row) if verdict_row else None,
        )

    @staticmethod
    def _verdict_from_row(row: VerdictRow) -> Verdict:
        return Verdict(score=row.score, label=VerdictLabel(row.label), reasons=tuple(row.reasons or ()))
