"""Archived copies: for each cited URL, the capture nearest the cited date, and whether it backs the citation.

In: `SnapshotRequest`s (URL, date, the citing paragraph, the outlet's domains, whether the extractor saw
the URL cut short). Out: one `Snapshot` per URL.

Per request:

1. Truncated URL: the first provider with a CDX index is asked for every archived URL with that prefix.
   Exactly one plausible completion (pages, not stylesheets or images) becomes `recovered_url` and is
   looked up instead; several are listed in the evidence and none is guessed.
2. Providers from config are asked in order for the capture nearest the date (replay path; see
   wayback.py). A 2xx capture ends the search. A non-2xx nearest capture is reported as such, a CDX
   search for the nearest 2xx capture is tried within the spare CDX budget, and the next provider gets
   its turn; if nobody has a 2xx copy, the non-2xx capture is the answer (`found` with its status).
3. With `match_content`, the 2xx copy's HTML is compared with the citing paragraph (match.py).

An archive that cannot be reached is not "no capture": when every provider fails with a network error
the snapshot says the archive was unreachable. `capture_pages` (warc.py) preserves live pages into a
local WARC collection for pywb.
"""

from __future__ import annotations

import asyncio
import re
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from ..config import ArchiveProvider, ArchiveSettings
from ..models import ArchiveMatch, Snapshot
from ..net import Clock, NetClient
from .match import judge_content, read_page
from .memento import MementoArchive
from .provider import Archive, Capture
from .pywb import PywbArchive
from .warc import capture_pages
from .wayback import WaybackArchive, request_save_page_now, usable_prefix

__all__ = [
    "SnapshotRequest",
    "build_archive",
    "capture_pages",
    "find_snapshots",
    "nearest_snapshot",
    "plausible_completions",
]

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
    """The provider implementation for a config entry's `kind`."""
    if provider.kind == "memento":
        return MementoArchive(provider, client, clock)
    if provider.kind == "pywb":
        return PywbArchive(provider, client, clock)
    return WaybackArchive(provider, client, clock)


# Providers (and so their rate budgets) live as long as the run's NetClient: the pipeline calls
# find_snapshots once per cited date, and a budget that restarted with every call would let a run
# send the Internet Archive many times its per-minute allowance.
_RUN_ARCHIVES: weakref.WeakKeyDictionary[NetClient, dict[tuple[ArchiveProvider, Clock | None], Archive]] = (
    weakref.WeakKeyDictionary()
)


def _run_archive(provider: ArchiveProvider, client: NetClient, clock: Clock | None) -> Archive:
    archives = _RUN_ARCHIVES.setdefault(client, {})
    key = (provider, clock)
    if key not in archives:
        archives[key] = build_archive(provider, client, clock)
    return archives[key]


async def find_snapshots(
    requests: Sequence[SnapshotRequest],
    client: NetClient,
    settings: ArchiveSettings,
    on_done: Callable[[Snapshot], None] | None = None,
    *,
    clock: Clock | None = None,
) -> dict[str, Snapshot]:
    """One snapshot per distinct URL (the first request for a URL decides its date and context).

    Rate budgets are shared by every call made with the same `client`, i.e. by the whole run.
    """
    archives = [_run_archive(provider, client, clock) for provider in settings.providers if provider.enabled]
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


async def nearest_snapshot(
    request: SnapshotRequest, archives: Sequence[Archive], settings: ArchiveSettings, client: NetClient
) -> Snapshot:
    """The best capture of one URL across `archives` (see the module docstring for the order of things)."""
    when = request.when or datetime.now(UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    names = ", ".join(archive.name for archive in archives)
    if not archives:
        return Snapshot(url=request.url, archive="", found=False, error="no archive provider is enabled")

    notes: list[str] = []
    errors: list[str] = []
    unreachable: set[str] = set()
    lookup_url, recovered = request.url, None
    if request.truncated:
        recovered = await _recover_truncated(request.url, archives, notes, errors, unreachable)
        lookup_url = recovered or request.url

    fallback: tuple[Archive, Capture] | None = None
    for archive in archives:
        if archive.name in unreachable:
            continue
        lookup = await archive.nearest(lookup_url, when, want_body=settings.match_content)
        if lookup.error is not None:
            errors.append(lookup.error)
            if lookup.unreachable:
                unreachable.add(archive.name)
            continue
        capture = lookup.capture
        if capture is None:
            notes.append(f"{archive.name}: no capture")
            continue
        if not capture.is_ok:
            notes.append(
                f"{archive.name}: nearest capture ({_day(capture)}) answered HTTP {capture.http_status}"
            )
            better = await archive.nearest_ok(lookup_url, when, want_body=settings.match_content)
            if better.capture is not None and better.capture.is_ok:
                capture = better.capture
                notes.append(f"{archive.name}: using the nearest 2xx capture instead ({_day(capture)})")
            elif better.error is not None:
                notes.append(better.error)
        if capture.is_ok:
            return await _snapshot(request, archive, capture, recovered, lookup_url, notes, settings)
        fallback = fallback or (archive, capture)

    if fallback is not None:
        archive, capture = fallback
        notes.append("no archive holds a 2xx copy; the nearest capture is an error page")
        return await _snapshot(request, archive, capture, recovered, lookup_url, notes, settings)
    if len(unreachable) == len(archives):
        return Snapshot(
            url=request.url,
            archive=names,
            found=False,
            evidence=tuple(notes),
            recovered_url=recovered,
            error="archive unreachable: " + "; ".join(errors),
        )
    # a truncated address nobody could complete is not worth asking the archive to capture
    saved = None
    if not request.truncated or recovered is not None:
        saved = await request_save_page_now(lookup_url, client, settings.save_page_now)
    if saved is not None:
        notes.append(f"Save Page Now job {saved.job_id}" if saved.job_id else f"Save Page Now: {saved.error}")
    return Snapshot(
        url=request.url,
        archive=names,
        found=False,
        evidence=tuple(notes),
        recovered_url=recovered,
        error="; ".join(errors) or None,
    )


async def _recover_truncated(
    url: str, archives: Sequence[Archive], notes: list[str], errors: list[str], unreachable: set[str]
) -> str | None:
    for archive in archives:
        found = await archive.with_prefix(url)
        if not found.supported:
            continue
        if found.error is not None:
            errors.append(found.error)
            if found.unreachable:
                unreachable.add(archive.name)
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


def _day(capture: Capture) -> str:
    return capture.captured_at.date().isoformat()


async def _snapshot(
    request: SnapshotRequest,
    archive: Archive,
    capture: Capture,
    recovered: str | None,
    lookup_url: str,
    notes: list[str],
    settings: ArchiveSettings,
) -> Snapshot:
    evidence = list(notes)
    if _address_key(capture.original_url).rstrip("/") != _address_key(lookup_url).rstrip("/"):
        evidence.append(f"the copy is of {capture.original_url}")
    match = ArchiveMatch.NOT_CHECKED
    if settings.match_content and capture.is_ok:
        body = capture.body if capture.body is not None else await archive.read(capture)
        if body is None:
            evidence.append("could not read the archived copy")
        else:
            judgement = judge_content(
                read_page(body, capture.media_type),
                context=request.context,
                original_url=capture.original_url,
                outlet_domains=request.outlet_domains,
                cited=request.when,
            )
            match = judgement.match
            evidence.extend(judgement.evidence)
    return Snapshot(
        url=request.url,
        archive=archive.name,
        found=True,
        memento_url=capture.memento_url,
        memento_datetime=capture.captured_at,
        http_status=capture.http_status,
        digest=capture.digest,
        match=match,
        evidence=tuple(evidence),
        recovered_url=recovered,
    )
