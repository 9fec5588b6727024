"""Turn what the network produced (a `FetchResult`) into a `LinkStatus`.

Pure functions: no I/O, so every mapping is tested directly. The soft-404 refinements of a 200 live in
soft404.py because they need more than one response.

Decisions worth knowing:

* 404 and 410 are `dead`; any other 4xx the server sends for a plain GET (400, 405, 414, ...) also means
  the page cannot be read at that address, so it is `dead` too, with the status in `error`.
* 401, 403, 407 and 451 are `blocked`: the page may exist but we may not read it. 429 after retries is
  `blocked` too (the server throttles us; that says nothing about the page) and so is LinkedIn-style
  999 and any other status outside the HTTP range.
* A bot wall is `blocked` whatever its status: an answer carrying a challenge header (Cloudflare's
  `cf-mitigated: challenge`, often on a 503) or a page whose title is a known challenge or block page
  (often served with 200). The markers live in citecheck/data/bot_walls.yaml.
* A redirect loop or an over-long redirect chain is the server's fault: `server_error`, likewise an
  answer that is not valid HTTP.
* A redirect that only upgrades to https, adds or drops a trailing slash, `www.` or the default port
  leaves the page where it was cited: `alive` (the final URL is still recorded). Anything else that ends
  in a 2xx is `redirected`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import SplitResult, urlsplit

import yaml

from ..models import LinkStatus
from ..net import FetchFailure, FetchResult
from .page import page_title

__all__ = ["Classification", "bot_wall_reason", "classify_fetch", "is_equivalent_address", "malformed_reason"]

BOT_WALLS_FILE = Path(__file__).resolve().parent.parent / "data" / "bot_walls.yaml"

_DEAD = frozenset({404, 410})
_WHITESPACE = re.compile(r"\s")  # the characters str.isspace() accepts
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # C0, DEL, C1: never part of an address (RFC 3986 §2)
_BLOCKED = frozenset({401, 403, 407, 429, 451})

_FAILURE_STATUS = {
    FetchFailure.INVALID_URL: LinkStatus.MALFORMED,
    FetchFailure.REFUSED: LinkStatus.REFUSED,
    FetchFailure.DNS: LinkStatus.DNS_ERROR,
    FetchFailure.CONNECT: LinkStatus.CONNECT_ERROR,
    FetchFailure.TLS: LinkStatus.TLS_ERROR,
    FetchFailure.TIMEOUT: LinkStatus.TIMEOUT,
    FetchFailure.TOO_LARGE: LinkStatus.TOO_LARGE,
    FetchFailure.PROTOCOL: LinkStatus.SERVER_ERROR,
    FetchFailure.REDIRECT_LOOP: LinkStatus.SERVER_ERROR,
    FetchFailure.TOO_MANY_REDIRECTS: LinkStatus.SERVER_ERROR,
}


@dataclass(frozen=True, slots=True)
class Classification:
    status: LinkStatus
    error: str | None = None


def malformed_reason(url: str) -> str | None:
    """Why `url` cannot be fetched as written, or None. Such URLs are never sent anywhere."""
    text = url.strip()
    if not text:
        return "empty URL"
    if _WHITESPACE.search(text):
        return "URL contains whitespace"
    control = _CONTROL.search(text)
    if control is not None:
        return f"URL contains a control character (U+{ord(control.group()):04X})"
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        return f"cannot parse URL: {exc}"
    if not parts.scheme:
        return "URL has no scheme"
    if parts.scheme.lower() in ("http", "https"):
        if not parts.hostname:
            return "URL has no host"
        if port == 0:
            return "port 0"
    return None


@dataclass(frozen=True, slots=True)
class _BotWalls:
    headers: dict[str, frozenset[str]]
    titles: frozenset[str]


@lru_cache(maxsize=1)
def _bot_walls() -> _BotWalls:
    data = yaml.safe_load(BOT_WALLS_FILE.read_text(encoding="utf-8"))
    return _BotWalls(
        headers={
            name.lower(): frozenset(str(value).lower() for value in values)
            for name, values in data["headers"].items()
        },
        titles=frozenset(_title_key(title) for title in data["titles"]),
    )


def _title_key(title: str) -> str:
    return " ".join(title.split()).rstrip(".… ").casefold()


def bot_wall_reason(headers: Iterable[tuple[str, str]], title: str | None) -> str | None:
    """Why an answer (live or archived) is an anti-bot challenge rather than the page, or None."""
    walls = _bot_walls()
    for name, value in headers:
        marks = walls.headers.get(name.lower())
        if marks is not None and value.strip().lower() in marks:
            return f"bot wall: {name.lower()}: {value.strip()}"
    if title and _title_key(title) in walls.titles:
        return f"bot wall: challenge page titled {title!r}"
    return None


def _page_title(result: FetchResult) -> str | None:
    if not result.body or result.media_type not in ("text/html", "application/xhtml+xml", ""):
        return None
    return page_title(result.body)


def classify_fetch(result: FetchResult) -> Classification:
    """The status class of one fetch; a 2xx here is `alive` or `redirected` (soft-404s come later)."""
    if result.failure is None and result.status_code is not None:
        wall = bot_wall_reason(result.headers, _page_title(result))
        if wall is not None:
            return Classification(LinkStatus.BLOCKED, f"{wall} (HTTP {result.status_code})")
    if result.failure is not None:
        status = _FAILURE_STATUS[result.failure]
        detail = result.detail or result.failure.value
        if status is LinkStatus.TOO_LARGE or result.status_code is None:
            return Classification(status, detail)
        return Classification(status, f"{detail} (after HTTP {result.status_code})")
    code = result.status_code
    if code is None:  # pragma: no cover - a FetchResult without failure always has a status
        return Classification(LinkStatus.SERVER_ERROR, "no HTTP status")
    if 200 <= code < 300:
        if result.redirects and not is_equivalent_address(result.url, result.final_url):
            return Classification(LinkStatus.REDIRECTED)
        return Classification(LinkStatus.ALIVE)
    if code in _DEAD:
        return Classification(LinkStatus.DEAD, f"HTTP {code}")
    if code in _BLOCKED:
        reason = "rate limited" if code == 429 else "access denied"
        return Classification(LinkStatus.BLOCKED, f"HTTP {code} ({reason})")
    if 500 <= code < 600:
        return Classification(LinkStatus.SERVER_ERROR, f"HTTP {code}")
    if 400 <= code < 500:
        return Classification(LinkStatus.DEAD, f"HTTP {code}")
    if 300 <= code < 400:
        # a redirect status we could not follow (no Location, or 300/304)
        return Classification(LinkStatus.SERVER_ERROR, f"HTTP {code} without a usable redirect")
    return Classification(LinkStatus.BLOCKED, f"non-standard HTTP status {code}")


def is_equivalent_address(cited: str, final: str) -> bool:
    """Same page at a trivially different address (https upgrade, trailing slash, www., default port)."""
    try:
        a, b = urlsplit(cited), urlsplit(final)
        return _address_key(a) == _address_key(b)
    except ValueError:
        return False


def _address_key(parts: SplitResult) -> tuple[str, int | None, str, str]:
    host = (parts.hostname or "").lower().removeprefix("www.")
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    port = None if parts.port in (None, default, 80, 443) else parts.port
    path = parts.path.rstrip("/") or "/"
    return host, port, path, parts.query
