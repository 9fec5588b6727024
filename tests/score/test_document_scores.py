"""Document scores (#15): owners counted by who controls them, self-interest for every state-controlled
outlet, the funded-rival penalty by its effect, and every document-level constant read from config.

Real documents through `run_check` (offline: scores need no network) and the real registry.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from citecheck.config import Config, ScoringSettings
from citecheck.models import DocumentResult, Verdict
from citecheck.pipeline import run_check

STATE_MEDIA_ON_BRAZIL = (
    "According to Xinhua (March 3, 2024), Brazil's soy harvest grew. CCTV reported on March 4, 2024 that "
    "Brazil's ports were busy. People's Daily said on March 5, 2024 that Brazil's exports would rise.\n"
)


def checked(tmp_path: Path, text: str, **scoring: Any) -> DocumentResult:
    document = tmp_path / f"doc-{len(list(tmp_path.iterdir()))}.txt"
    document.write_text(text)
    config = Config(scoring=ScoringSettings(**scoring))
    result = run_check([str(document)], config, offline=True, database_url=f"sqlite:///{tmp_path / 's.db'}")
    return result.documents[0]


def verdict_of(document: DocumentResult) -> Verdict:
    assert document.verdict is not None
    return document.verdict


def citation_verdict(document: DocumentResult) -> Verdict:
    cited = [item.verdict for item in document.citations if item.citation.outlet is not None]
    assert len(cited) == 1 and cited[0] is not None
    return cited[0]


# weights high enough that nothing is clamped at 0, so every penalty shows in full
ROOMY = {"type_weights": {"state_media": 90, "unknown": 35}, "controlled_penalty": 0}


def test_outlets_under_one_controller_are_one_owner(tmp_path: Path) -> None:
    document = checked(tmp_path, STATE_MEDIA_ON_BRAZIL, **ROOMY)
    assert {item.citation.outlet.id for item in document.citations if item.citation.outlet} == {
        "xinhua",
        "cctv",
        "peoples-daily",
    }
    assert any(
        reason.startswith("independence: 1 independent owner") for reason in verdict_of(document).reasons
    )
    free = checked(tmp_path, STATE_MEDIA_ON_BRAZIL, **ROOMY, single_owner_penalty=0)
    assert verdict_of(free).score - verdict_of(document).score == 10


def test_self_interest_applies_to_a_state_controlled_think_tank(tmp_path: Path) -> None:
    on_china = checked(
        tmp_path,
        "According to the Chinese Academy of Social Sciences (March 3, 2024), China's economy will grow.\n",
    )
    on_brazil = checked(
        tmp_path,
        "According to the Chinese Academy of Social Sciences (March 3, 2024), Brazil's economy will grow.\n",
    )
    assert any(
        reason.startswith("self-interest: Chinese Academy") for reason in citation_verdict(on_china).reasons
    )
    assert not any(reason.startswith("self-interest") for reason in citation_verdict(on_brazil).reasons)
    assert (
        citation_verdict(on_brazil).score - citation_verdict(on_china).score
        == ScoringSettings().self_interest_penalty
    )


@pytest.mark.parametrize("penalty", [5, 12])
def test_the_funded_rival_penalty_lowers_the_score_by_its_weight(tmp_path: Path, penalty: int) -> None:
    on_rival = checked(
        tmp_path,
        "According to Radio Free Asia (March 3, 2024), China detained two reporters.\n",
        funded_rival_penalty=penalty,
    )
    elsewhere = checked(
        tmp_path,
        "According to Radio Free Asia (March 3, 2024), Norway detained two reporters.\n",
        funded_rival_penalty=penalty,
    )
    assert citation_verdict(elsewhere).score - citation_verdict(on_rival).score == penalty
    assert verdict_of(elsewhere).score > verdict_of(on_rival).score


def test_a_document_citing_nothing_scores_as_configured(tmp_path: Path) -> None:
    assert verdict_of(checked(tmp_path, "The weather was mild all week.\n")).score == 20
    assert verdict_of(checked(tmp_path, "The weather was mild all week.\n", no_sources_score=7)).score == 7


def test_every_document_level_constant_is_read_from_config(tmp_path: Path) -> None:
    base = verdict_of(checked(tmp_path, STATE_MEDIA_ON_BRAZIL, **ROOMY)).score
    # no citation carries a link, all three are state media (weighted below adequate if we say so)
    assert verdict_of(checked(tmp_path, STATE_MEDIA_ON_BRAZIL, **ROOMY, no_links_penalty=0)).score - base == 5
    heavy = {**ROOMY, "adequate_at": 95}  # state media (90) now weighs less than adequate: dependence counts
    dependent = verdict_of(checked(tmp_path, STATE_MEDIA_ON_BRAZIL, **heavy)).score
    lenient = verdict_of(checked(tmp_path, STATE_MEDIA_ON_BRAZIL, **heavy, dependence_penalty=0)).score
    assert lenient - dependent == 10
    too_few = verdict_of(checked(tmp_path, STATE_MEDIA_ON_BRAZIL, **heavy, dependence_min_sources=4)).score
    assert too_few == lenient
    sparing = verdict_of(checked(tmp_path, STATE_MEDIA_ON_BRAZIL, **heavy, dependence_share=1.0)).score
    assert sparing == lenient
