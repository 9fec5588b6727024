"""A RunResult built by hand from the models, covering every case a report has to draw.

One small document cites: a live, archived URL (strong); a dead URL with no archived copy
(unverifiable), twice; a state-media outlet with a year-less date, which it also names later; a vague
attribution; and a hostile citation whose text is a <script> tag and whose URL (and archive address)
use the javascript: scheme. It also names Xinhua without citing it. Grouped by source that is five
sources the document relies on and one it only names. A second document failed with an error. The
reasons are worded as citecheck/score.py words them, topic first. Building it by hand keeps the report
tests independent of the extract/check/archive stages, whose output is tested where it is made.
"""

from __future__ import annotations

from collections.abc import Iterator
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
        "Harbour deal <b>briefing</b> | draft",
        f"Reuters reported the signing on 4 March 2021 ({LIVE_URL}).",
        f"The original statement at {DEAD_URL} is gone.",
        "According to RT, on 11 June the talks resumed.",
        'Sources familiar with the matter said the deal was "done".',
        f'See {HOSTILE_TEXT} {HOSTILE_URL} <img src=x onerror="window.{PWNED_FLAG}=1"> for more.',
        f"RT and Xinhua aired the story. The statement at {DEAD_URL} was quoted again.",
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


def _start(needle: str, line: int | None) -> int:
    """Where `needle` first occurs, on `line` (1-based) when given."""
    offset = 0 if line is None else sum(len(text) + 1 for text in TEXT.split("\n")[: line - 1])
    return TEXT.index(needle, offset)


def _citation(
    kind: CitationKind, text: str, *, line: int | None = None, role: Role = Role.CITED, **fields: object
) -> Citation:
    start = _start(text, line)
    number = TEXT.count("\n", 0, start) + 1
    return Citation(
        kind=kind,
        role=role,
        text=text,
        span=Span(start, start + len(text)),
        line=number,
        context=TEXT.splitlines()[number - 1],
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
        85,
        VerdictLabel.STRONG,
        (
            "outlet: Reuters is wire service, GB (type weight 80)",
            "link: the citation gives an address a reader can check",
            "link status: alive (HTTP 200)",
            "archive: a copy from 2021-03-04 is held by wayback",
            "archive: the archived page matched the citation",
        ),
    ),
)

DEAD_REASONS = (
    f"outlet: {DEAD_URL} is not in the registry, so its type is unknown",
    "link: the citation gives an address a reader can check",
    "link status: dead (HTTP 404)",
    "archive: no archived copy found (wayback)",
    "verdict: the link is broken and no archived copy was found, so the claim cannot be checked",
)


def _dead(line: int) -> CitationResult:
    return CitationResult(
        citation=_citation(CitationKind.URL, DEAD_URL, line=line, url=DEAD_URL),
        link=LinkCheck(url=DEAD_URL, status=LinkStatus.DEAD, http_status=404, checked_at=CHECKED_AT),
        snapshot=Snapshot(url=DEAD_URL, archive="wayback", found=False),
        verdict=Verdict(5, VerdictLabel.UNVERIFIABLE, DEAD_REASONS),
    )


DEAD = _dead(3)
DEAD_AGAIN = _dead(7)

RT_REASONS = (
    "outlet: RT is state media, RU (type weight 35)",
    "state affiliation: RT is state-controlled (owner: TV-Novosti), without editorial independence",
)
STATE_MEDIA = CitationResult(
    citation=_citation(CitationKind.OUTLET, "RT", outlet=RT, cue="According to", date=CitedDate(None, 6, 11)),
    verdict=Verdict(30, VerdictLabel.WEAK, (*RT_REASONS, "date: cited as of --06-11")),
)
RT_MENTIONED = CitationResult(
    citation=_citation(CitationKind.OUTLET, "RT", line=7, role=Role.MENTIONED, outlet=RT),
    verdict=Verdict(25, VerdictLabel.WEAK, (*RT_REASONS, "role: mentioned in the text, not cited as a source")),  # noqa: E501
)
XINHUA = Outlet(
    id="xinhua",
    name="Xinhua News Agency",
    type=OutletType.STATE_MEDIA,
    country="CN",
    state_affiliation=Affiliation.CONTROLLED,
)
XINHUA_MENTIONED = CitationResult(
    citation=_citation(CitationKind.OUTLET, "Xinhua", role=Role.MENTIONED, outlet=XINHUA),
    verdict=Verdict(
        25,
        VerdictLabel.WEAK,
        (
            "outlet: Xinhua News Agency is state media, CN (type weight 35)",
            "state affiliation: Xinhua News Agency is state-controlled, without editorial independence",
            "role: mentioned in the text, not cited as a source",
        ),
    ),
)

VAGUE = CitationResult(
    citation=_citation(CitationKind.VAGUE, "Sources familiar with the matter"),
    # The newline checks that Markdown cells and CSV fields keep a multi-line reason in one cell.
    verdict=Verdict(
        15,
        VerdictLabel.WEAK,
        ("vague attribution: \u201cSources familiar with the matter\u201d names no person\nor body",),
    ),
)

HOSTILE = CitationResult(
    citation=_citation(
        CitationKind.URL, HOSTILE_TEXT, url=HOSTILE_URL, malformed="unsupported scheme 'javascript'"
    ),
    link=LinkCheck(url=HOSTILE_URL, status=LinkStatus.MALFORMED, error="unsupported scheme"),
    snapshot=Snapshot(url=HOSTILE_URL, archive="pywb", found=True, memento_url=HOSTILE_MEMENTO),
    verdict=Verdict(
        0,
        VerdictLabel.UNVERIFIABLE,
        (
            "link: the URL is malformed (unsupported scheme 'javascript')",
            "verdict: a <b>javascript</b> link cannot be followed, so the claim cannot be checked",
        ),
    ),
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
        title="Harbour deal <b>briefing</b> | draft",
    ),
    citations=(LIVE, DEAD, STATE_MEDIA, VAGUE, HOSTILE, RT_MENTIONED, XINHUA_MENTIONED, DEAD_AGAIN),
    verdict=Verdict(
        41,
        VerdictLabel.WEAK,
        (
            "sources: 5 distinct source(s) and attribution(s), average score 27",
            "vague or unverifiable: 3 of 5 (60%) rest on vague attributions or sources that cannot be "
            "checked",
            "independence: 1 independent owner(s) behind the named sources",
            "links: 3 citation(s) carry a link a reader can follow",
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


@pytest.fixture(autouse=True)
def utc_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Reports show local times; the golden files are written in UTC, whatever the machine's zone."""
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()
