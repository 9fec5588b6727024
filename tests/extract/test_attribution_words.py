"""The attribution word lists derived from PolNeAR train (citecheck/data/attribution_words.yaml)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

WORDS_FILE = Path(__file__).resolve().parents[2] / "citecheck" / "data" / "attribution_words.yaml"
LISTS = (
    "reporting_verbs",
    "cue_nouns",
    "lead_phrases",
    "unnamed_source_heads",
    "representative_heads",
    "document_nouns",
    "body_nouns",
    "source_determiners",
    "source_adjectives",
    "source_postmodifiers",
)
WORD = re.compile(r"^[a-z][a-z'-]*$")
PHRASE = re.compile(r"^[a-z][a-z'-]*( [a-z][a-z'-]*)+$")


class _UniqueKeyLoader(yaml.SafeLoader):
    """A loader that refuses a mapping with a key written twice (safe_load keeps the last silently)."""


def _unique_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    keys = [loader.construct_object(key) for key, _ in node.value]
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        raise yaml.constructor.ConstructorError(
            None, None, f"keys written twice: {repeated}", node.start_mark
        )
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping)


def load_words(text: str) -> dict[str, Any]:
    data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def words() -> dict[str, Any]:
    return load_words(WORDS_FILE.read_text(encoding="utf-8"))


def test_header_states_provenance_and_threshold() -> None:
    header = "".join(
        line for line in WORDS_FILE.read_text(encoding="utf-8").splitlines(True) if line.startswith("#")
    )
    assert "PolNeAR" in header and "train" in header and "Dev and test were not read" in header
    assert "Threshold" in header


def test_every_list_is_there_and_not_empty(words: dict[str, Any]) -> None:
    assert words["split"] == "data/train"
    for name in LISTS:
        assert isinstance(words[name], dict) and words[name], name


def test_every_entry_reached_the_threshold(words: dict[str, Any]) -> None:
    threshold = words["min_count"]
    assert isinstance(threshold, int) and threshold >= 3
    below = [
        (name, entry)
        for name in LISTS
        for entry, fields in words[name].items()
        if not isinstance(fields["count"], int) or fields["count"] < threshold
    ]
    assert below == []


def test_entries_and_forms_are_lower_case_words(words: dict[str, Any]) -> None:
    bad = []
    for name in LISTS:
        shape = PHRASE if name == "lead_phrases" else WORD
        for entry, fields in words[name].items():
            if not shape.match(entry):
                bad.append((name, entry))
            bad.extend((name, form) for form in fields.get("forms", []) if not WORD.match(form))
    assert bad == []


def test_no_form_is_listed_twice(words: dict[str, Any]) -> None:
    for name in LISTS:
        forms = [form for fields in words[name].values() for form in fields.get("forms", [])]
        assert sorted({f for f in forms if forms.count(f) > 1}) == [], name


def test_reporting_verbs_carry_their_tenses(words: dict[str, Any]) -> None:
    verbs = words["reporting_verbs"]
    assert {"say", "says", "said", "saying"} <= set(verbs["say"]["forms"])
    assert "told" in verbs["tell"]["forms"]
    for lemma, fields in verbs.items():
        assert lemma in fields["forms"], lemma
        assert 0 < fields["cue_rate"] <= 1 and 0 <= fields["quoted"] <= 1


def test_a_key_written_twice_is_refused() -> None:
    with pytest.raises(yaml.constructor.ConstructorError, match="written twice"):
        load_words("reporting_verbs:\n  say: {count: 9}\n  say: {count: 9}\n")


def test_the_file_is_what_the_derivation_makes_of_the_counts() -> None:
    """Hand edits drift from the counts; tools/derive_attribution_words.py must reproduce the file."""
    script = WORDS_FILE.parents[2] / "tools" / "derive_attribution_words.py"
    spec = importlib.util.spec_from_file_location("derive_attribution_words", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.derive() == WORDS_FILE.read_text(encoding="utf-8")
