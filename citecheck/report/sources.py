"""Sources, not rows: a document's citations grouped by the source they name.

In: a DocumentResult. Out: `DocumentSources`, one `SourceGroup` per distinct source in order of first
appearance, split into the sources the document relies on and those it only names ("also named").
A party named fourteen times is one row with "14 times, lines 3, 5, 9, …", not fourteen rows repeating
the same reasons. Every report format draws these groups; the JSON report keeps the flat citation list
beside them for machines.

What counts as one source:
- a URL: the normalised address (each has its own link status and archived copy);
- an outlet or a bare domain the registry knows: the registry entry, however it was written
  ("Xinhua", "Xinhua News Agency", "xinhuanet.com");
- a vague attribution: the phrase, case and spacing folded ("U.S. media revealed" twice is one);
- anything else: its text, folded the same way.

A group takes its role from the strongest role among its citations (cited, then self, then any other,
then mentioned), and shows the verdict of its best-scored citation in that role, as the document score
counts one claim per source at its best (`citecheck/score.py`). It is flagged if any of its citations
has a broken or malformed link or an unverifiable verdict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..models import (
    CitationKind,
    CitationResult,
    DocumentResult,
    LinkCheck,
    Outlet,
    Role,
    Snapshot,
    Verdict,
    VerdictLabel,
)
from .reasons import deciding_reason
from .summary import is_flagged_link

__all__ = ["DocumentSources", "SourceGroup", "group_sources", "quoted_sentence", "role_rank"]

# Longest quotation a row shows; a longer sentence is cut around the cited words.
QUOTE_CHARS = 320

# Roles from strongest to weakest; a role not listed here (a newer one) ranks between self and mentioned.
_ROLE_ORDER = (Role.CITED, Role.SELF)


def role_rank(role: Role) -> int:
    if role in _ROLE_ORDER:
        return _ROLE_ORDER.index(role)
    return len(_ROLE_ORDER) + (1 if role in (Role.MENTIONED, Role.CREDIT) else 0)


def _folded(text: str) -> str:
    return " ".join(text.casefold().split())


def source_key(item: CitationResult) -> str:
    citation = item.citation
    if citation.kind is CitationKind.URL:
        return f"url:{citation.url or citation.text}"
    if citation.kind is CitationKind.VAGUE:
        return f"vague:{_folded(citation.text)}"
    if citation.outlet is not None:
        return f"outlet:{citation.outlet.id}"
    return f"{citation.kind}:{_folded(citation.text)}"


def _score(item: CitationResult) -> int:
    return item.verdict.score if item.verdict is not None else -1


@dataclass(frozen=True, slots=True)
class SourceGroup:
    """One distinct source in one document, with every citation of it in document order."""

    key: str
    items: tuple[CitationResult, ...]
    representative: CitationResult  # the citation whose verdict the row shows
    quote: str  # the sentence around the representative citation

    @property
    def kind(self) -> CitationKind:
        return self.representative.citation.kind

    @property
    def role(self) -> Role:
        return self.representative.citation.role

    @property
    def name(self) -> str:
        """What the row is called: the outlet's name, the URL as normalised, or the phrase as written."""
        citation = self.representative.citation
        if citation.kind is CitationKind.URL:
            return citation.url or citation.text
        if citation.outlet is not None:
            return citation.outlet.name
        return citation.text

    @property
    def written(self) -> tuple[str, ...]:
        """The distinct ways the document writes this source ("CCP", "Chinese Communist Party")."""
        return tuple(dict.fromkeys(item.citation.text for item in self.items))

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def lines(self) -> tuple[int, ...]:
        return tuple(sorted({item.citation.line for item in self.items}))

    @property
    def roles(self) -> tuple[tuple[Role, int], ...]:
        """Each role with how many citations have it, strongest first."""
        counts: dict[Role, int] = {}
        for item in self.items:
            counts[item.citation.role] = counts.get(item.citation.role, 0) + 1
        return tuple(sorted(counts.items(), key=lambda pair: role_rank(pair[0])))

    @property
    def outlet(self) -> Outlet | None:
        return self.representative.citation.outlet

    @property
    def link(self) -> LinkCheck | None:
        return self.representative.link

    @property
    def snapshot(self) -> Snapshot | None:
        return self.representative.snapshot

    @property
    def verdict(self) -> Verdict | None:
        return self.representative.verdict

    @property
    def reason(self) -> str | None:
        """The one reason that decided the verdict shown."""
        return deciding_reason(self.representative)

    @property
    def flagged(self) -> bool:
        return any(
            is_flagged_link(item)
            or (item.verdict is not None and item.verdict.label is VerdictLabel.UNVERIFIABLE)
            for item in self.items
        )

    @property
    def mentioned_only(self) -> bool:
        return self.role in (Role.MENTIONED, Role.CREDIT)  # a credit names a picture's maker, not a source


@dataclass(frozen=True, slots=True)
class DocumentSources:
    """A document's sources: those it relies on (`shown`) and those it only names (`also_named`)."""

    shown: tuple[SourceGroup, ...]
    also_named: tuple[SourceGroup, ...]

    @property
    def all(self) -> tuple[SourceGroup, ...]:
        """Every group in order of first appearance."""
        return tuple(
            sorted((*self.shown, *self.also_named), key=lambda group: group.items[0].citation.span.start)
        )

    @property
    def flagged(self) -> tuple[SourceGroup, ...]:
        return tuple(group for group in self.shown if group.flagged) + tuple(
            group for group in self.also_named if group.flagged
        )


def _representative(items: list[CitationResult]) -> CitationResult:
    strongest = min(role_rank(item.citation.role) for item in items)
    candidates = [item for item in items if role_rank(item.citation.role) == strongest]
    best = max(_score(item) for item in candidates)
    return next(item for item in candidates if _score(item) == best)


def group_sources(document: DocumentResult) -> DocumentSources:
    """Group a document's citations by source (see the module docstring)."""
    text = document.document.text if document.document is not None else ""
    grouped: dict[str, list[CitationResult]] = {}
    for item in document.citations:
        grouped.setdefault(source_key(item), []).append(item)
    shown: list[SourceGroup] = []
    also_named: list[SourceGroup] = []
    for key, items in grouped.items():
        representative = _representative(items)
        group = SourceGroup(
            key=key,
            items=tuple(items),
            representative=representative,
            quote=quoted_sentence(text, representative),
        )
        (also_named if group.mentioned_only else shown).append(group)
    return DocumentSources(shown=tuple(shown), also_named=tuple(also_named))


# A sentence ends at . ! ? (or their CJK forms) with any closing quotes or brackets, before white space
# and the start of the next sentence. A period after a single letter ("U.S."), a digit group or a short
# capitalised word ("Mr.", "Gen.", "Jan.") is taken for an abbreviation.
_SENTENCE_END = re.compile(
    r"(?<![\s.][A-Za-z])(?<!\b[A-Z][a-z])(?<!\b[A-Z][a-z]{2})(?<!^[A-Za-z])"
    r"[.!?][\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[A-Z0-9])"
    r"|[\u3002\uff01\uff1f][\u201d\u300d\u300f]*"
)
_LINE_BREAK = re.compile(r"\n")


def _sentence_in(line: str, start: int, end: int) -> tuple[int, int]:
    """Bounds of the sentence of `line` holding line[start:end]."""
    begin, finish = 0, len(line)
    for match in _SENTENCE_END.finditer(line):
        if match.end() <= start:
            begin = match.end()
        elif match.start() >= end:
            finish = match.end()
            break
    return begin, finish


def _shortened(sentence: str, start: int, end: int) -> str:
    """The sentence, or a window of it around [start, end) when it is longer than QUOTE_CHARS."""
    sentence_text = sentence.strip()
    if len(sentence) <= QUOTE_CHARS:
        return sentence_text
    room = max(0, (QUOTE_CHARS - (end - start)) // 2)
    left, right = max(0, start - room), min(len(sentence), end + room)
    return ("…" if left > 0 else "") + sentence[left:right].strip() + ("…" if right < len(sentence) else "")


def quoted_sentence(text: str, item: CitationResult) -> str:
    """The sentence of the document around a citation; without the document's text, the sentence of the
    citation's stored context that holds its words, or the words alone."""
    citation = item.citation
    start, end = citation.span.start, citation.span.end
    if text and 0 <= start <= end <= len(text) and text[start:end].strip():
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line = text[line_start : len(text) if line_end < 0 else line_end]
        begin, finish = _sentence_in(line, start - line_start, end - line_start)
        quote = _shortened(line[begin:finish], start - line_start - begin, end - line_start - begin)
        if _says_nothing_more(quote, citation.text):
            return _with_line_before(text, line_start, quote)
        return quote
    context = citation.context
    index = context.find(citation.text) if citation.text else -1
    if index < 0:
        return citation.text
    for line_start, line in _lines(context):
        if line_start <= index < line_start + len(line) + 1:
            local = index - line_start
            begin, finish = _sentence_in(line, local, local + len(citation.text))
            return _shortened(line[begin:finish], local - begin, local - begin + len(citation.text))
    return citation.text


def _says_nothing_more(quote: str, cited: str) -> bool:
    """A sentence that is the citation alone, as a URL on a line of its own in a reference list is."""
    return len(quote.strip(" \t-–—•*·:;,.()[]<>\"'")) <= len(cited) + 3


def _with_line_before(text: str, line_start: int, quote: str) -> str:
    """The last sentence of the nearest non-blank line above, then the quote: for a reference on a line
    of its own, that line says what is cited ("Source: Xinhua, March 20, 2021")."""
    before = text[max(0, line_start - 2000) : line_start].rstrip().rsplit("\n", 1)[-1].strip()
    if not before:
        return quote
    begin, _ = _sentence_in(before, len(before), len(before))
    lead = before[begin:].strip()
    if len(lead) > QUOTE_CHARS // 2:
        lead = "…" + lead[-(QUOTE_CHARS // 2) :]
    return f"{lead} {quote}"


def _lines(text: str) -> list[tuple[int, str]]:
    lines, offset = [], 0
    for line in _LINE_BREAK.split(text):
        lines.append((offset, line))
        offset += len(line) + 1
    return lines
