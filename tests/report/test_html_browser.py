"""The HTML report in headless Chromium: the source table, the annotated text and the way between them,
pages of rows and of documents, layout at 1,280 and 800 pixels, and no document script running.

Uses Debian's /usr/bin/chromium through the playwright package; a browser is never downloaded. Without
Chromium the tests are skipped with one line naming the group (tests/conftest.py); with CI set they fail
instead, so a broken CI image cannot silently turn them off. Nothing here times anything: the scale
tests assert what is drawn (rows, sections, chunks), and bench/report_scale.py measures the seconds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, Request, Route, sync_playwright

from citecheck.models import (
    Citation,
    CitationKind,
    CitationResult,
    Document,
    DocumentResult,
    LinkCheck,
    LinkStatus,
    Role,
    RunResult,
    Span,
    Verdict,
    VerdictLabel,
)
from citecheck.report import html
from tests.conftest import CHROMIUM

from .conftest import BRIEFING, DEAD_URL, HOSTILE_TEXT, LIVE_MEMENTO, LIVE_URL, PWNED_FLAG, XINHUA

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ROWS_PER_PAGE = 50  # report.js.j2's ROWS_PER_PAGE
DOCUMENTS_PER_PAGE = 10  # report.js.j2's DOCUMENTS_PER_PAGE


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():  # only under CI: elsewhere tests/conftest.py skips the group
        pytest.fail(f"CI is set but {CHROMIUM} is missing: apt-get install -y chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@dataclass
class ReportPage:
    """The loaded report and everything the page tried to do that it should not have."""

    page: Page
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def rows(self, document: int = 1) -> list[str]:
        """The data-source numbers of the table rows drawn for a document, top to bottom."""
        values = self.page.eval_on_selector_all(
            f"#doc-{document} table.sources tbody tr", "rows => rows.map(r => r.dataset.source)"
        )
        return [str(value) for value in values]

    def column(self, attribute: str, document: int = 1) -> list[str]:
        values = self.page.eval_on_selector_all(
            f"#doc-{document} table.sources tbody tr",
            f"rows => rows.map(r => r.getAttribute('data-{attribute}'))",
        )
        return [str(value) for value in values]

    def in_view(self, selector: str) -> bool:
        """Whether the element is inside the window and inside every scrolling box around it."""
        return bool(
            self.page.eval_on_selector(
                selector,
                """node => {
                  const box = node.getBoundingClientRect();
                  if (box.bottom < 0 || box.top > window.innerHeight) return false;
                  for (let up = node.parentElement; up; up = up.parentElement) {
                    if (up.scrollHeight > up.clientHeight && getComputedStyle(up).overflowY !== 'visible') {
                      const around = up.getBoundingClientRect();
                      if (box.bottom < around.top || box.top > around.bottom) return false;
                    }
                  }
                  return true;
                }""",
            )
        )


def _open(browser: Browser, result: RunResult, tmp_path: Path, width: int = 1400) -> Iterator[ReportPage]:
    path = tmp_path / "report.html"
    with path.open("w", encoding="utf-8") as stream:
        html.render(result, stream)
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    loaded = ReportPage(page)

    def refuse_network(route: Route, request: Request) -> None:
        if request.url.startswith("file://"):
            route.continue_()
        else:
            loaded.requests.append(request.url)
            route.abort()

    def record_dialog(dialog: Dialog) -> None:
        loaded.dialogs.append(dialog.message)
        dialog.dismiss()

    def record_console_error(message: ConsoleMessage) -> None:
        if message.type == "error":  # CSP violations are reported here
            loaded.errors.append(message.text)

    context.route("**/*", refuse_network)
    page.on("dialog", record_dialog)
    page.on("pageerror", lambda error: loaded.errors.append(str(error)))
    page.on("console", record_console_error)
    page.goto(path.as_uri())
    yield loaded
    assert loaded.errors == []  # neither our script failing nor a CSP violation
    context.close()


@pytest.fixture
def report(browser: Browser, run_result: RunResult, tmp_path: Path) -> Iterator[ReportPage]:
    yield from _open(browser, run_result, tmp_path)


def test_no_document_script_runs(report: ReportPage) -> None:
    page = report.page
    text = page.locator("#doc-1 .doc-text").text_content() or ""  # innerText skips chunks off screen
    assert HOSTILE_TEXT in text and f'onerror="window.{PWNED_FLAG}=1"' in text  # shown as text
    assert "<b>briefing</b>" in page.locator("#doc-1 .doc-title").inner_text()
    assert page.evaluate(f"typeof window.{PWNED_FLAG}") == "undefined"
    assert report.dialogs == []
    assert report.requests == []  # nothing loaded from the network
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)


def test_one_row_per_source_and_the_names_only_mentioned_behind_a_toggle(report: ReportPage) -> None:
    page = report.page
    assert report.rows() == ["0", "1", "2", "3", "4"]
    also_named = page.locator("#doc-1 .also-named")
    assert f"{XINHUA.name} (1)" in also_named.inner_text()
    dead = page.locator('#doc-1 tr[data-source="1"]')
    assert dead.locator('td[data-column="Times"]').inner_text() == "2"
    assert dead.locator("a.line-link").all_inner_texts() == ["3", "7"]
    also_named.locator("button").click()
    assert report.rows() == ["0", "1", "2", "3", "4", "5"]
    assert "is-mentioned" in (page.locator('#doc-1 tr[data-source="5"]').get_attribute("class") or "")
    also_named.locator("button").click()
    assert report.rows() == ["0", "1", "2", "3", "4"]


def test_every_citation_is_highlighted_in_its_verdicts_colour(report: ReportPage) -> None:
    marks = report.page.locator("#doc-1 .doc-text mark.cite")
    assert marks.count() == len(BRIEFING.citations)
    labels = marks.evaluate_all("marks => marks.map(m => m.className)")
    assert sum("label-strong" in css for css in labels) == 1
    assert sum("label-unverifiable" in css for css in labels) == 3  # the dead link twice, the hostile one
    assert sum("label-weak" in css for css in labels) == 4
    assert sum("is-mentioned" in css for css in labels) == 1  # Xinhua; RT is also cited, so not
    assert marks.nth(1).text_content() == DEAD_URL


def test_a_line_number_jumps_to_the_citation_in_the_text(report: ReportPage) -> None:
    page = report.page
    page.locator('#doc-1 tr[data-source="1"] a.line-link', has_text="7").click()
    current = "#doc-1 .doc-text mark.is-current"
    assert page.locator(current).count() == 1
    assert page.locator(current).get_attribute("data-line") == "7"
    assert page.locator(current).text_content() == DEAD_URL
    assert report.in_view(current)


def test_a_citation_in_the_text_shows_its_row(report: ReportPage) -> None:
    page = report.page
    page.locator("#doc-1 .doc-text mark", has_text="Xinhua").click()
    current = page.locator("#doc-1 tr.is-current")
    assert current.get_attribute("data-source") == "5"  # the toggle opened to show a name only mentioned
    assert report.in_view("#doc-1 tr.is-current")
    page.locator('#doc-1 .doc-text mark[data-line="4"]').click()
    assert page.locator("#doc-1 tr.is-current").get_attribute("data-source") == "2"


def test_clicking_a_header_sorts_the_table(report: ReportPage) -> None:
    page = report.page
    verdict = page.locator("#doc-1 table.sources th", has_text="Verdict")
    verdict.click()
    assert verdict.get_attribute("aria-sort") == "ascending"
    scores = [int(score) for score in report.column("score")]
    assert scores == sorted(scores) and scores != [85, 5, 30, 15, 0]
    verdict.click()
    assert [int(score) for score in report.column("score")] == sorted(scores, reverse=True)
    page.locator("#doc-1 table.sources th", has_text="Role").click()
    assert report.column("kind") != []


def test_typing_and_selecting_filter_the_rows(report: ReportPage) -> None:
    page = report.page
    search = page.locator('#doc-1 [data-filter="text"]')
    search.fill("familiar")
    assert report.rows() == ["3"]
    assert page.locator("#doc-1 .filter-count").inner_text() == "1 of 5 sources"
    search.fill("")
    page.select_option('#doc-1 [data-filter="kind"]', "url")
    assert report.rows() == ["0", "1", "4"]
    page.select_option('#doc-1 [data-filter="status"]', "dead")
    assert report.rows() == ["1"]
    search.fill("no such source")
    assert report.rows() == []
    assert page.locator("#doc-1 .no-matches").is_visible()


def test_links_point_at_the_stored_addresses(report: ReportPage) -> None:
    page = report.page
    archive_links = page.eval_on_selector_all(
        "a.archive-link", "links => links.map(a => a.getAttribute('href'))"
    )
    assert archive_links == [LIVE_MEMENTO]
    live_links = page.eval_on_selector_all("a.live-link", "links => links.map(a => a.getAttribute('href'))")
    assert live_links == [LIVE_URL, DEAD_URL]
    schemes = page.eval_on_selector_all("a[href]", "links => links.map(a => new URL(a.href).protocol)")
    assert set(schemes) <= {"http:", "https:", "file:"}  # file: is an in-page #anchor
    assert "javascript:alert(3)" in page.locator('#doc-1 tr[data-source="4"]').inner_text()  # as text


# -- scale: what is drawn, not how fast ----------------------------------------------------------------


def _url_document(path: str, urls: int, repeats: int = 1) -> DocumentResult:
    """A document citing `urls` distinct addresses, each `repeats` times, one per line."""
    lines = [
        f"Line {n}: see https://site-{n % urls}.example.test/story/{n % urls} for more."
        for n in range(urls * repeats)
    ]
    text = "\n".join(lines) + "\n"
    citations = []
    offset = 0
    for number, line in enumerate(lines, start=1):
        url = line.split("see ")[1].split(" ")[0]
        start = offset + line.index(url)
        verdict = Verdict(
            40 + number % 40,
            VerdictLabel.WEAK if number % 40 < 10 else VerdictLabel.ADEQUATE,
            ("outlet: unknown",),
        )
        citations.append(
            CitationResult(
                Citation(
                    CitationKind.URL,
                    Role.CITED,
                    url,
                    Span(start, start + len(url)),
                    number,
                    url=url,
                    context=line,
                ),
                link=LinkCheck(url, LinkStatus.ALIVE, 200),
                verdict=verdict,
            )
        )
        offset += len(line) + 1
    document = Document(path, "0" * 64, text, len(text), "utf-8", "text/plain", title=path)
    return DocumentResult(
        path,
        document,
        citations=tuple(citations),
        verdict=Verdict(50, VerdictLabel.ADEQUATE, ("sources: many",)),
    )


def _run(*documents: DocumentResult) -> RunResult:
    return RunResult(
        1, datetime(2024, 5, 1, tzinfo=UTC), datetime(2024, 5, 1, 0, 5, tzinfo=UTC), False, documents
    )


def test_rows_come_a_page_at_a_time(browser: Browser, tmp_path: Path) -> None:
    for report in _open(browser, _run(_url_document("many.txt", 120)), tmp_path):
        page = report.page
        assert report.rows() == [str(n) for n in range(50)]
        assert page.locator("#doc-1 .row-pager .page-where").inner_text() == "Sources 1–50 of 120"
        page.locator("#doc-1 .row-pager .page-next").click()
        assert report.rows() == [str(n) for n in range(50, 100)]
        page.locator("#doc-1 .row-pager .page-next").click()
        assert report.rows() == [str(n) for n in range(100, 120)]
        assert page.locator("#doc-1 .row-pager .page-next").is_disabled()
        page.locator("#doc-1 .row-pager .page-previous").click()
        assert len(report.rows()) == 50
        # A citation whose row is on another page brings that page.
        page.locator('#doc-1 .doc-text mark[data-line="115"]').click()
        assert page.locator("#doc-1 tr.is-current").get_attribute("data-source") == "114"
        assert len(report.rows()) == 20


def test_documents_come_a_page_at_a_time(browser: Browser, tmp_path: Path) -> None:
    documents = [_url_document(f"part-{n:02d}.txt", 3) for n in range(1, 24)]
    for report in _open(browser, _run(*documents), tmp_path):
        page = report.page
        sections = "main section.document"
        assert page.locator(sections).count() == DOCUMENTS_PER_PAGE
        assert page.locator(".toc li").count() == DOCUMENTS_PER_PAGE
        page.locator(".document-pager .page-next").click()
        ids = page.eval_on_selector_all(sections, "nodes => nodes.map(n => n.id)")
        assert ids == [f"doc-{n}" for n in range(11, 21)]
        page.locator(".document-pager .page-next").click()
        assert page.locator(sections).count() == 3
        page.locator(".find-document").fill("part-05")
        assert page.locator(".toc li").all_inner_texts()[0].startswith("part-05.txt")
        page.locator(".toc li a").first.click()
        assert page.locator(sections).first.get_attribute("id") == "doc-1"
        assert report.in_view("#doc-5")


def test_ten_thousand_citations_draw_one_page_of_rows_and_lazy_text(browser: Browser, tmp_path: Path) -> None:
    """A 10,000-citation document: 50 rows drawn, the text in chunks the browser lays out on demand."""
    for report in _open(browser, _run(_url_document("big.txt", 2500, repeats=4)), tmp_path):
        page = report.page
        assert page.locator("main section.document").count() == 1
        assert len(report.rows()) == ROWS_PER_PAGE
        assert page.locator("#doc-1 .filter-count").inner_text() == "2500 of 2500 sources"
        assert page.locator("#doc-1 .doc-text mark.cite").count() == 10_000
        chunks = page.locator("#doc-1 .doc-text .chunk")
        assert chunks.count() == 50  # 10,000 lines, 200 a chunk
        assert chunks.first.evaluate("c => getComputedStyle(c).contentVisibility") == "auto"
        page.locator("#doc-1 .row-pager .page-next").click()
        assert report.rows() == [str(n) for n in range(50, 100)]


# -- layout ------------------------------------------------------------------------------------------


def _examples_report(browser: Browser, tmp_path: Path, width: int) -> Iterator[ReportPage]:
    from concurrent.futures import ThreadPoolExecutor

    from citecheck.config import Config
    from citecheck.pipeline import run_check

    examples = Path(__file__).resolve().parents[2] / "examples"
    # playwright's sync API owns this thread's event loop; the pipeline gets a thread of its own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        result = pool.submit(
            run_check, [str(examples)], Config(), offline=True, database_url=f"sqlite:///{tmp_path / 'e.db'}"
        ).result()
    yield from _open(browser, result, tmp_path, width)


def test_no_column_is_cut_off_at_1280_pixels(browser: Browser, tmp_path: Path) -> None:
    for report in _examples_report(browser, tmp_path, 1280):
        page = report.page
        tables = page.locator("table.sources")
        assert tables.count() == 5
        overflow = page.evaluate(
            """() => [...document.querySelectorAll('table.sources')].map(table => {
                 const wrap = table.parentElement.getBoundingClientRect();
                 const heads = [...table.tHead.rows[0].cells].map(th => th.getBoundingClientRect());
                 return {
                   scroll: table.parentElement.scrollWidth - table.parentElement.clientWidth,
                   cut: heads.filter(h => h.right > wrap.right + 0.5 || h.width < 24).length,
                   columns: heads.length,
                 };
               })"""
        )
        assert all(table == {"scroll": 0, "cut": 0, "columns": 8} for table in overflow), overflow
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280


def test_at_800_pixels_rows_are_cards_and_nothing_overflows(browser: Browser, tmp_path: Path) -> None:
    for report in _examples_report(browser, tmp_path, 800):
        page = report.page
        assert page.evaluate("document.documentElement.scrollWidth") <= 800
        first_row = page.locator("table.sources tbody tr").first
        assert first_row.evaluate("r => getComputedStyle(r).display") == "block"
        widths = page.eval_on_selector_all(
            "table.sources tbody tr", "rows => rows.map(r => r.getBoundingClientRect().right)"
        )
        assert max(widths) <= 800


def test_report_of_the_example_documents(browser: Browser, tmp_path: Path) -> None:
    """The real pipeline's report of examples/: every document drawn, its sources and its marks."""
    for report in _examples_report(browser, tmp_path, 1400):
        page = report.page
        assert page.locator("main section.document").count() == 5
        counts = page.eval_on_selector_all(
            "main section.document",
            "sections => sections.map(s => [s.querySelectorAll('tbody tr').length,"
            " s.querySelectorAll('.doc-text mark').length])",
        )
        assert all(rows > 0 and marks > rows for rows, marks in counts), counts
        page.locator('[data-filter="kind"]').first.select_option("vague")
        kinds = report.column("kind")
        assert kinds and set(kinds) == {"vague"}
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "examples.png"), full_page=False)


def test_values_read_as_a_person_writes_them(browser: Browser, tmp_path: Path) -> None:
    """No "no link" badge anywhere, the header's times to the second, the real titles of the examples."""
    for report in _examples_report(browser, tmp_path, 1400):
        page = report.page
        assert "no link" not in (page.locator("main").text_content() or "").lower()
        link_cells = page.eval_on_selector_all(
            "table.sources tbody tr:not([data-kind='url']) td[data-column='Link']",
            "cells => cells.map(c => c.textContent)",
        )
        assert link_cells and set(link_cells) == {"—"}  # a source without a link says nothing about links
        started = page.locator("header.run time").first.inner_text()
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d( \S+)?", started), started
        titles = page.locator("main section.document .doc-title").all_inner_texts()
        assert "Xinhua: China Has a Red Line that Cannot Be Touched" in titles
        assert "Skip to content" not in titles and "35.1 C" not in titles


def test_a_document_read_from_an_archived_copy_says_so(browser: Browser, tmp_path: Path) -> None:
    """The note ("read from an archived copy of ... because ...") reached only the JSON report (#18)."""
    assert BRIEFING.document is not None
    note = "read from the archived copy from web of 2020-04-07: the live page answered HTTP 404 <b>gone</b>"
    noted = replace(BRIEFING, document=replace(BRIEFING.document, note=note))
    run = RunResult(
        run_id=3,
        started_at=datetime(2024, 5, 1, tzinfo=UTC),
        finished_at=None,
        offline=False,
        documents=(noted,),
    )
    for report in _open(browser, run, tmp_path):
        assert report.page.locator("#doc-1 .doc-note").inner_text() == f"Note: {note}"
