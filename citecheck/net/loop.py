"""The event loop a run's network stages run in: uvloop where it is installed, else asyncio's own.

uvloop (libuv underneath) does the loop's own work, scheduling callbacks and moving bytes between
sockets and protocols, in C: measured on bench/links.py's fixture (2,000 links over 50 hosts), a link
check took about a fifth less CPU time with it, the same requests and answers. It does not run on
Windows, where asyncio's loop is used.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

__all__ = ["run"]

T = TypeVar("T")


def run(main: Coroutine[Any, Any, T]) -> T:
    """asyncio.run(main), on uvloop's loop when uvloop is installed."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(main)
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(main)
