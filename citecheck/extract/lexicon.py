"""The cue and vague-attribution lexicon (citecheck/data/lexicon.yaml), compiled once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

__all__ = ["Lexicon", "load_lexicon"]

LEXICON_FILE = Path(__file__).resolve().parent.parent / "data" / "lexicon.yaml"


def _alternation(words: list[str]) -> str:
    ordered = sorted({word.lower() for word in words}, key=len, reverse=True)
    return "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in ordered)


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
    reporting_verbs: frozenset[str]
    any_reporting_verb: re.Pattern[str]  # a reporting verb anywhere in a clause
    lead_words: tuple[str, ...]  # leading cues, lower case ("according to", "source:")
    follow_words: tuple[str, ...]  # reporting verbs and document nouns, lower case
    auxiliaries: frozenset[str]


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
    return Lexicon(
        reporting_after=re.compile(
            rf"^(?:['\u2019]s?)?{appositive}(?:\s+(?:{aux}))*\s+(?:{_alternation(verbs)})\b", re.IGNORECASE
        ),
        leading_before=re.compile(
            rf"(?:^|[\s(\[\"'])(?:{leading})(?:\s+(?:the|a|an|an?\s+\w+))?\s*$", re.IGNORECASE
        ),
        weak_leading_before=re.compile(rf"\b(?:{_alternation(sorted(weak))})\s*$", re.IGNORECASE),
        document_after=re.compile(
            rf"^(?:['\u2019]s?)?(?:\s*\([A-Z][A-Za-z.-]{{1,10}}\))?(?:\s+(?:\d{{4}}|[A-Z][\w-]*|secret|annual|latest|new|own|official|internal|leaked|classified|confidential|recent))?(?:\s+(?:\d{{4}}|[A-Z][\w-]*|annual))?\s+(?i:{nouns})\b"
        ),
        authorship_before=re.compile(
            rf"\b(?:{nouns})\b(?:\s+(?:in|of|on|from|for|released|published|issued|conducted|compiled|written|prepared|commissioned)\b|\s+\d{{4}}\b|\s+[\w-]+){{0,4}}\s+(?:by|from)\s+(?:the\s+|a\s+|an\s+)?(?:[A-Z][\w.-]*(?:['\u2019]s)?\s+){{0,4}}$",
        ),
        spokes_before=re.compile(
            rf"\b(?:{_alternation(data['spokes_roles'])})\s+(?:for|of|at|from)\s+(?:the\s+|a\s+|an\s+)?(?:[A-Z][\w-]*\s+){{0,3}}$",
            re.IGNORECASE,
        ),
        self_after=re.compile(rf"^(?:\s+(?:{_alternation(data['self_cues']['after'])}))\b", re.IGNORECASE),
        self_before=re.compile(rf"(?:{_alternation(data['self_cues']['before'])})\s*$", re.IGNORECASE),
        subject_before=re.compile(rf"\b(?:{_alternation(data['subject_before'])})\s+$", re.IGNORECASE),
        media_list_head=re.compile(rf"\b(?:{_alternation(data['media_list_heads'])})\s*:\s*", re.IGNORECASE),
        vague=tuple(
            re.compile(entry["pattern"].replace("{demonym}", demonyms), re.IGNORECASE)
            for entry in data["vague_patterns"]
        ),
        vague_triggers=_triggers(data["vague_patterns"]),
        reporting_verbs=frozenset(verbs),
        any_reporting_verb=re.compile(rf"\b(?:{_alternation(verbs)})\b", re.IGNORECASE),
        lead_words=tuple(sorted({p.lower() for p in strong_leading + data["leading_verbs"]})),
        follow_words=tuple(sorted({w.lower() for w in verbs + data["document_nouns"]})),
        auxiliaries=frozenset(w.lower() for w in data["auxiliaries"]),
    )
