"""Request budgets kept in the database, so every process that shares it spends one budget.

An archive's limit is per client (the Internet Archive counts requests a minute from one address), so
the workers of a cluster must share it. Each budget is a sliding log: a request is charged by inserting
an event row, and a budget has room while fewer than `events` rows are younger than `window` seconds.
The check and the charge happen in one transaction holding the budget's row lock, so two workers never
both take the last slot. A worker that dies keeps its requests charged (the rows outlive it), which a
lease-based Dask semaphore would not: its leases go back to the pool when the worker is declared dead.

Time is the database server's clock on PostgreSQL (workers' clocks may disagree), this process's on
SQLite. A 429's Retry-After sets `not_before` on the budget row, which every worker then honours.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from .engine import insert_skipping_duplicates
from .tables import Base

__all__ = ["defer_budget", "take_budget"]

_BUDGETS = Base.metadata.tables["rate_budgets"]
_EVENTS = Base.metadata.tables["rate_budget_events"]


def _clock(connection: Connection) -> datetime:
    if connection.dialect.name == "postgresql":
        moment = connection.scalar(select(func.clock_timestamp()))
        assert isinstance(moment, datetime)
        return moment
    return datetime.now(UTC)


def _aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def _lock_budget(connection: Connection, name: str) -> datetime | None:
    """The budget's row, created if new and locked for this transaction; returns its not_before."""
    connection.execute(insert_skipping_duplicates(connection.dialect.name, _BUDGETS).values(name=name))
    query = select(_BUDGETS.c.not_before).where(_BUDGETS.c.name == name).with_for_update()
    return _aware(connection.scalar(query))


def take_budget(writer: Engine, name: str, events: int, window: float, *, charge: bool = True) -> float:
    """Charge one request to budget `name` if it has room: returns 0.0 when charged, else the seconds
    until it may have room. With `charge=False` only the wait is returned."""
    with writer.begin() as connection:
        not_before = _lock_budget(connection, name)
        now = _clock(connection)
        horizon = now - timedelta(seconds=window)
        connection.execute(delete(_EVENTS).where(_EVENTS.c.name == name, _EVENTS.c.at <= horizon))
        count, oldest = connection.execute(
            select(func.count(_EVENTS.c.id), func.min(_EVENTS.c.at)).where(_EVENTS.c.name == name)
        ).one()
        wait = max(0.0, (not_before - now).total_seconds()) if not_before is not None else 0.0
        oldest = _aware(oldest)
        if count >= events and oldest is not None:
            wait = max(wait, (oldest - horizon).total_seconds(), 0.001)
        if wait > 0 or not charge:
            return wait
        connection.execute(insert(_EVENTS).values(name=name, at=now))
        return 0.0


def defer_budget(writer: Engine, name: str, seconds: float) -> None:
    """Charge nothing to `name` for `seconds` from now (the archive answered 429)."""
    with writer.begin() as connection:
        not_before = _lock_budget(connection, name)
        until = _clock(connection) + timedelta(seconds=max(0.0, seconds))
        if not_before is None or until > not_before:
            connection.execute(update(_BUDGETS).where(_BUDGETS.c.name == name).values(not_before=until))
