"""Bare domain names in running text ("GoaChronicle.com investigates").

A candidate counts only if its last label is a real public suffix (tldextract's bundled snapshot),
and it is not part of a URL or an e-mail address, not a file name, not a version number and not
an abbreviation such as "U.S." or "e.g.".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..resolve.domains import split_host

__all__ = ["FoundDomain", "find_domains"]

_CANDIDATE = re.compile(
    r"(?<![\w@./\-])((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24})(?![\w@\-]|\.[A-Za-z0-9])"
)
# A candidate lies inside one run of the characters it is made of and has a dot followed by a letter.
# Scanning for that dot is fast (a literal), and the pattern then runs over that run alone.
_RUN_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")
_RUN_REST = re.compile(r"[A-Za-z0-9.-]*")
_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
# Endings that are real TLDs but far more often file extensions or code.
_FILE_SUFFIXES = {
    "py",
    "js",
    "ts",
    "md",
    "sh",
    "pl",
    "rs",
    "go",
    "zip",
    "exe",
    "pdf",
    "doc",
    "docx",
    "txt",
    "jpg",
    "png",
    "gif",
    "mov",
    "mp3",
    "mp4",
    "csv",
    "xls",
    "xlsx",
    "json",
    "yaml",
    "yml",
    "xml",
    "html",
    "htm",
    "php",
    "css",
    "java",
    "cpp",
    "dll",
    "bin",
    "dat",
    "log",
    "tar",
    "gz",
    "rar",
    "cs",
    "so",
    "app",
    "ai",
    "ps",
}


@dataclass(frozen=True, slots=True)
class FoundDomain:
    start: int
    end: int
    raw: str
    host: str


def _candidates(text: str) -> list[re.Match[str]]:
    """_CANDIDATE.finditer(text), run only over the runs of domain characters that hold a dot and a letter.

    No match crosses a character outside the run, so each run is scanned as the whole text would be;
    the pattern sees one character past the run for its lookahead.
    """
    matches: list[re.Match[str]] = []
    run_end = -1
    last = len(text) - 1
    # Each dot followed by an ASCII letter (\\.[A-Za-z]; two such never overlap), found with str.find,
    # far faster than sre's scan where the text holds characters beyond Latin-1.
    dot = text.find(".")
    while 0 <= dot < last:
        if dot >= run_end and text[dot + 1] in _ASCII_LETTERS:
            run_start = dot
            while run_start > 0 and text[run_start - 1] in _RUN_CHARACTERS:
                run_start -= 1
            run_end = _RUN_REST.match(text, dot).end()  # type: ignore[union-attr]
            matches.extend(_CANDIDATE.finditer(text, run_start, run_end + 1))
        dot = text.find(".", dot + 1)
    return matches


def find_domains(text: str, taken: list[tuple[int, int]]) -> list[FoundDomain]:
    """Bare domains outside the spans in `taken` (URLs already found)."""
    found = []
    for match in _candidates(text):
        start, end = match.span(1)
        if any(s <= start < e for s, e in taken):
            continue
        raw = match.group(1)
        labels = raw.split(".")
        if all(len(label) == 1 for label in labels[:-1]):  # U.S., e.g., i.e.
            continue
        if labels[-1].lower() in _FILE_SUFFIXES:
            continue
        host = raw.lower()
        _, domain, suffix = split_host(host)
        if not domain or not suffix or "." in suffix and suffix == host:
            continue
        # Reject "Mr.Smith" style joins: a real domain has no capital after the last dot.
        if any(ch.isupper() for ch in labels[-1]):
            continue
        found.append(FoundDomain(start, end, raw, host.removeprefix("www.")))
    return found
