"""extract_citations(): the stages of extraction put together, one document at a time.

URLs and bare domains first, then the registry's names; the attribution grammar (reading.py) says which
names the document relies on, and layout (layout.py) settles names on source lines, in reference entries
and in "(Outlet, date)" parentheticals. A name inside someone else's quoted words, or imitated by a
spoof, is only mentioned. The publisher (publisher.py) speaking of itself is `self`.
"""

from __future__ import annotations

import re
from dataclasses import replace
from urllib.parse import urlsplit

from ..models import Citation, CitationKind, CitedDate, Document, Outlet, OutletType, Role, Span
from ..resolve.registry import Registry
from .chinese import chinese_cue, chinese_vague, has_cjk, starts_cjk
from .dates import find_dates
from .domains import FoundDomain, find_domains
from .layout import (
    LayoutCue,
    SourceLines,
    dateline_credits,
    media_list_regions,
    parenthetical,
    reference_entry,
)
from .lexicon import Lexicon, load_lexicon
from .misspelt import guess_name
from .occupied import Occupied
from .outlets import OutletHit, OutletMatcher, fold_punctuation, matcher_for
from .positions import with_source_lines
from .publisher import find_publisher
from .reading import CitedBy, Reading, read_document
from .reference_roles import with_references
from .sources import MEDIA_TYPES
from .structure import with_structure
from .textindex import TextIndex
from .urls import FoundUrl, diagnose, find_urls, normalise_url
from .vague import merge_spans

__all__ = ["extract_citations"]

# An archived copy's address carries the original one: web.archive.org/web/20210320/https://example.org/x
_ARCHIVED = re.compile(
    r"^https?://(?:web\.)?archive\.org/web/\d{1,14}[a-z_]*/(?P<original>.+)$", re.IGNORECASE
)
# "Ministry of Foreign Affairs", "Committee on Foreign Relations": a media outlet's name right after one of
# these is part of an institution's longer name (here not the magazine).
_INSIDE_LONGER_NAME = re.compile(
    r"\b(?:Ministry|Minister|Department|Secretary|Committee|Council|Office|Bureau|Commission|Institute"
    r"|School|Faculty|Centre|Center|Society|Association|Board|Directorate|Secretariat|Division)"
    r"[ \t]+(?:of|on|for)[ \t]+$"
)
# A link on a handle or a hashtag ("@jdoe", "#vote") goes to an account or a topic page, not to a text.
_HANDLE_ANCHOR = re.compile(r"[@#][\w.]+")
# A short number right after a name, then a comma or a word: "Canal 9 reported", "Canal 9, the channel".
_NUMBER_AFTER = re.compile(r"[^\S\n]\d{1,3}(?:[^\S\n]+([A-Za-z]+)|(,))")
_URL_UNDER_SOURCE_HOPS = 3  # lines of URLs between a source line and a URL that belongs to it
_SENTENCE_WORDS = 4  # a URL on a line with more words stands in a sentence of its own


def _lowered(text: str) -> str:
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)


def _users_post(url: str | None, outlet: Outlet | None, lexicon: Lexicon) -> bool:
    """A platform address that names the account posting ("twitter.com/jdoe/status/1", "/@jdoe/video/2"):
    the account is the source (one the registry does not know), the platform only its medium."""
    if url is None or outlet is None or outlet.type is not OutletType.PLATFORM:
        return False
    segments = [segment for segment in urlsplit(url).path.split("/") if segment]
    if len(segments) >= 2 and segments[0].startswith("@"):
        return True
    return len(segments) >= 3 and segments[1].lower() in lexicon.post_path_words


def _account_page(url: str | None, outlet: Outlet | None) -> bool:
    """A platform address of an account's own page ("twitter.com/jdoe", "youtube.com/@desk"), as in
    "follow her at ...": where someone posts, not a text."""
    if url is None or outlet is None or outlet.type is not OutletType.PLATFORM:
        return False
    parts = urlsplit(url)
    segments = [segment for segment in parts.path.split("/") if segment]
    return len(segments) == 1 and not parts.query and "." not in segments[0]


def _outlet_of(url: str | None, registry: Registry) -> Outlet | None:
    """The outlet a URL belongs to; for a Wayback Machine address, the outlet of the archived page."""
    if url is None:
        return None
    archived = _ARCHIVED.match(url)
    return registry.by_url(archived.group("original") if archived else url)


class _Extraction:
    """One document's extraction: the text, its index, and the citations made so far."""

    def __init__(self, document: Document, registry: Registry) -> None:
        self.document, self.registry = document, registry
        self.text = document.text
        self.folded = fold_punctuation(self.text)
        self.lowered = _lowered(self.folded)
        self.lexicon: Lexicon = load_lexicon()
        self.index = TextIndex(self.folded, self.lexicon)
        self.source_lines = SourceLines(self.index, self.lexicon)
        self.matcher: OutletMatcher = matcher_for(registry)
        self.publisher = find_publisher(document, self.folded, self.matcher.exact_hits, registry)
        self.citations: list[Citation] = []
        self.datelines = dateline_credits(self.index)  # agencies credited in wire datelines

    def add(self, kind: CitationKind, role: Role, start: int, end: int, **fields: object) -> None:
        text = fields.pop("text", None) or self.text[start:end]
        context = fields.pop("context", None) or self.index.context(start, end)
        self.citations.append(
            Citation(
                kind=kind,
                role=role,
                text=str(text),
                span=Span(start, end),
                line=self.index.line_number(start),
                context=str(context),
                **fields,  # type: ignore[arg-type]
            )
        )

    def role_of(self, outlet: Outlet | None, cited: bool, start: int = -1) -> Role:
        """Cited or mentioned; the publisher citing itself, or naming itself in its title or byline, is
        `self`."""
        publisher = self.publisher
        own = publisher is not None and outlet is not None and outlet.id == publisher.outlet.id
        if (
            own
            and publisher is not None
            and publisher.line
            and publisher.line[0] <= start < publisher.line[1]
        ):
            return Role.SELF
        if not cited:
            return Role.MENTIONED
        return Role.SELF if own else Role.CITED

    # --- URLs -----------------------------------------------------------------------------------------

    def _more_words_than(self, offset: int, words: int) -> bool:
        line_start, line_end = self.index.line_bounds(offset)
        return len(self.folded[line_start:line_end].split()) > words

    def url_cue(self, start: int) -> LayoutCue | None:
        """A URL on, or right under, a "Source: Outlet, date" line (or numbered source item) is that
        source's. (Reference entries date their URLs in reference_roles.py.)"""
        own = self.source_lines.at(start)
        if own is not None:
            return LayoutCue(own[2], self._line_date(own[0], own[1]))
        if not self._more_words_than(start, _SENTENCE_WORDS):
            line = self.index.previous_nonempty_line(start)
            for _ in range(_URL_UNDER_SOURCE_HOPS):
                if line is None:
                    break
                source = self.source_lines.at(line[0])
                if source is not None:
                    return LayoutCue(source[2], self._line_date(source[0], source[1]))
                if "http" not in self.folded[line[0] : line[1]]:
                    break
                line = self.index.previous_nonempty_line(line[0])
        return None

    def _line_date(self, start: int, end: int) -> CitedDate | None:
        dates = find_dates(self.folded, start, end)
        return dates[0][2] if dates else None

    def section_before(self, start: int) -> str:
        """The prose a Source block closes: what an archived page should say."""
        window_start = max(0, start - 2500)
        previous_url = self.folded.rfind("http", window_start, start - 1)
        line_start = self.index.line_bounds(start)[0]
        section = self.folded[previous_url if previous_url > window_start else window_start : line_start]
        if previous_url > window_start:
            section = section[section.find("\n") + 1 :]
        return section.strip()[-1500:]

    def _on_handle(self, start: int) -> bool:
        """Whether the Markdown link whose target starts at `start` has a handle or hashtag as its text."""
        if not self.folded.startswith("](", start - 2):
            return False
        opening = self.folded.rfind("[", max(0, start - 80), start - 2)
        anchor = self.folded[opening + 1 : start - 2].strip()
        return opening >= 0 and _HANDLE_ANCHOR.fullmatch(anchor) is not None

    def add_urls(self, urls: list[FoundUrl]) -> None:
        for found in urls:
            cue = self.url_cue(found.start)
            outlet = _outlet_of(found.url, self.registry)
            if _users_post(found.url, outlet, self.lexicon):
                outlet = None  # the source is the account that posted, which the registry does not know
            on_source_line = cue is not None
            self.add(
                CitationKind.URL,
                # an image is shown, not cited; a handle's or a hashtag's page is no text
                Role.MENTIONED
                if found.image or _account_page(found.url, outlet)
                else self.role_of(outlet, not self._on_handle(found.start)),
                found.start,
                found.end,
                text=found.raw,
                url=found.url,
                malformed=found.malformed,
                date=cue.date if cue else None,
                outlet=outlet,
                cue=cue.cue if cue else None,
                context=self.section_before(found.start) if on_source_line else None,
            )
        in_text = {found.url for found in urls if found.url}
        for link in self.document.links:  # HTML hrefs and Markdown targets: the text holds only the anchor
            url = normalise_url(link.url)
            if url is not None and url in in_text:
                continue  # the anchor shows the same address, already cited
            cue = self.url_cue(link.anchor.start)
            outlet = _outlet_of(url, self.registry)
            if _users_post(url, outlet, self.lexicon):
                outlet = None
            anchor = self.folded[link.anchor.start : link.anchor.end].strip()
            self.add(
                CitationKind.URL,
                self.role_of(outlet, not _HANDLE_ANCHOR.fullmatch(anchor) and not _account_page(url, outlet)),
                link.anchor.start,
                link.anchor.end,
                text=link.url,
                url=url,
                malformed=diagnose(link.url),
                date=cue.date if cue else None,
                outlet=outlet,
                cue=cue.cue if cue else "link",
                context=self.index.context(link.anchor.start, max(link.anchor.start, link.anchor.end)),
            )

    # --- names -------------------------------------------------------------------------------------

    def layout_cue(self, start: int, end: int) -> LayoutCue | None:
        line = self.source_lines.cue(start, end)
        if line is not None:
            return line
        if starts_cjk(self.folded, start):
            chinese = chinese_cue(self.folded, start, end)
            if chinese is not None:
                return LayoutCue(chinese.cue, chinese.date)
        found = reference_entry(self.index, start, end) or parenthetical(self.index, start, end)
        if found is None and any(s <= start and end <= e for s, e in self.datelines):
            return LayoutCue("dateline", None)  # "TAIPEI (REUTERS, BLOOMBERG) -"
        return found

    def add_name(
        self, start: int, end: int, outlet: Outlet, reading: Reading, form: str, kind: CitationKind
    ) -> None:
        cited: CitedBy | LayoutCue | None = self.layout_cue(start, end)
        if cited is None and not self.index.in_quotes(start, end) and (start, end) not in reading.spoofed:
            cited = reading.cited.get((start, end))
        if form == "cue_alias" and cited is None:
            return  # a risky short name counts only with a cue of its own
        cue = cited.cue if cited is not None else None
        if form == "fuzzy":
            cue = f"{cue or 'listed'} (fuzzy match)"
        self.add(
            kind,
            self.role_of(outlet, cited is not None, start),
            start,
            end,
            date=cited.date if cited is not None else None,
            outlet=outlet,
            cue=cue,
        )

    def add_domains(self, domains: list[FoundDomain], reading: Reading) -> None:
        for domain in domains:
            outlet = self.registry.by_url(domain.host)
            if outlet is not None:
                self.add_name(domain.start, domain.end, outlet, reading, "domain", CitationKind.DOMAIN)
                self.citations[-1] = _with_url(self.citations[-1], normalise_url("http://" + domain.host))
                continue
            layout = self.layout_cue(domain.start, domain.end)
            self.add(
                CitationKind.DOMAIN,
                Role.CITED if layout else Role.MENTIONED,
                domain.start,
                domain.end,
                text=domain.raw,
                url=normalise_url("http://" + domain.host),
                date=layout.date if layout else None,
                cue=layout.cue if layout else None,
            )

    def name_hits(self, taken: list[tuple[int, int]]) -> list[OutletHit]:
        hits = [hit for hit in self.matcher.exact_hits(self.folded) if not self._inside_longer_name(hit)]
        occupied = Occupied(taken)
        return [hit for hit in hits if not occupied.overlaps(hit.start, hit.end)]

    def _inside_longer_name(self, hit: OutletHit) -> bool:
        return (
            self.folded.endswith((" of ", " on ", " for "), 0, hit.start)
            and hit.outlet.type in MEDIA_TYPES
            and _INSIDE_LONGER_NAME.search(self.folded, max(0, hit.start - 30), hit.start) is not None
        ) or self._numbered(hit)

    def _numbered(self, hit: OutletHit) -> bool:
        """ "Radio Sur 18 reported", "Canal 9, a local station,": a number after the name belongs to a
        longer name (a day or a year after a name is followed by a month or stands alone: not here)."""
        number = _NUMBER_AFTER.match(self.folded, hit.end)
        if number is None:
            return False
        word = (number.group(1) or number.group(2)).lower()
        lexicon = self.lexicon
        return word == "," or word in lexicon.reporting_verbs or word in lexicon.auxiliaries

    def dateline_names(self, hits: list[OutletHit]) -> list[OutletHit]:
        """Agencies a wire dateline credits that the name scan missed, written in capitals ("REUTERS")."""
        found = []
        occupied = Occupied((hit.start, hit.end) for hit in hits)
        for start, end in self.datelines:
            if occupied.overlaps(start, end):
                continue
            outlets = self.registry.by_name(self.folded[start:end])
            if outlets:
                found.append(OutletHit(start, end, outlets[0], "alias"))
        return found

    def listed_names(self, hits: list[OutletHit]) -> list[OutletHit]:
        """Misspelt names in a list of outlets ("four media organizations: ...") or on a source line."""
        regions = media_list_regions(self.index, self.lexicon)
        for line_start in self.index.line_starts:
            line = self.source_lines.at(line_start)
            if line is not None:
                regions.append((line[0], line[1]))
        found: list[OutletHit] = []
        tried: dict[str, tuple[str, float] | None] = {}
        occupied = Occupied((hit.start, hit.end) for hit in hits)
        for start, end in regions:
            for phrase_start, phrase_end in self.matcher.phrases(self.folded, start, end):
                if occupied.overlaps(phrase_start, phrase_end):
                    continue
                hit = guess_name(self.matcher, self.folded, phrase_start, phrase_end, tried)
                if hit is not None:
                    found.append(hit)
                    occupied.add(hit.start, hit.end)  # inside the phrase, so clear of every other
        return found

    def add_unregistered(self, reading: Reading) -> None:
        """Organisations the registry does not know, cited under their own names (once per span: a name
        two cues point at is one citation)."""
        seen: set[tuple[int, int]] = set()
        for start, end, outlet, cited_by in reading.unregistered:
            if (start, end) in seen or self.index.in_quotes(start, end):
                continue
            seen.add((start, end))
            self.add(
                CitationKind.OUTLET,
                Role.CITED,
                start,
                end,
                outlet=outlet,
                cue=cited_by.cue,
                date=cited_by.date,
            )

    def add_vague(self, reading: Reading) -> None:
        spans = list(reading.vague)
        if not self.folded.isascii() and has_cjk(self.folded):
            spans += chinese_vague(self.folded)
        for start, end in merge_spans(spans):
            self.add(CitationKind.VAGUE, Role.CITED, start, end, cue="vague attribution")


def _with_url(citation: Citation, url: str | None) -> Citation:
    return replace(citation, url=url)


def extract_citations(document: Document, registry: Registry) -> list[Citation]:
    extraction = _Extraction(document, registry)
    urls = find_urls(extraction.text, extraction.lowered)
    extraction.add_urls(urls)
    url_spans = [(found.start, found.end) for found in urls]
    domains = find_domains(extraction.text, url_spans)
    hits = extraction.name_hits(url_spans + [(d.start, d.end) for d in domains])
    domain_hits = [
        OutletHit(d.start, d.end, outlet, "domain")
        for d in domains
        if (outlet := registry.by_url(d.host)) is not None
    ]
    hits += extraction.dateline_names(hits)
    listed = extraction.listed_names(hits)
    reading = read_document(
        extraction.index,
        extraction.lowered,
        [*hits, *listed, *domain_hits],
        extraction.lexicon,
        registry,
        extraction.matcher,
    )
    for start, end, outlet, form in sorted(
        [*hits, *listed, *reading.fuzzy], key=lambda hit: (hit.start, hit.end)
    ):
        extraction.add_name(start, end, outlet, reading, form, CitationKind.OUTLET)
    for start, end, outlet, cited_by in reading.titled:
        extraction.add(
            CitationKind.OUTLET,
            extraction.role_of(outlet, True),
            start,
            end,
            outlet=outlet,
            cue=f"{cited_by.cue} (title)",
            date=cited_by.date,
        )
    extraction.add_unregistered(reading)
    extraction.add_domains(domains, reading)
    extraction.add_vague(reading)
    ordered = sorted(extraction.citations, key=lambda c: (c.span.start, c.span.end))
    # What the text's own reference entries say first; then what the input's markup says, which wins.
    referenced = with_references(document, ordered, registry)
    return with_source_lines(document, with_structure(document, referenced, registry))
