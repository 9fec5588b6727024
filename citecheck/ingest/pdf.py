"""PDF: the text layer page by page (PDFium, through pypdfium2), with the URLs of link annotations.

PDF bytes in; a Document out whose text reads like the same report saved as plain text:
- lines wrapped by the layout are joined back into their paragraph (a line that ends short of the
  right margin, by more than the next line's first word, ends its paragraph), so a sentence and a
  reference entry each stand on one line and line numbers agree with the report as a text file;
- a blank line stands where the page leaves a line's height or more of space (between paragraphs,
  above the footnotes); pages are separated by a form feed at the start of each page's first line,
  as pdftotext writes them, and `Document.page_starts` records where each page begins;
- footnotes and endnotes are kept where the page has them; a raised, smaller footnote number
  ("failed.¹") becomes "[1]", so it is not read as part of the word or URL before it;
- a word hyphenated at a line end is mended: PDFium marks such a hyphen, which is dropped inside a
  word and kept inside a URL (URLs are broken at their own hyphens); a URL the layout broke across
  lines elsewhere (after a slash, before "2021.pdf") is joined back;
- a link annotation's target URL is kept with the span of the text it covers, like an HTML href.

Pages are read one at a time and closed, so memory stays flat in the page count. A PDF without any
text layer is a scan: an InputError says to OCR it first, rather than an empty result.
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass, field

from ..errors import InputError
from ..models import Document, SourceLink, Span

__all__ = ["pdf_document"]

_SOFT_HYPHEN = "\ufffe"  # what PDFium puts where a word was hyphenated across lines (the break is gone)
_PAGE_BREAK = "\f"
# A line that begins a list item or a note: "1 For another...", "12. Ibid.", "• ", "- ".
_ITEM_START = re.compile(r"(?:\[?\d{1,3}[.)\]]?|[\u2022\u25aa\u2013*-])\s")
_URL_TOKEN = re.compile(r"(?:https?://|www\.)\S+$", re.IGNORECASE)
_URL_CHARS = re.compile(r"[\w\-./~%?=&#+:;,@!$'*()\[\]]+")
_URL_BREAK_AFTER = "/-_.=?&#%~"  # a URL cut after one of these is certainly not finished
# Digits right after a word (PDFium may put a space between, for the change of baseline): a footnote
# number if set smaller and raised, checked on the page.
_MARKER = re.compile(r"(?<=[^\s\d]) ?(\d{1,3})(?=[\s,.;:)]|$)")


@dataclass(slots=True)
class _Line:
    start: int  # char index of the first character in the page's text
    end: int  # one past the last
    left: float
    right: float
    top_bottom: float  # baseline region of its first character
    bottom: float  # ... and of its last (PDFium may have joined a hyphenated line onto it)
    size: float  # font size of its first character
    first_word_width: float


@dataclass(slots=True)
class _Builder:
    """The document text as it grows, with where each stretch of page text went (for link anchors)."""

    parts: list[str] = field(default_factory=list)
    length: int = 0
    # (char index in the page's text, offset in the document text, length) of each stretch copied
    copied: list[tuple[int, int, int]] = field(default_factory=list)

    def add(self, text: str, page_index: int | None = None) -> None:
        if page_index is not None:
            self.copied.append((page_index, self.length, len(text)))
        self.parts.append(text)
        self.length += len(text)

    def last_token(self) -> str:
        """The last whitespace-free run of the text so far (looking back at most 2,000 characters)."""
        tail = ""
        for part in reversed(self.parts):
            tail = part + tail
            if len(tail) > 2000 or any(c.isspace() for c in part):
                break
        pieces = tail.rsplit(None, 1)
        return pieces[-1] if pieces and not tail[-1:].isspace() else ""

    def offset_of(self, page_index: int) -> int | None:
        for start, offset, length in self.copied:
            if start <= page_index < start + length:
                return offset + page_index - start
        return None


def _box(textpage: object, index: int) -> tuple[float, float, float, float]:
    import pypdfium2.raw as raw

    left, right, bottom, top = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    raw.FPDFText_GetCharBox(textpage, index, left, right, bottom, top)
    return left.value, right.value, bottom.value, top.value


def _font_size(textpage: object, index: int) -> float:
    import pypdfium2.raw as raw

    return float(raw.FPDFText_GetFontSize(textpage, index))


def _lines(text: str, textpage: object) -> list[_Line]:
    lines: list[_Line] = []
    start = 0
    while start <= len(text):
        end = text.find("\r\n", start)
        end = len(text) if end < 0 else end
        if end > start:
            first, last = start, end - 1
            while first < last and text[first].isspace():
                first += 1
            while last > first and text[last].isspace():
                last -= 1
            left, _, top_bottom, _ = _box(textpage, first)
            _, right, bottom, _ = _box(textpage, last)
            bottom = min(bottom, top_bottom)  # a raised footnote number at the end is not the baseline
            word_end = first
            while word_end < end and not text[word_end].isspace():
                word_end += 1
            word_right = _box(textpage, max(first, word_end - 1))[1]
            lines.append(
                _Line(
                    start,
                    end,
                    left,
                    right,
                    top_bottom,
                    bottom,
                    _font_size(textpage, first),
                    word_right - left,
                )
            )
        start = end + 2
    return lines


def _item_number(text: str, line: _Line) -> int | None:
    match = _ITEM_START.match(text, line.start)
    digits = match.group().strip("[].) \t") if match else ""
    return int(digits) if digits.isdigit() else None


def _joins_paragraph(line: _Line, following: _Line, text: str, margin: float, item: int | None) -> bool:
    """Whether `following` continues the paragraph `line` belongs to (the layout wrapped it).

    `item` is the number the paragraph began with ("3 See ..."), if any: a line beginning with the
    next number starts the next note even when the last line of this one happens to be full.
    """
    if abs(line.bottom - following.top_bottom) < 0.3 * line.size and following.left > line.right:
        return True  # the same printed line, which PDFium split (at a raised footnote number)
    if abs(line.size - following.size) > 0.5:
        return False
    if line.bottom - following.top_bottom > 1.6 * max(line.size, 1.0):
        return False  # space between them: a new paragraph
    number = _item_number(text, following)
    if number is not None and (item is None or number == item + 1):
        if item is not None or not text[following.start].isdigit():
            return False
    # The next word plus a space would have fitted: the line was ended on purpose. One em of slack
    # covers the space, justification and a margin that is only known from the longest line.
    return margin - line.right <= following.first_word_width + line.size


def _superscripts(text: str, textpage: object, start: int, end: int) -> list[tuple[int, int]]:
    """Runs of digits set raised and smaller right after a word: footnote markers."""
    found: list[tuple[int, int]] = []
    for match in _MARKER.finditer(text[start:end]):
        first = start + match.start(1)
        before = _font_size(textpage, start + match.start() - 1)
        if before and _font_size(textpage, first) < 0.8 * before:
            base_before, base_here = _box(textpage, start + match.start() - 1)[2], _box(textpage, first)[2]
            if base_here > base_before + 0.15 * before:
                found.append((start + match.start(), start + match.end()))
    return found


def _mend(segment: str, in_url: bool) -> str:
    return segment.replace(_SOFT_HYPHEN, "-" if in_url else "")


def _add_line(builder: _Builder, text: str, line: _Line, textpage: object) -> None:
    """Copy one line, with footnote markers bracketed and hyphenation mended."""
    position = line.start
    for marker_start, marker_end in [
        *_superscripts(text, textpage, line.start, line.end),
        (line.end, line.end),
    ]:
        stretch = text[position:marker_start]
        if _SOFT_HYPHEN in stretch:
            pieces = stretch.split(_SOFT_HYPHEN)
            at = position
            for number, piece in enumerate(pieces):
                builder.add(piece, at)
                at += len(piece) + 1
                if number < len(pieces) - 1:
                    if _URL_TOKEN.search(builder.last_token()):
                        builder.add("-")
        else:
            builder.add(stretch, position)
        if marker_end > marker_start:
            digits = text[marker_start:marker_end].lstrip(" ")
            builder.add("[")
            builder.add(digits, marker_end - len(digits))
            builder.add("]")
        position = marker_end


def _continues_url(builder: _Builder, text: str, following: _Line) -> bool:
    """Whether a URL ending this line goes on at the start of the next (a layout break inside it)."""
    token = builder.last_token()
    if not token or not _URL_TOKEN.search(token):
        return False
    word_end = following.start
    while word_end < following.end and not text[word_end].isspace():
        word_end += 1
    word = text[following.start : word_end].rstrip(".,;:)\u201d\"'")
    if not word or not _URL_CHARS.fullmatch(word):
        return False
    return token[-1] in _URL_BREAK_AFTER or re.search(r"[/._\-=?&#%]", word) is not None


def _page_text(builder: _Builder, text: str, textpage: object) -> None:
    lines = _lines(text, textpage)
    if not lines:
        return
    margin = max(line.right for line in lines)
    item = _item_number(text, lines[0])
    for number, line in enumerate(lines):
        _add_line(builder, text, line, textpage)
        if number + 1 == len(lines):
            break
        following = lines[number + 1]
        if _joins_paragraph(line, following, text, margin, item):
            if not _continues_url(builder, text, following):
                builder.add(" ")
            continue
        builder.add("\n")
        item = _item_number(text, following)
        if line.bottom - following.top_bottom > 1.6 * max(line.size, following.size, 1.0):
            builder.add("\n")  # a line's height or more of space: a blank line, as in the text file


def _links(
    document: object, page: object, textpage: object, text: str, builder: _Builder
) -> list[SourceLink]:
    import pypdfium2.raw as raw

    links: list[SourceLink] = []
    position = ctypes.c_int(0)
    link = raw.FPDF_LINK()
    while raw.FPDFLink_Enumerate(page, ctypes.byref(position), ctypes.byref(link)):
        action = raw.FPDFLink_GetAction(link)
        if not action or raw.FPDFAction_GetType(action) != raw.PDFACTION_URI:
            continue
        size = raw.FPDFAction_GetURIPath(document, action, None, 0)
        if size <= 1 or size > 8192:
            continue
        buffer = ctypes.create_string_buffer(size)
        raw.FPDFAction_GetURIPath(document, action, buffer, size)
        url = buffer.value.decode("utf-8", "replace").strip()
        rect = raw.FS_RECTF()
        if not url or not raw.FPDFLink_GetAnnotRect(link, ctypes.byref(rect)):
            continue
        anchor = _anchor(textpage, text, rect, builder)
        if anchor is not None:
            links.append(SourceLink(url=url, anchor=anchor))
    return links


def _anchor(textpage: object, text: str, rect: object, builder: _Builder) -> Span | None:
    """The span of the document text a link rectangle covers: the characters whose centre is inside."""
    left, right = min(rect.left, rect.right), max(rect.left, rect.right)  # type: ignore[attr-defined]
    bottom, top = min(rect.bottom, rect.top), max(rect.bottom, rect.top)  # type: ignore[attr-defined]
    inside = []
    for index, character in enumerate(text):
        if character.isspace():
            continue
        char_left, char_right, char_bottom, char_top = _box(textpage, index)
        x, y = (char_left + char_right) / 2, (char_bottom + char_top) / 2
        if left <= x <= right and bottom <= y <= top:
            offset = builder.offset_of(index)
            if offset is not None:
                inside.append(offset)
    if not inside:
        return None
    return Span(min(inside), max(inside) + 1)


def pdf_document(name: str, data: bytes, *, sha256: str) -> Document:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        reason = str(exc)
        if "password" in reason.lower():
            raise InputError(name, "the PDF is encrypted: it needs a password to read") from None
        raise InputError(name, f"not a readable PDF ({reason})") from None
    builder = _Builder()
    page_starts: list[int] = []
    links: list[SourceLink] = []
    try:
        title = (pdf.get_metadata_value("Title") or "").strip() or None
        for page_number in range(len(pdf)):
            if page_number:
                builder.add("\n" + _PAGE_BREAK)
                page_starts.append(builder.length - 1)
            builder.copied = []
            page = pdf[page_number]
            textpage = page.get_textpage()
            try:
                text = textpage.get_text_range()
                if len(text) == textpage.count_chars():  # else indices would not match: text only
                    _page_text(builder, text, textpage.raw)
                    links += _links(pdf.raw, page.raw, textpage.raw, text, builder)
                else:
                    builder.add(text.replace("\r\n", "\n"))
            finally:
                textpage.close()
                page.close()
    finally:
        pdf.close()
    document_text = "".join(builder.parts)
    if not document_text.replace(_PAGE_BREAK, "").strip():
        raise InputError(name, "no text layer; OCR it first (the PDF holds only images)")
    return Document(
        path=name,
        sha256=sha256,
        text=document_text,
        size=len(data),
        encoding="pdf",
        media_type="application/pdf",
        title=title,
        links=tuple(links),
        page_starts=tuple(page_starts),
    )
