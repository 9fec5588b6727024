"""Which of a verdict's reasons a reader should see first.

A verdict carries every reason the scorer applied, in the order it applied them: the outlet's type
first, then affiliation, date, link and archive. A report that shows one line per source, or three lines
per document, needs the reasons that decided the outcome instead of the first ones written.

Each reason starts with its topic ("link status: dead (HTTP 404)", "self-interest: …"), which is the
contract with `citecheck/score.py`. For a citation the choice follows what the data says about it (a
broken link, a mismatching archived copy, a missing date), so a reason that only states a fact never
outranks one that lowered the score. A topic this module does not know ranks after the known ones, so
a new kind of reason is shown rather than lost.
"""

from __future__ import annotations

from ..models import ArchiveMatch, CitationKind, CitationResult, Role, Verdict, VerdictLabel

__all__ = ["DOCUMENT_TOPICS", "deciding_reason", "reason_topic", "weightiest_reasons"]

# Document reasons, most weight first: the share of sources that cannot be checked scales the whole
# score; dependence on one weak source type and a single owner each take a fixed penalty; the average
# of the sources is the base the others adjust; links add or take a little.
DOCUMENT_TOPICS = ("vague or unverifiable", "dependence", "independence", "sources", "links")

# Citation reasons that lower a score, in the order they decide it when several apply.
_PENALTY_TOPICS = ("self-interest", "state affiliation", "self-citation", "funder disclosure")


def reason_topic(reason: str) -> str:
    """The words before the first colon: "link status" for "link status: dead (HTTP 404)"."""
    topic, colon, _ = reason.partition(":")
    return topic.strip().casefold() if colon else ""


def _last_with_topic(reasons: tuple[str, ...], topic: str) -> str | None:
    """The last reason on a topic: within a topic the scorer writes the fact first, the penalty after."""
    for reason in reversed(reasons):
        if reason_topic(reason) == topic:
            return reason
    return None


def _deciding_topics(item: CitationResult, verdict: Verdict) -> list[str]:
    citation, link, snapshot = item.citation, item.link, item.snapshot
    topics = []
    if verdict.label is VerdictLabel.UNVERIFIABLE:
        topics.append("verdict")
    if citation.kind is CitationKind.VAGUE:
        topics.append("vague attribution")
    if citation.malformed:
        topics.append("link")
    if link is not None and link.status.is_broken:
        topics.append("link status")
    if snapshot is not None and snapshot.match is ArchiveMatch.MISMATCH:
        topics.append("archive")
    topics += _PENALTY_TOPICS
    if citation.role is Role.CITED and citation.kind is not CitationKind.URL and citation.date is None:
        topics.append("date")
    topics.append("outlet")
    return topics


def deciding_reason(item: CitationResult) -> str | None:
    """The one reason that decided a citation's verdict, or None when it has no verdict."""
    verdict = item.verdict
    if verdict is None or not verdict.reasons:
        return None
    for topic in _deciding_topics(item, verdict):
        found = _last_with_topic(verdict.reasons, topic)
        if found is not None:
            return found
    return verdict.reasons[0]


def weightiest_reasons(verdict: Verdict | None, count: int = 3) -> tuple[str, ...]:
    """A document's reasons, those that weigh most first (DOCUMENT_TOPICS), at most `count`."""
    if verdict is None:
        return ()
    rank = {topic: index for index, topic in enumerate(DOCUMENT_TOPICS)}
    ordered = sorted(
        enumerate(verdict.reasons),
        key=lambda pair: (rank.get(reason_topic(pair[1]), len(rank)), pair[0]),
    )
    return tuple(reason for _, reason in ordered[:count])
