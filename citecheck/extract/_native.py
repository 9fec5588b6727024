"""Which build of the extraction modules runs: compiled with mypyc, or the .py sources.

`make` compiles the modules of this package in place (`python setup.py build_native`, see setup.py):
each `X.py` gets an `X.<platform>.so` beside it, which Python imports in its place, and the build
writes BUILD_RECORD with a digest of every source it compiled. A compiled module is used only while
its source still has that digest: if any source changed since the build (or CITECHECK_PURE_PYTHON is
set), every module of the package is loaded from its .py file instead, all of them, since compiled
modules call each other directly. This module uses only the standard library, so setup.py can load
it by path without importing the package.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

__all__ = [
    "BUILD_RECORD",
    "PURE_PYTHON_VARIABLE",
    "compiled_files",
    "modules",
    "pure_python_asked",
    "select",
    "source_digest",
    "stale_modules",
]

PACKAGE_DIR = Path(__file__).resolve().parent
BUILD_RECORD = PACKAGE_DIR / "_native_build.json"  # written by setup.py build_native; git-ignored
PURE_PYTHON_VARIABLE = "CITECHECK_PURE_PYTHON"
_NOT_COMPILED = {"__init__", "_native"}  # this file and the package's own: they decide what loads


def modules(directory: Path = PACKAGE_DIR) -> list[str]:
    """The package's modules that the build compiles, by name."""
    return sorted(path.stem for path in directory.glob("*.py") if path.stem not in _NOT_COMPILED)


def compiled_files(name: str, directory: Path = PACKAGE_DIR) -> list[Path]:
    """The extension files that would be imported for module `name` (its shim and its library)."""
    return [
        directory / (stem + suffix)
        for stem in (name, name + "__mypyc")
        for suffix in importlib.machinery.EXTENSION_SUFFIXES
        if (directory / (stem + suffix)).exists()
    ]


def source_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def stale_modules(directory: Path = PACKAGE_DIR, record: Path | None = None) -> list[str]:
    """Modules with an extension file beside them that was not built from their present source."""
    record = directory / BUILD_RECORD.name if record is None else record
    try:
        built: dict[str, str] = json.loads(record.read_text(encoding="utf-8")).get("sources", {})
    except (OSError, ValueError):
        built = {}
    return [
        name
        for name in modules(directory)
        if compiled_files(name, directory) and built.get(name) != source_digest(directory / f"{name}.py")
    ]


class _Sources(importlib.abc.MetaPathFinder):
    """Finds the package's modules as their .py files, ahead of the extension files beside them."""

    def __init__(self, package: str, names: Sequence[str], directory: Path) -> None:
        self.package, self.names, self.directory = package, frozenset(names), directory

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        package, _, name = fullname.rpartition(".")
        if package != self.package or name not in self.names:
            return None
        return importlib.util.spec_from_file_location(fullname, self.directory / f"{name}.py")


def pure_python_asked() -> bool:
    return os.environ.get(PURE_PYTHON_VARIABLE, "") not in ("", "0")


def select(package: str, directory: Path = PACKAGE_DIR) -> bool:
    """Called by the package's __init__ before it imports any of its modules: True if the compiled ones
    will load; otherwise the .py sources will, and if that is because the build is stale, say so once."""
    names = modules(directory)
    compiled = [name for name in names if compiled_files(name, directory)]
    if not compiled:
        return False
    reason = None
    if not pure_python_asked():
        stale = sorted(set(stale_modules(directory)) | {name for name in names if name not in compiled})
        if not stale:
            return True
        reason = (
            "citecheck: the compiled extraction modules do not match "
            f"{', '.join(name + '.py' for name in stale)} (edited, or not compiled, since the build); "
            "running the .py sources instead, which is slower. `make` rebuilds them."
        )
    sys.meta_path.insert(0, _Sources(package, names, directory))
    if reason:
        print(reason, file=sys.stderr)
    return False
