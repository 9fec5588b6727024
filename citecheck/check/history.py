"""Dead means confirmed: a link that fails once is `failing`; repeated failures over days make it `dead`.

A link can be down for an hour. InternetArchiveBot calls a link dead only after three failed checks at
least three days apart; citecheck does the same with the checks stored in its database. In: this run's
checks (the raw classes `check_links` reports) and, for each URL, the failure streak its earlier checks
left (`FailureStreak`, from the store). Out: the same checks, a hard failure turned into `failing` or `dead`.

* A hard failure is a check that says the page cannot be read: not found (404, 410, other 4xx), a soft
  404, no such host, a TLS, server or connection error, a timeout. `cause` keeps which.
* It continues the streak of the link's latest earlier check that was a success or a failure; checks
  that say nothing either way (blocked, too large, refused, malformed, no network) are passed over.
  A success ends the streak, so one working check in between starts the count again.
* The link is `dead` once the streak holds `dead_after_checks` failures and its first failure is at
  least `dead_after_days` before this check; until then it is `failing`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timedelta

from ..config import NetworkSettings
from ..models import FailureStreak, LinkCheck, LinkStatus

__all__ = ["confirm_failures"]


def confirm_failures(
    checks: Mapping[str, LinkCheck],
    streaks: Mapping[str, FailureStreak],
    settings: NetworkSettings,
    now: datetime,
) -> dict[str, LinkCheck]:
    """`checks` with each hard failure made `failing` or `dead` (see the module docstring)."""
    return {url: _confirmed(check, streaks.get(url), settings, now) for url, check in checks.items()}


def _confirmed(
    check: LinkCheck, streak: FailureStreak | None, settings: NetworkSettings, now: datetime
) -> LinkCheck:
    if not check.status.is_hard_failure:
        return check
    failures = (streak.failures if streak else 0) + 1
    since = streak.since if streak else (check.checked_at or now)
    span = now - since
    dead = failures >= settings.dead_after_checks and span >= timedelta(days=settings.dead_after_days)
    if dead:
        history = f"dead after {failures} failed checks since {since.date().isoformat()}"
    else:
        history = (
            f"failing since {since.date().isoformat()}, {failures} of {settings.dead_after_checks} checks"
        )
        if failures >= settings.dead_after_checks:  # enough checks, not yet enough days
            history += f"; dead once failing {settings.dead_after_days:g} days"
    return replace(
        check,
        status=LinkStatus.DEAD if dead else LinkStatus.FAILING,
        cause=check.status,
        failures=failures,
        failing_since=since,
        history=history,
    )
