"""The floors the extraction issue sets, measured on the in-repo copy of the example corpus."""

from __future__ import annotations

import pytest

from citecheck.config import Config
from citecheck.evaluate import evaluate
from tests.conftest import CORPUS


@pytest.fixture(scope="module")
def overall():  # type: ignore[no-untyped-def]
    return evaluate(CORPUS / "gold.yaml", CORPUS, Config()).overall


def test_urls_f1_is_perfect_and_the_truncated_url_is_flagged(overall) -> None:  # type: ignore[no-untyped-def]
    assert overall.urls.f1 == 1.0
    assert overall.truncated_flagged.total == 1 and overall.truncated_flagged.value == 1.0


def test_cited_outlets(overall) -> None:  # type: ignore[no-untyped-def]
    assert overall.outlets.recall >= 0.95, overall.misses
    assert overall.outlets.precision >= 0.9, overall.misses


def test_dates_of_parentheticals_and_source_lines(overall) -> None:  # type: ignore[no-untyped-def]
    assert overall.dates.value == 1.0, overall.misses


def test_vague_attribution_recall(overall) -> None:  # type: ignore[no-untyped-def]
    assert overall.vague.value >= 0.8, overall.misses


def test_outlet_types_and_countries(overall) -> None:  # type: ignore[no-untyped-def]
    assert overall.types.value >= 0.95, overall.misses
    assert overall.countries.value >= 0.95, overall.misses
