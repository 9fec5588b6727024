"""Ingestion: paths, stdin and bytes in; a Document (decoded, NFC-normalised, offsets kept) out.

No later stage sees a path or raw bytes. Every refusal is an InputError for that one document,
so the pipeline can record it and go on with the batch.
"""

from __future__ import annotations

import hashlib
import os
import select
import stat
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from ..config import InputSettings
from ..errors import InputError
from ..models import Document, SkippedInput
from .text import decode, plain_document

__all__ = ["STDIN", "document_from_bytes", "expand_inputs", "read_document"]

STDIN = "-"
_HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
_MARKDOWN_SUFFIXES = {".md", ".markdown"}
_WIKI_SUFFIXES = {".wiki", ".wikitext", ".mediawiki"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 (.doc) and other OLE files
_RTF_MAGIC = b"{\\rtf"
_OPEN_DOCUMENT = b"mimetypeapplication/vnd.oasis.opendocument."  # the first entry of an ODF zip
_SAVE_AS = "save it as .docx or PDF"


def expand_inputs(
    paths: list[str],
    settings: InputSettings,
    skipped: dict[str, str] | None = None,
    passed_over: list[SkippedInput] | None = None,
) -> Iterator[str]:
    """Files as given, directories walked recursively (sorted) for files with a known extension.

    A walk reads regular files only, and does not follow a symbolic link out of the directory it was
    given unless `settings.follow_symlinks` (a link to ~/.git-credentials or /proc is not a document).
    What it leaves out for that reason (a FIFO, a socket or device, a dangling link, a link loop, a link
    out of the tree) is yielded too, in its place, with the reason in `skipped`, so a report can name it;
    without `skipped` it is left out silently. Regular files of kinds not read (not in
    `input.extensions`) are added to `passed_over`, with why. A directory that holds no document at all
    is yielded itself, so reading it gives that input its error ("holds no supported documents").
    """
    for raw in paths:
        if raw == STDIN:
            yield raw
            continue
        path = Path(raw)
        if not path.is_dir():
            yield raw
            continue
        unsupported: list[str] = []
        entries = sorted(_walk(path, settings, unsupported), key=lambda item: item[0])
        for child, reason in entries:
            if reason is None:
                yield child
            elif skipped is not None:
                skipped[child] = reason
                yield child
        if passed_over is not None:
            passed_over.extend(SkippedInput(name, _unsupported(Path(name))) for name in sorted(unsupported))
        if not entries:
            yield raw


def _walk(root: Path, settings: InputSettings, unsupported: list[str]) -> list[tuple[str, str | None]]:
    """(path, None) for each document under `root`, (path, why) for each entry skipped; regular files of
    other kinds go to `unsupported`."""
    found: list[tuple[str, str | None]] = []
    top = root.resolve()

    def visit(directory: Path, open_directories: frozenset[Path]) -> None:
        try:
            entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
        except OSError as exc:
            found.append((str(directory), f"skipped: cannot list this directory ({exc.strerror or exc})"))
            return
        for entry in entries:
            path = Path(entry.path)
            is_link = entry.is_symlink()
            try:
                target = path.resolve(strict=True)
            except FileNotFoundError:
                found.append((str(path), "skipped: dangling symbolic link"))
                continue
            except (OSError, RuntimeError):  # ELOOP (RuntimeError on older Pythons)
                found.append((str(path), "skipped: symbolic link loop"))
                continue
            is_dir = target.is_dir()
            wanted = is_dir or path.suffix.lower() in settings.extensions
            if is_link and not settings.follow_symlinks and not target.is_relative_to(top):
                if wanted:
                    found.append((str(path), f"skipped: symbolic link out of {root} (use --follow-symlinks)"))
                continue
            if is_dir:
                if target in open_directories:
                    found.append((str(path), f"skipped: symbolic link loop back to {target}"))
                else:
                    visit(path, open_directories | {target})
            elif wanted:
                kind = _special_kind(target)
                found.append((str(path), None if kind is None else f"skipped: {kind}, not a regular file"))
            elif _special_kind(target) is None:
                unsupported.append(str(path))

    visit(root, frozenset({top}))
    return found


def _unsupported(path: Path) -> str:
    kind = f"{path.suffix.lower()} files" if path.suffix else "files without an extension"
    return f"{kind} are not read (input.extensions)"


def _no_documents(path: Path, settings: InputSettings) -> str:
    """Why a directory gave no document: what it holds instead, and what would have been read."""
    files = [child for child in sorted(path.rglob("*")) if child.is_file()]
    supported = ", ".join(settings.extensions)
    if not files:
        return f"holds no files (documents are read from: {supported})"
    kinds = Counter(child.suffix.lower() or "without an extension" for child in files)
    held = ", ".join(f"{count} {kind}" for kind, count in kinds.most_common(6))
    names = ", ".join(child.name for child in files[:3]) + (", …" if len(files) > 3 else "")
    return (
        f"holds no supported documents: skipped {len(files)} file{'s' if len(files) != 1 else ''} "
        f"({held}: {names}); documents are read from {supported} (input.extensions)"
    )


def _special_kind(path: Path) -> str | None:
    """What a non-regular file is ("FIFO", "socket", ...); None for a regular file."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return "unreadable entry"
    kinds = (
        (stat.S_ISREG, None),
        (stat.S_ISFIFO, "FIFO"),
        (stat.S_ISSOCK, "socket"),
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
    )
    for test, kind in kinds:
        if test(mode):
            return kind
    return "special file"


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
    """A PDF or Word file, recognised by its first bytes (and a Word file's name), else None.

    Kinds that are not read (Word 97-2003 and other OLE files, RTF, OpenDocument) and a .pdf that is not
    a PDF are errors that say so, rather than text decoded from markup or refused as "binary".
    """
    suffix = Path(name).suffix.lower()
    if data.startswith(b"%PDF-") or (suffix == ".pdf" and b"%PDF-" in data[:1024]):
        from .pdf import pdf_document

        return pdf_document(name, data, sha256=sha256)
    if data.startswith(b"PK\x03\x04") and (suffix in (".docx", ".docm") or b"word/" in data[:4096]):
        from .docx import docx_document

        return docx_document(name, data, sha256=sha256)
    if data.startswith(_OLE_MAGIC):
        if suffix in (".doc", ".dot", ".docx", ".docm"):
            raise InputError(name, f"Word 97-2003 (.doc) files are not read; {_SAVE_AS}")
        raise InputError(name, f"Office 97-2003 files (.doc, .xls, .ppt) are not read; {_SAVE_AS}")
    if data.startswith(_RTF_MAGIC):
        raise InputError(name, f"RTF files are not read; {_SAVE_AS}")
    if data.startswith(b"PK\x03\x04") and _OPEN_DOCUMENT in data[:100]:
        raise InputError(name, f"OpenDocument files (.odt) are not read; {_SAVE_AS}")
    if suffix == ".pdf":  # a page or file saved under a .pdf name: reading it as text would mislead
        raise InputError(name, "not a PDF: no %PDF- header in its first 1 KiB")
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
        from .html import html_document  # bs4, for HTML only

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
    """Read one input; `-` is standard input. Refuses oversized files before reading them.

    A FIFO or pipe (``<(command)``) is read up to `input.max_bytes`; one that no writer opens, or whose
    writer falls silent, for PIPE_IDLE_SECONDS is refused. Devices and sockets are refused: /dev/zero
    would never end.
    """
    if name == STDIN:
        data = sys.stdin.buffer.read(settings.max_bytes + 1)
        return document_from_bytes(name, data, settings)
    path = Path(name)
    if path.is_dir():  # expand_inputs yields a directory only when it holds no document
        raise InputError(name, _no_documents(path, settings))
    try:
        mode = path.stat().st_mode
        if stat.S_ISFIFO(mode):
            data = _read_pipe(name, settings.max_bytes + 1)
        elif not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
            raise InputError(
                name, f"not a regular file ({_special_kind(path)}); only files and pipes are read"
            )
        else:
            size = path.stat().st_size
            if size > settings.max_bytes:
                raise InputError(
                    name, f"file is too large ({size:,} bytes; the limit is {settings.max_bytes:,})"
                )
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


PIPE_IDLE_SECONDS = 10.0


def _read_pipe(name: str, limit: int) -> bytes:
    """At most `limit` bytes from a FIFO, until its writer closes it.

    Opened without blocking (a FIFO nobody has opened for writing would block `open` for ever), then read
    as data comes; waiting PIPE_IDLE_SECONDS for a writer, or for more data, ends in an InputError.
    """
    descriptor = os.open(name, os.O_RDONLY | os.O_NONBLOCK)
    chunks: list[bytes] = []
    size = 0
    try:
        while size < limit:
            readable, _, _ = select.select([descriptor], [], [], PIPE_IDLE_SECONDS)
            if not readable:
                raise InputError(name, f"nothing came through the pipe for {PIPE_IDLE_SECONDS:g} s")
            try:
                chunk = os.read(descriptor, min(65536, limit - size))
            except BlockingIOError:
                continue
            if not chunk:  # the writer closed it
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(descriptor)
    return b"".join(chunks)
