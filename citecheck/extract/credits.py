"""Photo and video credits: who made a picture or a film the page shows, not a source it relies on.

In: the text. Out: the spans that credit someone, so the names inside them get the role `credit`.
Four shapes, each a construction rather than a phrase:
- a label, then a colon or "by", then the names: "Photo: Reuters", "Image credit: Getty Images",
  "Video by CCTV", "图片来源：DW/…" (labels in data/references.yaml); the label opens a line, a
  parenthesis or a caption's last sentence, so "the photo: a crowd" inside a sentence is not one;
- an agency's media word before a slash: "(AP Photo/Jane Doe)", "Reuters TV/John Roe";
- names joined by slashes, with "via" before a distributor: "JANE DOE/AFP/Getty Images",
  "Jane Doe/AFP via Getty Images", "REUTERS/John Roe", standing as a line of its own, in parentheses,
  or after the last sentence of a caption. "a Reuters/Ipsos poll found" stands inside a sentence: no credit;
- a name "via" a distributor as a line of its own: "Jane Doe via Getty Images".
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..models import Span
from .references import reference_words
from .wordscan import WordScanner

__all__ = ["find_credits"]

_WORD = r"(?:[A-Z]\.|[A-Z\u00c0-\u00de][\w&'\u2019-]*)"  # an initial with its dot, or a capitalised word
_NAME = rf"{_WORD}(?:[^\S\n]{_WORD}){{0,3}}"
_SLASHED = re.compile(rf"{_NAME}(?:/{_NAME})+(?:[^\S\n]via[^\S\n]{_NAME})?")
# "Jane Doe via Example Images" with nothing else on its line (a full stop may close it).
_VIA_LINE = re.compile(rf"^[^\S\n]*({_NAME}[^\S\n]via[^\S\n]{_NAME})\.?[^\S\n]*$", re.MULTILINE)
# A credit ends at the line's end, a closing bracket, a pipe, or a sentence's end (not an initial's dot).
_CREDIT_END = re.compile(r"\n|\)|\]|(?<!\W[A-Z])[.!?](?=\s+[A-Z])|\s\|")
_LONGEST = 120  # a credit names a few people and agencies; more is a sentence


def _opens(text: str, index: int) -> bool:
    """Whether a credit can start at text[index]: at a line start, after an opening bracket or a pipe,
    or after the end of a caption's sentence."""
    at = index
    while at > 0 and text[at - 1] in " \t":
        at -= 1
    if at == 0 or text[at - 1] in "\n([|\u2014":
        return True
    return at < index and text[at - 1] in ".!?\u3002"


# After a label: a colon, "by", or (after "courtesy" only) "of": "a photo of the dam" is no credit.
_LABEL_END = re.compile(r"[^\S\n]*[:：]|[^\S\n]+(?:by|of)[^\S\n]")


def _label_before(text: str, end: int, labels: tuple[str, ...]) -> int:
    """Where a credit label ending at text[end] starts ("Image credit" before ": "), or -1."""
    window = text[max(0, end - 20) : end].lower()
    for label in reversed(labels):  # longest first: "image credit" before "credit"
        if window.endswith(label):
            start = end - len(label)
            if start == 0 or not (text[start - 1].isalnum() or text[start - 1] == "-"):
                return start
    return -1


@lru_cache(maxsize=1)
def _label_scanner() -> WordScanner:
    return WordScanner(list(reference_words().credit_labels))


def _label_ends(lowered: str) -> list[int]:
    """Where a credit label ends right before a colon, "by" or "of", in lower-cased text, in order.
    Colons, " by " and " of " are everywhere and labels are rare, so the labels are looked for first,
    all in one pass."""
    ends = sorted({end for _label, _start, end in _label_scanner().scan(lowered)})
    return [end for end in ends if _LABEL_END.match(lowered, end)]


def _labelled(text: str, lowered: str) -> list[Span]:
    """ "Photo: Reuters": found from each colon (or "by", "of") back to a label before it. Only a place
    where a label ends can start such a separator; the label's own checks follow as for any."""
    labels = reference_words().credit_labels
    found = []
    for label_end in _label_ends(lowered):
        separator = _LABEL_END.match(text, label_end)
        if separator is None:
            continue  # "BY" in capitals: the lower-cased text has a separator the text has not
        at = separator.start()
        if separator.group().strip() == "of" and text[max(0, at - 8) : at].lower() != "courtesy":
            continue  # "of" follows only "courtesy" (checked first: " of " is everywhere)
        start = _label_before(text, at, labels)
        if start < 0 or not _opens(text, start):
            continue
        names = separator.end()
        while names < len(text) and text[names] in " \t":
            names += 1
        stop = _CREDIT_END.search(text, names, names + _LONGEST)
        end = stop.start() if stop else min(len(text), names + _LONGEST)
        if end > names:
            found.append(Span(start, end))  # the label too: a link on the whole credit is a credit
    return found


@lru_cache(maxsize=1)
def _media_scanner() -> WordScanner:
    return WordScanner(list(reference_words().credit_media_words))


_MEDIA_END = re.compile(r"[^\S\n]?/|\)")  # after a media word: a slash, or the closing bracket
_AGENCY_BEFORE = re.compile(rf"(?:^|(?<=[\s(]))(?P<agency>{_NAME})[^\S\n]\Z")


def _agency_media(text: str, lowered: str) -> list[Span]:
    """ "(AP Photo/Jane Doe)", "(AFP Photo)": an agency's name before a media word and a slash, or the
    two in parentheses. The media words are found first (in lower-cased text, all in one pass); the
    name is looked for just before them."""
    found = []
    for _word, start, end in sorted(_media_scanner().scan(lowered), key=lambda hit: hit[1]):
        if start == 0 or not text[start - 1].isspace():
            continue
        media_end = _MEDIA_END.match(lowered, end)
        if media_end is None:
            continue
        agency = _AGENCY_BEFORE.search(text, max(0, start - 60), start)
        if agency is None:
            continue
        if media_end.group() == ")" and not text.endswith("(", 0, agency.start()):
            continue
        found.append(Span(agency.start(), media_end.end()))
    return found


def _slashed(text: str) -> list[Span]:
    """Names joined by slashes, looked for only on the lines that hold a slash."""
    found = []
    slash = text.find("/")
    while slash >= 0:
        line_start = text.rfind("\n", 0, slash) + 1
        line_end = text.find("\n", slash)
        line_end = len(text) if line_end < 0 else line_end
        for match in _SLASHED.finditer(text, line_start, line_end):
            start, end = match.span()
            rest = text[end:line_end].strip()
            alone = rest in ("", ")") or (rest == "]" and text.endswith("[", 0, start))
            if alone and "://" not in text[max(0, start - 8) : end] and _opens(text, start):
                found.append(Span(start, end))
        slash = text.find("/", line_end)
    return found


def _via_lines(text: str) -> list[Span]:
    """A photographer "via" a distributor standing as a line of its own: "Jane Doe via Example Images"."""
    return [Span(*match.span(1)) for match in _VIA_LINE.finditer(text)] if " via " in text else []


def find_credits(text: str) -> list[Span]:
    """The spans of text that credit a picture or film to someone, label and all, in order."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a letter grew when lower-cased ("İ"): offsets would drift
        lowered = "".join(character.lower()[0] for character in text)
    spans = sorted(
        {*_labelled(text, lowered), *_agency_media(text, lowered), *_slashed(text), *_via_lines(text)},
        key=lambda span: span.start,
    )
    merged: list[Span] = []
    for span in spans:  # "(AP Photo/Jane Doe)" is found as a slashed name and as an agency's photo
        if merged and span.start < merged[-1].end:
            merged[-1] = Span(merged[-1].start, max(merged[-1].end, span.end))
        else:
            merged.append(span)
    return merged
