"""What a fetched HTML page says, read at a bounded cost and off the event loop.

Pages come from servers citecheck does not control, so reading one must cost little whatever it holds:
a page of a million `<title>` tags, five megabytes of unclosed tag soup, or text nested ten thousand deep.

* The title comes from a plain scan for the first `<title>`: one search for the tag, one for its end, no
  regular expression that could backtrack, within the first `TITLE_SCAN_BYTES`.
* The text comes from lxml's HTML parser (libxml2: linear time, recovers from any markup, stops nesting
  at 256 levels), given at most `PARSE_BYTES` of the page. The walk over the tree stops at `MAX_NODES`
  elements, `MAX_BLOCKS` blocks, `MAX_TEXT_CHARS` characters, or the deadline.
* `read_off_loop` runs that work in a small pool of worker threads (libxml2 releases the GIL while it
  parses) and waits at most `PARSE_SECONDS`; a page that takes longer is left unjudged rather than
  holding up every other check, timeout and heartbeat of the run.

A page's text is kept as blocks, one per block-level element, so that soft404.py can tell a site's
template (the blocks a page shares with the same site's not-found page) from the page's own content.
"""

from __future__ import annotations

import asyncio
import codecs
import html
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from lxml import etree  # type: ignore[import-untyped]

__all__ = [
    "PARSE_BYTES",
    "PARSE_SECONDS",
    "Block",
    "PageContent",
    "decode_page",
    "page_content",
    "page_title",
    "parse_html",
    "read_blocks",
    "read_off_loop",
]

TITLE_SCAN_BYTES = 256 * 1024
MAX_TITLE_CHARS = 2000
PARSE_BYTES = 512 * 1024  # about 30 MB of parse tree at worst (flat tag soup), a few MB for a real page
MAX_NODES = 100_000
MAX_BLOCKS = 10_000  # a real page has a few hundred; the comparison needs no more
MAX_TEXT_CHARS = 300_000
PARSE_SECONDS = 2.0
_PARSE_THREADS = 2  # the machine's cores; also bounds the memory of parses at once

_BLOCK_TAGS = frozenset(
    """
    address article aside blockquote body caption dd details dialog div dl dt fieldset figcaption figure
    footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody td tfoot th
    thead tr ul br title
    """.split()
)
_HIDDEN_TAGS = ("script", "style", "noscript", "template", "svg", "head")
_HEADING_TAGS = frozenset({"h1", "h2"})


@dataclass(frozen=True, slots=True)
class Block:
    """The visible text of one block-level element (whitespace collapsed) and how much of it is link text."""

    text: str
    link_chars: int = 0

    @property
    def words(self) -> int:
        return len(self.text.split())

    @property
    def is_prose(self) -> bool:
        """Mostly words, not links: a navigation list is links, an article paragraph is prose."""
        return self.link_chars * 2 < len(self.text)


@dataclass(frozen=True, slots=True)
class PageContent:
    title: str
    blocks: tuple[Block, ...]
    headings: tuple[str, ...]  # h1 and h2 texts
    complete: bool = True  # False when a cap or the deadline cut the reading short


# -- the title: a scan, not a parse -------------------------------------------------------------------


def _find_tag(lowered: bytes, name: bytes, start: int) -> int:
    """Where the next `<name` tag (followed by `>`, `/` or whitespace) starts, or -1. Linear."""
    position = lowered.find(name, start)
    while position >= 0:
        after = lowered[position + len(name) : position + len(name) + 1]
        if after in (b">", b"/", b" ", b"\t", b"\n", b"\r", b"\f"):
            return position
        position = lowered.find(name, position + 1)
    return -1


def page_title(body: bytes) -> str:
    """The first <title>'s text, entities resolved, in the page's declared charset (else UTF-8).

    One pass: the first `<title` opening tag, the first `</title` after it; a title that never closes is
    no title. Tags inside are dropped. Only the first TITLE_SCAN_BYTES are looked at.
    """
    lowered = body[:TITLE_SCAN_BYTES].lower()
    start = _find_tag(lowered, b"<title", 0)
    if start < 0:
        return ""
    open_end = lowered.find(b">", start)
    close = lowered.find(b"</title", open_end + 1) if open_end >= 0 else -1
    if close < 0:
        return ""
    raw = body[open_end + 1 : min(close, open_end + 1 + 4 * MAX_TITLE_CHARS)]
    text = raw.decode(_declared_encoding(body), errors="replace")
    return " ".join(html.unescape(_without_tags(text)).split())[:MAX_TITLE_CHARS]


def _without_tags(text: str) -> str:
    """`text` with `<...>` runs replaced by spaces; a `<` that never closes is kept. Linear."""
    parts: list[str] = []
    position = 0
    while True:
        start = text.find("<", position)
        end = text.find(">", start + 1) if start >= 0 else -1
        if start < 0 or end < 0:
            parts.append(text[position:])
            return " ".join(parts)
        parts.append(text[position:start])
        position = end + 1


def _declared_encoding(body: bytes) -> str:
    """The charset a `<meta>` in the first 4 KiB declares, if Python knows it; else UTF-8 (BOM: UTF-8)."""
    if body.startswith(b"\xef\xbb\xbf"):
        return "utf-8"
    head = body[:4096].lower()
    position = head.find(b"charset")
    while position >= 0:
        rest = head[position + 7 : position + 80].lstrip()
        if rest.startswith(b"="):
            name = rest[1:].lstrip().lstrip(b"\"'")
            end = 0
            while end < len(name) and (chr(name[end]).isalnum() or name[end] in b"._:-"):
                end += 1
            try:
                return codecs.lookup(name[:end].decode("ascii")).name
            except (LookupError, UnicodeDecodeError):
                return "utf-8"  # an unknown charset name: read it as UTF-8, replacing what does not decode
        position = head.find(b"charset", position + 7)
    return "utf-8"


def decode_page(body: bytes) -> str:
    """At most PARSE_BYTES of the page as text, in its declared charset."""
    return body[:PARSE_BYTES].decode(_declared_encoding(body), errors="replace")


def _without_xml_declaration(text: str) -> str:
    """An XHTML page's `<?xml ... encoding=...?>` removed: lxml refuses a decoded string that declares one."""
    start = len(text) - len(text.lstrip("\ufeff \t\r\n"))
    if not text.startswith("<?xml", start):
        return text
    end = text.find("?>", start)
    return text[end + 2 :] if end >= 0 else text


# -- the text: a bounded parse --------------------------------------------------------------------------


def parse_html(body: bytes) -> Any | None:
    """The lxml tree of the first PARSE_BYTES of an HTML page, comments and processing instructions
    dropped; None if nothing could be parsed. Linear time; blocking: call it through `read_off_loop`."""
    parser = etree.HTMLParser(recover=True, no_network=True, remove_comments=True, remove_pis=True)
    try:
        return etree.fromstring(_without_xml_declaration(decode_page(body)), parser)
    except (etree.LxmlError, ValueError):
        return None


def read_blocks(element: Any, deadline: float) -> tuple[tuple[Block, ...], bool]:
    """The text blocks inside `element`, and whether the walk read all of it before a cap or the deadline."""
    reader = _BlockReader(deadline)
    complete = reader.read(element)
    return tuple(reader.blocks), complete


def page_content(body: bytes, deadline: float | None = None) -> PageContent:
    """Title, text blocks and headings of an HTML page. Blocking: call it through `read_off_loop`."""
    deadline = deadline if deadline is not None else time.monotonic() + PARSE_SECONDS
    title = page_title(body)
    root = parse_html(body)
    if root is None:
        return PageContent(title=title, blocks=(), headings=())
    etree.strip_elements(root, *_HIDDEN_TAGS, with_tail=False)
    blocks, complete = read_blocks(root, deadline)
    headings = tuple(
        " ".join(" ".join(element.itertext()).split())[:MAX_TITLE_CHARS]
        for _, element in zip(range(20), root.iter(*_HEADING_TAGS), strict=False)
    )
    return PageContent(
        title=title, blocks=blocks, headings=headings, complete=complete and len(body) <= PARSE_BYTES
    )


class _BlockReader:
    """Collects text into blocks while walking the tree once; gives up at a cap or the deadline."""

    def __init__(self, deadline: float) -> None:
        self.blocks: list[Block] = []
        self._deadline = deadline
        self._parts: list[str] = []
        self._link_chars = 0
        self._in_link = 0
        self._chars = 0

    def read(self, root: Any) -> bool:
        """Walk `root`; True if the whole tree was read."""
        for nodes, (event, element) in enumerate(etree.iterwalk(root, events=("start", "end"))):
            if nodes >= 2 * MAX_NODES or self._chars >= MAX_TEXT_CHARS or len(self.blocks) >= MAX_BLOCKS:
                self._flush()
                return False
            if nodes % 1000 == 0 and time.monotonic() > self._deadline:
                self._flush()
                return False
            tag = element.tag if isinstance(element.tag, str) else ""
            if event == "start":
                if tag in _BLOCK_TAGS:
                    self._flush()
                if tag == "a":
                    self._in_link += 1
                self._add(element.text)
            else:
                if tag == "a":
                    self._in_link -= 1
                if tag in _BLOCK_TAGS:
                    self._flush()
                if element is not root:  # the text after the element walked is not inside it
                    self._add(element.tail)
        self._flush()
        return True

    def _add(self, text: str | None) -> None:
        if not text:
            return
        self._parts.append(text)
        self._chars += len(text)
        if self._in_link:
            self._link_chars += len(text.strip())

    def _flush(self) -> None:
        text = " ".join(" ".join(self._parts).split())
        if text:
            self.blocks.append(Block(text, min(self._link_chars, len(text))))
        self._parts, self._link_chars = [], 0


# -- off the loop -------------------------------------------------------------------------------------

_T = TypeVar("_T")
_pool: ThreadPoolExecutor | None = None


def _executor() -> ThreadPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=_PARSE_THREADS, thread_name_prefix="citecheck-parse")
    return _pool


async def read_off_loop(work: Callable[[float], _T], seconds: float = PARSE_SECONDS) -> _T | None:
    """`work(deadline)` in a worker thread; None if it is not done within `seconds`.

    The deadline is handed to the work too, so a walk that notices it stops instead of running on
    unobserved in its thread.
    """
    deadline = time.monotonic() + seconds
    future = asyncio.get_running_loop().run_in_executor(_executor(), work, deadline)
    try:
        return await asyncio.wait_for(future, seconds)
    except TimeoutError:
        return None
