"""Archived copies: for each cited URL, the capture nearest the cited date, and whether it backs the citation.

In: `SnapshotRequest`s (URL, date, the citing paragraph, the outlet's domains, whether the extractor saw
the URL cut short). Out: one `Snapshot` per URL and date (`look_up_snapshots`), then one per citation
(`judge_snapshot`): the look-up can be shared and cached, the judgement belongs to the citation.

Per request:

1. Truncated URL: the first provider with a CDX index is asked for every archived URL with that prefix.
   Exactly one plausible completion (pages, not stylesheets or images) becomes `recovered_url` and is
   looked up instead; several are listed in the evidence and none is guessed.
2. Every enabled provider is asked for the capture nearest the date (replay path; see wayback.py). An
   archived redirect is followed to the archived target. The copy nearest the date wins, whichever
   provider holds it; on the same day the provider listed first wins, and a copy from the very day
   ends the search.
3. A capture is a copy only if it answered 2xx and is neither an error page served with 200 ("Page
   not found" titles, soft404.py) nor a bot wall's challenge (check/classify.py). When the nearest
   capture is not a copy, a CDX search for the nearest one that is runs within the spare CDX budget.
   If no provider holds a copy, the nearest non-copy is still described (its status, its address) but
   `found` is false: it earns nothing and pre-empts nothing.
4. With `match_content`, the copy's page is read once; `judge_snapshot` compares it with each citing
   paragraph (match.py).

An archive that cannot be reached, rate-limits us or answers with a server error has not said "no
copy": `error` then reads "archive not reached: ...", and a report must not turn that into "none found".
`capture_pages` (warc.py) preserves live pages into a local WARC collection for pywb.
"""

from __future__ import annotations

import asyncio
import dataclasses
import re
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

from ..check.classify import bot_wall_reason
from ..config import ArchiveProvider, ArchiveSettings
from ..models import ArchivedPage, Snapshot
from ..net import Clock, NetClient, RateBudget
from .match import judge_content, read_archived_page
from .memento import MementoArchive
from .provider import Archive, Capture
from .pywb import PywbArchive
from .warc import capture_pages, error_page_reason
from .wayback import WaybackArchive, request_save_page_now, usable_prefix

__all__ = [
    "SharedBudgets",
    "SnapshotRequest",
    "build_archive",
    "capture_pages",
    "find_snapshots",
    "judge_snapshot",
    "look_up_snapshots",
    "nearest_snapshot",
    "plausible_completions",
]

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_MAX_ARCHIVED_REDIRECTS = 3
# The original address inside a wayback-style memento URL: ".../20200315120000/http://...".
_ORIGINAL_IN_MEMENTO = re.compile(r"/\d{4,14}(?:[a-z]{2}_)?/(.+)$")
_ASSET = re.compile(
    r"\.(css|js|mjs|json|map|png|jpe?g|gif|svg|ico|webp|avif|woff2?|ttf|otf|eot|mp4|webm|mp3|xml|txt)$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class SnapshotRequest:
    url: str  # normalised URL (may be truncated)
    when: datetime | None  # cited date, else document date, else None (= now)
    truncated: bool = False  # the extractor flagged the URL as cut off
    context: str = ""  # citing paragraph, for content matching
    outlet_domains: tuple[str, ...] = ()


def build_archive(provider: ArchiveProvider, client: NetClient, clock: Clock | None = None) -> Archive:
    """The provider implementation for a config entry's `kind`.

    Its requests may reach the provider's own configured addresses even when they are private (a local
    pywb): trusted for this provider only, never for document links (see net/guard.py).
    """
    own = (provider.replay_url, provider.cdx_url, provider.timegate_url, provider.timemap_url)
    client = client.trusting(url for url in own if url)
    if provider.kind == "memento":
        return MementoArchive(provider, client, clock)
    if provider.kind == "pywb":
        return PywbArchive(provider, client, clock)
    return WaybackArchive(provider, client, clock)


# Where a provider's budgets come from when they are kept outside this process: (provider, "replay" or
# "index") -> the budget. A cluster run passes one so that all its workers spend one budget per archive.
SharedBudgets = Callable[[ArchiveProvider, str], RateBudget]

# Providers (and so their rate budgets) live as long as the run's NetClient: the pipeline calls
# find_snapshots once per cited date, and a budget that restarted with every call would let a run
# send the Internet Archive many times its per-minute allowance.
_RUN_ARCHIVES: weakref.WeakKeyDictionary[NetClient, dict[tuple[ArchiveProvider, Clock | None], Archive]] = (
    weakref.WeakKeyDictionary()
)


def _run_archive(
    provider: ArchiveProvider, client: NetClient, clock: Clock | None, shared: SharedBudgets | None = None
) -> Archive:
    archives = _RUN_ARCHIVES.setdefault(client, {})
    key = (provider, clock)
    if key not in archives:
        archives[key] = build_archive(provider, client, clock)
        if shared is not None:
            archives[key].budget.share(shared(provider, "replay"), shared(provider, "index"))
    return archives[key]


async def find_snapshots(
    requests: Sequence[SnapshotRequest],
    client: NetClient,
    settings: ArchiveSettings,
    on_done: Callable[[Snapshot], None] | None = None,
    *,
    clock: Clock | None = None,
) -> dict[str, Snapshot]:
    """One snapshot per distinct URL, judged against the first request for it (its date and paragraph).

    A run that cites one URL several times looks it up once per date with `look_up_snapshots` and
    judges each citation on its own with `judge_snapshot`. Rate budgets are shared by every call made
    with the same `client`, i.e. by the whole run.
    """
    found = await look_up_snapshots(requests, client, settings, on_done, clock=clock)
    first: dict[str, SnapshotRequest] = {}
    for request in requests:
        first.setdefault(request.url, request)
    return {url: judge_snapshot(snapshot, first[url], settings) for url, snapshot in found.items()}


async def look_up_snapshots(
    requests: Sequence[SnapshotRequest],
    client: NetClient,
    settings: ArchiveSettings,
    on_done: Callable[[Snapshot], None] | None = None,
    *,
    clock: Clock | None = None,
    shared: SharedBudgets | None = None,
) -> dict[str, Snapshot]:
    """The copy nearest the date of the first request for each distinct URL, not yet judged: `match` is
    `not_checked` and `page` holds the copy as read, for `judge_snapshot`. Rate budgets are those of the
    run's `client`, or with `shared`, those every process of a cluster run spends."""
    archives = [
        _run_archive(provider, client, clock, shared) for provider in settings.providers if provider.enabled
    ]
    unique: dict[str, SnapshotRequest] = {}
    for request in requests:
        unique.setdefault(request.url, request)
    results: dict[str, Snapshot] = {}

    async def look_up(request: SnapshotRequest) -> None:
        results[request.url] = await nearest_snapshot(request, archives, settings, client)
        if on_done is not None:
            on_done(results[request.url])

    await asyncio.gather(*(look_up(request) for request in unique.values()))
    return {url: results[url] for url in unique}


def judge_snapshot(snapshot: Snapshot, request: SnapshotRequest, settings: ArchiveSettings) -> Snapshot:
    """`snapshot` with its match against one citation (`request`'s paragraph, outlet and date)."""
    if not snapshot.found or not settings.match_content:
        return snapshot
    judgement = judge_content(
        snapshot.page,
        context=request.context,
        original_url=_copied_url(snapshot),
        outlet_domains=request.outlet_domains,
        cited=request.when,
    )
    return dataclasses.replace(
        snapshot, match=judgement.match, evidence=(*snapshot.evidence, *judgement.evidence)
    )


def _copied_url(snapshot: Snapshot) -> str:
    """The address the copy was captured at (after archived redirects), read from its memento URL."""
    if snapshot.memento_url:
        found = _ORIGINAL_IN_MEMENTO.search(snapshot.memento_url)
        if found:
            return found.group(1)
    return snapshot.recovered_url or snapshot.url


@dataclass(slots=True)
class _Search:
    """What one look-up has learnt so far, across providers."""

    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    unreachable: set[str] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class _Candidate:
    archive: Archive
    capture: Capture
    page: ArchivedPage | None
    problem: str | None  # why the capture is not a copy (an error page, a bot wall), or None


async def nearest_snapshot(
    request: SnapshotRequest, archives: Sequence[Archive], settings: ArchiveSettings, client: NetClient
) -> Snapshot:
    """The copy of one URL nearest the date across `archives`, not yet judged (see the module docstring).

    Every provider is asked, and the copy nearest the date wins; a tie (the same day) goes to the
    provider listed first, and a copy from the very day ends the search.
    """
    when = request.when or datetime.now(UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    names = ", ".join(archive.name for archive in archives)
    if not archives:
        return Snapshot(url=request.url, archive="", found=False, error="no archive provider is enabled")

    search = _Search()
    lookup_url, recovered = request.url, None
    if request.truncated:
        recovered = await _recover_truncated(request.url, archives, search)
        lookup_url = recovered or request.url

    best: _Candidate | None = None
    error_page: _Candidate | None = None
    for archive in archives:
        if archive.name in search.unreachable:
            continue
        candidate = await _nearest_copy(archive, lookup_url, when, search)
        if candidate is None:
            continue
        if candidate.problem is not None:
            error_page = error_page or candidate
            continue
        if best is None or _distance(candidate.capture, when) < _distance(best.capture, when):
            best = candidate
        if _distance(best.capture, when) == 0:
            break

    not_reached = "archive not reached: " + "; ".join(search.errors) if search.errors else None
    if best is not None:
        notes = [*search.notes, *([not_reached] if not_reached else [])]
        return _snapshot(request.url, best, recovered, lookup_url, notes, found=True)
    if error_page is not None:
        notes = [*search.notes, "no archive holds a copy: the nearest capture is an error page"]
        return _snapshot(
            request.url, error_page, recovered, lookup_url, notes, found=False, error=not_reached
        )
    if len(search.unreachable) == len(archives):
        return Snapshot(
            url=request.url,
            archive=names,
            found=False,
            evidence=tuple(search.notes),
            recovered_url=recovered,
            error=not_reached,
        )
    # a truncated address nobody could complete is not worth asking the archive to capture
    saved = None
    if not request.truncated or recovered is not None:
        saved = await request_save_page_now(lookup_url, client, settings.save_page_now)
    if saved is not None:
        search.notes.append(
            f"Save Page Now job {saved.job_id}" if saved.job_id else f"Save Page Now: {saved.error}"
        )
    return Snapshot(
        url=request.url,
        archive=names,
        found=False,
        evidence=tuple(search.notes),
        recovered_url=recovered,
        error=not_reached,
    )


def _distance(capture: Capture, when: datetime) -> int:
    """Days between a capture and the wanted date: cited dates are days, so hours do not break ties."""
    return abs((capture.captured_at.astimezone(UTC).date() - when.astimezone(UTC).date()).days)


async def _nearest_copy(archive: Archive, url: str, when: datetime, search: _Search) -> _Candidate | None:
    """The capture of `url` nearest `when` in one archive, with archived redirects followed; when it is
    not a copy (an error page or a bot wall), the nearest 2xx capture that is, if the index finds one."""
    lookup = await archive.nearest(url, when)
    if lookup.error is not None:
        search.errors.append(lookup.error)
        if lookup.unreachable:
            search.unreachable.add(archive.name)
        return None
    if lookup.capture is None:
        search.notes.append(f"{archive.name}: no capture")
        return None
    candidate = await _read(archive, await _follow_archived_redirects(archive, lookup.capture, search))
    if candidate.problem is None:
        return candidate
    search.notes.append(f"{archive.name}: nearest capture ({candidate.capture.day}) {candidate.problem}")
    exclude = candidate.capture if candidate.capture.is_ok else None
    better = await archive.nearest_ok(url, when, exclude=exclude)
    if better.capture is not None:
        other = await _read(archive, better.capture)
        if other.problem is None:
            search.notes.append(
                f"{archive.name}: using the nearest capture that is a copy ({other.capture.day})"
            )
            return other
        search.notes.append(f"{archive.name}: the capture of {other.capture.day} {other.problem} too")
    elif better.error is not None:
        search.notes.append(better.error)
    return candidate


async def _follow_archived_redirects(archive: Archive, capture: Capture, search: _Search) -> Capture:
    """An archived redirect leads to the archived target, as replay shows it to a reader."""
    seen = {capture.original_url}
    for _hop in range(_MAX_ARCHIVED_REDIRECTS):
        if capture.http_status not in _REDIRECTS or not capture.location:
            return capture
        target = urljoin(capture.original_url, capture.location.strip())
        if target in seen:
            return capture
        seen.add(target)
        lookup = await archive.nearest(target, capture.captured_at)
        if lookup.capture is None:
            return capture
        search.notes.append(f"{archive.name}: the capture of {capture.day} redirected to {target}")
        capture = lookup.capture
    return capture


async def _read(archive: Archive, capture: Capture) -> _Candidate:
    """The capture with its page read, and why it is not a copy of a page, if it is not one."""
    if not capture.is_ok:
        kind = "a redirect" if capture.http_status in _REDIRECTS else "an error page"
        return _Candidate(archive, capture, None, f"is {kind} (HTTP {capture.http_status})")
    body = capture.body if capture.body is not None else await archive.read(capture)
    page = await read_archived_page(body, capture.media_type)
    title = page.title if page is not None else None
    wall = bot_wall_reason(capture.headers, title)
    if wall is not None:
        return _Candidate(archive, capture, page, f"is not a copy of the page ({wall})")
    if await error_page_reason(capture.original_url, body) is not None:
        return _Candidate(archive, capture, page, f"is an error page served with HTTP 200 (title {title!r})")
    return _Candidate(archive, capture, page, None)


async def _recover_truncated(url: str, archives: Sequence[Archive], search: _Search) -> str | None:
    notes = search.notes
    for archive in archives:
        found = await archive.with_prefix(url)
        if not found.supported:
            continue
        if found.error is not None:
            search.errors.append(found.error)
            if found.unreachable:
                search.unreachable.add(archive.name)
            continue
        candidates = plausible_completions(url, found.urls)
        if len(candidates) == 1:
            notes.append(f"{archive.name}: recovered the full URL from the archive index")
            return candidates[0]
        if candidates:
            shown = ", ".join(candidates[:5]) + (" ..." if len(candidates) > 5 else "")
            notes.append(
                f"{archive.name}: {len(candidates)} archived URLs complete the truncated one: {shown}"
            )
        else:
            notes.append(f"{archive.name}: no archived URL completes the truncated one")
        return None
    return None


def plausible_completions(truncated: str, archived: Sequence[str]) -> list[str]:
    """Archived URLs that extend `truncated` and could be the cited page (no assets), deduplicated."""
    wanted = _address_key(usable_prefix(truncated))
    completions: dict[str, str] = {}
    for url in archived:
        key = _address_key(url)
        if not key.startswith(wanted) or key.rstrip("/") == wanted.rstrip("/"):
            continue
        if _ASSET.search(urlsplit(url).path):
            continue
        completions.setdefault(key.rstrip("/"), url)
    return list(completions.values())


def _address_key(url: str) -> str:
    """scheme-less, www-less, default-port-less form: archives record http/https and :80 inconsistently."""
    text = re.sub(r"^[a-z][a-z0-9+.-]*://", "", url.strip(), flags=re.IGNORECASE)
    host, slash, rest = text.partition("/")
    host = host.lower().removeprefix("www.").removesuffix(":80").removesuffix(":443")
    return host + slash + rest


def _snapshot(
    url: str,
    candidate: _Candidate,
    recovered: str | None,
    lookup_url: str,
    notes: list[str],
    *,
    found: bool,
    error: str | None = None,
) -> Snapshot:
    capture = candidate.capture
    evidence = list(notes)
    if _address_key(capture.original_url).rstrip("/") != _address_key(lookup_url).rstrip("/"):
        evidence.append(f"the copy is of {capture.original_url}")
    if found and candidate.page is None:
        evidence.append("the archived copy is not an HTML page")
    return Snapshot(
        url=url,
        archive=candidate.archive.name,
        found=found,
        memento_url=capture.memento_url,
        memento_datetime=capture.captured_at,
        http_status=capture.http_status,
        digest=capture.digest,
        evidence=tuple(evidence),
        recovered_url=recovered,
        error=error,
        page=candidate.page if found else None,
    )
