"""Vague or anonymous attributions ("U.S. media revealed", "an overseas tipster said").

The patterns live in data/lexicon.yaml; overlapping hits collapse into the longest one.
"""

from __future__ import annotations

from .lexicon import Lexicon

__all__ = ["find_vague"]


def find_vague(text: str, lexicon: Lexicon) -> list[tuple[int, int]]:
    spans = []
    for pattern in lexicon.vague:
        for match in pattern.finditer(text):
            start, end = match.span()
            while start < end and text[start].isspace():
                start += 1
            if end > start:
                spans.append((start, end))
    spans.sort(key=lambda span: (span[0], -(span[1] - span[0])))
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
            continue
        merged.append((start, end))
    return merged
