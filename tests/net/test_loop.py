"""The network stages run on uvloop where it is installed (it is, wherever citecheck's dependencies are)."""

from __future__ import annotations

import asyncio
import importlib.util
import sys
from importlib.metadata import requires

import pytest

from citecheck.net.loop import run


async def _loop_module() -> str:
    await asyncio.sleep(0)
    return type(asyncio.get_running_loop()).__module__


@pytest.mark.skipif(sys.platform == "win32", reason="uvloop does not run on Windows (not required there)")
def test_a_run_uses_uvloop() -> None:
    # citecheck requires uvloop off Windows, so an environment without it is broken, not exempt: fail.
    assert any(line.startswith("uvloop") for line in requires("citecheck") or ())
    if importlib.util.find_spec("uvloop") is None:
        pytest.fail("uvloop, a dependency of citecheck (pyproject.toml), is missing: `pip install -e .`")
    assert run(_loop_module()).startswith("uvloop")


def test_a_run_returns_what_its_coroutine_returns_and_raises_what_it_raises() -> None:
    async def fails() -> None:
        raise LookupError("from inside the loop")

    assert run(asyncio.sleep(0, result=42)) == 42
    with pytest.raises(LookupError, match="from inside the loop"):
        run(fails())
