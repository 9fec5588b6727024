"""The compiled extraction core (setup.py build_native) runs only as built from the sources beside it.

A compiled module is imported in place of its .py file, so after an edit it would run the old code;
citecheck/extract/_native.py loads the sources instead then. These tests check the build in use and
that choice, on a throwaway package whose "compiled" files are not even real extensions.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import citecheck.extract
from citecheck.extract import _native

EXTENSION = importlib.machinery.EXTENSION_SUFFIXES[0]


def _origin(name: str) -> str:
    module = importlib.import_module(f"citecheck.extract.{name}")
    assert module.__spec__ is not None and module.__spec__.origin is not None
    return module.__spec__.origin


def test_the_modules_in_use_are_all_compiled_from_the_present_sources_or_all_sources() -> None:
    origins = {name: _origin(name) for name in _native.modules()}
    assert "citations" in origins and "cues" in origins
    if not citecheck.extract.COMPILED:
        assert all(origin.endswith(".py") for origin in origins.values()), origins
        return
    record = json.loads(_native.BUILD_RECORD.read_text(encoding="utf-8"))
    for name, origin in origins.items():
        assert origin.endswith(EXTENSION), (name, origin)
        assert record["sources"][name] == _native.source_digest(_native.PACKAGE_DIR / f"{name}.py"), name


def test_a_compiled_build_is_in_use_where_one_was_made() -> None:
    """A build that compiled must be the one that runs, unless plain Python was asked for: if this fails,
    an extraction source changed since the build (`make` rebuilds it) or the extensions do not load."""
    try:
        record = json.loads(_native.BUILD_RECORD.read_text(encoding="utf-8"))
    except FileNotFoundError:
        record = {"compiled": False}
    expected = record["compiled"] is True and not _native.pure_python_asked()
    assert citecheck.extract.COMPILED is expected, (record, _native.stale_modules())


@pytest.fixture
def fake_package(tmp_path: Path) -> Path:
    """A package like citecheck.extract: two modules, each with an "extension" that is not one."""
    package = tmp_path / "fakepkg"
    package.mkdir()
    (package / "__init__.py").write_text(  # _native.py by path: the real package's state stays out of it
        "import importlib.util\n"
        "from pathlib import Path\n"
        f"spec = importlib.util.spec_from_file_location('fake_native', {str(_native.__file__)!r})\n"
        "_native = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(_native)\n"
        "COMPILED = _native.select(__name__, Path(__file__).parent)\n"
    )
    for name in ("alpha", "beta"):
        (package / f"{name}.py").write_text(f"FROM = 'source of {name}'\n")
        (package / f"{name}{EXTENSION}").write_bytes(b"not an extension")
        (package / f"{name}__mypyc{EXTENSION}").write_bytes(b"not an extension")
    return package


def _record(package: Path, sources: dict[str, str]) -> None:
    record = {"compiled": True, "sources": sources}
    (package / "_native_build.json").write_text(json.dumps(record), encoding="utf-8")


def _digests(package: Path) -> dict[str, str]:
    return {name: _native.source_digest(package / f"{name}.py") for name in ("alpha", "beta")}


def _import(package: Path, *, pure: bool = False) -> subprocess.CompletedProcess[str]:
    """Import the fake package, and its module alpha unless the package says it is compiled."""
    env = {key: value for key, value in os.environ.items() if key != _native.PURE_PYTHON_VARIABLE}
    if pure:
        env[_native.PURE_PYTHON_VARIABLE] = "1"
    code = (
        "import fakepkg\n"
        "print('compiled' if fakepkg.COMPILED else __import__('fakepkg.alpha').alpha.FROM)\n"
    )
    env["PYTHONPATH"] = str(package.parent)
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60, check=True
    )


def test_stale_modules_are_those_edited_since_the_build(fake_package: Path) -> None:
    assert _native.modules(fake_package) == ["alpha", "beta"]
    assert _native.stale_modules(fake_package) == ["alpha", "beta"]  # no record of a build
    _record(fake_package, _digests(fake_package))
    assert _native.stale_modules(fake_package) == []
    (fake_package / "beta.py").write_text("FROM = 'edited'\n")
    assert _native.stale_modules(fake_package) == ["beta"]
    for path in fake_package.glob(f"beta*{EXTENSION}"):
        path.unlink()
    assert _native.stale_modules(fake_package) == []  # nothing compiled left to be stale


def test_a_current_build_is_loaded(fake_package: Path) -> None:
    _record(fake_package, _digests(fake_package))
    run = _import(fake_package)
    assert run.stdout.strip() == "compiled"
    assert run.stderr == ""


def test_after_an_edit_the_sources_are_loaded_and_that_is_said(fake_package: Path) -> None:
    _record(fake_package, _digests(fake_package))
    (fake_package / "beta.py").write_text("FROM = 'edited'\n")
    run = _import(fake_package)
    assert run.stdout.strip() == "source of alpha"  # every module from source, not only the edited one
    assert "do not match beta.py" in run.stderr and "make" in run.stderr


def test_a_module_missing_from_the_build_makes_it_stale(fake_package: Path) -> None:
    _record(fake_package, _digests(fake_package))
    for path in fake_package.glob(f"beta*{EXTENSION}"):
        path.unlink()
    run = _import(fake_package)
    assert run.stdout.strip() == "source of alpha"
    assert "beta.py" in run.stderr


def test_plain_python_when_asked_for_without_a_word(fake_package: Path) -> None:
    _record(fake_package, _digests(fake_package))
    run = _import(fake_package, pure=True)
    assert run.stdout.strip() == "source of alpha"
    assert run.stderr == ""


def test_plain_python_when_asked_for_in_the_real_package() -> None:
    env = dict(os.environ, **{_native.PURE_PYTHON_VARIABLE: "1"})
    code = "import citecheck.extract as e, citecheck.extract.cues as c; print(e.COMPILED, c.__spec__.origin)"
    run = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120, check=True
    )
    compiled, origin = run.stdout.split()
    assert compiled == "False" and origin.endswith("cues.py"), run.stdout
