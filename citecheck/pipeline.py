"""run_check(): the only code that knows the stage order.

ingest -> extract -> resolve (inside extract) -> check (live) -> archive -> score -> store.
Documents flow in batches so memory stays flat on large inputs and every finished batch is already
in the database if the run is killed. One bad document is recorded with its error and the batch
goes on. The network stages share one client and run inside one event loop.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import Config
from .errors import InputError, RunBusyError
from .extract import extract_citations
from .extract.dates import document_date
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
from .net.loop import run as run_event_loop
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
BATCH_SIZE = 200
BATCH_TEXT = 32 * 1024 * 1024  # characters of document text held per batch


def _no_progress(_stage: str, _done: int, _total: int) -> None:
    return None


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
    """The day an archived copy should be nearest to: the cited date, else the document's own
    dateline, else None ("now")."""
    if citation.date and citation.date.year and citation.date.day:
        return citation.date.iso()
    return dateline


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


class _Run:
    def __init__(
        self, config: Config, store: Store, run_id: int, options: RunOptions, progress: ProgressCallback
    ) -> None:
        self.config = config
        self.store = store
        self.run_id = run_id
        self.offline = options.offline
        self.refresh = options.refresh
        self.save = options.save
        self.transport = options.transport
        self.progress = progress
        self.now = options.clock or _utc_now
        self.client: Any = None
        self.checked = 0
        self.archived = 0
        self.no_network: str | None = None  # set when the connectivity check failed

    async def __aenter__(self) -> _Run:
        if not self.offline:
            from .net.client import NetClient

            self.client = NetClient(self.config.network, transport=self.transport)
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
            self.client = NetClient(self.config.network, transport=self.transport)
            await self.client.__aenter__()
        try:
            document = await read_web_document(
                url, self.client, self.config.input, self.config.archive, offline=self.offline
            )
        except InputError as exc:
            return DocumentResult(path=url, document=None, error=exc.reason)
        return _extracted(url, document, registry)

    async def links(self, citations: list[Citation]) -> tuple[dict[str, LinkCheck], dict[str, int]]:
        urls = list(dict.fromkeys(c.url for c in citations if c.url and not c.malformed))
        malformed = {
            c.url: LinkCheck(url=c.url, status=LinkStatus.MALFORMED, error=c.malformed)
            for c in citations
            if c.url and c.malformed
        }
        results, ids = await self.check_urls(urls)
        if malformed:
            fresh_malformed = {url: check for url, check in malformed.items() if url not in ids}
            results.update(malformed)
            ids.update(self.store.save_checks(self.run_id, fresh_malformed.values()))
        return results, ids

    async def check_urls(self, urls: list[str]) -> tuple[dict[str, LinkCheck], dict[str, int]]:
        """Live checks of `urls`, from the cache where it is fresh enough (a transient failure only for
        `cache.transient_ttl_minutes`); a hard failure becomes `failing` or, confirmed by the link's
        history, `dead` (check/history.py)."""
        from .check import no_network_reason

        now = self.now()
        # A link matching an exclude pattern is not checked at all (--exclude, .citecheckignore).
        network = self.config.network
        excluded = {url: LinkCheck(url, LinkStatus.EXCLUDED) for url in urls if network.excludes(url)}
        if excluded:
            urls = [url for url in urls if url not in excluded]
        ttl = timedelta(hours=self.config.cache.ttl_hours)
        transient_ttl = timedelta(minutes=self.config.cache.transient_ttl_minutes)
        cached = {} if self.refresh else self.store.cached_checks(urls, ttl, transient_ttl, now)
        results = {url: check for url, (_, check) in cached.items()}
        ids = {url: row_id for url, (row_id, _) in cached.items()}
        todo = [url for url in urls if url not in results]
        if todo:
            from .check import check_links
            from .check.history import confirm_failures

            total = self.checked + len(todo)  # the bar grows by each batch's share, and ends full

            def done(_: LinkCheck) -> None:
                self.checked += 1
                self.progress("check", self.checked, total)

            fresh = await check_links(todo, self.client, self.config.network, on_done=done)
            fresh = {url: dataclasses.replace(check, checked_at=now) for url, check in fresh.items()}
            streaks = self.store.failure_streaks(todo, before=now)
            fresh = confirm_failures(fresh, streaks, self.config.network, now)
            results.update(fresh)
            ids.update(self.store.save_checks(self.run_id, fresh.values()))
        if self.no_network is None:
            self.no_network = next(filter(None, map(no_network_reason, results.values())), None)
        if excluded:  # stored so the report says "excluded", never read back as a cached check
            results.update(excluded)
            ids.update(self.store.save_checks(self.run_id, excluded.values()))
        return results, ids

    async def given_copies(
        self, given: list[tuple[Citation, str | None]]
    ) -> dict[tuple[str, str | None], Snapshot]:
        """The archived copies the documents give (a wiki archive-url) that can be read, by (URL, date)."""
        from .archive.given import given_copy

        requests = {(c.url, when): c for c, when in given if c.url and c.archive_url}

        async def one(
            key: tuple[str, str | None], citation: Citation
        ) -> tuple[tuple[str, str | None], Snapshot | None]:
            snapshot, _ = await given_copy(
                key[0], citation.archive_url or "", self.client, self.config.archive
            )
            return key, snapshot

        answers = await asyncio.gather(*(one(key, citation) for key, citation in requests.items()))
        return {key: snapshot for key, snapshot in answers if snapshot is not None}

    async def snapshots(
        self, wanted: list[tuple[Citation, str | None]]
    ) -> tuple[dict[tuple[str, str | None], Snapshot], dict[tuple[str, str | None], int]]:
        """The archive look-up for each (URL, wanted date), from the cache where it is fresh enough.

        A look-up is shared by every citation of that URL and date; each citation is then judged
        against the copy on its own (`judge_snapshot`, in `process`).
        """
        from .archive import look_up_snapshots

        keys = list(dict.fromkeys((c.url, when) for c, when in wanted if c.url))
        now = self.now()
        ttl = timedelta(hours=self.config.cache.ttl_hours)
        transient_ttl = timedelta(minutes=self.config.cache.transient_ttl_minutes)
        cached = {} if self.refresh else self.store.cached_snapshots(keys, ttl, transient_ttl, now)
        results = {key: snapshot for key, (_, snapshot) in cached.items()}
        ids = {key: row_id for key, (row_id, _) in cached.items()}
        given = [(c, when) for c, when in wanted if c.url and c.archive_url and (c.url, when) not in results]
        if given:  # the copy the document itself gives is checked before any archive is searched
            copies = await self.given_copies(given)
            results.update(copies)
            ids.update(self.store.save_snapshots(self.run_id, [(when, s) for (_, when), s in copies.items()]))
        # look_up_snapshots answers per URL, so each cited date gets its own call.
        groups: dict[str | None, dict[str, SnapshotRequest]] = {}
        for citation, when in wanted:
            if citation.url and (citation.url, when) not in results:
                groups.setdefault(when, {}).setdefault(citation.url, _snapshot_request(citation, when))
        total = self.archived + sum(len(group) for group in groups.values())

        def done(_: Snapshot) -> None:
            self.archived += 1
            self.progress("archive", self.archived, total)

        for when, group in groups.items():
            if self.no_network is not None:  # nobody to ask: say so rather than ask and wait
                found = {url: self.not_reached(url) for url in group}
            else:
                found = await look_up_snapshots(
                    list(group.values()), self.client, self.config.archive, on_done=done
                )
            results.update({(url, when): snapshot for url, snapshot in found.items()})
            saved = [(when, snapshot) for snapshot in found.values()]
            ids.update(self.store.save_snapshots(self.run_id, saved, now))
        return results, ids

    def not_reached(self, url: str) -> Snapshot:
        names = ", ".join(p.name for p in self.config.archive.providers if p.enabled)
        return Snapshot(url=url, archive=names, found=False, error=f"archive not reached: {self.no_network}")

    async def process(self, batch: list[tuple[int, DocumentResult]]) -> None:
        """Check, look up, score and store a batch of (position, extracted document)."""
        from .score import score_citation, score_document

        datelines = {position: _dateline(result) for position, result in batch}
        citations = [
            item.citation for _, result in batch for item in result.citations if _checkable(item.citation)
        ]
        when_for = {
            id(item.citation): _wanted_date(item.citation, datelines[position])
            for position, result in batch
            for item in result.citations
        }
        checks: dict[str, LinkCheck] = {}
        check_ids: dict[str, int] = {}
        snapshots: dict[tuple[str, str | None], Snapshot] = {}
        snapshot_ids: dict[tuple[str, str | None], int] = {}
        if not self.offline and citations:
            checks, check_ids = await self.links(citations)
            if self.save:
                await self.capture(checks)
            # a refused address is private or local: no public archive holds it, and none is told of it
            wanted = [
                (c, when_for[id(c)])
                for c in citations
                if c.malformed
                or (
                    c.url in checks
                    and checks[c.url].status is not LinkStatus.REFUSED
                    and checks[c.url].status is not LinkStatus.EXCLUDED
                    and (checks[c.url].status.is_broken or self.config.archive.match_content)
                )
            ]
            if wanted and (self.config.archive.providers or any(c.archive_url for c, _ in wanted)):
                snapshots, snapshot_ids = await self.snapshots(wanted)
            # a truncated URL the archive completed is checked live like any other link
            recovered = [s.recovered_url for s in snapshots.values() if s.recovered_url]
            recovered = [url for url in dict.fromkeys(recovered) if url not in checks]
            if recovered:
                found, found_ids = await self.check_urls(recovered)
                checks.update(found)
                check_ids.update(found_ids)
        for position, result in batch:
            items = []
            citation_snapshot_ids: dict[int, int] = {}
            for index, item in enumerate(result.citations):
                citation = item.citation
                when = when_for[id(citation)]
                key = (citation.url or "", when)
                snapshot = snapshots.get(key) if _checkable(citation) else None
                if snapshot is not None:
                    from .archive import judge_snapshot  # httpx, bs4: not for an offline run

                    citation_snapshot_ids[index] = snapshot_ids[key]
                    request = _snapshot_request(citation, when)
                    snapshot = judge_snapshot(snapshot, request, self.config.archive)
                link = _shown_link(citation, snapshot, checks)
                scored = CitationResult(citation, link, snapshot)
                items.append(dataclasses.replace(scored, verdict=score_citation(scored, self.config.scoring)))
            scored_result = dataclasses.replace(result, citations=tuple(items))
            if result.document is not None:
                scored_result = dataclasses.replace(
                    scored_result, verdict=score_document(scored_result, self.config.scoring)
                )
            self.store.save_document_result(
                self.run_id, position, scored_result, check_ids, citation_snapshot_ids
            )

    async def capture(self, checks: dict[str, LinkCheck]) -> None:
        """`--save`: the live pages that answered as themselves, into the evidence collection. A page
        that failed, a bot wall or a soft 404 is not evidence of anything."""
        from .archive import capture_pages

        live = [
            url
            for url, check in checks.items()
            if check.status in (LinkStatus.ALIVE, LinkStatus.REDIRECTED) and not check.from_cache
        ]
        if live:
            await capture_pages(live, self.client, evidence_collection(self.config))


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
        batch: list[tuple[int, DocumentResult]] = []
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
                batch.append((position, result))
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
    """
    from .store.repository import Store

    skipped: dict[str, str] = {}  # entries a directory walk did not read, named in the report
    passed_over: list[SkippedInput] = []  # files of kinds not read, listed in the report
    inputs = list(expand_inputs(list(paths), config.input, skipped, passed_over))
    store = Store(
        database_url or config.database_url(),
        config.database.busy_timeout_ms,
        connect_timeout=config.database.connect_timeout,
    )
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
            no_network = run_event_loop(
                _run_async(inputs, config, store, run_id, options, progress or _no_progress, skip, skipped)
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
