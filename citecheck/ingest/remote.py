"""Documents given as web addresses: `citecheck check https://...`.

The one ingest module that uses the network. The pipeline hands it the run's client (citecheck/net:
the address guard at every hop, size and time caps) and the archive settings; it never opens a
connection of its own.

- A MediaWiki article address (/wiki/Title) is read as wikitext through the wiki's API
  (/w/api.php?action=query&prop=revisions), so its references keep their templates (see wiki.py).
  A site that does not answer that API is read as a web page.
- Any other page is fetched and read by web.py (HTML) or, for a PDF or Word file, by the same readers
  as local files.
- With `offline`, or when the page is gone (an error status, or its server unreachable), the nearest
  archived copy from the configured providers is read instead, and the Document's `note` says so.
  With no copy either, the document is an InputError giving both reasons.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlencode, urlsplit

from ..config import ArchiveSettings, InputSettings
from ..errors import InputError
from ..models import CitedDate, Document

if TYPE_CHECKING:
    from ..net.client import FetchResult, NetClient

__all__ = ["is_web_address", "read_web_document"]

_DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_DOCUMENT_TYPES = frozenset(
    {"", "text/html", "application/xhtml+xml", "text/plain", "application/pdf", _DOCX_TYPE}
)


def is_web_address(name: str) -> bool:
    return name.lower().startswith(("http://", "https://"))


def _document(url: str, body: bytes, media_type: str, settings: InputSettings) -> Document:
    if media_type in ("application/pdf",) or body.startswith(b"%PDF-"):
        from . import document_from_bytes

        return replace(document_from_bytes(url + "#.pdf", body, settings), path=url)
    if media_type == _DOCX_TYPE:
        from . import document_from_bytes

        return replace(document_from_bytes(url + "#.docx", body, settings), path=url)
    from .web import web_document

    return web_document(url, body)


def _article_title(url: str) -> str | None:
    parts = urlsplit(url)
    if not parts.path.startswith("/wiki/") or len(parts.path) <= len("/wiki/"):
        return None
    return unquote(parts.path[len("/wiki/") :]).replace("_", " ")


async def _mediawiki(url: str, title: str, client: NetClient, settings: InputSettings) -> Document | None:
    """The article's current wikitext through the MediaWiki API, or None if the site has no such API."""
    from .wiki import wiki_document

    parts = urlsplit(url)
    query = urlencode(
        {
            "action": "query",
            "prop": "revisions",
            "rvprop": "content|timestamp",
            "rvslots": "main",
            "titles": title,
            "redirects": "1",
            "format": "json",
            "formatversion": "2",
        }
    )
    answer = await client.fetch(
        f"{parts.scheme}://{parts.netloc}/w/api.php?{query}", max_bytes=settings.max_bytes
    )
    if not answer.ok or "json" not in answer.media_type:
        return None
    try:
        page = json.loads(answer.body)["query"]["pages"][0]
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    if page.get("missing") or page.get("invalid"):
        raise InputError(url, f"the wiki has no article {title!r}")
    revision = page["revisions"][0]
    markup = revision["slots"]["main"]["content"]
    data = markup.encode()
    document = wiki_document(
        url,
        markup,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        encoding="utf-8",
        title=page.get("title") or title,
    )
    stamp = revision.get("timestamp", "")[:10]
    try:
        year, month, day = (int(part) for part in stamp.split("-"))
        revised: CitedDate | None = CitedDate(year, month, day)
    except ValueError:
        revised = None
    return replace(document, date=revised, note=f"revision of {stamp} read through the MediaWiki API")


def _live_problem(result: FetchResult) -> str:
    if result.failure is not None:
        return f"the live page could not be read ({result.detail or result.failure.value})"
    return f"the live page answered HTTP {result.status_code}"


async def _archived(
    url: str, client: NetClient, settings: ArchiveSettings, input_settings: InputSettings
) -> tuple[Document, str] | None:
    """The nearest 2xx archived copy any enabled provider holds, read as a document, with its description."""
    from ..archive import build_archive

    now = datetime.now(UTC)
    for provider in settings.providers:
        if not provider.enabled:
            continue
        archive = build_archive(provider, client)
        lookup = await archive.nearest_ok(url, now, want_body=True)
        capture = lookup.capture
        if capture is None or not capture.is_ok:
            continue
        body = capture.body if capture.body is not None else await archive.read(capture)
        if not body:
            continue
        document = _document(url, body, capture.media_type or "text/html", input_settings)
        when = capture.captured_at.date().isoformat()
        return document, f"archived copy from {provider.name} of {when} ({capture.memento_url})"
    return None


async def read_web_document(
    url: str,
    client: NetClient,
    settings: InputSettings,
    archive_settings: ArchiveSettings,
    *,
    offline: bool,
) -> Document:
    """The document at `url`: live if it can be read (and not `offline`), else its nearest archived copy."""
    from ..net.client import FetchFailure

    why = "offline: the live page was not fetched"
    if not offline:
        title = _article_title(url)
        if title:
            wiki = await _mediawiki(url, title, client, settings)
            if wiki is not None:
                return wiki
        result = await client.fetch(url, max_bytes=settings.max_bytes)
        if result.failure is FetchFailure.TOO_LARGE:
            raise InputError(url, f"the page is larger than input.max_bytes ({settings.max_bytes:,} bytes)")
        if result.ok:
            if result.media_type not in _DOCUMENT_TYPES and not result.body.startswith(b"%PDF-"):
                raise InputError(
                    url, f"the address serves {result.media_type}, not a document citecheck reads"
                )
            return _document(result.final_url or url, result.body, result.media_type, settings)
        why = _live_problem(result)
    archived = await _archived(url, client, archive_settings, settings)
    if archived is None:
        raise InputError(url, f"{why}, and no archive provider holds a copy")
    document, described = archived
    return replace(document, path=url, note=f"read from the {described}: {why}")
