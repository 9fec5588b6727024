"""Word (.docx): body text, hyperlink targets, footnotes and endnotes (python-docx opens the package).

DOCX bytes in; a Document out whose text reads like the draft saved as plain text: one line per
paragraph (table cells are paragraphs too), footnote and endnote references as "[n]" where they
stand, and the notes themselves after the body under "Footnotes" and "Endnotes", each note on its
own line starting with its number, as Word writes them to a text file. A hyperlink's target (a
relationship, or a HYPERLINK field) is kept with the span of its text, like an HTML href; links to
bookmarks inside the document cite nothing and are left out.

The XML is walked in document order rather than through python-docx's paragraph objects, which do
not see runs inside tracked insertions, content controls or fields. Deleted text is left out.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError
from ..models import Document, SourceLink, Span

__all__ = ["docx_document"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_RT_FOOTNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
_RT_ENDNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes"
_SKIPPED = {f"{_W}del", f"{_W}delText", f"{_W}instrText", f"{_W}rPr", f"{_W}pPr", f"{_W}commentReference"}
_FIELD_URL = re.compile(r'HYPERLINK\s+"([^"]+)"')


@dataclass(slots=True)
class _Text:
    parts: list[str] = field(default_factory=list)
    length: int = 0
    links: list[SourceLink] = field(default_factory=list)
    field_url: str | None = None  # the target of the HYPERLINK field being read
    field_start: int | None = None

    def add(self, text: str) -> None:
        if text:
            self.parts.append(text)
            self.length += len(text)


def _walk(element: Any, rels: dict[str, str], out: _Text) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIPPED:
            if tag == f"{_W}instrText":
                found = _FIELD_URL.search(child.text or "")
                if found:
                    out.field_url = found.group(1)
            continue
        if tag == f"{_W}t":
            out.add(child.text or "")
        elif tag in (f"{_W}tab", f"{_W}ptab"):
            out.add("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            out.add(" " if child.get(f"{_W}type") == "page" else "\n")
        elif tag == f"{_W}noBreakHyphen":
            out.add("-")
        elif tag in (f"{_W}footnoteReference", f"{_W}endnoteReference"):
            out.add(f"[{child.get(f'{_W}id')}]")
        elif tag == f"{_W}fldChar":
            kind = child.get(f"{_W}fldCharType")
            if kind == "separate" and out.field_url:
                out.field_start = out.length
            elif kind == "end" and out.field_url and out.field_start is not None:
                _link(out, out.field_url, out.field_start)
                out.field_url = out.field_start = None
        elif tag == f"{_W}hyperlink":
            start = out.length
            _walk(child, rels, out)
            target = rels.get(child.get(f"{_R}id") or "")
            if target:
                _link(out, target, start)
        elif tag == f"{_W}fldSimple":
            start = out.length
            _walk(child, rels, out)
            found = _FIELD_URL.search(child.get(f"{_W}instr") or "")
            if found:
                _link(out, found.group(1), start)
        else:
            _walk(child, rels, out)


def _link(out: _Text, url: str, start: int) -> None:
    if url.strip() and not url.startswith("#") and out.length > start:
        out.links.append(SourceLink(url=url.strip(), anchor=Span(start, out.length)))


def _paragraphs(container: Any) -> Iterator[Any]:
    """Paragraphs in reading order, table cells included."""
    yield from container.iter(f"{_W}p")


def _targets(part: Any) -> dict[str, str]:
    return {rel_id: rel.target_ref for rel_id, rel in part.rels.items() if rel.is_external}


def _notes(document_part: Any, relationship: str, tag: str) -> list[tuple[str, Any, dict[str, str]]]:
    """(id, note element, its hyperlink targets) of each real note (not the separators Word adds)."""
    from docx.oxml import parse_xml

    for rel in document_part.rels.values():
        if rel.reltype == relationship and not rel.is_external:
            part = rel.target_part
            root = parse_xml(part.blob)
            targets = _targets(part)
            return [
                (note.get(f"{_W}id"), note, targets)
                for note in root.iter(f"{_W}{tag}")
                if note.get(f"{_W}type") in (None, "normal")
            ]
    return []


def _add_paragraph(out: _Text, paragraph: Any, rels: dict[str, str], prefix: str = "") -> None:
    if out.length:
        out.add("\n")
    out.add(prefix)
    _walk(paragraph, rels, out)


def docx_document(name: str, data: bytes, *, sha256: str) -> Document:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        opened = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(name, f"not a readable Word document ({exc})") from None
    part = opened.part
    out = _Text()
    rels = _targets(part)
    for paragraph in _paragraphs(opened.element.body):
        _add_paragraph(out, paragraph, rels)
    for heading, relationship, tag in (
        ("Footnotes", _RT_FOOTNOTES, "footnote"),
        ("Endnotes", _RT_ENDNOTES, "endnote"),
    ):
        notes = _notes(part, relationship, tag)
        if not notes:
            continue
        out.add(f"\n\n{heading}\n")
        for number, (note_id, note, targets) in enumerate(notes):
            for index, paragraph in enumerate(_paragraphs(note)):
                if number or index:
                    out.add("\n")
                out.add(f"{note_id} " if index == 0 else "")
                _walk(paragraph, targets, out)
    text = "".join(out.parts).rstrip()
    if not text.strip():
        raise InputError(name, "the Word document holds no text")
    title = (opened.core_properties.title or "").strip() or None
    return Document(
        path=name,
        sha256=sha256,
        text=text,
        size=len(data),
        encoding="docx",
        media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        title=title,
        links=tuple(link for link in out.links if link.anchor.end <= len(text)),
    )
