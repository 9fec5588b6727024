"""Outlets named in prose, found with one Aho-Corasick pass over the registry's names.

Aliases match case-sensitively as whole words (curly quotes and dashes folded first), abbreviations
only in capitals, and a name shared by several entries is settled by each entry's hint words nearby.
Misspelt names ("The Sunday Mall") are tried with rapidfuzz, but only where a citation cue stands
next to a capitalised phrase, so ordinary prose is never fuzzily matched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from weakref import WeakKeyDictionary

import ahocorasick
from rapidfuzz import fuzz, process

from ..models import Outlet
from ..resolve.registry import Registry

__all__ = ["OutletHit", "OutletMatcher", "fold_punctuation", "matcher_for"]

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
_WORD_CHAR = re.compile(r"\w")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
# A capitalised phrase: names, joined by the small words names contain ("Office of the Director").
_PHRASE = re.compile(
    r"[A-Z][\w'.&-]*"
    r"(?:[ \t]+(?:of|the|de|du|des|la|le|for|and|on|in|&|der|van|von|[A-Z][\w'.&-]*))*"
    r"[ \t]*[A-Z][\w'.&-]*"
    r"|[A-Z][\w'.&-]{3,}"
)
# After "The Australian" a following word usually means an adjective ("The Australian government").
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

FUZZY_CUTOFF = 88.0


_FOLD_PAIRS = tuple((chr(code), replacement) for code, replacement in _FOLD.items())


def fold_punctuation(text: str) -> str:
    """Same length as `text`, so offsets carry over unchanged."""
    # A chain of C-level replaces is several times faster than str.translate with a mapping.
    for char, replacement in _FOLD_PAIRS:
        if char in text:
            text = text.replace(char, replacement)
    return text


@dataclass(frozen=True, slots=True)
class OutletHit:
    start: int
    end: int
    outlet: Outlet
    form: str  # "alias" | "abbreviation" | "cue_alias" | "fuzzy"


def _boundary_ok(text: str, start: int, end: int, name: str) -> bool:
    if not _CJK.match(name[0]) and start > 0 and _WORD_CHAR.match(text[start - 1]):
        return False
    if not _CJK.match(name[-1]) and end < len(text) and _WORD_CHAR.match(text[end]):
        return False
    # "U.S." followed by "S" would otherwise pass; a name never ends inside a dotted abbreviation.
    return not (end < len(text) - 1 and name[-1] == "." and text[end].isalpha())


class OutletMatcher:
    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._automaton = ahocorasick.Automaton()
        forms: dict[str, list[tuple[str, str]]] = {}
        for form in registry.name_forms():
            key = fold_punctuation(form.text.strip())
            if len(key) < 2 or (form.kind == "abbreviation" and not any(c.isupper() for c in key)):
                continue
            forms.setdefault(key, []).append((form.outlet_id, form.kind))
        for key, owners in forms.items():
            self._automaton.add_word(key, (key, tuple(dict.fromkeys(owners))))
        if forms:
            self._automaton.make_automaton()
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

    def exact_hits(self, folded: str) -> list[OutletHit]:
        if not self._has_words:
            return []
        candidates: list[tuple[int, int, str, tuple[tuple[str, str], ...]]] = []
        for end_index, (key, owners) in self._automaton.iter(folded):
            start, end = end_index - len(key) + 1, end_index + 1
            if not _boundary_ok(folded, start, end, key):
                continue
            if key.startswith("The ") and key.count(" ") == 1:
                follow = _NAME_CONTINUES.match(folded[end : end + 40])
                if follow and follow.group(1) not in _AFTER_THE_OK:
                    continue
            candidates.append((start, end, key, owners))
        # Longest match wins; a shorter name inside a longer one is not a second hit.
        candidates.sort(key=lambda item: (item[0], -(item[1] - item[0])))
        kept: list[OutletHit] = []
        last_end = -1
        for start, end, _key, owners in candidates:
            if start < last_end:
                continue
            outlet_id, kind = self._choose(folded, start, end, owners)
            kept.append(OutletHit(start, end, self.registry.outlets[outlet_id], kind))
            last_end = end
        return _drop_echoed_abbreviations(folded, kept)

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

    def fuzzy_hit(self, folded: str, start: int, end: int) -> OutletHit | None:
        """Best registry name for the phrase folded[start:end] (or a part of it), if close enough."""
        phrase = folded[start:end]
        words = list(re.finditer(r"\S+", phrase))[:8]
        best: tuple[float, int, int, str] | None = None
        # The whole phrase, and the phrase less words at either end ("Startfor China Files").
        spans = {(i, len(words)) for i in range(len(words))} | {(0, j) for j in range(1, len(words) + 1)}
        for i, j in sorted(spans):
            s, e = words[i].start(), words[j - 1].end()
            candidate = phrase[s:e].rstrip(".,;:'")
            choices = self._fuzzy_choices.get(candidate[:1].lower()) if candidate else None
            if len(candidate) < 6 or not choices:
                continue
            match = process.extractOne(candidate, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
            if match is None:
                continue
            name, score = match[0], float(match[1])
            if not 0.75 <= len(candidate) / len(name) <= 1.34:
                continue
            if _acronyms(candidate) != _acronyms(name):  # "US Government" is not "UK Government"
                continue
            if best is None or score > best[0]:
                best = (score, start + s, start + s + len(candidate), name)
        if best is None:
            return None
        outlet = self.registry.outlets[self._fuzzy_owner[best[3]]]
        return OutletHit(best[1], best[2], outlet, "fuzzy")

    @staticmethod
    def phrases(folded: str, start: int, end: int) -> list[tuple[int, int]]:
        return [m.span() for m in _PHRASE.finditer(folded, start, end)]


def _acronyms(name: str) -> set[str]:
    return {token for token in re.findall(r"[A-Za-z.]+", name) if len(token) >= 2 and token.isupper()}


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
