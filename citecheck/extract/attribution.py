"""Attribution grammar: each cue in a sentence and the source phrase attached to it.

Constructions, each a rule over tokens whose words come from the lexicon:
- subject + reporting verb: "X said", "X has also warned", "X, a spokesman for Y, said", "X on Friday
  said"; the verb agrees with its subject ("polls show", not "his radio show"); a modal ("X will say")
  or a negation ("X did not say") makes no attribution;
- inverted: "..., said X", "..." writes X";
- lead phrase + source: "according to X", "per X", "citing X";
- addressee of a medium cue: "told X", "in an interview with X" (only a news outlet there is cited);
- agent: "debunked by X and Y", "seen by X";
- light verb + statement: "officials cast doubt", "a senior official gave a similar assessment";
- document: "X's analysis", "a report by X", "data from X", "in a Pentagon report".
The source phrase is classified afterwards (sources.py). A cue inside a quotation is someone else's
words.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..models import OutletType
from .lexicon import Lexicon, Phrase
from .phrases import MAX_PHRASE, Walker
from .sources import MEDIA_TYPES
from .tokens import Token, Tokens

__all__ = ["Attribution", "find_attributions"]

_PLURAL_PRONOUNS = frozenset(("they", "we", "i", "you"))
_BE = frozenset(("is", "was", "were", "are", "be", "been", "being"))
# Words a verb never follows directly: "the report", "a list", "of states", "to report".
_NOUN_MARKERS = frozenset(("a", "an", "the", "of", "to", "for", "with", "from", "on", "at", "into", "by"))
# What may stand before a sentence's first word (as a one-token list: nothing at all is []).
_SENTENCE_OPENERS: tuple[list[str], ...] = (
    [],
    ["."],
    ["!"],
    ["?"],
    [":"],
    [";"],
    ['"'],
    ["'"],
    ["("],
    ["["],
    ["-"],
    ["*"],
    ["#"],
)
_LIGHT_OBJECT_REACH = 4  # "gave | a similar | assessment"


@dataclass(frozen=True, slots=True)
class Attribution:
    cue: str  # the cue's words as written ("said", "according to", "report by")
    cue_start: int
    cue_end: int
    construction: str  # "subject", "inverted", "lead", "medium", "agent", "document"
    phrase: tuple[Token, ...]  # the source phrase
    apposition: tuple[Token, ...] = ()  # ", a spokesman for Y," beside the phrase
    medium_only: bool = False  # only a news outlet in the phrase is a source ("told X")

    @property
    def start(self) -> int:
        return min([self.cue_start, *(t.start for t in (*self.phrase, *self.apposition))])

    @property
    def end(self) -> int:
        return max([self.cue_end, *(t.end for t in (*self.phrase, *self.apposition))])


@lru_cache(maxsize=8)
def _by_first_word(phrases: tuple[Phrase, ...]) -> dict[str, tuple[Phrase, ...]]:
    table: dict[str, list[Phrase]] = {}
    for phrase in phrases:  # longest first, as the lexicon keeps them
        table.setdefault(phrase[0], []).append(phrase)
    return {word: tuple(group) for word, group in table.items()}


def _phrase_at(tokens: Tokens, index: int, phrases: tuple[Phrase, ...]) -> int:
    """The number of tokens of the longest phrase starting at tokens[index], or 0."""
    lowers = tokens.lowers
    for phrase in _by_first_word(phrases).get(lowers[index], ()):
        if tuple(lowers[index : index + len(phrase)]) == phrase:
            return len(phrase)
    return 0


@dataclass(frozen=True, slots=True)
class _Gap:
    """What stands between a verb and its subject: where the subject ends, and whether an auxiliary, a
    modal, a form of "be" (a passive: "the list was revealed") or a negation stood there."""

    before: int
    auxiliary: bool
    modal: bool
    passive: bool
    negated: bool


def _gap(walker: Walker, verb: int) -> _Gap:
    """Back from a verb over auxiliaries, adverbs, negations and time phrases ("has also", "did not",
    "on Friday"), and over a short bracket ("the Korean Central News Agency (KCNA) said")."""
    tokens, lowers, lexicon = walker.tokens, walker.lowers, walker.lexicon
    index, auxiliary, modal, passive, negated = verb - 1, False, False, False, False
    while index >= 0:
        lower = lowers[index]
        if index in tokens.hits:
            break
        if lower in lexicon.negations or lower.endswith("n't"):
            negated = True
        elif lower in lexicon.auxiliaries:
            auxiliary = True
            modal = modal or lower in lexicon.modals
            passive = passive or lower in _BE  # "was first published", "has been reported"
        elif lower in lexicon.verb_adverbs or (
            lower.endswith("ly")
            and not tokens.is_capitalised(index)
            and lower not in lexicon.person_nouns
            and lower not in lexicon.description_words  # "the weekly", "the daily"
        ):
            pass
        elif (
            walker.is_time(index)
            and (not tokens.is_capitalised(index) or lowers[index - 1] in ("on", "last", "this"))
            and not walker.numbered_name(index)
        ):
            pass  # "on Friday", "last Tuesday", "today"; not the number of "Channel 4"
        else:
            break
        index -= 1
    before = walker.parenthesis_before(index) if index >= 0 else index
    return _Gap(before, auxiliary, modal, passive, negated)


def _agrees(walker: Walker, verb: Token, phrase: Sequence[Token]) -> bool:
    """A present-tense verb agrees with its subject's head: "polls show", "the ministry says"."""
    lexicon = walker.lexicon
    lower = verb.lower
    if lower not in lexicon.base_forms and lower not in lexicon.third_forms:
        return True
    words = [t for t in phrase if t.is_word or t.hit is not None]
    core = words
    for position, token in enumerate(words):
        if (
            position
            and token.hit is None
            and token.lower in lexicon.attached_prepositions | lexicon.detached_words
        ):
            core = words[:position]
            break
    head = core[-1]
    plural = (
        head.lower in lexicon.plural_nouns
        or head.lower in _PLURAL_PRONOUNS
        or (
            head.hit is None
            and head.text.islower()
            and head.lower.endswith("s")
            and not head.lower.endswith("ss")
        )
        or any(t.lower == "and" for t in core)
    )
    return plural if lower in lexicon.base_forms else not plural


def _subject(walker: Walker, verb: int) -> Attribution | None:
    """The subject before a verb, the inverted subject after it, or the subject before an apposition."""
    tokens, lexicon = walker.tokens, walker.lexicon
    cue = tokens[verb]
    gap = _gap(walker, verb)
    if gap.negated or gap.modal or gap.passive:
        return None  # "did not say", "will say", "the list was revealed"
    before = gap.before
    if before >= 0 and tokens.is_word(before):
        if not walker.source_word_before(before):
            return None  # "the talks collapsed", "he said": a phrase that can be no source
        phrase = walker.backward_phrase(before)
        first = before - len(phrase)
        if not phrase or (first >= 0 and walker.lowers[first] in lexicon.negations):
            return None  # "no credible report indicates"
        if not gap.auxiliary and not _agrees(walker, cue, phrase):
            return None  # "his radio show": a noun, not the verb
        if cue.lower in lexicon.production_verbs and phrase[-1].lower in lexicon.document_nouns:
            return None  # "a report published in 2017": done to the document
        parenthetical = verb + 1 < len(tokens) and walker.lowers[verb + 1] == ","  # "X, one aide said, ..."
        singular = phrase[-1].lower not in lexicon.plural_nouns
        name = _name_before_comma(walker, first) if singular and not parenthetical else ()
        if name:  # "Jane Roe, another member of the board said": the phrase describes her
            return Attribution(cue.text, cue.start, cue.end, "subject", name, phrase)
        return Attribution(cue.text, cue.start, cue.end, "subject", phrase)
    inverted = _inverted(walker, verb, before)
    if inverted is not None:
        return inverted
    if before >= 0 and walker.lowers[before] in (",", "-"):
        opening = walker.apposition_before(before)
        subject_end = _gap(walker, opening).before if opening is not None else -1
        if opening is not None and subject_end >= 0 and tokens.is_word(subject_end):
            phrase = walker.backward_phrase(subject_end)
            if phrase:
                aside = tuple(tokens[opening + 1 : before])
                if aside and _adverbial(walker, aside[0]):
                    aside = ()  # ", through the media,", ", citing documents,": not a description of it
                return Attribution(cue.text, cue.start, cue.end, "subject", phrase, aside)
    return None


def _name_before_comma(walker: Walker, comma: int) -> tuple[Token, ...]:
    """A personal name opening the sentence before a comma ("Jane Roe, a ..."): two to four capitalised
    words, none a registry name or a listed word; else ()."""
    tokens, lexicon = walker.tokens, walker.lexicon
    if comma < 2 or walker.lowers[comma] != ",":
        return ()
    start = comma
    while start > 0 and tokens.is_word(start - 1) and start - 1 not in tokens.hits:
        lower = walker.lowers[start - 1]
        if not tokens.words[start - 1][:1].isupper() or lower in lexicon.clause_words:
            return ()
        listed = lower in lexicon.person_nouns or lower in lexicon.time_words
        if listed or lower in lexicon.attached_prepositions:
            return ()
        start -= 1
    if not 2 <= comma - start <= 4 or walker.lowers[start - 1 : start] not in _SENTENCE_OPENERS:
        return ()
    return tuple(tokens[start:comma])


def _adverbial(walker: Walker, token: Token) -> bool:
    lexicon, lower = walker.lexicon, token.lower
    return token.hit is None and (
        lower in lexicon.attached_prepositions
        or lower in lexicon.detached_words
        or lower in lexicon.clause_words
        or lower in lexicon.object_source_verbs
        or lower.endswith("ing")
        or lower in ("through", "via", "despite", "after", "before", "during", "like")
    )


def _inverted(walker: Walker, verb: int, before: int) -> Attribution | None:
    """ "..., said X." / "\"...\" writes X": a source phrase after the verb that ends the clause."""
    tokens, lowers, lexicon = walker.tokens, walker.lowers, walker.lexicon
    if before < 0 or lowers[before] not in (",", '"', "'", "-"):
        return None
    if (lowers[verb],) in lexicon.medium_leads:
        return None  # "..., told Axios": the one told, not the teller
    after = walker.forward_phrase(verb + 1)
    end = verb + 1 + len(after)
    ends_clause = end >= len(tokens) or not tokens.is_word(end) or lowers[end] in lexicon.clause_words
    if not after or not (ends_clause or walker.time_phrase_at(end)):
        return None
    aside = walker.apposition_after(walker.skip_time_phrase(end))
    if not (_may_be_source(walker, after) or (aside and _may_be_source(walker, aside))):
        return None  # "..., wrote a book": an object
    cue = tokens[verb]
    return Attribution(cue.text, cue.start, cue.end, "inverted", after, aside)


def _may_be_source(walker: Walker, phrase: Sequence[Token]) -> bool:
    """Whether a phrase after a verb can be its inverted subject ("said an FBI statement", "said one
    official", "writes Jane Doe") rather than its object ("wrote a book")."""
    lexicon = walker.lexicon
    words = [token for token in phrase if token.is_word or token.hit is not None]
    preposition = next(
        (t for t in words[1:] if t.lower in lexicon.attached_prepositions and t.hit is None), None
    )
    core = words[: words.index(preposition)] if preposition is not None else words
    if not core:
        return False
    last = core[-1]
    if last.hit is not None or last.lower in lexicon.person_nouns or last.text[:1].isupper():
        return True
    return last.lower in lexicon.document_nouns and any(t.hit is not None for t in core)


def _verb_attributions(walker: Walker, verb: int) -> list[Attribution]:
    tokens, lexicon = walker.tokens, walker.lexicon
    lower = walker.lowers[verb]
    following = walker.lowers[verb + 1] if verb + 1 < len(tokens) else None
    if following == "by" and lower in lexicon.agent_participles:
        if lower in lexicon.production_verbs and _produces_an_outlet(walker, verb):
            return []  # "it is published by Xinhua": the publisher of a paper, not a source
        if lower in lexicon.production_verbs and _done_to_an_activity(walker, verb):
            return []  # "an inquiry conducted by the FBI": who ran it, not what it found
        agent = walker.forward_phrase(verb + 2)
        cue = tokens[verb]
        return (
            [Attribution(f"{cue.text} by", cue.start, tokens.ends[verb + 1], "agent", agent)] if agent else []
        )
    if following == "to" or _naming(walker, verb) or lower not in lexicon.reporting_verbs:
        return []  # "declined to comment", "seems to": an intention; "a group called X": a name
    previous = walker.lowers[verb - 1] if verb > 0 else ""
    if previous in lexicon.definite_determiners or previous in _NOUN_MARKERS:
        return []  # "the report", "of states", "a list": a noun, not the verb
    cue = tokens[verb]
    found = []
    if (
        lower in lexicon.object_source_verbs
        and following is not None
        and not _adverbial(walker, tokens[verb + 1])
    ):
        source = walker.forward_phrase(verb + 1)
        if source:
            found.append(Attribution(cue.text, cue.start, cue.end, "lead", source))
    if not lower.endswith("ing") and not _carries_others_text(walker, verb):
        subject = _subject(walker, verb)  # a participle ("a statement saying") has no subject of its own
        if subject is not None:
            found.append(subject)
    return found


def _carries_others_text(walker: Walker, verb: int) -> bool:
    """ "The paper has carried articles by the ambassador": with a text by someone else as its object, a
    carrying verb's subject is a medium, not the source."""
    lexicon, lowers = walker.lexicon, walker.lowers
    if lowers[verb] not in lexicon.carrying_verbs:
        return False
    for index in range(verb + 1, min(len(lowers) - 1, verb + 1 + MAX_PHRASE)):
        if not walker.tokens.is_word(index) or lowers[index] in lexicon.clause_words:
            return False
        if lowers[index] in lexicon.document_nouns and lowers[index + 1] in ("by", "from"):
            return True
    return False


def _done_to_an_activity(walker: Walker, verb: int) -> bool:
    """ "the investigation is being conducted by lawyers": the participle's noun is an activity (an
    inquiry, a review), a source only where a cue of its own says what it found."""
    before = _gap(walker, verb).before
    return before >= 0 and walker.lowers[before] in walker.lexicon.activity_nouns


def _produces_an_outlet(walker: Walker, verb: int) -> bool:
    """ "It is published by Xinhua", "a weekly run by the party": what was produced is a paper or
    a channel (an outlet, its description or a pronoun for it), not a text a source wrote."""
    before = _gap(walker, verb).before
    if before < 0:
        return False
    lower = walker.lowers[before]
    lexicon = walker.lexicon
    return before in walker.tokens.hits or lower in lexicon.pronouns or lower in lexicon.description_words


def _naming(walker: Walker, verb: int) -> bool:
    """ "a government agency called SFASD", "an editorial titled "..."": a common noun, then the verb,
    then a name or a quotation."""
    tokens, lexicon = walker.tokens, walker.lexicon
    if walker.lowers[verb] not in lexicon.naming_verbs or verb == 0 or verb + 1 >= len(tokens):
        return False
    before, after = tokens[verb - 1], tokens[verb + 1]
    if after.text == "," and verb + 2 < len(tokens):
        after = tokens[verb + 2]  # "an editorial titled, "...""
    if after.lower == "the" and verb + 2 < len(tokens) and tokens[verb + 1] is after:
        after = tokens[verb + 2]  # "an agency called the Shanghai ..."
    common = before.is_word and before.hit is None and before.text.islower()
    return common and (after.text in ('"', "'") or after.text[:1].isupper() or after.hit is not None)


def _light_verb_attributions(walker: Walker, verb: int) -> list[Attribution]:
    """ "officials cast doubt", "a senior official gave a similar assessment": the subject is a source."""
    tokens, lexicon = walker.tokens, walker.lexicon
    for index in range(verb + 1, min(len(tokens), verb + 1 + _LIGHT_OBJECT_REACH)):
        lower = tokens[index].lower
        if lower in lexicon.statement_nouns or lower in lexicon.document_nouns:
            subject = _subject(walker, verb)
            if subject is None or subject.construction != "subject":
                return []
            words = f"{tokens[verb].text} ... {tokens[index].text}"
            return [
                Attribution(
                    words,
                    tokens[verb].start,
                    tokens[index].end,
                    "subject",
                    subject.phrase,
                    subject.apposition,
                )
            ]
        if walker.stops_phrase(index) or tokens[index].hit is not None:
            return []
    return []


def _lead_attributions(walker: Walker, index: int) -> list[Attribution]:
    tokens, lexicon = walker.tokens, walker.lexicon
    for phrases, construction in ((lexicon.source_leads, "lead"), (lexicon.medium_leads, "medium")):
        length = _phrase_at(tokens, index, phrases)
        if not length or index + length >= len(tokens):
            continue
        source = walker.forward_phrase(index + length)
        if not source:
            return []
        words = " ".join(token.text for token in tokens[index : index + length])
        if words.lower() in lexicon.name_only_leads and not any(
            t.hit is not None or t.lower in lexicon.person_nouns for t in source
        ):
            return []  # "via email", "via video link": a channel, not a source
        start, end = tokens[index].start, tokens[index + length - 1].end
        return [Attribution(words, start, end, construction, source, medium_only=construction == "medium")]
    return []


def _document_attributions(walker: Walker, noun: int) -> list[Attribution]:
    """ "a report by X", "data from X"; "X's analysis", "an FBI statement", "on the Le Monde website". A
    collection or an activity ("the CCP database", "the FBI investigation") only when possessed."""
    tokens, lexicon = walker.tokens, walker.lexicon
    cue = tokens[noun]
    if _modifies_noun(walker, noun):
        return []  # "an email account": the noun after it is the head
    following = walker.skip_time_phrase(noun + 1)
    by = following + 1 < len(tokens) and walker.lowers[following] in ("by", "from")
    if by and cue.lower not in lexicon.activity_nouns:  # not "the investigation by the FBI"
        source = walker.forward_phrase(following + 1)
        if source and not _object_of_verb(walker, noun):
            words = f"{cue.text} {tokens[following].text}"
            return [Attribution(words, cue.start, tokens[following].end, "document", source)]
    if not any(noun - MAX_PHRASE <= index < noun for index in tokens.hits):
        return []  # no name the document could be by
    phrase = walker.backward_phrase(noun, across_prepositions=False)
    named = [token.hit for token in phrase[:-1] if token.hit is not None]
    if not named or len(phrase) == len(tokens):
        return []  # no name; or a label standing alone on its line ("Reuters Analysis"), not a citation
    owner = any(token.possessive and token.hit is not None for token in phrase[:-1])
    if not owner and all(hit.outlet.type is OutletType.PLATFORM for hit in named):
        return []  # "in a Facebook post": the platform carries it; its author speaks through a verb
    opening = noun - len(phrase)
    in_medium = (
        opening >= 0
        and tokens[opening].lower in ("in", "on")
        and named[-1].outlet.type in MEDIA_TYPES
        and not _intended(walker, opening)
    )
    held = cue.lower in lexicon.collection_nouns or cue.lower in lexicon.activity_nouns
    if owner or in_medium or not (held or cue.lower in lexicon.venue_nouns):
        return [Attribution(cue.text, cue.start, cue.end, "document", phrase)]
    return []


def _modifies_noun(walker: Walker, noun: int) -> bool:
    """ "an email account", "an email address", "the poll results": a noun right after a document noun
    is the head of the phrase, the document noun only its modifier. Without a tagger a noun is a listed
    one, or a lower-case word of no closed class without a verb's ending ("-s", "-ed", "-ing")."""
    following = noun + 1
    if following >= len(walker.tokens) or following in walker.tokens.hits:
        return False
    word, lower, lexicon = walker.tokens.words[following], walker.lowers[following], walker.lexicon
    if not (word.isalpha() and word.islower()):
        return False
    if lower in lexicon.document_nouns or lower in lexicon.person_nouns:
        return True
    return not (
        len(lower) < 4
        or (lower.endswith("s") and not lower.endswith(("ss", "us", "is")))
        or lower.endswith(("ed", "ing", "ly", "en"))
        or walker.stops_phrase(following)
        or lower in lexicon.attached_prepositions
        or lower in lexicon.detached_words
        or lower in lexicon.time_words
        or lower in lexicon.verb_adverbs
        or lower in lexicon.agent_participles
        or lower in lexicon.production_verbs
        or lower in lexicon.pronouns
    )


def _object_of_verb(walker: Walker, noun: int) -> bool:
    """ "he shared an article by X", "the agency selects stories from X": the document is what someone
    else acts on, not a text the sentence rests on. The phrase's first word follows a word that is no
    preposition, lead or clause word (a subject clause after a verb of saying, "said data from X showed",
    is read from its own verb)."""
    lexicon = walker.lexicon
    phrase = walker.backward_phrase(noun, across_prepositions=False)
    before = noun - len(phrase)
    if before < 0 or not walker.tokens.is_word(before) or before in walker.tokens.hits:
        return False
    lower = walker.lowers[before]
    if not walker.tokens.words[before].islower():
        return False  # a name or a sentence's first word
    if lower not in lexicon.production_verbs and (
        lower in lexicon.reporting_verbs or lower in lexicon.agent_participles
    ):
        return False  # "echoed earlier comments from officials": the comments are relied on
    return not (
        lower in lexicon.attached_prepositions
        or lower in lexicon.detached_words
        or lower in lexicon.clause_words
        or (lower,) in lexicon.source_leads
        or lower in lexicon.time_words
        or lower in lexicon.negations
        or lower in lexicon.auxiliaries
        or lower in _NOUN_MARKERS
        or lower in ("as", "like", "than", "via", "per", "through")
    )


def _intended(walker: Walker, preposition: int) -> bool:
    """ "plans to publish it on the X website", "will post it in X": a text not yet there."""
    index = preposition - 1
    while index >= 0 and walker.lowers[index] in walker.lexicon.object_pronouns:
        index -= 1  # the object: "it", "them"
    if index < 1 or not walker.tokens.words[index].islower():
        return False
    return walker.lowers[index - 1] == "to" or walker.lowers[index - 1] in walker.lexicon.modals


def _lead_pair_at(lowers: list[str], index: int, lexicon: Lexicon) -> bool:
    """The first two words of a lead of several words ("in an", "speaking to") start at index."""
    return (
        lowers[index] in lexicon.lead_firsts
        and index + 1 < len(lowers)
        and (lowers[index], lowers[index + 1]) in lexicon.lead_pairs
    )


def _title_case(tokens: Tokens) -> bool:
    """A headline in title case ("Sputnik Falsely Says Johnson on Ventilator"): capitals are no names."""
    words = [
        word
        for i, word in enumerate(tokens.words)
        if len(word) > 3 and i not in tokens.hits and word[0].isalnum()
    ]
    return len(words) >= 3 and sum(word[0].isupper() for word in words) >= 0.7 * len(words)


def find_attributions(
    tokens: Tokens, lexicon: Lexicon, quoted: Callable[[int, int], bool], cues: list[int] | None = None
) -> list[Attribution]:
    """Every attribution in a stretch's tokens; `quoted(start, end)` tells a quotation. `cues` are the
    indexes of the tokens that may be cue words, if the caller knows them (else every token is tried)."""
    walker = Walker(tokens, lexicon)
    found: list[Attribution] = []
    title_case: bool | None = None
    lowers = tokens.lowers
    for index in range(len(lowers)) if cues is None else cues:
        lower = lowers[index]
        if lower not in lexicon.cue_words and not _lead_pair_at(lowers, index, lexicon):
            continue
        if index in tokens.hits or quoted(tokens.starts[index], tokens.ends[index]):
            continue
        if index + 1 < len(lowers) and (lower, lowers[index + 1]) in lexicon.compounds:
            continue  # "think tank"
        if lower in lexicon.document_nouns:
            found += _document_attributions(walker, index)
        if tokens.words[index][0].isupper() and lowers[index - 1 : index] not in _SENTENCE_OPENERS:
            title_case = _title_case(tokens) if title_case is None else title_case
            if not title_case:
                continue  # a capitalised word inside a sentence belongs to a name ("CIA Document")
        if lower in lexicon.lead_words:
            found += _lead_attributions(walker, index)
        if lower in lexicon.reporting_verbs or lower in lexicon.agent_participles:
            found += _verb_attributions(walker, index)
        elif lower in lexicon.light_verbs:
            found += _light_verb_attributions(walker, index)
    return found
