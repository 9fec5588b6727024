"""Citations the page layout makes rather than a sentence: "Source: X, date" lines and numbered source
lists, a reference entry on a line of its own, "(Outlet, date)" parentheticals and wire datelines
("BEIJING, March 5 (Xinhua) --"), and lists of outlets after a head such as "media outlets:".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..models import CitedDate
from .dates import find_dates
from .lexicon import Lexicon
from .textindex import TextIndex

__all__ = [
    "REFERENCE_WORDS",
    "LayoutCue",
    "SourceLines",
    "media_list_regions",
    "parenthetical",
    "reference_entry",
]

REFERENCE_WORDS = 30  # a longer line starting "Name, ..." is prose, not one reference
_LONGEST_HEAD = 40  # characters of a "media outlets:" head before its colon
_NUMBERED = re.compile(r"[ \t]*(?:\d+[.)]|\[\d+\]|[-*\u2022])[ \t]+")  # "1.", "2)", "[3]", bullets
_YEAR_ONLY = re.compile(r"[ \t]*,?[ \t]*(?:19|20)\d\d[a-z]?[ \t]*$")
_PARENTHESIS_OPENERS = ("", "the", "source:", "via", "see", "source", "cf.")
_OWNER = re.compile(r"[A-Z][\w.-]*(?:[ \t]+[A-Z][\w.-]*){0,2}'s")  # "(Japan's Kyodo, May 2)"
_AUTHOR = re.compile(r"[A-Z][\w.'-]*(?:[ \t]+[A-Z][\w.'-]*){0,3},")  # "(William Yuen Yee, The Jamestown ...)"


@dataclass(frozen=True, slots=True)
class LayoutCue:
    cue: str
    date: CitedDate | None


def _alternation(phrases: tuple[tuple[str, ...], ...] | frozenset[str]) -> str:
    words = [" ".join(p) if isinstance(p, tuple) else p for p in phrases]
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=4)
def _patterns(lexicon: Lexicon) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    label = re.compile(
        rf"[ \t]*(?:\d+[.)][ \t]*)?(?:{_alternation(lexicon.source_labels)})[ \t]*:[ \t]*", re.I
    )
    heading = re.compile(rf"[ \t]*#*[ \t]*(?:{_alternation(lexicon.source_headings)})[ \t]*:?[ \t]*$", re.I)
    media_head = re.compile(rf"\b(?:{_alternation(lexicon.media_list_heads)})[ \t]*:", re.I)
    return label, heading, media_head


def _date_in(text: str, start: int, end: int) -> CitedDate | None:
    dates = find_dates(text, start, end)
    return dates[0][2] if dates else None


class SourceLines:
    """Which lines are source lines: "Source: X, date", or numbered items under a "Sources" heading."""

    def __init__(self, index: TextIndex, lexicon: Lexicon) -> None:
        self.index = index
        self.label, self.heading, _ = _patterns(lexicon)
        self._labels: dict[int, str | None] = {}
        self._lines: dict[int, tuple[int, int, str] | None] = {}  # line start -> at()

    def at(self, offset: int) -> tuple[int, int, str] | None:
        """(line start, line end, the label that makes it a source line) for the line holding offset."""
        start, end = self.index.line_bounds(offset)
        if start not in self._lines:
            self._lines[start] = self._at(start, end)
        return self._lines[start]

    def _at(self, start: int, end: int) -> tuple[int, int, str] | None:
        text = self.index.text
        match = self.label.match(text, start, end)
        if match:
            return start, end, match.group().strip()
        if _NUMBERED.match(text, start, end):
            label = self._list_label(start)
            if label is not None:
                return start, end, label
        return None

    def cue(self, offset: int, name_end: int) -> LayoutCue | None:
        line = self.at(offset)
        if line is None:
            return None
        return LayoutCue(line[2], _date_in(self.index.text, name_end, line[1]))

    def _list_label(self, item_start: int) -> str | None:
        """The heading a numbered item hangs under, walking up over the items above it (remembered)."""
        if item_start in self._labels:
            return self._labels[item_start]
        text = self.index.text
        label: str | None = None
        previous = self.index.previous_nonempty_line(item_start)
        if previous is not None:
            line = text[previous[0] : previous[1]]
            if self.heading.match(line) or self.label.match(line):
                label = line.strip()
            elif _NUMBERED.match(line):
                label = self._list_label(previous[0])
        self._labels[item_start] = label
        return label


def reference_entry(index: TextIndex, start: int, end: int) -> LayoutCue | None:
    """A line that is one reference: the name first (after any list marker), then a comma, and a date on
    the line ("- Xinhua, 5 February 2024", "Financial Times, "Title", 3 Feb 2024, https://...")."""
    text = index.text
    if not text.startswith(",", end):
        return None  # checked first: most names are not followed by a comma
    line_start, line_end = index.line_bounds(start)
    marker = _NUMBERED.match(text, line_start, line_end)
    first = marker.end() if marker else line_start
    while first < start and text[first] in " \t":
        first += 1
    if first != start or len(text[end:line_end].split()) > REFERENCE_WORDS:
        return None
    date = _date_in(text, end, line_end)
    return LayoutCue("reference entry", date) if date is not None else None


def parenthetical(index: TextIndex, start: int, end: int) -> LayoutCue | None:
    """ "(Nikkei Asia, November 15, 2024)", "(Reuters 2021)", "(Jane Doe, The Jamestown Foundation)", one
    source of several ("(Xinhua, February 9; The Conversation, January 10, 2019)"), and wire datelines
    ("BEIJING, March 5 (Xinhua) --")."""
    text = index.text
    line_start, line_end = index.line_bounds(start)
    open_at = text.rfind("(", line_start, start)
    if open_at < 0 or ")" in text[open_at:start]:
        return None
    close_at = text.find(")", end, line_end)
    if close_at < 0:
        return None
    item_start = max(open_at, text.rfind(";", open_at, start)) + 1
    item_end = text.find(";", end, close_at)
    item_end = close_at if item_end < 0 else item_end
    word_before = text[line_start:open_at].rstrip().rsplit(None, 1)[-1:]
    if (
        word_before
        and word_before[0][:1].isupper()
        and not text[open_at + 1 : close_at].replace(text[start:end], "").strip()
    ):
        return None  # "Russia Today (RT)": a name glossed by its short form, no citation
    before = text[item_start:start].strip()
    if (
        before.lower() not in _PARENTHESIS_OPENERS
        and not _AUTHOR.fullmatch(before)
        and not _OWNER.fullmatch(before)
    ):
        return None
    after = text[end:item_end]
    date = _date_in(text, end, item_end)
    if date is None and _YEAR_ONLY.match(after):
        return LayoutCue("(outlet, year)", None)  # a year alone is not a date to look an archive up by
    if date is None and after.strip(" \t,"):
        return None
    dateline = open_at - line_start <= 60 and text[close_at + 1 : close_at + 4].lstrip(" ").startswith("-")
    if date is None and dateline:
        date = _date_in(text, line_start, open_at)
    return LayoutCue("(outlet, date)", date)


# A wire dateline at the start of a line: a place in capitals, an optional date, the agencies in brackets,
# then a dash ("TAIPEI (REUTERS, BLOOMBERG) -", "BEIJING, March 5 (Xinhua) --").
_DATELINE = re.compile(
    r"^[ \t]*[A-Z][A-Z .'-]{1,40}(?:,[^()\n]{1,30})?[ \t]+\(([^()\n]{2,60})\)[ \t]*[-\u2013\u2014]", re.M
)


# What every dateline holds: a closing bracket, then a dash. Most texts have none, and this is found far
# faster than _DATELINE is tried at every line start.
_BRACKET_DASH = re.compile(r"\)[ \t]*[-\u2013\u2014]")


def dateline_credits(index: TextIndex) -> list[tuple[int, int]]:
    """The spans of the agencies a wire dateline credits, however they are written ("(REUTERS, AFP)")."""
    if _BRACKET_DASH.search(index.text) is None:
        return []
    found = []
    for match in _DATELINE.finditer(index.text):
        inside_start = match.start(1)
        for part in re.finditer(r"[^,/;]+", match.group(1)):
            name = part.group().strip()
            if name and not name.lower().startswith(("and ", "with ")):
                start = inside_start + part.start() + part.group().index(name)
                found.append((start, start + len(name)))
    return found


def media_list_regions(index: TextIndex, lexicon: Lexicon) -> list[tuple[int, int]]:
    """From after each "media outlets:"-style head to the end of its line (a head ends at a colon)."""
    _, _, head = _patterns(lexicon)
    text, regions = index.text, []
    colon = text.find(":")
    while colon >= 0:
        match = head.search(text, max(0, colon - _LONGEST_HEAD), colon + 1)
        if match is not None and match.end() > colon:
            end = len(text) - len(text[match.end() :].lstrip(" \t"))
            regions.append((end, index.line_bounds(end)[1]))
        colon = text.find(":", colon + 1)
    return regions
