"""citecheck/data/lexicon.yaml: the counted lists derived from PolNeAR train, and a file holding nothing
the code ignores."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from citecheck.extract.lexicon import LEXICON_FILE, load_lexicon

ROOT = Path(__file__).resolve().parents[2]
COUNTED = (
    "reporting_verbs",
    "evidence_verbs",
    "statement_nouns",
    "person_nouns",
    "group_nouns",
    "document_nouns",
)
WORD = re.compile(r"^[a-z][a-z'-]*$")


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
    return load_words(LEXICON_FILE.read_text(encoding="utf-8"))


def _derive_tool() -> Any:
    spec = importlib.util.spec_from_file_location(
        "derive_attribution_words", ROOT / "tools" / "derive_attribution_words.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_generated_block_is_what_the_counts_give() -> None:
    tool = _derive_tool()
    current = LEXICON_FILE.read_text(encoding="utf-8")
    assert tool.with_block(current, tool.derive()) == current, "run tools/derive_attribution_words.py"


def test_the_block_states_provenance_and_threshold() -> None:
    text = LEXICON_FILE.read_text(encoding="utf-8")
    block = text.split("# BEGIN GENERATED", 1)[1].split("# END GENERATED", 1)[0]
    assert "PolNeAR" in block and "train" in block and "Dev and test were not read" in block


def test_every_counted_entry_reached_the_threshold(words: dict[str, Any]) -> None:
    threshold = words["min_count"]
    assert isinstance(threshold, int) and threshold >= 3
    below = [
        (name, entry)
        for name in COUNTED
        for entry, fields in words[name].items()
        if not isinstance(fields["count"], int) or fields["count"] < threshold
    ]
    assert below == []
    assert all(fields["cue_rate"] >= words["min_cue_rate"] for fields in words["reporting_verbs"].values())


def test_entries_and_forms_are_lower_case_words(words: dict[str, Any]) -> None:
    bad = []
    for name in COUNTED:
        for entry, fields in words[name].items():
            if not WORD.match(entry):
                bad.append((name, entry))
            bad.extend((name, form) for form in fields["forms"] if not WORD.match(form))
    assert bad == []


def test_no_form_is_listed_twice_in_a_list(words: dict[str, Any]) -> None:
    for name in COUNTED:
        forms = [form for fields in words[name].values() for form in fields["forms"]]
        assert sorted({f for f in forms if forms.count(f) > 1}) == [], name


def test_reporting_verbs_carry_their_tenses(words: dict[str, Any]) -> None:
    verbs = words["reporting_verbs"]
    assert {"say", "says", "said", "saying"} <= set(verbs["say"]["forms"])
    assert "told" in verbs["tell"]["forms"]
    for lemma, fields in verbs.items():
        assert lemma in fields["forms"], lemma


def test_a_key_written_twice_is_refused() -> None:
    with pytest.raises(yaml.constructor.ConstructorError, match="written twice"):
        load_words("reporting_verbs:\n  say: {count: 9}\n  say: {count: 9}\n")


def test_a_section_no_rule_reads_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.yaml"
    path.write_text(
        LEXICON_FILE.read_text(encoding="utf-8") + "\nunused_words: [alpha, beta]\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match="unused_words"):
        load_lexicon.__wrapped__(path)


def test_an_entry_below_the_threshold_is_refused(tmp_path: Path) -> None:
    text = LEXICON_FILE.read_text(encoding="utf-8").replace("  say: {count: 5183,", "  say: {count: 2,")
    path = tmp_path / "lexicon.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="say was counted 2 times"):
        load_lexicon.__wrapped__(path)
