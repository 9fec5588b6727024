"""Decoding and Unicode normalisation for every input format.

Decoding order: a byte-order mark, then strict UTF-8, then charset-normalizer's best guess; bytes
that look binary (NUL bytes outside UTF-16/32, many control characters) are refused.
NFC normalisation runs per starter-led cluster, so each output character can be traced back to its
offset in the decoded text: reports quote offsets a user can find in the file they opened.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from ..errors import InputError
from ..models import Document

__all__ = ["decode", "nfc_with_offsets", "plain_document"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters other than tab, newline, carriage return and form feed.
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f]")
# Every byte _CONTROL does not match: deleting these leaves only the control bytes, to be counted.
_NOT_CONTROL = bytes(b for b in range(256) if not _CONTROL.match(bytes([b])))
# The characters NFC can change: non-ASCII runs, with the ASCII character a mark may compose with.
_NON_ASCII_RUN = re.compile(r"[\x00-\x7f]?[^\x00-\x7f]+")
_CLUSTER = re.compile(r".[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]*", re.DOTALL)


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    return len(sample.translate(None, _NOT_CONTROL)) > max(8, len(sample) // 100)


def decode(name: str, data: bytes) -> tuple[str, str]:
    """Return (text, encoding name) or raise InputError for binary or undecodable input."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                raise InputError(name, f"not valid {encoding} despite its byte-order mark") from None
    if _looks_binary(data):
        raise InputError(name, "looks like a binary file, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1_000_000]).best()
    if best is None or best.encoding is None:
        raise InputError(name, "cannot decode: not UTF-8 and no other encoding fits")
    try:
        return data.decode(best.encoding), best.encoding
    except (UnicodeDecodeError, LookupError):
        raise InputError(name, f"cannot decode as {best.encoding}") from None


def nfc_with_offsets(text: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """NFC-normalise; the second value is the sparse offset map `Document.offset_map` describes.

    Only runs of non-ASCII characters (with the ASCII character before them, which a combining mark
    may compose with) can change under NFC, and a run boundary is safe to cut at: an ASCII character
    neither composes with what precedes it nor reorders with anything. So each run is checked on its
    own and only runs that NFC changes are normalised cluster by cluster; the rest is copied.
    """
    if text.isascii() or unicodedata.is_normalized("NFC", text):  # ASCII text is NFC: no need to look
        return text, ()
    parts: list[str] = []
    points: list[tuple[int, int]] = []
    shift = 0  # decoded offset minus output index, for the stretch since the last point
    out = copied = 0  # output length so far; input offset copied up to

    def mark(index: int, original: int) -> None:
        nonlocal shift
        if original - index != shift:
            points.append((index, original))
            shift = original - index

    for run in _NON_ASCII_RUN.finditer(text):
        if unicodedata.is_normalized("NFC", run.group()):
            continue
        parts.append(text[copied : run.start()])
        out += run.start() - copied
        for match in _CLUSTER.finditer(text, run.start(), run.end()):
            cluster = match.group()
            normalised = unicodedata.normalize("NFC", cluster)
            parts.append(normalised)
            if len(normalised) == len(cluster):
                mark(out, match.start())
            else:  # characters a cluster composes into all point at the cluster's first character
                for index in range(len(normalised)):
                    mark(out + index, match.start())
            out += len(normalised)
        copied = run.end()
        mark(out, copied)  # what follows the run is copied as it is
    parts.append(text[copied:])
    return "".join(parts), tuple(points)


def first_line_title(text: str) -> str | None:
    # The title is nearly always in the first few lines: split those, not the whole document. The last
    # piece of a cut prefix may be part of a longer line, so it is never taken; the whole text is.
    for prefix_end in (1024, len(text)):
        lines = text[:prefix_end].splitlines()
        if prefix_end < len(text):
            lines = lines[:-1]
        for line in lines:
            stripped = line.strip().lstrip("#").strip()
            if stripped:
                return stripped[:200]
        if prefix_end >= len(text):
            break
    return None


def plain_document(
    name: str, text: str, *, sha256: str, size: int, encoding: str, media_type: str
) -> Document:
    normalised, offsets = nfc_with_offsets(text)
    return Document(
        path=name,
        sha256=sha256,
        text=normalised,
        size=size,
        encoding=encoding,
        media_type=media_type,
        title=first_line_title(normalised),
        offset_map=offsets,
    )
