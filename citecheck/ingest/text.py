"""Decoding and Unicode normalisation for every input format.

Decoding order: a byte-order mark, then strict UTF-8, then charset-normalizer's best guess; bytes
that look binary (NUL bytes outside UTF-16/32, many control characters) are refused.
NFC normalisation runs per starter-led cluster, so each output character can be traced back to its
offset in the decoded text: reports quote offsets a user can find in the file they opened.
"""

from __future__ import annotations

import bisect
import codecs
import re
import sys
import unicodedata

from ..errors import InputError
from ..models import Document

__all__ = ["decode", "mapped_offset", "nfc_with_offsets", "plain_document"]

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


# Markdown emphasis around words ("*The New York Times*", "__Reuters__"): opening marks after a space, a
# line start or an opening bracket or quote, before a non-space; closing marks the other way round.
# "* item" bullets, "a*b", snake_case and the underscores inside URLs are left alone.
_EMPHASIS = re.compile(
    r"(?:(?<=\s)|^|(?<=[(\[\"']))(?:\*{1,3}|_{1,3})(?=[^\s*_])"
    r"|(?<=[^\s*_])(?:\*{1,3}|_{1,3})(?=[\s.,;:!?)\]\"']|$)",
    re.MULTILINE,
)

OffsetMap = tuple[tuple[int, int], ...]


def mapped_offset(points: OffsetMap, index: int) -> int:
    """Where `index` goes under a sparse offset map (see Document.offset_map)."""
    found = bisect.bisect_right(points, (index, sys.maxsize)) - 1
    if found < 0:
        return index
    here, there = points[found]
    return there + index - here


_WHITESPACE = re.compile(r"\s")


def _inside_address(text: str, offset: int) -> bool:
    """Whether text[offset] follows a "://" with no space between: an underscore or asterisk in an
    address ("https://example.org/a_?b=1", "/img_/x") is part of it, never emphasis."""
    scheme = text.rfind("://", max(0, offset - 4096), offset)
    return scheme >= 0 and _WHITESPACE.search(text, scheme, offset) is None


def without_emphasis(text: str) -> tuple[str, OffsetMap, OffsetMap]:
    """Markdown emphasis marks taken out, so cue words stand next to the names they emphasise ("a report
    by *Reuters*", "(*Nikkei Asia*, May 2)"). The first map leads each remaining character back to its
    offset; the second leads a span's end back to where its last character ends, before any mark after
    it ("*Reuters*" ends before the closing "*")."""
    parts: list[str] = []
    starts: list[tuple[int, int]] = []
    ends: list[tuple[int, int]] = []
    copied = kept = 0  # input offset copied up to; output length so far
    for match in _EMPHASIS.finditer(text):
        if _inside_address(text, match.start()):
            continue
        parts.append(text[copied : match.start()])
        kept += match.start() - copied
        copied = match.end()
        if starts and starts[-1][0] == kept:  # marks back to back ("*_x_*"): the later one counts
            starts[-1] = (kept, copied)
            ends[-1] = (kept + 1, copied + 1)
        else:
            starts.append((kept, copied))
            ends.extend([(kept, match.start()), (kept + 1, copied + 1)])
    if not starts:
        return text, (), ()
    parts.append(text[copied:])
    return "".join(parts), tuple(starts), tuple(ends)


def _composed(outer: OffsetMap, inner: OffsetMap, length: int) -> OffsetMap:
    """The map of `inner` after `outer`: index -> inner(outer(index)), for a text of `length` characters."""
    if not inner:
        return outer
    if not outer:
        return inner
    # Both maps are monotone and shift-constant between their points, so the composition can only change
    # its shift at outer's points and at the first index outer sends to or past each of inner's points.
    candidates = {index for index, _ in outer}
    for inner_index, _ in inner:
        low, high = 0, length
        while low < high:  # the first index whose image is at or past inner_index
            middle = (low + high) // 2
            if mapped_offset(outer, middle) < inner_index:
                low = middle + 1
            else:
                high = middle
        candidates.add(low)
    points: list[tuple[int, int]] = []
    shift = 0
    for index in sorted(candidates):
        target = mapped_offset(inner, mapped_offset(outer, index))
        if target - index != shift:
            points.append((index, target))
            shift = target - index
    return tuple(points)


def plain_document(
    name: str, text: str, *, sha256: str, size: int, encoding: str, media_type: str
) -> Document:
    emphasis: OffsetMap = ()
    emphasis_ends: OffsetMap = ()
    if media_type == "text/markdown":
        text, emphasis, emphasis_ends = without_emphasis(text)
    normalised, nfc = nfc_with_offsets(text)
    offsets = _composed(nfc, emphasis, len(normalised))
    ends = _composed(nfc, emphasis_ends, len(normalised)) if emphasis_ends else ()
    return Document(
        path=name,
        sha256=sha256,
        text=normalised,
        size=size,
        encoding=encoding,
        media_type=media_type,
        title=first_line_title(normalised),
        offset_map=offsets,
        end_map=ends,
    )
