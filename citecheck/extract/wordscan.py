"""Many words found in one pass: an Aho-Corasick automaton (ahocorasick-rs) over a list of words."""

from __future__ import annotations

import re

from ahocorasick_rs import AhoCorasick, Implementation

__all__ = ["WordScanner"]

_SURROGATE = re.compile(r"[\ud800-\udfff]")  # no word holds one; the automaton cannot take one


class WordScanner:
    def __init__(self, words: list[str], implementation: Implementation | None = None) -> None:
        self.automaton = AhoCorasick(words, implementation=implementation)

    def scan(self, text: str) -> list[tuple[int, int, int]]:
        """Every occurrence in `text` of every word, overlapping ones too: (word's index, start, end)."""
        try:
            return self.automaton.find_matches_as_indexes(text, overlapping=True)
        except UnicodeEncodeError:  # a lone surrogate: one character for another keeps the offsets
            return self.automaton.find_matches_as_indexes(_SURROGATE.sub("\ufffd", text), overlapping=True)
