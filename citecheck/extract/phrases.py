"""Noun phrases around a cue, found by walking a sentence's tokens: the subject before a verb, the
phrase after a lead or an inverted verb, an apposition between commas, a time phrase to step over.

The walks know no part-of-speech tagger, only the lexicon's closed word classes: a phrase stops at
punctuation, a clause word ("that", "who", "and"), an auxiliary or another cue verb; prepositions keep
it going after a noun ("officials at the ministry", "a source close to the Kremlin").
"""

from __future__ import annotations

from .lexicon import Lexicon
from .tokens import Token, Tokens

__all__ = ["QUANTIFIERS", "Walker"]

MAX_PHRASE = 14  # tokens in one source phrase
MAX_APPOSITION = 25  # tokens between the commas of an apposition
_SOURCE_WORD_REACH = 8  # tokens back from a verb in which its subject's head stands
QUANTIFIERS = frozenset(
    "a an one two three four five six seven eight nine ten several some many another".split()
)


class Walker:
    """One sentence's tokens and the walks over them (which read the token lists, and make Token objects
    only for the phrases they return)."""

    def __init__(self, tokens: Tokens, lexicon: Lexicon) -> None:
        self.tokens = tokens
        self.lowers = tokens.lowers
        self.lexicon = lexicon

    def is_time(self, index: int) -> bool:
        lower = self.lowers[index]
        return index not in self.tokens.hits and (lower in self.lexicon.time_words or lower.isdigit())

    def numbered_name(self, index: int) -> bool:
        """A number closing a name ("Channel 4", "Republica 18"): after a capitalised word that is no time
        word ("May 18" is a date)."""
        return (
            self.lowers[index].isdigit()
            and index > 0
            and self.tokens.is_capitalised(index - 1)
            and index - 1 not in self.tokens.hits
            and self.lowers[index - 1] not in self.lexicon.time_words
        )

    def is_noun(self, index: int) -> bool:
        """A word a prepositional phrase can hang on: a name, a capitalised word, a listed noun."""
        lexicon, lower = self.lexicon, self.lowers[index]
        return (
            self.tokens.is_name(index)
            or lower in lexicon.person_nouns
            or lower in lexicon.document_nouns
            or lower in lexicon.detached_words
            or lower in QUANTIFIERS
            or lower.isdigit()
        )

    def source_word_before(self, end: int) -> bool:
        """Whether a word that can make a source phrase come to something stands in the few words up
        to tokens[end] (inclusive), back to a punctuation mark: a name, a capitalised word, a listed
        person, group, document or statement, or an outlet's description ("the agency"). Without one
        ("the talks collapsed", "he said") sources.py would find nothing, so no phrase is built."""
        lexicon, lowers = self.lexicon, self.lowers
        for index in range(end, max(-1, end - _SOURCE_WORD_REACH), -1):
            lower = lowers[index]
            if (
                self.tokens.is_name(index)
                or lower in lexicon.person_nouns
                or lower in lexicon.document_nouns
                or lower in lexicon.statement_nouns
                or lower in lexicon.description_words
            ):
                return True
            if not self.tokens.is_word(index):
                return False
        return False

    def stops_phrase(self, index: int) -> bool:
        """Whether tokens[index] cannot belong to a source phrase."""
        lexicon, lower = self.lexicon, self.lowers[index]
        if index in self.tokens.hits:
            return False
        if not self.tokens.is_word(index):
            return lower != "&" and not self._abbreviation_dot(index)
        if lower == "to":
            return index == 0 or self.lowers[index - 1] not in lexicon.detached_words
        if lower in ("or", "and") and self._joins_prepositions(index):
            return False  # "involved in or briefed on the talks"
        if lower in lexicon.clause_words or lower in lexicon.negations:
            return True
        if lower in lexicon.auxiliaries:
            return not self._month_in_date(index)
        verb = lower in lexicon.reporting_verbs or lower in lexicon.light_verbs
        return verb and not self._listed(lower)

    def _month_in_date(self, index: int) -> bool:
        """ "X's 4 May 2019 report", "a May 2019 study": the month beside a number, not the verb "may"."""
        words = self.tokens.words
        beside = [words[i] for i in (index - 1, index + 1) if 0 <= i < len(words)]
        return words[index][:1].isupper() and any(word.isdigit() for word in beside)

    def participle(self, index: int) -> bool:
        """An unlisted "-ing" word: after a noun it opens a clause ("a reporter covering ..."), before one
        it is an adjective ("the ongoing talks")."""
        lower = self.lowers[index]
        return (
            index not in self.tokens.hits
            and lower.endswith("ing")
            and self.tokens.words[index].islower()
            and not self._listed(lower)
        )

    def _abbreviation_dot(self, index: int) -> bool:
        """The dot of "Dr. Varmus", "Gen. Milley": part of a title, not a stop."""
        tokens = self.tokens
        return (
            self.lowers[index] == "."
            and index > 0
            and tokens.ends[index - 1] == tokens.starts[index]
            and self.lowers[index - 1] in self.lexicon.abbreviations
        )

    def _listed(self, lower: str) -> bool:
        lexicon = self.lexicon
        return (
            lower in lexicon.document_nouns
            or lower in lexicon.person_nouns
            or lower in lexicon.detached_words
        )

    def _joins_prepositions(self, index: int) -> bool:
        lowers, lexicon = self.lowers, self.lexicon
        if index == 0 or index + 1 >= len(lowers):
            return False
        before, after = lowers[index - 1], lowers[index + 1]
        prepositions = lexicon.attached_prepositions | lexicon.detached_words
        return before in prepositions and after in prepositions

    def time_phrase_at(self, index: int) -> bool:
        """ "on Friday", "last week", "in 2011", "Friday": a time phrase starts at tokens[index]."""
        if not self.is_time(index):
            return False
        if self.lowers[index] in ("on", "in", "at", "last", "this", "next", "earlier", "later"):
            return index + 1 < len(self.lowers) and self.is_time(index + 1)
        return True

    def skip_time_phrase(self, index: int) -> int:
        """The index after a time phrase starting at tokens[index], or index itself."""
        if index >= len(self.tokens) or not self.time_phrase_at(index):
            return index
        end = index + 1
        while end < len(self.tokens) and self.is_time(end):
            end += 1
        return end

    def forward_phrase(self, start: int) -> tuple[Token, ...]:
        """The source phrase starting at tokens[start]: "the ministry", "X and Y", "a source close to Z".
        A time phrase ("on Friday") ends it; "and" joins names only ("debunked by X and Y")."""
        tokens, end = self.tokens, start
        while end < len(tokens) and end - start < MAX_PHRASE:
            if (
                self.lowers[end] == "and"
                and end > start
                and tokens.is_name(end - 1)
                and self._name_at(end + 1)
            ):
                end += 1
                continue
            if self.stops_phrase(end) or (end > start and (self.time_phrase_at(end) or self.participle(end))):
                break
            if end > start and end - 1 in tokens.hits and not self._goes_on_after_name(end):
                break  # "by Gallup | puts the senator ahead"
            end += 1
        return tuple(tokens[start:end])

    def _goes_on_after_name(self, index: int) -> bool:
        """What may follow a registry name inside a phrase: a preposition, another name, a listed noun
        ("a Reuters spokesman") or a description ("the Xinhua news agency")."""
        lexicon, lower = self.lexicon, self.lowers[index]
        return (
            self.tokens.is_name(index)
            or not self.tokens.is_word(index)
            or lower in lexicon.attached_prepositions
            or lower in lexicon.detached_words
            or lower in lexicon.person_nouns
            or lower in lexicon.document_nouns
            or lower in lexicon.statement_nouns
            or lower in lexicon.description_words
            or lower == "and"
        )

    def _name_at(self, index: int) -> bool:
        if index < len(self.lowers) and self.lowers[index] in ("the", "a", "an"):
            index += 1
        return index < len(self.lowers) and self.tokens.is_name(index)

    def backward_phrase(self, end: int, across_prepositions: bool = True) -> tuple[Token, ...]:
        """The noun phrase ending at tokens[end] (inclusive), read backwards: "two White House officials",
        "a spokesman for the ministry", "Foreign Minister Dmytro Kuleba", "the CIA (CIA) document". A
        determiner opens the phrase unless a preposition after a noun stands before it; without
        `across_prepositions`, any preposition ends it (a document's own words: "Obama's announcement",
        not "the White House East Room for Obama's announcement")."""
        tokens, lowers, lexicon = self.tokens, self.lowers, self.lexicon
        if self.participle(end):
            return ()  # "... covering | issues": no noun before the verb
        start = end + 1
        while start > 0 and end - start + 1 < MAX_PHRASE:
            index = start - 1
            lower = lowers[index]
            if lower == ")":
                opening = self.parenthesis_before(index)
                if opening == index or opening < 0 or opening not in tokens.hits:
                    break
                start = opening + 1  # over "(CIA)" after the name it abbreviates
                continue
            if (
                lower == "and"
                and start <= end
                and tokens.is_name(start)
                and index > 0
                and tokens.is_name(index - 1)
            ):
                start = index
                continue
            if self.stops_phrase(index) or (not across_prepositions and self._preposition(index)):
                if lower == "that" and start == end and self._singular_document(end):
                    start = index  # "that report states": a determiner, not a conjunction
                break
            start = index
            if lower in lexicon.pronouns and start == end:
                break  # "he said": the pronoun is the whole phrase
            if lower in lexicon.definite_determiners or lower in QUANTIFIERS:
                if not self._noun_and_preposition_before(index):
                    break
        return tuple(tokens[start : end + 1])

    def _preposition(self, index: int) -> bool:
        lower = self.lowers[index]
        return index not in self.tokens.hits and (
            lower in self.lexicon.attached_prepositions or lower in self.lexicon.detached_words
        )

    def _noun_and_preposition_before(self, determiner: int) -> bool:
        """ "officials at | the ministry", "a source close to | the Kremlin": the phrase goes on."""
        lowers, lexicon = self.lowers, self.lexicon
        preposition = determiner - 1
        if preposition < 1:
            return False
        word = lowers[preposition]
        if word == "to":
            return lowers[preposition - 1] in lexicon.detached_words
        if word not in lexicon.attached_prepositions and word not in lexicon.detached_words:
            return False
        return self.is_noun(preposition - 1)

    def _singular_document(self, index: int) -> bool:
        lower = self.lowers[index]
        return lower in self.lexicon.document_nouns and lower not in self.lexicon.plural_nouns

    def parenthesis_before(self, index: int) -> int:
        """Over a short bracket ending at tokens[index] ("(KCNA)"): the index before it, else index."""
        lowers = self.lowers
        if lowers[index] != ")":
            return index
        for opening in range(index - 1, max(-1, index - 5), -1):
            if lowers[opening] == "(":
                return opening - 1
        return index

    def apposition_before(self, closing: int) -> int | None:
        """For a comma or a dash right before a verb, the same mark that opens the aside it closes (", a
        spokesman for Y," / ", who asked not to be named," / "- even its critics say so -"), or None."""
        mark = self.lowers[closing]
        for index in range(closing - 1, max(-1, closing - MAX_APPOSITION - 1), -1):
            text = self.lowers[index]
            if text == mark:
                return index if index > 0 else None
            if text in ('"', "'", ";", ":", ".", ")"):
                return None
        return None

    def apposition_after(self, comma: int) -> tuple[Token, ...]:
        """ "said Jane Doe, country director for X, ...": the description after an inverted subject."""
        lowers = self.lowers
        if comma + 1 >= len(lowers) or lowers[comma] != ",":
            return ()
        return self.forward_phrase(comma + 1)
