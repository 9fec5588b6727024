"""Content matching between an archived page and the citing paragraph."""

from __future__ import annotations

from datetime import UTC, datetime

from citecheck.archive.match import judge_content, quoted_passages, read_page
from citecheck.models import ArchiveMatch

STORY = (
    b"<html><head><title>Parliament passes budget after all-night session</title>"
    b'<meta property="article:published_time" content="2020-03-15T06:00:00Z"></head>'
    b"<body><nav>Sport | Weather</nav><article><p>Parliament passed the budget by three votes, "
    b"the closest vote in decades, the speaker said.</p></article></body></html>"
)
CONTEXT = (
    "According to the Daily Example, parliament passed the budget after an all-night session, "
    "in what the speaker called \u201cthe closest vote in decades\u201d."
)
URL = "http://news.example.com/2020/03/budget-vote"


def test_reads_title_main_text_and_date() -> None:
    page = read_page(STORY, "text/html")
    assert page is not None
    assert page.title == "Parliament passes budget after all-night session"
    assert "Sport" not in page.text and "closest vote" in page.text
    assert page.published is not None and page.published.isoformat() == "2020-03-15"


def test_quotes_need_three_words() -> None:
    assert quoted_passages('He said "no" and then \u201cwe will not back down\u201d.') == [
        "we will not back down"
    ]


def test_quote_and_title_match() -> None:
    judgement = judge_content(
        read_page(STORY, "text/html"),
        context=CONTEXT,
        original_url=URL,
        outlet_domains=("example.com",),
        cited=datetime(2020, 3, 16, tzinfo=UTC),
    )
    assert judgement.match is ArchiveMatch.MATCHED
    evidence = " | ".join(judgement.evidence)
    assert "quote found: 'the closest vote in decades'" in evidence
    assert "matched terms: parliament, passes, budget" in evidence
    assert "1 days from the cited date" in evidence


def test_missing_quote_on_the_right_page_is_partial() -> None:
    context = 'Parliament passed the budget after an all-night session, "a triumph for the government".'
    judgement = judge_content(read_page(STORY, "text/html"), context=context, original_url=URL)
    assert judgement.match is ArchiveMatch.PARTIAL
    assert any("quote not found" in line for line in judgement.evidence)


def test_unrelated_page_is_a_mismatch() -> None:
    recipe = b"<html><head><title>Ten easy sourdough recipes</title></head><body><p>Flour.</p></body></html>"
    judgement = judge_content(read_page(recipe, "text/html"), context=CONTEXT, original_url=URL)
    assert judgement.match is ArchiveMatch.MISMATCH


def test_copy_on_another_domain_is_not_a_full_match() -> None:
    judgement = judge_content(
        read_page(STORY, "text/html"),
        context=CONTEXT,
        original_url="http://parked.example.net/x",
        outlet_domains=("example.com",),
    )
    assert judgement.match is ArchiveMatch.PARTIAL
    assert any("not the outlet's domain" in line for line in judgement.evidence)


def test_nothing_to_compare_is_not_checked() -> None:
    assert (
        judge_content(read_page(STORY, "text/html"), context=" ", original_url=URL).match
        is ArchiveMatch.NOT_CHECKED
    )
    assert (
        judge_content(read_page(b"%PDF", "application/pdf"), context=CONTEXT, original_url=URL).match
        is ArchiveMatch.NOT_CHECKED
    )
