"""Citation cues: does the document lean on a named source here, only mention it, or speak as itself?

Decisions look only at the text around one name: its line (Source lines, numbered source lists),
its parentheses ("(Nikkei Asia, November 15, 2024)"), its sentence (reporting verbs, "according to",
"a report by", "a spokesman for ... said") and whether it stands inside a quotation, since a name
inside someone else's quoted words is not the document's own sourcing.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Any

from ahocorasick_rs import AhoCorasick, Implementation

from ..models import CitedDate, Outlet, OutletType, Role
from .chinese import chinese_cue, starts_cjk
from .dates import find_dates
from .lexicon import Lexicon, WordScanner, lowered_text, scan

__all__ = ["MEDIA_TYPES", "REFERENCE_WORDS", "Cue", "CuePositions", "TextIndex", "classify", "cue_word_hits"]

_SOURCE_LINE = re.compile(r"^\s*(?:\d+[.)]\s*)?(?:sources?|via|credit|references?)\s*:\s*", re.IGNORECASE)
_SOURCE_HEADER = re.compile(
    r"^\s*#*\s*(?:sources?|references?|notes|footnotes|endnotes|bibliography|works\s+cited|citations)\s*:?\s*$",
    re.IGNORECASE,
)
# After a leading cue: an optional article, then a capitalised word where a name would start.
_NAME_AFTER_LEAD = re.compile(r"(?:\s+(?:the|a|an|The|A|An))?\s+(?=[A-Z])")  # _name_after_lead() reads it
_ASCII_CAPITALS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ARTICLES = frozenset(("the", "a", "an", "The", "A", "An"))  # _NAME_AFTER_LEAD's
_NUMBERED = re.compile(r"^\s*(?:\d+[.)]|\[\d+\]|[-*\u2022])\s+")  # "1.", "2)", "[3]", bullets
# The same two without ^, for match(text, line_start, line_end) instead of a copy of the line.
_SOURCE_LINE_AT = re.compile(_SOURCE_LINE.pattern[1:], re.IGNORECASE)
_NUMBERED_AT = re.compile(_NUMBERED.pattern[1:])
_SENTENCE_REACH = 1000  # longer "sentences" are run-on text; the cue words sit near the name anyway
# A sentence stop and the whitespace after it; the match ends where the next sentence starts.
_NEXT_SENTENCE = r"\s+(?=[A-Z\"'\u201c(])"
_STOPS = [(mark, re.compile(re.escape(mark) + _NEXT_SENTENCE)) for mark in ".!?"]  # what _stops() finds
_SENTENCE_OPENERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ\"'\u201c(")  # the look-ahead of _NEXT_SENTENCE
# Quotations; each branch starts with its quote mark so the regex engine skips straight to them.
_QUOTED = re.compile(r"\u201c[^\u201c\u201d]{0,2000}?\u201d|\"(?<!\w\")[^\"\n]{0,1000}?\"(?![\w])")
_STRAIGHT_QUOTED = re.compile(r"\"(?<!\w\")[^\"\n]{0,1000}?\"(?![\w])")  # _QUOTED for text without \u201c
_SPACES = re.compile(r"\s*")
_LIST_SEPARATOR = re.compile(r"^\s*(?:,|;|$)")
MEDIA_TYPES = {
    OutletType.NEWSPAPER,
    OutletType.DIGITAL_NATIVE,
    OutletType.BROADCASTER,
    OutletType.PUBLIC_BROADCASTER,
    OutletType.WIRE_SERVICE,
    OutletType.STATE_MEDIA,
}


@dataclass(frozen=True, slots=True, init=False)
class Cue:
    role: Role
    cue: str | None
    date: CitedDate | None

    # Written out: the dataclass's generated __init__ is interpreted Python even in the compiled module.
    def __init__(self, role: Role, cue: str | None, date: CitedDate | None) -> None:
        object.__setattr__(self, "role", role)
        object.__setattr__(self, "cue", cue)
        object.__setattr__(self, "date", date)


def _is_word_character(character: str) -> bool:
    """What \\w matches in a str pattern."""
    return character.isalnum() or character == "_"


def _straight_quotes(text: str) -> list[tuple[int, int]]:
    """The spans of _STRAIGHT_QUOTED.finditer(text), found with str.find.

    A match opens at a quote not right after a word character and closes at the next quote, which must
    come within 1,000 characters, with no line break before it and no word character after it (the
    pattern's [^"\\n] cannot pass a quote, so no other closing quote can do). Where that fails, the next
    quote is the next one to try as an opening.
    """
    spans: list[tuple[int, int]] = []
    length = len(text)
    opening = text.find('"')
    while opening >= 0:
        closing = text.find('"', opening + 1)
        if closing < 0:
            break
        if (
            (opening == 0 or not _is_word_character(text[opening - 1]))
            and closing - opening - 1 <= 1000
            and text.find("\n", opening + 1, closing) < 0
            and (closing + 1 == length or not _is_word_character(text[closing + 1]))
        ):
            spans.append((opening, closing + 1))
            opening = text.find('"', closing + 1)
        else:
            opening = closing
    return spans


def _stops(text: str, mark: str, found: list[tuple[int, int]]) -> None:
    """Add the spans of re.finditer(re.escape(mark) + _NEXT_SENTENCE, text) to `found`, with str.find:
    the mark, a maximal run of whitespace (\\s is str.isspace()) and a sentence opener after it."""
    length = len(text)
    at = text.find(mark)
    while at >= 0:
        after = at + 1
        while after < length and text[after].isspace():
            after += 1
        if after > at + 1 and after < length and text[after] in _SENTENCE_OPENERS:
            found.append((at, after))
            at = text.find(mark, after)
        else:
            at = text.find(mark, at + 1)


class TextIndex:
    """Line and sentence boundaries and quotation regions of one document, computed once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lowered = lowered_text(text)  # None when case-insensitive patterns must see the text as written
        self._colons: list[int] | None = None
        self.line_starts = [0]
        newline = text.find("\n")
        while newline >= 0:
            self.line_starts.append(newline + 1)
            newline = text.find("\n", newline + 1)
        if "\u201c" in text:
            self._quotes = [match.span() for match in _QUOTED.finditer(text)]
        else:  # folded text has only straight quotes
            self._quotes = _straight_quotes(text)
        self._quote_starts = [start for start, _ in self._quotes]
        self._stops: tuple[list[int], list[int]] | None = None  # sentence stops, computed on first use
        self._source_lines: dict[int, tuple[int, int, str] | None] = {}  # line start -> source_line_at()
        self._sentences: dict[tuple[int, int], tuple[int, int]] = {}  # (start, end) -> sentence_bounds()
        self._dates: dict[tuple[int, int], list[tuple[int, int, CitedDate]]] = {}  # sentence -> dates_in()
        self._list_labels: dict[int, str | None] = {}  # numbered line start -> its source header

    @property
    def colons(self) -> list[int]:
        if self._colons is None:
            colons, colon = [], self.text.find(":")
            while colon >= 0:
                colons.append(colon)
                colon = self.text.find(":", colon + 1)
            self._colons = colons
        return self._colons

    def media_list_regions(self, lexicon: Lexicon) -> list[tuple[int, int]]:
        """From after each "media outlets:"-style head to the end of its line.

        The same regions as lexicon.media_list_head.finditer() over the text: each match holds one
        colon, so each colon is tested for a head ending right before it. The test reads backwards
        from the colon over whitespace and a head of at most `media_list_head_words` words, spaced by
        whitespace and so within as many tokens: only that much of the text is turned round. (Where
        those tokens start, whitespace or the text's start stands before them: \\b holds there
        either way.)
        """
        text = self.text
        lowered = self.lowered
        if lowered is None:
            return [(m.end(), self.line_bounds(m.end())[1]) for m in lexicon.media_list_head.finditer(text)]
        regions = []
        head_before = lexicon.ends_media_list_head.lower
        words = lexicon.media_list_head_words
        for colon in self.colons:
            at = colon
            while at > 0 and lowered[at - 1].isspace():
                at -= 1
            for word in range(words):
                if word:
                    while at > 0 and lowered[at - 1].isspace():
                        at -= 1
                while at > 0 and not lowered[at - 1].isspace():
                    at -= 1
            if head_before.match(lowered[at:colon][::-1]):
                end = _SPACES.match(text, colon + 1).end()  # type: ignore[union-attr]
                regions.append((end, self.line_bounds(end)[1]))
        return regions

    def line_number(self, offset: int) -> int:
        return bisect_right(self.line_starts, offset)

    def line_bounds(self, offset: int) -> tuple[int, int]:
        number = bisect_right(self.line_starts, offset)
        start = self.line_starts[number - 1]
        end = self.line_starts[number] - 1 if number < len(self.line_starts) else len(self.text)
        return start, end

    def _sentence_stops(self) -> tuple[list[int], list[int]]:
        """Every [.!?] that ends a sentence, and where the next sentence's first character stands.

        A stop counts inside a window only if that character lies inside it too, which is what a
        search of the window alone would see.
        """
        if self._stops is None:
            text = self.text
            found: list[tuple[int, int]] = []
            for mark, _pattern in _STOPS:
                _stops(text, mark, found)
            found.sort()
            self._stops = [stop for stop, _ in found], [next_start for _, next_start in found]
        return self._stops

    def sentence_bounds(
        self, start: int, end: int, line_start: int | None = None, line_end: int | None = None
    ) -> tuple[int, int]:
        """The sentence around text[start:end], looked for within _SENTENCE_REACH characters each way,
        so a document on one long line costs the same per citation as one with short lines.

        Remembered: classify() and the citation's context both ask for each name. The caller may pass
        the bounds of start's line if it has them.
        """
        found = self._sentences.get((start, end))
        if found is None:
            if line_start is None or line_end is None:
                line_start, line_end = self.line_bounds(start)
            found = self._sentences[start, end] = self._sentence_bounds(start, end, line_start, line_end)
        return found

    def _sentence_bounds(self, start: int, end: int, line_start: int, line_end: int) -> tuple[int, int]:
        window_start = max(line_start, start - _SENTENCE_REACH)
        stops, next_starts = self._sentence_stops()
        # The last stop before `start` whose next sentence also starts before `start`.
        last = bisect_left(next_starts, start) - 1
        sentence_start = stops[last] + 1 if last >= 0 and stops[last] >= window_start else window_start
        limit = min(line_end, end + _SENTENCE_REACH)
        first = bisect_left(stops, end)
        if first < len(stops) and next_starts[first] < limit:
            return sentence_start, stops[first] + 1
        return sentence_start, limit

    def dates_in(self, sentence: tuple[int, int]) -> list[tuple[int, int, CitedDate]]:
        """find_dates() over text[sentence[0]:sentence[1]], remembered: names in one sentence share it."""
        found = self._dates.get(sentence)
        if found is None:
            found = self._dates[sentence] = find_dates(self.text, *sentence)
        return found

    def in_quotes(self, start: int, end: int) -> bool:
        # Quoted regions do not overlap, so only the last one opening before `start` can hold it.
        if not self._quotes:
            return False
        last = bisect_left(self._quote_starts, start) - 1
        return last >= 0 and end < self._quotes[last][1]

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
        return self.source_line(*self.line_bounds(offset))

    def source_line(self, start: int, end: int) -> tuple[int, int, str] | None:
        """source_line_at() for the line text[start:end]."""
        if start in self._source_lines:
            return self._source_lines[start]
        found: tuple[int, int, str] | None = None
        # The pattern needs a colon on the line: without one, the (case-insensitive) match is not tried.
        match = _SOURCE_LINE_AT.match(self.text, start, end) if self.text.find(":", start, end) >= 0 else None
        if match:
            found = start, end, match.group().strip()
        elif _NUMBERED_AT.match(self.text, start, end):
            label = self._list_label(start)
            if label is not None:
                found = start, end, label
        self._source_lines[start] = found
        return found

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


def _name_after_lead(text: str, end: int) -> int:
    """Where _NAME_AFTER_LEAD.match(text, end) ends, or -1: whitespace, then "the", "a" or "an" (as
    written, or capitalised) and whitespace if they are there, then an ASCII capital. An article is
    followed by whitespace, so it is a whole token."""
    length = len(text)
    after_space = end
    while after_space < length and text[after_space].isspace():
        after_space += 1
    if after_space == end or after_space == length:
        return -1
    word_end = after_space
    while word_end < length and word_end - after_space < 4 and not text[word_end].isspace():
        word_end += 1
    if word_end < length and text[after_space:word_end] in _ARTICLES:
        name_start = word_end
        while name_start < length and text[name_start].isspace():
            name_start += 1
        if name_start < length and text[name_start] in _ASCII_CAPITALS:
            return name_start
    return after_space if text[after_space] in _ASCII_CAPITALS else -1


class CuePositions:
    """Where a name would stand next to a cue, for the whole document in one Aho-Corasick pass.

    `name_starts`: offsets right after a leading cue ("according to the |X").
    `name_ends`: offsets right before a reporting verb or document noun ("X| has reported").
    """

    def __init__(
        self,
        text: str,
        lexicon: Lexicon,
        lowered: str | None = None,
        hits: list[tuple[int, int, bool]] | None = None,
    ) -> None:
        """`lowered` is text.lower(), and `hits` the cue words from cue_word_hits(), if the caller has
        them."""
        if lowered is None or len(lowered) != len(text):
            lowered = text.lower()
        if len(lowered) != len(text):  # a few characters change length when lower-cased
            lowered = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
        self.name_starts: set[int] = set()
        self.name_ends: set[int] = set()
        if hits is None:
            hits = self._hits(lowered, lexicon)
        for start, end, is_lead in hits:
            if is_lead:
                self._lead(text, end)
            else:
                self._follow(lowered, start, lexicon)

    @classmethod
    def _hits(cls, lowered: str, lexicon: Lexicon) -> list[tuple[int, int, bool]]:
        hits = []
        automaton, words = cls._automaton(lexicon)
        for index, start, end in scan(automaton, lowered):
            word, is_lead = words[index]
            if start > 0 and lowered[start - 1].isalnum():
                continue
            if word[-1].isalnum() and end < len(lowered) and lowered[end].isalnum():
                continue
            hits.append((start, end, is_lead))
        return hits

    @classmethod
    def _automaton(cls, lexicon: Lexicon) -> tuple[AhoCorasick, list[tuple[str, bool]]]:
        """The cue words' automaton, and for each of its words (the word, whether it is a leading cue)."""
        found: tuple[AhoCorasick, list[tuple[str, bool]]] | None = lexicon.scanners.get("cue words")
        if found is None:
            is_lead = dict.fromkeys(lexicon.follow_words, False)
            is_lead.update(dict.fromkeys(lexicon.lead_words, True))
            words = sorted(is_lead)
            automaton = AhoCorasick(words, implementation=Implementation.DFA)
            found = automaton, [(word, is_lead[word]) for word in words]
            lexicon.scanners["cue words"] = found
        return found

    def _lead(self, text: str, end: int) -> None:
        name_start = _name_after_lead(text, end)
        if name_start >= 0:
            self.name_starts.add(name_start)

    def _follow(self, lowered: str, start: int, lexicon: Lexicon) -> None:
        position = start
        while True:  # step back over whitespace and auxiliaries ("X has also reported")
            trimmed = position
            while trimmed > 0 and lowered[trimmed - 1].isspace():
                trimmed -= 1
            if trimmed == position:
                return
            word_start = trimmed
            while word_start > 0 and lowered[word_start - 1].isalpha():
                word_start -= 1
            if lowered[word_start:trimmed] in lexicon.auxiliaries:
                position = word_start
                continue
            self.name_ends.add(trimmed)
            if trimmed >= 2 and lowered[trimmed - 1] == "s" and lowered[trimmed - 2] in "'\u2019":
                self.name_ends.add(trimmed - 2)  # "X's report"
            return


# For each word of the shared automaton: whether it ends in a letter or digit, None or whether it is a
# leading cue, and the vague patterns it triggers.
_WordRoles = tuple[bool, bool | None, tuple[int, ...]]


def _shared_automaton(lexicon: Lexicon) -> tuple[WordScanner, list[_WordRoles]]:
    found: tuple[WordScanner, list[_WordRoles]] | None = lexicon.scanners.get("cue words and vague triggers")
    if found is None:
        words: dict[str, list[Any]] = {}  # word -> [cue: None | is_lead, vague pattern indexes]
        for word in lexicon.follow_words:
            words.setdefault(word, [None, ()])[0] = False
        for word in lexicon.lead_words:  # a word that is both counts as a leading cue, as in CuePositions
            words.setdefault(word, [None, ()])[0] = True
        for word, indexes in lexicon.vague_triggers.items():
            words.setdefault(word, [None, ()])[1] = indexes
        ordered = sorted(words)
        scanner = WordScanner(ordered, Implementation.DFA)
        found = scanner, [(word[-1].isalnum(), words[word][0], words[word][1]) for word in ordered]
        lexicon.scanners["cue words and vague triggers"] = found
    return found


def cue_word_hits(
    lowered: str, lexicon: Lexicon
) -> tuple[list[tuple[int, int, bool]], list[tuple[int, int, tuple[int, ...]]]]:
    """Cue words (start, end, is_lead) and vague-attribution triggers (start, end, pattern indexes) in
    one Aho-Corasick pass over the lower-cased text: what CuePositions and find_vague() would each
    find with a pass of their own."""
    cue_hits: list[tuple[int, int, bool]] = []
    vague_hits: list[tuple[int, int, tuple[int, ...]]] = []
    length = len(lowered)
    scanner, roles = _shared_automaton(lexicon)
    for index, start, end in scanner.scan(lowered):
        ends_in_alnum, is_lead, indexes = roles[index]
        if start > 0 and lowered[start - 1].isalnum():
            continue
        open_after = end < length and lowered[end].isalnum()
        if is_lead is not None and not (ends_in_alnum and open_after):
            cue_hits.append((start, end, is_lead))
        if indexes and not open_after:
            vague_hits.append((start, end, indexes))
    return cue_hits, vague_hits


def _date_in(text: str, start: int, end: int) -> CitedDate | None:
    dates = find_dates(text, start, end)
    return dates[0][2] if dates else None


_YEAR_ONLY = re.compile(r"^[ \t]*,?[ \t]*(?:19|20)\d\d[a-z]?[ \t]*$")


def _parenthetical(index: TextIndex, start: int, end: int, line_start: int, line_end: int) -> Cue | None:
    text = index.text
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
    if date is None and _YEAR_ONLY.match(after):
        return Cue(Role.CITED, "(outlet, year)", None)  # "(Reuters 2021)": a year is not a date to look up
    if date is None and not _LIST_SEPARATOR.match(after):
        return None
    if date is None and after.strip():
        return None
    dateline = open_at - line_start <= 60 and text[close_at + 1 : close_at + 4].lstrip(" ").startswith("-")
    if date is None and dateline:
        date = _date_in(text, line_start, open_at)  # a wire dateline: "BEIJING, March 5 (Xinhua) --"
    return Cue(Role.CITED, "(outlet, date)", date)


# Between a name and a date: one verb and "on" or "in" ("reported on", "has said in"), nothing else.
_VERB_ON = re.compile(r"[ \t]+(?:has[ \t]+|had[ \t]+|also[ \t]+|first[ \t]+)?[a-z]+[ \t]+(?:on|in)[ \t]+$")


def _near_date(index: TextIndex, sentence: tuple[int, int], start: int, end: int) -> CitedDate | None:
    text = index.text
    for date_start, date_end, date in index.dates_in(sentence):
        before_gap = start - date_end
        after_gap = date_start - end
        if 0 <= before_gap <= 30 and "," in text[date_end:start] or 0 <= after_gap <= 4:
            return date
        if 0 <= after_gap <= 30 and text.endswith("(", 0, date_start):
            return date  # "China Daily's editorial (March 20)"
        if 0 <= after_gap <= 30 and _VERB_ON.match(text, end, date_start):
            return date  # "Xinhua reported on March 20, 2021"
        if date_start == sentence[0] or text[sentence[0] : date_start].strip().lower() in ("on", "in"):
            if 0 <= before_gap <= 40:
                return date
    return None


REFERENCE_WORDS = 30  # a longer line starting "Name, ..." is prose, not one reference


def _reference_entry(text: str, start: int, end: int, line_start: int, line_end: int) -> Cue | None:
    """A line that is one reference: the name first (after any list marker), then a comma, and a date on
    the line ("- Xinhua, 5 February 2024", "Financial Times, "Title", 3 Feb 2024, https://...")."""
    marker = _NUMBERED_AT.match(text, line_start, line_end)
    first = marker.end() if marker else line_start
    while first < start and text[first] in " \t":
        first += 1
    if first != start or len(text[end:line_end].split()) > REFERENCE_WORDS:
        return None
    date = _date_in(text, end, line_end)
    return Cue(Role.CITED, "reference entry", date) if date is not None else None


# "A Reuters spokesperson said", "Pentagon spokesman John Kirby told reporters": someone speaks for the name.
_SPEAKER_AFTER = re.compile(
    r"[ \t]+(?:spokes(?:person|man|woman)|press[ \t]+secretary|representative),?"
    r"(?:[ \t]+[A-Z][\w.'-]*){0,3},?"  # the speaker's name
    r"[ \t]+(?:has[ \t]+|had[ \t]+|also[ \t]+)?"
    r"(?:said|says|told|tells|stated|confirmed|added|noted|wrote|denied)\b"
)
_SPEAKER_WORDS = ("spokes", "press", "representative")


def _spoken_for(text: str, end: int) -> bool:
    after = text[end : end + 24].lstrip(" \t").lower()
    return after.startswith(_SPEAKER_WORDS) and _SPEAKER_AFTER.match(text, end) is not None


# Between a name and its reporting verb: what the outlet is ("the official Xinhua news agency said") or its
# abbreviation ("the Korean Central News Agency (KCNA) said").
_DESCRIBED = re.compile(
    r"(?:[ \t]*\([A-Z][A-Za-z.&-]{1,11}\))?"
    r"(?:[ \t]+(?:state[ \t]+|official[ \t]+)?(?:news[ \t]+agency|agency|newspaper|daily|tabloid|broadcaster"
    r"|television|TV|channel|network|website|magazine|outlet|weekly|wire[ \t]+service))?"
)
# The descriptions _DESCRIBED knows, as they start after a name: cheap tests before the pattern.
_DESCRIPTION_STARTS = (
    *(" news", " agency", " newspaper", " daily", " tabloid", " broadcaster", " television", " TV"),
    *(" channel", " network", " website", " magazine", " outlet", " weekly", " wire", " state", " official"),
)
_DESCRIPTION_INITIALS = frozenset(start[1] for start in _DESCRIPTION_STARTS)
# The first character after a name's space that _spoken_for() or _described_cue() can start with.
_AFTER_NAME_INITIALS = _DESCRIPTION_INITIALS | frozenset("sSpPrR(")


def _described_cue(lexicon: Lexicon, text: str, start: int, end: int) -> str | None:
    """The words from a name to its reporting verb across a description of the outlet, or across the comma
    that closes an apposition ("the party's newspaper, the People's Daily, said"); None if there is none."""
    if end + 2 >= len(text):
        return None
    if text[end] == ",":  # the comma closing an apposition, if one opened before the name
        if not text.endswith((", ", ", the ", ", The "), 0, start):
            return None
        stop = end + 1
    else:
        after = text[end + 1]  # cheap tests first: most names are followed by none of these
        if after == "(":
            if not text[end + 2].isupper():
                return None
        elif after not in _DESCRIPTION_INITIALS or not text.startswith(_DESCRIPTION_STARTS, end):
            return None
        described = _DESCRIBED.match(text, end)
        stop = described.end() if described is not None else end
        if stop == end:
            return None
    # The next word must be a verb or an auxiliary before the pattern is asked: lists of names ("Reuters,
    # AP, AFP") stand between commas too.
    following = text[stop : stop + 40].split(None, 1)
    if not following or not (following[0] in lexicon.reporting_verbs or following[0] in lexicon.auxiliaries):
        return None
    verb = lexicon.reporting_after.match(text[stop : stop + 160])
    return text[end : stop + verb.end()].strip(" ,") if verb is not None else None


_MENTIONED = Cue(Role.MENTIONED, None, None)
_SELF = Cue(Role.SELF, "the document's own publisher", None)
# What lexicon.ends_in_order_or_authorship's match.lastindex stands for (6: ends_authorship may pass).
_ENDS_SELF, _ENDS_SUBJECT, _ENDS_LEADING, _ENDS_SPOKES, _ENDS_WEAK = 1, 2, 3, 4, 5
_AFTER_SELF, _AFTER_DOCUMENT = 1, 2  # what lexicon.after_in_order's match.lastindex stands for


def classify(index: TextIndex, lexicon: Lexicon, start: int, end: int, outlet: Outlet | None) -> Cue:
    """The role of the source named at text[start:end], the cue that decided it, and any cited date."""
    text = index.text
    line_start, line_end = index.line_bounds(start)
    source_line = index.source_line(line_start, line_end)
    if source_line is not None:
        return Cue(Role.CITED, source_line[2], _date_in(text, end, source_line[1]))
    if text[start] >= "\u3400" and starts_cjk(text, start):  # a name written in Chinese: so are its cues
        chinese = chinese_cue(text, start, end)
        if chinese is not None:
            return Cue(Role.CITED, chinese.cue, chinese.date)
    if text.startswith(",", end) and start - line_start < 12:  # only then can the line be one reference
        entry = _reference_entry(text, start, end, line_start, line_end)
        if entry is not None:
            return entry
    if text.rfind("(", line_start, start) >= 0:
        parenthetical = _parenthetical(index, start, end, line_start, line_end)
        if parenthetical is not None:
            return parenthetical
    sentence = index.sentence_bounds(start, end, line_start, line_end)
    if index.in_quotes(start, end):
        return _MENTIONED
    # One look at the next word's first character (the only one _spoken_for() and _described_cue() read
    # before copying or matching anything): most names are followed by neither.
    next_initial = text[end + 1] if end + 1 < len(text) else ""
    if next_initial in _AFTER_NAME_INITIALS or text.startswith(",", end):
        if _spoken_for(text, end):
            return Cue(Role.CITED, "a spokesperson for ... said", _near_date(index, sentence, start, end))
        described = _described_cue(lexicon, text, start, end)
        if described is not None:
            return Cue(Role.CITED, described, _near_date(index, sentence, start, end))
    before_start = max(sentence[0], start - 120)
    after_end = min(sentence[1], end + 160)
    # Case-insensitive tests run lower-cased on lower-cased text where that gives the same answers.
    lowered = index.lowered
    # The first of the tests on the text before the name that passes, in the order they decide, and the
    # same for the text after it; a case-sensitive test's case-insensitive stand-in can only rule it out.
    # On lower-cased text the word tests rule out most names first, at a fraction of the patterns' cost.
    if lowered is not None:
        forms = lexicon.lower_forms
        before_any, after_any = lowered[before_start:start], lowered[end:after_end]
        tests = lexicon.word_tests
        ending = None
        if tests.before_may_match(before_any):
            ending = forms.ends_in_order_or_authorship.match(before_any[::-1])
        following = forms.after_in_order.match(after_any) if tests.after_may_match(after_any) else None
    else:
        forms, before_any, after_any = lexicon.written_forms, text[before_start:start], text[end:after_end]
        ending = forms.ends_in_order_or_authorship.match(before_any[::-1])
        following = forms.after_in_order.match(after_any)
    first = ending.lastindex if ending else 0
    first_after = following.lastindex if following else 0
    if first == 0 and first_after == 0:
        return _MENTIONED  # what every test below comes to then
    before = text[before_start:start]
    after = text[end:after_end]
    if first == _ENDS_SELF or first_after == _AFTER_SELF:
        return _SELF
    if first == _ENDS_SUBJECT:
        return _MENTIONED
    if first == _ENDS_LEADING:
        match = forms.leading_before.search(before_any)
        if match:
            cue = before[match.start() : match.end()].strip()
            return Cue(Role.CITED, cue, _near_date(index, sentence, start, end))
    if first == _ENDS_SPOKES and forms.any_reporting_verb.search(after_any):
        return Cue(Role.CITED, "someone speaking for ... said", _near_date(index, sentence, start, end))
    if first != 0 and lexicon.ends_authorship.match(before[::-1]):
        return Cue(Role.CITED, "a document by", _near_date(index, sentence, start, end))
    # "in the", "on the" count only before a document noun or a media outlet.
    weak_leading = first == _ENDS_WEAK or (
        first == _ENDS_SPOKES and forms.ends_weak_leading.match(before_any[::-1]) is not None
    )
    match = lexicon.document_after.match(after) if first_after == _AFTER_DOCUMENT else None
    if match:
        cue = match.group().strip()
        if weak_leading:
            weak = forms.weak_leading_before.search(before_any)
            if weak:
                cue = before[weak.start() : weak.end()].strip() + " ... " + cue
        return Cue(Role.CITED, cue, _near_date(index, sentence, start, end))
    match = forms.reporting_after.match(after_any) if first_after != 0 else None
    if match:
        cue = after[match.start() : match.end()].strip(" ,")
        return Cue(Role.CITED, cue, _near_date(index, sentence, start, end))
    if weak_leading and outlet is not None and outlet.type in MEDIA_TYPES:
        weak = forms.weak_leading_before.search(before_any)
        if weak:
            cue = before[weak.start() : weak.end()].strip()
            return Cue(Role.CITED, cue, _near_date(index, sentence, start, end))
    return _MENTIONED
