"""A sentence as tokens: words, punctuation marks, and registry names standing as one token each.

Most words of a sentence are only compared with the lexicon, so a sentence keeps its words as plain
lists (the words, lower-cased, and where each starts) and makes a Token object for a word only when
a walk reaches it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from itertools import accumulate
from typing import overload

from .outlets import OutletHit

__all__ = ["Token", "Tokens", "tokenise"]

# A dotted abbreviation ("U.S.", "F.B.I."), a word with inner apostrophes, hyphens, dots or ampersands
# ("Russia's", "op-ed", "1.95", "AT&T"), or any other single character that is not a space.
_TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|[^\W_]+(?:['&.-][^\W_]+)*|\S")
_SPLIT = re.compile(f"({_TOKEN.pattern})")  # re.split keeps what a group matched: spaces and tokens in turn


class Token:
    __slots__ = ("end", "hit", "lower", "possessive", "start", "text")

    def __init__(self, start: int, end: int, text: str, possessive: bool, hit: OutletHit | None) -> None:
        self.start = start
        self.end = end  # the end of the word, a possessive ending included
        self.text = text  # the word without its possessive ending
        self.lower = text.lower()
        self.possessive = possessive
        self.hit = hit

    @property
    def is_name(self) -> bool:
        """A registry name or a capitalised word (a proper noun, or the first word of a sentence)."""
        return self.hit is not None or self.text[:1].isupper()

    @property
    def is_word(self) -> bool:
        return self.text[:1].isalnum()

    def __repr__(self) -> str:
        return f"Token({self.text!r}{', poss' if self.possessive else ''}{', hit' if self.hit else ''})"


def _possessive_end(text: str, end: int, limit: int) -> int:
    """Where a possessive ending right at `end` stops ("'s", or a lone "'" after an s), else `end`."""
    if text.startswith("'s", end) and (end + 2 >= limit or not text[end + 2].isalnum()):
        return end + 2
    if (
        text.startswith("'", end)
        and text[end - 1 : end] in ("s", "S")
        and (end + 1 >= limit or not text[end + 1].isalnum())
    ):
        return end + 1
    return end


class Tokens(Sequence[Token]):
    """The tokens of one stretch of text. `lowers[i]` is token i in lower case, without a possessive
    ending."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.words: list[str] = []  # as written, without a possessive ending
        self.lowers: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.possessive: list[bool] = []
        self.hits: dict[int, OutletHit] = {}  # token index -> the registry name it is
        self._made: dict[int, Token] = {}

    def add_words(self, start: int, end: int) -> None:
        """The tokens of text[start:end], a stretch holding no registry name. The stretch splits into
        spaces and tokens in turn, and where each piece starts is the sum of the lengths before it."""
        stretch = self.text[start:end]
        pieces = _SPLIT.split(stretch)
        offsets = list(accumulate(map(len, pieces), initial=start))
        first = len(self.words)
        self.words += pieces[1::2]
        self.lowers += map(str.lower, pieces[1::2])
        self.starts += offsets[1:-1:2]
        self.ends += offsets[2::2]
        self.possessive += [False] * (len(pieces) // 2)
        if "'" in stretch:
            self._mark_possessives(first)

    def _mark_possessives(self, first: int) -> None:
        """ "Russia's" stays one token, made possessive; a lone "'" right after an s ("Reuters'") makes
        the word before it possessive and goes."""
        index = first
        while index < len(self.words):
            word = self.words[index]
            if word.endswith(("'s", "'S")) and len(word) > 2:
                self.words[index], self.lowers[index] = word[:-2], self.lowers[index][:-2]
                self.possessive[index] = True
            elif (
                word == "'"
                and index > first
                and self.ends[index - 1] == self.starts[index]
                and self.words[index - 1].endswith(("s", "S"))
            ):
                self.possessive[index - 1] = True
                self.ends[index - 1] = self.ends[index]
                for column in (self.words, self.lowers, self.starts, self.ends, self.possessive):
                    del column[index]
                continue
            index += 1

    def _append(self, word: str, start: int, end: int, possessive: bool) -> None:
        self.words.append(word)
        self.lowers.append(word.lower())
        self.starts.append(start)
        self.ends.append(end)
        self.possessive.append(possessive)

    def add_hit(self, hit: OutletHit, limit: int) -> int:
        """The registry name as one token; returns where it (and a possessive ending) stops."""
        end = _possessive_end(self.text, hit.end, limit)
        self.hits[len(self.words)] = hit
        self._append(self.text[hit.start : hit.end], hit.start, end, end > hit.end)
        return end

    def __len__(self) -> int:
        return len(self.words)

    # Questions about token i answered from the lists, without making its Token.

    def is_word(self, index: int) -> bool:
        return index in self.hits or self.words[index][0].isalnum()

    def is_capitalised(self, index: int) -> bool:
        return self.words[index][0].isupper()

    def is_name(self, index: int) -> bool:
        return index in self.hits or self.words[index][0].isupper()

    @overload
    def __getitem__(self, index: int) -> Token: ...

    @overload
    def __getitem__(self, index: slice) -> list[Token]: ...

    def __getitem__(self, index: int | slice) -> Token | list[Token]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self.words)))]
        if index < 0:
            index += len(self.words)
        made = self._made.get(index)
        if made is None:
            if not 0 <= index < len(self.words):
                raise IndexError(index)
            made = Token(
                self.starts[index],
                self.ends[index],
                self.words[index],
                self.possessive[index],
                self.hits.get(index),
            )
            self._made[index] = made
        return made

    def __iter__(self) -> Iterator[Token]:
        return (self[index] for index in range(len(self.words)))


def tokenise(text: str, start: int, end: int, hits: Sequence[OutletHit]) -> Tokens:
    """The tokens of text[start:end]; each hit (sorted, inside the range) is one token."""
    tokens = Tokens(text)
    position = start
    for hit in hits:
        if hit.start < position:
            continue  # a name overlapping one already made into a token
        tokens.add_words(position, hit.start)
        position = tokens.add_hit(hit, end)
    tokens.add_words(position, end)
    return tokens
