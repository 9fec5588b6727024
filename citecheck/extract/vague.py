"""Vague attributions that stand without a source phrase: anonymity ("on condition of anonymity",
"declined to be named"), hearsay adverbs ("reportedly") and impersonal reports ("it is understood
that", "there were various rumours"). The constructions are data (lexicon.yaml, anonymity_phrases);
an unnamed source attached to a cue ("a senior official said") is found by the attribution grammar.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from .lexicon import Lexicon, Slot
from .tokens import Tokens

__all__ = ["anonymity_spans", "merge_spans", "trigger_words"]


def _match(tokens: Tokens, at: int, slots: Sequence[Slot]) -> int:
    """The index after a match of `slots` starting at tokens[at], or -1."""
    position = at
    for words, optional in slots:
        if position < len(tokens) and position not in tokens.hits and tokens.lowers[position] in words:
            position += 1
        elif not optional:
            return -1
    return position


@lru_cache(maxsize=4)
def _by_first_word(lexicon: Lexicon) -> dict[str, tuple[tuple[Slot, ...], ...]]:
    """The constructions by the words their first slot allows (a first slot is never optional)."""
    table: dict[str, list[tuple[Slot, ...]]] = {}
    for slots in lexicon.anonymity_phrases:
        for word in slots[0][0]:
            table.setdefault(word, []).append(slots)
    return {word: tuple(constructions) for word, constructions in table.items()}


def trigger_words(lexicon: Lexicon) -> frozenset[str]:
    return frozenset(_by_first_word(lexicon))


def anonymity_spans(tokens: Tokens, lexicon: Lexicon, cues: list[int]) -> list[tuple[int, int]]:
    """The constructions starting at the tokens `cues` (the indexes where a trigger word may stand)."""
    starts = _by_first_word(lexicon)
    found = []
    for at in cues:
        for slots in starts.get(tokens.lowers[at], ()):
            end = _match(tokens, at, slots)
            if end > at:
                found.append((tokens.starts[at], tokens.ends[end - 1]))
                break
    return found


def merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping spans as one."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
