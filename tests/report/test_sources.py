"""Sources, not rows: grouping a document's citations, and the reasons a row and a header show."""

from __future__ import annotations

import dataclasses

import pytest

from citecheck.config import ScoringSettings
from citecheck.models import (
    Citation,
    CitationKind,
    CitationResult,
    DocumentResult,
    LinkCheck,
    LinkStatus,
    Role,
    Snapshot,
    Span,
)
from citecheck.report.reasons import DOCUMENT_TOPICS, deciding_reason, reason_topic, weightiest_reasons
from citecheck.report.sources import group_sources, quoted_sentence
from citecheck.score import score_citation, score_document

from .conftest import BRIEFING, DEAD, DEAD_URL, HOSTILE, LIVE, RT, STATE_MEDIA, VAGUE, XINHUA


def test_one_group_per_distinct_source_in_order_of_first_appearance() -> None:
    sources = group_sources(BRIEFING)
    assert [group.name for group in sources.shown] == [
        LIVE.citation.url,
        DEAD_URL,
        "RT",
        "Sources familiar with the matter",
        HOSTILE.citation.url,
    ]
    assert [group.name for group in sources.also_named] == [XINHUA.name]
    dead = sources.shown[1]
    assert (dead.count, dead.lines) == (2, (3, 7))


def test_a_source_cited_once_and_named_later_is_one_cited_row() -> None:
    rt = next(group for group in group_sources(BRIEFING).shown if group.name == "RT")
    assert rt.role is Role.CITED and rt.count == 2 and rt.lines == (4, 7)
    assert rt.roles == ((Role.CITED, 1), (Role.MENTIONED, 1))
    assert rt.representative is STATE_MEDIA  # the cited one, not the mention


def test_different_spellings_of_one_outlet_and_of_one_phrase_are_one_source() -> None:
    spelled = dataclasses.replace(STATE_MEDIA.citation, text="Russia Today", span=Span(100, 112))
    shouted = dataclasses.replace(
        VAGUE.citation, text="SOURCES  familiar with the matter", span=Span(120, 150)
    )
    document = dataclasses.replace(
        BRIEFING,
        citations=(
            STATE_MEDIA,
            dataclasses.replace(STATE_MEDIA, citation=spelled),
            VAGUE,
            dataclasses.replace(VAGUE, citation=shouted),
        ),
    )
    groups = group_sources(document).shown
    assert [group.count for group in groups] == [2, 2]
    assert groups[0].written == ("RT", "Russia Today")


def test_the_row_shows_the_best_scored_citation_in_the_strongest_role() -> None:
    worse = dataclasses.replace(STATE_MEDIA, verdict=dataclasses.replace(STATE_MEDIA.verdict, score=10))  # type: ignore[arg-type]
    document = dataclasses.replace(BRIEFING, citations=(worse, STATE_MEDIA))
    (group,) = group_sources(document).shown
    assert group.representative is STATE_MEDIA


def test_flagged_when_any_citation_has_a_broken_link_or_is_unverifiable() -> None:
    flags = {group.name: group.flagged for group in group_sources(BRIEFING).all}
    assert flags == {
        LIVE.citation.url: False,
        DEAD_URL: True,
        "RT": False,
        "Sources familiar with the matter": False,
        HOSTILE.citation.url: True,
        XINHUA.name: False,
    }


def test_deciding_reason_follows_what_the_data_says() -> None:
    assert deciding_reason(LIVE) == "outlet: Reuters is wire service, GB (type weight 80)"
    assert deciding_reason(DEAD).startswith("verdict: the link is broken")  # type: ignore[union-attr]
    assert deciding_reason(STATE_MEDIA).startswith("state affiliation:")  # type: ignore[union-attr]
    assert deciding_reason(VAGUE).startswith("vague attribution:")  # type: ignore[union-attr]


def _scored(
    citation: Citation, link: LinkCheck | None = None, snapshot: Snapshot | None = None
) -> CitationResult:
    item = CitationResult(citation, link, snapshot)
    return dataclasses.replace(item, verdict=score_citation(item, ScoringSettings()))


def test_deciding_reason_on_the_scorers_own_verdicts() -> None:
    """Against score.py's real reasons: a dead link decides over the outlet, a live one does not."""
    url = "https://www.rt.com/news/1/"
    citation = Citation(
        CitationKind.URL, Role.CITED, url, Span(0, len(url)), 1, url=url, outlet=RT, context=url
    )
    archived = Snapshot(url, "wayback", found=True, memento_url="https://web.archive.org/web/2021/" + url)
    dead = _scored(citation, LinkCheck(url, LinkStatus.DEAD, 404), archived)
    assert reason_topic(deciding_reason(dead) or "") == "link status"
    alive = _scored(citation, LinkCheck(url, LinkStatus.ALIVE, 200), archived)
    assert reason_topic(deciding_reason(alive) or "") == "state affiliation"
    undated = Citation(CitationKind.OUTLET, Role.CITED, "Reuters", Span(0, 7), 1, outlet=LIVE.citation.outlet)
    assert reason_topic(deciding_reason(_scored(undated)) or "") == "date"


def test_every_document_topic_the_scorer_writes_is_ranked() -> None:
    citations = (
        *BRIEFING.citations,
        dataclasses.replace(LIVE, citation=dataclasses.replace(LIVE.citation, outlet=RT)),
    )
    verdict = score_document(dataclasses.replace(BRIEFING, citations=citations), ScoringSettings())
    topics = {reason_topic(reason) for reason in verdict.reasons}
    assert topics <= set(DOCUMENT_TOPICS), topics - set(DOCUMENT_TOPICS)


def test_weightiest_reasons_put_the_penalties_before_the_facts() -> None:
    assert BRIEFING.verdict is not None
    top = weightiest_reasons(BRIEFING.verdict, 3)
    assert [reason_topic(reason) for reason in top] == ["vague or unverifiable", "independence", "sources"]
    assert weightiest_reasons(None) == ()


@pytest.mark.parametrize(
    ("line", "needle", "sentence"),
    [
        (
            "Background. After the U.S. media revealed it, Mr. Dong left (see https://a.test/x.html). Next.",
            "https://a.test/x.html",
            "After the U.S. media revealed it, Mr. Dong left (see https://a.test/x.html).",
        ),
        ("First point. Two cites Reuters! Three?", "Reuters", "Two cites Reuters!"),
        ("据新华社报道，中国。美国之音援引消息人士称。", "美国之音", "美国之音援引消息人士称。"),
    ],
)
def test_a_url_row_quotes_its_sentence_not_its_paragraph(line: str, needle: str, sentence: str) -> None:
    text = f"Title\n\n{line}\n"
    start = text.index(needle)
    citation = Citation(
        CitationKind.URL, Role.CITED, needle, Span(start, start + len(needle)), 3, context=line
    )
    assert quoted_sentence(text, CitationResult(citation)) == sentence
    # Without the document's text (an old stored run), the stored context gives the same sentence.
    assert quoted_sentence("", CitationResult(citation)) == sentence


def test_a_long_sentence_is_cut_around_the_citation() -> None:
    line = "word " * 200 + "https://a.test/x " + "word " * 200
    start = line.index("https")
    citation = Citation(
        CitationKind.URL, Role.CITED, "https://a.test/x", Span(start, start + 16), 1, context=line
    )
    quote = quoted_sentence(line, CitationResult(citation))
    assert "https://a.test/x" in quote and quote.startswith("…") and quote.endswith("…")
    assert len(quote) <= 330


def test_a_failed_document_has_no_sources() -> None:
    sources = group_sources(DocumentResult(path="x", document=None, error="no such file"))
    assert sources.shown == () and sources.also_named == ()


def test_a_url_alone_on_its_line_quotes_the_line_above() -> None:
    url = "http://www.xinhuanet.com/world/2021-03/20/c_1.htm"
    text = f"The talks ended. Nothing was agreed.\n\nSource: Xinhua, March 20, 2021\n{url}\n"
    start = text.index(url)
    citation = Citation(CitationKind.URL, Role.CITED, url, Span(start, start + len(url)), 4, url=url)
    assert quoted_sentence(text, CitationResult(citation)) == f"Source: Xinhua, March 20, 2021 {url}"
