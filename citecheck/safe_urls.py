"""What of a cited URL may leave this machine, and how it is written inside another address.

A cited URL may carry credentials (``https://user:password@host/...``). They are the document's business
with that host alone: an archive's replay path, its CDX index and Save Page Now would hand them to a third
party that may publish what it receives. `without_userinfo` removes them before a URL is written into any
such request, and `redact_userinfo` replaces them in text that is stored or reported.

An original URL appended to an archive's replay prefix must stay inside that prefix. HTTP clients remove
dot segments (RFC 3986 §5.2.4), so ``<prefix>/https://site/../../../admin`` would be sent as
``/admin`` on the archive host. `inside_prefix` percent-encodes such segments (and backslashes, which some
servers read as slashes), so the archive receives the cited address as one opaque piece.
"""

from __future__ import annotations

import re

__all__ = ["has_dot_segments", "inside_prefix", "masked_userinfo", "redact_userinfo", "without_userinfo"]

_USERINFO = re.compile(r"(?<=://)[^\s/?#@\\]*@")
_DOT_SEGMENT = re.compile(r"(?:\.|%2e){1,2}", re.IGNORECASE)
_ONE_DOT = re.compile(r"\.|%2e", re.IGNORECASE)
REDACTED = "***@"


def _authority_bounds(url: str) -> tuple[int, int]:
    """(start, end) of the authority in `url` ("scheme://authority/path"), or (-1, -1)."""
    marker = url.find("://")
    if marker < 0:
        return -1, -1
    start = marker + 3
    end = len(url)
    for stop in "/?#\\":
        found = url.find(stop, start)
        if 0 <= found < end:
            end = found
    return start, end


def without_userinfo(url: str) -> str:
    """`url` without ``user:password@`` in its authority."""
    start, end = _authority_bounds(url)
    if start < 0 or "@" not in url[start:end]:
        return url
    return url[:start] + url[start:end].rpartition("@")[2] + url[end:]


def redact_userinfo(text: str) -> str:
    """`text` with the userinfo of every URL in it replaced by ``***``: ``https://***@host/``."""
    if "@" not in text:
        return text
    return _USERINFO.sub(REDACTED, text)


def masked_userinfo(text: str) -> str:
    """`text` with the userinfo of every URL in it overwritten by as many ``*``, so that offsets into the
    text (a document's, which citations point into) still hold: ``https://*********@host/``."""
    if "@" not in text:
        return text
    return _USERINFO.sub(lambda match: "*" * (len(match.group()) - 1) + "@", text)


def inside_prefix(url: str) -> str:
    """`url`, without credentials, safe to append to an archive prefix: dot segments and backslashes in
    its path are percent-encoded so no client or server resolves them against the prefix."""
    url = without_userinfo(url)
    start, end = _authority_bounds(url)
    if start < 0:
        start = end = 0
    path_end = len(url)
    for stop in "?#":
        found = url.find(stop, end)
        if 0 <= found < path_end:
            path_end = found
    segments = url[end:path_end].replace("\\", "%5C").split("/")
    safe = "/".join(
        _encoded_dots(segment) if _DOT_SEGMENT.fullmatch(segment) else segment for segment in segments
    )
    return url[:end] + safe + url[path_end:]


def _encoded_dots(segment: str) -> str:
    """ "..", ".%2e" or "%2E%2E" as "%2E%2E" (and "." as "%2E"): a segment no client resolves."""
    return "%2E" * len(_ONE_DOT.findall(segment))


def has_dot_segments(url: str) -> bool:
    """Whether an HTTP client would resolve "." or ".." segments in `url`'s path (and so move it)."""
    start, end = _authority_bounds(url)
    path = url[max(end, 0) :].split("?", 1)[0].split("#", 1)[0]
    return any(segment in (".", "..") for segment in path.replace("\\", "/").split("/"))
