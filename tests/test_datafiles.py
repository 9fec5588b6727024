"""The bundled data files read through libyaml give what PyYAML's own loader gives, and a later read
of an unchanged file gives the same from its marshal copy."""

from __future__ import annotations

import datetime
import marshal
from pathlib import Path

import pytest
import yaml

from citecheck.datafiles import read_yaml

DATA = Path(__file__).resolve().parents[1] / "citecheck" / "data"


@pytest.mark.parametrize("path", sorted(DATA.glob("*.yaml")), ids=lambda path: path.name)
def test_a_data_file_reads_as_pyyaml_reads_it(path: Path) -> None:
    assert read_yaml(path) == yaml.safe_load(path.read_text(encoding="utf-8"))


def test_quotes_and_accents_survive(tmp_path: Path) -> None:
    path = tmp_path / "words.yaml"
    path.write_text("verbs: [said, told]\nrate: 0.5\nname: \u201cÉlysée\u201d\n", encoding="utf-8")
    assert read_yaml(path) == {"verbs": ["said", "told"], "rate": 0.5, "name": "\u201cÉlysée\u201d"}


def _copies(cache: Path) -> list[Path]:
    return sorted(cache.glob("data-*.marshal"))


def test_what_a_later_start_reads_is_the_copy_named_by_the_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("CITECHECK_CACHE_DIR", str(cache))
    path = tmp_path / "cues.yaml"
    path.write_text("verbs: [reported, wrote]\n", encoding="utf-8")
    assert read_yaml(path) == {"verbs": ["reported", "wrote"]}
    [copy] = _copies(cache)
    copy.write_bytes(marshal.dumps({"verbs": ["taken from the copy"]}))
    assert read_yaml(path) == {"verbs": ["taken from the copy"]}  # the copy is what is read
    path.write_text("verbs: [announced]\n", encoding="utf-8")  # an edit: a new copy replaces the old
    assert read_yaml(path) == {"verbs": ["announced"]}
    assert len(_copies(cache)) == 1


def test_a_damaged_copy_or_an_unwritable_cache_falls_back_to_the_yaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("CITECHECK_CACHE_DIR", str(cache))
    path = tmp_path / "cues.yaml"
    path.write_text("nouns: [spokeswoman]\n", encoding="utf-8")
    read_yaml(path)
    [copy] = _copies(cache)
    copy.write_bytes(b"\x00 not marshal data")
    assert read_yaml(path) == {"nouns": ["spokeswoman"]}
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("CITECHECK_CACHE_DIR", str(blocker / "cache"))
    assert read_yaml(path) == {"nouns": ["spokeswoman"]}


def test_data_marshal_cannot_hold_is_read_from_the_yaml_each_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("CITECHECK_CACHE_DIR", str(cache))
    path = tmp_path / "dated.yaml"
    path.write_text("since: 2021-03-04\n", encoding="utf-8")
    assert read_yaml(path) == read_yaml(path) == {"since": datetime.date(2021, 3, 4)}
    assert _copies(cache) == []


def test_files_of_other_places_keep_their_copies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("CITECHECK_CACHE_DIR", str(cache))
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "same.yaml").write_text(f"name: {name}\n", encoding="utf-8")
        read_yaml(tmp_path / name / "same.yaml")
    assert len(_copies(cache)) == 2
