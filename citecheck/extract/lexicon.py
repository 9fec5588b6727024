"""The words of attribution grammar (citecheck/data/lexicon.yaml), loaded once into sets and tuples.

Every list in the file is read here and used by a rule. The counted lists (reporting verbs, evidence
verbs, person, group and document nouns, from PolNeAR train) give each entry's count and forms; an
entry below the file's own thresholds is refused rather than silently used. A phrase of several words
is kept as a tuple of its words, since the grammar works on tokens.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..datafiles import read_yaml

__all__ = ["LEXICON_FILE", "Lexicon", "Phrase", "Slot", "load_lexicon"]

LEXICON_FILE = Path(__file__).resolve().parent.parent / "data" / "lexicon.yaml"

Phrase = tuple[str, ...]  # the lower-case words of a phrase
Slot = tuple[
    frozenset[str], bool
]  # the words one place of a construction allows, and whether it may be empty


@dataclass(frozen=True, slots=True, eq=False)  # one per process, hashed by identity
class Lexicon:
    reporting_verbs: frozenset[str]  # every form: counted reporting and evidence verbs, genre verbs
    base_forms: frozenset[str]  # "say", "show": need a plural subject ("polls show", not "his radio show")
    third_forms: frozenset[str]  # "says", "shows": need a singular one
    light_verbs: frozenset[str]
    naming_verbs: frozenset[str]
    production_verbs: frozenset[str]
    statement_nouns: frozenset[str]
    modals: frozenset[str]
    object_source_verbs: frozenset[str]
    source_leads: tuple[Phrase, ...]
    medium_leads: tuple[Phrase, ...]
    agent_participles: frozenset[str]
    auxiliaries: frozenset[str]
    verb_adverbs: frozenset[str]
    negations: frozenset[str]
    person_nouns: frozenset[str]  # people, groups and bodies heading a source phrase
    document_nouns: frozenset[str]
    plural_nouns: frozenset[str]  # person and document nouns that are plural (or collective)
    collection_nouns: frozenset[str]
    activity_nouns: frozenset[str]
    venue_nouns: frozenset[str]
    carrying_verbs: frozenset[str]
    title_bodies: dict[str, str]
    affiliation_nouns: frozenset[str]
    spoof_words: frozenset[str]
    definite_determiners: frozenset[str]
    pronouns: frozenset[str]
    object_pronouns: frozenset[str]
    post_path_words: frozenset[str]
    name_only_leads: frozenset[str]
    compounds: frozenset[tuple[str, ...]]
    attached_prepositions: frozenset[str]
    detached_words: frozenset[str]
    clause_words: frozenset[str]
    time_words: frozenset[str]
    anonymity_phrases: tuple[tuple[Slot, ...], ...]
    source_labels: frozenset[str]
    source_headings: tuple[Phrase, ...]
    media_list_heads: tuple[Phrase, ...]
    outlet_descriptions: tuple[Phrase, ...]
    description_words: frozenset[str]  # every word of those
    abbreviations: frozenset[str]
    cue_words: frozenset[str]  # every word that is a cue or starts one of a single word's lead
    lead_pairs: frozenset[tuple[str, str]]  # the first two words of each longer lead ("in", "an")
    lead_firsts: frozenset[str]  # the first words of those
    lead_words: frozenset[str]  # the first words of every lead


def _words(values: list[Any]) -> frozenset[str]:
    return frozenset(str(value).lower() for value in values)


def _phrases(values: list[Any]) -> tuple[Phrase, ...]:
    """Longest first, so the first phrase that matches at a place is the longest one there."""
    phrases = {tuple(str(value).lower().split()) for value in values}
    return tuple(sorted(phrases, key=lambda phrase: (-len(phrase), phrase)))


def _construction(text: str) -> tuple[Slot, ...]:
    """ "on the? condition of anonymity" -> one slot a word; "a|b" alternatives, "?" optional."""
    slots = []
    for slot in text.lower().split():
        optional = slot.endswith("?")
        slots.append((frozenset(slot.rstrip("?").split("|")), optional))
    return tuple(slots)


def _counted(data: dict[str, Any], name: str, min_cue_rate: float | None = None) -> dict[str, list[str]]:
    """A counted list, lemma -> forms, after checking each entry against the file's thresholds."""
    entries: dict[str, list[str]] = {}
    for lemma, fields in data[name].items():
        if fields["count"] < data["min_count"]:
            raise ValueError(f"lexicon: {name}: {lemma} was counted {fields['count']} times")
        if min_cue_rate is not None and fields["cue_rate"] < min_cue_rate:
            raise ValueError(f"lexicon: {name}: {lemma} is a cue in {fields['cue_rate']:.0%} of its uses")
        entries[str(lemma)] = [str(form) for form in fields["forms"]]
    return entries


def _tenses(counted: dict[str, list[str]], genre: frozenset[str]) -> tuple[set[str], set[str]]:
    """Base forms (the lemma; a genre word with a regular past beside it) and third-person forms (-s)."""
    base = set(counted)
    third = {
        form for lemma, forms in counted.items() for form in forms if form != lemma and form.endswith("s")
    }
    for word in genre:
        if word.endswith("s"):
            third.add(word)
        elif word + "ed" in genre or word + "d" in genre or word[:-1] + "ied" in genre:
            base.add(word)
    return base, third


def _plurals(counted: dict[str, list[str]], extra: frozenset[str]) -> set[str]:
    """Counted forms other than their lemma that end in -s, and -s words of a hand list."""
    found = {
        form for lemma, forms in counted.items() for form in forms if form != lemma and form.endswith("s")
    }
    return found | {word for word in extra if word.endswith("s") and not word.endswith("ss")}


class _Sections(dict[str, Any]):
    """The file's top-level mapping, remembering which sections were read."""

    def __init__(self, data: dict[str, Any]) -> None:
        super().__init__(data)
        self.read: set[str] = set()

    def __getitem__(self, key: str) -> Any:
        self.read.add(key)
        return super().__getitem__(key)


@lru_cache(maxsize=1)
def load_lexicon(path: Path = LEXICON_FILE) -> Lexicon:
    """The lexicon; a section no rule reads is an error, so the file holds nothing the code ignores."""
    data = _Sections(read_yaml(path))
    lexicon = _build(data)
    unread = sorted(set(data) - data.read)
    if unread:
        raise ValueError(f"lexicon: sections no rule reads: {', '.join(unread)}")
    return lexicon


def _build(data: _Sections) -> Lexicon:
    verbs = {
        **_counted(data, "reporting_verbs", data["min_cue_rate"]),
        **_counted(data, "evidence_verbs"),
    }
    people = {**_counted(data, "person_nouns"), **_counted(data, "group_nouns")}
    documents = _counted(data, "document_nouns")
    extra_people = _words(data["extra_person_nouns"]) | _words(data["extra_group_nouns"])
    extra_documents = _words(data["extra_document_nouns"])
    single = {
        name: _words(data[name])
        for name in (
            "object_source_verbs",
            "light_verbs",
            "modals",
            "naming_verbs",
            "production_verbs",
            "agent_participles",
            "auxiliaries",
            "verb_adverbs",
            "negations",
            "collection_nouns",
            "activity_nouns",
            "venue_nouns",
            "carrying_verbs",
            "affiliation_nouns",
            "spoof_words",
            "definite_determiners",
            "pronouns",
            "object_pronouns",
            "post_path_words",
            "name_only_leads",
            "attached_prepositions",
            "detached_words",
            "clause_words",
            "time_words",
            "source_labels",
            "abbreviations",
        )
    }
    multiple = {
        name: _phrases(data[name])
        for name in (
            "source_leads",
            "medium_leads",
            "source_headings",
            "media_list_heads",
            "outlet_descriptions",
        )
    }
    plurals = _plurals(people, extra_people) | _plurals(documents, extra_documents)
    genre = _words(data["genre_verbs"])
    base, third = _tenses(verbs, genre)
    reporting = frozenset(form for forms in verbs.values() for form in forms) | genre
    document_forms = frozenset(form for forms in documents.values() for form in forms) | extra_documents
    leads = (*multiple["source_leads"], *multiple["medium_leads"])
    cue_words = reporting | document_forms | single["object_source_verbs"] | single["light_verbs"]
    cue_words |= single["agent_participles"] | {lead[0] for lead in leads if len(lead) == 1}
    return Lexicon(
        **single,  # type: ignore[arg-type]
        **multiple,  # type: ignore[arg-type]
        reporting_verbs=reporting,
        cue_words=cue_words,
        lead_pairs=frozenset((lead[0], lead[1]) for lead in leads if len(lead) > 1),
        lead_firsts=frozenset(lead[0] for lead in leads if len(lead) > 1),
        lead_words=frozenset(lead[0] for lead in leads),
        description_words=frozenset(word for phrase in multiple["outlet_descriptions"] for word in phrase),
        base_forms=frozenset(base),
        third_forms=frozenset(third),
        statement_nouns=frozenset(
            form for forms in _counted(data, "statement_nouns").values() for form in forms
        ),
        person_nouns=frozenset(form for forms in people.values() for form in forms) | extra_people,
        document_nouns=document_forms,
        plural_nouns=frozenset(plurals) | _words(data["collective_nouns"]),
        title_bodies={str(k).lower(): str(v).lower() for k, v in data["title_bodies"].items()},
        compounds=frozenset(tuple(str(c).lower().split()) for c in data["compounds"]),
        anonymity_phrases=tuple(_construction(text) for text in data["anonymity_phrases"]),
    )
