"""Occupied answers what testing a span against every taken span answers, however the spans lie."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from citecheck.extract.occupied import Occupied

_SPANS = st.lists(
    st.tuples(st.integers(0, 60), st.integers(1, 15)).map(lambda pair: (pair[0], pair[0] + pair[1])),
    max_size=30,
)


def _overlaps_any(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


@given(taken=_SPANS, asked=_SPANS)
def test_overlaps_as_a_scan_of_every_span_says(
    taken: list[tuple[int, int]], asked: list[tuple[int, int]]
) -> None:
    occupied = Occupied(taken)
    for start, end in asked:
        assert occupied.overlaps(start, end) == _overlaps_any(taken, start, end)


@given(taken=_SPANS, offered=_SPANS, asked=_SPANS)
def test_spans_added_where_none_was_are_taken_too(
    taken: list[tuple[int, int]], offered: list[tuple[int, int]], asked: list[tuple[int, int]]
) -> None:
    occupied = Occupied(taken)
    held = list(taken)
    for start, end in offered:  # as a found hit is added: only where nothing is yet
        if not occupied.overlaps(start, end):
            occupied.add(start, end)
            held.append((start, end))
    for start, end in [*asked, *offered]:
        assert occupied.overlaps(start, end) == _overlaps_any(held, start, end)


def test_a_long_span_early_on_covers_later_starts() -> None:
    occupied = Occupied([(0, 100), (10, 12), (20, 22)])
    assert occupied.overlaps(50, 60)  # the nearest span before 60 ends at 22; the first reaches 100
    assert not Occupied([(10, 12), (20, 22)]).overlaps(12, 20)
    assert not Occupied().overlaps(0, 5)
