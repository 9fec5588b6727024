"""Reference entries and author-year citations, read from a document's rendered text.

In: the text. Out: `References`, typed spans: each reference entry with its title, the container it
cites (the work or publisher: "The Guardian", "Center for X", "HarperCollins") and its dates, and each
author-year citation ("(Smith, 2013)", "Hameiri and Lee (2015) argue").

An entry is recognised by its shape, not by a known style name: a line under a heading such as
"References" or "Notes" (data/references.yaml), or a numbered or bulleted line that reads like one (a
quoted title with a date or address, an access date, or authors followed by a year in parentheses).
A note holding several works ("...; see X, "Title," Y, date, URL") is one entry per work. Within an
entry, quotes, parentheses and dates are kept whole and the rest splits at ", ", ". " and ": ".

Which date is the entry's: the publication date, never the date the page was read or archived
("Retrieved 5 March 2021", "Accessed", "Archived from the original on"), since the cited version is the
one published then; an entry with only an access date has no date. APA and Wikipedia put the date in
parentheses after the authors ("Smith, J. (2019, March 5)."); otherwise it is the first date that no
access label leads, and a year standing alone ("..., 2013.") when there is no fuller one.

Which part is the container: a publisher after its place ("Boston, MA: Harvard Business School"); else,
when the date follows the title, the part right before the date (Chicago and MLA "Title," Work, date;
Wikipedia "Title". Work. date.); else the part right after the title (APA "Title. Journal, 12(3)").
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..datafiles import read_yaml
from ..models import CitedDate, Span
from .dates import find_dates, is_month_name

__all__ = [
    "AuthorYear",
    "DatedSource",
    "ReferenceEntry",
    "References",
    "find_references",
    "is_title_cased_name",
    "reference_words",
]

REFERENCES_FILE = Path(__file__).resolve().parent.parent / "data" / "references.yaml"
ATTRIBUTION_WORDS_FILE = REFERENCES_FILE.with_name("lexicon.yaml")
# Reporting verbs count here when at least half their uses in the counted corpus were attribution cues
# (the cue_rate of lexicon.yaml's counted reporting_verbs): "say", "argue", "note" ... not "seem" or "hope".
REPORTING_CUE_RATE = 0.5


@dataclass(frozen=True, slots=True)
class ReferenceWords:
    """data/references.yaml, compiled."""

    heading: re.Pattern[str]
    access_label: re.Pattern[str]  # matches right before a date: "Retrieved ", "Accessed on "
    publisher_form: re.Pattern[str]  # a legal-form ending: " Publishers Inc."
    reporting_verb: re.Pattern[str]  # matches right after "Smith (2013)": " argues", " has shown"
    reported_on: re.Pattern[str]  # ends right before a date a report is dated by: "reported by X on "
    credit_labels: tuple[str, ...]  # lower-cased, single-spaced, shortest first
    name_words: frozenset[str]  # lower-case words an author list may hold: "and", "et", "al.", "van"
    name_joiners: frozenset[str]  # lower-case words a title-cased name may hold: "of", "the", "&"
    document_kinds: frozenset[str]  # "manuscript", "speech", "ibid": a container of these alone is no name
    time_words: frozenset[str]  # "monday", "march", "today": never a source's name before a date
    credit_media_words: frozenset[str]


def _words(words: list[str]) -> str:
    ordered = sorted({word.lower() for word in words}, key=len, reverse=True)
    return "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in ordered)


@lru_cache(maxsize=1)
def reference_words(path: Path = REFERENCES_FILE) -> ReferenceWords:
    data = read_yaml(path)
    attribution = read_yaml(ATTRIBUTION_WORDS_FILE)
    verbs = _words(
        [
            form
            for verb in attribution["reporting_verbs"].values()
            if verb["cue_rate"] >= REPORTING_CUE_RATE
            for form in verb["forms"]
        ]
    )
    return ReferenceWords(
        heading=re.compile(
            rf"[^\S\n]*(?:#+[^\S\n]*|\d+\.?[^\S\n]+)?(?:{_words(data['reference_headings'])})[^\S\n]*:?[^\S\n]*",
            re.IGNORECASE,
        ),
        access_label=re.compile(rf"(?:^|\W)(?:{_words(data['access_labels'])})[:\s]*\Z", re.IGNORECASE),
        publisher_form=re.compile(rf"(?:[\s,]+(?:{_words(data['publisher_forms'])}))+\Z", re.IGNORECASE),
        reporting_verb=re.compile(rf"[^\S\n]+(?:(?:has|have|had)[^\S\n]+(?:also[^\S\n]+)?)?(?:{verbs})\b"),
        reported_on=re.compile(rf"\b(?:{verbs})\b[^,.;:\n]{{0,60}}?\s(?:on|in)\s+\Z"),
        credit_labels=tuple(
            sorted({" ".join(word.lower().split()) for word in data["credit_labels"]}, key=len)
        ),
        credit_media_words=frozenset(word.lower() for word in data["credit_media_words"]),
        name_words=frozenset(["and", "&", "et", "al", "al.", *data["surname_particles"]]),
        name_joiners=frozenset(word.lower() for word in data["name_joiners"]),
        document_kinds=frozenset(word.lower() for word in data["document_kinds"]),
        time_words=frozenset(word.lower() for word in attribution["time_words"]),
    )


_NAME_WORDS = 10  # a longer run of capitalised words is a title, not a name


def is_title_cased_name(name: str, least_words: int = 1) -> bool:
    """ "Harvard Business School", "Journal of Water Policy", "The Example Review": capitalised words
    joined by short words, no digits, no quotation, not only words for a kind of document; not "speech
    to the committee", "NY", "vol. 3", "Unpublished Manuscript". `least_words` asks for more words: a
    single capitalised word after a title is as often a place ("Leeds") as a publication."""
    words = name.split()
    if not least_words <= len(words) <= _NAME_WORDS or not words[0][:1].isupper():
        return False
    if sum(map(str.isalpha, name)) < 3 or any(c.isdigit() or c in '"\u201c\u201d()[]' for c in name):
        return False
    reference = reference_words()
    if all(
        word.lower() in reference.document_kinds or word.lower() in reference.name_joiners for word in words
    ):
        return False
    return all(word[:1].isupper() or word.lower() in reference.name_joiners for word in words)


@dataclass(frozen=True, slots=True)
class ReferenceEntry:
    span: Span
    title: Span | None
    container: Span | None  # the work or publisher the entry cites
    date: CitedDate | None  # when the cited work was published
    accessed: CitedDate | None  # when it was read or archived: kept apart, never the entry's date
    author: Span | None = None  # the part right before a quoted title: a person, or a body that published it
    # The container stands where every style puts the work or publisher a title belongs to: right after
    # a quoted title or an APA/Wikipedia author-year lead's title, or after a place and a colon. A name
    # there is a source even when the registry does not know it.
    container_placed: bool = False


@dataclass(frozen=True, slots=True)
class AuthorYear:
    span: Span
    authors: str  # as written: "Hameiri and Lee", "Smith et al."
    year: int

    @property
    def name(self) -> str:
        return f"{self.authors} ({self.year})"


@dataclass(frozen=True, slots=True)
class DatedSource:
    """One item of an inline "(Source, date)" citation: the name in "(Example Wire, March 3, 2021)"."""

    span: Span
    date: CitedDate


@dataclass(frozen=True, slots=True)
class References:
    entries: tuple[ReferenceEntry, ...] = ()
    author_years: tuple[AuthorYear, ...] = ()
    dated_sources: tuple[DatedSource, ...] = ()

    def entry_at(self, start: int, end: int) -> ReferenceEntry | None:
        """The entry holding text[start:end], if any (entries are in order and never overlap)."""
        position = bisect.bisect_right(self.entries, start, key=lambda entry: entry.span.start) - 1
        if position >= 0 and end <= self.entries[position].span.end:
            return self.entries[position]
        return None


# --- where entries stand -----------------------------------------------------------------------------

# A list mark: [1], [^note]: (a Markdown footnote), 1., 1), ^ a b (Wikipedia's back-links), bullets.
_LIST_MARK = re.compile(
    r"[^\S\n]*(?:\[\^?\w{1,12}\]:?|\d{1,3}[.)]?|\^(?:[^\S\n]+[a-z](?=\s))*|[-*\u2022\u00b7])[^\S\n]+"
)
_QUOTED = re.compile(
    r"\u201c[^\u201d\n]{2,300}\u201d|\"[^\"\n]{2,300}\"|\u00ab[^\u00bb\n]{2,300}\u00bb|《[^》\n]{1,100}》"
)
_URL_START = re.compile(r"https?://|www\.", re.IGNORECASE)
_YEAR = r"(?:1[7-9]|20)\d\d"
# Authors, then a year (with an optional month and day, before or after it) in parentheses: "Smith, J.,
# & Lee, K. (2019, March 5).", "Yulya Toporochan (2013).", "Hart, Lena (5 March 2021)."
_AUTHOR_LEAD = re.compile(
    rf"(?P<authors>[A-Z\u00c0-\u024f][^()\"\u201c\n]{{0,200}}?)[^\S\n]*\("
    rf"(?:(?P<year>{_YEAR})[a-z]?(?:,[^\S\n]*(?P<when>[^()\n]{{3,20}}))?|(?P<before>[^()\n]{{3,20}}?)[^\S\n](?P<late_year>{_YEAR}))"
    r"\)\.?"
)
_SPLITS = re.compile(r"[,.;:]\s|[?!]\s(?=[A-Z])|[\uff0c\u3002\uff1b\uff1a]")  # Chinese ，。；： need no space
_SINGLE_LETTER_OR_DOTTED = re.compile(r"(?:^|\s|\()(?:[A-Za-z]|(?:[A-Za-z]\.)+[A-Za-z])\Z")
# A publisher after its place: "Boston, MA: Harvard Business School", "(Leeds: Northgate Press, 2014)".
_PLACE_PUBLISHER = re.compile(
    r"(?:^|[.,]\s|\()(?P<place>[A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+){0,2}(?:, [A-Z]{2})?): "
    rf"(?P<publisher>[^\s,.;()][^,;()\n]*?)(?=[.,;)]|\Z)(?:,\s(?P<year>{_YEAR})\b)?"
)
_YEAR_ALONE = re.compile(rf"\(?({_YEAR})\u5e74?\)?")  # "(2013)", "2013", "2013年"


def _lines(text: str) -> list[tuple[int, int]]:
    lines = []
    start = 0
    for line in text.split("\n"):
        lines.append((start, start + len(line)))
        start += len(line) + 1
    return lines


def _is_heading(text: str, start: int, end: int) -> bool:
    """A short line with no sentence in it: "External links", "## Background", "3. Method"."""
    line = text[start:end].strip().lstrip("#").strip()
    return 0 < len(line.split()) <= 6 and not line.endswith((".", ",", ";")) and not _URL_START.search(line)


def _reads_like_entry(text: str, start: int, end: int, words: ReferenceWords, marked: bool = True) -> bool:
    """A line outside a reference list counts only with an entry's marks: an access date; a date
    standing as a part of its own (", March 5, 2021,") with an address, or on a numbered or bulleted
    line with a quoted title; an address with the date its report is given ("reported by X on 9 May
    2020"); a book's imprint ("Leeds: Northgate Press, 2014"); or authors with a year in parentheses.
    Prose dates ("On 16 May 2020, the minister") and quotations of speech do not make one: a line of
    prose with both ("On Monday, May 4, the office called it "false."") is no entry unless a list mark
    says it is one."""
    if _author_lead(text, start, end, words):
        return True
    book = _place_publisher(text, start, end)
    if book is not None and book.group("year"):
        return True  # a book's imprint: "Leeds: Northgate Press, 2014"
    dates = find_dates(text, start, end)
    if not dates:
        return False
    if any(words.access_label.search(text, max(start, s - 40), s) for s, _, _ in dates):
        return True
    has_url = _URL_START.search(text, start, end) is not None
    if not has_url and (not marked or _QUOTED.search(text, start, end) is None):
        return False
    parts = set(_parts(text, start, end))
    if any((s, e) in parts for s, e, _ in dates):
        return True
    # a note with an address and the date its report gives: "... reported by X on 9 May 2020, URL"
    return has_url and any(words.reported_on.search(text, max(start, s - 80), s) for s, _, _ in dates)


_ENTRY_WORDS = 40  # a longer line without a list mark is a paragraph, whatever it holds


def _short(text: str, start: int, end: int) -> bool:
    spaces = text.count(" ", start, end)
    return spaces < _ENTRY_WORDS or len(text[start:end].split(None, _ENTRY_WORDS)) <= _ENTRY_WORDS


def _entry_lines(text: str, words: ReferenceWords) -> list[tuple[int, int]]:
    """(start, end) of each line that holds reference entries, after any list mark."""
    found = []
    in_list = False
    for start, end in _lines(text):
        if start == end or text[start:end].isspace():
            continue
        if words.heading.fullmatch(text, start, end):
            in_list = True
            continue
        mark = _LIST_MARK.match(text, start, end)
        body_start = mark.end() if mark else start
        while body_start < end and text[body_start].isspace():
            body_start += 1
        if in_list and not mark and _is_heading(text, start, end):
            in_list = False  # the next section begins
            continue
        if in_list or (mark and _reads_like_entry(text, body_start, end, words)):
            found.append((body_start, end))
        elif (
            not mark
            and _short(text, body_start, end)
            and _reads_like_entry(text, body_start, end, words, False)
        ):
            found.append((body_start, end))  # a line of its own: "Daily Example, "Title", 3 May 2021, URL"
    return found


# --- one entry ---------------------------------------------------------------------------------------


_URL_TAIL = '.,;:)\u201d"'


def _atoms(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Parentheses, dates and addresses: spans a split never cuts."""
    atoms = [(s, e) for s, e, _ in find_dates(text, start, end)]
    depth_start = -1
    for position in range(start, end):
        if text[position] == "(" and depth_start < 0:
            depth_start = position
        elif text[position] == ")" and depth_start >= 0:
            atoms.append((depth_start, position + 1))
            depth_start = -1
    url = _URL_START.search(text, start, end)
    while url:
        stop = text.find(" ", url.start(), end)
        stop = end if stop < 0 else stop
        tail = stop
        while tail > url.start() and text[tail - 1] in _URL_TAIL:
            tail -= 1
        atoms.append((url.start(), tail))
        url = _URL_START.search(text, stop, end)
    return atoms


_OPENING_MARKS = " \t\"\u201c\u201d'\u300a\u300c"  # and Chinese 《 「
_CLOSING_MARKS = " \t\"\u201c\u201d'.,\u300b\u300d\uff0c\u3002\uff1b\uff1a"  # and 》 」 ，。；：


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _OPENING_MARKS:
        start += 1
    while end > start and text[end - 1] in _CLOSING_MARKS:
        end -= 1
    return start, end


def _parts(text: str, start: int, end: int, separators: re.Pattern[str] = _SPLITS) -> list[tuple[int, int]]:
    """text[start:end] cut at separators outside its atoms, and around each quotation (a title is a
    part of its own); each part stripped of spaces, quotes and closing punctuation."""
    quotes = [match.span() for match in _QUOTED.finditer(text, start, end)]
    atoms = _atoms(text, start, end) + quotes
    cuts = []
    for match in separators.finditer(text, start, end):
        at = match.start()
        if any(s <= at < e for s, e in atoms):
            continue
        if text[at] == "." and _SINGLE_LETTER_OR_DOTTED.search(text, start, at):
            continue  # "J. Smith", "U.S. Department": an initial or abbreviation, not the end of a part
        cuts.append((at, match.end()))
    if separators is _SPLITS:
        cuts += [(s, s) for s, _ in quotes] + [(e, e) for _, e in quotes]
    parts = []
    part_start = start
    for cut_start, cut_end in [*sorted(cuts), (end, end)]:
        s, e = _strip(text, part_start, cut_start)
        if s < e:
            parts.append((s, e))
        part_start = max(part_start, cut_end)
    return parts


_WORK_SEPARATOR = re.compile(r";\s")


def _sub_entries(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A note citing several works ("X, "T," Y, 1997, URL; Z, "U," W, 2000, URL") is one entry each."""
    entries = []
    for part_start, part_end in _parts(text, start, end, _WORK_SEPARATOR):
        while part_start > start and text[part_start - 1] in '"\u201c':
            part_start -= 1  # the part was stripped of an opening quote that begins the entry's title
        entries.append((part_start, part_end))
    return entries


def _dates(
    text: str, start: int, end: int, words: ReferenceWords
) -> tuple[CitedDate | None, CitedDate | None, int]:
    """(publication date, access date, where the publication date starts or -1)."""
    published: tuple[int, CitedDate] | None = None
    accessed = None
    for date_start, _date_end, date in find_dates(text, start, end):
        if words.access_label.search(text, max(start, date_start - 40), date_start):
            accessed = accessed or date
        elif published is None:
            published = (date_start, date)
    if published is None:
        for part_start, part_end in _parts(text, start, end):
            alone = _YEAR_ALONE.fullmatch(text, part_start, part_end)
            if alone:
                return CitedDate(int(alone.group(1)), None), accessed, part_start
        return None, accessed, -1
    return published[1], accessed, published[0]


def _lead_date(lead: re.Match[str]) -> CitedDate:
    if lead.group("late_year"):  # "(5 March 2021)"
        found = find_dates(f"{lead.group('before')} {lead.group('late_year')}")
        year = int(lead.group("late_year"))
        if found and found[-1][2].year == year:
            return found[-1][2]
        return CitedDate(year, None)
    year = int(lead.group("year"))
    when = lead.group("when")
    if when:
        found = find_dates(f"{when} {year}")
        if found and found[0][2].month is not None:
            return CitedDate(year, found[0][2].month, found[0][2].day)
    return CitedDate(year, None)


def _after(parts: list[tuple[int, int]], position: int) -> tuple[int, int] | None:
    return next((part for part in parts if part[0] >= position), None)


def _place_publisher(text: str, start: int, end: int) -> re.Match[str] | None:
    """The last "Place: Publisher" outside quotation marks (a quoted title may hold a colon)."""
    if text.find(": ", start, end) < 0:
        return None  # every imprint has a colon and a space after its place; most lines have none
    quotes = [match.span() for match in _QUOTED.finditer(text, start, end)]
    found = None
    for match in _PLACE_PUBLISHER.finditer(text, start, end):
        if not any(s <= match.start("place") < e for s, e in quotes):
            found = match
    return found


def _container(
    text: str, parts: list[tuple[int, int]], title: tuple[int, int] | None, date_at: int, lead_end: int
) -> tuple[int, int] | None:
    publisher = _place_publisher(text, parts[0][0], parts[-1][1])
    if publisher is not None:
        return _strip(text, *publisher.span("publisher"))
    usable = [p for p in parts if p != title and not _URL_START.match(text, p[0]) and p[0] >= lead_end]
    if title is not None:
        usable = [p for p in usable if p[0] >= title[1]]  # the authors come before the title
    if date_at >= 0 and date_at >= lead_end:
        if not any(p[0] == date_at for p in parts):
            return None  # the date stands inside a sentence ("reported by X on 9 May"): no container
        before = [p for p in usable if p[1] <= date_at]
        return before[-1] if before else None
    if title is not None:
        return _after(usable, title[1])
    return None


def _author_lead(text: str, start: int, end: int, words: ReferenceWords) -> re.Match[str] | None:
    """Authors and a year in parentheses at the start of an entry, if the names are only names:
    capitalised words and initials, "and", "&", "et al." and surname particles. "On the same day (May
    2013)" is prose."""
    if text.find("(", start, min(end, start + 220)) < 0:
        return None  # cheap: most lines have no parenthesis near their start
    lead = _AUTHOR_LEAD.match(text, start, end)
    if lead is None:
        return None
    for word in re.split(r"[\s,]+", lead.group("authors")):
        if word and not word[0].isupper() and word.lower() not in words.name_words:
            return None
    return lead


def _entry(text: str, start: int, end: int, words: ReferenceWords) -> ReferenceEntry | None:
    lead = _author_lead(text, start, end, words)
    lead_end = lead.end() if lead else start
    parts = _parts(text, lead_end, end)
    if not parts:
        return None
    date, accessed, date_at = _dates(text, lead_end, end, words)
    if lead is not None:
        date, date_at = _lead_date(lead), -1
    elif date is None:  # a book's year after its publisher: "(Leeds: Northgate Press, 2014)"
        publisher = _place_publisher(text, lead_end, end)
        if publisher is not None and publisher.group("year"):
            date = CitedDate(int(publisher.group("year")), None)
    quotes = [m.span() for m in _QUOTED.finditer(text, lead_end, end)]
    if date_at >= 0 and any(e <= date_at for _, e in quotes):
        quotes = [q for q in quotes if q[1] <= date_at][-1:]  # the title is the quotation nearest the date
    if quotes:
        title = next((p for p in parts if quotes[0][0] <= p[0] < quotes[0][1]), None)
    elif lead is not None or (date_at < 0 and len(parts) > 1):
        title = parts[0]  # APA's "(2019). Title. Journal", Wikipedia's "Title. Work."
    else:
        title = None  # "Daily Example, 3 May 2021": a name and its date; "Report, Publisher, 2020": no quotes
    if title is None and date_at < 0 and len(parts) == 1:
        return ReferenceEntry(Span(start, end), None, Span(*parts[0]), date, accessed)  # "- Example Wire"
    container = _container(text, parts, title, date_at, lead_end)
    if container is not None and (date_at >= 0 and container[0] >= date_at):
        container = None  # nothing stood before the date but the title: "“Title,” March 5, 2021"
    chapter_publisher = _chapter_publisher(text, parts, title)
    container = chapter_publisher or container
    author = None
    if quotes and title is not None and lead is None:
        author = next((p for p in reversed(parts) if p[1] <= title[0]), None)
    return ReferenceEntry(
        span=Span(start, end),
        title=Span(*title) if title else None,
        container=Span(*container) if container else None,
        date=date,
        accessed=accessed,
        author=Span(*author) if author else None,
        container_placed=chapter_publisher is not None
        or _placed(text, parts, container, title, bool(quotes) or lead is not None),
    )


def _chapter_publisher(
    text: str, parts: list[tuple[int, int]], title: tuple[int, int] | None
) -> tuple[int, int] | None:
    """A chapter "In" a book (APA "In K. Osei (Ed.), Book (pp. 4-9). Publisher."; Chicago "In Book, edited
    by X, 4-9. Publisher, 2014."): its publisher, the last part after the "In" that reads as a name; with
    none, the book ("In Book, 4-9.")."""
    if title is None:
        return None
    book = _after(parts, title[1])
    if book is None or not text.startswith("In ", book[0]):
        return None
    later = [part for part in parts if part[0] > book[0]]
    found = next((part for part in reversed(later) if is_title_cased_name(text[part[0] : part[1]])), None)
    return found or (book[0] + 3, book[1])


def _placed(
    text: str,
    parts: list[tuple[int, int]],
    container: tuple[int, int] | None,
    title: tuple[int, int] | None,
    title_marked: bool,
) -> bool:
    """Whether the container is a publisher after its place, or the part right after a title that
    quotation marks or an author-year lead set apart (an unmarked "title" may be an author's name)."""
    if container is None:
        return False
    publisher = _place_publisher(text, parts[0][0], parts[-1][1])
    if publisher is not None:
        return _strip(text, *publisher.span("publisher")) == container
    return title_marked and title is not None and _after(parts, title[1]) == container


# --- author-year citations ----------------------------------------------------------------------------

_PAGES = r"(?:[,:]\s?(?:pp?\.\s?)?\d+(?:[-\u2013]\d+)?)?"
_YEAR_IN_PARENTHESES = re.compile(rf"\((?:{_YEAR})[a-z]?[),:]")


@dataclass(frozen=True, slots=True)
class AuthorYearPatterns:
    parenthetical: re.Pattern[str]  # "(Smith, 2013: 4; Lee and Park 2016)"
    one: re.Pattern[str]  # one work inside it
    narrative: re.Pattern[str]  # "Smith and Lee (2013)"


@lru_cache(maxsize=1)
def _author_year_patterns() -> AuthorYearPatterns:
    data = read_yaml(REFERENCES_FILE)
    particles = _words(data["surname_particles"])
    leads = _words(data["author_year_leads"])
    surname = (
        rf"(?:(?:{particles})\s)?[A-Z\u00c0-\u00de][a-z\u00df-\u00ff]+"
        r"(?:[-'\u2019][A-Z\u00c0-\u00de]?[a-z\u00df-\u00ff]+)*"
    )
    authors = rf"{surname}(?:(?:,\s{surname})*,?\s(?:and|&)\s{surname}|\set\sal\.?)?"
    one = rf"(?P<authors>{authors}),?\s(?P<year>{_YEAR})[a-z]?{_PAGES}"
    return AuthorYearPatterns(
        parenthetical=re.compile(
            rf"\((?:(?:{leads})\s)?{one}(?:;\s(?:(?:{leads})\s)?(?:{authors}),?\s{_YEAR}[a-z]?{_PAGES})*\)"
        ),
        one=re.compile(one),
        narrative=re.compile(
            rf"(?<![\w.])(?P<authors>{authors})(?:'s|\u2019s)?\s\((?P<year>{_YEAR})[a-z]?{_PAGES}\)"
        ),
    )


def _work(match: re.Match[str]) -> AuthorYear | None:
    authors = match.group("authors")
    if is_month_name(authors.split()[0]):
        return None  # "(March, 2021)"
    return AuthorYear(Span(*match.span()), authors, int(match.group("year")))


def _narrative(text: str, words: ReferenceWords) -> list[AuthorYear]:
    """ "Smith (2013) argues": found from each "(year" back to the names before it. A lone surname
    needs a reporting verb after it ("Beijing (2008)" has the same shape); two names or "et al." do not."""
    pattern = _author_year_patterns().narrative
    found = []
    for year in _YEAR_IN_PARENTHESES.finditer(text):
        for match in pattern.finditer(text, max(0, year.start() - 120), min(len(text), year.start() + 40)):
            if not match.start() < year.start() < match.end():
                continue
            authors = match.group("authors")
            several = " and " in authors or "&" in authors or " et al" in authors
            work = _work(match)
            if work is not None and (several or words.reporting_verb.match(text, match.end())):
                found.append(work)
    return found


def _author_years(text: str, words: ReferenceWords) -> list[AuthorYear]:
    patterns = _author_year_patterns()
    found = []
    for group in patterns.parenthetical.finditer(text):
        for match in patterns.one.finditer(text, group.start() + 1, group.end() - 1):
            work = _work(match)
            if work is not None:
                found.append(work)
    found += _narrative(text, words)
    return sorted(found, key=lambda item: item.span.start)


# --- "(Source, date)" citations -----------------------------------------------------------------------

_PARENTHESES = re.compile(r"\(([^()\n]{6,300})\)")
_ITEM = re.compile(r"[^;]+")


def _dated_source(text: str, start: int, end: int, words: ReferenceWords) -> DatedSource | None:
    """ "Example Wire, March 3, 2021" (one item of a parenthesis): a name, a comma, then a date with at
    least a month that ends the item. The name is the part after any earlier comma ("Lena Hart,
    Example Wire, March 3"); a weekday or month is no name ("Monday, March 3")."""
    start, end = _strip(text, start, end)
    dates = find_dates(text, start, end)
    if not dates or dates[-1][1] != end or dates[-1][2].month is None:
        return None
    date_start = dates[-1][0]
    if not text.endswith(", ", start, date_start):
        return None
    name_end = date_start - 2
    name_start = max(start, text.rfind(", ", start, name_end) + 2)
    name = text[name_start:name_end]
    if not is_title_cased_name(name) or any(w.lower().strip(".,") in words.time_words for w in name.split()):
        return None
    return DatedSource(Span(name_start, name_end), dates[-1][2])


def _dated_sources(text: str, words: ReferenceWords) -> list[DatedSource]:
    found = []
    for group in _PARENTHESES.finditer(text):
        if ", " not in group.group(1):
            continue  # cheap: most parentheses hold no "Name, date"
        for item in _ITEM.finditer(text, group.start(1), group.end(1)):
            source = _dated_source(text, item.start(), item.end(), words)
            if source is not None:
                found.append(source)
    return found


def find_references(text: str) -> References:
    words = reference_words()
    entries = []
    for line_start, line_end in _entry_lines(text, words):
        for start, end in _sub_entries(text, line_start, line_end):
            entry = _entry(text, start, end, words)
            if entry is not None:
                entries.append(entry)
    return References(tuple(entries), tuple(_author_years(text, words)), tuple(_dated_sources(text, words)))
