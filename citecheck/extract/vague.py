"""Vague or anonymous attributions ("U.S. media revealed", "an overseas tipster said").

The patterns live in data/lexicon.yaml. One Aho-Corasick pass finds their trigger words; each
pattern then runs only in a short window around its triggers, so cost grows with the number of
trigger words, not with the length of the document times the number of patterns.
Overlapping hits collapse into the longest one.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

import ahocorasick

from .lexicon import Lexicon

__all__ = ["find_vague"]

_REACH = 100  # no vague phrase runs further than this from its trigger word
_AUTOMATA: WeakKeyDictionary[Lexicon, ahocorasick.Automaton] = WeakKeyDictionary()


def _automaton(lexicon: Lexicon) -> ahocorasick.Automaton:
    automaton = _AUTOMATA.get(lexicon)
    if automaton is None:
        automaton = ahocorasick.Automaton()
        for word, indexes in lexicon.vague_triggers.items():
            automaton.add_word(word, (len(word), indexes))
        automaton.make_automaton()
        _AUTOMATA[lexicon] = automaton
    return automaton


def find_vague(text: str, lexicon: Lexicon) -> list[tuple[int, int]]:
    lowered = text.lower() if len(text.lower()) == len(text) else text
    windows: dict[int, list[tuple[int, int]]] = {}
    for end_index, (length, indexes) in _automaton(lexicon).iter(lowered):
        start, end = end_index - length + 1, end_index + 1
        if (start > 0 and lowered[start - 1].isalnum()) or (end < len(lowered) and lowered[end].isalnum()):
            continue
        for index in indexes:
            window = (max(0, start - _REACH), min(len(text), end + _REACH))
            spans = windows.setdefault(index, [])
            if spans and window[0] <= spans[-1][1]:
                spans[-1] = (spans[-1][0], window[1])
            else:
                spans.append(window)
    found = []
    for index, spans in windows.items():
        pattern = lexicon.vague[index]
        for window_start, window_end in spans:
            for match in pattern.finditer(text, window_start, window_end):
                start, end = match.span()
                while start < end and text[start].isspace():
                    start += 1
                if end > start:
                    found.append((start, end))
    return _merge(found)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans = sorted(set(spans), key=lambda span: (span[0], -(span[1] - span[0])))
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
            continue
        merged.append((start, end))
    return merged
