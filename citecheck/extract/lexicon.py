"""The cue and vague-attribution lexicon (citecheck/data/lexicon.yaml), compiled once."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from ahocorasick_rs import AhoCorasick

__all__ = ["AnyCase", "Lexicon", "load_lexicon", "lowered_text", "scan"]

LEXICON_FILE = Path(__file__).resolve().parent.parent / "data" / "lexicon.yaml"


def _alternation(words: list[str] | set[str]) -> str:
    ordered = sorted({word.lower() for word in words}, key=len, reverse=True)
    return "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in ordered)


def _reversed_alternation(words: list[str] | set[str]) -> str:
    return _alternation({word[::-1] for word in words})


_SURROGATE = re.compile(r"[\ud800-\udfff]")  # the escapes for the regex parser: no surrogate in the source


def scan(automaton: AhoCorasick, text: str) -> list[tuple[int, int, int]]:
    """Every occurrence in `text` of every word of `automaton`, overlapping ones too: (word's index,
    start, end), by end and, of those ending together, the longest first."""
    try:
        return automaton.find_matches_as_indexes(text, overlapping=True)
    except UnicodeEncodeError:  # a lone surrogate, which no word holds: one character for another
        return automaton.find_matches_as_indexes(_SURROGATE.sub("\ufffd", text), overlapping=True)


def lowered_text(text: str) -> str | None:
    """text.lower(), if lower-case patterns can be matched against it instead of case-insensitive ones
    at the same offsets; None if not.

    The only characters that match an ASCII letter case-insensitively yet stay themselves when
    lower-cased are the dotless i and the long s; a capital dotted I changes length.
    """
    lowered = text.lower()
    if len(lowered) != len(text) or (not text.isascii() and ("\u0131" in text or "\u017f" in text)):
        return None
    return lowered


@dataclass(frozen=True, slots=True)
class AnyCase:
    """One case-insensitive pattern in two forms: as written, and lower-cased for text from
    lowered_text(), where matching case-sensitively finds the same spans several times faster."""

    written: re.Pattern[str]
    lower: re.Pattern[str]

    @classmethod
    def compile(cls, source: str, flags: int = 0) -> AnyCase:
        return cls(re.compile(source, flags | re.IGNORECASE), re.compile(_lower_source(source), flags))


def _lower_source(source: str) -> str:
    """A regex source with its letters lower-cased, escapes (\\S, \\Z, \\u201C) left as they are."""
    cased_beyond_ascii = any(ch.lower() != ch.upper() for ch in source if not ch.isascii())
    if "(?P" in source or "\\N" in source or cased_beyond_ascii:
        raise ValueError(f"cannot lower-case the pattern {source[:60]!r}")
    pieces = re.findall(r"\\.|[^\\]+", source)  # an escape, or a run of anything else
    lowered = "".join(piece if piece[0] == "\\" else piece.lower() for piece in pieces)
    return lowered.replace("(?i:", "(?:")  # the text is lower-cased already


@dataclass(frozen=True, slots=True)
class Forms:
    """The case-insensitive patterns classify() uses, all in one form: as written, or lower-cased."""

    ends_in_order_or_authorship: re.Pattern[str]
    after_in_order: re.Pattern[str]
    ends_weak_leading: re.Pattern[str]
    leading_before: re.Pattern[str]
    weak_leading_before: re.Pattern[str]
    reporting_after: re.Pattern[str]
    any_reporting_verb: re.Pattern[str]

    @classmethod
    def of(cls, lexicon: Lexicon, form: str) -> Forms:
        return cls(
            *(
                getattr(getattr(lexicon, name), form)
                for name in (
                    "ends_in_order_or_authorship",
                    "after_in_order",
                    "ends_weak_leading",
                    "leading_before_any",
                    "weak_leading_before_any",
                    "reporting_after_any",
                    "any_reporting_verb_any",
                )
            )
        )


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one per process
class Lexicon:
    reporting_after: re.Pattern[str]  # at the start of the text after a name
    leading_before: re.Pattern[str]  # at the end of the text before a name
    weak_leading_before: re.Pattern[str]  # "in the", "on the": only with a media outlet or a document noun
    document_after: re.Pattern[str]
    authorship_before: re.Pattern[str]
    spokes_before: re.Pattern[str]
    self_after: re.Pattern[str]
    self_before: re.Pattern[str]
    media_list_head: re.Pattern[str]
    subject_before: re.Pattern[str]
    vague: tuple[re.Pattern[str], ...]
    vague_triggers: dict[str, tuple[int, ...]]  # trigger phrase -> indexes into `vague`
    vague_any: tuple[AnyCase, ...]  # `vague` in both forms
    vague_cores: tuple[AnyCase | None, ...]  # the ending every match of that pattern has, if given
    reporting_verbs: frozenset[str]
    any_reporting_verb: re.Pattern[str]  # a reporting verb anywhere in a clause
    lead_words: tuple[str, ...]  # leading cues, lower case ("according to", "source:")
    follow_words: tuple[str, ...]  # reporting verbs and document nouns, lower case
    auxiliaries: frozenset[str]
    # The same tests in faster forms. `ends_*` read the text before a name backwards: each matches the
    # start of that text reversed exactly when its forward twin finds a match at its end, without
    # trying every start position. The forward twins still give the matched words.
    ends_leading: AnyCase
    ends_weak_leading: AnyCase
    ends_self: AnyCase
    ends_subject: AnyCase
    ends_spokes: AnyCase
    ends_authorship: re.Pattern[str]  # case-sensitive, like authorship_before
    ends_media_list_head: AnyCase  # media_list_head up to its colon, read backwards from the colon
    # ends_self, ends_subject, ends_leading, ends_spokes, ends_weak_leading as one pattern, in the order
    # classify() asks: match.lastindex is the number (1-5) of the first that matches.
    ends_in_order: AnyCase
    # The same, then ends_authorship made case-insensitive (6): no match rules all six out.
    ends_in_order_or_authorship: AnyCase
    # self_after (1), document_after made case-insensitive (2), reporting_after (3), first match first.
    after_in_order: AnyCase
    leading_before_any: AnyCase
    weak_leading_before_any: AnyCase
    reporting_after_any: AnyCase
    self_after_any: AnyCase
    any_reporting_verb_any: AnyCase
    # Multi-pattern scanners over the lexicon's words, built on first use by the modules that scan with
    # them (cue words, vague triggers) and kept here, one set per lexicon.
    scanners: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def written_forms(self) -> Forms:
        return _forms(self, "written")

    @property
    def lower_forms(self) -> Forms:
        return _forms(self, "lower")


@lru_cache(maxsize=4)
def _forms(lexicon: Lexicon, form: str) -> Forms:
    return Forms.of(lexicon, form)


def _vague_core(entry: dict[str, str], demonyms: str) -> AnyCase | None:
    core = entry.get("core")
    if core is None:
        return None
    if not entry["pattern"].endswith(core):
        raise ValueError(f"lexicon: a vague pattern's core must be its own ending: {core[:60]!r}")
    return AnyCase.compile(core.replace("{demonym}", demonyms))


def _triggers(entries: list[dict[str, object]]) -> dict[str, tuple[int, ...]]:
    table: dict[str, list[int]] = {}
    for index, entry in enumerate(entries):
        for word in entry["triggers"]:  # type: ignore[attr-defined]
            table.setdefault(str(word).lower(), []).append(index)
    return {word: tuple(indexes) for word, indexes in table.items()}


@lru_cache(maxsize=1)
def load_lexicon(path: Path = LEXICON_FILE) -> Lexicon:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    verbs = [v for v in data["reporting_verbs"] if v not in ("according", "investigates", "investigated")]
    aux = _alternation(data["auxiliaries"])
    nouns = _alternation(data["document_nouns"])
    weak = {"on the", "in the", "published in", "reported in", "said in", "wrote in", "writing in"}
    strong_leading = [p for p in data["leading_phrases"] if p not in weak]
    leading = _alternation(strong_leading + data["leading_verbs"])
    demonyms = "|".join(data["demonyms"])
    # Between a name and its verb: a possessive, one comma-enclosed aside (", the party's newspaper,",
    # ", citing leaked documents,") or auxiliaries.
    appositive = r"(?:\s*,[^,.;:\n\"\u201c]{1,80},)?"
    reporting_after = rf"^(?:['\u2019]s?)?{appositive}(?:\s+(?:{aux}))*\s+(?:{_alternation(verbs)})\b"
    leading_before = rf"(?:^|[\s(\[\"'])(?:{leading})(?:\s+(?:the|a|an|an?\s+\w+))?\s*$"
    weak_leading_before = rf"\b(?:{_alternation(weak)})\s*$"
    self_after = rf"^(?:\s+(?:{_alternation(data['self_cues']['after'])}))\b"
    any_reporting_verb = rf"\b(?:{_alternation(verbs)})\b"
    author_verbs = (
        "in of on from for released published issued conducted compiled written prepared commissioned".split()
    )
    articles = ["the", "a", "an"]
    # Each `ends_*` source below is its forward pattern with the order of every sequence reversed and
    # every word spelt backwards; ^ at the start of the text before becomes \Z.
    ends = {
        "leading": rf"\s*(?:(?:{_reversed_alternation(articles)}|\w++\s+n?a)\s+)?"
        rf"(?:{_reversed_alternation(strong_leading + data['leading_verbs'])})(?:\Z|[\s(\[\"'])",
        "weak_leading": rf"\s*(?:{_reversed_alternation(weak)})\b",
        "self": rf"\s*(?:{_reversed_alternation(data['self_cues']['before'])})",
        "subject": rf"\s+(?:{_reversed_alternation(data['subject_before'])})\b",
        "media_list_head": rf"\s*(?:{_reversed_alternation(data['media_list_heads'])})\b",
        "spokes": rf"(?:\s+[\w-]++(?<=[A-Z])){{0,3}}(?:\s+(?:{_reversed_alternation(articles)}))?\s+"
        rf"(?:{_reversed_alternation(['for', 'of', 'at', 'from'])})\s+"
        rf"(?:{_reversed_alternation(data['spokes_roles'])})\b",
    }
    # A word followed by whitespace is all of its run of word characters, so the backwards patterns take
    # each run whole (++) and then look at its last character (the word's first): no backtracking.
    document_after = (
        rf"^(?:['\u2019]s?)?(?:\s*\([A-Z][A-Za-z.-]{{1,10}}\))?(?:\s+(?:\d{{4}}|[A-Z][\w-]*|secret|annual|latest|new"
        rf"|own|official|internal|leaked|classified|confidential|recent))?(?:\s+(?:\d{{4}}|[A-Z][\w-]*|annual))?\s+(?i:{nouns})\b"
    )
    ends_authorship = (
        rf"(?:\s+(?:s['\u2019])?[\w.-]*[A-Z]){{0,4}}(?:\s+(?:{_reversed_alternation(articles)}))?\s+(?:yb|morf)\s+"
        rf"(?:\b(?:{_reversed_alternation(author_verbs)})\s+|\b\d{{4}}\s+|[\w-]+\s+){{0,4}}"
        rf"\b(?:{_reversed_alternation(data['document_nouns'])})\b"
    )
    return Lexicon(
        reporting_after=re.compile(reporting_after, re.IGNORECASE),
        leading_before=re.compile(leading_before, re.IGNORECASE),
        weak_leading_before=re.compile(weak_leading_before, re.IGNORECASE),
        document_after=re.compile(document_after),
        authorship_before=re.compile(
            rf"\b(?:{nouns})\b(?:\s+(?:in|of|on|from|for|released|published|issued|conducted|compiled|written|prepared|commissioned)\b|\s+\d{{4}}\b|\s+[\w-]+){{0,4}}\s+(?:by|from)\s+(?:the\s+|a\s+|an\s+)?(?:[A-Z][\w.-]*(?:['\u2019]s)?\s+){{0,4}}$",
        ),
        spokes_before=re.compile(
            rf"\b(?:{_alternation(data['spokes_roles'])})\s+(?:for|of|at|from)\s+(?:the\s+|a\s+|an\s+)?(?:[A-Z][\w-]*\s+){{0,3}}$",
            re.IGNORECASE,
        ),
        self_after=re.compile(self_after, re.IGNORECASE),
        self_before=re.compile(rf"(?:{_alternation(data['self_cues']['before'])})\s*$", re.IGNORECASE),
        subject_before=re.compile(rf"\b(?:{_alternation(data['subject_before'])})\s+$", re.IGNORECASE),
        media_list_head=re.compile(rf"\b(?:{_alternation(data['media_list_heads'])})\s*:\s*", re.IGNORECASE),
        vague=tuple(
            re.compile(entry["pattern"].replace("{demonym}", demonyms), re.IGNORECASE)
            for entry in data["vague_patterns"]
        ),
        vague_triggers=_triggers(data["vague_patterns"]),
        vague_any=tuple(
            AnyCase.compile(entry["pattern"].replace("{demonym}", demonyms))
            for entry in data["vague_patterns"]
        ),
        vague_cores=tuple(_vague_core(entry, demonyms) for entry in data["vague_patterns"]),
        reporting_verbs=frozenset(verbs),
        any_reporting_verb=re.compile(any_reporting_verb, re.IGNORECASE),
        lead_words=tuple(sorted({p.lower() for p in strong_leading + data["leading_verbs"]})),
        follow_words=tuple(sorted({w.lower() for w in verbs + data["document_nouns"]})),
        auxiliaries=frozenset(w.lower() for w in data["auxiliaries"]),
        ends_leading=AnyCase.compile(ends["leading"]),
        ends_weak_leading=AnyCase.compile(ends["weak_leading"]),
        ends_self=AnyCase.compile(ends["self"]),
        ends_subject=AnyCase.compile(ends["subject"]),
        ends_spokes=AnyCase.compile(ends["spokes"]),
        ends_authorship=re.compile(ends_authorship),
        # The sixth branch and the second below admit more than ends_authorship and document_after do,
        # so they can rule those out, not in. ends_authorship needs "by" or "from" among the last six words.
        ends_in_order_or_authorship=AnyCase.compile(
            "|".join(f"({ends[name]})" for name in ("self", "subject", "leading", "spokes", "weak_leading"))
            + r"|(\s+(?:\S++\s+){0,5}(?:yb|morf)\s)"
        ),
        # document_after needs a document noun within two words (after a possessive or an abbreviation).
        after_in_order=AnyCase.compile(
            f"({self_after})|(^(?:['\u2019]s?)?(?:\\s*\\([^\\s)]{{2,11}}\\))?(?:\\s+\\S+){{0,2}}?\\s+(?:{nouns})\\b)"
            f"|({reporting_after})"
        ),
        ends_media_list_head=AnyCase.compile(ends["media_list_head"]),
        ends_in_order=AnyCase.compile(
            "|".join(f"({ends[name]})" for name in ("self", "subject", "leading", "spokes", "weak_leading"))
        ),
        leading_before_any=AnyCase.compile(leading_before),
        weak_leading_before_any=AnyCase.compile(weak_leading_before),
        reporting_after_any=AnyCase.compile(reporting_after),
        self_after_any=AnyCase.compile(self_after),
        any_reporting_verb_any=AnyCase.compile(any_reporting_verb),
    )
