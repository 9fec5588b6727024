"""Live link checks: URLs in, one `LinkCheck` per URL out.

How one URL is checked, and why:

1. A URL that cannot be fetched as written is `malformed` and never sent anywhere.
2. With soft-404 detection on (the default), one GET: the body is kept only for HTML (capped at
   `max_body_bytes`) so soft404.py can look at it: redirect to the home page or a section, the same
   page a random path on that host returns, an error page, or a section page served for an article.
   PDFs, images and other non-HTML answers are judged by their status; their bodies are skipped. A GET
   rather than HEAD-then-GET, because most cited links are HTML pages, which would need the second
   request anyway.
3. With it off, HEAD: it settles dead, blocked and erroring links without downloading anything. Servers
   that mishandle HEAD (405 and 501 by the spec; 400, 403 and 406 from misconfigured CDNs and firewalls,
   or an invalid HTTP answer) get the same URL again with GET, and the GET answer counts.
4. classify.py maps the final answer, or the network failure, to a `LinkStatus`.

No network is not a dead link. When every link failed with the same network error class (all DNS
errors, all connection errors or all timeouts) and no server answered at all, the URLs in
`settings.connectivity_check_urls` (the archive, by default) are tried once. If they fail too, the machine
is offline and every such result becomes `unknown_offline`. Without a configured check URL the run is
judged offline when two or more hosts failed alike. Progress callbacks for network failures are held
back until that question is settled, so a caller never sees a `dns_error` that later turns into
`unknown_offline`; its error starts with why (`no_network_reason` reads it back), which the pipeline
makes a fact of the whole run.

A link's history (failing, then dead once confirmed) is history.py's: `check_links` reports what each
check saw.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from urllib.parse import urlsplit

from ..config import NetworkSettings
from ..models import LinkCheck, LinkStatus
from ..net import NETWORK_FAILURES, FetchFailure, FetchResult, NetClient
from .classify import Classification, classify_fetch, malformed_reason
from .soft404 import HTML_TYPES, HostProbes, soft_404_reason

__all__ = ["NETWORK_STATUSES", "check_link", "check_links", "no_network_reason"]

# Statuses that only say "could not reach the server", the raw material of an offline verdict.
NETWORK_STATUSES = frozenset({LinkStatus.DNS_ERROR, LinkStatus.CONNECT_ERROR, LinkStatus.TIMEOUT})
# Statuses reached without talking to anyone: evidence neither of network nor of its absence.
_NO_EVIDENCE = frozenset({LinkStatus.MALFORMED, LinkStatus.REFUSED})

HEAD_UNSUPPORTED = frozenset({400, 403, 405, 406, 501})
# Between why the run is offline and what the link itself got, in an unknown_offline check's error.
_REASON_END = "; "


def no_network_reason(check: LinkCheck) -> str | None:
    """Why the machine had no network when `check` was made ("no network: ..."), or None."""
    if check.status is not LinkStatus.UNKNOWN_OFFLINE or not check.error:
        return None
    return check.error.split(_REASON_END, 1)[0]


async def check_links(
    urls: Sequence[str],
    client: NetClient,
    settings: NetworkSettings,
    on_done: Callable[[LinkCheck], None] | None = None,
) -> dict[str, LinkCheck]:
    """Check every distinct URL once; the result maps each input URL to its `LinkCheck`."""
    unique = list(dict.fromkeys(urls))
    probes = HostProbes(client)
    results: dict[str, LinkCheck] = {}
    progress = _Progress(on_done, results)

    async def check_and_report(url: str) -> None:
        results[url] = await check_link(url, client, settings, probes)
        progress.completed(url)

    await asyncio.gather(*(check_and_report(url) for url in unique))
    offline_reason = await _offline_reason(results, client, settings)
    if offline_reason is not None:
        for url, found in results.items():
            if found.status in NETWORK_STATUSES:
                results[url] = replace(
                    found,
                    status=LinkStatus.UNKNOWN_OFFLINE,
                    error=f"{offline_reason}{_REASON_END}{found.error}",
                )
    progress.finish()
    return {url: results[url] for url in unique}


async def check_link(
    url: str, client: NetClient, settings: NetworkSettings, probes: HostProbes | None = None
) -> LinkCheck:
    """Check one URL (see the module docstring for the steps). `probes` shares soft-404 probes."""
    checked_at = datetime.now(UTC)
    started = time.monotonic()
    problem = malformed_reason(url)
    if problem is not None:
        return LinkCheck(url=url, status=LinkStatus.MALFORMED, error=problem, checked_at=checked_at)

    if settings.detect_soft_404:
        # One GET settles both questions: the status, and (for HTML) whether the page is really there.
        result = await client.fetch(url, method="GET", body_types=HTML_TYPES)
        fetched_body = result.media_type in HTML_TYPES
    else:
        result = await client.fetch(url, method="HEAD")
        fetched_body = False
        if _head_rejected(result):
            result = await client.fetch(url, method="GET", body_types=frozenset())
    verdict = classify_fetch(result)
    if verdict.status in (LinkStatus.ALIVE, LinkStatus.REDIRECTED) and settings.detect_soft_404:
        verdict = await _soft_404_verdict(url, result, fetched_body, probes or HostProbes(client), verdict)
    return LinkCheck(
        url=url,
        status=verdict.status,
        http_status=result.status_code,
        final_url=result.final_url if result.redirects else None,
        error=verdict.error,
        elapsed=time.monotonic() - started,
        checked_at=checked_at,
        redirects=result.redirects,
    )


def _head_rejected(head: FetchResult) -> bool:
    if head.failure is FetchFailure.PROTOCOL:
        return True
    return head.failure is None and head.status_code in HEAD_UNSUPPORTED


async def _soft_404_verdict(
    url: str, result: FetchResult, fetched_body: bool, probes: HostProbes, verdict: Classification
) -> Classification:
    page = result if fetched_body else replace(result, body=b"")  # a skipped body is not an empty page
    reason = await soft_404_reason(url, page, probes)
    return Classification(LinkStatus.SOFT_404, reason) if reason else verdict


async def _offline_reason(
    results: dict[str, LinkCheck], client: NetClient, settings: NetworkSettings
) -> str | None:
    """Why the failures look like this machine having no network, or None if they look real."""
    evidence = [found for found in results.values() if found.status not in _NO_EVIDENCE]
    if not evidence or any(found.status not in NETWORK_STATUSES for found in evidence):
        return None
    kinds = {found.status for found in evidence}
    if len(kinds) != 1:
        return None
    kind = kinds.pop().value
    useful_checks = 0
    for check_url in settings.connectivity_check_urls:
        answer = await client.fetch(check_url, method="HEAD")
        if answer.answered or answer.failure is FetchFailure.TLS:
            return None  # the network works; the failures are the links' own
        if answer.failure in NETWORK_FAILURES:
            useful_checks += 1
    if useful_checks:
        return f"no network: every link and the connectivity check failed ({kind})"
    hosts = {urlsplit(found.url).hostname for found in evidence}
    if len(hosts) >= 2:
        return f"no network: all {len(hosts)} hosts failed alike ({kind})"
    return None


class _Progress:
    """Calls `on_done` as checks finish, holding network failures until the offline question is settled.

    Any answer from a server proves the network works, which releases what was held.
    """

    def __init__(self, on_done: Callable[[LinkCheck], None] | None, results: dict[str, LinkCheck]) -> None:
        self._on_done = on_done
        self._results = results
        self._network_proven = False
        self._held: list[str] = []

    def completed(self, url: str) -> None:
        if self._on_done is None:
            return
        status = self._results[url].status
        if status in NETWORK_STATUSES and not self._network_proven:
            self._held.append(url)
            return
        self._on_done(self._results[url])
        if status not in NETWORK_STATUSES and status not in _NO_EVIDENCE and not self._network_proven:
            self._network_proven = True
            self.finish()

    def finish(self) -> None:
        """Report everything still held, with its final status."""
        if self._on_done is None:
            return
        held, self._held = self._held, []
        for url in held:
            self._on_done(self._results[url])
