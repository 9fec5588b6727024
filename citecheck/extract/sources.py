"""What a source phrase is: a registry body (cited), a person speaking for one (the body cited), an
unnamed person, group or document (vague), or a named person or a pronoun (neither).

The phrase splits into its core ("two White House officials") and the prepositional phrases after it:
attached ones name the body the source speaks for ("a spokesman for X", "an official with X"),
detached ones only what the source knows about ("a source close to X", "people familiar with X").
The core's head decides the kind:
- a registry name: that body is cited ("Reuters", "the magazine Seeking Truth");
- a document: its author is cited ("X's analysis", "an FBI statement", "a report by X"); with no author
  and no definite article it is vague ("polls show", "reports suggest"); "the report" is an earlier one;
- a person or group: the body named in the phrase is cited ("a Reuters spokesperson", "officials at
  X"), or the body a title stands for ("Ukrainian Foreign Minister" -> its foreign ministry); with no
  personal name the source is vague, unless a definite singular points back to someone already named
  ("the spokesman said");
- a personal name: the body in its title or apposition, if any; the person alone is no citation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..models import Outlet, OutletType
from ..resolve.registry import Registry
from .lexicon import Lexicon
from .organisations import UnregisteredBody, apposition_kind, ends_name, unregistered_body
from .outlets import OutletHit
from .phrases import QUANTIFIERS
from .tokens import Token

__all__ = ["MEDIA_TYPES", "Source", "TitledBody", "classify_source"]

MEDIA_TYPES = frozenset(
    {
        OutletType.NEWSPAPER,
        OutletType.DIGITAL_NATIVE,
        OutletType.BROADCASTER,
        OutletType.PUBLIC_BROADCASTER,
        OutletType.WIRE_SERVICE,
        OutletType.STATE_MEDIA,
    }
)


@dataclass(frozen=True, slots=True)
class TitledBody:
    """A body named only through a title ("Ukrainian Foreign Minister" -> its foreign ministry)."""

    start: int
    end: int
    outlet: Outlet


@dataclass(frozen=True, slots=True)
class Source:
    cited: tuple[OutletHit, ...] = ()
    titled: tuple[TitledBody, ...] = ()
    vague: bool = False
    spoofed: tuple[OutletHit, ...] = ()  # names that a fake document only imitates
    unregistered: tuple[UnregisteredBody, ...] = ()  # organisations the registry does not know


_NOTHING = Source()


@dataclass(frozen=True, slots=True)
class _Parts:
    core: list[Token]  # "two White House officials"
    attached: list[Token]  # "for the ministry", "with X" (prepositions included)
    detached: list[Token]  # "close to the Kremlin", "familiar with the talks"

    @property
    def head(self) -> Token | None:
        words = [token for token in self.core if token.is_word or token.hit is not None]
        return words[-1] if words else None

    @property
    def first(self) -> str:
        return self.core[0].lower if self.core else ""


def _split(phrase: Sequence[Token], lexicon: Lexicon) -> _Parts:
    """A participle before "by" opens an attached phrase too ("a survey conducted by X"); "of" after a
    quantifier does not ("three of the sources", "one of his aides": the head is the noun after it)."""
    core: list[Token] = []
    attached: list[Token] = []
    part = core
    for position, token in enumerate(phrase):
        if token.hit is None and token.lower in lexicon.detached_words:
            return _Parts(core, attached, list(phrase[position:]))
        following = phrase[position + 1].lower if position + 1 < len(phrase) else ""
        participle = token.lower in lexicon.agent_participles and following == "by"
        partitive = token.lower == "of" and part is core and all(_quantity(t) for t in core)
        if (
            token.hit is None
            and (token.lower in lexicon.attached_prepositions or participle)
            and core
            and not partitive
        ):
            part = attached
        part.append(token)
    return _Parts(core, attached, [])


def _quantity(token: Token) -> bool:
    return (
        token.lower in QUANTIFIERS
        or token.text.isdigit()
        or token.lower in ("the", "of", "his", "her", "their")
    )


def _hits(tokens: Sequence[Token], risky: bool = False) -> list[OutletHit]:
    """The names in a run of tokens but a possessive owner of a name after it ("the Kremlin's RT"). A
    risky short name (a cue alias: "Independent", "Senate") counts only with `risky`: before a person's
    title ("Senate Majority Leader"), not before a document ("Independent investigations")."""
    found = []
    for position, token in enumerate(tokens):
        if token.hit is None or (token.hit.form == "cue_alias" and not risky):
            continue
        owner = token.possessive and any(t.hit is not None for t in tokens[position + 1 :])
        if not owner:
            found.append(token.hit)
    return found


def _coordinated_heads(core: Sequence[Token]) -> list[OutletHit]:
    """The head name and names joined to it by "and" or commas ("Reuters and AP", "X, Y and Z")."""
    heads: list[OutletHit] = []
    for token in reversed(core):
        if token.hit is not None and not (token.possessive and heads):
            heads.append(token.hit)
        elif token.lower not in ("and", ",", "the"):
            break  # an owner ("the Kremlin's RT") or the words before the names
    return list(reversed(heads))


def _described_body(
    core: Sequence[Token], head: Token, lexicon: Lexicon, registry: Registry
) -> TitledBody | None:
    """A body the registry knows by the words of the phrase, written out in lower case or through a title:
    "the Russian defence ministry", "the U.K. government", "Ukrainian Foreign Minister (Dmytro Kuleba)"
    -> "Ukrainian Foreign Ministry", "Russia's foreign minister" -> "Russia's foreign ministry"."""
    position = next((i for i, t in enumerate(core) if t.lower in lexicon.title_bodies), core.index(head))
    office = core[position]
    first = position
    while first > 0 and core[first - 1].is_word and core[first - 1].lower not in lexicon.definite_determiners:
        first -= 1
    if first == position or any(t.hit is not None for t in core[first:position]):
        return None
    words = [t.text + ("'s" if t.possessive else "") for t in core[first:position]]
    body = lexicon.title_bodies.get(office.lower, office.lower)
    for name in (" ".join([*words, body]), " ".join([*words, body]).replace(".", "")):
        found = registry.by_name(name)
        if found:
            return TitledBody(core[first].start, office.end, found[0])
    return None


def _named(head: Token, lexicon: Lexicon) -> bool:
    """Whether a phrase's head is a personal name: capitalised, no registry name and no listed noun
    ("Dmytro Kuleba", not "Officials"). Capitalised words before a common noun are modifiers
    ("Russian sources", "Pentagon officials")."""
    if head.hit is not None or not head.text[:1].isupper():
        return False
    lower = head.lower
    return not (
        lower in lexicon.person_nouns
        or lower in lexicon.document_nouns
        or lower in lexicon.pronouns
        or lower in lexicon.definite_determiners
    )


def _names_person(apposition: Sequence[Token], lexicon: Lexicon) -> bool:
    """ "a spokesman, John Smith," names him; ", Egypt," names a place, not the source."""
    capitalised = [t for t in apposition if t.is_word and t.hit is None and t.text[:1].isupper()]
    return len(capitalised) >= 2 and _named(apposition[-1], lexicon)


def _bodies(hits: Sequence[OutletHit], medium_only: bool = False) -> tuple[OutletHit, ...]:
    """The names that can speak: a platform only carries what others say; to a medium cue only a news
    outlet counts ("told Reuters", not "told the General Assembly")."""
    if medium_only:
        return tuple(hit for hit in hits if hit.outlet.type in MEDIA_TYPES)
    return tuple(hit for hit in hits if hit.outlet.type is not OutletType.PLATFORM)


def _named_author(attached: Sequence[Token]) -> bool:
    """A capitalised name after "by" or "from" ("estimates from the Office for National Statistics"); a
    place after "in" ("accounts in China") names no author."""
    preposition = ""
    for token in attached:
        if (
            token.hit is None
            and token.text.islower()
            and token.lower in ("by", "from", "in", "at", "of", "for", "with")
        ):
            preposition = token.lower
        elif preposition in ("by", "from") and token.hit is None and token.text[:1].isupper():
            return True
    return False


def _authors(attached: Sequence[Token]) -> list[Token]:
    """The words after "by" or "from" in a document's attached phrase, up to the next preposition."""
    for position, token in enumerate(attached):
        if token.hit is None and token.text in ("by", "from"):
            rest = list(attached[position + 1 :])
            end = next(
                (
                    i
                    for i, t in enumerate(rest)
                    if t.text in ("in", "at", "on", "for", "with")
                    and not (0 < i < len(rest) - 1 and rest[i - 1].is_name and rest[i + 1].is_name)
                ),
                len(rest),
            )
            return rest[:end]  # "a report by X in May"; "by the Center for Fair Trade" is one name
    return []


def _modifying_body(
    core: Sequence[Token], lexicon: Lexicon, registry: Registry
) -> tuple[UnregisteredBody, ...]:
    """ "a new Ridge Institute survey": a name right before the document noun that names a body by its
    head ("the Mueller report", "a Quinnipiac poll" name none)."""
    if len(core) < 3 or core[-2].possessive or not core[-2].text[:1].isupper():
        return ()
    body = unregistered_body(core, lexicon, registry, len(core) - 2)
    return (body,) if body is not None else ()


def _document(parts: _Parts, head: Token, lexicon: Lexicon, registry: Registry) -> Source:
    owner = parts.core[-2] if len(parts.core) > 1 else None
    if owner is not None and owner.possessive and owner.hit is not None:
        authors = [owner.hit]  # "Dawn's report": a possessive owner counts even as a risky short name
    else:
        authors = _hits(parts.core[:-1])[-1:]
    cited = _bodies(authors + _hits(parts.attached))
    if cited:
        return Source(cited=cited)
    unknown = (
        _unregistered_in(parts.core[:-1], lexicon, registry, owners_only=True)
        or _modifying_body(parts.core, lexicon, registry)
        or _unregistered_in(_authors(parts.attached), lexicon, registry)
    )
    if unknown:  # "Ridge Research's analysis", "a Ridge Institute survey", "a post by the Valley Times"
        return Source(unregistered=unknown)
    if parts.first in lexicon.definite_determiners or any(t.possessive for t in parts.core[:-1]):
        return _NOTHING  # "the report", "his letter": one already named
    if (
        any(t.text[:1].isupper() and t.hit is None for t in parts.core[1:-1])
        or _named_author(parts.attached)
        or _hits(parts.attached, risky=True)
    ):
        return _NOTHING  # a named document or author ("a new Quinnipiac poll", "estimates from the ONS")
    return Source(vague=True)


def _unregistered_in(
    tokens: Sequence[Token], lexicon: Lexicon, registry: Registry, owners_only: bool = False
) -> tuple[UnregisteredBody, ...]:
    """The last organisation the registry does not know among the names in a run of tokens: after a
    preposition ("an analyst at Ridge Research"), or, with `owners_only`, a possessive owner ("Ridge
    Research's chief economist"). A name right after "at" or "with" is an employer."""
    for position in range(len(tokens) - 1, -1, -1):  # the longest name first ("... Committee on X and Y")
        token = tokens[position]
        if owners_only and not token.possessive:
            continue
        following = tokens[position + 1] if position + 1 < len(tokens) else None
        if following is not None and following.text[:1].isupper() and not token.possessive:
            continue  # not the end of the name
        body = unregistered_body(tokens, lexicon, registry, position)
        if body is None and not owners_only:
            body = unregistered_body(
                tokens, lexicon, registry, position, employer=_employed(tokens, position)
            )
        if body is not None:
            return (body,)
    return ()


def _employed(tokens: Sequence[Token], last: int) -> bool:
    """Whether the capitalised run ending at tokens[last] follows "at" or "with" (and a "the") and ends the
    phrase: "a strategist at Ridge Capital", not "at the Ridge Hall convention"."""
    if any(t.is_word for t in tokens[last + 1 :]) or tokens[last].possessive:
        return False
    start = last
    while start > 0 and (
        tokens[start - 1].text[:1].isupper() or tokens[start - 1].lower in ("of", "&", "and")
    ):
        start -= 1
    if start > 0 and tokens[start - 1].lower == "the":
        start -= 1
    return start > 0 and tokens[start - 1].lower in ("at", "with") and tokens[start - 1].hit is None


def _employers(attached: Sequence[Token]) -> list[Token]:
    """A person's attached words from the first "at", "with" or "for" on: "of" after a title names what
    the person heads or sits in ("chairman of the committee"), which need not speak through them."""
    for position, token in enumerate(attached):
        if token.hit is None and token.lower in ("at", "with", "for"):
            return list(attached[position:])
    return []


def _person(parts: _Parts, head: Token, lexicon: Lexicon, registry: Registry) -> Source:
    affiliated = any(t.lower in lexicon.affiliation_nouns for t in parts.core)
    bodies = () if affiliated else _bodies(_hits(parts.core, risky=True) + _hits(parts.attached, risky=True))
    titled = _described_body(parts.core, head, lexicon, registry) if not bodies else None
    unknown: tuple[UnregisteredBody, ...] = ()
    if not bodies and titled is None and not affiliated:  # "a strategist at Ridge Research"
        unknown = _unregistered_in(parts.core[:-1], lexicon, registry, owners_only=True) or _unregistered_in(
            _employers(parts.attached), lexicon, registry
        )
    plural = head.lower in lexicon.plural_nouns
    if _named(head, lexicon) or (not plural and _name_after_title(parts, lexicon, registry)):
        return Source(cited=bodies, titled=(titled,) if titled else (), unregistered=unknown)
    definite = parts.first in lexicon.definite_determiners or any(t.possessive for t in parts.core[:-1])
    vague = plural or not definite or bool(parts.detached)  # "the source close to the talks"
    return Source(cited=bodies, titled=(titled,) if titled else (), vague=vague, unregistered=unknown)


def _unregistered_subject(parts: _Parts, lexicon: Lexicon, registry: Registry) -> UnregisteredBody | None:
    """The organisation a phrase's core names, its name going on over "of", "for" or "on" into the
    attached words ("the Ministry of Plenty", "the Office for Fair Trading")."""
    if not parts.core or not ends_name(parts.core, len(parts.core) - 1):
        return None  # "chairman of the Joint Committee": a person's office, not a name
    tokens = [*parts.core, *parts.attached]
    last = end = len(parts.core) - 1
    while end + 1 < len(tokens) and tokens[end + 1].hit is None:
        following = tokens[end + 1]
        if following.is_word and following.text[:1].isupper():
            end += 1
            last = end
        elif following.lower in ("of", "for", "on", "and", "the", "&") and (
            end == last or following.lower == "the"
        ):
            end += 1
        else:
            break
    return unregistered_body(tokens, lexicon, registry, last)


def _name_after_title(parts: _Parts, lexicon: Lexicon, registry: Registry) -> bool:
    """ "Secretary of Labor Ann Lee", "analyst at Acme Jane Roe", "expert on Russia Jane Roe": a title's
    prepositional phrase, then a personal name of two words or more closing the phrase. The name follows a
    registry name or the preposition's one-word object: a known place or body, a listed word ("State"),
    or any word after a title written as a name's prefix (capitalised, no determiner). "An official in
    New York City" names no one."""
    words = [t for t in (*parts.attached, *parts.detached) if t.is_word or t.hit is not None]
    run = 0
    while run < len(words) and _named(words[len(words) - 1 - run], lexicon):
        run += 1
    first = len(words) - run  # where the capitalised run starts
    if run < 2 or first == 0:
        return False
    if words[first - 1].hit is not None:
        return True  # after a registry name
    prepositions = lexicon.attached_prepositions | lexicon.detached_words
    if first >= 2 and words[first - 1].text[:1].isupper() and words[first - 2].lower in prepositions:
        return True  # after the object "State", a listed word
    if run < 3 or words[first - 1].lower not in prepositions:
        return False
    prefix = parts.core[0].text[:1].isupper() and parts.first not in QUANTIFIERS
    return prefix or bool(registry.by_name(words[first].text))


def _described_by_apposition(
    parts: _Parts, apposition: Sequence[Token], lexicon: Lexicon, registry: Registry
) -> UnregisteredBody | None:
    """ "Harrowgate Watch, a regional rights group, said": a name the apposition says is a body."""
    if not apposition or parts.attached or not parts.core[-1].text[:1].isupper():
        return None
    kind = apposition_kind(apposition, lexicon)
    return None if kind is None else unregistered_body(parts.core, lexicon, registry, kind=kind)


def _described_outlet(core: Sequence[Token], lexicon: Lexicon) -> OutletHit | None:
    """ "the official Xinhua news agency": a name, then what it is."""
    hits = [position for position, token in enumerate(core) if token.hit is not None]
    if not hits:
        return None
    words = tuple(token.lower for token in core[hits[-1] + 1 :])
    return core[hits[-1]].hit if words and words in lexicon.outlet_descriptions else None


def classify_source(
    phrase: Sequence[Token],
    apposition: Sequence[Token],
    lexicon: Lexicon,
    registry: Registry,
    medium_only: bool = False,
) -> Source:
    parts = _split(phrase, lexicon)
    if any(t.lower in lexicon.spoof_words for t in parts.core):
        return Source(spoofed=tuple(t.hit for t in parts.core if t.hit is not None))
    head = parts.head
    if head is None or any(t.lower in lexicon.negations for t in parts.core):
        return _NOTHING
    if medium_only:  # "told Reuters", "told CNN's Jake Tapper"
        names = _coordinated_heads(parts.core) if head.hit is not None else _hits(parts.core)
        return Source(cited=_bodies(names, medium_only=True))
    if head.hit is not None:
        return Source(cited=_bodies(_coordinated_heads(parts.core)) or (head.hit,))
    described = _described_outlet(parts.core, lexicon)
    if described is not None:
        return Source(cited=(described,))
    lower = head.lower
    if lower in lexicon.pronouns and len(parts.core) == 1:
        return _NOTHING
    body = _unregistered_subject(parts, lexicon, registry) or _described_by_apposition(
        parts, apposition, lexicon, registry
    )
    if body is not None:  # "the Valley Fishermen's Cooperative", "the news website Example Daily Wire"
        aside = classify_source(apposition, (), lexicon, registry) if apposition else _NOTHING
        return Source(cited=aside.cited, titled=aside.titled, unregistered=(body, *aside.unregistered))
    if lower in lexicon.document_nouns:
        return _document(parts, head, lexicon, registry)
    if lower not in lexicon.person_nouns and not head.text[:1].isupper():
        if apposition:  # "another of the four, a senior Russian source who ..."
            return classify_source(apposition, (), lexicon, registry)
        return _NOTHING
    source = _person(parts, head, lexicon, registry)
    if not apposition:
        return source
    aside = classify_source(apposition, (), lexicon, registry)
    named = _named(head, lexicon) or (
        head.lower not in lexicon.plural_nouns and _names_person(apposition, lexicon)
    )
    return Source(
        cited=source.cited + aside.cited,
        titled=source.titled + aside.titled,
        vague=(source.vague or aside.vague) and not named,
        unregistered=source.unregistered + aside.unregistered,
    )
