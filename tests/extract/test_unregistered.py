"""Organisations the registry does not know, standing where a source stands, are cited under their own
names with a type inferred from their head noun or description; people, places, roles and audiences
are not. Every sentence was written for these tests, each construction with paraphrases, and the
organisations are invented (none is in the registry: the first test checks that).
"""

from __future__ import annotations

import pytest

from citecheck.extract.organisations import UNREGISTERED_NOTE, load_organisation_words
from citecheck.models import CitationKind, Role

# (construction, sentence, [(name, type)] expected as cited organisations not in the registry)
FOUND = [
    # the subject of a reporting verb, the name's head noun giving its type
    (
        "subject",
        "The Marrow Valley Water Authority said the reservoir was low.",
        "Marrow Valley Water Authority",
        "government",
    ),
    (
        "subject",
        "The reservoir is low, the Marrow Valley Water Authority warned on Tuesday.",
        "Marrow Valley Water Authority",
        "government",
    ),
    (
        "inverted",
        "The reservoir is low, said the Marrow Valley Water Authority.",
        "Marrow Valley Water Authority",
        "government",
    ),
    (
        "head before of",
        "The Ministry of Coastal Affairs said the ferry would resume in May.",
        "Ministry of Coastal Affairs",
        "government",
    ),
    (
        "head before of",
        "The ferry will resume in May, the Ministry of Coastal Affairs announced.",
        "Ministry of Coastal Affairs",
        "government",
    ),
    # a description before the name says what it is, and gives the type
    (
        "description",
        "The news website Coastline Dispatch reported that the pier had closed.",
        "Coastline Dispatch",
        "digital_native",
    ),
    (
        "description",
        "Local news website Coastline Dispatch reported the closure on Monday.",
        "Coastline Dispatch",
        "digital_native",
    ),
    (
        "description",
        "The pier has closed, the regional newspaper Hill Country Ledger reported.",
        "Hill Country Ledger",
        "newspaper",
    ),
    (
        "description",
        "The regional newspaper Hill Country Ledger first reported the closure.",
        "Hill Country Ledger",
        "newspaper",
    ),
    # the object of a lead
    (
        "lead",
        "According to the Brightwater Institute, exports fell by a third.",
        "Brightwater Institute",
        "think_tank",
    ),
    (
        "lead",
        "Exports fell by a third, according to Brightwater Institute.",
        "Brightwater Institute",
        "think_tank",
    ),
    # the author of a document
    (
        "document",
        "Brightwater Institute's analysis found that exports fell by a third.",
        "Brightwater Institute",
        "think_tank",
    ),
    (
        "document",
        "An analysis by the Brightwater Institute found that exports fell.",
        "Brightwater Institute",
        "think_tank",
    ),
    (
        "document",
        "A statement from the Lakeside Tenants Alliance said rents had doubled.",
        "Lakeside Tenants Alliance",
        "advocacy",
    ),
    (
        "document",
        "Rents had doubled, a statement by the Lakeside Tenants Alliance said.",
        "Lakeside Tenants Alliance",
        "advocacy",
    ),
    (
        "document named by its author",
        "A Brightwater Institute report found that exports fell.",
        "Brightwater Institute",
        "think_tank",
    ),
    (
        "document named by its author",
        "Exports fell, according to a new Brightwater Institute survey.",
        "Brightwater Institute",
        "think_tank",
    ),
    # a number closing a name is part of it; a date's is not
    (
        "numbered name",
        "The pier closed, local news website Harbour 24 reported.",
        "Harbour 24",
        "digital_native",
    ),
    (
        "numbered name",
        "Regional broadcaster Valley 9 reported that the pier closed.",
        "Valley 9",
        "broadcaster",
    ),
    (
        "date after a name",
        "The Marrow Valley Water Authority said on May 18 that the reservoir was low.",
        "Marrow Valley Water Authority",
        "government",
    ),
    # a person's employer: after "at" or "with" no organisation head is needed; a possessive owner needs one
    (
        "employer",
        '"Rates will rise," said Ana Ruiz, chief analyst at Quillon Asset Management.',
        "Quillon Asset Management",
        "unknown",
    ),
    (
        "employer",
        "Ana Ruiz, an analyst with Quillon Asset Management, said rates would rise.",
        "Quillon Asset Management",
        "unknown",
    ),
    (
        "employer",
        "A strategist at Quillon Asset Management said rates would rise.",
        "Quillon Asset Management",
        "unknown",
    ),
    (
        "owner",
        "Fernhill Capital Group's chief analyst Ana Ruiz said rates would rise.",
        "Fernhill Capital Group",
        "corporate",
    ),
    (
        "owner",
        "Rates will rise, Fernhill Capital Group's chief strategist said on Friday.",
        "Fernhill Capital Group",
        "corporate",
    ),
    # an apposition says what the name is: a medium has its type, another organisation noun says only
    # that it is one
    (
        "apposition",
        "Harrowgate Watch, a regional rights group, said the detainees were moved.",
        "Harrowgate Watch",
        "unknown",
    ),
    (
        "apposition",
        "The detainees were moved, said Harrowgate Watch, a rights group based in Lisbon.",
        "Harrowgate Watch",
        "unknown",
    ),
    (
        "apposition",
        "Coastline Dispatch, a local news website, reported the closure of the pier.",
        "Coastline Dispatch",
        "digital_native",
    ),
]

NOT_FOUND = [
    # people: no organisation head, a title before the name, or a first name opening it
    ("person", "Jane Holt said the trial was unfair."),
    ("person", "The trial was unfair, said Jane Holt."),
    ("person", "Daniel Post said the road was closed."),
    ("person", "The road was closed, Daniel Post told reporters."),
    ("person with a title", "Spokesman Michael Herald said the talks had failed."),
    ("person with a title", "The talks had failed, said spokeswoman Mary Times."),
    ("title inside the name", "The state House Speaker Tom Reed said the bill would pass."),
    ("title inside the name", "The bill will pass, the regional Assembly Speaker Ann Lee told reporters."),
    # places, and a place's body in lower-case terms
    ("place", "The Russian Police said two men were held."),
    ("place", "A professor at Kyiv said the bridge was safe."),
    # roles and titles alone
    ("role", "The Foreign Minister said the talks had failed."),
    ("role", "The Secretary of State said the talks had failed."),
    # a lone capitalised common noun
    ("common noun", "Police said three men were arrested."),
    # an audience is no source: only a news outlet is cited after "told"
    ("audience", "The minister told the General Assembly that the plan was sound."),
    ("audience", "She told the Regional Planning Committee that the bridge was safe."),
    # "of" after a title names what the person sits in, not an employer speaking through them
    ("membership", "Ann Lee, chairman of the Joint Committee on Rivers and Lakes, said the vote was close."),
    # an apposition describing a person, or the person's membership
    ("apposition of a person", "Jane Holt, a party official, said the vote was close."),
    ("apposition of a person", "Tom Reed, a member of the group, said the vote was close."),
    # a document named after no body
    ("named document", "The Kessler report found no such plot."),
    ("named document", "A new Varga poll shows the race is tight."),
    # no attribution at all
    ("no cue", "The Marrow Valley Water Authority raised its prices."),
]


def unregistered(extract, text: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [
        (c.outlet.name, c.outlet.type.value)
        for c in extract(text)
        if c.outlet is not None and not c.outlet.registered and c.role is Role.CITED
    ]


def test_the_invented_names_are_not_in_the_registry(registry) -> None:  # type: ignore[no-untyped-def]
    for name in {case[2] for case in FOUND}:
        assert registry.by_name(name) == [], name


@pytest.mark.parametrize(
    ("rule", "sentence", "name", "kind"), FOUND, ids=[f"{c[0]}: {c[1][:40]}" for c in FOUND]
)
def test_an_unregistered_organisation_in_source_position_is_cited(
    extract, rule, sentence, name, kind
) -> None:  # type: ignore[no-untyped-def]
    assert unregistered(extract, sentence) == [(name, kind)], rule


@pytest.mark.parametrize(("rule", "sentence"), NOT_FOUND, ids=[f"{c[0]}: {c[1][:40]}" for c in NOT_FOUND])
def test_no_organisation_is_made_of_a_person_place_role_or_audience(extract, rule, sentence) -> None:  # type: ignore[no-untyped-def]
    assert unregistered(extract, sentence) == [], rule


def test_the_citation_says_the_source_is_not_in_the_registry(extract) -> None:  # type: ignore[no-untyped-def]
    (citation,) = [c for c in extract("According to the Brightwater Institute, exports fell.") if c.outlet]
    assert citation.kind is CitationKind.OUTLET
    assert citation.text == "Brightwater Institute"  # the name as written, without "the"
    assert citation.cue == "According to"
    assert citation.outlet is not None
    assert citation.outlet.id == "unregistered:brightwater-institute"
    assert not citation.outlet.registered
    assert citation.outlet.note == UNREGISTERED_NOTE


def test_a_misspelt_registry_name_wins_over_an_unregistered_reading(extract) -> None:  # type: ignore[no-untyped-def]
    # "Finacial Times" is the registry's Financial Times misspelt: not a new newspaper called so
    outlets = [c.outlet for c in extract("The Finacial Times reported that the bank had failed.") if c.outlet]
    assert [(o.id, o.registered) for o in outlets] == [("financial-times", True)]


def test_the_head_nouns_are_counted_from_the_registry() -> None:
    words = load_organisation_words()
    assert words.heads["university"].value == "academic"
    assert words.heads["ministry"].value == "government"
    # a place, a language service and a kind of person are no organisation heads
    assert "china" not in words.heads and "arabic" not in words.heads and "reporter" not in words.heads


def test_a_long_name_keeps_an_id_the_store_can_hold(extract) -> None:  # type: ignore[no-untyped-def]
    name = (
        "Interprovincial Telecommunications Infrastructure Standardisation and Harmonisation"
        " Coordination Administration of Northumberland"
    )
    assert len("unregistered:" + name) > 128
    (citation,) = [c for c in extract(f"According to the {name}, catches fell.") if c.outlet]
    assert citation.outlet is not None and citation.outlet.name == name
    assert len(citation.outlet.id) <= 128
