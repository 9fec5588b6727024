"""What every human-facing report shares: run-wide counts, what "flagged" means, how enums read.

Kept in one place so that a flagged link or a label reads the same in the terminal, Markdown and HTML.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from urllib.parse import unquote_to_bytes, urlsplit

from ..models import (
    CitationKind,
    CitationResult,
    LinkCheck,
    RunResult,
    SkippedInput,
    Snapshot,
    VerdictLabel,
)

__all__ = [
    "RunSummary",
    "archive_absence",
    "link_status_words",
    "no_network_notice",
    "as_words",
    "has_archived_copy",
    "is_flagged_link",
    "local_time",
    "neutralise_controls",
    "readable_url",
    "reveal_direction_controls",
    "skipped_lines",
    "summarize",
    "web_url",
]

_WEB_SCHEMES = frozenset({"http", "https"})
# Bidirectional embeddings, overrides and isolates: invisible, yet they reorder what follows them, so
# "https://example.com/\u202efdp.exe" reads as ".../exe.pdf" (the "Trojan Source" trick, CVE-2021-42574).
_DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
# C0 controls but tab and line breaks, DEL and C1 controls: ESC (and C1's single-byte CSI, U+009B) start
# the sequences that recolour, move the cursor, retitle or paste on a terminal that prints them.
_TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile("\r\n|[\n\r\x85\u2028\u2029]")


@dataclass(frozen=True, slots=True)
class RunSummary:
    """Counts across the whole run, shared by the terminal, Markdown and HTML reports."""

    documents: int
    failed: int
    labels: dict[VerdictLabel, int]  # every label, in order from strong to unverifiable
    unscored: int  # documents that neither failed nor received a verdict
    citations: int
    kinds: dict[CitationKind, int]  # every kind, in enum order
    flagged_links: int  # CitationResult.broken: what `--fail-on failing` fails on
    flagged_without_archive: int
    archived: int
    failing_links: int = 0  # of the flagged links, those failing but not yet confirmed dead


def is_flagged_link(item: CitationResult) -> bool:
    """A link the reader cannot follow: `CitationResult.broken`, the notion the score and the exit code
    (`--fail-on failing`) share."""
    return item.broken


def has_archived_copy(snapshot: Snapshot | None) -> bool:
    return snapshot is not None and snapshot.found and bool(snapshot.memento_url)


def archive_absence(snapshot: Snapshot) -> str:
    """What a report says for a look-up without a copy: "not reached" is not "none found"."""
    if snapshot.error:
        return "archive not reached"
    return f"none in {snapshot.archive}"


def no_network_notice(result: RunResult) -> str | None:
    """The header line of an online run that found no network, or None."""
    if not result.no_network:
        return None
    detail = result.no_network.removeprefix("no network: ")
    return f"No network: {detail}. Links could not be checked and archives were not reached."


def link_status_words(link: LinkCheck) -> str:
    """A link's status for a reader, with its history when it has one ("failing since 2026-12-01, 2 of 3
    checks"), without the HTTP status."""
    return link.history or as_words(link.status)


def summarize(result: RunResult) -> RunSummary:
    labels: Counter[VerdictLabel] = Counter()
    kinds: Counter[CitationKind] = Counter()
    failed = unscored = flagged = flagged_without_archive = archived = citations = failing = 0
    for document in result.documents:
        if document.error:
            failed += 1
        elif document.verdict is None:
            unscored += 1
        else:
            labels[document.verdict.label] += 1
        for item in document.citations:
            citations += 1
            kinds[item.citation.kind] += 1
            archived += has_archived_copy(item.snapshot)
            if is_flagged_link(item):
                flagged += 1
                flagged_without_archive += not has_archived_copy(item.snapshot)
                failing += not item.confirmed_broken
    return RunSummary(
        documents=len(result.documents),
        failed=failed,
        labels={label: labels[label] for label in VerdictLabel},
        unscored=unscored,
        citations=citations,
        kinds={kind: kinds[kind] for kind in CitationKind},
        flagged_links=flagged,
        flagged_without_archive=flagged_without_archive,
        archived=archived,
        failing_links=failing,
    )


def local_time(moment: datetime) -> str:
    """A moment as a reader's clock shows it: local time zone, to the second, no microseconds."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S %Z").strip()


def flagged_detail(summary: RunSummary) -> str:
    """What the flagged links are, after their count: "(2 failing, not yet confirmed dead; 1 without an
    archived copy)". `--fail-on dead` fails only on the confirmed ones."""
    parts = []
    if summary.failing_links:
        parts.append(f"{summary.failing_links} failing, not yet confirmed dead")
    parts.append(f"{summary.flagged_without_archive} without an archived copy")
    return f" ({'; '.join(parts)})"
def skipped_lines(skipped: tuple[SkippedInput, ...], names: int = 3) -> list[str]:
    """The files a run passed over, one line per reason: "2 skipped, .pdf files are not read
    (input.extensions): a.pdf, b.pdf"."""
    by_reason: dict[str, list[str]] = {}
    for entry in skipped:
        by_reason.setdefault(entry.reason, []).append(entry.path)
    lines = []
    for reason, paths in by_reason.items():
        listed = ", ".join(paths[:names]) + (f" and {len(paths) - names} more" if len(paths) > names else "")
        lines.append(f"{len(paths)} skipped, {reason}: {listed}")
    return lines


def neutralise_controls(text: str, *, one_line: bool = False) -> str:
    """Document text (a file name, a URL, a quotation) safe to write anywhere a terminal may show it:
    each control character that could start an escape sequence becomes U+FFFD; with `one_line`, line
    breaks become spaces too, so a file name cannot forge a line of its own."""
    if one_line:
        text = _LINE_BREAKS.sub(" ", text)
    return _TERMINAL_CONTROLS.sub("\ufffd", text)


def reveal_direction_controls(text: str) -> str:
    """Text with every bidirectional control shown as its code point, e.g. "⟨U+202E⟩", so a report shows
    what a citation really says rather than what the controls make it look like."""
    return _DIRECTION_CONTROLS.sub(lambda match: f"⟨U+{ord(match.group()):04X}⟩", text)


def as_words(value: StrEnum) -> str:
    """`state_media` -> `state media`: how every human-facing format writes an enum value."""
    return str(value).replace("_", " ")


def web_url(url: str | None) -> str | None:
    """The URL if a browser may follow it from the report: absolute http(s) with a host, else None."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # e.g. an unbalanced IPv6 bracket
        return None
    if parts.scheme.lower() not in _WEB_SCHEMES or not parts.netloc:
        return None
    # Control characters and whitespace inside a URL are how scheme filters get bypassed; refuse them.
    if any(ord(char) < 0x21 or ord(char) == 0x7F for char in url.strip()):
        return None
    return url.strip()


_ESCAPED_BYTES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
# Characters whose escapes change a URL's meaning if decoded (RFC 3986 reserved characters, the percent
# sign and white space), so they stay escaped.
_KEPT_ESCAPED = frozenset(":/?#[]@!$&'()*+,;=% ")


def _shown_character(char: str) -> str:
    if "\udc80" <= char <= "\udcff":  # a byte that is not part of valid UTF-8, as surrogateescape keeps it
        return f"%{ord(char) - 0xDC00:02X}"
    if char in _KEPT_ESCAPED or not char.isprintable():
        return "".join(f"%{byte:02X}" for byte in char.encode("utf-8"))
    return char


def readable_url(url: str) -> str:
    """The URL with percent-escapes that decode to printable UTF-8 text shown as that text
    ("/cn/%E4%B8%93%E6%A0%8F" reads "/cn/专栏"). Escapes of reserved characters, controls and bytes
    that are not valid UTF-8 (a sequence cut short) stay escaped, so the result names the same address."""

    def decoded(match: re.Match[str]) -> str:
        text = unquote_to_bytes(match.group()).decode("utf-8", errors="surrogateescape")
        return "".join(_shown_character(char) for char in text)

    return _ESCAPED_BYTES.sub(decoded, url)
