"""Organisations the registry does not know, standing where a source stands ("the Valley Fishermen's
Cooperative said", "according to Northgate Capital Partners", "an analyst at Ridge Research").

A run of capitalised words names an organisation when its head noun is one that the registry's own names
end in ("... University", "... Ministry", "Ministry of ..."), or when a description before it says what
kind of body it is ("the news website X"). The head and the description give its type
(citecheck/data/organisation_heads.yaml, counted from the registry by tools/derive_organisation_heads.py).
A person ("spokesman John Post", "Dr. Jane Smith", "Daniel Post": a first name counted in PolNeAR train,
citecheck/data/first_names.yaml), a place ("Russian Police": nothing but place words
before the head) and a lone capitalised common noun ("Police said") are not organisations.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..datafiles import read_yaml
from ..models import Outlet, OutletType
from ..resolve.registry import Registry
from .lexicon import LEXICON_FILE, Lexicon
from .tokens import Token

__all__ = [
    "UNREGISTERED_NOTE",
    "OrganisationWords",
    "apposition_kind",
    "ends_name",
    "load_organisation_words",
    "type_by_name",
    "unregistered_body",
]

HEADS_FILE = Path(__file__).resolve().parent.parent / "data" / "organisation_heads.yaml"
COUNTRIES_FILE = Path(__file__).resolve().parent.parent / "data" / "countries.yaml"
FIRST_NAMES_FILE = Path(__file__).resolve().parent.parent / "data" / "first_names.yaml"
UNREGISTERED_NOTE = "not in the registry: named in the text; its type is inferred from its name"
# Small words inside a name ("Bank of the North", "Smith & Sons").
_CONNECTORS = frozenset(("of", "for", "on", "and", "&", "the", "de", "del", "la", "le", "du", "des"))
_HEAD_ENDS = frozenset(("of", "for", "on"))  # "Ministry of ...": the head stands before these
_SLUG = re.compile(r"[^a-z0-9]+")
_SLUG_LENGTH = 100  # the store keeps an outlet's id in 128 characters


@dataclass(frozen=True, slots=True)
class OrganisationWords:
    heads: dict[str, OutletType]  # a head noun -> the type its names have (UNKNOWN: no clear majority)
    descriptions: dict[tuple[str, ...], OutletType]  # "news website" -> digital_native
    places: frozenset[str]  # country words: "Russian", "China"
    first_names: frozenset[str]  # words that open people's names: "Daniel" (counted in PolNeAR train)
    people: frozenset[str]  # the lexicon's nouns for people, not groups: "speaker", "senator"


@lru_cache(maxsize=1)
def load_organisation_words() -> OrganisationWords:
    data = read_yaml(HEADS_FILE)
    countries = read_yaml(COUNTRIES_FILE)["countries"]
    return OrganisationWords(
        heads={head: OutletType(facts["type"]) for head, facts in (data["heads"] or {}).items()},
        descriptions={
            tuple(words.split()): OutletType(kind) for words, kind in data["description_types"].items()
        },
        places=frozenset(word for words in countries.values() for word in words),
        first_names=frozenset(read_yaml(FIRST_NAMES_FILE)["first_names"]),
        people=_people_nouns(read_yaml(LEXICON_FILE)),
    )


def _people_nouns(lexicon: dict[str, Any]) -> frozenset[str]:
    """The person nouns of lexicon.yaml (counted and extra), without its group nouns ("party", "team")."""
    counted = {form for entry in lexicon["person_nouns"].values() for form in entry["forms"]}
    return frozenset(counted | set(lexicon["extra_person_nouns"]))


@dataclass(frozen=True, slots=True)
class UnregisteredBody:
    start: int
    end: int
    outlet: Outlet


def type_by_name(name: str) -> OutletType:
    """The type a name's head noun gives ("Harvard Business School" -> academic), else unknown."""
    words = name.split()
    for position, word in enumerate(words):
        if position and word in _HEAD_ENDS:
            words = words[:position]
            break
    head = words[-1].lower() if words else ""
    return load_organisation_words().heads.get(head, OutletType.UNKNOWN)


def _capitalised(token: Token) -> bool:
    return token.is_word and token.hit is None and token.text[:1].isupper()


def ends_name(tokens: Sequence[Token], last: int) -> bool:
    """A name can end at tokens[last]: a capitalised word, or a number after one ("Republica 18")."""
    token = tokens[last]
    if token.text.isdigit() and token.hit is None:
        return last > 0 and _capitalised(tokens[last - 1])
    return _capitalised(token)


def _name_start(tokens: Sequence[Token], last: int) -> int:
    """Where the run of capitalised words (and connectors between them) ending at tokens[last] starts; a
    possessive word before it ends the run ("Ridge Capital's Northgate Fund": the fund)."""
    start = last
    while start > 0:
        before = tokens[start - 1]
        if before.possessive or before.hit is not None:
            break
        if _capitalised(before):
            start -= 1
        elif before.lower in _CONNECTORS and start >= 2 and _capitalised(tokens[start - 2]):
            start -= 1
        else:
            break
    while start < last and (tokens[start].lower in _CONNECTORS or tokens[start].lower in ("a", "an")):
        start += 1  # "The", "A" opening a sentence, or "of", are no part of the name
    return start


def _head(name: Sequence[Token]) -> str:
    """ "Ridge Research" -> "research"; "Ministry of Plenty" -> "ministry"."""
    for position, token in enumerate(name):
        if position and token.lower in _HEAD_ENDS:
            return name[position - 1].lower
    return name[-1].lower


def _description(tokens: Sequence[Token], start: int, words: OrganisationWords) -> OutletType | None:
    """The kind of body the lower-case words right before a name say it is ("the news website", "the
    polling company"), or None."""
    before: list[str] = []
    for token in reversed(tokens[:start]):
        if not token.is_word or token.hit is not None or token.possessive or not token.text.islower():
            break  # "the Valley Post's Ann Lee": an owner, not a description
        before.insert(0, token.lower)
    return _kind_named_by(before, words)


def _kind_named_by(description: Sequence[str], words: OrganisationWords) -> OutletType | None:
    """What lower-case words ending in a noun say a body is: a medium ("news website") has the type the
    registry's vocabulary gives it; another organisation head ("group", "agency") says only that it is
    an organisation, of a type its name's head may tell (the heads' types are counted from names, and
    "a rights organization" is no intergovernmental body). None: no organisation noun."""
    for length in (2, 1):
        phrase = tuple(description[-length:])
        if len(phrase) == length and phrase in words.descriptions:
            return words.descriptions[phrase]
    if description and description[-1] in words.heads:
        return OutletType.UNKNOWN
    return None


def apposition_kind(apposition: Sequence[Token], lexicon: Lexicon) -> OutletType | None:
    """The kind of body an apposition describes ("a regional rights group based in Lisbon", "a local
    news website"), read up to its first preposition, participle or clause word; None when it describes
    a person ("a party official") or nothing."""
    words = load_organisation_words()
    description: list[str] = []
    for token in apposition:
        if token.hit is not None or not token.is_word:
            return None
        lower = token.lower
        stops = lexicon.attached_prepositions | lexicon.detached_words | lexicon.clause_words
        if description and (lower in stops or lower.endswith(("ing", "ed"))):
            break
        if not token.text.islower():
            return None  # a name inside the description: it is something else's
        description.append(lower)
    if not description or description[0] not in ("a", "an", "the"):
        return None
    head = description[-1]
    if head in lexicon.person_nouns and head not in words.heads and (head,) not in words.descriptions:
        return None
    return _kind_named_by(description, words)


def _is_place(token: Token, words: OrganisationWords, registry: Registry) -> bool:
    if token.text in words.places:
        return True
    return any(o.type is OutletType.GOVERNMENT and o.country for o in registry.by_name(token.text))


def _titled_person(tokens: Sequence[Token], start: int, lexicon: Lexicon, words: OrganisationWords) -> bool:
    """ "spokesman John Post", "Dr. Jane Smith": a title before the name makes it a person's."""
    at = start - 1
    if at >= 0 and tokens[at].text == ".":
        at -= 1
    if at < 0:
        return False
    lower = tokens[at].lower
    if lower in lexicon.abbreviations and tokens[at].text[:1].isupper():
        return True
    return lower in lexicon.person_nouns and lower not in words.heads and (lower,) not in words.descriptions


def _personal(content: Sequence[Token], lexicon: Lexicon, words: OrganisationWords) -> bool:
    """A person's name with its title: a first name before the last word ("Daniel Post", "Lord John
    Herald"), or a title first ("Spokesman Michael Herald" opening a sentence)."""
    first = content[0].lower
    if first in lexicon.person_nouns and first not in words.heads and (first,) not in words.descriptions:
        return True
    before_head = content[:-1]
    if any(token.lower in words.people and token.lower not in words.heads for token in before_head):
        return True  # "House Speaker Ann Lee", "Senate Majority Leader Tom Reed": a title inside the run
    return any(token.text in words.first_names for token in before_head)


def unregistered_body(
    tokens: Sequence[Token],
    lexicon: Lexicon,
    registry: Registry,
    last: int | None = None,
    employer: bool = False,
    kind: OutletType | None = None,
) -> UnregisteredBody | None:
    """The organisation named by the capitalised words ending at tokens[last] (the last token if None),
    with the description before them, if they name one the registry does not know. An `employer` (the
    name after "a strategist at", "an official with") needs no organisation head: people work at bodies;
    nor does a name whose `kind` an apposition gives ("Harrowgate Watch, a rights group,")."""
    words = load_organisation_words()
    last = len(tokens) - 1 if last is None else last
    if last < 0 or not ends_name(tokens, last) or any(t.hit is not None for t in tokens[: last + 1]):
        return None
    start = _name_start(tokens, last)
    name = list(tokens[start : last + 1])
    content = [t for t in name if t.lower not in _CONNECTORS]
    described = kind if kind is not None else _description(tokens, start, words)
    head = _head(name)
    if described is None and not employer and (head not in words.heads or len(content) < 2):
        return None  # "John Smith", "Police said": no organisation head, or a common noun alone
    if described is None and all(
        _is_place(t, words, registry) for t in content[: -1 if not employer else None]
    ):
        return None  # "Russian Police", "Hong Kong", "at Kyiv": places, or a place's body in lower-case terms
    if _titled_person(tokens, start, lexicon, words) or _personal(content, lexicon, words):
        return None  # "spokesman Ann Post", "Daniel Post": a person
    text = " ".join(t.text for t in name)
    typed = (
        words.heads.get(head, OutletType.UNKNOWN) if described in (None, OutletType.UNKNOWN) else described
    )
    outlet = Outlet(
        id="unregistered:" + _SLUG.sub("-", text.casefold()).strip("-")[:_SLUG_LENGTH],
        name=text,
        type=typed,
        note=UNREGISTERED_NOTE,
    )
    return UnregisteredBody(name[0].start, name[-1].start + len(name[-1].text), outlet)
