"""Outlets named in prose, found with one Aho-Corasick pass over the registry's names.

Aliases match case-sensitively as whole words (curly quotes and dashes folded first), abbreviations
only in capitals, and a name shared by several entries is settled by each entry's hint words nearby.
Misspelt names ("The Sunday Mall") are tried with rapidfuzz, but only where a citation cue stands
next to a capitalised phrase, so ordinary prose is never fuzzily matched.
"""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import marshal
import os
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple
from weakref import WeakKeyDictionary

import yaml
from ahocorasick_rs import Implementation
from rapidfuzz import fuzz, process

from ..datafiles import lasting
from ..models import Outlet, OutletType
from ..resolve.registry import Registry, registry_cache_dir, replace_older_copies
from .lexicon import Lexicon, load_lexicon
from .wordscan import WordScanner

__all__ = ["OutletHit", "OutletMatcher", "PhraseRuns", "fold_punctuation", "matcher_for"]

RESOLVE_FILE = Path(__file__).resolve().parent.parent / "data" / "resolve.yaml"

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


_KIND_RANK = {"alias": 3, "short_name": 3, "abbreviation": 2, "cue_alias": 1, "fuzzy": 0}
# "Sharm El-Sheikh, Egypt," / "in Cairo, Egypt": a capitalised place and a comma right before a country.
_PLACE_BEFORE = re.compile(r"[A-Z][\w'.-]*,[ \t]+$")
# Matched in a short window cut out of the text: the look-behind makes sre skip the inside of each word
# at once (in the whole text it would see the word before the window's start too).
_WORD_BEFORE = re.compile(r"(?<![\w'.-])([\w'.-]+)[ \t]+$")
# "China Merchants", "Russia Today": a capitalised word right after a country makes a longer name.
_NAME_GOES_ON = re.compile(r"[ \t]+[A-Z][a-z]")


def _fixed_choice(owners: tuple[tuple[str, str], ...]) -> tuple[str, str] | None:
    """The owner wherever the name stands: the name's only outlet (the most specific of its kinds), or
    None when several outlets hold it, or when it is a short name that counts only after a full one."""
    if len({outlet_id for outlet_id, _kind in owners}) != 1 or any(k == "short_name" for _, k in owners):
        return None
    return max(owners, key=lambda owner: _KIND_RANK[owner[1]])


def _reverse(text: str) -> str:
    """A key under which max() prefers the alphabetically first id (for a stable, order-free tie)."""
    return "".join(chr(0x10FFFF - ord(c)) for c in text)


class _Context:
    """What a document names for certain (names only one outlet holds): where each outlet is first
    named, and how many of those names belong to each country."""

    def __init__(self) -> None:
        self.first_seen: dict[str, int] = {}
        self.countries: Counter[str] = Counter()

    def saw(self, outlet: Outlet, start: int) -> None:
        self.first_seen.setdefault(outlet.id, start)
        if outlet.country:
            self.countries[outlet.country] += 1

    def named_before(self, outlet_id: str, start: int) -> bool:
        return self.first_seen.get(outlet_id, start) < start

    def weight(self, country: str | None) -> int:
        return self.countries[country] if country else 0


def _whole_words(words: tuple[str, ...]) -> re.Pattern[str]:
    """Any of `words` as a whole word, in any case: hint words must not match inside other words."""
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w]){'(?:' + alternatives + ')'}(?![\w])", re.IGNORECASE)


def _word_before(text: str, start: int) -> str | None:
    match = _WORD_BEFORE.search(text[max(0, start - 40) : start])
    return match.group(1) if match else None


def _is_place_name(name: str) -> bool:
    """A country or capital ("Egypt", "New Delhi"), not a phrase such as "French government"."""
    return all(word[:1].isupper() for word in name.split())


def _name_forms_and_variants(registry: Registry) -> list[tuple[str, str, str]]:
    """The registry's names, and the spellings writers also use for them: "F.B.I." for FBI,
    "Politifact" for PolitiFact, "NewStatesman" for New Statesman."""
    found: list[tuple[str, str, str]] = []
    for form in registry.name_forms():
        found.append((form.text, form.outlet_id, form.kind))
        for variant in _variants(form.text, form.kind):
            found.append((variant, form.outlet_id, form.kind))
    return found


_ACRONYM = re.compile(r"[A-Z]{2,5}")
_CAMEL = re.compile(r"[A-Z][a-z]+(?:[A-Z][a-z]+)+")
_SPACED_WORDS = re.compile(r"[A-Z][a-z]+(?: [A-Z][a-z]+){1,2}")


def _variants(text: str, kind: str) -> list[str]:
    if kind == "abbreviation" and _ACRONYM.fullmatch(text):
        return [".".join(text) + "."]
    if kind not in ("alias", "short_name"):
        return []
    if _CAMEL.fullmatch(text):
        return [text[0] + text[1:].lower()]
    if _SPACED_WORDS.fullmatch(text) and not text.startswith("The "):
        return [text.replace(" ", "")]
    return []


@lru_cache(maxsize=1)
def _resolve_file(path: Path = RESOLVE_FILE) -> dict[str, frozenset[str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {key: frozenset(str(word) for word in words) for key, words in data.items()}


def _resolve_data() -> frozenset[str]:
    return _resolve_file()["not_given_names"]


_NEXT_WORD = re.compile(r"[ \t]+([\w-]+)")


def _spoken_by(text: str, end: int) -> bool:
    """Whether a speaker verb (resolve.yaml) follows a place name, past auxiliaries, -ly adverbs and
    weekdays: "Moscow insisted", "Beijing has repeatedly said", "Paris on Monday warned"."""
    data = _resolve_file()
    verbs, fillers = data["speaker_verbs"], data["speaker_fillers"]
    position = end
    for _ in range(5):
        match = _NEXT_WORD.match(text, position)
        if match is None:
            return False
        word = match.group(1)
        if word in verbs:
            return True
        if word not in fillers and not (word.endswith("ly") and word.islower()):
            return False
        position = match.end()
    return False


def _not_given_names(registry: Registry) -> frozenset[str]:
    """Words before a one-word outlet name that do not make it a surname: resolve.yaml's, and the
    countries, capitals and demonyms the registry's governments are named by ("Chinese Xinhua")."""
    words = set(_resolve_data())
    for outlet in registry.outlets.values():
        if outlet.type is OutletType.GOVERNMENT:
            for name in outlet.cue_aliases:
                words.update(word for word in name.split() if word[:1].isupper())
    for outlet in registry.outlets.values():
        for name in (*outlet.aliases, *outlet.abbreviations):
            words.update(word for word in name.split()[:-1] if word[:1].isupper())
    return frozenset(words)


def _tables(registry: Registry) -> dict[str, Any]:
    """What the matcher is built from, as plain data: every name to scan for (Latin-1 spellable first, so
    they keep their indexes in the scanner's bytes automaton) with its owners, fixed choice and edge
    rules; the names fuzzy matching may return; the words that are no first name."""
    forms: dict[str, list[tuple[str, str]]] = {}
    for text, outlet_id, kind in _name_forms_and_variants(registry):
        key = fold_punctuation(text.strip())
        if len(key) < 2 or (kind == "abbreviation" and not any(c.isupper() for c in key)):
            continue
        forms.setdefault(key, []).append((outlet_id, kind))
    keys = sorted(forms, key=lambda key: (not _latin1_spells(key), key))
    names = []
    for key in keys:
        owners = tuple(dict.fromkeys(forms[key]))
        names.append((owners, _fixed_choice(owners), *_edge_rules(key)))
    fuzzy: dict[str, str] = {}
    for form in registry.name_forms():
        if form.kind == "alias" and len(form.text) >= 6 and not _CJK.search(form.text):
            fuzzy.setdefault(fold_punctuation(form.text), form.outlet_id)
    return {
        "keys": keys,
        "names": names,
        "fuzzy": fuzzy,
        "not_given_names": sorted(_not_given_names(registry)),
    }


def _cached_tables(registry: Registry) -> dict[str, Any]:
    """_tables(), kept beside the merged registry's cached copy and named after it, so that a start
    with an unchanged registry only builds the automata. A registry without a cache key (made in
    memory) or a copy that cannot be read is worked out again. The copy is marshal data, like the
    merged registry's: it loads in a third of the time JSON took."""
    key = registry.cache_key
    if key is None:
        return _tables(registry)
    digest = hashlib.sha256(
        key.encode() + Path(__file__).read_bytes() + RESOLVE_FILE.read_bytes()
    ).hexdigest()
    family = key.partition("-")[0]  # the merged registry's: copies of another install are left alone
    path = registry_cache_dir() / f"matcher-{family}-{digest}.marshal"
    with contextlib.suppress(OSError, ValueError, TypeError, EOFError):
        return dict(marshal.loads(path.read_bytes()))
    tables = _tables(registry)
    with contextlib.suppress(OSError, TypeError, ValueError):
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(marshal.dumps(tables))
        os.replace(partial, path)
        replace_older_copies(path, f"matcher-{family}-")
    return tables


class OutletMatcher:
    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        tables = _cached_tables(registry)
        keys = tables["keys"]
        self._names: list[_NameEntry] = tables["names"]  # tuples, as _tables() made them (marshal keeps them)
        # Contiguous NFAs (str and Latin-1 bytes): about 6 MB together for the registry's 5,700 names. The DFA
        # would scan 40% faster but takes 64 MB.
        self._scanner = WordScanner(keys, Implementation.ContiguousNFA)
        self._has_words = bool(keys)
        fuzzy_names: dict[str, str] = tables["fuzzy"]
        # Candidates must share the first letter with a name, so each letter gets its own short list.
        self._fuzzy_choices: dict[str, list[str]] = {}
        for name in fuzzy_names:
            self._fuzzy_choices.setdefault(name[0].lower(), []).append(name)
        self._fuzzy_owner = fuzzy_names
        self._choices_by_length: dict[tuple[str, int], list[str]] = {}
        self._after_the_name = _words_after_the_name(load_lexicon())
        self._hint_patterns: dict[str, re.Pattern[str] | None] = {}
        self._not_given_names = frozenset(tables["not_given_names"])

    def _hints(self, outlet: Outlet) -> re.Pattern[str] | None:
        """The outlet's hint words as one whole-word pattern, compiled the first time it is asked for."""
        if outlet.id not in self._hint_patterns:
            self._hint_patterns[outlet.id] = _whole_words(outlet.hints) if outlet.hints else None
        return self._hint_patterns[outlet.id]

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
        spans: list[tuple[int, int, tuple[str, str] | None, tuple[tuple[str, str], ...]]] = []
        last_end = -1
        for start, _minus_length, end, fixed_choice, owners in candidates:
            if start < last_end:
                continue
            spans.append((start, end, fixed_choice, owners))
            last_end = end
        kept = self._resolve(folded, spans)
        return _drop_echoed_abbreviations(folded, kept)

    def _resolve(
        self, text: str, spans: list[tuple[int, int, tuple[str, str] | None, tuple[tuple[str, str], ...]]]
    ) -> list[OutletHit]:
        """Each span's outlet. A name only one outlet holds is that outlet; the names several hold are
        settled by the document (see _Context), after the first pass has read what it names for sure."""
        outlets = self.registry.outlets
        context = _Context()
        for start, _end, fixed_choice, _owners in spans:
            if fixed_choice is not None:
                context.saw(outlets[fixed_choice[0]], start)
        kept: list[OutletHit] = []
        for start, end, fixed_choice, owners in spans:
            choice = fixed_choice or self._choose(text, start, end, owners, context)
            if choice is None:
                continue
            outlet = outlets[choice[0]]
            if self._not_the_outlet(text, start, end, outlet, choice[1]):
                continue
            kept.append(_hit(start, end, outlet, "alias" if choice[1] == "short_name" else choice[1]))
        return kept

    def _choose(
        self, text: str, start: int, end: int, owners: tuple[tuple[str, str], ...], context: _Context
    ) -> tuple[str, str] | None:
        """The owner the document points to: the outlet it named earlier (the only way a short name such as
        "the Times" counts at all), then hint words nearby, then the countries the document's certain
        names belong to, then prominence, then the more specific kind of name; last, the id, so that no
        tie is settled by the order the files were loaded in."""
        eligible = [o for o in owners if o[1] != "short_name" or context.named_before(o[0], start)]
        if not eligible:
            return None
        if len({outlet_id for outlet_id, _kind in eligible}) == 1:
            return max(eligible, key=lambda owner: _KIND_RANK[owner[1]])
        window = text[max(0, start - 400) : end + 400]
        outlets = self.registry.outlets

        def score(owner: tuple[str, str]) -> tuple[int, int, int, int, int, str]:
            outlet = outlets[owner[0]]
            hints = self._hints(outlet)
            return (
                1 if context.named_before(outlet.id, start) else 0,
                len(hints.findall(window)) if hints else 0,
                context.weight(outlet.country),
                outlet.prominence,
                _KIND_RANK[owner[1]],
                _reverse(outlet.id),
            )

        return max(eligible, key=score)

    def _not_the_outlet(self, text: str, start: int, end: int, outlet: Outlet, kind: str) -> bool:
        """A surname ("aides to Michael Bloomberg"). A country that is only a place ("in Cairo, Egypt,"),
        part of a longer name ("China Merchants", "Great Britain"), an owner ("Turkey's foreign minister
        said", "the Ministry of Foreign Affairs of Sri Lanka": the minister or ministry speaks), or no
        speaker at all ("China put a tighter control")."""
        person_like = kind in ("alias", "short_name") or (
            kind == "cue_alias" and outlet.type is not OutletType.GOVERNMENT
        )
        if person_like and " " not in text[start:end] and not text[start:end].isupper():
            given = _word_before(text, start)
            if given and given[0].isupper() and given.isalpha() and given not in self._not_given_names:
                return True
        if kind == "cue_alias" and outlet.type is OutletType.GOVERNMENT and _is_place_name(text[start:end]):
            before = _word_before(text, start)
            if before and before[0].isupper() and before not in _resolve_data():
                return True  # "Great Britain", "President Washington": part of a longer name
            if (
                _is_place_name(text[start:end])
                and " government" not in text[start:end]
                and not _spoken_by(text, end)
            ):
                return True  # "China put a tighter control": a country that does not speak is not a source
            if (
                text.startswith("'s", end)
                or _NAME_GOES_ON.match(text, end)
                or text.endswith(" of ", 0, start)
                or _PLACE_BEFORE.search(text, max(0, start - 60), start)
            ):
                return True
        return False

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
        names = self._choices_for(candidate[:1].lower(), len(candidate))
        if not names:
            return None
        match = process.extractOne(candidate, names, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        return (match[0], float(match[1])) if match else None

    def _choices_for(self, letter: str, length: int) -> list[str]:
        """The names sharing the first letter whose length lets them reach the cutoff, in their order.

        fuzz.ratio() is 100 * (1 - d / (a + b)) for lengths a and b, where d, the fewest characters to
        insert and delete, is at least |a - b|. Names left out could never be returned, so extractOne()
        over the rest gives the same answer (and it filters the rest faster in C++ than Python could).
        """
        key = letter, length
        choices = self._choices_by_length.get(key)
        if choices is None:
            choices = self._choices_by_length[key] = [
                name
                for name in self._fuzzy_choices.get(letter, ())
                if 100 * (1 - abs(length - len(name)) / (length + len(name))) >= FUZZY_CUTOFF - 1e-6
            ]
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
        with lasting():
            matcher = OutletMatcher(registry)
        _MATCHERS[registry] = matcher
    return matcher
