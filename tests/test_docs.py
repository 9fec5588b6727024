"""The documentation matches the behaviour: config keys, commands and the public API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

import citecheck
from citecheck.config import Config, config_from_mapping

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _keys(model: type[BaseModel], prefix: str = "") -> list[str]:
    keys = []
    for name, field in model.model_fields.items():
        annotation: Any = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            keys += _keys(annotation, f"{prefix}{name}.")
        else:
            keys.append(f"{prefix}{name}")
    return keys


def test_bundled_config_yaml_holds_exactly_the_defaults() -> None:
    data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    assert config_from_mapping(data, "config.yaml") == Config()


def test_every_config_key_is_in_config_yaml_and_the_readme() -> None:
    data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    for key in _keys(Config):
        node: Any = data
        for part in key.split("."):
            assert part in node, f"{key} missing from config.yaml"
            node = node[part]
        top, _, leaf = key.rpartition(".")
        documented = (
            f"`{key}`" in README
            or f"`{key}[]`" in README
            or (f"`{top}.*`" in README and f"`{leaf}`" in README)
        )
        assert documented, f"{key} missing from README"


def test_readme_names_every_command() -> None:
    from citecheck.cli import cli

    for name in cli.commands:
        assert f"citecheck {name}" in README, name


def test_public_names_are_exported() -> None:
    exported = set(citecheck.__all__)
    public = {
        name
        for name in dir(citecheck)
        if not name.startswith("_") and not isinstance(getattr(citecheck, name), type(citecheck))
    }
    assert public - {"annotations"} == exported - {"__version__"}
    for name in citecheck.__all__:
        assert hasattr(citecheck, name)
