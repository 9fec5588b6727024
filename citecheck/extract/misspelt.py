"""Misspelt registry names ("The Sunday Mall" for The Sunday Mail), guessed with rapidfuzz only where a
word of the phrase is spelt as in some registry name: a misspelling rarely spoils every word, and most
capitalised phrases (people's names, places) share none, so most are never compared at all."""

from __future__ import annotations

from weakref import WeakKeyDictionary

from ..resolve.registry import Registry
from .outlets import OutletHit, OutletMatcher, fold_punctuation

__all__ = ["guess_name"]

_SHORTEST_WORD = 4  # letters; shorter words ("The", "of", "BBC") say nothing about which name
_NAME_WORDS: WeakKeyDictionary[Registry, frozenset[str]] = WeakKeyDictionary()


def _name_words(registry: Registry) -> frozenset[str]:
    words = _NAME_WORDS.get(registry)
    if words is None:
        words = frozenset(
            word
            for form in registry.name_forms()
            if form.kind == "alias"
            for word in fold_punctuation(form.text).lower().split()
            if len(word) >= _SHORTEST_WORD
        )
        _NAME_WORDS[registry] = words
    return words


def guess_name(
    matcher: OutletMatcher,
    text: str,
    start: int,
    end: int,
    tried: dict[str, tuple[str, float] | None],
) -> OutletHit | None:
    """The registry name text[start:end] (or a part of it) misspells, if one is close enough."""
    words = _name_words(matcher.registry)
    if not any(word.strip(".,;:'") in words for word in text[start:end].lower().split()):
        return None
    return matcher.fuzzy_hit(text, start, end, tried)
