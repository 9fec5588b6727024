"""Provenance scores with stated reasons, for each citation and each document.

A score is only useful if a reader can see why it was given, so every adjustment appends a
plain-language reason naming its input (the outlet, its type, the link status, the archive).
Weights come from config.yaml (ScoringSettings); the same inputs always give the same verdicts.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .config import ScoringSettings
from .models import (
    Affiliation,
    ArchiveMatch,
    CitationKind,
    CitationResult,
    DocumentResult,
    LinkStatus,
    Outlet,
    OutletType,
    Role,
    RunResult,
    Verdict,
    VerdictLabel,
)

__all__ = ["is_flagged", "score_citation", "score_document"]

COUNTRIES_FILE = Path(__file__).resolve().parent / "data" / "countries.yaml"
_PARTY_STATE_TYPES = {OutletType.STATE_MEDIA, OutletType.GOVERNMENT}


@dataclass(frozen=True)
class _Geography:
    patterns: dict[str, re.Pattern[str]]
    rivals: dict[str, frozenset[str]]

    def countries_in(self, text: str) -> set[str]:
        return {code for code, pattern in self.patterns.items() if pattern.search(text)}


@lru_cache(maxsize=1)
def _geography() -> _Geography:
    data = yaml.safe_load(COUNTRIES_FILE.read_text(encoding="utf-8"))
    patterns = {
        code: re.compile(
            r"(?<![\w.])(?:"
            + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
            + r")(?![\w])"
        )
        for code, words in data["countries"].items()
    }
    rivals: dict[str, set[str]] = {}
    for first, second in data["rivals"]:
        rivals.setdefault(first, set()).add(second)
        rivals.setdefault(second, set()).add(first)
    return _Geography(patterns, {code: frozenset(codes) for code, codes in rivals.items()})


def _label(score: int, settings: ScoringSettings) -> VerdictLabel:
    if score >= settings.strong_at:
        return VerdictLabel.STRONG
    if score >= settings.adequate_at:
        return VerdictLabel.ADEQUATE
    return VerdictLabel.WEAK


def _clamp(score: float) -> int:
    return max(0, min(100, round(score)))


def _describe(outlet: Outlet) -> str:
    where = f", {outlet.country}" if outlet.country else ""
    return f"{outlet.name} is {outlet.type.value.replace('_', ' ')}{where}"


def _outlet_reasons(
    item: CitationResult, outlet: Outlet, settings: ScoringSettings
) -> tuple[float, list[str]]:
    citation = item.citation
    weight = settings.type_weights.get(outlet.type.value, settings.type_weights.get("unknown", 35))
    reasons = [f"outlet: {_describe(outlet)} (type weight {weight})"]
    score = float(weight)
    countries = _geography().countries_in(citation.context) if citation.context else set()
    if outlet.state_affiliation is Affiliation.CONTROLLED:
        if outlet.type is not OutletType.GOVERNMENT:
            score -= settings.controlled_penalty
            owner = f" (owner: {outlet.owner})" if outlet.owner else ""
            reasons.append(
                f"state affiliation: {outlet.name} is state-controlled{owner}, without editorial independence"
            )
        if outlet.type in _PARTY_STATE_TYPES and outlet.country and outlet.country in countries:
            score -= settings.self_interest_penalty
            reasons.append(
                f"self-interest: {outlet.name} speaks for the {outlet.country} state on a matter concerning "
                "that state; a record of what that state says, not independent confirmation"
            )
    elif outlet.state_affiliation is Affiliation.FUNDED:
        funder = outlet.funder or "a government"
        reasons.append(
            f"funder: {outlet.name} is state-funded ({funder}); editorially independent by charter"
        )
        rivals = _geography().rivals.get(outlet.country or "", frozenset())
        reported = sorted(countries & rivals)
        if reported:
            score -= settings.funded_rival_penalty
            reasons.append(
                f"funder disclosure: {outlet.name} reports on {', '.join(reported)}, "
                f"a rival of its funder's state ({outlet.country})"
            )
    if outlet.note:
        reasons.append(f"note on {outlet.name}: {outlet.note}")
    return score, reasons


def _link_reasons(item: CitationResult, settings: ScoringSettings) -> tuple[float, list[str], bool]:
    """(adjustment, reasons, unverifiable) from the link and archive checks."""
    citation, link, snapshot = item.citation, item.link, item.snapshot
    if citation.kind is not CitationKind.URL:
        return 0.0, [], False
    delta = float(settings.link_bonus)
    reasons = ["link: the citation gives an address a reader can check"]
    archived = snapshot is not None and snapshot.found
    broken = citation.malformed is not None or (link is not None and link.status.is_broken)
    if citation.malformed:
        reasons.append(f"link: the URL is malformed ({citation.malformed})")
    if link is not None and not citation.malformed:
        http = f" (HTTP {link.http_status})" if link.http_status else ""
        reasons.append(f"link status: {link.status.value}{http}")
        if link.status.is_broken:
            delta -= settings.dead_link_penalty
        elif link.status is LinkStatus.UNKNOWN_OFFLINE:
            reasons.append("link status: could not be checked (no network)")
    if snapshot is not None:
        if snapshot.recovered_url:
            reasons.append(f"archive: the full address was recovered as {snapshot.recovered_url}")
        if archived:
            when = (
                snapshot.memento_datetime.date().isoformat()
                if snapshot.memento_datetime
                else "an unknown date"
            )
            delta += settings.archive_bonus
            reasons.append(f"archive: a copy from {when} is held by {snapshot.archive}")
            if snapshot.match is ArchiveMatch.MISMATCH:
                delta -= settings.mismatch_penalty
                reasons.append("archive: the archived page does not match what the document says it contains")
            elif snapshot.match is ArchiveMatch.MATCHED:
                reasons.append("archive: the archived page matches the citation")
            elif snapshot.match is ArchiveMatch.PARTIAL:
                reasons.append("archive: the archived page matches the citation in part")
        elif snapshot.error:
            reasons.append(snapshot.error)  # "archive not reached: ...": whether a copy exists is unknown
        elif snapshot.http_status is not None:
            reasons.append(
                f"archive: no archived copy found ({snapshot.archive} holds only an error page, "
                f"HTTP {snapshot.http_status})"
            )
        else:
            reasons.append(f"archive: no archived copy found ({snapshot.archive})")
    checked = link is not None or snapshot is not None or citation.malformed is not None
    # unverifiable only when it is established that no copy exists: an archive not reached says nothing
    no_copy = not archived and not (snapshot is not None and snapshot.error)
    return delta, reasons, checked and broken and no_copy


def score_citation(item: CitationResult, settings: ScoringSettings) -> Verdict:
    citation = item.citation
    if citation.kind is CitationKind.VAGUE:
        return Verdict(
            settings.vague_score,
            VerdictLabel.WEAK,
            (f"vague attribution: \u201c{citation.text}\u201d names no source a reader could check",),
        )
    outlet = citation.outlet
    if outlet is not None:
        score, reasons = _outlet_reasons(item, outlet, settings)
    else:
        score = float(settings.type_weights.get("unknown", 35))
        what = citation.url or citation.text
        reasons = [f"outlet: {what} is not in the registry, so its type is unknown"]
    if citation.role is Role.SELF:
        score = min(score, float(settings.adequate_at) - 10)
        reasons.append("self-citation: the document's own publisher vouches for the claim")
    elif citation.role is Role.MENTIONED:
        reasons.append("role: mentioned in the text, not cited as a source")
    elif citation.role is Role.CREDIT:
        reasons.append("role: credited for a photo or video, not cited as a source")
    if citation.role is Role.CITED and citation.kind is not CitationKind.URL:
        if citation.date is None:
            score -= settings.no_date_penalty
            reasons.append("date: the citation gives no date")
        else:
            reasons.append(f"date: cited as of {citation.date.iso()}")
    delta, link_reasons, unverifiable = _link_reasons(item, settings)
    score += delta
    reasons.extend(link_reasons)
    final = _clamp(score)
    if unverifiable:
        reasons.append(
            "verdict: the link is broken and no archived copy was found, so the claim cannot be checked"
        )
        return Verdict(min(final, settings.adequate_at - 1), VerdictLabel.UNVERIFIABLE, tuple(reasons))
    return Verdict(final, _label(final, settings), tuple(reasons))


def score_document(result: DocumentResult, settings: ScoringSettings) -> Verdict:
    """Build a document verdict from its cited sources: how much, how varied, how checkable."""
    cited = [item for item in result.citations if item.citation.role in (Role.CITED, Role.SELF)]
    if not cited:
        return Verdict(
            20, VerdictLabel.UNVERIFIABLE, ("sources: the document cites no source, named or linked",)
        )
    # One claim per distinct source: the same outlet cited five times is still one source.
    sources: dict[str, CitationResult] = {}
    vague_count = 0
    for item in cited:
        citation = item.citation
        if citation.kind is CitationKind.VAGUE:
            key = f"vague:{' '.join(citation.text.casefold().split())}"
            if key not in sources:  # a phrase repeated in captions is still one attribution
                sources[key] = item
                vague_count += 1
            continue
        key = citation.outlet.id if citation.outlet else f"url:{citation.url or citation.text}"
        best = sources.get(key)
        if best is None or (item.verdict and best.verdict and item.verdict.score > best.verdict.score):
            sources[key] = item
    items = list(sources.values())
    scores = [item.verdict.score if item.verdict else 0 for item in items]
    mean = sum(scores) / len(scores)
    reasons = [f"sources: {len(items)} distinct source(s) and attribution(s), average score {mean:.0f}"]
    unverifiable = sum(
        1 for item in items if item.verdict and item.verdict.label is VerdictLabel.UNVERIFIABLE
    )
    weak_share = (vague_count + unverifiable) / len(items)
    score = mean * (1 - 0.5 * weak_share)
    if vague_count or unverifiable:
        reasons.append(
            f"vague or unverifiable: {vague_count + unverifiable} of {len(items)} "
            f"({weak_share:.0%}) rest on vague attributions or sources that cannot be checked"
        )
    named = [item for item in items if item.citation.outlet is not None]
    owners = {
        (item.citation.outlet.owner or item.citation.outlet.id) for item in named if item.citation.outlet
    }
    if len(owners) <= 1:
        score -= 10
        reasons.append(f"independence: {len(owners)} independent owner(s) behind the named sources")
    elif len(owners) >= 3:
        score += 5
        reasons.append(f"independence: {len(owners)} independent owners behind the named sources")
    types = Counter(item.citation.outlet.type for item in named if item.citation.outlet)
    if len(named) >= 3 and types:
        common, count = types.most_common(1)[0]
        if count / len(named) > 0.6:
            reasons.append(
                f"dependence: {count} of {len(named)} named sources are {common.value.replace('_', ' ')}"
            )
            if settings.type_weights.get(common.value, 50) < settings.adequate_at:
                score -= 10
    linked = sum(1 for item in cited if item.citation.kind is CitationKind.URL)
    if linked:
        reasons.append(f"links: {linked} citation(s) carry a link a reader can follow")
    else:
        score -= 5
        reasons.append("links: no citation carries a link a reader could check")
    final = _clamp(score)
    label = _label(final, settings)
    if weak_share >= 0.5 and label is not VerdictLabel.WEAK:
        label = VerdictLabel.WEAK
    return Verdict(final, label, tuple(reasons))


def is_flagged(result: RunResult, fail_on: str) -> bool:
    """Whether a run should end with exit code 1 under the --fail-on policy."""
    if fail_on == "never":
        return False
    for document in result.documents:
        for item in document.citations:
            link_broken = item.link is not None and item.link.status in (
                LinkStatus.DEAD,
                LinkStatus.SOFT_404,
                LinkStatus.DNS_ERROR,
                LinkStatus.MALFORMED,
            )
            if item.citation.malformed:
                link_broken = True
            label = item.verdict.label if item.verdict else None
            if link_broken and fail_on in ("dead", "unverifiable", "weak"):
                return True
            if label is VerdictLabel.UNVERIFIABLE and fail_on in ("unverifiable", "weak"):
                return True
            relied_on = item.citation.role not in (Role.MENTIONED, Role.CREDIT)
            if fail_on == "weak" and relied_on and label is VerdictLabel.WEAK:
                return True
        if (
            fail_on == "weak"
            and document.verdict
            and document.verdict.label in (VerdictLabel.WEAK, VerdictLabel.UNVERIFIABLE)
        ):
            return True
    return False
