"""A run without Chromium or PostgreSQL says in one line which group it skipped, instead of going quiet."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _pytest(*args: str, **environment: str) -> str:
    env = {
        key: value for key, value in os.environ.items() if key not in ("CI", "CITECHECK_TEST_POSTGRES_URL")
    }
    env.update(environment)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return done.stdout


def test_each_missing_service_is_named_once() -> None:
    output = _pytest(
        "tests/store/test_migrations.py::test_postgres_upgrade_and_downgrade",
        "tests/report/test_html_browser.py::test_links_point_at_the_stored_addresses",
        CITECHECK_TEST_CHROMIUM="/nonexistent/chromium",
    )
    lines = [line for line in output.splitlines() if line.startswith("skipped the ")]
    assert lines == [
        "skipped the browser tests (1): /nonexistent/chromium not found (apt-get install chromium)",
        "skipped the postgres tests (1): CITECHECK_TEST_POSTGRES_URL is not set (a PostgreSQL database URL)",
    ], output
    assert "2 skipped" in output


def test_nothing_is_said_when_nothing_is_missing() -> None:
    output = _pytest("tests/report/test_html.py::test_self_contained")
    assert "skipped the" not in output and "1 passed" in output
