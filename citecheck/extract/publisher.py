"""The document's own publisher, known only from where a page names itself: the end of its title ("... |
Reuters", "... - BBC News"), a byline in its first lines ("By Jane Doe, Reuters"), or the address in
its front matter. What the body text says ("Reuters has learned") never makes an outlet the publisher.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..models import Document, Outlet, OutletType
from ..resolve.registry import Registry
from .outlets import OutletHit, fold_punctuation

__all__ = ["Publisher", "find_publisher"]

_TITLE_SEPARATORS = re.compile(r"\s+[|\-:]\s+|[?!]\s+")
_BYLINE = re.compile(
    r"\s*(?:by|from)\s+[^\n]{1,80}?(?:,|\||/|\s-)\s*(?P<outlet>[^\n,|/]{2,60}?)\s*$", re.IGNORECASE
)
_FRONT_MATTER_ADDRESS = re.compile(
    r"^(?:from|url|link|canonical|permalink|source_url):\s*['\"]?(\S+?)['\"]?\s*$", re.MULTILINE
)
_HEAD_LINES = 6
_HEAD_CHARS = 2000

NameFinder = Callable[[str], list[OutletHit]]


@dataclass(frozen=True, slots=True)
class Publisher:
    outlet: Outlet
    line: tuple[int, int] | None  # where the text names it as its publisher (a title or byline line)


def _named_by(segment: str, names: NameFinder, registry: Registry) -> Outlet | None:
    """The outlet a title segment or byline part consists of: one name with at most one word after it
    ("GoaChronicle.com investigates"), or a domain."""
    stripped = segment.strip()
    if not stripped:
        return None
    for hit in names(stripped):
        if hit.start == 0 and len(stripped[hit.end :].split()) <= 1:
            return hit.outlet
    words = stripped.split()
    first = words[0].strip(".")
    if "." in first and len(words) <= 2:
        return registry.by_url("http://" + first.lower())
    return None


def _from_title(title: str, names: NameFinder, registry: Registry) -> Outlet | None:
    """The last segment of a title that is an outlet's name ("Attack stokes fears - The Washington Post")."""
    cuts = [match.end() for match in _TITLE_SEPARATORS.finditer(title)]
    return _named_by(title[cuts[-1] :], names, registry) if cuts else None


def find_publisher(
    document: Document, folded: str, names: NameFinder, registry: Registry
) -> Publisher | None:
    """`folded` is the document's text with punctuation folded; `names` finds registry names in a text. A
    platform is never the publisher: a page on it ("from: https://twitter.com/...") is its user's."""
    found = _publisher(document, folded, names, registry)
    return None if found is None or found.outlet.type is OutletType.PLATFORM else found


def _publisher(document: Document, folded: str, names: NameFinder, registry: Registry) -> Publisher | None:
    if document.title:
        title = fold_punctuation(document.title)
        found = _from_title(title, names, registry)
        if found is not None:
            at = folded.find(title)
            return Publisher(found, (at, at + len(title)) if at >= 0 else None)
    head = folded[:_HEAD_CHARS]
    for match in _FRONT_MATTER_ADDRESS.finditer(head):
        found = registry.by_url(match.group(1))
        if found is not None:
            return Publisher(found, match.span())
    line_start = 0
    for line in head.split("\n")[:_HEAD_LINES]:
        byline = _BYLINE.match(line)
        found = _named_by(byline.group("outlet"), names, registry) if byline is not None else None
        if found is not None:
            return Publisher(found, (line_start, line_start + len(line)))
        line_start += len(line) + 1
    return None
