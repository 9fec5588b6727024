"""Network access for the stages that need it (check/, archive/).

`NetClient` in client.py is the only code that sends requests; guard.py decides which addresses it may
connect to and limits.py how fast and how wide it may go. pipeline.py builds one client per run and
hands it to every network stage.
"""

from __future__ import annotations

from .client import (
    NETWORK_FAILURES,
    FetchFailure,
    FetchResult,
    NetClient,
    guarded_transport,
    retry_after_seconds,
)
from .guard import AddressPolicy, forbidden_reason
from .limits import Clock, HostLimits, RateLimiter, SystemClock

__all__ = [
    "NETWORK_FAILURES",
    "AddressPolicy",
    "Clock",
    "FetchFailure",
    "FetchResult",
    "HostLimits",
    "NetClient",
    "RateLimiter",
    "SystemClock",
    "forbidden_reason",
    "guarded_transport",
    "retry_after_seconds",
]
