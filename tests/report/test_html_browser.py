"""The HTML report in headless Chromium: sorting, filtering, links, and no document script running.

Uses Debian's /usr/bin/chromium through the playwright package; a browser is never downloaded. The
tests skip only on a developer machine without Chromium: with CI set they fail instead, so a broken CI
image cannot silently turn them off.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, Request, Route, sync_playwright

from citecheck.models import RunResult
from citecheck.report import html

from .conftest import DEAD_URL, HOSTILE_TEXT, LIVE_MEMENTO, LIVE_URL, PWNED_FLAG

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
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


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {CHROMIUM} is missing: apt-get install -y chromium")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install -y chromium)")
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

    def visible_rows(self) -> list[str]:
        """The data-citation numbers of the rows a reader can see, top to bottom."""
        numbers = self.page.eval_on_selector_all(
            "table.citations tbody tr", "rows => rows.filter(r => !r.hidden).map(r => r.dataset.citation)"
        )
        return [str(number) for number in numbers]

    def column(self, attribute: str) -> list[str]:
        """One data-* attribute of every row, in the table's current order."""
        values = self.page.eval_on_selector_all(
            "table.citations tbody tr", f"rows => rows.map(r => r.getAttribute('data-{attribute}'))"
        )
        return [str(value) for value in values]


@pytest.fixture
def report(browser: Browser, run_result: RunResult, tmp_path: Path) -> Iterator[ReportPage]:
    path = tmp_path / "report.html"
    with path.open("w", encoding="utf-8") as stream:
        html.render(run_result, stream)
    context = browser.new_context(viewport={"width": 1400, "height": 900})
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
    context.close()


def test_clicking_a_header_sorts_the_table(report: ReportPage) -> None:
    page = report.page
    verdict = page.locator("table.citations th", has_text="Verdict")
    verdict.click()
    assert verdict.get_attribute("aria-sort") == "ascending"
    scores = [int(score) for score in report.column("score")]
    assert scores == sorted(scores) and scores != [85, 5, 30, 15, 0, 25, 25, 5]
    verdict.click()
    assert verdict.get_attribute("aria-sort") == "descending"
    assert [int(score) for score in report.column("score")] == sorted(scores, reverse=True)
    page.locator("table.citations th", has_text="Kind").click()
    assert report.column("kind") == sorted(report.column("kind"))


def test_typing_and_selecting_filter_the_rows(report: ReportPage) -> None:
    page = report.page
    search = page.locator('[data-filter="text"]')
    search.fill("familiar")
    assert report.visible_rows() == ["4"]
    assert page.locator(".filter-count").inner_text() == "1 of 8 citations"
    search.fill("")
    assert report.visible_rows() == ["1", "2", "3", "4", "5", "6", "7", "8"]
    page.select_option('[data-filter="kind"]', "url")
    assert report.visible_rows() == ["1", "2", "5", "8"]
    page.select_option('[data-filter="status"]', "dead")
    assert report.visible_rows() == ["2", "8"]
    search.fill("no such source")
    assert report.visible_rows() == []
    assert page.locator(".no-matches").is_visible()


def test_links_point_at_the_stored_addresses(report: ReportPage) -> None:
    page = report.page
    archive_links = page.eval_on_selector_all(
        "a.archive-link", "links => links.map(a => a.getAttribute('href'))"
    )
    assert archive_links == [LIVE_MEMENTO]
    live_links = page.eval_on_selector_all("a.live-link", "links => links.map(a => a.getAttribute('href'))")
    assert live_links == [LIVE_URL, DEAD_URL, DEAD_URL]
    schemes = page.eval_on_selector_all("a[href]", "links => links.map(a => new URL(a.href).protocol)")
    assert set(schemes) <= {"http:", "https:", "file:"}  # file: is the in-page #anchor of the TOC


def test_no_document_script_runs(report: ReportPage) -> None:
    page = report.page
    hostile_row = page.locator('tr[data-citation="5"]')
    assert HOSTILE_TEXT in hostile_row.locator("td.passage").inner_text()
    assert page.evaluate(f"typeof window.{PWNED_FLAG}") == "undefined"
    assert report.dialogs == []
    assert report.errors == []  # neither our script failing nor a CSP violation
    assert report.requests == []  # nothing loaded from the network
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)


def test_report_of_the_example_documents(browser: Browser, tmp_path: Path) -> None:
    """The real pipeline's report of examples/ loads, sorts and filters in Chromium."""
    from concurrent.futures import ThreadPoolExecutor

    from citecheck.config import Config
    from citecheck.pipeline import run_check

    examples = Path(__file__).resolve().parents[2] / "examples"
    # playwright's sync API owns this thread's event loop; the pipeline gets a thread of its own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        result = pool.submit(
            run_check, [str(examples)], Config(), offline=True, database_url=f"sqlite:///{tmp_path / 'e.db'}"
        ).result()
    path = tmp_path / "examples.html"
    with path.open("w", encoding="utf-8") as stream:
        html.render(result, stream)
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri())
    tables = page.locator("table.citations")
    assert tables.count() == len(result.documents)
    expected_rows = sum(len(d.citations) for d in result.documents)
    assert page.locator("table.citations tbody tr").count() == expected_rows
    first = tables.first
    first.locator("th", has_text="Verdict").click()
    scores = first.locator("tbody tr").evaluate_all("rows => rows.map(r => Number(r.dataset.score))")
    assert scores == sorted(scores)
    page.locator('[data-filter="kind"]').first.select_option("vague")
    kinds = first.locator("tbody tr").evaluate_all(
        "rows => rows.filter(r => !r.hidden).map(r => r.dataset.kind)"
    )
    assert kinds and set(kinds) == {"vague"}
    assert errors == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "examples.png"), full_page=False)
    page.close()
