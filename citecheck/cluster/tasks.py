"""What the workers run: each task calls the pipeline's stage functions on its share of the run.

Tasks take only picklable values (paths, the config, the database URL, run id). The outlet registry
is loaded once per worker process; a task that writes opens its own `Store` and closes it when done
(a hundred documents' work against one connection set-up). A Store is not kept between tasks because it
remembers outlet row ids, and a long-lived cluster may next serve a database made anew at the same
address.
The order of the stages is not here but in pipeline.py (`_run_on_cluster`).

Every task may run twice: Dask runs a task again on another worker when the worker holding it dies.
Extraction is pure; link checks and archive look-ups skip what the run already stored (their writes
are idempotent too, see Store.save_checks); storing skips documents already stored.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from ..config import Config
from ..errors import RunBusyError
from ..net.loop import run as run_event_loop
from ..pipeline import (
    Evidence,
    Extracted,
    Wanted,
    extract_at,
    merge_wanted,
    score_and_store,
    stored_evidence,
    verify_wanted,
    wanted_by,
)
from ..resolve.registry import Registry, load_registry
from ..store.repository import Store
from .budget import shared_budgets
from .partition import split_by_host

__all__ = ["extract", "merge", "pick", "split", "store", "verify", "wanted"]

_lock = threading.Lock()
_registries: dict[str, Registry] = {}


def _registry(config: Config) -> Registry:
    key = config.registry.model_dump_json()
    with _lock:
        if key not in _registries:
            _registries[key] = load_registry(config.registry)
        return _registries[key]


def extract(chunk: Sequence[tuple[int, str]], config: Config, skipped: dict[str, str]) -> list[Extracted]:
    """Read and extract a chunk of (position, path); `skipped` names entries the directory walk left
    out, and why (they are reported, not read)."""
    registry = _registry(config)
    return [extract_at(position, path, config, registry, skipped.get(path)) for position, path in chunk]


def wanted(extracted: Sequence[Extracted]) -> Wanted:
    return wanted_by(extracted)


def merge(*parts: Wanted) -> Wanted:
    return merge_wanted(parts)


def split(whole: Wanted, partitions: int) -> tuple[Wanted, ...]:
    return split_by_host(whole, partitions)


def pick(parts: tuple[Wanted, ...], index: int) -> Wanted:
    return parts[index]


def verify(
    part: Wanted,
    config: Config,
    database_url: str,
    run_id: int,
    refresh: bool,
    clock: Callable[[], datetime],
    *after: Any,
) -> str | None:
    """Check one partition's links and look up its archived copies; returns why there was no network,
    if the checks found none.

    `after` holds the previous wave's task for the same partition: Dask starts this one when that one is
    done, so a host is never in two link-check tasks at once.
    """
    del after
    if not part.urls and not part.malformed and not part.lookups:
        return None
    store_ = Store(database_url, migrate=False)  # the driver migrated it
    try:
        return run_event_loop(_verify(part, config, store_, run_id, refresh, clock()))
    finally:
        store_.close()


async def _verify(
    part: Wanted, config: Config, store_: Store, run_id: int, refresh: bool, now: datetime
) -> str | None:
    from ..net.client import NetClient

    async with NetClient(config.network) as client:
        evidence = await verify_wanted(
            part, client, config, store_, run_id, now=now, refresh=refresh, shared=shared_budgets(store_)
        )
    return evidence.no_network


def store(
    extracted: Sequence[Extracted],
    config: Config,
    database_url: str,
    run_id: int,
    online: bool,
    refresh: bool,
    clock: Callable[[], datetime],
    *after: Any,
) -> int:
    """Score and store a chunk on the evidence its wave's link-check tasks (`after`) stored; documents
    already stored (by an earlier try of this task) are left as they are. Returns the chunk's size."""
    del after
    store_ = Store(database_url, migrate=False)
    try:
        done = store_.stored_positions(run_id, [item.position for item in extracted])
        todo = [item for item in extracted if item.position not in done]
        evidence = Evidence()
        if todo and online:
            evidence = stored_evidence(wanted_by(todo), config, store_, run_id, refresh, clock())
        for item in todo:
            try:
                score_and_store([item], evidence, config, store_, run_id)
            except RunBusyError:
                # Stored a moment ago by a task of this run that outlived its driver (killed, then
                # resumed: tasks already running finish): the document is there, all this asks.
                continue
    finally:
        store_.close()
    return len(extracted)
