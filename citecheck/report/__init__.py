"""Renderers: a RunResult in, text out. One module per format; `render` picks by name.

Every module exposes `render(result: RunResult, stream: TextIO, options: RenderOptions | None) -> None`.
"summary" (the terminal's default) and "table" are for a person at a terminal; "html" is the annotated
report for a browser; "markdown", "csv" and "json" are for pasting, spreadsheets and programs.
"""

from __future__ import annotations

import importlib
from pathlib import PurePath
from typing import TYPE_CHECKING, TextIO

from .options import RenderOptions

if TYPE_CHECKING:  # the CLI reads FORMATS for --help, before any result exists
    from ..models import RunResult

__all__ = ["FORMATS", "RenderOptions", "format_for_path", "render"]

FORMATS = ("summary", "table", "json", "markdown", "html", "csv")
_MODULES = {
    "summary": "digest",
    "table": "terminal",
    "json": "json",
    "markdown": "markdown",
    "html": "html",
    "csv": "csv",
}
_SUFFIXES = {".json": "json", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html",
             ".csv": "csv"}  # fmt: skip


def format_for_path(path: str) -> str | None:
    """The format a file name asks for (report.html -> html), or None when its suffix says nothing."""
    return _SUFFIXES.get(PurePath(path).suffix.lower())


def render(result: RunResult, fmt: str, stream: TextIO, options: RenderOptions | None = None) -> None:
    if fmt not in _MODULES:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    module = importlib.import_module(f".{_MODULES[fmt]}", __name__)
    module.render(result, stream, options or RenderOptions())
