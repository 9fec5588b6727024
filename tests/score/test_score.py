"""Each reason has a trigger; documents order the way a careful analyst would."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from citecheck.config import Config, ScoringSettings
from citecheck.models import (
    Affiliation,
    ArchiveMatch,
    Citation,
    CitationKind,
    CitationResult,
    CitedDate,
    LinkCheck,
    LinkStatus,
    Outlet,
    OutletType,
    Role,
    Snapshot,
    Span,
    VerdictLabel,
)
from citecheck.pipeline import run_check
from citecheck.score import score_citation
from tests.conftest import CORPUS

SETTINGS = ScoringSettings()
MARCH_20 = CitedDate(2021, 3, 20)

XINHUA = Outlet(
    id="x",
    name="Xinhua",
    type=OutletType.STATE_MEDIA,
    country="CN",
    owner="State Council",
    state_affiliation=Affiliation.CONTROLLED,
)
RFA = Outlet(
    id="rfa",
    name="Radio Free Asia",
    type=OutletType.PUBLIC_BROADCASTER,
    country="US",
    funder="US Agency for Global Media",
    state_affiliation=Affiliation.FUNDED,
)
REUTERS = Outlet(id="reuters", name="Reuters", type=OutletType.WIRE_SERVICE, country="GB")
MINISTRY = Outlet(
    id="mfa",
    name="Ministry of Foreign Affairs",
    type=OutletType.GOVERNMENT,
    country="CN",
    state_affiliation=Affiliation.CONTROLLED,
)


def cite(
    outlet: Outlet | None = None,
    *,
    context: str = "Prices rose.",
    kind: CitationKind = CitationKind.OUTLET,
    date: CitedDate | None = MARCH_20,
    role: Role = Role.CITED,
    url: str | None = None,
    malformed: str | None = None,
    text: str = "X",
) -> Citation:
    return Citation(
        kind=kind,
        role=role,
        text=text,
        span=Span(0, 1),
        line=1,
        url=url,
        malformed=malformed,
        date=date,
        outlet=outlet,
        context=context,
    )


def reasons(item: CitationResult) -> str:
    return " | ".join(score_citation(item, SETTINGS).reasons)


def test_every_verdict_names_the_outlet_and_type() -> None:
    verdict = score_citation(CitationResult(cite(REUTERS)), SETTINGS)
    assert verdict.reasons and "Reuters is wire service" in verdict.reasons[0]
    assert verdict.label is VerdictLabel.STRONG


def test_state_control_and_self_interest() -> None:
    own = reasons(CitationResult(cite(XINHUA, context="China's ruling party is the choice of history.")))
    other = reasons(CitationResult(cite(XINHUA, context="Floods hit Peru.")))
    assert "state-controlled" in own and "self-interest" in own and "not independent confirmation" in own
    assert "state-controlled" in other and "self-interest" not in other


def test_government_body_on_its_own_state() -> None:
    text = reasons(CitationResult(cite(MINISTRY, context="Beijing will respond to the sanctions.")))
    assert "self-interest: Ministry of Foreign Affairs speaks for the CN state" in text


def test_funder_disclosure_for_rival_reporting() -> None:
    text = reasons(CitationResult(cite(RFA, context="China closed the institute in Bergen.")))
    assert "funder: Radio Free Asia is state-funded (US Agency for Global Media)" in text
    assert "rival of its funder's state" in text
    assert "rival" not in reasons(CitationResult(cite(RFA, context="Norway closed the institute.")))


def test_missing_date_is_a_reason() -> None:
    assert "gives no date" in reasons(CitationResult(cite(REUTERS, date=None)))
    assert "cited as of 2021-03-20" in reasons(CitationResult(cite(REUTERS)))


def test_vague_is_weak_by_definition() -> None:
    verdict = score_citation(
        CitationResult(cite(kind=CitationKind.VAGUE, text="sources say", date=None)), SETTINGS
    )
    assert verdict.label is VerdictLabel.WEAK and "vague attribution" in verdict.reasons[0]


def test_dead_link_without_archive_is_unverifiable() -> None:
    citation = cite(REUTERS, kind=CitationKind.URL, url="https://example.org/a")
    dead = LinkCheck(url="https://example.org/a", status=LinkStatus.DEAD, http_status=404)
    none_found = Snapshot(url="https://example.org/a", archive="wayback", found=False)
    verdict = score_citation(CitationResult(citation, dead, none_found), SETTINGS)
    assert verdict.label is VerdictLabel.UNVERIFIABLE
    assert any("link status: dead (HTTP 404)" in r for r in verdict.reasons)
    assert any("no archived copy" in r for r in verdict.reasons)


def test_dead_link_with_archive_is_checkable_and_mismatch_costs() -> None:
    citation = cite(REUTERS, kind=CitationKind.URL, url="https://example.org/a")
    dead = LinkCheck(url="https://example.org/a", status=LinkStatus.DEAD, http_status=404)
    moment = datetime(2021, 3, 20, tzinfo=UTC)
    matched = Snapshot(
        url=citation.url or "",
        archive="wayback",
        found=True,
        memento_datetime=moment,
        match=ArchiveMatch.MATCHED,
    )
    mismatched = Snapshot(
        url=citation.url or "",
        archive="wayback",
        found=True,
        memento_datetime=moment,
        match=ArchiveMatch.MISMATCH,
    )
    good = score_citation(CitationResult(citation, dead, matched), SETTINGS)
    bad = score_citation(CitationResult(citation, dead, mismatched), SETTINGS)
    assert good.label is not VerdictLabel.UNVERIFIABLE
    assert any("a copy from 2021-03-20 is held by wayback" in r for r in good.reasons)
    assert bad.score < good.score and any("does not match" in r for r in bad.reasons)


def test_malformed_url_offline_is_unverifiable() -> None:
    citation = cite(REUTERS, kind=CitationKind.URL, url="https://example.org/%E5", malformed="truncated: x")
    verdict = score_citation(CitationResult(citation), SETTINGS)
    assert verdict.label is VerdictLabel.UNVERIFIABLE and any("malformed" in r for r in verdict.reasons)


def test_self_citation_and_mentions() -> None:
    assert "self-citation" in reasons(CitationResult(cite(REUTERS, role=Role.SELF)))
    assert "not cited as a source" in reasons(CitationResult(cite(REUTERS, role=Role.MENTIONED)))


def test_unknown_domain_is_kept_unknown() -> None:
    citation = cite(None, kind=CitationKind.URL, url="https://unknown.example/a")
    assert "not in the registry" in reasons(CitationResult(citation))


def _document_score(tmp_path: Path, text: str) -> tuple[int, tuple[str, ...]]:
    path = tmp_path / "doc.txt"
    path.write_text(text)
    result = run_check([str(path)], Config(), offline=True, database_url=f"sqlite:///{tmp_path / 'd.db'}")
    verdict = result.documents[0].verdict
    assert verdict is not None
    return verdict.score, verdict.reasons


def test_document_reasons(tmp_path: Path) -> None:
    score, why = _document_score(tmp_path, "Sources say it happened. Analysts say it was bad.")
    assert any("vague or unverifiable: 2 of 2" in r for r in why) and score < 20
    score, why = _document_score(tmp_path, "Nothing here is sourced at all.")
    assert any("cites no source" in r for r in why)
    _, why = _document_score(
        tmp_path,
        "It rained (Reuters, May 1, 2024). Then it snowed (Kyodo News, May 2, 2024). "
        "Ice formed (Associated Press, May 3, 2024).",
    )
    assert any("3 independent owners" in r for r in why)
    assert any("no citation carries a link" in r for r in why)


def test_verdicts_are_deterministic(tmp_path: Path) -> None:
    text = (CORPUS / "red-line-digest.txt").read_text()
    assert _document_score(tmp_path, text) == _document_score(tmp_path, text)


def test_corpus_order(db_url: str) -> None:
    result = run_check([str(CORPUS)], Config(), offline=True, database_url=db_url)
    scores = {Path(d.path).name: d.verdict.score for d in result.documents if d.verdict}
    assert min(scores, key=scores.__getitem__) == "defection-loyalty.txt"
    assert scores["defection-loyalty.txt"] < min(v for k, v in scores.items() if k != "defection-loyalty.txt")
    digests = [scores["policy-monitor-1614.txt"], scores["red-line-digest.txt"]]
    others = [scores["consulate-leak.txt"], scores["ild-covert-agency.txt"], scores["defection-loyalty.txt"]]
    assert min(digests) > max(others), scores


@pytest.mark.parametrize("kind", list(CitationKind))
def test_every_kind_gets_at_least_one_reason(kind: CitationKind) -> None:
    verdict = score_citation(
        CitationResult(cite(None, kind=kind, url="https://a.example/" if kind is CitationKind.URL else None)),
        SETTINGS,
    )
    assert verdict.reasons


# -- the countries a sentence concerns ------------------------------------------------------------------


def _countries_by_regex(text: str) -> set[str]:
    """countries.yaml's definition: a country's words matched case-sensitively as whole words, not after
    a dot; one regular expression per country."""
    import re

    import yaml

    from citecheck.score import COUNTRIES_FILE

    words = yaml.safe_load(COUNTRIES_FILE.read_text(encoding="utf-8"))["countries"]
    return {
        code
        for code, names in words.items()
        if re.search(r"(?<![\w.])(?:" + "|".join(map(re.escape, names)) + r")(?![\w])", text)
    }


@pytest.mark.parametrize(
    "text",
    [
        "Xinhua said Beijing and Washington met in Moscow.",
        "North Korean and South Korean envoys met; Pyongyang said nothing.",
        "the U.S. and USA and US-based firms",
        "Chinese-made, Russian's, (Iran), Taiwan.",
        "Chinatown, Americana, Russians, Japanese",  # whole words only: Chinatown is no country
        "e.g.China and x.US",  # right after a dot: not a word of its own
        "china, CHINESE",  # case-sensitive
        "Élysée and Erdoğan and Türkiye",
        "Kyiv\ud800Kiev",  # a lone surrogate in broken text
        "",
        "Beijing",
    ],
)
def test_one_pass_over_country_words_finds_what_a_search_per_country_finds(text: str) -> None:
    from citecheck.score import _geography

    assert _geography().countries_in(text) == _countries_by_regex(text)
