"""Provenance scores with stated reasons, for each citation and each document.

A score is only useful if a reader can see why it was given, so every adjustment appends a
plain-language reason naming its input (the outlet, its type, the link status, the archive).
Every weight, penalty and threshold, for citations and for documents, comes from config.yaml
(ScoringSettings); the same inputs always give the same verdicts.

Who controls a source decides two things: independence (Xinhua, CCTV and People's Daily are one
source of pressure, "CN:CCP", however their owners are worded) and self-interest (any outlet a state
controls, of any type, speaking on that state's matters).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ahocorasick_rs import AhoCorasick

from .config import ScoringSettings
from .datafiles import read_yaml
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


_SURROGATE = re.compile(r"[\ud800-\udfff]")  # the automaton cannot take one; no word holds one


@dataclass(frozen=True)
class _Geography:
    scanner: AhoCorasick  # every country word, found in one pass
    codes: tuple[str, ...]  # the country of each of the scanner's words
    rivals: dict[str, frozenset[str]]

    def countries_in(self, text: str) -> set[str]:
        """The countries whose words stand in `text` as whole words, not right after a dot: one
        Aho-Corasick pass instead of a regular expression per country (a third of the time of scoring
        a citation), the word-boundary tests made on its few hits (a regex's \\w is isalnum() or "_")."""
        try:
            hits = self.scanner.find_matches_as_indexes(text, overlapping=True)
        except UnicodeEncodeError:  # a lone surrogate: one character for another keeps the offsets
            hits = self.scanner.find_matches_as_indexes(_SURROGATE.sub("\ufffd", text), overlapping=True)
        found = set()
        for index, start, end in hits:
            before = text[start - 1] if start else " "
            after = text[end] if end < len(text) else " "
            if not (before.isalnum() or before in "_." or after.isalnum() or after == "_"):
                found.add(self.codes[index])
        return found


@lru_cache(maxsize=1)
def _geography() -> _Geography:
    data = read_yaml(COUNTRIES_FILE)
    pairs = [(word, code) for code, words in data["countries"].items() for word in words]
    rivals: dict[str, set[str]] = {}
    for first, second in data["rivals"]:
        rivals.setdefault(first, set()).add(second)
        rivals.setdefault(second, set()).add(first)
    return _Geography(
        AhoCorasick([word for word, _ in pairs]),
        tuple(code for _, code in pairs),
        {code: frozenset(codes) for code, codes in rivals.items()},
    )


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


def _countries_concerned(context: str, names: tuple[str, ...]) -> set[str]:
    """Countries the citing sentence is about, the source's own name left out: "the Chinese Academy of
    Social Sciences" says nothing of what the sentence concerns."""
    for name in sorted({n for n in names if n}, key=len, reverse=True):
        context = context.replace(name, " ")
    return _geography().countries_in(context) if context.strip() else set()


def _controlling_state(outlet: Outlet) -> str | None:
    """The country whose state controls a state-controlled outlet: the controller's country ("CN" of
    "CN:CCP"), else the outlet's own country."""
    if outlet.controller and ":" in outlet.controller:
        return outlet.controller.split(":", 1)[0]
    return outlet.country


def _controller(outlet: Outlet) -> str:
    """Who stands behind an outlet for counting independent sources: its controller, else its owner,
    else the outlet itself."""
    return outlet.controller or outlet.owner or outlet.id


def _outlet_reasons(
    item: CitationResult, outlet: Outlet, settings: ScoringSettings
) -> tuple[float, list[str]]:
    citation = item.citation
    unknown = settings.type_weights.get("unknown", 35)
    if not outlet.registered and citation.kind is CitationKind.OUTLET:
        # named in the text only: its type is a guess from its name, so the registry vouches for nothing
        return float(unknown), [
            f"outlet: {outlet.name} is not in the registry (named in the text; it reads as "
            f"{outlet.type.value.replace('_', ' ')} by its name), so it is scored as an unknown source "
            f"(type weight {unknown})"
        ]
    weight = settings.type_weights.get(outlet.type.value, unknown)
    reasons = [f"outlet: {_describe(outlet)} (type weight {weight})"]
    score = float(weight)

    # What the sentence is about matters only for a state's outlet, so it is read only for one.
    def countries() -> set[str]:
        return _countries_concerned(citation.context, (citation.text, outlet.name, *outlet.aliases))

    if outlet.state_affiliation is Affiliation.CONTROLLED:
        if outlet.type is not OutletType.GOVERNMENT:
            score -= settings.controlled_penalty
            owner = f" (owner: {outlet.owner})" if outlet.owner else ""
            reasons.append(
                f"state affiliation: {outlet.name} is state-controlled{owner}, without editorial independence"
            )
        state = _controlling_state(outlet)
        if state and state in countries():
            score -= settings.self_interest_penalty
            reasons.append(
                f"self-interest: {outlet.name} speaks for the {state} state on a matter concerning "
                "that state; a record of what that state says, not independent confirmation"
            )
    elif outlet.state_affiliation is Affiliation.FUNDED:
        funder = outlet.funder or "a government"
        reasons.append(
            f"funder: {outlet.name} is state-funded ({funder}); editorially independent by charter"
        )
        rivals = _geography().rivals.get(outlet.country or "", frozenset())
        reported = sorted(countries() & rivals) if rivals else []
        if reported:
            score -= settings.funded_rival_penalty
            reasons.append(
                f"funder disclosure: {outlet.name} reports on {', '.join(reported)}, "
                f"a rival of its funder's state ({outlet.country})"
            )
    if outlet.note:
        reasons.append(f"note on {outlet.name}: {outlet.note}")
    return score, reasons


def _link_reasons(item: CitationResult, settings: ScoringSettings) -> tuple[float, list[str], str | None]:
    """(adjustment, reasons, why the claim cannot be checked or None) from the link and archive checks.

    "Broken" is `CitationResult.broken`, the notion the reports' flagged links and the exit code share.
    A claim is unverifiable when its link is broken and it is established that no archived copy exists:
    an archive that was not reached says nothing either way.
    """
    citation, link, snapshot = item.citation, item.link, item.snapshot
    if citation.kind is not CitationKind.URL:
        return 0.0, [], None
    refused = link is not None and link.status is LinkStatus.REFUSED
    delta = 0.0
    if link is not None and refused:
        reasons = [f"link: the address is one no reader can open ({link.error or 'refused'})"]
    else:
        delta += settings.link_bonus
        reasons = ["link: the citation gives an address a reader can check"]
    archived = snapshot is not None and snapshot.found
    if citation.malformed:
        reasons.append(f"link: the URL is malformed ({citation.malformed})")
    if link is not None and not refused and (not citation.malformed or link.url != citation.url):
        http = f" (HTTP {link.http_status})" if link.http_status else ""
        which = "link status (the completed address)" if citation.malformed else "link status"
        reasons.append(f"{which}: {link.history or link.status.value}{http}")
        if link.status is LinkStatus.UNKNOWN_OFFLINE:
            reasons.append("link status: could not be checked (no network)")
    if item.broken:
        delta -= settings.dead_link_penalty
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
    if not (checked and item.broken) or archived or (snapshot is not None and snapshot.error):
        return delta, reasons, None
    if refused:
        return (
            delta,
            reasons,
            "the link points at an address no reader can open, so the claim cannot be checked",
        )
    if snapshot is None:
        return (
            delta,
            reasons,
            "the link is broken and no archive was asked for a copy, so the claim cannot be checked",
        )
    return delta, reasons, "the link is broken and no archived copy was found, so the claim cannot be checked"


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
    if unverifiable is not None:
        reasons.append(f"verdict: {unverifiable}")
        return Verdict(min(final, settings.adequate_at - 1), VerdictLabel.UNVERIFIABLE, tuple(reasons))
    return Verdict(final, _label(final, settings), tuple(reasons))


def score_document(result: DocumentResult, settings: ScoringSettings) -> Verdict:
    """Build a document verdict from its cited sources: how much, how varied, how checkable."""
    cited = [item for item in result.citations if item.citation.role in (Role.CITED, Role.SELF)]
    if not cited:
        return Verdict(
            settings.no_sources_score,
            VerdictLabel.UNVERIFIABLE,
            ("sources: the document cites no source, named or linked",),
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
    score = mean * (1 - settings.weak_share_weight * weak_share)
    if vague_count or unverifiable:
        reasons.append(
            f"vague or unverifiable: {vague_count + unverifiable} of {len(items)} "
            f"({weak_share:.0%}) rest on vague attributions or sources that cannot be checked"
        )
    named = [item.citation.outlet for item in items if item.citation.outlet is not None]
    controllers = {_controller(outlet) for outlet in named}
    if len(controllers) <= 1:
        score -= settings.single_owner_penalty
        reasons.append(
            f"independence: {len(controllers)} independent owner(s) behind the named sources, "
            "counted by who controls them"
        )
    elif len(controllers) >= settings.diverse_owners_at:
        score += settings.diverse_owners_bonus
        reasons.append(
            f"independence: {len(controllers)} independent owners behind the named sources, "
            "counted by who controls them"
        )
    types = Counter(outlet.type for outlet in named)
    if len(named) >= settings.dependence_min_sources and types:
        common, count = types.most_common(1)[0]
        if count / len(named) > settings.dependence_share:
            reasons.append(
                f"dependence: {count} of {len(named)} named sources are {common.value.replace('_', ' ')}"
            )
            unknown = settings.type_weights.get("unknown", 35)
            if settings.type_weights.get(common.value, unknown) < settings.adequate_at:
                score -= settings.dependence_penalty
    linked = [item for item in cited if item.citation.kind is CitationKind.URL]
    followable = sum(1 for item in linked if not item.broken)
    if followable:
        reasons.append(f"links: {followable} citation(s) carry a link a reader can follow")
    else:
        score -= settings.no_links_penalty
        broken = f" ({len(linked)} link(s), none of them working)" if linked else ""
        reasons.append(f"links: no citation carries a link a reader can follow{broken}")
    final = _clamp(score)
    label = _label(final, settings)
    if weak_share >= settings.weak_share_label_at and label is not VerdictLabel.WEAK:
        label = VerdictLabel.WEAK
    return Verdict(final, label, tuple(reasons))


def is_flagged(result: RunResult, fail_on: str) -> bool:
    """Whether a run should end with exit code 1 under the --fail-on policy.

    * `failing`: any broken link (`CitationResult.broken`: what the reports count as flagged links),
      even one that failed once and may be back tomorrow;
    * `dead`: a link broken for good (confirmed dead, malformed or refused);
    * `unverifiable`: that, or a claim whose link is broken with no archived copy;
    * `weak`: that, or a weak citation or document.
    """
    if fail_on == "never":
        return False
    for document in result.documents:
        for item in document.citations:
            if fail_on == "failing" and item.broken:
                return True
            if item.confirmed_broken and fail_on in ("failing", "dead", "unverifiable", "weak"):
                return True
            label = item.verdict.label if item.verdict else None
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
