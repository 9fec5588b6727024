"""Renderers: a RunResult in, text out. One module per format; `render` picks by name.

Every module exposes `render(result: RunResult, stream: TextIO) -> None`.
"""

from __future__ import annotations

import importlib
from typing import TextIO

from ..models import RunResult

__all__ = ["FORMATS", "render"]

FORMATS = ("table", "json", "markdown", "html", "csv")
_MODULES = {"table": "terminal", "json": "json", "markdown": "markdown", "html": "html", "csv": "csv"}


def render(result: RunResult, fmt: str, stream: TextIO) -> None:
    if fmt not in _MODULES:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    module = importlib.import_module(f".{_MODULES[fmt]}", __name__)
    module.render(result, stream)
