"""HTML: the visible text a reader sees, every href with the span of its anchor text, and where each
character of that text stands in the file as written.

Scripts, styles, templates and other invisible elements are dropped (and never executed); block
elements become line breaks so "Source: X" lines keep their shape for the extractor, and list items
keep the number or bullet a browser draws. Whitespace collapses as a browser collapses it.

The markup is read as a stream of tags and text by the standard library's HTMLParser with character
references left unconverted, so every piece of text arrives with its position in the file: the
Document's offset maps lead each character of the text back to the characters it came from ("&amp;"
is five, a collapsed run of spaces several, a list marker none), and its source lines give the line a
citation stands on in the file. Elements nest as BeautifulSoup's html.parser tree builds them: an end
tag closes the most recent open element of its name and everything opened inside it, a stray end tag
is ignored, and void elements (br, img, ...) never open.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from ..models import Document, SourceLink, Span
from .text import mapped_offset, nfc_with_offsets

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
# Elements that never hold content (HTML5's void elements, as BeautifulSoup lists them).
_VOID = {
    *("area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "menuitem", "meta"),
    *("param", "source", "track", "wbr", "basefont", "bgsound", "command", "frame", "image", "isindex"),
    *("nextid", "spacer"),
}
# Site navigation (nav) and page footers: their text is kept, their links are not the document's sources.
# A footer inside an article or main element is the article's own (notes, sources) and keeps its links.
_CONTENT = {"article", "main"}
_COLLAPSIBLE = re.compile(r"\s{2,}|[^\S ]")  # whitespace other than one plain space
_BODY = re.compile(r"<body[\s>/]", re.IGNORECASE)


class _Text:
    """The text as a browser lays it out, with two sparse maps back into the markup.

    `starts` holds (index in the text, offset in the markup) where the text's characters stop following
    the markup one for one; `ends` does the same for where each character's markup ends, at the index
    after it. Most characters are the markup's own, one for one, so both stay short.
    """

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.last = ""  # the last character written
        self.starts: list[tuple[int, int]] = []
        self.ends: list[tuple[int, int]] = []

    def _mark(self, start: int, end: int, count: int) -> None:
        """The next `count` characters come from markup[start:end]: one for one when the lengths match."""
        index = self.length
        if not self.starts or start - index != self.starts[-1][1] - self.starts[-1][0]:
            self.starts.append((index, start))
        if count == end - start:
            if not self.ends or end - (index + count) != self.ends[-1][1] - self.ends[-1][0]:
                self.ends.append((index + 1, start + 1))
        else:  # an entity or a composed character: one or two characters for the whole stretch
            for offset in range(1, count + 1):
                self.ends.append((index + offset, end if offset == count else start))
            if count > 1:
                self.starts.extend((index + offset, start) for offset in range(1, count))

    def write(self, text: str, start: int, end: int) -> None:
        if text:
            self._mark(start, end, len(text))
            self.parts.append(text)
            self.length += len(text)
            self.last = text[-1]

    def add(self, raw: str, start: int, widths: list[int] | None = None) -> None:
        """Text from markup[start:...]: `raw` as the markup has it, or (with `widths`) decoded, each
        character standing for that many characters of markup. Whitespace collapses as a browser's."""
        if widths is not None:
            for character, width in zip(raw, widths, strict=True):
                if character.isspace():
                    self._space(start, start + width)
                else:
                    self._normalised(character, start, start + width)
                start += width
            return
        cursor = 0
        for space in _COLLAPSIBLE.finditer(raw):
            self._run(raw[cursor : space.start()], start + cursor)
            self._space(start + space.start(), start + space.end())
            cursor = space.end()
        self._run(raw[cursor:], start + cursor)

    def _run(self, text: str, start: int) -> None:
        """Markup text whose only whitespace is single spaces: one character for one."""
        if text.startswith(" ") and (self.length == 0 or self.last in " \n"):
            text, start = text[1:], start + 1
        if text:
            self._normalised(text, start, start + len(text))

    def _space(self, start: int, end: int) -> None:
        if self.length and self.last not in " \n":
            self.write(" ", start, end)

    def _normalised(self, text: str, start: int, end: int) -> None:
        if text.isascii():
            self.write(text, start, end)
            return
        normal, points = nfc_with_offsets(text)
        if not points:
            self.write(normal, start, end)
            return
        for index, character in enumerate(normal):  # rare: text that NFC changes
            character_end = mapped_offset(points, index + 1) if index + 1 < len(normal) else len(text)
            self.write(character, start + mapped_offset(points, index), start + character_end)

    def synthetic(self, text: str, at: int) -> None:
        """Characters a browser draws that the markup does not hold (a list marker, a line break)."""
        self.write(text, at, at)

    def newline(self, at: int) -> None:
        if self.length == 0 or self.last == "\n":
            return
        if self.last == " ":
            self.truncate(self.length - 1)
        self.synthetic("\n", at)

    def truncate(self, length: int) -> None:
        """Drop what follows the first `length` characters (a space before a line break, the end)."""
        while self.length > length:
            extra = self.length - length
            last = self.parts.pop()
            if len(last) > extra:
                self.parts.append(last[:-extra])
            self.length -= min(extra, len(last))
        self.last = self.parts[-1][-1] if self.parts else ""
        while self.starts and self.starts[-1][0] >= length:
            self.starts.pop()
        while self.ends and self.ends[-1][0] > length:
            self.ends.pop()

    def text(self) -> str:
        return "".join(self.parts)


@dataclass
class _Open:
    """An element open at the current position, with what its opening changed."""

    name: str
    shown: bool = False  # opened where text is shown: its close ends a block too
    furniture: bool = False  # a nav or page footer: links inside are not sources
    content: bool = False  # an article or main element
    href: str | None = None  # a link outside the furniture: its target
    anchor_start: int = 0  # where that link's text began
    list_next: int = 1  # an <ol>: the number its next item shows


@dataclass
class _State:
    invisible: int = 0  # invisible elements open around the current position
    furniture: int = 0  # nav and page-footer elements open
    content: int = 0  # article and main elements open
    body: int = 0  # body elements open
    title: list[str] | None = None  # the text of the first <title>
    title_done: bool = False  # that title has closed
    stack: list[_Open] = field(default_factory=list)
    open_names: dict[str, int] = field(default_factory=dict)  # how many of each element are open


def _is_source_href(href: str) -> bool:
    """An in-page anchor ("#fn1") points inside the document itself; it cites nothing."""
    return not href.startswith("#")


class _Reader(HTMLParser):
    def __init__(self, markup: str, body_only: bool) -> None:
        super().__init__(convert_charrefs=False)
        self.markup = markup
        self.body_only = body_only
        self.line_starts = [0, *(match.end() for match in re.finditer("\n", markup))]
        self.out = _Text()
        self.links: list[SourceLink] = []
        self.state = _State()

    def position(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def _visible(self) -> bool:
        return not self.state.invisible and (self.state.body > 0 or not self.body_only)

    # -- elements ---------------------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open(tag, attrs)
        if tag in _VOID:
            self._close(self.state.stack.pop())

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open(tag, attrs)
        self._close(self.state.stack.pop())

    def handle_endtag(self, tag: str) -> None:
        if not self.state.open_names.get(tag):
            return  # a stray end tag closes nothing
        while self.state.stack:
            element = self.state.stack.pop()
            self._close(element)
            if element.name == tag:
                break

    def _open(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        state = self.state
        element = _Open(tag)
        state.stack.append(element)
        state.open_names[tag] = state.open_names.get(tag, 0) + 1
        if tag == "title" and state.title is None:
            state.title = []
        if tag == "body":
            state.body += 1
        if tag in _INVISIBLE:
            state.invisible += 1
        if tag == "ol":
            start = dict(attrs).get("start")
            element.list_next = int(start) if start and start.strip().isdigit() else 1
        if not self._visible():
            return
        element.shown = True
        at = self.position()
        if tag in _BLOCK:
            self.out.newline(at)
        if tag == "li":
            self._list_marker(at)
        if tag == "nav" or (tag == "footer" and not state.content):
            element.furniture = True
            state.furniture += 1
        if tag in _CONTENT:
            element.content = True
            state.content += 1
        if tag == "a" and not state.furniture:
            element.href = dict(attrs).get("href") or ""
            element.anchor_start = self.out.length

    def _list_marker(self, at: int) -> None:
        """The number or bullet a browser draws before a list item: source lists keep their shape."""
        stack = self.state.stack
        parent = stack[-2] if len(stack) > 1 else None
        if parent is None or parent.name != "ol":
            self.out.synthetic("- ", at)
            return
        self.out.synthetic(f"{parent.list_next}. ", at)
        parent.list_next += 1

    def _close(self, element: _Open) -> None:
        state = self.state
        state.open_names[element.name] -= 1
        if element.name == "title" and state.title is not None:
            state.title_done = True
        if element.name in _INVISIBLE:
            state.invisible -= 1
        if element.name == "body":
            state.body -= 1
        if not element.shown:
            return
        if element.name in _BLOCK:
            self.out.newline(self.position())
        state.furniture -= element.furniture
        state.content -= element.content
        href = (element.href or "").strip()
        if href and _is_source_href(href):
            self.links.append(SourceLink(url=href, anchor=Span(element.anchor_start, self.out.length)))

    # -- text -------------------------------------------------------------------------------------

    def _title_text(self, text: str) -> None:
        if self.state.title is not None and not self.state.title_done:  # the first <title> only
            self.state.title.append(text)

    def handle_data(self, data: str) -> None:
        self._title_text(data)
        if self._visible():
            self.out.add(data, self.position())

    def _reference(self, raw_start: int, name: str, prefix: str) -> None:
        markup = self.markup
        end = raw_start + len(prefix) + len(name)
        if markup.startswith(";", end):
            end += 1
        raw = markup[raw_start:end]
        decoded = html.unescape(raw)
        self._title_text(decoded)
        if not self._visible():
            return
        if decoded == raw:  # not a reference after all ("&bogus;", "AT&T"): the characters as written
            self.out.add(raw, raw_start)
            return
        widths = [0] * len(decoded)
        widths[0] = end - raw_start
        self.out.add(decoded, raw_start, widths)

    def handle_entityref(self, name: str) -> None:
        self._reference(self.position(), name, "&")

    def handle_charref(self, name: str) -> None:
        self._reference(self.position(), name, "&#")

    def close_all(self) -> None:
        while self.state.stack:
            self._close(self.state.stack.pop())


def html_document(name: str, markup: str, *, sha256: str, size: int, encoding: str) -> Document:
    reader = _Reader(markup, body_only=_BODY.search(markup) is not None)
    reader.feed(markup)
    reader.close()
    reader.close_all()
    out = reader.out
    full = out.text()
    text = full.rstrip("\n ")
    if len(text) < len(full):
        out.truncate(len(text))
    # An anchor at the very end may have stood on whitespace the strip just took off.
    links = tuple(
        link
        if link.anchor.end <= len(text)
        else SourceLink(url=link.url, anchor=Span(min(link.anchor.start, len(text)), len(text)))
        for link in reader.links
    )
    title = " ".join("".join(reader.state.title or ()).split())
    return Document(
        path=name,
        sha256=sha256,
        text=text,
        size=size,
        encoding=encoding,
        media_type="text/html",
        title=title or None,
        links=links,
        offset_map=tuple(out.starts),
        end_map=tuple(out.ends),
        source_lines=tuple(reader.line_starts),
    )
