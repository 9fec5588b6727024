"""The attribution grammar run over a document: every sentence holding a cue word is tokenised, its
attributions found and their source phrases classified. The result says which registry names are
cited and by what cue, which bodies only a title names, which names a spoof imitates, and where the
vague attributions are.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from ahocorasick_rs import Implementation

from ..models import CitedDate, Outlet
from ..resolve.registry import Registry
from .attribution import Attribution, find_attributions
from .cue_dates import cue_date
from .lexicon import Lexicon
from .misspelt import guess_name
from .outlets import OutletHit, OutletMatcher
from .sources import Source, classify_source
from .textindex import TextIndex
from .tokens import Token, Tokens, tokenise
from .vague import anonymity_spans, trigger_words
from .wordscan import WordScanner

__all__ = ["CitedBy", "Reading", "read_document"]

_LONGEST_LINE = 2000  # characters; a longer paragraph is read around its cues only
_REACH = 600  # characters read each way around a cue word in run-on text
_SHORTEST_MISSPELT = 8  # characters: shorter capitalised runs are not tried as misspelt names


@dataclass(frozen=True, slots=True)
class CitedBy:
    cue: str
    date: CitedDate | None


@dataclass
class Reading:
    cited: dict[tuple[int, int], CitedBy] = field(default_factory=dict)  # a name's span -> its cue
    titled: list[tuple[int, int, Outlet, CitedBy]] = field(default_factory=list)
    unregistered: list[tuple[int, int, Outlet, CitedBy]] = field(default_factory=list)  # not in the registry
    spoofed: set[tuple[int, int]] = field(default_factory=set)
    vague: list[tuple[int, int]] = field(default_factory=list)
    fuzzy: list[OutletHit] = field(default_factory=list)  # misspelt names found in source phrases


@lru_cache(maxsize=4)
def _cue_scanner(lexicon: Lexicon) -> WordScanner:
    """One automaton over every word that can start a cue or an anonymity construction. A DFA: for these
    few hundred words it takes about 250 KB and scans a quarter faster than the default NFA."""
    leads = {" ".join(pair) for pair in lexicon.lead_pairs}
    return WordScanner(sorted(lexicon.cue_words | trigger_words(lexicon) | leads), Implementation.DFA)


@dataclass
class _Stretch:
    start: int
    end: int
    cues: list[int]  # where its cue words start


def _cue_stretches(index: TextIndex, lowered: str, lexicon: Lexicon) -> list[_Stretch]:
    """The lines (paragraphs) holding a cue word (a whole word), in order, with where those words start:
    read a paragraph at a time, since a phrase never runs past a sentence's final stop. A line longer
    than _LONGEST_LINE (run-on text) is read only around its cue words, _REACH characters each way."""
    scanner = _cue_scanner(lexicon)
    starts = index.line_starts
    length = len(lowered)
    stretches: list[_Stretch] = []
    for _word, start, end in scanner.scan(lowered):
        if (start > 0 and lowered[start - 1].isalnum()) or (end < length and lowered[end].isalnum()):
            continue
        if stretches and start < stretches[-1].end:
            stretches[-1].cues.append(start)  # in the stretch just taken
            continue
        number = bisect_right(starts, start) - 1
        line = (starts[number], starts[number + 1] if number + 1 < len(starts) else length)
        if line[1] - line[0] > _LONGEST_LINE:
            line = (
                _word_start(lowered, max(line[0], start - _REACH)),
                _word_end(lowered, min(line[1], end + _REACH)),
            )
        if stretches and line[0] < stretches[-1].end:
            stretches[-1].end = max(stretches[-1].end, line[1])
            stretches[-1].cues.append(start)
        else:
            stretches.append(_Stretch(line[0], line[1], [start]))
    return stretches


def _token_indexes(tokens: Tokens, positions: list[int]) -> list[int]:
    """The tokens that start at the given positions (a cue word inside a name is no token's start)."""
    found = []
    starts = tokens.starts
    for position in positions:
        at = bisect_left(starts, position)
        if at < len(starts) and starts[at] == position:
            found.append(at)
    return found


def _word_start(text: str, at: int) -> int:
    while at > 0 and not text[at - 1].isspace():
        at -= 1
    return at


def _word_end(text: str, at: int) -> int:
    while at < len(text) and not text[at].isspace():
        at += 1
    return at


class _DocumentReader:
    def __init__(
        self,
        index: TextIndex,
        lowered: str,
        hits: list[OutletHit],
        lexicon: Lexicon,
        registry: Registry,
        matcher: OutletMatcher,
    ) -> None:
        self.index, self.lowered, self.lexicon, self.registry, self.matcher = (
            index,
            lowered,
            lexicon,
            registry,
            matcher,
        )
        self.hits = sorted(hits, key=_span)
        self.hit_starts = [hit.start for hit in self.hits]
        self.reading = Reading()
        self.tried: dict[str, tuple[str, float] | None] = {}  # fuzzy look-ups made in this document

    def hits_in(self, start: int, end: int) -> list[OutletHit]:
        return self.hits[bisect_left(self.hit_starts, start) : bisect_left(self.hit_starts, end)]

    def read(self, stretch: _Stretch) -> None:
        hits = self.hits_in(stretch.start, stretch.end)
        tokens, cues, found = self._attributions(stretch, hits)
        misspelt = self._misspelt_names(found, hits)
        if misspelt:  # read again with the names found
            self.reading.fuzzy += misspelt
            tokens, cues, found = self._attributions(stretch, sorted([*hits, *misspelt], key=_span))
        for attribution, source in found:
            self._record(attribution, source)
        self.reading.vague += [
            span for span in anonymity_spans(tokens, self.lexicon, cues) if not self.index.in_quotes(*span)
        ]

    def _attributions(
        self, stretch: _Stretch, hits: list[OutletHit]
    ) -> tuple[Tokens, list[int], list[tuple[Attribution, Source]]]:
        """The stretch's tokens, the indexes of its cue words' tokens, and its attributions."""
        tokens = tokenise(self.index.text, stretch.start, stretch.end, hits)
        cues = _token_indexes(tokens, stretch.cues)
        attributions = find_attributions(tokens, self.lexicon, self.index.in_quotes, cues)
        lexicon, registry = self.lexicon, self.registry
        classified = [
            (a, classify_source(a.phrase, a.apposition, lexicon, registry, a.medium_only))
            for a in attributions
        ]
        return tokens, cues, classified

    def _record(self, attribution: Attribution, source: Source) -> None:
        reading = self.reading
        reading.spoofed.update((hit.start, hit.end) for hit in source.spoofed)
        if source.vague:
            reading.vague.append((attribution.start, attribution.end))
        if not source.cited and not source.titled and not source.unregistered:
            return
        tokens = [*attribution.phrase, *attribution.apposition]
        span = (min(t.start for t in tokens), max(t.end for t in tokens))
        sentence = self.index.sentence_bounds(attribution.cue_start)
        cue = (attribution.cue_start, attribution.cue_end)
        date = cue_date(self.index.text, sentence, span, cue, self.lexicon.document_nouns)
        cited_by = CitedBy(attribution.cue, date)
        for hit in source.cited:
            reading.cited.setdefault((hit.start, hit.end), cited_by)
        for body in source.titled:
            reading.titled.append((body.start, body.end, body.outlet, cited_by))
        for unknown in source.unregistered:
            reading.unregistered.append((unknown.start, unknown.end, unknown.outlet, cited_by))

    def _misspelt_names(
        self, found: list[tuple[Attribution, Source]], hits: list[OutletHit]
    ) -> list[OutletHit]:
        """Registry names misspelt in a source phrase that came to nothing: no name the registry knows as
        written, no body, no unnamed source ("The Sunday Mall reported")."""
        guessed: list[OutletHit] = []
        for attribution, source in found:
            phrase = attribution.phrase
            if (
                source.cited
                or source.titled
                or source.vague
                or any(token.hit is not None for token in phrase)
            ):
                continue
            for start, end in _capitalised_runs(phrase):
                if end not in (_core_end(phrase, self.lexicon), phrase[-1].end):
                    continue  # a modifier ("The Australian government"), not the source itself
                hit = guess_name(self.matcher, self.index.text, start, end, self.tried)
                if hit is not None and not any(
                    h.start < hit.end and hit.start < h.end for h in [*hits, *guessed]
                ):
                    guessed.append(hit)
        return guessed


def _core_end(phrase: tuple[Token, ...], lexicon: Lexicon) -> int:
    """Where the phrase's core ends: its last word before a preposition."""
    end = phrase[0].end
    for position, token in enumerate(phrase):
        prepositions = lexicon.attached_prepositions | lexicon.detached_words
        if position and token.hit is None and token.lower in prepositions:
            break
        if token.is_word:
            end = token.end
    return end


def _span(hit: OutletHit) -> tuple[int, int]:
    return hit.start, hit.end


def _capitalised_runs(phrase: tuple[Token, ...]) -> list[tuple[int, int]]:
    """Runs of two or more capitalised words (joined by "of", "the", "for", "and") in a phrase, eight
    characters or longer: where a misspelt name can be ("The Sunday Mall")."""
    runs: list[tuple[int, int, int]] = []  # start, end, words
    start: int | None = None
    end = words = 0
    for token in phrase:
        if token.is_word and token.text[:1].isupper():
            start, words = (token.start, 0) if start is None else (start, words)
            end, words = token.end, words + 1
        elif start is not None and token.lower in ("of", "the", "for", "and", "&"):
            continue
        elif start is not None:
            runs.append((start, end, words))
            start = None
    if start is not None:
        runs.append((start, end, words))
    return [(start, end) for start, end, words in runs if words >= 2 and end - start >= _SHORTEST_MISSPELT]


def read_document(
    index: TextIndex,
    lowered: str,
    hits: list[OutletHit],
    lexicon: Lexicon,
    registry: Registry,
    matcher: OutletMatcher,
) -> Reading:
    reader = _DocumentReader(index, lowered, hits, lexicon, registry, matcher)
    for stretch in _cue_stretches(index, lowered, lexicon):
        reader.read(stretch)
    return reader.reading
