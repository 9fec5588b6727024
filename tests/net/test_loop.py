"""The network stages run on uvloop where it is installed (it is, wherever citecheck's dependencies are)."""

from __future__ import annotations

import asyncio
import sys

import pytest

from citecheck.net.loop import run


async def _loop_module() -> str:
    await asyncio.sleep(0)
    return type(asyncio.get_running_loop()).__module__


@pytest.mark.skipif(sys.platform == "win32", reason="uvloop does not run on Windows")
def test_a_run_uses_uvloop() -> None:
    # A worktree made before uvloop became a dependency lacks it until `pip install -e .` runs again.
    pytest.importorskip("uvloop", reason="uvloop not installed here (a dependency since #19)")
    assert run(_loop_module()).startswith("uvloop")


def test_a_run_returns_what_its_coroutine_returns_and_raises_what_it_raises() -> None:
    async def fails() -> None:
        raise LookupError("from inside the loop")

    assert run(asyncio.sleep(0, result=42)) == 42
    with pytest.raises(LookupError, match="from inside the loop"):
        run(fails())
