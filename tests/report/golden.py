"""Golden files for the text reports: compare, or rewrite them when CITECHECK_UPDATE_GOLDEN=1.

Review a regenerated file like code: its diff is the change users will see in their reports.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

GOLDEN_DIR = Path(__file__).resolve().parents[1] / "data" / "report"
UPDATE_ENV = "CITECHECK_UPDATE_GOLDEN"


def assert_matches_golden(name: str, actual: str) -> None:
    path = GOLDEN_DIR / name
    if os.environ.get(UPDATE_ENV) == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as golden:
            golden.write(actual)
        return
    if not path.exists():
        pytest.fail(f"{path} is missing; run the tests with {UPDATE_ENV}=1 to create it")
    # newline="" keeps line endings exactly as written, so a CRLF slip cannot hide.
    with path.open(encoding="utf-8", newline="") as golden:
        expected = golden.read()
    assert actual == expected, (
        f"{name} differs from {path}; if the change is intended, rerun with {UPDATE_ENV}=1"
    )
