"""The date an attribution gives its source, when the sentence ties one to the cue: "Xinhua reported on
March 20, 2021", "China Daily's editorial (March 20)", "On June 15, the People's Daily published". A
date elsewhere in the sentence is the event's, not the citation's, and is left alone.
"""

from __future__ import annotations

import re

from ..models import CitedDate
from .dates import find_dates

__all__ = ["cue_date"]

# Between a cue and a date: "on" or "in", perhaps after a few words ("reported on", "said in a statement on").
_VERB_ON = re.compile(r"[ \t,]+(?:[a-z]+[ \t]+){0,4}?(?:on|in|dated)[ \t]+")
_OPENING = re.compile(r"[ \t]*(?:(?:on|in)[ \t]+)?$", re.IGNORECASE)


def cue_date(
    text: str, sentence: tuple[int, int], source: tuple[int, int], cue: tuple[int, int]
) -> CitedDate | None:
    """The date tied to an attribution whose source phrase spans `source` and whose cue spans `cue`."""
    start = min(source[0], cue[0])
    for date_start, date_end, date in find_dates(text, *sentence):
        if date_end <= start:
            before = text[sentence[0] : date_start]
            if _OPENING.fullmatch(before) and start - date_end <= 40:
                return date  # "On June 15, the People's Daily published"
            if (
                0 <= start - date_end <= 30
                and "," in text[date_end:start]
                and not text[date_end:start].strip(" ,")
            ):
                return date
        elif (
            date_start >= cue[1]
            and date_start - cue[1] <= 40
            and _VERB_ON.fullmatch(text[cue[1] : date_start])
        ):
            return date  # "reported on March 20", "said in a statement on Friday, March 3"
        elif (
            date_start >= source[1]
            and date_start - source[1] <= 30
            and text[source[1] : date_start].strip() in ("(", "")
        ):
            return date  # "China Daily's editorial (March 20)", "Xinhua March 20"
        if date_start >= source[1] and date_start - source[1] <= 4:
            return date
    return None
