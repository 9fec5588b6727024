"""Vague or anonymous attributions ("U.S. media revealed", "an overseas tipster said").

The patterns live in data/lexicon.yaml. One Aho-Corasick pass finds their trigger words; each
pattern then runs only in a short window around its triggers, so cost grows with the number of
trigger words, not with the length of the document times the number of patterns. A window that
lacks a pattern's core (the ending every match has) is skipped before the whole pattern runs.
Overlapping hits collapse into the longest one.
"""

from __future__ import annotations

import re

from ahocorasick_rs import AhoCorasick, Implementation

from .lexicon import Lexicon, lowered_text, scan

__all__ = ["find_vague"]

_REACH = 100  # no vague phrase runs further than this from its trigger word


def _automaton(lexicon: Lexicon) -> tuple[AhoCorasick, list[tuple[int, ...]]]:
    """The trigger words' automaton, and for each of its words the indexes of the patterns it triggers."""
    found: tuple[AhoCorasick, list[tuple[int, ...]]] | None = lexicon.scanners.get("vague triggers")
    if found is None:
        words = sorted(lexicon.vague_triggers)
        automaton = AhoCorasick(words, implementation=Implementation.DFA)
        found = automaton, [lexicon.vague_triggers[word] for word in words]
        lexicon.scanners["vague triggers"] = found
    return found


def _triggers(text: str, lowered: str | None, lexicon: Lexicon) -> list[tuple[int, int, tuple[int, ...]]]:
    """Trigger words standing as whole words: (start, end, indexes of the patterns they trigger)."""
    triggers_in = lowered if lowered is not None else text.lower() if len(text.lower()) == len(text) else text
    found = []
    length = len(text)
    automaton, patterns = _automaton(lexicon)
    for word, start, end in scan(automaton, triggers_in):
        indexes = patterns[word]
        if (start > 0 and triggers_in[start - 1].isalnum()) or (end < length and triggers_in[end].isalnum()):
            continue
        found.append((start, end, indexes))
    return found


def find_vague(
    text: str,
    lexicon: Lexicon,
    lowered: str | None = None,
    triggers: list[tuple[int, int, tuple[int, ...]]] | None = None,
) -> list[tuple[int, int]]:
    """Spans of vague attributions. `lowered` is lowered_text(text), and `triggers` the triggers from
    cues.cue_word_hits() over it, if the caller has them."""
    if lowered is None:
        lowered = lowered_text(text)
    if lowered is not None:
        subject, form = lowered, "lower"  # lower-cased patterns on lower-cased text: same spans, faster
    else:
        subject, form = text, "written"
    if triggers is None:
        triggers = _triggers(text, lowered, lexicon)
    windows: dict[int, list[tuple[int, int]]] = {}
    length = len(text)
    for start, end, indexes in triggers:
        window = (max(0, start - _REACH), min(length, end + _REACH))
        for index in indexes:
            spans = windows.setdefault(index, [])
            if spans and window[0] <= spans[-1][1]:
                spans[-1] = (spans[-1][0], window[1])
            else:
                spans.append(window)
    found = []
    for index, spans in windows.items():
        pattern = getattr(lexicon.vague_any[index], form)
        core = lexicon.vague_cores[index]
        core_pattern = getattr(core, form) if core is not None else None
        # A core that opens with one of several words: sre tries each word at every position of a window,
        # str.find() looks for each word in C; the core is then tried only where one stands.
        openings = lexicon.vague_core_openings[index] if form == "lower" else None
        if openings is not None and len(openings) < 2:
            openings = None  # one literal opening: sre's own search skips to it as fast
        for window_start, window_end in spans:
            if core_pattern is None:
                pass
            elif openings is not None:
                if not _opens_a_match(core_pattern, openings, subject, window_start, window_end):
                    continue
            elif not core_pattern.search(subject, window_start, window_end):
                continue
            for match in pattern.finditer(subject, window_start, window_end):
                start, end = match.span()
                while start < end and text[start].isspace():
                    start += 1
                if end > start:
                    found.append((start, end))
    return _merge(found)


def _opens_a_match(
    core: re.Pattern[str], openings: tuple[str, ...], subject: str, start: int, end: int
) -> bool:
    """core.search(subject, start, end) is not None, given that every match of core starts with one of
    `openings`: only where an opening lies wholly in the window can a match start."""
    for opening in openings:
        at = subject.find(opening, start, end)
        while at >= 0:
            if core.match(subject, at, end):
                return True
            at = subject.find(opening, at + 1, end)
    return False


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
