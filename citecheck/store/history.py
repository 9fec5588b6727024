"""Past runs at a glance, and forgetting old ones: what `citecheck runs` lists and prunes.

In: a Store. Out: `RunOverview`s (one per run, newest first, with the figures a reader compares runs
by: the average document score, how many links were flagged, online or offline), the newest run's id
for `citecheck report latest`, and `prune_runs`, which deletes finished runs older than a moment.

Deleting a run removes its documents as read, their citations and verdicts (ON DELETE CASCADE); its
link checks and archive look-ups stay as the cache, no longer tied to it; a document's stored text goes
when no remaining run read it. A run still marked "running" is never pruned.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, or_, select

from ..models import LinkStatus
from .engine import write_engine
from .loading import aware
from .repository import Store
from .tables import CitationRow, DocumentRow, RunDocumentRow, RunRow, UrlCheckRow, VerdictRow

__all__ = ["Pruned", "RunOverview", "latest_run_id", "prune_runs", "run_overview", "run_overviews"]

# The link statuses a report flags, as stored strings (with malformed URLs, counted by their column).
_BROKEN = [status.value for status in LinkStatus if status.is_broken]


@dataclass(frozen=True, slots=True)
class RunOverview:
    id: int
    started_at: datetime
    finished_at: datetime | None
    status: str
    offline: bool
    documents: int
    errors: int
    score: float | None  # the average document score, None when no document was scored
    flagged: int  # citations whose link is broken or malformed
    inputs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Pruned:
    runs: int
    documents: int  # stored document texts no remaining run read


def run_overview(store: Store, run_id: int) -> RunOverview | None:
    """One run's overview, None if the database has no such run."""
    return next(iter(run_overviews(store, run_id=run_id)), None)


def run_overviews(store: Store, limit: int = 20, run_id: int | None = None) -> list[RunOverview]:
    """The newest `limit` runs, newest first (only run `run_id`, when given)."""
    in_run = RunDocumentRow.run_id == RunRow.id
    documents = select(func.count(RunDocumentRow.id)).where(in_run).scalar_subquery()
    errors = (
        select(func.count(RunDocumentRow.id))
        .where(in_run, RunDocumentRow.error.is_not(None))
        .scalar_subquery()
    )
    score = (
        select(func.avg(VerdictRow.score))
        .join(RunDocumentRow, RunDocumentRow.id == VerdictRow.run_document_id)
        .where(in_run)
        .scalar_subquery()
    )
    flagged = (
        select(func.count(CitationRow.id))
        .join(RunDocumentRow, RunDocumentRow.id == CitationRow.run_document_id)
        .outerjoin(UrlCheckRow, UrlCheckRow.id == CitationRow.url_check_id)
        .where(in_run, or_(CitationRow.malformed.is_not(None), UrlCheckRow.status.in_(_BROKEN)))
        .scalar_subquery()
    )
    query = (
        select(
            RunRow.id,
            RunRow.started_at,
            RunRow.finished_at,
            RunRow.status,
            RunRow.offline,
            RunRow.inputs,
            documents.label("documents"),
            errors.label("errors"),
            score.label("score"),
            flagged.label("flagged"),
        )
        .order_by(RunRow.id.desc())
        .limit(limit)
    )
    if run_id is not None:
        query = query.where(RunRow.id == run_id)
    with store.engine.connect() as connection:
        return [
            RunOverview(
                id=row.id,
                started_at=aware(row.started_at) or row.started_at,
                finished_at=aware(row.finished_at),
                status=row.status,
                offline=bool(row.offline),
                documents=int(row.documents),
                errors=int(row.errors),
                score=None if row.score is None else float(row.score),
                flagged=int(row.flagged),
                inputs=tuple(row.inputs or ()),
            )
            for row in connection.execute(query)
        ]


def latest_run_id(store: Store) -> int | None:
    with store.engine.connect() as connection:
        value = connection.execute(select(func.max(RunRow.id))).scalar()
    return None if value is None else int(value)


def prune_runs(store: Store, before: datetime) -> Pruned:
    """Delete the runs that started before `before` and are not running (see the module docstring)."""
    with write_engine(store.engine).begin() as connection:
        runs = connection.execute(
            delete(RunRow).where(RunRow.started_at < before, RunRow.status != "running")
        ).rowcount
        still_read = select(RunDocumentRow.document_id).where(RunDocumentRow.document_id.is_not(None))
        # A document row is kept while a citation of any run points at it.
        cited = select(CitationRow.document_id)
        documents = connection.execute(
            delete(DocumentRow).where(DocumentRow.id.not_in(still_read), DocumentRow.id.not_in(cited))
        ).rowcount
    return Pruned(runs=int(runs or 0), documents=int(documents or 0))
