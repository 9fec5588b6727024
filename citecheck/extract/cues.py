"""Citation cues: does the document lean on a named source here, only mention it, or speak as itself?

Decisions look only at the text around one name: its line (Source lines, numbered source lists),
its parentheses ("(Nikkei Asia, November 15, 2024)"), its sentence (reporting verbs, "according to",
"a report by", "a spokesman for ... said") and whether it stands inside a quotation, since a name
inside someone else's quoted words is not the document's own sourcing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..models import CitedDate, Outlet, OutletType, Role
from .dates import find_dates
from .lexicon import Lexicon

__all__ = ["Cue", "CuePositions", "TextIndex", "classify"]

_SOURCE_LINE = re.compile(r"^\s*(?:\d+[.)]\s*)?(?:sources?|via|credit|references?)\s*:\s*", re.IGNORECASE)
_SOURCE_HEADER = re.compile(
    r"^\s*#*\s*(?:sources?|references?|notes|footnotes|endnotes|bibliography|works\s+cited|citations)\s*:?\s*$",
    re.IGNORECASE,
)
# After a leading cue: an optional article, then a capitalised word where a name would start.
_NAME_AFTER_LEAD = re.compile(r"(?:\s+(?:the|a|an|The|A|An))?\s+(?=[A-Z])")
_NUMBERED = re.compile(r"^\s*(?:\d+[.)]|[-*\u2022])\s+")
_SENTENCE_REACH = 1000  # longer "sentences" are run-on text; the cue words sit near the name anyway
_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z\"'\u201c(])|\n")
_MEDIA_TYPES = {
    OutletType.NEWSPAPER,
    OutletType.DIGITAL_NATIVE,
    OutletType.BROADCASTER,
    OutletType.PUBLIC_BROADCASTER,
    OutletType.WIRE_SERVICE,
    OutletType.STATE_MEDIA,
}


@dataclass(frozen=True, slots=True)
class Cue:
    role: Role
    cue: str | None
    date: CitedDate | None


class TextIndex:
    """Line and sentence boundaries and quotation regions of one document, computed once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self._quotes = self._quoted_regions(text)
        self._list_labels: dict[int, str | None] = {}  # numbered line start -> its source header

    @staticmethod
    def _quoted_regions(text: str) -> list[tuple[int, int]]:
        regions = []
        for match in re.finditer(
            r"\u201c[^\u201c\u201d]{0,2000}?\u201d|(?<![\w])\"[^\"\n]{0,1000}?\"(?![\w])", text
        ):
            regions.append(match.span())
        return regions

    def line_number(self, offset: int) -> int:
        import bisect

        return bisect.bisect_right(self.line_starts, offset)

    def line_bounds(self, offset: int) -> tuple[int, int]:
        number = self.line_number(offset)
        start = self.line_starts[number - 1]
        end = self.line_starts[number] - 1 if number < len(self.line_starts) else len(self.text)
        return start, end

    def sentence_bounds(self, start: int, end: int) -> tuple[int, int]:
        """The sentence around text[start:end], looked for within _SENTENCE_REACH characters each way,
        so a document on one long line costs the same per citation as one with short lines."""
        line_start, line_end = self.line_bounds(start)
        window_start = max(line_start, start - _SENTENCE_REACH)
        sentence_start = window_start
        for match in _SENTENCE_END.finditer(self.text, window_start, start):
            sentence_start = match.end()
        stop = _SENTENCE_END.search(self.text, end, min(line_end, end + _SENTENCE_REACH))
        return sentence_start, stop.end() if stop else min(line_end, end + _SENTENCE_REACH)

    def in_quotes(self, start: int, end: int) -> bool:
        return any(s < start and end < e for s, e in self._quotes)

    def previous_nonempty_line(self, offset: int) -> tuple[int, int] | None:
        number = self.line_number(offset) - 1
        while number >= 1:
            start = self.line_starts[number - 1]
            end = self.line_starts[number] - 1
            if self.text[start:end].strip():
                return start, end
            number -= 1
        return None

    def source_line_at(self, offset: int) -> tuple[int, int, str] | None:
        """If offset sits on a "Source: ..." line or in a numbered list under a "Source:" header."""
        start, end = self.line_bounds(offset)
        line = self.text[start:end]
        match = _SOURCE_LINE.match(line)
        if match:
            return start, end, line[: match.end()].strip()
        if _NUMBERED.match(line):
            label = self._list_label(start)
            if label is not None:
                return start, end, label
        return None

    def _list_label(self, item_start: int) -> str | None:
        """The "Sources:" header a numbered item hangs under, walking up over the items above it.

        Answers are remembered per line, so a list of n items costs n steps, not n squared.
        """
        walked: list[int] = []
        label: str | None = None
        previous = self.previous_nonempty_line(item_start)
        while previous is not None:
            if previous[0] in self._list_labels:
                label = self._list_labels[previous[0]]
                break
            previous_line = self.text[previous[0] : previous[1]]
            if _SOURCE_HEADER.match(previous_line) or _SOURCE_LINE.match(previous_line):
                label = previous_line.strip()
                break
            if not _NUMBERED.match(previous_line):
                break
            walked.append(previous[0])
            previous = self.previous_nonempty_line(previous[0])
        for line_start in (item_start, *walked):
            self._list_labels[line_start] = label
        return label


class CuePositions:
    """Where a name would stand next to a cue, for the whole document in one Aho-Corasick pass.

    `name_starts`: offsets right after a leading cue ("according to the |X").
    `name_ends`: offsets right before a reporting verb or document noun ("X| has reported").
    """

    _automata: dict[int, Any] = {}

    def __init__(self, text: str, lexicon: Lexicon) -> None:
        lowered = text.lower()
        if len(lowered) != len(text):  # a few characters change length when lower-cased
            lowered = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
        self.name_starts: set[int] = set()
        self.name_ends: set[int] = set()
        for end_index, (word, is_lead) in self._automaton(lexicon).iter(lowered):
            start, end = end_index - len(word) + 1, end_index + 1
            if start > 0 and lowered[start - 1].isalnum():
                continue
            if word[-1].isalnum() and end < len(lowered) and lowered[end].isalnum():
                continue
            if is_lead:
                self._lead(text, end)
            else:
                self._follow(lowered, start, lexicon)

    @classmethod
    def _automaton(cls, lexicon: Lexicon) -> Any:
        automaton = cls._automata.get(id(lexicon))
        if automaton is None:
            import ahocorasick

            automaton = ahocorasick.Automaton()
            for word in lexicon.follow_words:
                automaton.add_word(word, (word, False))
            for word in lexicon.lead_words:
                automaton.add_word(word, (word, True))
            automaton.make_automaton()
            cls._automata[id(lexicon)] = automaton
        return automaton

    def _lead(self, text: str, end: int) -> None:
        match = _NAME_AFTER_LEAD.match(text, end)
        if match:
            self.name_starts.add(match.end())

    def _follow(self, lowered: str, start: int, lexicon: Lexicon) -> None:
        position = start
        while True:  # step back over whitespace and auxiliaries ("X has also reported")
            trimmed = len(lowered[:position].rstrip())
            if trimmed == position:
                return
            word_start = trimmed
            while word_start > 0 and lowered[word_start - 1].isalpha():
                word_start -= 1
            if lowered[word_start:trimmed] in lexicon.auxiliaries:
                position = word_start
                continue
            self.name_ends.add(trimmed)
            if lowered.endswith(("'s", "\u2019s"), 0, trimmed):
                self.name_ends.add(trimmed - 2)
            return


def _date_in(text: str, start: int, end: int) -> CitedDate | None:
    dates = find_dates(text, start, end)
    return dates[0][2] if dates else None


def _parenthetical(index: TextIndex, start: int, end: int) -> Cue | None:
    text = index.text
    line_start, line_end = index.line_bounds(start)
    open_at = text.rfind("(", line_start, start)
    if open_at < 0 or ")" in text[open_at:start]:
        return None
    close_at = text.find(")", end, line_end)
    if close_at < 0:
        return None
    before = text[open_at + 1 : start].strip()
    if before and before.lower() not in ("the", "source:", "via", "see", "source", "cf."):
        return None
    after = text[end:close_at]
    date = _date_in(text, end, close_at)
    if date is None and not re.match(r"^\s*(?:,|;|$)", after):
        return None
    if date is None and after.strip():
        return None
    return Cue(Role.CITED, "(outlet, date)", date)


def _near_date(index: TextIndex, sentence: tuple[int, int], start: int, end: int) -> CitedDate | None:
    text = index.text
    for date_start, date_end, date in find_dates(text, sentence[0], sentence[1]):
        before_gap = start - date_end
        after_gap = date_start - end
        if 0 <= before_gap <= 30 and "," in text[date_end:start] or 0 <= after_gap <= 4:
            return date
        if date_start == sentence[0] or text[sentence[0] : date_start].strip().lower() in ("on", "in"):
            if 0 <= before_gap <= 40:
                return date
    return None


def classify(index: TextIndex, lexicon: Lexicon, start: int, end: int, outlet: Outlet | None) -> Cue:
    """The role of the source named at text[start:end], the cue that decided it, and any cited date."""
    text = index.text
    source_line = index.source_line_at(start)
    if source_line is not None:
        line_start, line_end, label = source_line
        return Cue(Role.CITED, label, _date_in(text, end, line_end))
    parenthetical = _parenthetical(index, start, end)
    if parenthetical is not None:
        return parenthetical
    sentence = index.sentence_bounds(start, end)
    if index.in_quotes(start, end):
        return Cue(Role.MENTIONED, None, None)
    before = text[max(sentence[0], start - 120) : start]
    after = text[end : min(sentence[1], end + 160)]
    if lexicon.self_before.search(before) or lexicon.self_after.match(after):
        return Cue(Role.SELF, "the document's own publisher", None)
    if lexicon.subject_before.search(before):
        return Cue(Role.MENTIONED, None, None)
    date = _near_date(index, sentence, start, end)
    match = lexicon.leading_before.search(before)
    if match:
        return Cue(Role.CITED, match.group().strip(), date)
    if lexicon.spokes_before.search(before) and lexicon.any_reporting_verb.search(after):
        return Cue(Role.CITED, "someone speaking for ... said", date)
    if lexicon.authorship_before.search(before):
        return Cue(Role.CITED, "a document by", date)
    match = lexicon.document_after.match(after)
    if match:
        weak = lexicon.weak_leading_before.search(before)
        return Cue(Role.CITED, (weak.group().strip() + " ... " if weak else "") + match.group().strip(), date)
    match = lexicon.reporting_after.match(after)
    if match:
        return Cue(Role.CITED, match.group().strip(" ,"), date)
    if outlet is not None and outlet.type in _MEDIA_TYPES and lexicon.weak_leading_before.search(before):
        return Cue(Role.CITED, lexicon.weak_leading_before.search(before).group().strip(), date)  # type: ignore[union-attr]
    return Cue(Role.MENTIONED, None, None)
