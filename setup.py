"""The compiled extraction core: the modules of citecheck/extract compiled with mypyc, in place.

`make` runs `python setup.py build_native` when it installs the package and before each test or demo
run. It compiles every module of citecheck/extract but __init__.py and _native.py, puts the extension
files beside the sources and records the digest of each source it compiled in
citecheck/extract/_native_build.json. When the sources still match that record it does nothing, so
only an edit (or a new mypy) costs a build, about a minute on two cores. citecheck.extract loads the
compiled modules only while every source has its recorded digest; after an edit it loads the .py
files instead and says so (see citecheck/extract/_native.py), so a stale build never runs.

Plain Python instead: set CITECHECK_PURE_PYTHON=1. At run time the .py sources are loaded whatever
was built; for build_native it means removing the compiled files and building nothing. Without mypyc
(it comes with mypy, in the test extra), a C compiler or Python's headers, build_native says so once
and the package runs as plain Python: slower, same results.

`pip install` and `pip install -e` build nothing compiled: the metadata is in pyproject.toml and
setup() below only adds the build_native command.

Layout: mypyc's separate mode, two files per module inside citecheck/extract (X.<tag>.so, a shim,
and X__mypyc.<tag>.so, the code), so the compiled modules import the same way through the editable
install and from the repository root, and each has a correct __file__. One shared library for all of
them would sit either at the top level, which the editable install's finder does not map, or inside
the package, where mypyc derives wrong __file__ paths for the modules.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import json
import os
import shutil
import sysconfig
import time
import warnings
from pathlib import Path
from types import ModuleType

from setuptools import Command, setup

# Said on every run of this file otherwise; the [tool.setuptools] tables are deliberate.
warnings.filterwarnings("ignore", message="Support for `\\[tool.setuptools\\]` in `pyproject.toml`")

ROOT = Path(__file__).resolve().parent
PACKAGE = ROOT / "citecheck" / "extract"


def _native() -> ModuleType:
    """citecheck/extract/_native.py, loaded by path: importing the package would need its dependencies."""
    spec = importlib.util.spec_from_file_location("_citecheck_native", PACKAGE / "_native.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cannot_compile() -> str | None:
    """Why this machine cannot build the compiled modules, or None if it can."""
    try:
        import mypyc.build  # noqa: F401
    except ImportError:
        return "mypyc is not installed (it comes with mypy: pip install -e '.[test]')"
    compiler = (os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(compiler) is None:
        return f"no C compiler ({compiler} not found)"
    if not (Path(sysconfig.get_paths()["include"]) / "Python.h").exists():
        return "Python's C headers are missing (Debian: apt-get install python3-dev)"
    return None


def _mypyc_version() -> str:
    from mypy.version import __version__

    return str(__version__)


def _remove_compiled() -> None:
    """Every extension file in the package (also of modules renamed since), the record first."""
    record = PACKAGE / "_native_build.json"
    record.unlink(missing_ok=True)
    for path in PACKAGE.iterdir():
        if path.name.endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES)):
            path.unlink()


class BuildNative(Command):
    description = "compile citecheck/extract with mypyc, in place (a no-op when the build is current)"
    user_options = [("force", "f", "build even if the compiled modules match their sources")]

    def initialize_options(self) -> None:
        self.force = False

    def finalize_options(self) -> None:
        pass

    def run(self) -> None:
        os.chdir(ROOT)  # mypyc works with paths relative to the current directory
        native = _native()
        record_path: Path = native.BUILD_RECORD
        names: list[str] = native.modules()
        sources = {name: native.source_digest(PACKAGE / f"{name}.py") for name in names}
        sources["setup.py"] = native.source_digest(ROOT / "setup.py")  # how they are compiled
        try:
            record = json.loads(record_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            record = {}
        compiled_now = any(native.compiled_files(name) for name in names)

        if native.pure_python_asked():
            reason = f"{native.PURE_PYTHON_VARIABLE} is set"
        else:
            reason = _cannot_compile()
        if reason is not None:
            if record.get("compiled") is False and record.get("reason") == reason and not compiled_now:
                return  # said so when it happened
            _remove_compiled()
            record_path.write_text(json.dumps({"compiled": False, "reason": reason}, indent=1) + "\n")
            print(f"citecheck: not compiling the extraction core: {reason}. It runs as plain Python, slower.")
            return

        version = _mypyc_version()
        current = (
            record.get("compiled") is True
            and record.get("sources") == sources
            and record.get("mypyc") == version
            and all(len(native.compiled_files(name)) == 2 for name in names)
        )
        if current and not self.force:
            return
        started = time.monotonic()
        _remove_compiled()
        from mypyc.build import mypycify

        paths = [str((PACKAGE / f"{name}.py").relative_to(ROOT)) for name in names]
        self.distribution.ext_modules = mypycify(paths, opt_level="3", separate=True)
        build_ext = self.reinitialize_command("build_ext")
        build_ext.inplace = True  # type: ignore[attr-defined]
        build_ext.parallel = os.cpu_count() or 1  # type: ignore[attr-defined]
        self.run_command("build_ext")
        missing = [name for name in names if len(native.compiled_files(name)) != 2]
        if missing:
            raise RuntimeError(f"mypyc built no extension for {', '.join(missing)}")
        record = {"compiled": True, "mypyc": version, "sources": sources}
        record_path.write_text(json.dumps(record, indent=1) + "\n")
        seconds = time.monotonic() - started
        print(f"citecheck: compiled the extraction core ({len(names)} modules) with mypyc in {seconds:.0f} s")


setup(cmdclass={"build_native": BuildNative})
