"""`citecheck eval` scoring rules, on a one-document corpus and answer keys written for each rule."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from citecheck.config import Config
from citecheck.evaluate import DocumentScores, evaluate

TEXT = "According to Reuters, the talks ended on Friday. Officials said a deal was close.\n"


def score(tmp_path: Path, key: dict[str, Any], text: str = TEXT) -> DocumentScores:
    (tmp_path / "doc.txt").write_text(text, encoding="utf-8")
    gold = tmp_path / "gold.yaml"
    gold.write_text(yaml.safe_dump({"documents": {"doc.txt": key}}), encoding="utf-8")
    return evaluate(gold, tmp_path, Config()).overall


REUTERS = {"name": "Reuters", "type": "wire_service", "country": "GB"}


@pytest.mark.parametrize(
    ("key", "lenient", "strict"),
    [
        ({"cited": [REUTERS]}, 1.0, 1.0),
        # the key says Reuters is only named: forgiven by the lenient figure, an error for the strict one
        ({"mentioned": [REUTERS]}, 1.0, 0.0),
        # not in the key at all: an error for both
        ({"cited": [], "mentioned": []}, 0.0, 0.0),
    ],
)
def test_strict_precision_counts_a_mentioned_name_reported_cited(tmp_path, key, lenient, strict) -> None:  # type: ignore[no-untyped-def]
    overall = score(tmp_path, {**key, "vague": ["Officials said"]})
    assert overall.outlets.precision == lenient
    assert overall.strict_outlets.precision == strict


def test_type_accuracy_reads_the_extractors_label(tmp_path) -> None:  # type: ignore[no-untyped-def]
    right = score(tmp_path, {"cited": [REUTERS]})
    wrong = score(tmp_path, {"cited": [{**REUTERS, "type": "newspaper"}]})
    assert (right.types.right, right.types.total) == (1, 1)
    assert (wrong.types.right, wrong.types.total) == (0, 1)


def test_type_accuracy_skips_an_entry_the_extractor_did_not_find(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # Xinhua is in the registry, but not in the text: recall counts it, type accuracy cannot.
    overall = score(tmp_path, {"cited": [REUTERS, {"name": "Xinhua", "type": "newspaper", "country": "CN"}]})
    assert (overall.types.right, overall.types.total) == (1, 1)
    assert overall.outlets.recall == 0.5


def test_vague_precision_and_recall(tmp_path) -> None:  # type: ignore[no-untyped-def]
    listed = score(tmp_path, {"cited": [REUTERS], "vague": ["Officials said"]})
    unlisted = score(tmp_path, {"cited": [REUTERS], "vague": []})
    assert listed.vague.value == 1.0 and listed.vague_precision.value == 1.0
    assert unlisted.vague_precision.total >= 1 and unlisted.vague_precision.value == 0.0


def test_every_occurrence_of_a_key_phrase_counts(tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = "The officials said nothing new. Then officials said a deal was close, per Reuters.\n"
    overall = score(tmp_path, {"vague": ["officials said"]}, text)
    assert overall.vague.value == 1.0 and overall.vague_precision.value == 1.0


def test_an_unregistered_work_matches_the_keys_name_or_alias(tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = "The dam held (Reuters, May 3, 2021), and the weir too (Lowland Wire, May 4, 2021).\n"
    work = {"name": "Lowland Wire Service", "type": "unknown", "date": "2021-05-04"}
    by_alias = score(tmp_path, {"cited": [REUTERS, {**work, "aliases": ["Lowland Wire"]}]}, text)
    assert by_alias.outlets.recall == 1.0 and by_alias.dates.value == 1.0
    # near miss: without the alias the key's name is another name
    by_name = score(tmp_path, {"cited": [REUTERS, work]}, text)
    assert by_name.outlets.recall == 0.5


ORG_TEXT = "According to the Brightwater Institute, exports fell. The Ferrow Basin Authority raised prices.\n"
BRIGHTWATER = {"name": "Brightwater Institute", "type": "think_tank"}


@pytest.mark.parametrize(
    "entry",
    [
        BRIGHTWATER,
        {"name": "The Brightwater Institute", "type": "think_tank"},  # a leading "the" is no part of the name
        {"name": "Brightwater Institute (BWI)", "type": "think_tank"},  # the name before the brackets
        {"name": "BWI", "type": "think_tank", "aliases": ["Brightwater Institute"]},  # an alias
    ],
)
def test_an_unregistered_organisation_matches_a_key_entry_by_name(tmp_path, entry) -> None:  # type: ignore[no-untyped-def]
    overall = score(tmp_path, {"cited": [entry]}, ORG_TEXT)
    assert overall.outlets.recall == 1.0
    assert overall.strict_outlets.precision == 1.0
    assert (overall.types.right, overall.types.total) == (1, 1)  # the type inferred from "Institute"


def test_an_unregistered_organisation_by_another_name_is_missed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    overall = score(tmp_path, {"cited": [{"name": "Brightwater Foundation", "type": "think_tank"}]}, ORG_TEXT)
    assert overall.outlets.recall == 0.0
    assert overall.outlets.precision == 0.0  # and what was found is not in the key


def test_strict_precision_counts_an_unregistered_mentioned_name_reported_cited(tmp_path) -> None:  # type: ignore[no-untyped-def]
    overall = score(tmp_path, {"cited": [], "mentioned": [BRIGHTWATER]}, ORG_TEXT)
    assert overall.outlets.precision == 1.0  # forgiven by the lenient figure
    assert overall.strict_outlets.precision == 0.0  # an error for the strict one
    assert "cited but the key has it only as mentioned: Brightwater Institute" in overall.misses


def test_type_accuracy_counts_the_type_inferred_for_an_unregistered_organisation(tmp_path) -> None:  # type: ignore[no-untyped-def]
    overall = score(tmp_path, {"cited": [{**BRIGHTWATER, "type": "academic"}]}, ORG_TEXT)
    assert (overall.types.right, overall.types.total) == (0, 1)
