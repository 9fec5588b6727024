"""Spans of a text already taken by a hit, asked whether a new span overlaps one of them.

A dense document has tens of thousands of hits and as many phrases, dates and domains to test against
them; testing each against every hit made a 10 MB document take minutes in that loop alone. Here a
question costs two binary searches.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from itertools import accumulate

__all__ = ["Occupied"]


class Occupied:
    """`overlaps(start, end)` is `any(s < end and start < e for s, e in spans)` over the spans given,
    and those added later, which must overlap nothing already here (as a hit is added only where none
    is)."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        ordered = sorted(spans)
        self._starts = [start for start, _ in ordered]
        # The furthest end of the spans up to each one, in start order: the spans starting before `end`
        # reach past `start` when the furthest of them does.
        self._reach = list(accumulate((end for _, end in ordered), max))
        # Spans added later: disjoint, so in start order their ends are in order too.
        self._added_starts: list[int] = []
        self._added_ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        before = bisect_left(self._starts, end)
        if before and self._reach[before - 1] > start:
            return True
        before = bisect_left(self._added_starts, end)
        return bool(before) and self._added_ends[before - 1] > start

    def add(self, start: int, end: int) -> None:
        at = bisect_left(self._added_starts, start)
        self._added_starts.insert(at, start)
        self._added_ends.insert(at, end)
