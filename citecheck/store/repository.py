"""The only code that reads and writes the database; ORM rows never leave store/.

Transactions are short (one per document, one per batch of checks) so that two runs can share a
database, and so a run killed half-way leaves every finished document stored and nothing half-stored.
Writes go through `write_engine()` (SQLite: BEGIN IMMEDIATE, so a second writer waits for its turn
instead of failing; see engine.py). A document's rows are inserted with a handful of multi-row
statements rather than one flush per row: at 100,000 documents the difference is hours.

Two processes may insert the same content or the same outlet at the same moment. Unique keys decide:
the loser's insert fails inside a savepoint and it reads the winner's row. Outlets are written in their
own tiny transactions before a document's, so two writers never hold locks on two outlets each (which
on PostgreSQL could deadlock).

Reading whole runs back lives in loading.py.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, insert, or_, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from .. import __version__
from ..errors import RunBusyError, StoreError
from ..models import (
    Citation,
    Document,
    DocumentResult,
    FailureStreak,
    LinkCheck,
    LinkStatus,
    Outlet,
    RunResult,
    SkippedInput,
    Snapshot,
    Verdict,
)
from . import budgets
from .engine import (
    DEFAULT_CONNECT_TIMEOUT,
    create_engine_for,
    insert_skipping_duplicates,
    upgrade,
    write_engine,
)
from .loading import StoredDocuments, aware, check_from_row, iter_documents, page_to_json, snapshot_from_row
from .tables import (
    Base,
    OutletRow,
    RunDocumentRow,
    RunRow,
)

__all__ = ["Store"]

_CHUNK = 500  # URLs per IN (...) list when reading the cache
# Core tables for multi-row inserts and cache reads (typed as Table, which Model.__table__ is not).
_TABLES = Base.metadata.tables
_DOCUMENTS, _RUN_DOCUMENTS = _TABLES["documents"], _TABLES["run_documents"]
_CITATIONS, _VERDICTS = _TABLES["citations"], _TABLES["verdicts"]
_URL_CHECKS, _SNAPSHOTS = _TABLES["url_checks"], _TABLES["snapshots"]


# A run whose holder has not sent a heartbeat for this long is taken to have stopped.
RUN_LEASE = timedelta(minutes=2)
HEARTBEAT_SECONDS = 20.0


def this_worker() -> str:
    return f"{socket.gethostname()}/{os.getpid()}"


def live_holder(worker: str | None, heartbeat_at: datetime | None, now: datetime) -> str | None:
    """Who still holds a run ("pid 123 on this machine, seen 4 s ago"), or None if nobody does.

    On this machine the process itself is asked (a run killed with SIGKILL can be resumed at once);
    a run held on another machine counts as live until its heartbeat is older than RUN_LEASE.
    """
    if worker is None or heartbeat_at is None:
        return None  # made before runs recorded their holder, or never started
    host, _, pid_text = worker.rpartition("/")
    age = now - heartbeat_at
    seen = f"last heartbeat {max(0, int(age.total_seconds()))} s ago"
    if host == socket.gethostname() and pid_text.isdigit():
        pid = int(pid_text)
        if pid == os.getpid() or not _process_exists(pid):
            return None
        return f"process {pid} on this machine, {seen}" if age < RUN_LEASE else None
    return f"process {pid_text} on {host}, {seen}" if age < RUN_LEASE else None


def _process_exists(pid: int) -> bool:
    if os.name != "posix":
        return True  # no safe probe (os.kill(pid, 0) is CTRL_C_EVENT on Windows): trust the heartbeat
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    return True


def _now() -> datetime:
    return datetime.now(UTC)


def _answered(table: Any, ttl: timedelta, run_id: int | None, now: datetime) -> Any:
    """Rows younger than `ttl`, or stored by run `run_id`."""
    conditions = []
    if ttl > timedelta(0):
        conditions.append(table.c.checked_at >= now - ttl)
    if run_id is not None:
        conditions.append(table.c.run_id == run_id)
    return or_(*conditions)


def _in_memory(url: str) -> bool:
    parsed = make_url(url)
    return parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:")


class Store:
    """A database opened (and migrated to head) for one process."""

    def __init__(
        self,
        url: str,
        busy_timeout_ms: int = 30_000,
        migrate: bool = True,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
    ) -> None:
        self.url = url
        self.busy_timeout_ms = busy_timeout_ms
        self.engine: Engine = create_engine_for(url, busy_timeout_ms, connect_timeout)
        self._writer = write_engine(self.engine)
        if migrate:
            try:
                upgrade(self.engine)
            except OperationalError as exc:
                raise StoreError(f"cannot open database: {exc.orig}") from None
        self._outlet_ids: dict[str, int] = {}

    def close(self) -> None:
        self.engine.dispose()

    def _session(self) -> Session:
        """For reading: SQLite starts a deferred transaction, which never waits for writers."""
        return Session(self.engine, expire_on_commit=False)

    def _write(self) -> Session:
        """For writing: on SQLite the transaction takes the write lock first (BEGIN IMMEDIATE)."""
        return Session(self._writer, expire_on_commit=False)

    # -- runs -------------------------------------------------------------------------------------
    def start_run(self, inputs: Sequence[str], offline: bool) -> int:
        now = _now()
        with self._write() as session, session.begin():
            row = RunRow(
                started_at=now,
                offline=offline,
                status="running",
                inputs=list(inputs),
                tool_version=__version__,
                worker=this_worker(),
                heartbeat_at=now,
            )
            session.add(row)
            session.flush()
            return row.id

    def record_skipped(self, run_id: int, skipped: Sequence[SkippedInput]) -> None:
        """The files the run's directory walks passed over, for its reports."""
        with self._write() as session, session.begin():
            row = session.get(RunRow, run_id)
            if row is not None:
                row.skipped = [[entry.path, entry.reason] for entry in skipped]

    def finish_run(self, run_id: int, status: str = "finished", no_network: str | None = None) -> datetime:
        """Close the run; `no_network` says why an online run found no network (its header shows it)."""
        finished = _now()
        with self._write() as session, session.begin():
            row = session.get(RunRow, run_id)
            if row is None:
                raise StoreError(f"run {run_id} does not exist")
            if row.worker not in (None, this_worker()):
                raise RunBusyError(f"run {run_id} was taken over by {row.worker}; this process stops")
            row.finished_at = finished
            row.status = status
            row.no_network = no_network or row.no_network
        return finished

    def reopen_run(self, run_id: int) -> None:
        """Take over an unfinished run for this process, unless a live process still holds it.

        Checked and claimed in one write transaction, so of two processes resuming the same run at the
        same moment one gets it and the other a RunBusyError.
        """
        with self._write() as session, session.begin():
            row = session.get(RunRow, run_id)
            if row is None:
                raise StoreError(f"run {run_id} does not exist")
            holder = live_holder(row.worker, aware(row.heartbeat_at), _now())
            if holder is not None:
                raise RunBusyError(
                    f"run {run_id} over the same inputs is still running ({holder}); "
                    "--resume continues only a run whose process has stopped"
                )
            row.status = "running"
            row.finished_at = None
            row.worker = this_worker()
            row.heartbeat_at = _now()

    def heartbeat(self, run_id: int) -> bool:
        """Say that this process is still working on the run (see `live_holder`); False once another
        process has taken the run over. Best effort: a beat lost to a busy database counts as held and
        is made up by the next one."""
        try:
            with self._writer.begin() as connection:
                updated = connection.execute(
                    update(RunRow)
                    .where(RunRow.id == run_id, RunRow.worker == this_worker())
                    .values(heartbeat_at=_now())
                )
                return updated.rowcount == 1
        except SQLAlchemyError:
            return True

    def holder(self, run_id: int) -> str | None:
        """The worker ("host/pid") recorded for a run."""
        with self._session() as session:
            return session.scalar(select(RunRow.worker).where(RunRow.id == run_id))

    def latest_unfinished_run(self, inputs: Sequence[str], offline: bool | None = None) -> int | None:
        """The newest run over the same inputs that did not finish: killed ("running") or "failed".

        With `offline` given, only a run made in the same mode counts: an offline run's documents carry
        no link checks, so an online resume must not adopt them.
        """
        with self._session() as session:
            query = select(RunRow).where(RunRow.status != "finished").order_by(RunRow.id.desc())
            if offline is not None:
                query = query.where(RunRow.offline == offline)
            for row in session.scalars(query):
                if list(row.inputs) == list(inputs):
                    return row.id
        return None

    def stored_positions(self, run_id: int, positions: Iterable[int]) -> set[int]:
        """Which of these input positions the run has stored (a retried task skips them)."""
        wanted = sorted(set(positions))
        found: set[int] = set()
        table = _RUN_DOCUMENTS
        with self.engine.connect() as connection:
            for chunk_start in range(0, len(wanted), _CHUNK):
                chunk = wanted[chunk_start : chunk_start + _CHUNK]
                query = select(table.c.position).where(table.c.run_id == run_id, table.c.position.in_(chunk))
                found.update(int(position) for position in connection.scalars(query))
        return found

    def done_paths(self, run_id: int) -> set[str]:
        """Paths already stored for a run, so a resumed run can skip them."""
        with self._session() as session:
            return set(session.scalars(select(RunDocumentRow.path).where(RunDocumentRow.run_id == run_id)))

    # -- link checks and snapshots ------------------------------------------------------------------
    def cached_checks(
        self,
        urls: Iterable[str],
        ttl: timedelta,
        transient_ttl: timedelta | None = None,
        now: datetime | None = None,
        run_id: int | None = None,
    ) -> dict[str, tuple[int, LinkCheck]]:
        """The newest check of each URL younger than `ttl`; a transient failure (`LinkCheck.is_transient`)
        only if younger than `transient_ttl` too, else the URL is checked again. An older, better answer
        is never used instead of a newer failure. A check run `run_id` stored counts whatever its age and
        kind: a run checks each URL once (a --refresh run passes a zero `ttl`)."""
        wanted = list(dict.fromkeys(urls))
        found: dict[str, tuple[int, LinkCheck]] = {}
        own: set[str] = set()
        if not wanted or (run_id is None and ttl <= timedelta(0)):
            return found
        now = now or _now()
        table = _URL_CHECKS
        recent = _answered(table, ttl, run_id, now)
        with self.engine.connect() as connection:
            for chunk_start in range(0, len(wanted), _CHUNK):
                chunk = wanted[chunk_start : chunk_start + _CHUNK]
                rows = connection.execute(
                    select(table)
                    .where(table.c.url.in_(chunk), recent, table.c.checked_at <= now)
                    # an excluded link was never checked: the next run without the pattern checks it
                    .where(table.c.status != "excluded")
                    .order_by(table.c.checked_at, table.c.id)
                )
                for row in rows:  # newest last, so it wins
                    found[row.url] = (row.id, check_from_row(row, from_cache=True))
                    if run_id is not None and row.run_id == run_id:
                        own.add(row.url)
                    else:
                        own.discard(row.url)
        if transient_ttl is not None:
            fresh_from = now - transient_ttl
            found = {
                url: (row_id, check)
                for url, (row_id, check) in found.items()
                if url in own or not check.is_transient or (check.checked_at or now) >= fresh_from
            }
        return found

    def failure_streaks(
        self, urls: Iterable[str], before: datetime | None = None
    ) -> dict[str, FailureStreak]:
        """For each URL, the failure streak its latest counted check left (check/history.py); URLs whose
        latest counted check succeeded, or that were never checked, are left out."""
        wanted = list(dict.fromkeys(urls))
        counted = [str(status) for status in LinkStatus if status.is_hard_failure or status.is_success]
        counted.append(str(LinkStatus.FAILING))
        latest: dict[str, Any] = {}
        table = _URL_CHECKS
        with self.engine.connect() as connection:
            for chunk_start in range(0, len(wanted), _CHUNK):
                query = (
                    select(
                        table.c.url,
                        table.c.status,
                        table.c.checked_at,
                        table.c.failures,
                        table.c.failing_since,
                    )
                    .where(table.c.url.in_(wanted[chunk_start : chunk_start + _CHUNK]))
                    .where(table.c.status.in_(counted))
                    .order_by(table.c.checked_at)
                )
                if before is not None:
                    query = query.where(table.c.checked_at < before)
                for row in connection.execute(query):
                    latest[row.url] = row
        streaks: dict[str, FailureStreak] = {}
        for url, row in latest.items():
            if LinkStatus(row.status).is_success:
                continue
            # rows from before failure streaks were kept count as one failure from when they were made
            since = aware(row.failing_since) or aware(row.checked_at) or _now()
            streaks[url] = FailureStreak(failures=row.failures or 1, since=since)
        return streaks

    def save_checks(self, run_id: int | None, checks: Iterable[LinkCheck]) -> dict[str, int]:
        checks = list(checks)
        values = [
            {
                "run_id": run_id,
                "url": check.url,
                "checked_at": check.checked_at or _now(),
                "status": str(check.status),
                "http_status": check.http_status,
                "final_url": check.final_url,
                "error": check.error,
                "elapsed": check.elapsed,
                "redirects": list(check.redirects),
                "cause": str(check.cause) if check.cause else None,
                "failures": check.failures or None,
                "failing_since": check.failing_since,
                "history": check.history,
            }
            for check in checks
        ]
        if not values:
            return {}
        if run_id is None:
            with self._writer.begin() as connection:
                statement = insert(_URL_CHECKS).returning(_URL_CHECKS.c.id, sort_by_parameter_order=True)
                ids = connection.execute(statement, values).scalars().all()
            return {check.url: row_id for check, row_id in zip(checks, ids, strict=True)}
        # Idempotent: a URL this run already stored (a retried cluster task) keeps its first row.
        table = _URL_CHECKS
        urls = [check.url for check in checks]
        with self._writer.begin() as connection:
            connection.execute(insert_skipping_duplicates(self.engine.dialect.name, table), values)
            found: dict[str, int] = {}
            for chunk_start in range(0, len(urls), _CHUNK):
                chunk = urls[chunk_start : chunk_start + _CHUNK]
                query = select(table.c.url, table.c.id).where(
                    table.c.run_id == run_id, table.c.url.in_(chunk)
                )
                found.update({url: int(row_id) for url, row_id in connection.execute(query)})
        return {url: found[url] for url in urls}

    def cached_snapshots(
        self,
        keys: Iterable[tuple[str, str | None]],
        ttl: timedelta,
        transient_ttl: timedelta | None = None,
        now: datetime | None = None,
        run_id: int | None = None,
    ) -> dict[tuple[str, str | None], tuple[int, Snapshot]]:
        """The newest look-up of each (URL, wanted date) younger than `ttl`; one that did not reach an
        archive (`error`) only if younger than `transient_ttl` too; run `run_id`'s own whatever they are."""
        newest: dict[tuple[str, str | None], Any] = {}
        wanted = set(keys)
        if not wanted or (run_id is None and ttl <= timedelta(0)):
            return {}
        now = now or _now()
        fresh_from = now - transient_ttl if transient_ttl is not None else now - ttl
        urls = sorted({url for url, _ in wanted})
        table = _SNAPSHOTS
        recent = _answered(table, ttl, run_id, now)
        with self.engine.connect() as connection:
            for chunk_start in range(0, len(urls), _CHUNK):
                rows = connection.execute(
                    select(table)
                    .where(table.c.url.in_(urls[chunk_start : chunk_start + _CHUNK]))
                    .where(recent, table.c.checked_at <= now)
                    .order_by(table.c.checked_at, table.c.id)
                )
                for row in rows:  # newest last, so it decides
                    key = (row.url, row.wanted_date)
                    if key in wanted and not _judged_for_one_citation(row):
                        newest[key] = row
        return {
            key: (row.id, snapshot_from_row(row, with_page=True))
            for key, row in newest.items()
            if not row.error
            or (run_id is not None and row.run_id == run_id)
            or (aware(row.checked_at) or now) >= fresh_from
        }

    def save_snapshots(
        self,
        run_id: int | None,
        snapshots: Iterable[tuple[str | None, Snapshot]],
        now: datetime | None = None,
    ) -> dict[tuple[str, str | None], int]:
        snapshots = list(snapshots)
        checked_at = now or _now()
        values = [
            {
                "run_id": run_id,
                "url": snapshot.url,
                "wanted_date": wanted_date,
                "checked_at": checked_at,
                "archive": snapshot.archive,
                "found": snapshot.found,
                "memento_url": snapshot.memento_url,
                "memento_datetime": snapshot.memento_datetime,
                "http_status": snapshot.http_status,
                "digest": snapshot.digest,
                "match": str(snapshot.match),
                "evidence": list(snapshot.evidence),
                "recovered_url": snapshot.recovered_url,
                "error": snapshot.error,
                "page": page_to_json(snapshot.page),
            }
            for wanted_date, snapshot in snapshots
        ]
        if not values:
            return {}
        if run_id is None:
            with self._writer.begin() as connection:
                statement = insert(_SNAPSHOTS).returning(_SNAPSHOTS.c.id, sort_by_parameter_order=True)
                ids = connection.execute(statement, values).scalars().all()
            return {
                (snapshot.url, wanted_date): row_id
                for (wanted_date, snapshot), row_id in zip(snapshots, ids, strict=True)
            }
        # Idempotent as save_checks; SQLite's key lets NULL dates repeat, so stored keys are read first.
        table = _SNAPSHOTS
        keys = [(snapshot.url, wanted_date) for wanted_date, snapshot in snapshots]
        urls = sorted({url for url, _ in keys})
        with self._writer.begin() as connection:
            stored = self._stored_snapshot_ids(connection, run_id, urls)
            fresh = [row for row, key in zip(values, keys, strict=True) if key not in stored]
            if fresh:
                connection.execute(insert_skipping_duplicates(self.engine.dialect.name, table), fresh)
            found = self._stored_snapshot_ids(connection, run_id, urls)
        return {key: found[key] for key in keys}

    @staticmethod
    def _stored_snapshot_ids(
        connection: Connection, run_id: int, urls: Sequence[str]
    ) -> dict[tuple[str, str | None], int]:
        """(URL, wanted date) -> row id of this run's look-ups of `urls`; the first row of a key wins."""
        table = _SNAPSHOTS
        found: dict[tuple[str, str | None], int] = {}
        for chunk_start in range(0, len(urls), _CHUNK):
            query = (
                select(table.c.url, table.c.wanted_date, table.c.id)
                .where(table.c.run_id == run_id, table.c.url.in_(urls[chunk_start : chunk_start + _CHUNK]))
                .order_by(table.c.id.desc())
            )
            found.update({(url, when): int(row_id) for url, when, row_id in connection.execute(query)})
        return found

    # -- shared request budgets (budgets.py) ---------------------------------------------------------
    def take_budget(self, name: str, events: int, window: float, *, charge: bool = True) -> float:
        """0.0 once one request is charged to budget `name`, else the seconds to wait for room."""
        try:
            return budgets.take_budget(self._writer, name, events, window, charge=charge)
        except SQLAlchemyError as exc:
            raise StoreError(f"request budget {name}: {exc.__class__.__name__}: {exc}") from None

    def defer_budget(self, name: str, seconds: float) -> None:
        try:
            budgets.defer_budget(self._writer, name, seconds)
        except SQLAlchemyError as exc:
            raise StoreError(f"request budget {name}: {exc.__class__.__name__}: {exc}") from None

    # -- documents ----------------------------------------------------------------------------------
    @staticmethod
    def _document_id(connection: Connection, document: Document) -> int:
        table = _DOCUMENTS
        wanted = select(table.c.id).where(table.c.sha256 == document.sha256)
        existing = connection.execute(wanted).scalar()
        if existing is not None:
            if document.text:  # a row stored before texts were kept gets this one
                connection.execute(
                    update(table)
                    .where(table.c.id == existing, table.c.text.is_(None))
                    .values(text=document.text, offset_map=_stored_maps(document))
                )
            return int(existing)
        try:
            with connection.begin_nested():
                inserted = connection.execute(
                    insert(table)
                    .values(
                        sha256=document.sha256,
                        path=document.path,
                        title=document.title,
                        size=document.size,
                        encoding=document.encoding,
                        media_type=document.media_type,
                        first_seen=_now(),
                        text=document.text or None,
                        offset_map=_stored_maps(document),
                    )
                    .returning(table.c.id)
                ).scalar_one()
        except IntegrityError:  # another run stored the same content a moment ago
            found = connection.execute(wanted).scalar()
            if found is None:
                raise
            return int(found)
        return int(inserted)

    def _outlet_id(self, outlet: Outlet) -> int:
        """The outlets row for a registry entry, written in its own transaction (once per process)."""
        cached = self._outlet_ids.get(outlet.id)
        if cached is not None:
            return cached
        values: dict[str, Any] = dict(
            name=outlet.name,
            type=str(outlet.type),
            country=outlet.country,
            owner=outlet.owner,
            funder=outlet.funder,
            state_affiliation=str(outlet.state_affiliation),
            note=outlet.note,
            sources=list(outlet.sources),
            controller=outlet.controller,
            parent=outlet.parent,
            prominence=outlet.prominence,
            aliases=list(outlet.aliases),
            abbreviations=list(outlet.abbreviations),
            cue_aliases=list(outlet.cue_aliases),
            domains=list(outlet.domains),
            hints=list(outlet.hints),
            short_names=list(outlet.short_names),
        )
        with self._write() as session, session.begin():
            row = session.scalar(select(OutletRow).where(OutletRow.slug == outlet.id))
            if row is None:
                row = OutletRow(slug=outlet.id, **values)
                try:
                    with session.begin_nested():
                        session.add(row)
                        session.flush()
                except IntegrityError:  # another process added it a moment ago
                    row = session.scalar(select(OutletRow).where(OutletRow.slug == outlet.id))
                    assert row is not None
            else:  # keep the stored facts in step with the registry in use
                for key, value in values.items():
                    setattr(row, key, value)
            row_id = row.id
        self._outlet_ids[outlet.id] = row_id  # only once committed
        return row_id

    @staticmethod
    def _run_document_id(
        connection: Connection, run_id: int, position: int, result: DocumentResult, document_id: int | None
    ) -> int:
        """Insert the run_documents row; a row already at this position means another process holds the run
        (the unique key of migration 0004 decides, also when two insert at the same moment)."""
        try:
            with connection.begin_nested():
                return int(
                    connection.execute(
                        insert(_RUN_DOCUMENTS)
                        .values(
                            run_id=run_id,
                            document_id=document_id,
                            path=result.path,
                            position=position,
                            error=result.error,
                            note=result.document.note if result.document else None,
                        )
                        .returning(_RUN_DOCUMENTS.c.id)
                    ).scalar_one()
                )
        except IntegrityError:
            raise RunBusyError(
                f"run {run_id}: document {position} ({result.path}) is already stored; another process "
                "is working on this run, so this one stops"
            ) from None

    def save_document_result(
        self,
        run_id: int,
        position: int,
        result: DocumentResult,
        check_ids: dict[str, int] | None = None,
        snapshot_ids: dict[int, int] | None = None,
    ) -> int:
        """Store one document's outcome in one transaction; returns the run_documents id.

        `check_ids` maps a URL to its url_checks row (a citation points at the row of the link it shows,
        which for a recovered truncated URL is the recovered address); `snapshot_ids` maps a citation's
        index to its snapshots row (the same URL may be looked up for different cited dates). The
        citation's own judgement of the archived copy is stored with the citation.
        """
        check_ids = check_ids or {}
        snapshot_ids = snapshot_ids or {}
        try:
            outlet_ids = {
                item.citation.outlet.id: self._outlet_id(item.citation.outlet)
                for item in result.citations
                if item.citation.outlet is not None
            }
            with self._writer.begin() as connection:
                document = result.document
                document_id = self._document_id(connection, document) if document else None
                run_document_id = self._run_document_id(connection, run_id, position, result, document_id)
                verdicts = []
                if result.verdict is not None:
                    verdicts.append(_verdict_values(run_id, result.verdict, run_document_id=run_document_id))
                if result.citations:
                    assert document is not None and document_id is not None
                    rows = [
                        _citation_values(index, item.citation, document, run_document_id, document_id)
                        | {
                            "outlet_id": outlet_ids[item.citation.outlet.id]
                            if item.citation.outlet
                            else None,
                            "url_check_id": check_ids.get(item.link.url) if item.link else None,
                            "snapshot_id": snapshot_ids.get(index),
                            "archive_match": str(item.snapshot.match) if item.snapshot else None,
                            "archive_evidence": list(item.snapshot.evidence) if item.snapshot else None,
                        }
                        for index, item in enumerate(result.citations)
                    ]
                    citation_ids = (
                        connection.execute(
                            insert(_CITATIONS).returning(_CITATIONS.c.id, sort_by_parameter_order=True), rows
                        )
                        .scalars()
                        .all()
                    )
                    verdicts += [
                        _verdict_values(run_id, item.verdict, citation_id=citation_id)
                        for item, citation_id in zip(result.citations, citation_ids, strict=True)
                        if item.verdict is not None
                    ]
                if verdicts:
                    connection.execute(insert(_VERDICTS), verdicts)
                return int(run_document_id)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot store {result.path}: {exc.__class__.__name__}: {exc}") from None

    # -- re-reading a run -----------------------------------------------------------------------------
    def _run_row(self, run_id: int) -> RunRow:
        with self._session() as session:
            run = session.get(RunRow, run_id)
        if run is None:
            raise StoreError(f"run {run_id} does not exist (see `citecheck runs`)")
        return run

    def load_run(self, run_id: int) -> RunResult:
        """Rebuild a stored run as a RunResult with every document in memory (`citecheck report`)."""
        run = self._run_row(run_id)
        return _run_result(run, tuple(iter_documents(self.engine, run_id)))

    def stored_run(self, run_id: int) -> RunResult:
        """The same RunResult, but its documents are read from the database page by page on each pass.

        Memory stays flat however many documents the run holds; the result stays usable after this
        Store is closed. An in-memory SQLite database cannot be reopened, so it is loaded at once.
        """
        if _in_memory(self.url):
            return self.load_run(run_id)
        run = self._run_row(run_id)
        return _run_result(run, StoredDocuments(self.url, run_id, self.busy_timeout_ms))


def _judged_for_one_citation(row: Any) -> bool:
    """A row stored before look-ups and judgements were separated: its match belongs to the citation
    that made it, and it kept no page to judge another one with."""
    return bool(row.found) and row.page is None and row.match != "not_checked"


def _stored_maps(document: Document) -> dict[str, list[list[int]]]:
    """The maps that lead the stored text's offsets back into the input (see loading.offset_maps)."""
    return {
        "starts": [list(point) for point in document.offset_map],
        "ends": [list(point) for point in document.end_map],
    }


def _run_result(run: RunRow, documents: Sequence[DocumentResult]) -> RunResult:
    return RunResult(
        run_id=run.id,
        started_at=aware(run.started_at) or run.started_at,
        finished_at=aware(run.finished_at),
        offline=run.offline,
        documents=documents,
        no_network=run.no_network,
        skipped=tuple(SkippedInput(path, reason) for path, reason in run.skipped or ()),
    )


def _citation_values(
    index: int, citation: Citation, document: Document, run_document_id: int, document_id: int
) -> dict[str, Any]:
    return {
        "run_document_id": run_document_id,
        "document_id": document_id,
        "position": index,
        "kind": str(citation.kind),
        "role": str(citation.role),
        "raw_text": citation.text,
        "start_offset": document.original_span(citation.span)[0],
        "end_offset": document.original_span(citation.span)[1],
        "line": citation.line,
        "page": citation.page,
        "url": citation.url,
        "archive_url": citation.archive_url,
        "malformed": citation.malformed,
        "cited_date": citation.date.iso() if citation.date else None,
        "cue": citation.cue,
        "context": citation.context,
    }


def _verdict_values(
    run_id: int, verdict: Verdict, *, citation_id: int | None = None, run_document_id: int | None = None
) -> dict[str, Any]:
    return {
        "run_id": run_id,
        "citation_id": citation_id,
        "run_document_id": run_document_id,
        "score": verdict.score,
        "label": str(verdict.label),
        "reasons": list(verdict.reasons),
    }
