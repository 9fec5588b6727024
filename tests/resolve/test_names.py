"""How a name may be written, and when a name is not the outlet (#14, item 3)."""

from __future__ import annotations

import pytest

from .conftest import Cited, Names


@pytest.mark.parametrize(
    ("text", "outlet_id"),
    [
        ("The F.B.I. said it had opened an inquiry.", "fbi"),
        ("A spokesman for the FBI said it had opened an inquiry.", "fbi"),
        ("The C.I.A. declined to comment.", "cia"),
        ("Politifact rated the claim false.", "politifact"),
        ("PolitiFact rated the claim false.", "politifact"),
        ("The NewStatesman ran the column first.", "new-statesman"),
        ("The New Statesman ran the column first.", "new-statesman"),
    ],
)
def test_spellings_writers_use_all_match(names: Names, text: str, outlet_id: str) -> None:
    assert [outlet for _, outlet in names(text)] == [outlet_id]


def test_a_dotted_abbreviation_needs_its_last_dot_and_no_letter_after(names: Names) -> None:
    assert names("The F.B.Inquiry was a novel.") == []


@pytest.mark.parametrize(
    "text",
    [
        "Aides to Michael Bloomberg said he would not run.",
        "Michael Bloomberg told reporters he would fund the campaign.",
        "A spokesman for Steve Forbes said the magazine was not for sale.",
    ],
)
def test_a_surname_is_not_an_outlet(names: Names, text: str) -> None:
    assert not {"bloomberg-news", "forbes"} & {outlet for _, outlet in names(text)}


@pytest.mark.parametrize(
    "text",
    [
        "Bloomberg reported that the bank would cut jobs.",
        "On Monday Bloomberg reported that the bank would cut jobs.",
        "But Bloomberg found that the bank had cut jobs.",
        "Chinese Xinhua news agency said the talks were useful.",
    ],
)
def test_a_name_after_an_ordinary_capitalised_word_is_still_the_outlet(names: Names, text: str) -> None:
    assert len(names(text)) == 1


# -- countries and capitals standing for governments ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "outlet_id"),
    [
        ("Moscow said on Tuesday that the drills were routine.", "russian-government"),
        ("Russia said the drills were routine.", "russian-government"),
        ("Beijing said the visit was a provocation.", "state-council"),
        ("Washington warned that sanctions would follow.", "gov-us"),
        ("Paris said it would recall its ambassador.", "gov-fr"),
        ("The French government said it would recall its ambassador.", "gov-fr"),
    ],
)
def test_a_country_or_capital_with_a_reporting_verb_is_its_government(
    cited: Cited, text: str, outlet_id: str
) -> None:
    assert cited(text) == [outlet_id]


@pytest.mark.parametrize(
    ("text", "outlet_id"),
    [
        ("Beijing has repeatedly said the tariffs must go.", "state-council"),
        ("Paris on Monday warned that it would recall its ambassador.", "gov-fr"),
        ("Moscow insisted the drills were routine.", "russian-government"),
    ],
)
def test_a_capital_is_its_government_past_auxiliaries_adverbs_and_weekdays(
    names: Names, text: str, outlet_id: str
) -> None:
    # the resolver keeps the name; whether the verb makes it cited is the attribution grammar's call
    assert [outlet for _, outlet in names(text)] == [outlet_id]


@pytest.mark.parametrize(
    "text",
    [
        "The delegation flew to Moscow on Tuesday.",  # named in passing
        "Trade between Russia and China grew last year.",
        "The talks were held in Sharm El-Sheikh, Egypt, and ended late, officials said.",  # a place
        "Turkey's foreign minister said a ceasefire was close.",  # the minister speaks, not the country
        "The Ministry of Foreign Affairs of Sri Lanka issued a statement.",  # part of a longer name
        "After the outbreak, China put tighter controls on travel, officials said.",  # no speaker verb
        "Analysts said Beijing may be signalling a softer stance.",  # Beijing is what they speak of
        "The team flew from Great Britain to Russia, officials said.",
    ],
)
def test_a_country_named_in_passing_is_not_a_citation(cited: Cited, text: str) -> None:
    assert not {"russian-government", "state-council", "gov-eg", "gov-tr", "gov-lk"} & set(cited(text))
