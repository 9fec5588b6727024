"""`pip install .` builds cleanly and gives a `citecheck` command: built here offline, as pip would."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=600)


def test_the_wheel_builds_without_warnings_and_installs_a_command(tmp_path: Path) -> None:
    built = _run(
        sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "--no-build-isolation", "--no-index",
        "-w", str(tmp_path / "dist"),
    )  # fmt: skip
    output = built.stdout + built.stderr
    assert built.returncode == 0, output
    assert "Warning" not in output and "deprecated" not in output.lower(), output
    [wheel] = list((tmp_path / "dist").glob("citecheck-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for data in (
        "citecheck/data/registry/state_media_profiles.yaml",
        "citecheck/data/report-v1.schema.json",
        "citecheck/data/source_records.yaml",
        "citecheck/report/templates/report.js.j2",
        "citecheck/_migrations/script.py.mako",
        "citecheck/py.typed",
    ):
        assert data in names, data
    metadata = next(name for name in names if name.endswith("METADATA"))
    assert "License-Expression: MIT" in zipfile.ZipFile(wheel).read(metadata).decode()

    venv = tmp_path / "venv"
    assert _run(sys.executable, "-m", "venv", "--without-pip", str(venv)).returncode == 0
    installed = _run(
        sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--no-deps",
        "--no-index", str(wheel),
    )  # fmt: skip
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert (venv / "bin" / "citecheck").is_file()  # the command pip puts on the environment's PATH
