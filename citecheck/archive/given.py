"""The archived copy a document itself gives for a citation (a wiki reference's archive-url).

An editor who wrote `archive-url=` chose that copy, usually because it holds what the reference cites;
it is checked before any archive is searched, with one request through the run's client (the address
guard applies to it as to any cited URL). A copy that answers 2xx is the citation's Snapshot, its page
judged against the citing text like any other copy (judge_snapshot); one that does not, or that is an
error page or a bot wall's challenge served with 2xx, is left out, and the archives are searched as usual.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from ..check.classify import bot_wall_reason
from ..check.page import page_title
from ..config import ArchiveSettings
from ..models import Snapshot
from ..net import NetClient
from .match import read_archived_page
from .warc import error_page_reason

__all__ = ["GIVEN_ARCHIVE", "given_copy"]

GIVEN_ARCHIVE = "given by the document"
# Wayback-style mementos carry their capture time: /web/20141101093000/<original>
_TIMESTAMP = re.compile(r"/(\d{14})(?:[a-z]{2}_)?/")


def _captured_at(memento_url: str) -> datetime | None:
    found = _TIMESTAMP.search(memento_url)
    if found is None:
        return None
    try:
        return datetime.strptime(found.group(1), "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return None


async def given_copy(
    url: str, archive_url: str, client: NetClient, settings: ArchiveSettings
) -> tuple[Snapshot | None, str]:
    """(the Snapshot of the given copy, or None when it cannot be read; a line of evidence)."""
    result = await client.fetch(archive_url)
    if not result.ok:
        problem = result.detail or (result.failure.value if result.failure else f"HTTP {result.status_code}")
        return None, f"the archived copy the document gives ({archive_url}) could not be read: {problem}"
    title = page_title(result.body) if result.body else None
    not_a_copy = bot_wall_reason(result.headers, title) or await error_page_reason(url, result.body)
    if not_a_copy is not None:
        return None, f"the archived copy the document gives ({archive_url}) is not a copy: {not_a_copy}"
    evidence = "the document gives this archived copy (archive-url)"
    snapshot = Snapshot(
        url=url,
        archive=GIVEN_ARCHIVE,
        found=True,
        memento_url=archive_url,
        memento_datetime=_captured_at(archive_url),
        http_status=result.status_code,
        evidence=(evidence,),
        page=await read_archived_page(result.body, result.media_type) if settings.match_content else None,
    )
    return snapshot, evidence
