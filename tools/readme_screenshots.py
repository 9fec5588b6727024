"""Regenerate the README's screenshots of the HTML report: desktop (1,400 px) and narrow (800 px) width.

Runs the real pipeline on examples/ offline into a throw-away database, renders the HTML report, opens it
in headless Chromium through Playwright (the same /usr/bin/chromium the browser tests use) and writes

    docs/screenshots/report-desktop.png   the run's header and the first document: score, reasons,
                                          source table
    docs/screenshots/report-text.png      a line number clicked: the annotated text, the citation marked
    docs/screenshots/report-800.png       the same report 800 px wide, rows as cards

Run: .venv/bin/python tools/readme_screenshots.py   (about 20 s; nothing leaves the machine)
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from citecheck.config import Config  # noqa: E402
from citecheck.pipeline import run_check  # noqa: E402
from citecheck.report import html  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
CHROMIUM = Path(os.environ.get("CITECHECK_TEST_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
DOCUMENT = "#doc-5"  # red-line-digest.txt: links, state media, a malformed URL


def _report(folder: Path) -> Path:
    os.chdir(ROOT)  # so the report names the documents examples/..., as a user's run would
    result = run_check(["examples"], Config(), offline=True, database_url=f"sqlite:///{folder}/r.db")
    path = folder / "report.html"
    with path.open("w", encoding="utf-8") as stream:
        html.render(result, stream)
    return path


def _refuse_network(page: Page) -> None:
    page.route(
        "**/*", lambda route, request: route.continue_() if request.url.startswith("file:") else route.abort()
    )


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        report = _report(Path(folder))  # before Playwright, whose sync API holds the event loop
        _shoot(report)
    for name in ("report-desktop.png", "report-text.png", "report-800.png"):
        print(f"wrote {OUT / name}")


def _shoot(report: Path) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000}, color_scheme="light")
            _refuse_network(page)
            page.goto(report.as_uri())
            page.locator(DOCUMENT).scroll_into_view_if_needed()
            page.evaluate(f"document.querySelector('{DOCUMENT}').scrollIntoView({{block: 'start'}})")
            page.screenshot(path=str(OUT / "report-desktop.png"))
            page.locator(f"{DOCUMENT} a.line-link").nth(6).click()
            page.evaluate("window.scrollBy(0, -120)")
            page.screenshot(path=str(OUT / "report-text.png"))
            page.close()

            narrow = browser.new_page(viewport={"width": 800, "height": 1200}, color_scheme="light")
            _refuse_network(narrow)
            narrow.goto(report.as_uri())
            narrow.evaluate(
                f"document.querySelector('{DOCUMENT} .sources-block').scrollIntoView({{block: 'start'}})"
            )
            narrow.screenshot(path=str(OUT / "report-800.png"))
        finally:
            browser.close()


if __name__ == "__main__":
    main()
