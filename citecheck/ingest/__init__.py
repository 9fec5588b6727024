"""Ingestion: paths, stdin and bytes in; a Document (decoded, NFC-normalised, offsets kept) out.

No later stage sees a path or raw bytes. Every refusal is an InputError for that one document,
so the pipeline can record it and go on with the batch.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from ..config import InputSettings
from ..errors import InputError
from ..models import Document
from .html import html_document
from .text import decode, plain_document

__all__ = ["STDIN", "document_from_bytes", "expand_inputs", "read_document"]

STDIN = "-"
_HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
_MARKDOWN_SUFFIXES = {".md", ".markdown"}
_WIKI_SUFFIXES = {".wiki", ".wikitext", ".mediawiki"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 (.doc) and other OLE files


def expand_inputs(paths: list[str], settings: InputSettings) -> Iterator[str]:
    """Files as given, directories walked recursively (sorted) for files with a known extension."""
    for raw in paths:
        if raw == STDIN:
            yield raw
            continue
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in settings.extensions:
                    yield str(child)
        else:
            yield raw


def _media_type(name: str, data: bytes) -> str:
    suffix = Path(name).suffix.lower()
    if suffix in _HTML_SUFFIXES:
        return "text/html"
    if suffix in _MARKDOWN_SUFFIXES:
        return "text/markdown"
    if name == STDIN and data.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")):
        return "text/html"
    return "text/plain"


def _binary_document(name: str, data: bytes, sha256: str) -> Document | None:
    """A PDF or Word file, recognised by its first bytes (and a Word file's name), else None."""
    suffix = Path(name).suffix.lower()
    if data.startswith(b"%PDF-") or (suffix == ".pdf" and b"%PDF-" in data[:1024]):
        from .pdf import pdf_document

        return pdf_document(name, data, sha256=sha256)
    if data.startswith(b"PK\x03\x04") and (suffix in (".docx", ".docm") or b"word/" in data[:4096]):
        from .docx import docx_document

        return docx_document(name, data, sha256=sha256)
    if data.startswith(_OLE_MAGIC) and suffix in (".doc", ".dot"):
        raise InputError(name, "Word 97-2003 (.doc) files are not read; save it as .docx or PDF")
    return None


def _form_feed_pages(document: Document) -> Document:
    """Plain text with form feeds between pages (as pdftotext writes) has pages; each starts at a \f."""
    starts = tuple(index for index, character in enumerate(document.text) if character == "\f")
    return replace(document, page_starts=starts) if starts else document


def document_from_bytes(name: str, data: bytes, settings: InputSettings) -> Document:
    if len(data) > settings.max_bytes:
        raise InputError(
            name, f"file is too large ({len(data):,} bytes; the limit is {settings.max_bytes:,})"
        )
    if not data.strip():
        raise InputError(name, "document is empty")
    sha256 = hashlib.sha256(data).hexdigest()
    binary = _binary_document(name, data, sha256)
    if binary is not None:
        return binary
    text, encoding = decode(name, data)
    media_type = _media_type(name, data)
    if media_type == "text/html":
        return html_document(name, text, sha256=sha256, size=len(data), encoding=encoding)
    if Path(name).suffix.lower() in _WIKI_SUFFIXES:
        from .wiki import wiki_document

        title = Path(name).stem.replace("_", " ")
        return wiki_document(name, text, sha256=sha256, size=len(data), encoding=encoding, title=title)
    document = plain_document(
        name, text, sha256=sha256, size=len(data), encoding=encoding, media_type=media_type
    )
    return _form_feed_pages(document) if "\f" in document.text else document


def read_document(name: str, settings: InputSettings) -> Document:
    """Read one input; `-` is standard input. Refuses oversized files before reading them."""
    if name == STDIN:
        data = sys.stdin.buffer.read(settings.max_bytes + 1)
        return document_from_bytes(name, data, settings)
    path = Path(name)
    try:
        size = path.stat().st_size
        if size > settings.max_bytes:
            raise InputError(name, f"file is too large ({size:,} bytes; the limit is {settings.max_bytes:,})")
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except IsADirectoryError:
        raise InputError(name, "is a directory") from None
    except PermissionError:
        raise InputError(name, "permission denied") from None
    except OSError as exc:
        raise InputError(name, f"cannot read: {exc.strerror or exc}") from None
    return document_from_bytes(name, data, settings)
