"""The cue and vague-attribution lexicon (citecheck/data/lexicon.yaml), compiled once."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from ahocorasick_rs import AhoCorasick, BytesAhoCorasick, Implementation

__all__ = ["AnyCase", "Lexicon", "WordScanner", "WordTests", "load_lexicon", "lowered_text", "scan"]

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


def _latin1(word: str) -> bytes | None:
    try:
        return word.encode("latin-1")
    except UnicodeEncodeError:
        return None


# str.lower() of each Latin-1 character is one Latin-1 character: text that Latin-1 spells is lower-cased
# byte by byte (bytes.translate), several times faster than str.lower() beyond ASCII.
_LATIN1_LOWER = bytes.maketrans(
    bytes(range(256)), "".join(chr(code).lower() for code in range(256)).encode("latin-1")
)


class WordScanner:
    """scan() with an automaton over `words`, faster for text that Latin-1 can spell (most text, once
    its punctuation is folded): that is scanned as bytes, which spares ahocorasick_rs its map from the
    UTF-8 offsets of a str to character offsets (a machine word per byte of text, every scan). In
    Latin-1 a byte is a character, so the offsets are the same; a word Latin-1 cannot spell cannot
    occur in such text. Other text is scanned as str."""

    def __init__(self, words: list[str], implementation: Implementation) -> None:
        self.text_automaton = AhoCorasick(words, implementation=implementation)
        encoded = [(index, _latin1(word)) for index, word in enumerate(words)]
        spelt = [(index, data) for index, data in encoded if data is not None]
        self.bytes_automaton = (
            BytesAhoCorasick([data for _, data in spelt], implementation=implementation) if spelt else None
        )
        # The index of each word of the bytes automaton among `words`, if it is not the same.
        indexes = [index for index, _ in spelt]
        self.indexes: list[int] | None = None if indexes == list(range(len(indexes))) else indexes
        # If Latin-1 spells every word and none holds a "?", other text can be scanned as bytes too, each
        # character Latin-1 lacks turned into a "?", which no word can match.
        self.replaceable = len(spelt) == len(words) and not any("?" in word for word in words)

    def scan(self, text: str) -> list[tuple[int, int, int]]:
        try:
            data = text.encode("latin-1")
        except UnicodeEncodeError:
            if not self.replaceable:
                return scan(self.text_automaton, text)
            data = text.encode("latin-1", "replace")  # one "?" for each code point, lone surrogates too
        if self.bytes_automaton is None:
            return []
        found = self.bytes_automaton.find_matches_as_indexes(data, overlapping=True)
        indexes = self.indexes
        if indexes is None:
            return found
        return [(indexes[index], start, end) for index, start, end in found]


def lowered_text(text: str) -> str | None:
    """text.lower(), if lower-case patterns can be matched against it instead of case-insensitive ones
    at the same offsets; None if not.

    The only characters that match an ASCII letter case-insensitively yet stay themselves when
    lower-cased are the dotless i and the long s; a capital dotted I changes length.
    """
    if text.isascii():
        return text.lower()
    latin1 = _latin1(text)
    if latin1 is not None:  # then no dotless i, long s or capital dotted I either
        return latin1.translate(_LATIN1_LOWER).decode("latin-1")
    lowered = text.lower()
    if len(lowered) != len(text) or "\u0131" in text or "\u017f" in text:
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


def _word_prefix(token: str) -> str:
    """The run of word characters (what \\w matches: str.isalnum() or "_") that starts `token`."""
    length = 0
    while length < len(token) and (token[length].isalnum() or token[length] == "_"):
        length += 1
    return token[:length]


class _Phrases:
    """Phrases of a lexicon list, to tell whether one of them can end at a given word of a text.

    The patterns put \\s+ between a phrase's words and read the text before a name as whole
    whitespace-separated tokens, so every word of a phrase but the first must be a token exactly; the
    first (or only) word may be the end of a longer token ("(according").
    """

    def __init__(self, phrases: list[str] | set[str]) -> None:
        singles: set[str] = set()
        self.by_last: dict[str, list[tuple[str, ...]]] = {}
        for phrase in sorted({phrase.lower() for phrase in phrases}):
            words = phrase.split()
            if len(words) == 1:
                singles.add(words[0])
            elif words:
                self.by_last.setdefault(words[-1], []).append(tuple(words[:-1]))
        self.singles = tuple(sorted(singles))
        by_last_character: dict[str, list[str]] = {}
        for word in self.singles:
            by_last_character.setdefault(word[-1], []).append(word)
        self.singles_by_last_character = {last: tuple(words) for last, words in by_last_character.items()}
        # the most words of one phrase
        self.longest = 1 + max([len(words) for lists in self.by_last.values() for words in lists] + [0])

    def end_at(self, tokens: list[str], back: int) -> bool:
        """Whether a phrase may end with tokens[-back] (back >= 1), given the tokens before it."""
        count = len(tokens)
        if back > count:
            return False
        token = tokens[count - back]
        if token.endswith(self.singles_by_last_character.get(token[-1], ())):
            return True
        for words in self.by_last.get(token, ()):
            first = count - back - len(words)
            if first < 0 or not tokens[first].endswith(words[0]):
                continue
            if all(tokens[first + offset] == words[offset] for offset in range(1, len(words))):
                return True
        return False


_ARTICLES = ("the", "a", "an")  # of ends_leading and ends_spokes


class WordTests:
    """Cheap tests on the words next to a name that rule out classify()'s two big patterns.

    before_may_match(before) is False only where ends_in_order_or_authorship cannot match the text
    before a name read backwards, and after_may_match(after) only where after_in_order cannot match the
    text after it; both on lower-cased text (AnyCase.lower). Each check below mirrors a branch of those
    patterns (see load_lexicon), asking only for the words the branch must find where it must find them;
    tests/extract/test_fast_forms.py compares them with the patterns. Most names have none of these
    words beside them, so most of them skip the patterns.
    """

    def __init__(
        self,
        self_before: list[str],
        subject_before: list[str],
        leading: list[str],
        weak_leading: set[str],
        spokes_roles: list[str],
        self_after: list[str],
        document_nouns: list[str],
        verbs: list[str],
        auxiliaries: list[str],
    ) -> None:
        self.self_before = _Phrases(self_before)
        self.subject_before = _Phrases(subject_before)
        self.leading = _Phrases(leading)
        self.weak_leading = _Phrases(weak_leading)
        self.spokes_roles = _Phrases(spokes_roles)
        # The phrases read from the name's last token, as one set (with ends_subject's after whitespace).
        self.ending = _Phrases([*self_before, *weak_leading, *leading])
        self.ending_after_space = _Phrases([*self_before, *weak_leading, *leading, *subject_before])
        # Only these last tokens can end a phrase of the four branches read from the name's last token
        # (a word of its own, or the end of a longer token for a phrase of one word), or be an article.
        ending_here = (self.self_before, self.subject_before, self.leading, self.weak_leading)
        self.last_words = frozenset(word for phrases in ending_here for word in phrases.by_last) | set(
            _ARTICLES
        )
        singles: dict[str, set[str]] = {}
        for phrases in ending_here:
            for last, ending in phrases.singles_by_last_character.items():
                singles.setdefault(last, set()).update(ending)
        self.singles_by_last_character = {last: tuple(sorted(words)) for last, words in singles.items()}
        nouns = {noun.lower() for noun in document_nouns}
        # A noun then \\b: a token whose leading word characters are the noun, or (for "e-mail",
        # "op-ed", "report's") a token that starts with it.
        self.noun_words = frozenset(noun for noun in nouns if _word_prefix(noun) == noun)
        other_nouns: dict[str, list[str]] = {}
        for noun in sorted(nouns):
            if _word_prefix(noun) != noun:
                other_nouns.setdefault(_word_prefix(noun), []).append(noun)
        self.other_nouns_by_prefix = {prefix: tuple(group) for prefix, group in other_nouns.items()}
        self.verbs = frozenset(verb.lower() for verb in verbs)
        self.auxiliaries = frozenset(word.lower() for word in auxiliaries)
        self.self_after: dict[str, list[tuple[str, ...]]] = {}
        for phrase in sorted({phrase.lower() for phrase in self_after}):
            words = phrase.split()
            self.self_after.setdefault(words[0], []).append(tuple(words[1:]))
        # The most tokens a branch reads back from the name: a phrase (after an article and a word for
        # ends_leading, after a preposition, an article and three names for ends_spokes).
        self.before_tokens = max(
            self.self_before.longest,
            self.subject_before.longest,
            self.weak_leading.longest,
            self.leading.longest + 2,
            self.spokes_roles.longest + 5,
            6,  # the sixth branch
        )
        # What the tests take for granted of the lexicon; if an edit breaks it, they pass everything.
        self.usable = (
            all(_word_prefix(word) == word for word in self.verbs | self.auxiliaries)
            and all(len(noun.split()) == 1 for noun in nouns)
            and all(_word_prefix(phrase.split()[-1]) == phrase.split()[-1] for phrase in self_after)
            and all(len(phrase.split()) <= 5 for phrase in self_after)  # read from five tokens
        )

    def before_may_match(self, before: str) -> bool:
        if not self.usable:
            return True
        tokens = before.rsplit(None, self.before_tokens)
        if len(tokens) > self.before_tokens:
            del tokens[0]  # the rest of the text, unsplit
        count = len(tokens)
        if count == 0:
            return False
        last = tokens[count - 1]
        spaced = before[-1].isspace()
        if last in self.last_words or last.endswith(self.singles_by_last_character.get(last[-1], ())):
            # ends_self, ends_weak_leading, ends_leading (also after an article); ends_subject after
            # whitespace only
            if (self.ending_after_space if spaced else self.ending).end_at(tokens, 1):
                return True
            if (last == "the" or last == "a" or last == "an") and self.leading.end_at(tokens, 2):
                return True
        # ends_leading after "a"/"an" and a word
        if count >= 3 and tokens[count - 2] in ("a", "an") and self.leading.end_at(tokens, 3):
            return True
        if not spaced:
            return False  # the other two branches start with \\s+
        for back in range(1, min(6, count) + 1):
            token = tokens[count - back]
            # the sixth branch: "by" or "from" among the last six tokens
            if token == "by" or token == "from":
                return True
            # ends_spokes: a role, a preposition, an article and three names at most
            if (token == "for" or token == "of" or token == "at") and back <= 5:
                if self.spokes_roles.end_at(tokens, back + 1):
                    return True
        return False

    def after_may_match(self, after: str) -> bool:
        if not self.usable:
            return True
        tokens = after.split(None, 5)  # the first five tokens, then the rest
        if not tokens:
            return False
        spaced = after[0].isspace()
        # self_after: whitespace, then a phrase from the first token on
        if spaced and self._self_after(tokens):
            return True
        # the document branch: a noun starting one of the first five tokens (after a possessive, an
        # abbreviation in brackets and two words at most)
        for index in range(min(5, len(tokens))):
            token = tokens[index]
            prefix = token if token.isalnum() else _word_prefix(token)
            if prefix in self.noun_words:
                return True
            others = self.other_nouns_by_prefix.get(prefix)
            if others is not None and token.startswith(others):
                return True
        # reporting_after: an optional possessive, an optional ", aside,", auxiliaries, a verb
        if spaced and self._verb_after_auxiliaries(tokens):
            return True
        if tokens[0][0] == "," and self._aside_then_verb(after):
            return True
        if after[0] == "'" or after[0] == "\u2019":
            rests = [after[1:], after[2:]] if after[1:2] == "s" else [after[1:]]
            for rest in rests:
                if rest[:1].isspace() and self._verb_after_auxiliaries(rest.split(None, 5)):
                    return True
                if rest.lstrip()[:1] == "," and self._aside_then_verb(rest):
                    return True
        return False

    def _self_after(self, tokens: list[str]) -> bool:
        first = tokens[0]
        for words in self.self_after.get(first if first.isalnum() else _word_prefix(first), ()):
            if not words:
                return True  # one word, then \\b
        for words in self.self_after.get(first, ()):
            if words and len(tokens) > len(words) and _word_prefix(tokens[len(words)]) == words[-1]:
                if all(tokens[index] == words[index - 1] for index in range(1, len(words))):
                    return True
        return False

    def _verb_after_auxiliaries(self, tokens: list[str]) -> bool:
        """Whether tokens (from text that starts with whitespace, split in five and the rest) may be
        auxiliaries and then a reporting verb."""
        for index, token in enumerate(tokens):
            if index == 5:
                return True  # more auxiliaries than were split off: the pattern decides
            if token not in self.auxiliaries:
                return (token if token.isalnum() else _word_prefix(token)) in self.verbs
        return False

    def _aside_then_verb(self, rest: str) -> bool:
        """For text whose first character but spaces is a comma: ", aside," ([^,.;:\\n"\u201c]{1,80}
        between the commas), then auxiliaries and a verb."""
        opening = rest.find(",")
        closing = rest.find(",", opening + 1, opening + 82)
        if closing <= opening + 1 or any(ch in '.;:\n"\u201c' for ch in rest[opening + 1 : closing]):
            return False
        after_aside = rest[closing + 1 :]
        return after_aside[:1].isspace() and self._verb_after_auxiliaries(after_aside.split(None, 5))


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
    # What every match of each core starts with, lower-cased (literal_openings()), where known.
    vague_core_openings: tuple[tuple[str, ...] | None, ...]
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
    media_list_head_words: int  # the most words in one of those heads
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
    word_tests: WordTests  # rule out ends_in_order_or_authorship and after_in_order before they run
    # Multi-pattern scanners over the lexicon's words, built on first use by the modules that scan with
    # them (cue words, vague triggers) and kept here, one set per lexicon; also the two Forms.
    scanners: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def written_forms(self) -> Forms:
        return self._forms("written")

    @property
    def lower_forms(self) -> Forms:
        return self._forms("lower")

    def _forms(self, form: str) -> Forms:
        found: Forms | None = self.scanners.get(form)  # a dict look-up: classify() asks for each name
        if found is None:
            found = self.scanners[form] = Forms.of(self, form)
        return found


def _top_level(source: str) -> tuple[list[str], int]:
    """`source` split at its top-level |, and where its first group, if it starts with one, closes
    (or -1): escapes, character classes and nested groups are stepped over."""
    parts: list[str] = []
    depth, part_start, closing, at = 0, 0, -1, 0
    while at < len(source):
        character = source[at]
        if character == "\\":
            at += 1
        elif character == "[":
            at += 1
            if source[at : at + 1] == "^":
                at += 1
            at += 1  # a "]" right after the opening one is a member
            while at < len(source) and source[at] != "]":
                at += 2 if source[at] == "\\" else 1
        elif character == "(":
            depth += 1
        elif character == ")":
            depth -= 1
            if depth == 0 and closing < 0 and source.startswith("("):
                closing = at
        elif character == "|" and depth == 0:
            parts.append(source[part_start:at])
            part_start = at + 1
        at += 1
    parts.append(source[part_start:])
    return parts, closing


def literal_openings(source: str) -> tuple[str, ...] | None:
    """Literal text that every match of the regex `source` starts with: one opening per alternative of a
    (?:...) group the source starts with, or one for the source; None where the source does not start
    with literal letters so. Only lower-case letters and digits count, and a character that a quantifier
    follows is left out, so each opening is a prefix of whatever its alternative matches."""
    parts, closing = _top_level(source)
    if len(parts) != 1:
        return None
    alternatives = [source]
    if source.startswith("(?:"):
        if closing < 0 or source[closing + 1 : closing + 2] in ("?", "*", "+", "{"):
            return None
        alternatives = _top_level(source[3:closing])[0]
    openings = []
    for alternative in alternatives:
        length = 0
        while length < len(alternative) and alternative[length] in "abcdefghijklmnopqrstuvwxyz0123456789":
            length += 1
        if alternative[length : length + 1] in ("?", "*", "+", "{"):
            length -= 1
        if length <= 0:
            return None
        openings.append(alternative[:length])
    # An occurrence of an opening that holds a shorter one at its start is an occurrence of that one too.
    kept: list[str] = []
    for opening in sorted(set(openings), key=lambda opening: (len(opening), opening)):
        if not opening.startswith(tuple(kept)):
            kept.append(opening)
    return tuple(kept)


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
        vague_core_openings=tuple(
            literal_openings(_lower_source(entry["core"].replace("{demonym}", demonyms)))
            if "core" in entry
            else None
            for entry in data["vague_patterns"]
        ),
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
        media_list_head_words=max(len(head.split()) for head in data["media_list_heads"]),
        ends_in_order=AnyCase.compile(
            "|".join(f"({ends[name]})" for name in ("self", "subject", "leading", "spokes", "weak_leading"))
        ),
        leading_before_any=AnyCase.compile(leading_before),
        weak_leading_before_any=AnyCase.compile(weak_leading_before),
        reporting_after_any=AnyCase.compile(reporting_after),
        self_after_any=AnyCase.compile(self_after),
        any_reporting_verb_any=AnyCase.compile(any_reporting_verb),
        word_tests=WordTests(
            self_before=data["self_cues"]["before"],
            subject_before=data["subject_before"],
            leading=strong_leading + data["leading_verbs"],
            weak_leading=weak,
            spokes_roles=data["spokes_roles"],
            self_after=data["self_cues"]["after"],
            document_nouns=data["document_nouns"],
            verbs=verbs,
            auxiliaries=data["auxiliaries"],
        ),
    )
