"""The network stages' public names: everything in __all__ exists, and nothing public is missing from it."""

from __future__ import annotations

import importlib
import inspect

import pytest

MODULES = ["citecheck.net", "citecheck.check", "citecheck.archive"]


@pytest.mark.parametrize("name", MODULES)
def test_all_names_exist(name: str) -> None:
    module = importlib.import_module(name)
    assert all(hasattr(module, export) for export in module.__all__)


@pytest.mark.parametrize("name", MODULES)
def test_public_functions_and_classes_are_exported(name: str) -> None:
    module = importlib.import_module(name)
    defined_here = {
        attr
        for attr, value in vars(module).items()
        if not attr.startswith("_")
        and (inspect.isfunction(value) or inspect.isclass(value))
        and value.__module__ == module.__name__
    }
    assert defined_here <= set(module.__all__)


def test_the_pipeline_interface() -> None:
    from citecheck.archive import SnapshotRequest, capture_pages, find_snapshots  # noqa: F401
    from citecheck.check import check_links  # noqa: F401
    from citecheck.net import FetchResult, NetClient  # noqa: F401

    assert list(inspect.signature(NetClient.fetch).parameters)[:6] == [
        "self",
        "url",
        "method",
        "max_bytes",
        "follow_redirects",
        "headers",
    ]
    assert list(inspect.signature(check_links).parameters) == ["urls", "client", "settings", "on_done"]
