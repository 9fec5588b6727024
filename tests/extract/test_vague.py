"""Vague or anonymous attributions, from the lexicon in data/lexicon.yaml."""

from __future__ import annotations

import pytest

from citecheck.models import CitationKind


@pytest.mark.parametrize(
    "sentence",
    [
        "After the U.S. media revealed that he defected, things changed.",
        "Sources say the deal is off.",
        "Some analysts say the plan failed.",
        "Foreign experts have pointed out that this is a breach.",
        "It is reported that the family controls firms.",
        "Another overseas tipster said that a director fled.",
        "“It is true,” an EU official has confirmed.",
        "Various investigations into the data leak revealed an agency.",
        "There were various speculations about his identity.",
        "The company is reportedly in talks.",
        "It was a covert agency according to global intelligence networks.",
        "The deal was signed, citing three people familiar with the matter.",
        "Officials close to the negotiations expect a delay.",
        "It is widely believed that the operation was run from Shanghai.",
        "Netizens reported that the letter first appeared on Telegram.",
        "According to reports, the talks failed.",
        "Media reports suggest the talks failed.",
        "According to unconfirmed media reports, the talks failed.",
        "Rumours have circulated that the minister will resign.",
        "A source within the party said the plan failed.",
        "According to a source, the plan failed.",
        "According to U.S. officials, the plan failed.",
        "A Chinese scholar who asked not to be named said it failed.",
        "He spoke on condition of anonymity.",
        "A well-informed source told us it failed.",
    ],
)
def test_vague_phrases_found(extract, sentence: str) -> None:  # type: ignore[no-untyped-def]
    assert [c for c in extract(sentence) if c.kind is CitationKind.VAGUE], sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "Reuters said the talks ended.",
        "The minister, Chen Yixin, said the internet is a battlefield.",
        "According to Kyodo News, LINE stored data in China.",
        "According to reports by Reuters and Kyodo News, the talks failed.",
        "According to an official statement, the plan failed.",
        "The ship was named after him.",
    ],
)
def test_named_attributions_are_not_vague(extract, sentence: str) -> None:  # type: ignore[no-untyped-def]
    assert not [c for c in extract(sentence) if c.kind is CitationKind.VAGUE], sentence
