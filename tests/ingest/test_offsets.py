"""Positions: every citation's offsets and line lead back into the file as written."""

from __future__ import annotations

import pytest

from citecheck.config import InputSettings
from citecheck.ingest import document_from_bytes

SETTINGS = InputSettings()


@pytest.mark.parametrize(
    ("source", "kept"),
    [
        # the address that prompted the rule: an underscore before "?" looked like closing emphasis
        ('<img src="https://media.example.com/pic/Ab12Cd_?size=large&kind=png">', "Ab12Cd_?size"),
        ("[chart](https://example.org/files/_draft_/chart.png) shows it", "/_draft_/chart.png"),
        ("See https://example.org/a__b__c for *more*.", "a__b__c"),
    ],
)
def test_markdown_emphasis_marks_inside_an_address_stay(source: str, kept: str) -> None:
    document = document_from_bytes("notes.md", source.encode(), SETTINGS)
    assert kept in document.text


def test_markdown_emphasis_next_to_an_address_is_still_taken_out() -> None:
    # near miss: the emphasis stands apart from the address, after a space
    source = "Read https://example.org/a_b and _The Example Times_ too."
    document = document_from_bytes("notes.md", source.encode(), SETTINGS)
    assert document.text == "Read https://example.org/a_b and The Example Times too."
