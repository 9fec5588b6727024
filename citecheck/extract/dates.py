"""Dates as citations write them: "November 15, 2024", "15 Nov. 2024", "2021-03-20", "June 11".

A date without a year keeps its year unknown; nothing here guesses one.
"""

from __future__ import annotations

import re
from dataclasses import fields

from ..models import CitedDate

__all__ = ["DATE_PATTERN", "find_dates", "parse_date"]

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
_MONTH = (
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

DATE_PATTERN = re.compile(
    "|".join(
        [
            rf"\b{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?\b",  # November 15, 2024 / June 11
            rf"\b{_DAY}\s+{_MONTH}(?:,?\s+{_YEAR})?\b".replace("(?P<", "(?P<b_"),  # 15 November 2024
            r"\b(?P<iso_year>(?:19|20)\d\d)-(?P<iso_month>[01]\d)-(?P<iso_day>[0-3]\d)\b",  # 2021-03-20
            rf"\b{_MONTH}\s+{_YEAR}\b".replace("(?P<", "(?P<m_"),  # March 2021
        ]
    )
)


# The same pattern behind a one-character look-ahead: every date starts with a month's capital or a
# digit, so most positions fail at once instead of trying four alternatives. (find_dates() tries it only
# where a date can start; parse_date() and the tests run it over whole texts.)
_DATE_SCAN = re.compile(rf"(?=[JFMASOND\d])(?:{DATE_PATTERN.pattern})")
_DIGITS = re.compile(r"\d\d*")  # every date holds a run of them (not \d+: this one skips to digits faster)
_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


# CitedDate is a frozen dataclass: its generated __init__ sets each field through object.__setattr__ in
# interpreted code, which cost more than finding the date. _cited_date() makes the same object calling
# object.__setattr__ itself (compiled: a direct C call), as citations._citation() does.
_DATE_FIELDS = ("year", "month", "day")
if tuple(field.name for field in fields(CitedDate)) != _DATE_FIELDS:
    raise ImportError("citecheck.extract.dates: update _cited_date() to CitedDate's fields")
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _cited_date(year: int | None, month: int, day: int | None) -> CitedDate:
    cited = object.__new__(CitedDate)
    object.__setattr__(cited, "year", year)
    object.__setattr__(cited, "month", month)
    object.__setattr__(cited, "day", day)
    return cited


def _valid(year: int | None, month: int, day: int | None) -> CitedDate | None:
    """The date, if datetime.date would take it (2000, a leap year, standing in for a missing year, so
    29 February passes without one): the Gregorian calendar's days, checked here without building one."""
    if not 1 <= month <= 12:
        return None
    if day is not None:
        leap_year = year or 2000
        leap = month == 2 and leap_year % 4 == 0 and (leap_year % 100 != 0 or leap_year % 400 == 0)
        if not 1 <= day <= _DAYS_IN_MONTH[month - 1] + leap or not 1 <= leap_year <= 9999:
            return None
    return _cited_date(year, month, day)


# Where each alternative of _DATE_SCAN leaves its parts in match.groups(), so a match is read with one
# call, without building its groupdict().
_GROUP = _DATE_SCAN.groupindex
_ISO = (_GROUP["iso_year"] - 1, _GROUP["iso_month"] - 1, _GROUP["iso_day"] - 1)
_NAMED = [
    (_GROUP[f"{prefix}month"] - 1, _GROUP.get(f"{prefix}year", 0) - 1, _GROUP.get(f"{prefix}day", 0) - 1)
    for prefix in ("", "b_", "m_")
]  # -1: the alternative has no such part


def _from_match(match: re.Match[str]) -> CitedDate | None:
    groups = match.groups()
    iso_year = groups[_ISO[0]]
    if iso_year:
        return _valid(int(iso_year), int(groups[_ISO[1]]), int(groups[_ISO[2]]))
    for month_group, year_group, day_group in _NAMED:
        month = groups[month_group]
        if month:
            year = groups[year_group] if year_group >= 0 else None
            day = groups[day_group] if day_group >= 0 else None
            return _valid(
                int(year) if year else None, _MONTHS[month.lower().rstrip(".")], int(day) if day else None
            )
    return None


def _month_before(text: str, digits: int, floor: int) -> int:
    """Where a month name ending right before text[digits] would start: back over whitespace (at least
    one character), an optional dot and the ASCII letters before them; -1 if that is not there or
    reaches before `floor`."""
    at = digits
    while at > floor and text[at - 1].isspace():
        at -= 1
    if at == digits:
        return -1
    if at > floor and text[at - 1] == ".":
        at -= 1
    letters_end = at
    while at > floor and text[at - 1] in _ASCII_LETTERS:
        at -= 1
    return at if at < letters_end else -1


def _digit_runs(text: str, start: int, end: int) -> list[int]:
    """Where the runs of digits in text[start:end] start: the starts of _DIGITS.finditer(text, start, end).

    In ASCII text \\d is [0-9], and ten str.find() loops (memchr) cost far less than sre's scan of
    every character; other text has other digits, and is scanned."""
    if not (text.isascii() or text[start:end].isascii()):
        return [run.start() for run in _DIGITS.finditer(text, start, end)]
    positions = []
    for digit in "0123456789":
        at = text.find(digit, start, end)
        while at >= 0:
            positions.append(at)
            at = text.find(digit, at + 1, end)
    positions.sort()
    runs = []
    previous = -2
    for at in positions:
        if at != previous + 1:
            runs.append(at)
        previous = at
    return runs


def find_dates(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, CitedDate]]:
    """Every date in text[start:end] as (start, end, date), in order.

    The matches of _DATE_SCAN.finditer(text, start, end), tried only where one can start: every date
    holds a run of digits, and starts either at the first of them (after \\b) or at a month name
    that only an optional dot and whitespace part from them. Runs of digits are few and quickly found;
    sre trying the whole pattern at every position was most of the cost of dates.
    """
    end = len(text) if end is None else end
    found = []
    resume = start  # where the last date ended: finditer's matches do not overlap
    for digits in _digit_runs(text, start, end):
        if digits < resume:
            continue
        month = _month_before(text, digits, resume)
        for candidate in (month, digits):
            if candidate < 0:
                continue
            match = _DATE_SCAN.match(text, candidate, end)
            if match is not None:
                resume = match.end()
                parsed = _from_match(match)
                if parsed is not None:
                    found.append((candidate, resume, parsed))
                break
    return found


def parse_date(text: str) -> CitedDate | None:
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
