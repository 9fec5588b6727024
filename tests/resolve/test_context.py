"""Resolution in context: a name several outlets share is settled by the document (#14, item 3)."""

from __future__ import annotations

import pytest

from .conftest import Names


def ids(found: list[tuple[str, str]], words: str) -> list[str]:
    return [outlet_id for text, outlet_id in found if text == words]


# -- an earlier full name --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The New York Times reported the deal on Friday. The Times said later that the talks had stalled.",
        "According to The New York Times, the talks stalled; the Times added that no date was set.",
        "A New York Times inquiry found the payments. Asked about it, officials told the Times nothing.",
    ],
)
def test_the_times_after_the_new_york_times_is_the_new_york_times(names: Names, text: str) -> None:
    assert set(ids(names(text), "The Times") + ids(names(text), "the Times")) == {"new-york-times"}


@pytest.mark.parametrize(
    ("text", "outlet_id"),
    [
        ("The Washington Post first reported the memo. The Post said it had seen a copy.", "washington-post"),
        (
            "The New York Post ran the photo on its front page, and the Post later apologised.",
            "new-york-post",
        ),
        (
            "The Wall Street Journal said the bank would cut jobs; the Journal cited two people.",
            "wall-street-journal",
        ),
    ],
)
def test_a_short_name_is_the_outlet_named_before_it(names: Names, text: str, outlet_id: str) -> None:
    short = [outlet for words, outlet in names(text) if words.lower() in ("the post", "the journal")]
    assert short == [outlet_id]


def test_a_short_name_with_no_full_name_before_it_names_nothing(names: Names) -> None:
    # near miss: "the Post" alone could be any of several papers, so it is not guessed
    assert ids(names("The Post reported that the senator would resign."), "The Post") == []
    assert ids(names("It was all over the Post on Sunday, and The Washington Post agreed."), "the Post") == []


def test_the_times_alone_is_the_london_paper(names: Names) -> None:
    assert ids(names("The Times reported that Downing Street would act."), "The Times") == ["the-times"]


# -- the country of the document and of its other sources --------------------------------------------


@pytest.mark.parametrize(
    ("text", "outlet_id"),
    [
        ("The Sydney Morning Herald and the ABC reported that Canberra would act.", "abc-australia"),
        ("ABC reported that the White House had been told; CNN and NBC agreed.", "abc-news"),
        ("Officials spoke to ABC, the Washington Post said.", "abc-news"),
    ],
)
def test_a_shared_abbreviation_follows_the_documents_country(names: Names, text: str, outlet_id: str) -> None:
    assert ids(names(text), "ABC") == [outlet_id]


@pytest.mark.parametrize(
    ("words", "text", "outlet_id"),
    [
        ("NBC", "NBC reported on Tuesday that the senator would run.", "nbc-news"),
        ("CBS", "CBS said the hearing would resume in the spring.", "cbs-news"),
        ("MIT", "Researchers at MIT found that the model was biased.", "mit"),
        ("CNS", "CNS reported the remarks, according to Fox News.", "cu-cnsnews-com"),
        ("The Sun", "The Sun reported that the Prime Minister was furious.", "the-sun"),
        ("The Observer", "The Observer reported that Labour ministers were divided.", "the-observer"),
        ("The Times", "The Times said the Home Office would review the case.", "the-times"),
    ],
)
def test_a_big_name_does_not_land_on_a_small_foreign_namesake(
    names: Names, words: str, text: str, outlet_id: str
) -> None:
    assert ids(names(text), words) == [outlet_id]


def test_a_derived_entry_never_wins_a_tie_by_load_order(registry) -> None:  # type: ignore[no-untyped-def]
    """Every name a derived (prominence 0) entry shares with a curated one resolves, with no context, to
    the curated one."""
    from citecheck.extract.outlets import _Context, matcher_for

    matcher = matcher_for(registry)
    shared = [entry for entry in matcher._names if len({o for o, _ in entry[0]}) > 1]
    assert shared
    for owners, *_ in shared:
        choice = matcher._choose("x", 0, 1, owners, _Context())
        if choice is None:
            continue
        kinds = {registry.outlets[o].prominence for o, k in owners if k != "short_name"}
        if kinds - {0}:
            assert registry.outlets[choice[0]].prominence > 0, owners


# -- hints ---------------------------------------------------------------------------------------------


def test_hints_count_as_whole_words_only(names: Names) -> None:
    # "Spanish" holds no hint of the Spanish daily when it is part of "Spanishness"; "Madrid" is one.
    assert ids(names("ABC, in a piece on Spanishness and Hispanidad, said so."), "ABC") == ["abc-news"]
    assert ids(names("In Madrid, ABC said the coalition would fall."), "ABC") == ["abc-spain"]
