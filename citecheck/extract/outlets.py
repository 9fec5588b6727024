"""Outlets named in prose, found with one Aho-Corasick pass over the registry's names.

Aliases match case-sensitively as whole words (curly quotes and dashes folded first), abbreviations
only in capitals, and a name shared by several entries is settled by each entry's hint words nearby.
Misspelt names ("The Sunday Mall") are tried with rapidfuzz, but only where a citation cue stands
next to a capitalised phrase, so ordinary prose is never fuzzily matched.
"""

from __future__ import annotations

import bisect
import re
from typing import NamedTuple
from weakref import WeakKeyDictionary

from ahocorasick_rs import Implementation
from rapidfuzz import fuzz, process

from ..models import Outlet
from ..resolve.registry import Registry
from .lexicon import Lexicon, load_lexicon
from .wordscan import WordScanner

__all__ = ["OutletHit", "OutletMatcher", "PhraseRuns", "fold_punctuation", "matcher_for"]

_FOLD = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
    }
)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
# A capitalised phrase: names, joined by the small words names contain ("Office of the Director").
_PHRASE = re.compile(
    r"[A-Z][\w'.&-]*"
    r"(?:[ \t]+(?:of|the|de|du|des|la|le|for|and|on|in|&|der|van|von|[A-Z][\w'.&-]*))*"
    r"[ \t]*[A-Z][\w'.&-]*"
    r"|[A-Z][\w'.&-]{3,}"
)
_CONNECTORS = frozenset("of the de du des la le for and on in & der van von".split())  # those of _PHRASE
_CAPITALS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_WORD = re.compile(r"\S+")
_PHRASE_TAIL_CHARACTER = re.compile(r"[\w'.&-]")
_CAPITAL_BEFORE = re.compile(r"[\w'.&-]*?[A-Z]")  # read backwards: a capital within the word parts before
# Every character a phrase can hold; any other character ends it.
_PHRASE_RUN = re.compile(r"[\w'.&\- \t]*")
# After "The Australian" a following word usually means an adjective ("The Australian government"), unless it
# is one of these or a verb the paper speaks by (_words_after_the_name).
_NAME_CONTINUES = re.compile(r"^[ \t]+([a-z]\w*)")
_AFTER_THE_OK = {
    "newspaper",
    "daily",
    "magazine",
    "website",
    "site",
    "paper",
    "weekly",
    "and",
    "or",
    "on",
    "in",
}
# Reporting verbs that are neither "-ed" forms nor nouns ("The Australian reports" may be an adjective's).
_IRREGULAR_VERB_FORMS = frozenset(("said", "says", "wrote", "writes", "told", "tells", "found", "broke"))


def _words_after_the_name(lexicon: Lexicon) -> frozenset[str]:
    """Lower-case words that may follow a "The ..." name when it names the outlet: "The Hill reported",
    "The Australian has learned", "The Diplomat said"."""
    verbs = {verb for verb in lexicon.reporting_verbs if verb.endswith("ed") or verb in _IRREGULAR_VERB_FORMS}
    return frozenset(_AFTER_THE_OK | verbs | lexicon.auxiliaries)


FUZZY_CUTOFF = 88.0


def _words_close(candidate: str, name: str) -> bool:
    """Every word of four or more characters on either side is a near spelling of a word on the other: a
    misspelt name, not another one ("Ministry of Foreign Affairs of Sri" is not "... of Ukraine")."""
    return _each_near(candidate.split(), name.split()) and _each_near(name.split(), candidate.split())


def _each_near(words: list[str], others: list[str]) -> bool:
    return all(len(word) < 4 or any(fuzz.ratio(word, other) >= 70 for other in others) for word in words)


_FOLD_PAIRS = tuple((chr(code), replacement) for code, replacement in _FOLD.items())


def _latin1_spells(text: str) -> bool:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def fold_punctuation(text: str) -> str:
    """Same length as `text`, so offsets carry over unchanged."""
    # A chain of C-level replaces is several times faster than str.translate with a mapping.
    for char, replacement in _FOLD_PAIRS:
        if char in text:
            text = text.replace(char, replacement)
    return text


class OutletHit(NamedTuple):  # a tuple: several thousand are made per MB of text
    start: int
    end: int
    outlet: Outlet
    form: str  # "alias" | "abbreviation" | "cue_alias" | "fuzzy"


def _hit(start: int, end: int, outlet: Outlet, form: str) -> OutletHit:
    """OutletHit(start, end, outlet, form), made by tuple.__new__ in C: a NamedTuple's own __new__ is
    interpreted Python, even when called from compiled code."""
    return tuple.__new__(OutletHit, (start, end, outlet, form))


def _edge_rules(name: str) -> tuple[bool, bool, bool, bool]:
    """What a hit of `name` must satisfy: a word boundary before it, one after it, no letter right after
    a final dot, and (for "The X") no ordinary lower-case word after it."""
    return (
        not _CJK.match(name[0]),
        not _CJK.match(name[-1]),
        name[-1] == ".",
        name.startswith("The ") and name.count(" ") == 1,
    )


# For each name the matcher scans for: its owners (outlet id, kind), the owner _choose() would pick
# wherever the name stands if the text cannot change that, and the name's _edge_rules().
_NameEntry = tuple[tuple[tuple[str, str], ...], tuple[str, str] | None, bool, bool, bool, bool]


_Choices = tuple[list[str], list[int], list[int]]  # see OutletMatcher._choices_for()


class OutletMatcher:
    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        forms: dict[str, list[tuple[str, str]]] = {}
        for form in registry.name_forms():
            key = fold_punctuation(form.text.strip())
            if len(key) < 2 or (form.kind == "abbreviation" and not any(c.isupper() for c in key)):
                continue
            forms.setdefault(key, []).append((form.outlet_id, form.kind))
        # Names Latin-1 can spell first, so they keep their indexes in the scanner's bytes automaton.
        keys = sorted(forms, key=lambda key: (not _latin1_spells(key), key))
        self._names: list[_NameEntry] = []
        for key in keys:
            owners = tuple(dict.fromkeys(forms[key]))
            self._names.append((owners, self._fixed_choice(owners), *_edge_rules(key)))
        # Contiguous NFAs (str and Latin-1 bytes): about 6 MB together for the registry's 5,700 names. The DFA
        # would scan 40% faster but takes 64 MB.
        self._scanner = WordScanner(keys, Implementation.ContiguousNFA)
        self._has_words = bool(forms)
        fuzzy_names: dict[str, str] = {}
        for form in registry.name_forms():
            if form.kind == "alias" and len(form.text) >= 6 and not _CJK.search(form.text):
                fuzzy_names.setdefault(fold_punctuation(form.text), form.outlet_id)
        # Candidates must share the first letter with a name, so each letter gets its own short list.
        self._fuzzy_choices: dict[str, list[str]] = {}
        for name in fuzzy_names:
            self._fuzzy_choices.setdefault(name[0].lower(), []).append(name)
        self._fuzzy_owner = fuzzy_names
        self._choices_by_length: dict[tuple[str, int], _Choices] = {}
        self._after_the_name = _words_after_the_name(load_lexicon())

    def exact_hits(self, folded: str) -> list[OutletHit]:
        if not self._has_words:
            return []
        candidates: list[tuple[int, int, int, tuple[str, str] | None, tuple[tuple[str, str], ...]]] = []
        length = len(folded)
        names = self._names
        after_the_name = self._after_the_name
        for index, start, end in self._scanner.scan(folded):
            owners, fixed_choice, bounded_start, bounded_end, dotted, the_name = names[index]
            # Whole words only (\w is isalnum() or an underscore); checked inline, for every raw hit.
            if bounded_start and start > 0:
                before = folded[start - 1]
                if before.isalnum() or before == "_":
                    continue
            if end < length:
                after = folded[end]
                if bounded_end and (after.isalnum() or after == "_"):
                    continue
                if dotted and end < length - 1 and after.isalpha():
                    continue
            if the_name:
                follow = _NAME_CONTINUES.match(folded[end : end + 40])
                if follow and follow.group(1) not in after_the_name:
                    continue
            candidates.append((start, start - end, end, fixed_choice, owners))
        # Longest match wins; a shorter name inside a longer one is not a second hit. (Two names with the
        # same start and length are the same text, so the sort never compares further.)
        candidates.sort()
        kept: list[OutletHit] = []
        last_end = -1
        for start, _minus_length, end, fixed_choice, owners in candidates:
            if start < last_end:
                continue
            outlet_id, kind = fixed_choice or self._choose(folded, start, end, owners)
            kept.append(_hit(start, end, self.registry.outlets[outlet_id], kind))
            last_end = end
        return _drop_echoed_abbreviations(folded, kept)

    def _fixed_choice(self, owners: tuple[tuple[str, str], ...]) -> tuple[str, str] | None:
        """What _choose() returns for these owners wherever they stand, if the text cannot change it:
        one owner, or owners whose outlets have no hint words (often one outlet under two kinds)."""
        if len(owners) == 1:
            return owners[0]
        if any(self.registry.outlets[outlet_id].hints for outlet_id, _kind in owners):
            return None
        return max(owners, key=lambda owner: (0, 1 if owner[1] == "alias" else 0))

    def _choose(
        self, text: str, start: int, end: int, owners: tuple[tuple[str, str], ...]
    ) -> tuple[str, str]:
        if len(owners) == 1:
            return owners[0]
        window = text[max(0, start - 400) : end + 400].casefold()

        def hint_score(owner: tuple[str, str]) -> tuple[int, int]:
            outlet = self.registry.outlets[owner[0]]
            hits = sum(1 for hint in outlet.hints if hint.casefold() in window)
            return hits, 1 if owner[1] == "alias" else 0

        return max(owners, key=hint_score)

    def fuzzy_hit(
        self, folded: str, start: int, end: int, tried: dict[str, tuple[str, float] | None] | None = None
    ) -> OutletHit | None:
        """Best registry name for the phrase folded[start:end] (or a part of it), if close enough.

        `tried` keeps the look-ups made so far (in one document), so a repeated candidate costs one.
        """
        phrase = folded[start:end]
        if " " not in phrase and "\t" not in phrase:  # one word: phrases hold no other whitespace
            return self._fuzzy_word(phrase, start, tried)
        words = list(_WORD.finditer(phrase))[:8]
        best: tuple[float, int, int, str] | None = None
        # The whole phrase, and the phrase less words at either end ("Startfor China Files").
        spans = {(i, len(words)) for i in range(len(words))} | {(0, j) for j in range(1, len(words) + 1)}
        for i, j in sorted(spans):
            s, e = words[i].start(), words[j - 1].end()
            candidate = phrase[s:e].rstrip(".,;:'")
            if len(candidate) < 6:
                continue
            closest = self._closest_remembered(candidate, tried)
            if closest is None:
                continue
            name, score = closest
            if not 0.75 <= len(candidate) / len(name) <= 1.34:
                continue
            if _acronyms(candidate) != _acronyms(name):  # "US Government" is not "UK Government"
                continue
            if not _words_close(candidate, name):
                continue
            if best is None or score > best[0]:
                best = (score, start + s, start + s + len(candidate), name)
        if best is None:
            return None
        outlet = self.registry.outlets[self._fuzzy_owner[best[3]]]
        return _hit(best[1], best[2], outlet, "fuzzy")

    def _closest_remembered(
        self, candidate: str, tried: dict[str, tuple[str, float] | None] | None
    ) -> tuple[str, float] | None:
        """_closest_name(), answered from `tried` (one document's earlier questions) when it can be."""
        if tried is None:
            return self._closest_name(candidate)
        if candidate not in tried:
            tried[candidate] = self._closest_name(candidate)
        return tried[candidate]

    def _fuzzy_word(
        self, phrase: str, start: int, tried: dict[str, tuple[str, float] | None] | None
    ) -> OutletHit | None:
        """fuzzy_hit() for a phrase of one word, the only span tried then being the whole phrase."""
        candidate = phrase.rstrip(".,;:'")
        if len(candidate) < 6:
            return None
        closest = self._closest_remembered(candidate, tried)
        if closest is None:
            return None
        name = closest[0]
        if not 0.75 <= len(candidate) / len(name) <= 1.34 or _acronyms(candidate) != _acronyms(name):
            return None
        outlet = self.registry.outlets[self._fuzzy_owner[name]]
        return _hit(start, start + len(candidate), outlet, "fuzzy")

    def _closest_name(self, candidate: str) -> tuple[str, float] | None:
        """The name rapidfuzz scores highest (the first of equals), if it reaches FUZZY_CUTOFF."""
        names, masks, limits = self._choices_for(candidate[:1].lower(), len(candidate))
        if not names:
            return None
        # Most names cannot reach the cutoff by the characters they hold: leave those out (keeping the
        # order, so the first of equals stays first), and skip rapidfuzz if none is left.
        mask = _character_mask(candidate)
        choices = [names[at] for at in range(len(names)) if not _more_bits_than(mask ^ masks[at], limits[at])]
        if not choices:
            return None
        match = process.extractOne(candidate, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        return (match[0], float(match[1])) if match else None

    def _choices_for(self, letter: str, length: int) -> _Choices:
        """The names sharing the first letter whose length lets them reach the cutoff, in their order;
        the character mask of each, and how many characters a candidate of this length may differ by.

        fuzz.ratio() is 100 * (1 - d / (a + b)) for lengths a and b, where d, the fewest characters to
        insert and delete, is at least |a - b| and at least the number of bits in which the two strings'
        character masks differ (each bit set in one mask only stands for a character of one string
        that the other lacks). Names left out by either could never be returned, so extractOne() over
        the rest gives the same answer.
        """
        key = letter, length
        choices = self._choices_by_length.get(key)
        if choices is None:
            names = [
                name
                for name in self._fuzzy_choices.get(letter, ())
                if 100 * (1 - abs(length - len(name)) / (length + len(name))) >= FUZZY_CUTOFF - 1e-6
            ]
            masks = [_character_mask(name) for name in names]
            limits = [int((100 - FUZZY_CUTOFF) * (length + len(name)) / 100 + 1e-6) for name in names]
            choices = self._choices_by_length[key] = names, masks, limits
        return choices

    @staticmethod
    def phrases(folded: str, start: int, end: int) -> list[tuple[int, int]]:
        return [m.span() for m in _PHRASE.finditer(folded, start, end)]


def _is_phrase_character(character: str) -> bool:
    """What _PHRASE_RUN's [\\w'.&\\- \\t] matches (\\w: str.isalnum() or "_")."""
    return character.isalnum() or character in "_'.&- \t"


def _is_word_part_character(character: str) -> bool:
    """What _PHRASE_TAIL_CHARACTER's [\\w'.&-] matches."""
    return character.isalnum() or character in "_'.&-"


class PhraseRuns:
    """The capitalised phrases OutletMatcher.phrases() finds in the whole text, found piece by piece.

    A phrase never holds a character outside _PHRASE_RUN, so the scan of the whole text is at rest
    after each such character: each run of phrase characters can be scanned on its own, and is
    scanned once, the first time a cue points into it.
    """

    def __init__(self, folded: str) -> None:
        self.folded = folded
        self._runs: dict[int, tuple[int, list[tuple[int, int]]]] = {}  # run start -> (run end, phrases)
        self._starts: list[int] = []  # the keys of _runs, in order

    def may_end_at(self, offset: int) -> bool:
        """False if no phrase can end at `offset`: a phrase ends where its characters do (a maximal
        run of [\\w'.&-]), and its last word part starts with a capital (_CAPITAL_BEFORE read
        backwards from `offset`)."""
        folded = self.folded
        if offset < len(folded) and _is_word_part_character(folded[offset]):
            return False
        at = offset
        while at > 0:
            character = folded[at - 1]
            if character in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
                return True
            if not _is_word_part_character(character):
                return False
            at -= 1
        return False

    def run(self, offset: int) -> tuple[int, int, list[tuple[int, int]]]:
        """The run reaching `offset` from either side (start, end, its phrases)."""
        # Runs are maximal and apart, so a run found before that reaches offset is the one.
        known = bisect.bisect_right(self._starts, offset) - 1
        if known >= 0:
            start = self._starts[known]
            end, phrases = self._runs[start]
            if offset <= end:
                return start, end, phrases
        folded = self.folded
        start = offset
        while start > 0 and _is_phrase_character(folded[start - 1]):
            start -= 1
        end = offset
        while end < len(folded) and _is_phrase_character(folded[end]):
            end += 1
        phrases = [m.span() for m in _PHRASE.finditer(folded, start, end)]
        self._runs[start] = end, phrases
        bisect.insort(self._starts, start)
        return start, end, phrases

    def starting_at(self, offset: int) -> list[tuple[int, int]]:
        """The phrase of the whole text's scan that starts at `offset`, if there is one."""
        for match in _PHRASE.finditer(self.folded, self._at_rest(offset)):
            if match.start() >= offset:
                return [match.span()] if match.start() == offset else []
        return []

    def ending_at(self, offset: int) -> list[tuple[int, int]]:
        """The phrase of the whole text's scan that ends at `offset`, if there is one."""
        for match in _PHRASE.finditer(self.folded, self._at_rest(offset)):
            if match.end() >= offset:  # the phrases come in order, their ends too
                return [match.span()] if match.end() == offset else []
        return []

    def _at_rest(self, offset: int) -> int:
        """A place at or before `offset` where the scan of the whole text for phrases is at rest, so a
        scan from there finds the same phrases after it: the start of a run, or the end of a whole
        token (between spaces or tabs) that holds no capital and is no connector. No phrase runs across
        such a token: a phrase is capitalised words and, between them, connectors (a connector's letters
        followed by a capital in the same token make that token hold one). Usually a word or two back,
        where the run's start may be a sentence or more back."""
        folded = self.folded
        at = offset
        if 0 < at < len(folded) and _is_word_part_character(folded[at]):
            while at > 0 and _is_word_part_character(folded[at - 1]):
                at -= 1  # to the start of the token holding offset
        while True:
            end = at
            while end > 0 and folded[end - 1] in " \t":
                end -= 1
            start = end
            while start > 0 and _is_word_part_character(folded[start - 1]):
                start -= 1
            if start == end:
                return end  # a run starts here
            token = folded[start:end]
            if token not in _CONNECTORS and not any(character in _CAPITALS for character in token):
                return end
            at = start

    def on_line(self, start: int, end: int) -> list[tuple[int, int]]:
        """The phrases of the whole line folded[start:end] (a line start is a run start too)."""
        return [m.span() for m in _PHRASE.finditer(self.folded, start, end)]

    def starting_in(self, low: int, high: int) -> list[tuple[int, int]]:
        """Phrases whose first character lies in folded[low:high]."""
        found: list[tuple[int, int]] = []
        offset = low
        while offset < high:
            _start, end, phrases = self.run(offset)
            found.extend(span for span in phrases if low <= span[0] < high)
            offset = max(end, offset) + 1
        return found


def _character_mask(text: str) -> int:
    """A bit for each character of `text`: its code point modulo 62, so the mask stays a small int."""
    mask = 0
    for character in text:
        mask |= 1 << (ord(character) % 62)
    return mask


def _more_bits_than(bits: int, limit: int) -> bool:
    """Whether `bits` (>= 0) has more than `limit` bits set; stops counting there."""
    count = 0
    while bits:
        bits &= bits - 1
        count += 1
        if count > limit:
            return True
    return False


_LETTERS_AND_DOTS = re.compile(r"[A-Za-z.]+")


def _acronyms(name: str) -> set[str]:
    return {token for token in _LETTERS_AND_DOTS.findall(name) if len(token) >= 2 and token.isupper()}


def _drop_echoed_abbreviations(text: str, hits: list[OutletHit]) -> list[OutletHit]:
    """ "Central Intelligence Agency (CIA)" names one outlet once, not twice."""
    kept: list[OutletHit] = []
    for hit in hits:
        if (
            kept
            and hit.form == "abbreviation"
            and kept[-1].outlet.id == hit.outlet.id
            and text[kept[-1].end : hit.start].strip() == "("
        ):
            continue
        kept.append(hit)
    return kept


_MATCHERS: WeakKeyDictionary[Registry, OutletMatcher] = WeakKeyDictionary()


def matcher_for(registry: Registry) -> OutletMatcher:
    matcher = _MATCHERS.get(registry)
    if matcher is None:
        matcher = OutletMatcher(registry)
        _MATCHERS[registry] = matcher
    return matcher
