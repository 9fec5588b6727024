"""Dates as citations write them, and the dates a cited address carries in its path.

In text: "November 15, 2024", "15 Nov. 2024", "the 5th of March 2021", "2021-03-20", "2021/3/20",
"June 11", "March 2021", "2021年3月20日", "3月20日", and numeric "03/04/2021", "4.3.2021". A numeric
date whose first two numbers could each be the day is read by the document's own convention: the dates
in the same text that can only be read one way (13/04/2021 is day-first, 04/13/2021 month-first), then
the order of its dates with month names ("5 March 2021" against "March 5, 2021"); with neither, the date
is left unread rather than guessed. A date without a year keeps its year unknown; nothing here guesses one.

In an address (url_date): /2023/08/25/, /2022/mar/04/, /2021-12/08/, 2021-03-04 or 20230801 inside a
path segment ("/20230801-story", "Article_2015-03-18-ML"), ?date=2021-03-04; /2017/04/ gives a month.
A Wayback Machine address is read for the archived page's address, not for the capture's timestamp.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from ..models import CitedDate

__all__ = [
    "DATE_PATTERN",
    "archive_day",
    "document_date",
    "find_dates",
    "is_month_name",
    "parse_date",
    "url_date",
]

_MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH_NAMES = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
)


def is_month_name(word: str) -> bool:
    """ "March", "Sept.", "jan": a month's name or abbreviation, in any case."""
    return word.lower().rstrip(".") in _MONTHS


def _month(name: str) -> str:
    return rf"(?P<{name}>{_MONTH_NAMES})\.?"


def _day(name: str) -> str:
    return rf"(?P<{name}>[0-3]?\d)(?:st|nd|rd|th)?"


def _year(name: str) -> str:
    return rf"(?P<{name}>(?:1[7-9]|20)\d\d)"


_NUMERIC_TAIL = r"(?!\d|[./-]\d)"  # "1.2.2021.5" is a version number; "3/4/2021." ends a sentence
# Each pattern opens with a look-ahead for the characters a date can start with: sre then skips to
# those (about 15 MB/s) instead of trying every alternative at every position (under 5 MB/s).
_STARTS_DATE = r"(?=[JFMASOND\d])"
DATE_PATTERN = re.compile(
    _STARTS_DATE
    + "(?:"
    + "|".join(
        [
            rf"\b{_month('md_month')}\s+{_day('md_day')}(?:,?\s+{_year('md_year')})?\b",  # November 15, 2024
            # 15 Nov 2024, the 15th of November
            rf"\b{_day('dm_day')}\s+(?:of\s+)?{_month('dm_month')}(?:,?\s+{_year('dm_year')})?\b",
            rf"\b{_year('ymd_year')}(?P<ymd_sep>[-/.])(?P<ymd_month>[01]?\d)(?P=ymd_sep)(?P<ymd_day>[0-3]?\d)"
            + _NUMERIC_TAIL,  # 2021-03-20, 2021/3/20
            rf"\b{_month('my_month')}\s+{_year('my_year')}\b",  # March 2021
            rf"\b(?P<num_first>[0-3]?\d)(?P<num_sep>[/.-])(?P<num_second>[0-3]?\d)(?P=num_sep){_year('num_year')}"
            + _NUMERIC_TAIL,  # 03/04/2021
            # 2021年3月5日, 2021年3月, 3月5日: no \b (a CJK character beside a digit is no word boundary)
            r"(?<!\d)(?:(?P<cjk_year>(?:1[7-9]|20)\d\d)\s*年\s*)?(?P<cjk_month>[01]?\d)\s*月"
            r"(?:\s*(?P<cjk_day>[0-3]?\d)\s*[日号號])?(?!\d)",
        ]
    )
    + ")"
)
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _valid(year: int | None, month: int, day: int | None) -> CitedDate | None:
    """The date if the calendar has it; 29 February only in a leap year (or a year not given)."""
    if not 1 <= month <= 12:
        return None
    if day is not None:
        leap = year is None or (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0))
        if not 1 <= day <= _DAYS_IN_MONTH[month - 1] or (month == 2 and day == 29 and not leap):
            return None
    return CitedDate(year, month, day)


@lru_cache(maxsize=2)  # the few texts being read now: find_dates() is called sentence by sentence
def _day_first(text: str) -> bool | None:
    """Whether `text` writes numeric dates day first (True), month first (False), or cannot be told:
    by its numeric dates that can be read only one way (13/04/2021, 04/13/2021), else by the order of
    its full dates with month names ("5 March 2021", "March 5, 2021")."""
    numeric = [0, 0]  # day first, month first
    named = [0, 0]
    for match in DATE_PATTERN.finditer(text):
        if match["num_first"]:
            first, second = int(match["num_first"]), int(match["num_second"])
            numeric[0] += first > 12 >= second
            numeric[1] += second > 12 >= first
        elif match["dm_year"]:
            named[0] += 1
        elif match["md_day"] and match["md_year"]:
            named[1] += 1
    for day_first, month_first in (numeric, named):
        if day_first != month_first:
            return day_first > month_first
    return None


def _numeric(match: re.Match[str], text: str) -> CitedDate | None:
    first, second, year = int(match["num_first"]), int(match["num_second"]), int(match["num_year"])
    if first > 12 or second > 12 or first == second:
        day_first = first > 12 or first == second
    else:
        convention = _day_first(text)
        if convention is None:
            return None  # 03/04/2021 in a text that never shows its order: not guessed
        day_first = convention
    day, month = (first, second) if day_first else (second, first)
    return _valid(year, month, day)


def _named(month: str, day: str | None, year: str | None) -> CitedDate | None:
    return _valid(int(year) if year else None, _MONTHS[month.lower()], int(day) if day else None)


def _parsed(match: re.Match[str], text: str) -> CitedDate | None:
    if match["md_month"]:
        return _named(match["md_month"], match["md_day"], match["md_year"])
    if match["dm_month"]:
        return _named(match["dm_month"], match["dm_day"], match["dm_year"])
    if match["ymd_year"]:
        return _valid(int(match["ymd_year"]), int(match["ymd_month"]), int(match["ymd_day"]))
    if match["my_month"]:
        return _named(match["my_month"], None, match["my_year"])
    if match["cjk_month"]:
        if not match["cjk_year"] and not match["cjk_day"]:
            return None  # "3月" alone: a month with nothing to place it
        year, day = match["cjk_year"], match["cjk_day"]
        return _valid(int(year) if year else None, int(match["cjk_month"]), int(day) if day else None)
    return _numeric(match, text)


def find_dates(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, CitedDate]]:
    """Every date in text[start:end] as (start, end, date), in order; numeric dates read by the
    convention of the whole of `text`."""
    found = []
    for match in DATE_PATTERN.finditer(text, start, len(text) if end is None else end):
        parsed = _parsed(match, text)
        if parsed is not None:
            found.append((match.start(), match.end(), parsed))
    return found


_YEAR_ONLY = re.compile(r"\s*((?:1[7-9]|20)\d\d)\s*")


def parse_date(text: str) -> CitedDate | None:
    """The first date in `text`; a text that is nothing but a year ("2013") is that year."""
    year = _YEAR_ONLY.fullmatch(text)
    if year:
        return CitedDate(int(year.group(1)), None)
    dates = find_dates(text)
    return dates[0][2] if dates else None


def document_date(text: str, lines: int = 5) -> CitedDate | None:
    """The document's own date: a full date in its first few non-empty lines (a dateline), if any.

    Used as the target for archive look-ups when a citation gives no date of its own.
    """
    seen = 0
    for line in text.splitlines():
        if not line.strip():
            continue
        for _start, _end, found in find_dates(line):
            if found.year is not None and found.day is not None:
                return found
        seen += 1
        if seen >= lines:
            break
    return None


def archive_day(date: CitedDate | None, document_day: str | None) -> str | None:
    """The day (YYYY-MM-DD) an archived copy of a cited page should be nearest to: the cited day; a month
    and day cited without a year ("June 7") in the year of the document's own day, or the year before
    when that would fall after it (a text cites what came before it); else the document's own day.
    The citation keeps its date as written: only the look-up borrows the year."""
    if date is not None and date.month is not None and date.day is not None:
        if date.year is not None:
            return date.iso()
        if document_day is not None:
            year = int(document_day[:4])
            for candidate_year in (year, year - 1):
                found = _valid(candidate_year, date.month, date.day)
                if found is not None and found.iso() <= document_day:
                    return found.iso()
    return document_day


# Dates in an address, most exact first. Each stands between separators ("/", "-", "_", ".", "=", or
# the ends), so a long number ("/28969701", a 14-digit Wayback timestamp) is never read as one.
_EDGE_BEFORE = r"(?<![0-9A-Za-z])"
_EDGE_AFTER = r"(?![0-9])"
_URL_DATES = [
    re.compile(rf"{_EDGE_BEFORE}{_year('year')}/(?P<month>[01]?\d)/(?P<day>[0-3]?\d){_EDGE_AFTER}"),
    re.compile(rf"{_EDGE_BEFORE}{_year('year')}/(?P<name>[A-Za-z]{{3,9}})/(?P<day>[0-3]?\d){_EDGE_AFTER}"),
    re.compile(rf"{_EDGE_BEFORE}{_year('year')}-(?P<month>[01]\d)[-/](?P<day>[0-3]\d){_EDGE_AFTER}"),
    re.compile(rf"{_EDGE_BEFORE}{_year('year')}(?P<month>[01]\d)(?P<day>[0-3]\d){_EDGE_AFTER}"),
    re.compile(rf"{_EDGE_BEFORE}{_year('year')}[/-](?P<month>[01]?\d)(?=/)"),
]
_WAYBACK = re.compile(r"^/web/\d{1,14}[a-z_]*/(?P<original>.+)$", re.IGNORECASE)


def _path_and_query(url: str) -> str:
    parts = urlsplit(url if "://" in url else "https://" + url)
    host = (parts.hostname or "").lower()
    if host.endswith("archive.org"):
        archived = _WAYBACK.match(parts.path)
        if archived:  # the capture's timestamp is when it was archived, not when it was written
            original = archived.group("original") + (f"?{parts.query}" if parts.query else "")
            return _path_and_query(original)
    return unquote(f"{parts.path}?{parts.query}" if parts.query else parts.path)


def url_date(url: str) -> CitedDate | None:
    """The date a cited address carries in its path or query, if one is there."""
    try:
        where = _path_and_query(url)
    except ValueError:
        return None
    for number, pattern in enumerate(_URL_DATES):
        for match in pattern.finditer(where):
            groups = match.groupdict()
            if groups.get("name"):
                month = _MONTHS.get(groups["name"].lower())
                if month is None:
                    continue
            else:
                month = int(groups["month"])
            day = int(groups["day"]) if groups.get("day") else None
            found = _valid(int(groups["year"]), month, day)
            if found is not None and (day is not None or number == len(_URL_DATES) - 1):
                return found
    return None
