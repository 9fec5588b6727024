"""Preserve evidence: capture live pages into a local WARC collection that pywb can replay.

In: URLs, the run's `NetClient` and a pywb collection directory (``<root>/collections/<name>``). Out: the
WARC file written under ``<collection>/archive/``, one per call, holding a request/response pair for every
hop of every URL (so a cited address that redirected replays as a redirect, as it did live).

Choices:

* Pages are fetched through `NetClient` like everything else, hop by hop, so the address policy, limits
  and body cap apply. A response whose body passed the cap is left out rather than stored truncated.
* Only a page that answered as itself is evidence. A chain that ends in an error (4xx, 5xx), a bot
  wall's challenge, or a soft 404 (an error page served with 200, or a redirect to the home page) is
  not written: a later look-up would otherwise find it and call it a copy.
* httpx hands over decoded bodies, so the stored headers drop Content-Encoding and Transfer-Encoding and
  carry the decoded length: the record is what a reader saw, byte for byte, and pywb replays it as is.
* If pywb is installed (the ``archive`` extra), a sorted CDXJ index of the new file is written to
  ``<collection>/indexes/`` with pywb's own indexer, so pywb serves the capture at once without
  ``wb-manager reindex``. Without pywb the WARC is still a standard file any replay tool can index.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from http import HTTPStatus
from io import BytesIO
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from warcio.statusandheaders import StatusAndHeaders  # type: ignore[import-untyped]
from warcio.warcwriter import WARCWriter  # type: ignore[import-untyped]

from ..check.classify import classify_fetch
from ..check.page import page_content, page_title, read_off_loop
from ..check.soft404 import content_reason, looks_like_error_title, redirect_reason
from ..models import LinkStatus
from ..net import FetchFailure, FetchResult, NetClient

__all__ = ["capture_pages", "error_page_reason", "index_for_pywb"]

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_DROPPED_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})


@dataclass(frozen=True, slots=True)
class _Exchange:
    url: str
    fetched_at: datetime
    response: FetchResult


async def capture_pages(
    urls: Sequence[str], client: NetClient, collection_dir: Path, outcomes: dict[str, str] | None = None
) -> list[Path]:
    """Fetch `urls` and write them to one new WARC in ``collection_dir/archive``; [] if nothing answered.

    With `outcomes`, each URL's fate goes there: "captured", "refused" (the address policy: nothing was
    sent), "failed" (no answer) or "not evidence" (an error page, a bot wall, a soft 404).
    """
    unique = list(dict.fromkeys(urls))
    failures: dict[str, FetchResult] = {}
    chains = await asyncio.gather(*(_capture_chain(url, client, failures) for url in unique))
    kept = await asyncio.gather(*(_is_evidence(chain) for chain in chains))
    if outcomes is not None:
        for url, chain, keep in zip(unique, chains, kept, strict=True):
            outcomes[url] = _outcome(chain, keep, failures.get(url))
    exchanges = [exchange for chain, keep in zip(chains, kept, strict=True) if keep for exchange in chain]
    if not exchanges:
        return []
    archive_dir = collection_dir / "archive"
    archive_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    path = archive_dir / f"citecheck-{stamp}-{secrets.token_hex(4)}.warc.gz"
    user_agent = client.settings.user_agent
    await asyncio.to_thread(_write_warc, path, exchanges, user_agent)
    await asyncio.to_thread(index_for_pywb, path, collection_dir / "indexes")
    return [path]


def _outcome(chain: list[_Exchange], kept: bool, failure: FetchResult | None) -> str:
    if kept:
        return "captured"
    if failure is not None and failure.failure is FetchFailure.REFUSED:
        return "refused"
    return "failed" if not chain else "not evidence"


async def _capture_chain(url: str, client: NetClient, failures: dict[str, FetchResult]) -> list[_Exchange]:
    chain: list[_Exchange] = []
    current = url
    for _hop in range(client.settings.max_redirects + 1):
        fetched_at = datetime.now(UTC)
        response = await client.fetch(current, follow_redirects=False)
        if response.status_code is None or response.failure is not None:
            failures[url] = response
            break
        chain.append(_Exchange(current, fetched_at, response))
        location = response.header("location")
        if response.status_code not in _REDIRECTS or not location:
            break
        current = urljoin(current, location.strip())
    return chain


async def _is_evidence(chain: list[_Exchange]) -> bool:
    """The chain ends in the page itself: 2xx, no bot wall, no soft 404 (see the module docstring)."""
    if not chain:
        return False
    first, last = chain[0], chain[-1]
    seen = replace(
        last.response, url=first.url, final_url=last.url, redirects=tuple(hop.url for hop in chain[1:])
    )
    if classify_fetch(seen).status not in (LinkStatus.ALIVE, LinkStatus.REDIRECTED):
        return False
    if redirect_reason(first.url, seen) is not None:  # sent to the home page or a section instead
        return False
    return await error_page_reason(first.url, seen.body) is None


async def error_page_reason(url: str, body: bytes | None) -> str | None:
    """Why an HTML page served with 2xx is a site's error page: an error title over no prose of its own
    (soft404.py's rule, without the random-path probe a live check adds), or None. A page too costly
    to read is taken as it is."""
    if not body or not looks_like_error_title(page_title(body)):
        return None
    content = await read_off_loop(lambda deadline: page_content(body, deadline))
    return content_reason(url, content, None) if content is not None else None


def _write_warc(path: Path, exchanges: list[_Exchange], user_agent: str) -> None:
    with path.open("wb") as output:
        writer = WARCWriter(output, gzip=True)
        writer.write_record(
            writer.create_warcinfo_record(
                path.name, {"software": "citecheck", "format": "WARC File Format 1.0"}
            )
        )
        for exchange in exchanges:
            request, response = _records(writer, exchange, user_agent)
            writer.write_request_response_pair(request, response)


def _records(writer: WARCWriter, exchange: _Exchange, user_agent: str) -> tuple[object, object]:
    answer = exchange.response
    status = answer.status_code or 0
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = "Unknown"
    headers = [(k, v) for k, v in answer.headers if k.lower() not in _DROPPED_HEADERS]
    headers.append(("Content-Length", str(len(answer.body))))
    warc_date = {"WARC-Date": exchange.fetched_at.strftime("%Y-%m-%dT%H:%M:%SZ")}
    response = writer.create_warc_record(
        exchange.url,
        "response",
        payload=BytesIO(answer.body),
        http_headers=StatusAndHeaders(f"{status} {reason}", headers, protocol="HTTP/1.1"),
        warc_headers_dict=warc_date,
    )
    parts = urlsplit(exchange.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    request = writer.create_warc_record(
        exchange.url,
        "request",
        payload=BytesIO(b""),
        http_headers=StatusAndHeaders(
            f"GET {target} HTTP/1.1",
            [("Host", parts.netloc), ("User-Agent", user_agent)],
            is_http_request=True,
        ),
        warc_headers_dict=warc_date,
    )
    return request, response


def index_for_pywb(warc: Path, index_dir: Path) -> Path | None:
    """Write ``index_dir/<warc name>.cdxj`` with pywb's indexer; None when pywb is not installed."""
    try:
        from pywb.indexer.cdxindexer import write_cdx_index  # type: ignore[import-untyped]
    except ImportError:
        return None
    index_dir.mkdir(parents=True, exist_ok=True)
    index = index_dir / (warc.name.removesuffix(".gz").removesuffix(".warc") + ".cdxj")
    with warc.open("rb") as source, index.open("wb") as target:
        write_cdx_index(target, source, warc.name, cdxj=True, sort=True, append_post=True)
    return index
