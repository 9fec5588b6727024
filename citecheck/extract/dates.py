"""Dates as citations write them: "November 15, 2024", "15 Nov. 2024", "2021-03-20", "June 11".

A date without a year keeps its year unknown; nothing here guesses one.
"""

from __future__ import annotations

import re
from datetime import date

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
# digit, so most positions fail at once instead of trying four alternatives.
_DATE_SCAN = re.compile(rf"(?=[JFMASOND\d])(?:{DATE_PATTERN.pattern})")
_DIGIT = re.compile(r"\d")  # every date holds one


def _valid(year: int | None, month: int, day: int | None) -> CitedDate | None:
    if not 1 <= month <= 12:
        return None
    if day is not None:
        try:
            date(year or 2000, month, day)  # 2000 is a leap year, so 29 February passes without a year
        except ValueError:
            return None
    return CitedDate(year, month, day)


# Group numbers of each alternative of _DATE_SCAN, so a match is read without building its groupdict().
_GROUP = _DATE_SCAN.groupindex
_ISO = (_GROUP["iso_year"], _GROUP["iso_month"], _GROUP["iso_day"])
_NAMED = [
    (_GROUP[f"{prefix}month"], _GROUP.get(f"{prefix}year"), _GROUP.get(f"{prefix}day"))
    for prefix in ("", "b_", "m_")
]


def _from_match(match: re.Match[str]) -> CitedDate | None:
    iso_year = match.group(_ISO[0])
    if iso_year:
        return _valid(int(iso_year), int(match.group(_ISO[1])), int(match.group(_ISO[2])))
    for month_group, year_group, day_group in _NAMED:
        month = match.group(month_group)
        if month:
            year = match.group(year_group) if year_group is not None else None
            day = match.group(day_group) if day_group is not None else None
            return _valid(
                int(year) if year else None, _MONTHS[month.lower().rstrip(".")], int(day) if day else None
            )
    return None


def find_dates(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, CitedDate]]:
    """Every date in text[start:end] as (start, end, date), in order."""
    end = len(text) if end is None else end
    if not _DIGIT.search(text, start, end):
        return []
    found = []
    for match in _DATE_SCAN.finditer(text, start, end):
        parsed = _from_match(match)
        if parsed is not None:
            found.append((match.start(), match.end(), parsed))
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
