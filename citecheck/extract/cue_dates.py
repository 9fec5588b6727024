"""The date an attribution gives its source, when the sentence ties one to the cue: "Xinhua reported on
March 20, 2021", "Reuters reported March 20 that", "China Daily's editorial (March 20)", "On June 15, the
People's Daily published", and a date on the document that is the cue ("Amnesty's March 2021 report
found", "a 3 May 2020 report by Reuters", "In a March 2021 statement, the ministry said"). A date
elsewhere in the sentence is the event's, not the citation's, and is left alone: so is every date before
an attribution that closes its sentence ("The dam broke on 3 May, Reuters reported."; "..., said
Xinhua."), since what it reports stands before it.
"""

from __future__ import annotations

import re

from ..models import CitedDate
from .dates import find_dates

__all__ = ["cue_date"]

# Between a cue and a date: "on" or "in", perhaps after a few words ("reported on", "said in a statement on").
_VERB_ON = re.compile(r"[ \t,]+(?:[a-z]+[ \t]+){0,4}?(?:on|in|dated)[ \t]+")
_OPENING = re.compile(r"[ \t]*(?:(?:on|in)[ \t]+)?$", re.IGNORECASE)
# "In a March 2021 report, X said": an opening phrase whose head is a document dated by it.
_DOCUMENT_OPENING = re.compile(r"[ \t]*in[ \t]+(?:a|an|its|their|his|her|one)[ \t]+$", re.IGNORECASE)
_DOCUMENT_HEAD = re.compile(r"[ \t]+(?P<noun>[a-z]+)[ \t]*,[ \t]*")
# A date right after the cue, with no "on" (news style: "reported March 20 that"), counts when the clause
# goes on with "that" or a comma; "said 3 March talks would start" dates the talks.
_BARE_DATE_END = re.compile(r"[ \t]*(?:,|that\b)")
_CLOSING = " \t.!?\"'\u201d\u2019)]"


def _closes_sentence(
    text: str, sentence: tuple[int, int], source: tuple[int, int], cue: tuple[int, int]
) -> bool:
    """ "..., Reuters reported." / "..., said Xinhua.": nothing but closing punctuation after it."""
    return not text[max(source[1], cue[1]) : sentence[1]].strip(_CLOSING)


def _date_before(
    text: str, sentence: tuple[int, int], date: tuple[int, int], start: int, document_nouns: frozenset[str]
) -> bool:
    date_start, date_end = date
    before = text[sentence[0] : date_start]
    if _OPENING.fullmatch(before) and start - date_end <= 40:
        return True  # "On June 15, the People's Daily published"
    if _DOCUMENT_OPENING.fullmatch(before):
        head = _DOCUMENT_HEAD.match(text, date_end)
        if head is not None and head.end() == start and head.group("noun") in document_nouns:
            return True  # "In a March 2021 report, Amnesty International said"
    between = text[date_end:start]
    return 0 <= start - date_end <= 30 and "," in between and not between.strip(" ,")


def _dates_the_cue(text: str, date_end: int, cue: tuple[int, int], document_nouns: frozenset[str]) -> bool:
    """ "a March 2021 report by X", "X's 3 May statement": the date right before a document-noun cue."""
    words = text[cue[0] : cue[1]].split()
    return bool(words) and words[0].lower() in document_nouns and not text[date_end : cue[0]].strip()


def cue_date(
    text: str,
    sentence: tuple[int, int],
    source: tuple[int, int],
    cue: tuple[int, int],
    document_nouns: frozenset[str] = frozenset(),
) -> CitedDate | None:
    """The date tied to an attribution whose source phrase spans `source` and whose cue spans `cue`;
    `document_nouns` (report, statement, ...) are the cues a date before them belongs to."""
    start = min(source[0], cue[0])
    closing = _closes_sentence(text, sentence, source, cue)
    for date_start, date_end, date in find_dates(text, *sentence):
        if date_end <= cue[0] and _dates_the_cue(text, date_end, cue, document_nouns):
            return date
        if date_end <= start:
            if not closing and _date_before(text, sentence, (date_start, date_end), start, document_nouns):
                return date
        elif (
            date_start >= cue[1]
            and date_start - cue[1] <= 40
            and _VERB_ON.fullmatch(text[cue[1] : date_start])
        ):
            return date  # "reported on March 20", "said in a statement on Friday, March 3"
        elif (
            date_start >= cue[1]
            and not text[cue[1] : date_start].strip()
            and _BARE_DATE_END.match(text, date_end)
        ):
            return date  # "reported March 20 that", "said March 20, 2021, that"
        elif (
            date_start >= source[1]
            and date_start - source[1] <= 30
            and text[source[1] : date_start].strip() in ("(", "")
        ):
            return date  # "China Daily's editorial (March 20)", "Xinhua March 20"
        if date_start >= source[1] and date_start - source[1] <= 4:
            return date
    return None
