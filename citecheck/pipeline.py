"""run_check(): the only code that knows the stage order.

ingest -> extract -> resolve (inside extract) -> check (live) -> archive -> score -> store.
Documents flow in batches so memory stays flat on large inputs and every finished batch is already
in the database if the run is killed. One bad document is recorded with its error and the batch
goes on. The network stages share one client and run inside one event loop.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Coroutine, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .config import Config
from .errors import InputError, RunBusyError, StoreError
from .extract import extract_citations
from .extract.dates import archive_day, document_date
from .ingest import expand_inputs, read_document
from .ingest.remote import is_web_address
from .models import (
    Citation,
    CitationKind,
    CitationResult,
    Document,
    DocumentResult,
    LinkCheck,
    LinkStatus,
    RunResult,
    SkippedInput,
    Snapshot,
)
from .resolve.registry import Registry, load_registry
from .safe_urls import masked_userinfo, redact_userinfo

if TYPE_CHECKING:  # `citecheck extract` stores and scores nothing, so it never imports SQLAlchemy
    from .archive import SnapshotRequest
    from .store.repository import Store

__all__ = [
    "ProgressCallback",
    "archive_documents",
    "evidence_collection",
    "extract_document",
    "extract_run",
    "run_check",
]

ProgressCallback = Callable[[str, int, int], None]
T = TypeVar("T")
BATCH_SIZE = 200
BATCH_TEXT = 32 * 1024 * 1024  # characters of document text held per batch


def _no_progress(_stage: str, _done: int, _total: int) -> None:
    return None


def run_event_loop(main: Coroutine[Any, Any, T]) -> T:
    """net.loop.run, imported by the runs that need an event loop: `extract` imports no asyncio."""
    from .net.loop import run

    return run(main)


def extract_document(
    path: str, config: Config, registry: Registry, skipped: str | None = None
) -> DocumentResult:
    """Ingest and extract one input, offline; an unreadable input becomes a result with an error, and so
    does an entry a directory walk skipped (`skipped` says why: see `expand_inputs`)."""
    if skipped is not None:
        return DocumentResult(path=path, document=None, error=skipped)
    if is_web_address(path):
        return DocumentResult(path=path, document=None, error=_WEB_ADDRESS_OFFLINE)
    try:
        document = read_document(path, config.input)
    except InputError as exc:
        return DocumentResult(path=path, document=None, error=exc.reason)
    return _extracted(path, document, registry)


_WEB_ADDRESS_OFFLINE = "a web address: `citecheck check` reads it (this command reads local files only)"


def _extracted(path: str, document: Document, registry: Registry) -> DocumentResult:
    citations = extract_citations(document, registry)
    if "@" in document.text:  # the text is stored and shown too (the annotated report)
        document = dataclasses.replace(document, text=masked_userinfo(document.text))
    return DocumentResult(
        path=path, document=document, citations=tuple(CitationResult(_redacted(c)) for c in citations)
    )


def _redacted(citation: Citation) -> Citation:
    """The citation with any `user:password@` in its URL and text replaced by `***@`: credentials in a
    cited URL are never stored, reported or sent to anyone (the link check sends none either)."""
    if "@" not in citation.text and "@" not in citation.context:
        return citation
    return dataclasses.replace(
        citation,
        text=redact_userinfo(citation.text),
        url=redact_userinfo(citation.url) if citation.url else citation.url,
        context=redact_userinfo(citation.context),
    )


def extract_run(paths: Sequence[str], config: Config) -> RunResult:
    """What the text itself cites, offline and without a database (`citecheck extract`)."""
    started = datetime.now(UTC)
    registry = load_registry(config.registry)
    skipped: dict[str, str] = {}
    passed_over: list[SkippedInput] = []
    documents = tuple(
        _for_reports(extract_document(path, config, registry, skipped.get(path)))
        for path in expand_inputs(list(paths), config.input, skipped, passed_over)
    )
    return RunResult(
        run_id=None,
        started_at=started,
        finished_at=datetime.now(UTC),
        offline=True,
        documents=documents,
        skipped=tuple(passed_over),
    )


def _for_reports(result: DocumentResult) -> DocumentResult:
    """The result as reports use it: the text stays (the HTML report shows it annotated), the links
    found in markup go, as the citations made from them carry what a report needs."""
    if result.document is None:
        return result
    return dataclasses.replace(result, document=dataclasses.replace(result.document, links=()))


def evidence_collection(config: Config) -> Path:
    """The local WARC collection captured evidence goes to (a folder pywb serves as a collection)."""
    if config.archive.collection_dir:
        return Path(config.archive.collection_dir).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("citecheck", appauthor=False)) / "pywb" / "collections" / "evidence"


def archive_documents(
    paths: Sequence[str], config: Config, transport: Any = None, outcomes: dict[str, str] | None = None
) -> tuple[list[str], list[Path]]:
    """`citecheck archive`: capture the live pages the documents link to. Returns (URLs, WARC files);
    each URL's outcome ("captured", "refused", ...: see `capture_pages`) goes into `outcomes`."""
    registry = load_registry(config.registry)
    urls: list[str] = []
    for path in expand_inputs(list(paths), config.input):
        result = extract_document(path, config, registry)
        urls += [
            i.citation.url
            for i in result.citations
            if i.citation.url and _checkable(i.citation) and not i.citation.malformed
        ]
    urls = list(dict.fromkeys(urls))
    if not urls:
        return [], []
    return urls, run_event_loop(_capture(urls, config, transport, outcomes))


async def _capture(
    urls: list[str], config: Config, transport: Any, outcomes: dict[str, str] | None = None
) -> list[Path]:
    from .archive import capture_pages
    from .archive.pywb import write_pywb_config
    from .net.client import NetClient

    collection = evidence_collection(config)
    pywb_root = collection.parent.parent
    pywb_root.mkdir(parents=True, exist_ok=True)
    if not (pywb_root / "config.yaml").exists():  # the replay settings the providers rely on
        write_pywb_config(pywb_root)
    async with NetClient(config.network, transport=transport) as client:
        return await capture_pages(urls, client, collection, outcomes)


def _checkable(citation: Citation) -> bool:
    return citation.kind is CitationKind.URL and citation.url is not None


def _wanted_date(citation: Citation, dateline: str | None = None) -> str | None:
    """The day an archived copy should be nearest to: the cited date (a month and day without a year
    in the dateline's year), else the document's own dateline, else None ("now")."""
    return archive_day(citation.date, dateline)


def _dateline(result: DocumentResult) -> str | None:
    """The document's own date: from its metadata (a web page's), else a dateline in its first lines."""
    if result.document is None:
        return None
    found = result.document.date or document_date(result.document.text)
    return found.iso() if found and found.year and found.day else None


@dataclass(frozen=True, slots=True)
class RunOptions:
    offline: bool = False  # no network at all
    refresh: bool = False  # ignore cached link checks and archive look-ups
    save: bool = False  # capture live cited pages into the local WARC collection
    transport: Any = None  # an httpx transport for the one client (tests wrap the real one)
    clock: Callable[[], datetime] | None = None  # "now" for checks, the cache and link histories


def _utc_now() -> datetime:
    return datetime.now(UTC)


# -- the stages as plain functions: a local run calls them batch by batch, a cluster run as tasks ------


@dataclass(frozen=True, slots=True)
class Extracted:
    """One input after extraction: its place in the run, what it cites, and its dateline (the date
    archive look-ups aim at when a citation gives none), read while the whole text is at hand."""

    position: int
    result: DocumentResult
    dateline: str | None


def extract_at(
    position: int, path: str, config: Config, registry: Registry, skipped: str | None = None
) -> Extracted:
    result = extract_document(path, config, registry, skipped)
    return Extracted(position, result, _dateline(result))


def _skipped_in(chunk: Sequence[tuple[int, str]], skipped: dict[str, str]) -> dict[str, str]:
    return {path: skipped[path] for _, path in chunk if path in skipped}


@dataclass(frozen=True, slots=True)
class Wanted:
    """What documents ask of the network, each thing once, first seen first: the well-formed URLs to
    check, the malformed ones (recorded as such, never sent), and per (URL, date) the first citation in
    input order, which the look-up is made for (however the run is cut into batches or tasks)."""

    urls: tuple[str, ...] = ()
    malformed: tuple[LinkCheck, ...] = ()
    lookups: tuple[tuple[Citation, str | None], ...] = ()


def wanted_by(batch: Sequence[Extracted]) -> Wanted:
    parts = []
    for extracted in batch:
        citations = [item.citation for item in extracted.result.citations if _checkable(item.citation)]
        parts.append(
            Wanted(
                urls=tuple(c.url for c in citations if c.url and not c.malformed),
                malformed=tuple(
                    LinkCheck(url=c.url, status=LinkStatus.MALFORMED, error=c.malformed)
                    for c in citations
                    if c.url and c.malformed
                ),
                lookups=tuple((c, _wanted_date(c, extracted.dateline)) for c in citations),
            )
        )
    return merge_wanted(parts)


def merge_wanted(parts: Iterable[Wanted]) -> Wanted:
    """One `Wanted` for parts given in input order: the first part to ask for a thing decides it."""
    urls: dict[str, None] = {}
    malformed: dict[str, LinkCheck] = {}
    lookups: dict[tuple[str, str | None], Citation] = {}
    for part in parts:
        for url in part.urls:
            urls.setdefault(url)
        for check in part.malformed:
            malformed.setdefault(check.url, check)
        for citation, when in part.lookups:
            lookups.setdefault((citation.url or "", when), citation)
    return Wanted(
        tuple(urls), tuple(malformed.values()), tuple((c, when) for (_, when), c in lookups.items())
    )


@dataclass(frozen=True, slots=True)
class Evidence:
    """Link checks by URL and archive look-ups by (URL, date), each with its database row id."""

    checks: dict[str, LinkCheck] = field(default_factory=dict)
    check_ids: dict[str, int] = field(default_factory=dict)
    snapshots: dict[tuple[str, str | None], Snapshot] = field(default_factory=dict)
    snapshot_ids: dict[tuple[str, str | None], int] = field(default_factory=dict)
    no_network: str | None = None  # why the checks found no network at all, if they did


def archive_wanted(
    wanted: Wanted, checks: dict[str, LinkCheck], config: Config
) -> list[tuple[Citation, str | None]]:
    """The look-ups worth making: a malformed URL (the archive may know the whole address), a broken
    link, or with `match_content` every checked one; none without a provider or a copy the document
    gives itself. A refused address is private or local: no public archive holds it, and none is told
    of it."""
    chosen = [
        (citation, when)
        for citation, when in wanted.lookups
        if citation.malformed
        or (
            citation.url in checks
            and checks[citation.url].status not in (LinkStatus.REFUSED, LinkStatus.EXCLUDED)
            and (checks[citation.url].status.is_broken or config.archive.match_content)
        )
    ]
    if config.archive.providers or any(citation.archive_url for citation, _ in chosen):
        return chosen
    return []


def _cache_age(config: Config, refresh: bool) -> tuple[timedelta, timedelta]:
    """How old a stored answer from an earlier run may be, and a transient failure; the run's own
    answers always count."""
    ttl = timedelta(0) if refresh else timedelta(hours=config.cache.ttl_hours)
    return ttl, timedelta(minutes=config.cache.transient_ttl_minutes)


class _SaveAsDone:
    """Stores answers as they come, a few dozen per transaction, so a run (or a cluster task) killed
    half-way keeps what it learnt and its retry asks the network only for the rest."""

    EVERY = 50

    def __init__(self, save: Callable[[list[Any]], dict[Any, int]]) -> None:
        self._save = save
        self._pending: list[Any] = []
        self.ids: dict[Any, int] = {}

    def add(self, item: Any) -> None:
        self._pending.append(item)
        if len(self._pending) >= self.EVERY:
            self.flush()

    def flush(self) -> None:
        if self._pending:
            pending, self._pending = self._pending, []
            self.ids.update(self._save(pending))


async def check_urls(
    urls: Sequence[str],
    client: Any,
    config: Config,
    store: Store,
    run_id: int,
    *,
    now: datetime,
    refresh: bool = False,
    on_done: Callable[[LinkCheck], None] | None = None,
) -> tuple[dict[str, LinkCheck], dict[str, int]]:
    """Each URL checked once in the run: answers stored before (this run's, or an earlier run's within
    the cache TTL; a transient failure only for `cache.transient_ttl_minutes`) are used as they are; the
    rest are checked, a hard failure made `failing` or, confirmed by the link's history, `dead`
    (check/history.py), and stored as they finish."""
    # A link matching an exclude pattern is not checked at all (--exclude, .citecheckignore).
    excluded = {url: LinkCheck(url, LinkStatus.EXCLUDED) for url in urls if config.network.excludes(url)}
    urls = [url for url in urls if url not in excluded]
    ttl, transient_ttl = _cache_age(config, refresh)
    cached = store.cached_checks(urls, ttl, transient_ttl, now, run_id)
    results = {url: check for url, (_, check) in cached.items()}
    ids = {url: row_id for url, (row_id, _) in cached.items()}
    todo = [url for url in dict.fromkeys(urls) if url not in results]
    if todo:
        from .check import check_links
        from .check.history import confirm_failures

        streaks = store.failure_streaks(todo, before=now)
        saver = _SaveAsDone(lambda checks: store.save_checks(run_id, checks))
        confirmed: dict[str, LinkCheck] = {}

        def done(check: LinkCheck) -> None:
            stamped = {check.url: dataclasses.replace(check, checked_at=now)}
            confirmed.update(confirm_failures(stamped, streaks, config.network, now))
            saver.add(confirmed[check.url])
            if on_done is not None:
                on_done(check)

        fresh = await check_links(todo, client, config.network, on_done=done)
        saver.flush()
        stamped = {url: dataclasses.replace(check, checked_at=now) for url, check in fresh.items()}
        unreported = {url: check for url, check in stamped.items() if url not in confirmed}
        confirmed.update(confirm_failures(unreported, streaks, config.network, now))
        results.update({url: confirmed[url] for url in fresh})
        ids.update(saver.ids)
        ids.update(store.save_checks(run_id, [confirmed[url] for url in fresh if url not in ids]))
    if excluded:  # stored so the report says "excluded", never read back as a cached check
        results.update(excluded)
        ids.update(store.save_checks(run_id, excluded.values()))
    return results, ids


async def check_wanted(
    wanted: Wanted,
    client: Any,
    config: Config,
    store: Store,
    run_id: int,
    *,
    now: datetime,
    refresh: bool = False,
    on_done: Callable[[LinkCheck], None] | None = None,
) -> tuple[dict[str, LinkCheck], dict[str, int]]:
    """The live checks of `wanted.urls`, and its malformed URLs recorded as such."""
    results, ids = await check_urls(
        wanted.urls, client, config, store, run_id, now=now, refresh=refresh, on_done=on_done
    )
    if wanted.malformed:
        malformed_urls = [check.url for check in wanted.malformed]
        cached = store.cached_checks(malformed_urls, timedelta(0), None, now, run_id)
        ids.update({url: row_id for url, (row_id, _) in cached.items()})
        results.update({check.url: check for check in wanted.malformed})
        ids.update(store.save_checks(run_id, [check for check in wanted.malformed if check.url not in ids]))
    return results, ids


async def given_copies(
    given: list[tuple[Citation, str | None]], client: Any, config: Config
) -> dict[tuple[str, str | None], Snapshot]:
    """The archived copies the documents give (a wiki archive-url) that can be read, by (URL, date)."""
    from .archive.given import given_copy

    requests = {(c.url, when): c for c, when in given if c.url and c.archive_url}

    async def one(
        key: tuple[str, str | None], citation: Citation
    ) -> tuple[tuple[str, str | None], Snapshot | None]:
        snapshot, _ = await given_copy(key[0], citation.archive_url or "", client, config.archive)
        return key, snapshot

    import asyncio

    answers = await asyncio.gather(*(one(key, citation) for key, citation in requests.items()))
    return {key: snapshot for key, snapshot in answers if snapshot is not None}


async def look_up_wanted(
    wanted: list[tuple[Citation, str | None]],
    client: Any,
    config: Config,
    store: Store,
    run_id: int,
    *,
    now: datetime,
    refresh: bool = False,
    no_network: str | None = None,
    on_done: Callable[[Snapshot], None] | None = None,
    shared: Any = None,
) -> tuple[dict[tuple[str, str | None], Snapshot], dict[tuple[str, str | None], int]]:
    """The archive look-up for each (URL, wanted date), once per run, stored as each answer comes;
    with `no_network`, "archive not reached" without asking.

    A look-up is shared by every citation of that URL and date; each citation is then judged against
    the copy on its own (`judge_snapshot`, in `score_and_store`).
    """
    from .archive import look_up_snapshots

    keys = list(dict.fromkeys((c.url, when) for c, when in wanted if c.url))
    ttl, transient_ttl = _cache_age(config, refresh)
    cached = store.cached_snapshots(keys, ttl, transient_ttl, now, run_id)
    results = {key: snapshot for key, (_, snapshot) in cached.items()}
    ids = {key: row_id for key, (row_id, _) in cached.items()}
    given = [(c, when) for c, when in wanted if c.url and c.archive_url and (c.url, when) not in results]
    if given:  # the copy the document itself gives is checked before any archive is searched
        copies = await given_copies(given, client, config)
        results.update(copies)
        ids.update(store.save_snapshots(run_id, [(when, s) for (_, when), s in copies.items()], now))
    # look_up_snapshots answers per URL, so each cited date gets its own call.
    groups: dict[str | None, dict[str, SnapshotRequest]] = {}
    for citation, when in wanted:
        if citation.url and (citation.url, when) not in results:
            groups.setdefault(when, {}).setdefault(citation.url, _snapshot_request(citation, when))
    for when, group in groups.items():
        if no_network is not None:  # nobody to ask: say so rather than ask and wait
            found = {url: _not_reached(url, config, no_network) for url in group}
            results.update({(url, when): snapshot for url, snapshot in found.items()})
            ids.update(_save_snapshots(store, run_id, when, now, list(found.values())))
            continue
        saver = _SaveAsDone(functools.partial(_save_snapshots, store, run_id, when, now))

        def done(snapshot: Snapshot, saver: _SaveAsDone = saver) -> None:
            saver.add(snapshot)
            if on_done is not None:
                on_done(snapshot)

        found = await look_up_snapshots(
            list(group.values()), client, config.archive, on_done=done, shared=shared
        )
        saver.flush()
        results.update({(url, when): snapshot for url, snapshot in found.items()})
        ids.update(saver.ids)
    return results, ids


def _save_snapshots(
    store: Store, run_id: int, when: str | None, now: datetime, snapshots: list[Snapshot]
) -> dict[tuple[str, str | None], int]:
    return store.save_snapshots(run_id, [(when, snapshot) for snapshot in snapshots], now)


def _not_reached(url: str, config: Config, no_network: str) -> Snapshot:
    names = ", ".join(p.name for p in config.archive.providers if p.enabled)
    return Snapshot(url=url, archive=names, found=False, error=f"archive not reached: {no_network}")


async def capture_live(checks: dict[str, LinkCheck], client: Any, config: Config) -> None:
    """`--save`: the live pages that answered as themselves, into the evidence collection. A page
    that failed, a bot wall or a soft 404 is not evidence of anything."""
    from .archive import capture_pages

    live = [
        url
        for url, check in checks.items()
        if check.status in (LinkStatus.ALIVE, LinkStatus.REDIRECTED) and not check.from_cache
    ]
    if live:
        await capture_pages(live, client, evidence_collection(config))


async def verify_wanted(
    wanted: Wanted,
    client: Any,
    config: Config,
    store: Store,
    run_id: int,
    *,
    now: datetime,
    refresh: bool = False,
    save: bool = False,
    no_network: str | None = None,
    shared: Any = None,
    on_checked: Callable[[LinkCheck], None] | None = None,
    on_archived: Callable[[Snapshot], None] | None = None,
) -> Evidence:
    """The network stages in their order: links, live pages captured (`save`), archived copies of those
    the checks say need one, then the live check of any truncated URL the archive completed. Every answer
    is stored as it comes. `no_network` is what earlier batches found (else these checks decide);
    `shared` gives the archive budgets when every worker of a cluster spends them."""
    from .check import no_network_reason

    checks, check_ids = await check_wanted(
        wanted, client, config, store, run_id, now=now, refresh=refresh, on_done=on_checked
    )
    no_network = no_network or next(filter(None, map(no_network_reason, checks.values())), None)
    if save:
        await capture_live(checks, client, config)
    lookups = archive_wanted(wanted, checks, config)
    if not lookups:
        return Evidence(checks, check_ids, no_network=no_network)
    snapshots, snapshot_ids = await look_up_wanted(
        lookups,
        client,
        config,
        store,
        run_id,
        now=now,
        refresh=refresh,
        no_network=no_network,
        on_done=on_archived,
        shared=shared,
    )
    recovered = _recovered(snapshots, checks)
    if recovered:
        found, found_ids = await check_urls(
            recovered, client, config, store, run_id, now=now, refresh=refresh
        )
        checks.update(found)
        check_ids.update(found_ids)
    return Evidence(checks, check_ids, snapshots, snapshot_ids, no_network)


def _recovered(snapshots: dict[tuple[str, str | None], Snapshot], checks: dict[str, LinkCheck]) -> list[str]:
    """Truncated URLs the archive completed, not yet checked: they are checked live like any other link."""
    recovered = [s.recovered_url for s in snapshots.values() if s.recovered_url]
    return [url for url in dict.fromkeys(recovered) if url not in checks]


def stored_evidence(
    wanted: Wanted, config: Config, store: Store, run_id: int, refresh: bool, now: datetime
) -> Evidence:
    """The evidence `verify_wanted` stored for `wanted`, read back (a cluster's storage tasks)."""
    ttl, transient_ttl = _cache_age(config, refresh)
    excluded = [LinkCheck(url, LinkStatus.EXCLUDED) for url in wanted.urls if config.network.excludes(url)]
    urls = [url for url in wanted.urls if not config.network.excludes(url)]
    urls += [c.url for c in wanted.malformed]
    cached = store.cached_checks(urls, ttl, transient_ttl, now, run_id)
    if excluded:  # never read back as a cached check; stored by the check task (this finds its row)
        saved = store.save_checks(run_id, excluded)
        cached.update({check.url: (saved[check.url], check) for check in excluded})
    checks = {url: check for url, (_, check) in cached.items()}
    checks.update({check.url: check for check in wanted.malformed})
    keys = list(dict.fromkeys((c.url or "", when) for c, when in archive_wanted(wanted, checks, config)))
    snapshots = store.cached_snapshots(keys, ttl, transient_ttl, now, run_id)
    recovered = _recovered({key: snapshot for key, (_, snapshot) in snapshots.items()}, checks)
    cached.update(store.cached_checks(recovered, ttl, transient_ttl, now, run_id))
    checks.update({url: check for url, (_, check) in cached.items() if url in recovered})
    missing = [url for url in [*wanted.urls, *recovered] if url not in cached]
    missing += [url for url, when in keys if (url, when) not in snapshots]
    if missing:
        raise StoreError(
            f"run {run_id}: no stored check or look-up for {len(missing)} URL(s), e.g. {missing[0]}"
        )
    return Evidence(
        checks=checks,
        check_ids={url: row_id for url, (row_id, _) in cached.items()},
        snapshots={key: snapshot for key, (_, snapshot) in snapshots.items()},
        snapshot_ids={key: row_id for key, (row_id, _) in snapshots.items()},
    )


def score_and_store(
    batch: Sequence[Extracted], evidence: Evidence, config: Config, store: Store, run_id: int
) -> None:
    """Score each document's citations on the evidence and store the document, one transaction each."""
    from .score import score_citation, score_document

    for extracted in batch:
        result = extracted.result
        items = []
        citation_snapshot_ids: dict[int, int] = {}
        for index, item in enumerate(result.citations):
            citation = item.citation
            when = _wanted_date(citation, extracted.dateline)
            key = (citation.url or "", when)
            snapshot = evidence.snapshots.get(key) if _checkable(citation) else None
            if snapshot is not None:
                from .archive import judge_snapshot  # httpx, warcio: not imported by an offline run

                citation_snapshot_ids[index] = evidence.snapshot_ids[key]
                snapshot = judge_snapshot(snapshot, _snapshot_request(citation, when), config.archive)
            link = _shown_link(citation, snapshot, evidence.checks)
            scored = CitationResult(citation, link, snapshot)
            items.append(dataclasses.replace(scored, verdict=score_citation(scored, config.scoring)))
        scored_result = dataclasses.replace(result, citations=tuple(items))
        if result.document is not None:
            scored_result = dataclasses.replace(
                scored_result, verdict=score_document(scored_result, config.scoring)
            )
        store.save_document_result(
            run_id, extracted.position, scored_result, evidence.check_ids, citation_snapshot_ids
        )


class _Run:
    """A run on this machine: one client, batches checked one after another."""

    def __init__(
        self, config: Config, store: Store, run_id: int, options: RunOptions, progress: ProgressCallback
    ) -> None:
        self.config = config
        self.store = store
        self.run_id = run_id
        self.options = options
        self.progress = progress
        self.now = options.clock or _utc_now
        self.client: Any = None
        self.checked = 0
        self.archived = 0
        self.no_network: str | None = None  # set when the connectivity check failed

    async def __aenter__(self) -> _Run:
        if not self.options.offline:
            from .net.client import NetClient

            self.client = NetClient(self.config.network, transport=self.options.transport)
            await self.client.__aenter__()
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.client is not None:
            await self.client.__aexit__(*exc)

    async def read_web(self, url: str, registry: Registry) -> DocumentResult:
        """A document given by its web address, live or (offline, or gone) from an archive."""
        from .ingest.remote import read_web_document
        from .net.client import NetClient

        if self.client is None:  # offline: only the archive providers are asked, for this document
            self.client = NetClient(self.config.network, transport=self.options.transport)
            await self.client.__aenter__()
        try:
            document = await read_web_document(
                url, self.client, self.config.input, self.config.archive, offline=self.options.offline
            )
        except InputError as exc:
            return DocumentResult(path=url, document=None, error=exc.reason)
        return _extracted(url, document, registry)

    async def verify(self, wanted: Wanted) -> Evidence:
        checks_total = self.checked + len(wanted.urls)  # the bars grow by each batch's share
        archive_total = self.archived + len(wanted.lookups)

        def checked(_: LinkCheck) -> None:
            self.checked += 1
            self.progress("check", self.checked, max(self.checked, checks_total))

        def archived(_: Snapshot) -> None:
            self.archived += 1
            self.progress("archive", self.archived, max(self.archived, archive_total))

        evidence = await verify_wanted(
            wanted,
            self.client,
            self.config,
            self.store,
            self.run_id,
            now=self.now(),
            refresh=self.options.refresh,
            save=self.options.save,
            no_network=self.no_network,
            on_checked=checked,
            on_archived=archived,
        )
        self.no_network = evidence.no_network
        return evidence

    async def process(self, batch: list[Extracted]) -> None:
        """Check, look up, score and store a batch of extracted documents."""
        evidence = Evidence()
        if not self.options.offline:
            evidence = await self.verify(wanted_by(batch))
        score_and_store(batch, evidence, self.config, self.store, self.run_id)


def _snapshot_request(citation: Citation, when: str | None) -> SnapshotRequest:
    from .archive import SnapshotRequest

    moment = datetime.fromisoformat(when).replace(tzinfo=UTC) if when and len(when) == 10 else None
    return SnapshotRequest(
        url=citation.url or "",
        when=moment,
        truncated=bool(citation.malformed),
        context=citation.context,
        outlet_domains=citation.outlet.domains if citation.outlet else (),
    )


def _shown_link(
    citation: Citation, snapshot: Snapshot | None, checks: dict[str, LinkCheck]
) -> LinkCheck | None:
    """The live check a citation shows: its own URL's, or for a truncated URL the archive completed, the
    check of the completed address."""
    if not (citation.url and _checkable(citation)):
        return None
    if citation.malformed and snapshot is not None and snapshot.recovered_url in checks:
        return checks[snapshot.recovered_url or ""]
    return checks.get(citation.url)


async def _run_async(
    paths: list[str],
    config: Config,
    store: Store,
    run_id: int,
    options: RunOptions,
    progress: ProgressCallback,
    skip: set[str],
    skipped: dict[str, str],
) -> str | None:
    """Run the batches; returns why the run had no network, if its connectivity check failed."""
    from .store.lease import Heartbeat

    registry = load_registry(config.registry)
    # Each document keeps its place in the input order, also when a resumed run skips what is stored.
    todo = [(position, path) for position, path in enumerate(paths) if path not in skip]
    with Heartbeat(store, run_id) as heartbeat:
        batch: list[Extracted] = []
        async with _Run(config, store, run_id, options, progress) as run:
            batch_text = 0
            for done, (position, path) in enumerate(todo, start=1):
                if heartbeat.lost:
                    raise RunBusyError(
                        f"run {run_id} was taken over by {store.holder(run_id)}; this process stops"
                    )
                if is_web_address(path):
                    result = await run.read_web(path, registry)
                else:
                    result = extract_document(path, config, registry, skipped.get(path))
                batch.append(Extracted(position, result, _dateline(result)))
                batch_text += len(result.document.text) if result.document is not None else 0
                progress("extract", done, len(todo))
                # A batch ends at BATCH_SIZE documents or BATCH_TEXT characters of text, whichever comes
                # first: 200 documents of up to input.max_bytes each must not all be held at once.
                if len(batch) >= BATCH_SIZE or batch_text >= BATCH_TEXT:
                    await run.process(batch)
                    batch, batch_text = [], 0
            if batch:
                await run.process(batch)
            return run.no_network


def _run_on_cluster(
    paths: list[str],
    config: Config,
    store: Store,
    run_id: int,
    options: RunOptions,
    progress: ProgressCallback,
    skip: set[str],
    skipped: dict[str, str],
    address: str,
) -> str | None:
    """The stages in the same order on a Dask cluster, a wave of documents at a time: extraction by
    chunk of documents, the wave's links pooled and checked once each by host partition, then scoring
    and storage by chunk on what the checks stored (see citecheck/cluster). Returns why the run had
    no network, if a link-check task found none."""
    from .cluster import ClusterRun, tasks
    from .store.lease import Heartbeat

    todo = [(position, path) for position, path in enumerate(paths) if path not in skip]
    url, online, clock = store.url, not options.offline, options.clock or _utc_now
    with Heartbeat(store, run_id) as heartbeat, ClusterRun(address, config.cluster, progress) as cluster:

        def taken_over() -> str | None:
            if not heartbeat.lost:
                return None
            return f"run {run_id} was taken over by {store.holder(run_id)}; this process stops"

        for chunks in cluster.waves(todo, taken_over):
            extracted = [
                cluster.submit(tasks.extract, chunk, config, _skipped_in(chunk, skipped), name="extract")
                for chunk in chunks
            ]
            checked: list[Any] = []
            if online:
                parts = [cluster.submit(tasks.wanted, found, name="wanted") for found in extracted]
                wanted = cluster.submit(tasks.merge, *parts, name="merge-wanted")
                checked = cluster.by_host(
                    tasks.verify, wanted, config, url, run_id, options.refresh, clock, name="check"
                )
            stored = [
                cluster.submit(
                    tasks.store,
                    found,
                    config,
                    url,
                    run_id,
                    online,
                    options.refresh,
                    clock,
                    *checked,
                    name="store",
                )
                for found in extracted
            ]
            cluster.stored_by(stored, chunks, checked)
    return cluster.no_network


def run_check(
    paths: Sequence[str],
    config: Config,
    *,
    offline: bool = False,
    database_url: str | None = None,
    refresh: bool = False,
    resume: bool = False,
    save: bool = False,
    progress: ProgressCallback | None = None,
    transport: Any = None,
    clock: Callable[[], datetime] | None = None,
    cluster: str | None = None,
) -> RunResult:
    """Check every input and store the run; returns what a report needs (document text dropped).

    `clock` replaces "now" for link checks, the cache and link histories (tests move it across days).

    With `resume`, the newest unfinished run over the same inputs in the same mode (a run killed
    half-way is left "running"; one that raised is "failed") is taken up again: documents it stored
    are kept as they are, the others are added, and link checks it stored answer from the cache.
    A run still held by a live process (a heartbeat younger than two minutes, or on this machine a
    process that still exists) is left alone: RunBusyError. The result's documents are read back from
    the database as they are iterated, so memory stays flat however large the run (see
    `citecheck.store.loading`).

    With `cluster` (or `cluster.address` in config), a Dask scheduler address or "local:N", the run goes
    to a cluster and needs a PostgreSQL database; the result is read back the same way.
    """
    from .store.repository import Store

    address = cluster or config.cluster.address
    url = database_url or config.database_url()
    if address is not None:
        from .cluster import check_cluster_run

        check_cluster_run(address, url, list(paths), save)
    skipped: dict[str, str] = {}  # entries a directory walk did not read, named in the report
    passed_over: list[SkippedInput] = []  # files of kinds not read, listed in the report
    inputs = list(expand_inputs(list(paths), config.input, skipped, passed_over))
    store = Store(url, config.database.busy_timeout_ms, connect_timeout=config.database.connect_timeout)
    try:
        run_id = store.latest_unfinished_run(list(paths), offline) if resume else None
        skip: set[str] = set()
        if run_id is None:
            run_id = store.start_run(list(paths), offline)
            if passed_over:
                store.record_skipped(run_id, passed_over)
        else:
            store.reopen_run(run_id)
            skip = store.done_paths(run_id)
        try:
            options = RunOptions(
                offline=offline, refresh=refresh, save=save, transport=transport, clock=clock
            )
            if address is not None:
                no_network = _run_on_cluster(
                    inputs, config, store, run_id, options, progress or _no_progress, skip, skipped, address
                )
            else:
                no_network = run_event_loop(
                    _run_async(
                        inputs, config, store, run_id, options, progress or _no_progress, skip, skipped
                    )
                )
        except RunBusyError:
            raise  # another process holds the run now: its status is that process's to set
        except Exception:
            store.finish_run(run_id, status="failed")
            raise
        store.finish_run(run_id, no_network=no_network)
        return store.stored_run(run_id)
    finally:
        store.close()
