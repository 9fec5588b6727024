"""Lines, sentences and quotations of one document's (punctuation-folded) text, found once."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from .lexicon import Lexicon

__all__ = ["TextIndex"]

# A sentence ends at a stop, any closing quotes or brackets, and whitespace before a capital, a digit
# or an opening quote; a line break always ends one.
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*[ \t]+(?=[A-Z0-9\"'(\[])|\n")
_WORD_BEFORE_DOT = re.compile(r"(?:^|(?<=[\s(\"']))([A-Za-z]+(?:\.[A-Za-z]+)*)\.$")
_CONTEXT_CHARS = 600


def _straight_quotes(text: str) -> list[tuple[int, int]]:
    """Quoted passages: a quote mark not right after a letter or digit and not before a space opens one;
    the next quote mark on the same line, within 1,000 characters, not after a space and not right before
    a letter or digit, closes it."""
    spans: list[tuple[int, int]] = []
    opening = text.find('"')
    while opening >= 0:
        closing = text.find('"', opening + 1)
        if closing < 0:
            break
        # An opening mark hugs the word after it, a closing mark the word before it.
        opens = (opening == 0 or not text[opening - 1].isalnum()) and not text[
            opening + 1 : opening + 2
        ].isspace()
        closes = (closing + 1 == len(text) or not text[closing + 1].isalnum()) and not text[
            closing - 1
        ].isspace()
        if opens and closes and closing - opening <= 1000 and "\n" not in text[opening:closing]:
            spans.append((opening, closing + 1))
            opening = text.find('"', closing + 1)
        else:
            opening = closing
    return spans


class TextIndex:
    def __init__(self, text: str, lexicon: Lexicon) -> None:
        self.text = text
        self.line_starts = [0] + [match.end() for match in re.finditer("\n", text)]
        self.quotes = _straight_quotes(text)
        self._quote_starts = [start for start, _ in self.quotes]
        self.sentence_starts = [0]
        for match in _SENTENCE_END.finditer(text):
            if (
                match.group() != "\n"
                and text[match.start()] == "."
                and self._abbreviation_at(match.start(), lexicon)
            ):
                continue
            self.sentence_starts.append(match.end())

    def _abbreviation_at(self, dot: int, lexicon: Lexicon) -> bool:
        """A dot after "Mr", "Gen" or a dotted abbreviation ("U.S.") does not end the sentence."""
        word = _WORD_BEFORE_DOT.search(self.text, max(0, dot - 20), dot + 1)
        if word is None:
            return False
        letters = word.group(1)
        return "." in letters or len(letters) == 1 or letters.lower() in lexicon.abbreviations

    def line_number(self, offset: int) -> int:
        return bisect_right(self.line_starts, offset)

    def line_bounds(self, offset: int) -> tuple[int, int]:
        number = bisect_right(self.line_starts, offset)
        start = self.line_starts[number - 1]
        end = self.line_starts[number] - 1 if number < len(self.line_starts) else len(self.text)
        return start, end

    def sentence_bounds(self, offset: int) -> tuple[int, int]:
        number = bisect_right(self.sentence_starts, offset)
        start = self.sentence_starts[number - 1]
        end = self.sentence_starts[number] if number < len(self.sentence_starts) else len(self.text)
        return start, end

    def sentences(self) -> list[tuple[int, int]]:
        ends = [*self.sentence_starts[1:], len(self.text)]
        return list(zip(self.sentence_starts, ends, strict=True))

    def context(self, start: int, end: int) -> str:
        """The sentence around text[start:end], for reports and archive matching."""
        sentence_start, _ = self.sentence_bounds(start)
        _, sentence_end = self.sentence_bounds(max(start, end - 1))
        if sentence_end - sentence_start > _CONTEXT_CHARS:  # run-on text: the part around the citation
            sentence_start = max(
                sentence_start, min(start - _CONTEXT_CHARS // 3, sentence_end - _CONTEXT_CHARS)
            )
            sentence_end = sentence_start + _CONTEXT_CHARS
        return self.text[sentence_start:sentence_end].strip()

    def in_quotes(self, start: int, end: int) -> bool:
        """Whether text[start:end] lies inside a quoted passage (passages do not overlap)."""
        last = bisect_left(self._quote_starts, start) - 1
        return last >= 0 and end < self.quotes[last][1]

    def previous_nonempty_line(self, offset: int) -> tuple[int, int] | None:
        number = self.line_number(offset) - 1
        while number >= 1:
            start = self.line_starts[number - 1]
            end = self.line_starts[number] - 1
            if self.text[start:end].strip():
                return start, end
            number -= 1
        return None
