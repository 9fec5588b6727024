"""A RunResult built by hand from the models, covering every case a report has to draw.

One small document cites: a live, archived URL (strong); a dead URL with no archived copy
(unverifiable); a state-media outlet with a year-less date; a vague attribution; and a hostile
citation whose text is a <script> tag and whose URL (and archive address) use the javascript: scheme.
A second document failed with an error. Building it by hand keeps the report tests independent of the
extract/check/archive stages, whose output is tested where it is made.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from citecheck.models import (
    Affiliation,
    ArchiveMatch,
    Citation,
    CitationKind,
    CitationResult,
    CitedDate,
    Document,
    DocumentResult,
    LinkCheck,
    LinkStatus,
    Outlet,
    OutletType,
    Role,
    RunResult,
    Snapshot,
    Span,
    Verdict,
    VerdictLabel,
)

LIVE_URL = "https://www.reuters.com/world/harbour-deal-signed-2021-03-04/"
LIVE_MEMENTO = (
    "https://web.archive.org/web/20210304120000/https://www.reuters.com/world/harbour-deal-signed-2021-03-04/"
)
DEAD_URL = "http://example-news.test/story/123?ref=a|b"
HOSTILE_TEXT = "<script>alert(1)</script>"
HOSTILE_URL = "javascript:alert(document.domain)"
HOSTILE_MEMENTO = "javascript:alert(3)"
# The document sets this flag from inline event handlers; a report that lets document HTML through
# would set it when the page loads.
PWNED_FLAG = "__citecheck_pwned"

TEXT = "\n".join(
    [
        "Harbour deal | briefing draft",
        f"Reuters reported the signing on 4 March 2021 ({LIVE_URL}).",
        f"The original statement at {DEAD_URL} is gone.",
        "According to RT, on 11 June the talks resumed.",
        'Sources familiar with the matter said the deal was "done".',
        f'See {HOSTILE_TEXT} {HOSTILE_URL} <img src=x onerror="window.{PWNED_FLAG}=1"> for more.',
        "",
    ]
)

REUTERS = Outlet(
    id="reuters",
    name="Reuters",
    type=OutletType.WIRE_SERVICE,
    country="GB",
    owner="Thomson Reuters",
    domains=("reuters.com",),
)
RT = Outlet(
    id="rt",
    name="RT",
    type=OutletType.STATE_MEDIA,
    country="RU",
    owner="TV-Novosti",
    funder="Government of Russia",
    state_affiliation=Affiliation.CONTROLLED,
    note="Formerly Russia Today.",
)


def _span(needle: str) -> Span:
    start = TEXT.index(needle)
    return Span(start, start + len(needle))


def _line(needle: str) -> int:
    return TEXT.count("\n", 0, TEXT.index(needle)) + 1


def _context(needle: str) -> str:
    return TEXT.splitlines()[_line(needle) - 1]


def _citation(kind: CitationKind, text: str, **fields: object) -> Citation:
    return Citation(
        kind=kind,
        role=Role.CITED,
        text=text,
        span=_span(text),
        line=_line(text),
        context=_context(text),
        **fields,  # type: ignore[arg-type]
    )


CHECKED_AT = datetime(2024, 5, 1, 10, 0, 5, tzinfo=UTC)

LIVE = CitationResult(
    citation=_citation(CitationKind.URL, LIVE_URL, url=LIVE_URL, outlet=REUTERS, date=CitedDate(2021, 3, 4)),
    link=LinkCheck(
        url=LIVE_URL, status=LinkStatus.ALIVE, http_status=200, final_url=LIVE_URL, checked_at=CHECKED_AT
    ),
    snapshot=Snapshot(
        url=LIVE_URL,
        archive="wayback",
        found=True,
        memento_url=LIVE_MEMENTO,
        memento_datetime=datetime(2021, 3, 4, 12, 0, 0, tzinfo=UTC),
        http_status=200,
        match=ArchiveMatch.MATCHED,
        evidence=("title matches: Harbour deal signed", "date 2021-03-04 on page"),
    ),
    verdict=Verdict(
        85, VerdictLabel.STRONG, ("wire service", "live link", "archived copy matches the citation")
    ),
)

DEAD = CitationResult(
    citation=_citation(CitationKind.URL, DEAD_URL, url=DEAD_URL),
    link=LinkCheck(url=DEAD_URL, status=LinkStatus.DEAD, http_status=404, checked_at=CHECKED_AT),
    snapshot=Snapshot(url=DEAD_URL, archive="wayback", found=False),
    verdict=Verdict(5, VerdictLabel.UNVERIFIABLE, ("link is dead (HTTP 404)", "no archived copy")),
)

STATE_MEDIA = CitationResult(
    citation=_citation(CitationKind.OUTLET, "RT", outlet=RT, cue="According to", date=CitedDate(None, 6, 11)),
    verdict=Verdict(30, VerdictLabel.WEAK, ("state-controlled outlet (RU)", "no link to the cited report")),
)

VAGUE = CitationResult(
    citation=_citation(CitationKind.VAGUE, "Sources familiar with the matter"),
    # The newline checks that Markdown cells and CSV fields keep a multi-line reason in one cell.
    verdict=Verdict(0, VerdictLabel.UNVERIFIABLE, ("anonymous attribution", "no named person\nor body")),
)

HOSTILE = CitationResult(
    citation=_citation(
        CitationKind.URL, HOSTILE_TEXT, url=HOSTILE_URL, malformed="unsupported scheme 'javascript'"
    ),
    link=LinkCheck(url=HOSTILE_URL, status=LinkStatus.MALFORMED, error="unsupported scheme"),
    snapshot=Snapshot(url=HOSTILE_URL, archive="pywb", found=True, memento_url=HOSTILE_MEMENTO),
    verdict=Verdict(0, VerdictLabel.UNVERIFIABLE, ("malformed URL: <b>javascript</b> scheme",)),
)

BRIEFING = DocumentResult(
    path="reports/harbour-briefing.md",
    document=Document(
        path="reports/harbour-briefing.md",
        sha256="0" * 64,
        text=TEXT,
        size=len(TEXT.encode()),
        encoding="utf-8",
        media_type="text/markdown",
        title="Harbour deal <b>briefing</b>",
    ),
    citations=(LIVE, DEAD, STATE_MEDIA, VAGUE, HOSTILE),
    verdict=Verdict(
        41,
        VerdictLabel.WEAK,
        (
            "1 of 2 links is dead with no archived copy",
            "leans on a state-controlled outlet",
            "one anonymous attribution",
            "one malformed link",
        ),
    ),
)

FAILED = DocumentResult(path="reports/empty.txt", document=None, error="reports/empty.txt: document is empty")


def build_run() -> RunResult:
    return RunResult(
        run_id=7,
        started_at=datetime(2024, 5, 1, 10, 0, 0, tzinfo=UTC),
        finished_at=datetime(2024, 5, 1, 10, 0, 12, tzinfo=UTC),
        offline=False,
        documents=(BRIEFING, FAILED),
    )


@pytest.fixture
def run_result() -> RunResult:
    return build_run()
