"""extract_citations(): the stages of extraction put together, one document at a time."""

from __future__ import annotations

import bisect
import re
from dataclasses import fields
from operator import itemgetter

from ..models import Citation, CitationKind, CitedDate, Document, Outlet, Role, Span
from ..resolve.registry import Registry
from .chinese import chinese_vague, has_cjk
from .cues import MEDIA_TYPES, Cue, CuePositions, TextIndex, classify, cue_word_hits
from .domains import find_domains
from .lexicon import Lexicon, load_lexicon
from .outlets import OutletHit, PhraseRuns, fold_punctuation, matcher_for
from .positions import with_source_lines
from .reference_roles import with_references
from .structure import with_structure
from .urls import diagnose, find_urls, normalise_url
from .vague import find_vague

__all__ = ["extract_citations"]

_CONTEXT_CHARS = 600
_START = itemgetter(0)  # an OutletHit's start, read in C

# Citation and Span are frozen dataclasses: their generated __init__ sets each field through
# object.__setattr__, and a Citation called with keywords costs about 2.5 µs that way, a sixth of all
# the time a citation takes here. These two make the same objects the same way, calling
# object.__setattr__ themselves: compiled, each call is a direct C call to the generic setter
# (PyObject_GenericSetAttr), about four times faster than the keyword call. The fields and their
# defaults must stay those of the classes: tests/extract/test_citations_made.py compares them.
_SPAN_FIELDS = ("start", "end")
_CITATION_FIELDS = (
    *("kind", "role", "text", "span", "line"),
    *("url", "malformed", "date", "outlet", "cue", "context", "page", "archive_url"),
)
if tuple(field.name for field in fields(Span)) != _SPAN_FIELDS or (
    tuple(field.name for field in fields(Citation)) != _CITATION_FIELDS
):
    raise ImportError("citecheck.extract.citations: update _span() and _citation() to the models' fields")


def _span(start: int, end: int) -> Span:
    span = object.__new__(Span)
    object.__setattr__(span, "start", start)
    object.__setattr__(span, "end", end)
    return span


def _citation(
    kind: CitationKind,
    role: Role,
    text: str,
    span: Span,
    line: int,
    url: str | None = None,
    malformed: str | None = None,
    date: CitedDate | None = None,
    outlet: Outlet | None = None,
    cue: str | None = None,
    context: str = "",
    page: int | None = None,
    archive_url: str | None = None,
) -> Citation:
    citation = object.__new__(Citation)
    object.__setattr__(citation, "kind", kind)
    object.__setattr__(citation, "role", role)
    object.__setattr__(citation, "text", text)
    object.__setattr__(citation, "span", span)
    object.__setattr__(citation, "line", line)
    object.__setattr__(citation, "url", url)
    object.__setattr__(citation, "malformed", malformed)
    object.__setattr__(citation, "date", date)
    object.__setattr__(citation, "outlet", outlet)
    object.__setattr__(citation, "cue", cue)
    object.__setattr__(citation, "context", context)
    object.__setattr__(citation, "page", page)
    object.__setattr__(citation, "archive_url", archive_url)
    return citation


def _context(index: TextIndex, start: int, end: int) -> str:
    sentence_start, sentence_end = index.sentence_bounds(start, end)
    return index.text[sentence_start:sentence_end].strip()[:_CONTEXT_CHARS]


def _section_before(index: TextIndex, start: int) -> str:
    """The prose a Source block closes: what an archived page should say."""
    text = index.text
    window_start = max(0, start - 2500)
    previous_url = text.rfind("http", window_start, start - 1)
    line_start = index.line_bounds(start)[0]
    section = text[previous_url if previous_url > window_start else window_start : line_start]
    if previous_url > window_start:
        section = section[section.find("\n") + 1 :]
    return section.strip()[-1500:]


def _more_words_than(index: TextIndex, offset: int, words: int) -> bool:
    """Whether the line holding `offset` has more than `words` words; a long paragraph is not copied."""
    line_start, line_end = index.line_bounds(offset)
    text = index.text
    if text.count(" ", line_start, line_end) < words:  # fewer spaces than that: it cannot
        return False
    if line_end - line_start > 2000:  # a paragraph, with spaces enough: not worth copying to count
        return True
    return len(text[line_start:line_end].split()) > words


def _url_cue(index: TextIndex, start: int) -> Cue | None:
    """A URL on, or right under, a "Source: Outlet, date" line (or numbered source item) belongs to it."""
    own = index.source_line_at(start)
    if own is not None:
        return classify(index, load_lexicon(), own[0], own[0], None)
    if _more_words_than(index, start, 4):
        return None  # the URL stands in a sentence of its own, not under a source line ("Available at: URL")
    line = index.previous_nonempty_line(start)
    hops = 0
    while line is not None and hops < 3:
        source = index.source_line_at(line[0])
        if source is not None:
            return classify(index, load_lexicon(), source[0], source[0], None)
        if "http" not in index.text[line[0] : line[1]]:
            return None
        line = index.previous_nonempty_line(line[0])
        hops += 1
    return None


# A line that starts, after any spaces, with a digit or a list mark: it may be a numbered source item.
_ITEM_LINE = re.compile(r"\n[^\S\n]*[\d\-*\u2022\[]")


def _item_lines(text: str, line_starts: list[int]) -> list[int]:
    """The lines _ITEM_LINE finds in "\\n" + text (the offset in `text` of each such line), read line
    by line: spaces but line breaks, then a decimal digit (\\d) or a list mark."""
    found = []
    length = len(text)
    for line_start in line_starts:
        at = line_start
        while at < length and text[at] != "\n" and text[at].isspace():
            at += 1
        if at < length and (text[at].isdecimal() or text[at] in "-*\u2022["):
            found.append(line_start)
    return found


def _source_lines(index: TextIndex) -> list[tuple[int, int]]:
    """Lines that source_line_at() accepts: only lines with a colon or a list mark can be."""
    text = index.text
    candidates = {index.line_bounds(colon)[0] for colon in index.colons}
    candidates.update(_item_lines(text, index.line_starts))
    lines = []
    for line_start in sorted(candidates):
        source = index.source_line_at(line_start)
        if source is not None:
            lines.append((source[0], source[1]))
    return lines


def _fuzzy_hits(
    index: TextIndex,
    folded: str,
    lexicon: Lexicon,
    registry: Registry,
    exact: list[OutletHit],
    cue_hits: list[tuple[int, int, bool]] | None = None,
) -> list[OutletHit]:
    """Misspelt names, tried only where a cue makes a citation likely.

    The capitalised phrases are looked for only where a cue points: right after a leading cue, right
    before a reporting verb, in a list of media outlets or on a source line.
    """
    matcher = matcher_for(registry)
    positions = CuePositions(folded, lexicon, index.lowered, cue_hits)
    phrases = PhraseRuns(folded)
    taken = sorted((hit.start, hit.end) for hit in exact)
    starts = [start for start, _ in taken]

    def matched_exactly(offset: int) -> bool:
        position = bisect.bisect_right(starts, offset)
        return position > 0 and taken[position - 1][1] > offset

    cued: set[tuple[int, int]] = set()
    # A phrase holding a character of a name matched exactly is never tried, so neither is its cue.
    for name_start in positions.name_starts:
        if not matched_exactly(name_start):
            cued.update(phrases.starting_at(name_start))
    for name_end in positions.name_ends:
        if not matched_exactly(name_end - 1) and phrases.may_end_at(name_end):
            cued.update(phrases.ending_at(name_end))
    for region_start, region_end in index.media_list_regions(lexicon):
        cued.update(phrases.starting_in(region_start, region_end))
    for line_start, line_end in _source_lines(index):
        cued.update(phrases.on_line(line_start, line_end))
    found: list[OutletHit] = []
    tried: dict[str, tuple[str, float] | None] = {}  # fuzzy look-ups already made in this document
    for phrase_start, phrase_end in sorted(cued):
        position = bisect.bisect_left(starts, phrase_end)
        if position and taken[position - 1][1] > phrase_start:
            continue  # overlaps a name already matched exactly
        hit = matcher.fuzzy_hit(folded, phrase_start, phrase_end, tried)
        if hit is not None:
            found.append(hit)
    return found


# An archived copy's address carries the original one: web.archive.org/web/20210320/https://example.org/x
_ARCHIVED = re.compile(
    r"^https?://(?:web\.)?archive\.org/web/\d{1,14}[a-z_]*/(?P<original>.+)$", re.IGNORECASE
)


def _outlet_of(url: str | None, registry: Registry) -> Outlet | None:
    """The outlet a URL belongs to; for a Wayback Machine address, the outlet of the archived page."""
    if url is None:
        return None
    archived = _ARCHIVED.match(url)
    return registry.by_url(archived.group("original") if archived else url)


# "Ministry of Foreign Affairs", "Committee on Foreign Relations": a media outlet's name right after one of
# these is part of an institution's longer name (here not the magazine), unless the registry knows the
# longer name itself. With "of the" it is an owner ("Department of the Communist Party") and stays.
_INSIDE_LONGER_NAME = re.compile(
    r"\b(?:Ministry|Minister|Department|Secretary|Committee|Council|Office|Bureau|Commission|Institute"
    r"|School|Faculty|Centre|Center|Society|Association|Board|Directorate|Secretariat|Division)"
    r"[ \t]+(?:of|on|for)[ \t]+$"
)


def _inside_longer_name(text: str, hit: OutletHit) -> bool:
    return (
        text.endswith((" of ", " on ", " for "), 0, hit.start)
        and hit.outlet.type in MEDIA_TYPES
        and _INSIDE_LONGER_NAME.search(text, max(0, hit.start - 30), hit.start) is not None
    )


def _possessive_gap(text: str, end: int, next_start: int) -> bool:
    return text[end:next_start] in ("'s ", "' ", "s' ")


def _possessive_owner_start(text: str, start: int) -> int | None:
    """Where a capitalised owner of up to three words stands before a name in the possessive ("China's
    Xinhua", "the Kremlin's RT", "Iran's Press TV"), or None."""
    if not text.endswith("'s ", 0, start):
        return None
    owner: int | None = None
    position = start - 3  # the end of the owner's last word
    for _ in range(3):
        word_start = position
        while word_start > 0 and (text[word_start - 1].isalnum() or text[word_start - 1] in ".-&"):
            word_start -= 1
        if word_start == position or not text[word_start].isupper():
            break
        owner = word_start
        if word_start == 0 or text[word_start - 1] != " ":
            break
        position = word_start - 1
    return owner


def extract_citations(document: Document, registry: Registry) -> list[Citation]:
    text = document.text
    folded = fold_punctuation(text)
    index = TextIndex(folded)
    lexicon = load_lexicon()
    citations: list[Citation] = []
    spans: list[tuple[int, int]] = []  # each citation's (span.start, span.end), for the final sort

    urls = find_urls(text, index.lowered)
    for found in urls:
        cue = _url_cue(index, found.start)
        context = _section_before(index, found.start) if cue else _context(index, found.start, found.end)
        spans.append((found.start, found.end))
        citations.append(
            _citation(
                kind=CitationKind.URL,
                role=Role.MENTIONED if found.image else Role.CITED,  # an image is shown, not cited
                text=found.raw,
                span=_span(found.start, found.end),
                line=index.line_number(found.start),
                url=found.url,
                malformed=found.malformed,
                date=cue.date if cue else None,
                outlet=_outlet_of(found.url, registry),
                cue=cue.cue if cue else None,
                context=context,
            )
        )
    in_text = {c.url for c in citations if c.url}
    for link in document.links:  # HTML hrefs: the visible text holds only the anchor
        url = normalise_url(link.url)
        if url is not None and url in in_text:
            continue  # the anchor text shows the same address, already cited above
        source = _url_cue(index, link.anchor.start)
        spans.append((link.anchor.start, link.anchor.end))
        citations.append(
            _citation(
                kind=CitationKind.URL,
                role=Role.CITED,
                text=link.url,
                span=link.anchor,
                line=index.line_number(link.anchor.start),
                url=url,
                malformed=diagnose(link.url),
                date=source.date if source else None,
                outlet=_outlet_of(url, registry),
                cue=source.cue if source else "link",
                context=_context(index, link.anchor.start, max(link.anchor.start, link.anchor.end)),
            )
        )

    url_spans = [(found.start, found.end) for found in urls]
    domains = find_domains(text, url_spans)
    taken = url_spans + [(domain.start, domain.end) for domain in domains]
    for domain in domains:
        outlet = registry.by_url(domain.host)
        cue = classify(index, lexicon, domain.start, domain.end, outlet)
        spans.append((domain.start, domain.end))
        citations.append(
            _citation(
                kind=CitationKind.DOMAIN,
                role=cue.role,
                text=domain.raw,
                span=_span(domain.start, domain.end),
                line=index.line_number(domain.start),
                url=normalise_url("http://" + domain.host),
                date=cue.date,
                outlet=outlet,
                cue=cue.cue,
                context=_context(index, domain.start, domain.end),
            )
        )

    # One pass finds the cue words and the vague triggers, where the lower-cased text is usable for both.
    lowered = index.lowered
    cue_hits, vague_triggers = (None, None) if lowered is None else cue_word_hits(lowered, lexicon)
    matcher = matcher_for(registry)
    exact = [hit for hit in matcher.exact_hits(folded) if not _inside_longer_name(folded, hit)]
    if taken:
        exact = [hit for hit in exact if not any(s < hit.end and hit.start < e for s, e in taken)]
    fuzzy = _fuzzy_hits(index, folded, lexicon, registry, exact, cue_hits)
    hits = sorted([*exact, *fuzzy], key=_START)  # by start, stably
    cues = [classify(index, lexicon, hit.start, hit.end, hit.outlet) for hit in hits]
    for position, ((start, end, outlet, form), cue) in enumerate(zip(hits, cues, strict=True)):
        if cue.role is Role.MENTIONED:
            owner_start = _possessive_owner_start(folded, start)
            if owner_start is not None:
                # "According to China's Xinhua": the cue before the owner is the outlet's.
                owned = classify(index, lexicon, owner_start, end, outlet)
                if owned.role is Role.CITED:
                    cue = owned
        following = hits[position + 1] if position + 1 < len(hits) else None
        if following is not None and cue.role is Role.CITED and _possessive_gap(folded, end, following.start):
            # "the Chinese Communist Party's Central Organization Department": the survey is the
            # department's; the party is only named as its owner.
            cue = Cue(Role.MENTIONED, None, None)
        if form == "cue_alias" and cue.role is Role.MENTIONED:
            continue  # a risky short name counts only with a cue of its own ("Iran's Press TV" is not one)
        spans.append((start, end))
        citations.append(
            _citation(
                kind=CitationKind.OUTLET,
                role=cue.role,
                text=text[start:end],
                span=_span(start, end),
                line=index.line_number(start),
                date=cue.date,
                outlet=outlet,
                cue=cue.cue if form != "fuzzy" else f"{cue.cue or 'listed'} (fuzzy match)",
                context=_context(index, start, end),
            )
        )

    vague = find_vague(folded, lexicon, index.lowered, vague_triggers)
    if not folded.isascii() and has_cjk(folded):
        vague = sorted([*vague, *chinese_vague(folded)])
    for start, end in vague:
        spans.append((start, end))
        citations.append(
            _citation(
                kind=CitationKind.VAGUE,
                role=Role.CITED,
                text=text[start:end],
                span=_span(start, end),
                line=index.line_number(start),
                cue="vague attribution",
                context=_context(index, start, end),
            )
        )
    # By span, stably, as citations.sort(key=lambda c: (c.span.start, c.span.end)) would, but with a key
    # function in C instead of a Python call (and three attribute reads) for each citation.
    order = sorted(range(len(citations)), key=spans.__getitem__)
    # What the text's own reference entries say first; then what the input's markup says, which wins.
    referenced = with_references(document, [citations[position] for position in order], registry)
    return with_source_lines(document, with_structure(document, referenced, registry))
