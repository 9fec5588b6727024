"""SQLAlchemy 2.x models. Schema changes go through Alembic migrations in migrations/ only.

Column names are plain words so the database reads well in datasette or the sqlite3 shell.
Types are portable: the same tables run on SQLite (default) and PostgreSQL.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class RunRow(Base):
    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    offline: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default="running")  # running | finished | failed
    inputs: Mapped[list[str]] = mapped_column(JSON, default=list)  # the paths as given, for --resume
    # [[path, reason], ...]: files the directory walks passed over (NULL before migration 0010)
    skipped: Mapped[list[list[str]] | None] = mapped_column(JSON)
    tool_version: Mapped[str] = mapped_column(String(32))
    # The process holding the run ("host/pid") and its last sign of life; --resume leaves a live run alone.
    worker: Mapped[str | None] = mapped_column(String(255))
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # an online run that found no network (its connectivity check failed): why
    no_network: Mapped[str | None] = mapped_column(Text)


class DocumentRow(Base):
    """One row per distinct content (sha256); every run that reads it points here."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    path: Mapped[str] = mapped_column(Text)  # where it was first seen
    title: Mapped[str | None] = mapped_column(Text)
    size: Mapped[int] = mapped_column(Integer)
    encoding: Mapped[str] = mapped_column(String(64))
    media_type: Mapped[str] = mapped_column(String(32))
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The normalised text the citations were found in, for the annotated report, and the map from it to
    # the decoded text that citations' offsets count in (Document.offset_map); NULL in rows stored before.
    text: Mapped[str | None] = mapped_column(Text)
    # {"starts": [[index, offset], ...], "ends": [...]}: Document.offset_map and end_map (a bare list of
    # starts in rows written before end maps were kept)
    offset_map: Mapped[dict[str, list[list[int]]] | list[list[int]] | None] = mapped_column(JSON)


class RunDocumentRow(Base):
    """A document as read in one run: its path that time, any input error, and its verdict."""

    __tablename__ = "run_documents"
    # one row per input position: a second process storing the same document fails (migration 0004)
    __table_args__ = (Index("uq_run_documents_run_position", "run_id", "position", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), index=True)
    path: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)  # how it was read, e.g. from an archived copy


class OutletRow(Base):
    """A registry entry as a run used it, every field of `Outlet`, so a stored run reads back the same."""

    __tablename__ = "outlets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(128), unique=True)
    name: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(32))
    country: Mapped[str | None] = mapped_column(String(8))
    owner: Mapped[str | None] = mapped_column(Text)
    funder: Mapped[str | None] = mapped_column(Text)
    state_affiliation: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    sources: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The rest of the registry entry (migration 0012; None in rows stored before it)
    controller: Mapped[str | None] = mapped_column(Text)
    parent: Mapped[str | None] = mapped_column(String(128))
    prominence: Mapped[int | None] = mapped_column(Integer)
    aliases: Mapped[list[str] | None] = mapped_column(JSON)
    abbreviations: Mapped[list[str] | None] = mapped_column(JSON)
    cue_aliases: Mapped[list[str] | None] = mapped_column(JSON)
    domains: Mapped[list[str] | None] = mapped_column(JSON)
    hints: Mapped[list[str] | None] = mapped_column(JSON)
    short_names: Mapped[list[str] | None] = mapped_column(JSON)


class UrlCheckRow(Base):
    """One row per URL per check; the newest row within the cache TTL answers a re-run."""

    __tablename__ = "url_checks"
    __table_args__ = (
        Index("ix_url_checks_url_checked_at", "url", "checked_at"),
        # one check per URL in a run: a retried cluster task adds no second row (migration 0006)
        Index("uq_url_checks_run_url", "run_id", "url", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"), index=True)
    url: Mapped[str] = mapped_column(Text)
    checked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(32))
    http_status: Mapped[int | None] = mapped_column(Integer)
    final_url: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    elapsed: Mapped[float | None] = mapped_column(Float)
    redirects: Mapped[list[str]] = mapped_column(JSON, default=list)
    # a hard failure's streak (check/history.py): what this check saw, failures in a row, since when
    cause: Mapped[str | None] = mapped_column(String(32))
    failures: Mapped[int | None] = mapped_column(Integer)
    failing_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    history: Mapped[str | None] = mapped_column(Text)


class SnapshotRow(Base):
    """An archive look-up for a URL and a wanted date, reused by every citation it answers (each judged
    on its own: the match lives on the citation)."""

    __tablename__ = "snapshots"
    __table_args__ = (
        Index("ix_snapshots_url_checked_at", "url", "checked_at"),
        Index(
            "uq_snapshots_run_url_date",
            "run_id",
            "url",
            "wanted_date",
            unique=True,
            postgresql_nulls_not_distinct=True,
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"), index=True)
    url: Mapped[str] = mapped_column(Text)
    wanted_date: Mapped[str | None] = mapped_column(String(16))  # the date the lookup aimed at
    checked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    archive: Mapped[str] = mapped_column(String(64))
    found: Mapped[bool] = mapped_column(Boolean)
    memento_url: Mapped[str | None] = mapped_column(Text)
    memento_datetime: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    http_status: Mapped[int | None] = mapped_column(Integer)
    digest: Mapped[str | None] = mapped_column(String(128))
    match: Mapped[str] = mapped_column(String(16))
    evidence: Mapped[list[str]] = mapped_column(JSON, default=list)
    recovered_url: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    # the copy as read ({title, headline, text, published}), to judge a later citation of the same URL
    page: Mapped[dict[str, str | None] | None] = mapped_column(JSON)


class CitationRow(Base):
    __tablename__ = "citations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_document_id: Mapped[int] = mapped_column(
        ForeignKey("run_documents.id", ondelete="CASCADE"), index=True
    )
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    role: Mapped[str] = mapped_column(String(16))
    raw_text: Mapped[str] = mapped_column(Text)
    start_offset: Mapped[int] = mapped_column(Integer)
    end_offset: Mapped[int] = mapped_column(Integer)
    line: Mapped[int] = mapped_column(Integer)
    page: Mapped[int | None] = mapped_column(Integer)  # for documents with pages (PDF)
    url: Mapped[str | None] = mapped_column(Text)
    archive_url: Mapped[str | None] = mapped_column(Text)  # an archived copy the document itself gives
    malformed: Mapped[str | None] = mapped_column(Text)
    cited_date: Mapped[str | None] = mapped_column(String(16))
    cue: Mapped[str | None] = mapped_column(Text)
    context: Mapped[str] = mapped_column(Text, default="")
    outlet_id: Mapped[int | None] = mapped_column(ForeignKey("outlets.id"), index=True)
    url_check_id: Mapped[int | None] = mapped_column(ForeignKey("url_checks.id", ondelete="SET NULL"))
    snapshot_id: Mapped[int | None] = mapped_column(ForeignKey("snapshots.id", ondelete="SET NULL"))
    # this citation's judgement of the archived copy, and the snapshot's evidence with it
    archive_match: Mapped[str | None] = mapped_column(String(16))
    archive_evidence: Mapped[list[str] | None] = mapped_column(JSON)


class VerdictRow(Base):
    """A score for one citation, or for one document in one run (exactly one of the two is set)."""

    __tablename__ = "verdicts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    citation_id: Mapped[int | None] = mapped_column(
        ForeignKey("citations.id", ondelete="CASCADE"), index=True
    )
    run_document_id: Mapped[int | None] = mapped_column(
        ForeignKey("run_documents.id", ondelete="CASCADE"), index=True
    )
    score: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(16))
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)


class RateBudgetRow(Base):
    """A request budget shared by every process that uses the database (an archive's, per kind)."""

    __tablename__ = "rate_budgets"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    not_before: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # after a 429


class RateBudgetEventRow(Base):
    """One request charged to a budget; rows older than the budget's window are deleted as it goes."""

    __tablename__ = "rate_budget_events"
    __table_args__ = (Index("ix_rate_budget_events_name_at", "name", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
