"""Typed values that the pipeline stages hand each other.

ingest -> Document; extract -> Citation; resolve -> Outlet on each Citation; check -> LinkCheck;
archive -> Snapshot; score -> Verdict; the pipeline gathers them into a RunResult.
Every closed vocabulary is a StrEnum whose values are the strings of the JSON report contract.
"""

from __future__ import annotations

import bisect
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

__all__ = [
    "Affiliation",
    "ArchiveMatch",
    "ArchivedPage",
    "Citation",
    "CitationKind",
    "CitationResult",
    "CitedDate",
    "Document",
    "DocumentResult",
    "FailureStreak",
    "LinkCheck",
    "LinkStatus",
    "Outlet",
    "Reference",
    "OutletType",
    "Role",
    "RunResult",
    "Snapshot",
    "SkippedInput",
    "SourceLink",
    "Span",
    "Verdict",
    "VerdictLabel",
]


class CitationKind(StrEnum):
    URL = "url"
    DOMAIN = "domain"
    OUTLET = "outlet"
    VAGUE = "vague"
    WORK = "work"  # a work or publisher not in the registry ("(Smith, 2013)"): its outlet is the work itself


class Role(StrEnum):
    CITED = "cited"
    MENTIONED = "mentioned"
    SELF = "self"
    CREDIT = "credit"  # credited for a photo or video ("Photo: Reuters"): named, not relied on


class OutletType(StrEnum):
    STATE_MEDIA = "state_media"
    PUBLIC_BROADCASTER = "public_broadcaster"
    WIRE_SERVICE = "wire_service"
    NEWSPAPER = "newspaper"
    BROADCASTER = "broadcaster"
    DIGITAL_NATIVE = "digital_native"
    THINK_TANK = "think_tank"
    ADVOCACY = "advocacy"
    GOVERNMENT = "government"
    INTERGOVERNMENTAL = "intergovernmental"
    ACADEMIC = "academic"
    CORPORATE = "corporate"
    LEAK = "leak"
    PLATFORM = "platform"
    UNKNOWN = "unknown"


class Affiliation(StrEnum):
    """How closely a state controls an outlet (editorial control vs. money only)."""

    CONTROLLED = "controlled"
    FUNDED = "funded"
    NONE = "none"


class LinkStatus(StrEnum):
    """What a link check found.

    `failing` and `dead` are verdicts over the link's history: a check that fails hard (not found, a
    soft 404, no such host, a server or connection error, a timeout) makes the link `failing`, and it
    becomes `dead` only after `network.dead_after_checks` failed checks spanning at least
    `network.dead_after_days` days with no success between them (`LinkCheck.cause` keeps what this check
    saw). `check_links` alone, without a history, reports the raw classes, `dead` for 404 and 410.
    """

    ALIVE = "alive"
    REDIRECTED = "redirected"
    FAILING = "failing"
    DEAD = "dead"
    BLOCKED = "blocked"
    SERVER_ERROR = "server_error"
    SOFT_404 = "soft_404"
    DNS_ERROR = "dns_error"
    CONNECT_ERROR = "connect_error"
    TLS_ERROR = "tls_error"
    TIMEOUT = "timeout"
    TOO_LARGE = "too_large"
    MALFORMED = "malformed"
    REFUSED = "refused"
    UNKNOWN_OFFLINE = "unknown_offline"
    EXCLUDED = "excluded"  # matched an exclude pattern (--exclude, .citecheckignore): not checked

    @property
    def is_broken(self) -> bool:
        """The cited page cannot be read at its address now (failing or for good)."""
        return self in _BROKEN

    @property
    def is_confirmed_broken(self) -> bool:
        """Broken for good: confirmed dead, malformed as written, or an address no reader can open."""
        return self in _CONFIRMED_BROKEN

    @property
    def is_transient(self) -> bool:
        """A finding about the network at that moment, not about the page: worth checking again soon."""
        return self in _TRANSIENT

    @property
    def is_hard_failure(self) -> bool:
        """What one check may see that makes a link `failing`: the page cannot be read at all."""
        return self in _HARD_FAILURES

    @property
    def is_success(self) -> bool:
        """The page answered as itself: ends a failure streak."""
        return self in _SUCCESSES


_CONFIRMED_BROKEN = frozenset({LinkStatus.DEAD, LinkStatus.MALFORMED, LinkStatus.REFUSED})
_BROKEN = _CONFIRMED_BROKEN | frozenset(
    {
        LinkStatus.FAILING,
        # the raw classes, as check_links reports them and as runs stored them before `failing`
        LinkStatus.SOFT_404,
        LinkStatus.DNS_ERROR,
        LinkStatus.SERVER_ERROR,
        LinkStatus.CONNECT_ERROR,
        LinkStatus.TLS_ERROR,
        LinkStatus.TIMEOUT,
    }
)
_TRANSIENT = frozenset({LinkStatus.UNKNOWN_OFFLINE, LinkStatus.TIMEOUT, LinkStatus.CONNECT_ERROR})
_HARD_FAILURES = frozenset(
    {
        LinkStatus.DEAD,
        LinkStatus.SOFT_404,
        LinkStatus.DNS_ERROR,
        LinkStatus.SERVER_ERROR,
        LinkStatus.CONNECT_ERROR,
        LinkStatus.TLS_ERROR,
        LinkStatus.TIMEOUT,
    }
)
_SUCCESSES = frozenset({LinkStatus.ALIVE, LinkStatus.REDIRECTED, LinkStatus.TOO_LARGE})


class ArchiveMatch(StrEnum):
    MATCHED = "matched"
    PARTIAL = "partial"
    MISMATCH = "mismatch"
    NOT_CHECKED = "not_checked"


class VerdictLabel(StrEnum):
    STRONG = "strong"
    ADEQUATE = "adequate"
    WEAK = "weak"
    UNVERIFIABLE = "unverifiable"


@dataclass(frozen=True, slots=True)
class Span:
    """Half-open character range [start, end) in a document's text."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class SourceLink:
    """A link that is not in the visible text: an HTML href or a Markdown link target."""

    url: str
    anchor: Span  # where the anchor text sits in Document.text


@dataclass(frozen=True, slots=True)
class Reference:
    """A reference the document's own markup structures (a wiki <ref> with a citation template).

    `span` is where its rendered entry stands in Document.text; the other fields are what the editor
    wrote in the template, kept as written (dates still to be parsed).
    """

    number: int  # as readers see it: [3]
    span: Span
    template: str | None = None  # "cite news", or None for a bare <ref>URL</ref>
    url: str | None = None
    work: str | None = None  # work, newspaper, website, journal ... (the outlet)
    publisher: str | None = None
    date: str | None = None
    archive_url: str | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """One input, decoded and NFC-normalised; `text` is what every later stage reads."""

    path: str
    sha256: str
    text: str
    size: int
    encoding: str
    media_type: str  # "text/plain", "text/markdown" or "text/html"
    title: str | None = None
    links: tuple[SourceLink, ...] = ()
    # Where text[i] stands in the decoded input, where that is not offset i (NFC moved it, Markdown
    # emphasis or HTML markup stood before it): sorted (index in text, offset in the decoded input)
    # pairs, offsets advancing one by one until the next pair. Empty when nothing moved. Kept sparse so a
    # 15 MB document with one combining accent costs one pair, not fifteen million offsets.
    offset_map: tuple[tuple[int, int], ...] = ()
    # The same for where a span ending at index i ends in the input, where that is not where text[i]
    # starts: "Reuters" in "<b>Reuters</b>." ends before "</b>", and "&amp;" is five characters. Empty
    # when spans end where the next character starts (plain text).
    end_map: tuple[tuple[int, int], ...] = ()
    # Offsets in the decoded input where each of its lines starts (the first at 0), for a document whose
    # text has other lines than its input (HTML); empty when the text's lines are the input's.
    source_lines: tuple[int, ...] = ()
    # Offsets in `text` where pages 2, 3, ... begin (a PDF, or plain text with form feeds between
    # pages as pdftotext writes them); empty when the input has no pages.
    page_starts: tuple[int, ...] = ()
    date: CitedDate | None = None  # the document's own date from its metadata (a web page's)
    publisher: str | None = None  # its own publisher from its metadata: the `self` outlet
    references: tuple[Reference, ...] = ()
    note: str | None = None  # how it was read, when a reader should know ("archived copy of ...")

    def page_at(self, index: int) -> int | None:
        """The page (from 1) holding text[index], or None for a document without pages."""
        if not self.page_starts:
            return None
        return bisect.bisect_right(self.page_starts, index) + 1

    def original_offset(self, index: int) -> int:
        """Offset in the decoded input of text[index]: where a span starting there starts."""
        return _mapped(self.offset_map, index)

    def original_end(self, index: int) -> int:
        """Offset in the decoded input where a span ending at `index` (exclusive) ends."""
        return _mapped(self.end_map, index) if self.end_map else self.original_offset(index)

    def original_span(self, span: Span) -> tuple[int, int]:
        """Where text[span.start:span.end] stands in the decoded input, as (start, end); an empty span
        stays empty."""
        start = self.original_offset(span.start)
        return start, (self.original_end(span.end) if span.end > span.start else start)

    def original_line(self, index: int) -> int | None:
        """The input's line (from 1) holding text[index], when the text's lines are not the input's."""
        if not self.source_lines:
            return None
        return bisect.bisect_right(self.source_lines, self.original_offset(index))


def _mapped(points: tuple[tuple[int, int], ...], index: int) -> int:
    if not points:
        return index
    found = bisect.bisect_right(points, (index, sys.maxsize)) - 1
    if found < 0:
        return index
    here, original = points[found]
    return original + index - here


@dataclass(frozen=True, slots=True)
class CitedDate:
    """A date as the document gives it; the year stays unknown rather than guessed, and a year alone
    (an author-year citation, "(Smith, 2013)") has no month."""

    year: int | None
    month: int | None
    day: int | None = None

    def iso(self) -> str:
        """YYYY-MM-DD, or the ISO 8601 reduced forms YYYY-MM, YYYY, --MM-DD, --MM for missing parts."""
        if self.month is None:
            return f"{self.year:04d}"
        month = f"{self.month:02d}"
        if self.year is None:
            return f"--{month}-{self.day:02d}" if self.day else f"--{month}"
        if self.day is None:
            return f"{self.year:04d}-{month}"
        return f"{self.year:04d}-{month}-{self.day:02d}"


@dataclass(frozen=True, slots=True)
class Outlet:
    """What the registry knows about a source: who it is, who owns and funds it."""

    id: str
    name: str
    type: OutletType
    country: str | None = None
    owner: str | None = None
    funder: str | None = None
    state_affiliation: Affiliation = Affiliation.NONE
    note: str | None = None
    parent: str | None = None
    sources: tuple[str, ...] = ()
    # Who controls it, the same string for everything under one control: "CN:CCP", "RU:state" for a
    # state or ruling body (a country code, a colon), otherwise the owning company or group; None: unknown.
    controller: str | None = None
    aliases: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()
    cue_aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    hints: tuple[str, ...] = ()
    short_names: tuple[str, ...] = ()  # "the Times": names it only after its full name in the same text
    # How widely known it is, which settles a name several entries share when the document does not:
    # 0 derived from a list, 1 regional or specialist, 2 national, 3 known worldwide.
    prominence: int = 1

    @property
    def registered(self) -> bool:
        """Whether the registry holds this outlet. One it does not know (an organisation named in the
        text, "unregistered:...", or a work cited by author and year, "work:...") has an id with a colon,
        which no registry id has, so the answer survives the store."""
        return ":" not in self.id


@dataclass(frozen=True, slots=True)
class Citation:
    """One source the document leans on, kept next to the text it was found in."""

    kind: CitationKind
    role: Role
    text: str
    span: Span
    line: int
    url: str | None = None  # normalised; None for outlets and vague attributions
    malformed: str | None = None  # what is wrong with the URL as written
    date: CitedDate | None = None
    outlet: Outlet | None = None
    cue: str | None = None  # the words that made it a citation ("according to", "Source:")
    context: str = ""  # the sentence or line around it, for reports and archive matching
    page: int | None = None  # the page it stands on, for documents with pages (PDF)
    archive_url: str | None = None  # an archived copy the document itself gives (a wiki archive-url)


@dataclass(frozen=True, slots=True)
class LinkCheck:
    url: str
    status: LinkStatus
    http_status: int | None = None
    final_url: str | None = None
    error: str | None = None
    elapsed: float | None = None
    checked_at: datetime | None = None
    redirects: tuple[str, ...] = ()
    from_cache: bool = False
    cause: LinkStatus | None = None  # for `failing` and `dead`: what this check saw (dead = 404/410, ...)
    failures: int = 0  # failed checks in a row, this one included, with no success between them
    failing_since: datetime | None = None  # the first of those failures
    history: str | None = None  # the status with its history, as reports show it: "failing since
    # 2026-12-01, 2 of 3 checks", "dead after 3 failed checks since 2026-12-01"

    @property
    def is_transient(self) -> bool:
        """A failure worth checking again in minutes rather than a day: no network, a timeout, a
        connection error, a server asking us to slow down (429)."""
        return (
            self.status.is_transient
            or bool(self.cause and self.cause.is_transient)
            or self.http_status == 429
        )


@dataclass(frozen=True, slots=True)
class FailureStreak:
    """Failed checks of one URL since its last success, as its latest counted check left them."""

    failures: int
    since: datetime


@dataclass(frozen=True, slots=True)
class ArchivedPage:
    """An archived HTML page as read for content matching: enough to judge any citation against it."""

    title: str
    headline: str  # the title without the site's name ("Budget passes | Daily Example" -> "Budget passes")
    text: str  # main text, whitespace collapsed
    published: date | None = None
    complete: bool = True  # False when a cap or the deadline cut the reading short (check/page.py)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The archived copy of a URL nearest a date, as it bears on one citation.

    `found` means a copy is held: a capture that answered 2xx and is neither an error page nor a bot
    wall. Such captures are still described (`http_status`, `memento_url`, `evidence`) but are not a
    copy. `error` says why the look-up is incomplete ("archive not reached: ..."); with no `error`, an
    unfound copy means every archive answered and none holds one. `match` and the last lines of
    `evidence` judge the copy against one citation; `page` is the copy as read, so another citation
    of the same URL and date can be judged without asking the archive again.
    """

    url: str
    archive: str  # provider name from config
    found: bool
    memento_url: str | None = None
    memento_datetime: datetime | None = None
    http_status: int | None = None
    digest: str | None = None
    match: ArchiveMatch = ArchiveMatch.NOT_CHECKED
    evidence: tuple[str, ...] = ()
    recovered_url: str | None = None  # full address found for a truncated URL
    error: str | None = None
    page: ArchivedPage | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Verdict:
    score: int
    label: VerdictLabel
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CitationResult:
    citation: Citation
    link: LinkCheck | None = None
    snapshot: Snapshot | None = None
    verdict: Verdict | None = None

    @property
    def broken(self) -> bool:
        """A link a reader cannot follow now: malformed as written (even when the archive completed
        the address: the document still needs mending), or checked and broken. The one notion of
        "broken" that the score, the reports' flagged links and the exit code share."""
        if self.citation.malformed:
            return True
        return self.link is not None and self.link.status.is_broken

    @property
    def confirmed_broken(self) -> bool:
        """Broken for good, not just failing: malformed, confirmed dead, or refused."""
        if self.citation.malformed:
            return True
        return self.link is not None and self.link.status.is_confirmed_broken


@dataclass(frozen=True, slots=True)
class DocumentResult:
    path: str
    document: Document | None
    error: str | None = None
    citations: tuple[CitationResult, ...] = ()
    verdict: Verdict | None = None

    @property
    def sha256(self) -> str | None:
        return self.document.sha256 if self.document else None


@dataclass(frozen=True, slots=True)
class SkippedInput:
    """A file a directory walk passed over without reading it as a document, and why."""

    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class RunResult:
    """A run and its documents in input order.

    `documents` is a tuple when the run was built in memory (`extract_run`, `Store.load_run`); a run
    that `run_check` stored reads its documents from the database page by page on each pass, so a run
    of any size renders in flat memory. Iterate it, index it or take its len(), as with a tuple.
    """

    run_id: int | None
    started_at: datetime
    finished_at: datetime | None
    offline: bool
    documents: Sequence[DocumentResult] = field(default_factory=tuple)
    # An online run that found no network (the connectivity check failed): why, for every report's
    # header. Its links are unknown_offline and its archives were not reached.
    no_network: str | None = None
    # Files the directory walks passed over, and why (stored with the run, migration 0010).
    skipped: tuple[SkippedInput, ...] = ()
