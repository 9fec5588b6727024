"""The cluster is an extra: a run on one machine never imports Dask (#20)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import CORPUS

SCRIPT = """
import sys
from citecheck.cli import main

try:
    main(["check", "--offline", "-q", "--fail-on", "never", "--db", sys.argv[1], sys.argv[2]])
except SystemExit as exited:
    assert exited.code == 0, exited.code
loaded = sorted(name for name in sys.modules if name.split(".")[0] in ("dask", "distributed"))
print("loaded:", " ".join(loaded))
"""


def test_a_run_on_one_machine_imports_neither_dask_nor_distributed(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'local.db'}"
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, database, str(CORPUS / "policy-monitor-1614.txt")],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert done.stdout.strip().splitlines()[-1] == "loaded:"
