"""Network access for the stages that need it (check/, archive/).

`NetClient` in client.py is the only code that sends requests, through transport.py's connections;
guard.py decides which addresses it may connect to, limits.py how fast and how wide it may go, and
decoding.py inflates bodies under their cap; loop.py runs the event loop they share.
pipeline.py builds one client per run and hands it to every network stage.

The names below are imported on first use: an offline run enters the event loop too, and should not
import httpx for it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .client import (
        NETWORK_FAILURES,
        FetchFailure,
        FetchResult,
        NetClient,
        retry_after_seconds,
    )
    from .guard import AddressPolicy, forbidden_reason
    from .limits import Clock, HostLimits, RateBudget, RateLimiter, SystemClock, budget_window
    from .transport import guarded_transport

__all__ = [
    "NETWORK_FAILURES",
    "AddressPolicy",
    "Clock",
    "FetchFailure",
    "FetchResult",
    "HostLimits",
    "NetClient",
    "RateBudget",
    "RateLimiter",
    "SystemClock",
    "budget_window",
    "forbidden_reason",
    "guarded_transport",
    "retry_after_seconds",
]

_MODULE_OF = {
    "NETWORK_FAILURES": "client",
    "FetchFailure": "client",
    "FetchResult": "client",
    "NetClient": "client",
    "guarded_transport": "transport",
    "retry_after_seconds": "client",
    "AddressPolicy": "guard",
    "forbidden_reason": "guard",
    "Clock": "limits",
    "HostLimits": "limits",
    "RateBudget": "limits",
    "RateLimiter": "limits",
    "SystemClock": "limits",
    "budget_window": "limits",
}


def __getattr__(name: str) -> Any:
    if name in _MODULE_OF:
        return getattr(importlib.import_module(f".{_MODULE_OF[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
