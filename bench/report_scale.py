"""Reports at scale: a 10,000-citation run drawn in the terminal and opened in headless Chromium.

One command builds a synthetic document (default 10,000 citations: 2,500 distinct URLs cited twice, a
rotating set of outlets, vague attributions), checks it offline with the real command line into a
throw-away SQLite database, then times, each in a fresh process as a user would run them:

    citecheck report latest --format summary        (the terminal's default)
    citecheck report latest --format table          (every source)
    citecheck report latest -o report.html --quiet  (writing the page)

and opens the page in headless Chromium (/usr/bin/chromium through Playwright): the time from navigation
to the first table rows drawn, and to the load event. Targets (issue 17): the terminal in seconds, the
page open in under 5 s. Figures are printed and appended to BENCHMARKS.md under "## Reports at scale";
timing never enters the test suite (tests/report/test_html_browser.py checks what is drawn instead).

Run: .venv/bin/python bench/report_scale.py [--citations 10000] [--no-write]
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CITECHECK = ROOT / ".venv" / "bin" / "citecheck"
BENCHMARKS = ROOT / "BENCHMARKS.md"
SECTION = "## Reports at scale"
CHROMIUM = Path(os.environ.get("CITECHECK_TEST_CHROMIUM", "/usr/bin/chromium"))
OUTLETS = ["Reuters", "Xinhua", "Nikkei Asia", "the BBC", "Le Monde", "Kyodo News", "Al Jazeera", "TASS"]
VAGUE = ["U.S. media revealed", "an overseas tipster said", "according to informed sources"]


def document(citations: int) -> str:
    """About three citations a paragraph: an outlet, a URL cited twice over the document, a vague phrase."""
    urls = max(1, citations // 4)
    paragraphs = []
    made = 0
    index = 0
    while made < citations:
        outlet = OUTLETS[index % len(OUTLETS)]
        vague = VAGUE[index % len(VAGUE)]
        url = f"https://news-{index % urls}.example/story/{index % urls}"
        paragraphs.append(
            f"According to {outlet}, the port opened on March {1 + index % 28}, 2021. The report is at {url} "
            f"for readers. Later {vague} that the talks had stalled."
        )
        made += 3
        index += 1
    return "Ports and Talks: A Synthetic Digest\n\n" + "\n\n".join(paragraphs) + "\n"


def timed(args: list[str], cwd: Path) -> float:
    started = time.monotonic()
    subprocess.run(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.monotonic() - started


def open_in_chromium(page_path: Path) -> tuple[float, float, int]:
    """(seconds to the first rows drawn, seconds to the load event, rows drawn)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            started = time.monotonic()
            page.goto(page_path.as_uri(), wait_until="commit")
            page.wait_for_selector("table.sources tbody tr", timeout=120_000)
            drawn = time.monotonic() - started
            page.wait_for_load_state("load")
            loaded = time.monotonic() - started
            rows = page.locator("table.sources tbody tr").count()
        finally:
            browser.close()
    return drawn, loaded, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--citations", type=int, default=10_000)
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "digest.txt").write_text(document(options.citations), encoding="utf-8")
        database = f"sqlite:///{work / 'bench.db'}"
        check = timed([str(CITECHECK), "check", "digest.txt", "--offline", "-q", "--db", database,
                       "--format", "json", "-o", "run.json"], work)  # fmt: skip
        import json

        report = json.loads((work / "run.json").read_text(encoding="utf-8"))
        found = sum(len(d["citations"]) for d in report["documents"])
        sources = sum(len(d["sources"]) for d in report["documents"])
        base = [str(CITECHECK), "report", "latest", "--db", database, "--fail-on", "never"]
        summary = timed([*base, "--format", "summary"], work)
        table = timed([*base, "--format", "table"], work)
        html = timed([*base, "-o", "report.html", "--quiet"], work)
        size = (work / "report.html").stat().st_size
        drawn, loaded, rows = open_in_chromium(work / "report.html")
    lines = [
        f"### {datetime.now(UTC):%Y-%m-%d} — {platform.node()} ({os.cpu_count()} cores, shared)",
        "",
        f"{found:,} citations of {sources:,} distinct sources in one "
        f"{len(document(options.citations)):,}-byte document (`check --offline` took {check:.1f} s).",
        "",
        "| what | seconds |",
        "|---|---:|",
        f"| `report latest --format summary` (whole command) | {summary:.1f} |",
        f"| `report latest --format table` (whole command) | {table:.1f} |",
        f"| `report latest -o report.html` (whole command; page {size / 1e6:.1f} MB) | {html:.1f} |",
        f"| Chromium: navigation to the first {rows} rows drawn | {drawn:.2f} |",
        f"| Chromium: navigation to the load event | {loaded:.2f} |",
        "",
    ]
    print("\n".join(lines))
    if not options.no_write:
        text = BENCHMARKS.read_text(encoding="utf-8")
        if SECTION not in text:
            text = (
                text.rstrip("\n")
                + f"\n\n{SECTION}\n\nMeasured with `.venv/bin/python bench/report_scale.py`.\n\n"
            )
        BENCHMARKS.write_text(text.rstrip("\n") + "\n\n" + "\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
