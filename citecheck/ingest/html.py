"""HTML: the visible text a reader sees, plus every href with the span of its anchor text.

Scripts, styles, templates and other invisible elements are dropped (and never executed);
block elements become line breaks so "Source: X" lines keep their shape for the extractor.
"""

from __future__ import annotations

import re
import unicodedata
import warnings

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning
from bs4.element import Comment, Doctype, NavigableString, ProcessingInstruction, Tag

from ..models import Document, SourceLink, Span

__all__ = ["html_document"]

_INVISIBLE = {"script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "head", "math"}
_BLOCK = {
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tr",
    "td",
    "th",
    "ul",
    "caption",
    "summary",
    "details",
}


_WHITESPACE = re.compile(r"\s+")


class _TextBuilder:
    """Collapses whitespace the way a browser does while keeping a running length for spans."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.links: list[SourceLink] = []

    def add(self, raw: str) -> None:
        text = unicodedata.normalize("NFC", _WHITESPACE.sub(" ", raw))
        if not self.parts or self.parts[-1].endswith(("\n", " ")):
            text = text.lstrip(" ")
        if text:
            self.parts.append(text)
            self.length += len(text)

    def newline(self) -> None:
        if not self.parts or self.parts[-1].endswith("\n"):
            return
        if self.parts[-1].endswith(" "):
            self.parts[-1] = self.parts[-1][:-1]
            self.length -= 1
        self.parts.append("\n")
        self.length += 1

    def text(self) -> str:
        return "".join(self.parts)


def _list_marker(item: Tag, positions: dict[int, int]) -> str:
    """The number or bullet a browser draws before a list item: source lists keep their shape.

    `positions` counts items per list as the walk meets them (by identity), so long lists stay linear.
    """
    parent = item.parent
    if parent is None or (parent.name or "").lower() != "ol":
        return "- "
    start = parent.get("start")
    first = int(start) if isinstance(start, str) and start.strip().isdigit() else 1
    seen = positions.get(id(parent), 0)
    positions[id(parent)] = seen + 1
    return f"{first + seen}. "


# Site navigation (nav) and page footers: their text is kept, their links are not the document's sources.
# A footer inside an article or main element is the article's own (notes, sources) and keeps its links.
_CONTENT = {"article", "main"}


def _is_source_href(href: str) -> bool:
    """An in-page anchor ("#fn1") points inside the document itself; it cites nothing."""
    return not href.startswith("#")


def _walk(root: Tag, builder: _TextBuilder) -> None:
    # Iterative walk: hostile documents nest thousands of levels deep.
    anchor_starts: dict[int, int] = {}
    furniture: set[int] = set()  # ids of the nav and page-footer elements open around the current node
    content = 0  # article and main elements open around it
    list_positions: dict[int, int] = {}  # id(<ol>) -> items met so far
    stack: list[tuple[Tag | NavigableString, bool]] = [(root, False)]
    while stack:
        current, closing = stack.pop()
        if isinstance(current, NavigableString):
            if not isinstance(current, (Comment, Doctype, ProcessingInstruction)):
                builder.add(str(current))
            continue
        name = (current.name or "").lower()
        if closing:
            if name in _BLOCK:
                builder.newline()
            furniture.discard(id(current))
            if name in _CONTENT:
                content -= 1
            start = anchor_starts.pop(id(current), None)
            href = current.get("href")
            if start is not None and isinstance(href, str) and href.strip() and _is_source_href(href.strip()):
                builder.links.append(SourceLink(url=href.strip(), anchor=Span(start, builder.length)))
            continue
        if name in _INVISIBLE:
            continue
        if name in _BLOCK:
            builder.newline()
        if name == "li":
            builder.add(_list_marker(current, list_positions))
        if name == "nav" or (name == "footer" and not content):
            furniture.add(id(current))
        if name in _CONTENT:
            content += 1
        if name == "a" and not furniture:
            anchor_starts[id(current)] = builder.length
        stack.append((current, True))
        children = reversed(list(current.children))
        stack.extend((child, False) for child in children if isinstance(child, Tag | NavigableString))


def html_document(name: str, markup: str, *, sha256: str, size: int, encoding: str) -> Document:
    with warnings.catch_warnings():
        # A page whose whole text is a URL or a file name is still a page; bs4's hint is noise here.
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(markup, "html.parser")
    title_tag = soup.find("title")
    title = " ".join(title_tag.get_text().split()) if isinstance(title_tag, Tag) else None
    builder = _TextBuilder()
    body = soup.body if soup.body is not None else soup
    _walk(body, builder)
    text = builder.text().rstrip("\n ")
    # An anchor at the very end may have stood on whitespace the strip just took off.
    links = tuple(
        link
        if link.anchor.end <= len(text)
        else SourceLink(url=link.url, anchor=Span(min(link.anchor.start, len(text)), len(text)))
        for link in builder.links
    )
    return Document(
        path=name,
        sha256=sha256,
        text=text,
        size=size,
        encoding=encoding,
        media_type="text/html",
        title=title or None,
        links=links,
    )
