"""The bundled data files read through libyaml give what PyYAML's own loader gives."""

from __future__ import annotations

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
