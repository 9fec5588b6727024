"""Content matching between an archived page and the citing paragraph."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from citecheck.archive.match import judge_content, quoted_passages, read_archived_page, read_page
from citecheck.models import ArchiveMatch, Snapshot
from citecheck.store.repository import Store

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


# -- hostile and unusual copies (read as live pages are: check/page.py) --------------------------------


def test_a_copy_cut_short_is_read_in_part_and_never_called_a_mismatch() -> None:
    """4 MiB of unclosed tag soup: only the first 512 KiB are parsed. The quote may sit in what was not
    read, so its absence proves nothing."""
    soup = b"<html><head><title>Harbour news</title></head><body>" + b"<li><a><b>x" * (4 * 1024 * 1024 // 11)
    page = read_page(soup, "text/html")
    assert page is not None and not page.complete
    assert page.title == "Harbour news" and page.text.startswith("x x x")
    context = 'The minister said "we will not back down" on Monday, according to the Daily Example.'
    judgement = judge_content(page, context=context, original_url=URL)
    assert judgement.match is ArchiveMatch.NOT_CHECKED
    assert "the copy was read only in part (too large or too costly to read whole)" in judgement.evidence
    whole = judge_content(read_page(STORY, "text/html"), context=context, original_url=URL)
    assert whole.match is ArchiveMatch.MISMATCH  # the same citation against a copy read whole


def test_json_ld_nested_beyond_the_recursion_limit_is_passed_over() -> None:
    """A copy whose JSON-LD nests arrays 100,000 deep made json.loads raise RecursionError, which no
    caller caught: one archived page ended the whole run."""
    nested = b"[" * 100_000 + b"]" * 100_000
    body = STORY.replace(b"</head>", b'<script type="application/ld+json">' + nested + b"</script></head>")
    page = read_page(body, "text/html")
    assert page is not None and page.published is not None
    assert page.published.isoformat() == "2020-03-15"  # from the meta tag, which comes first
    undated = read_page(body.replace(b"article:published_time", b"article:section"), "text/html")
    assert undated is not None and undated.published is None and "closest vote" in undated.text


def test_an_xhtml_copy_with_an_xml_declaration_is_read() -> None:
    """lxml refuses a decoded string that declares its encoding; the declaration is dropped first."""
    xhtml = b'<?xml version="1.0" encoding="UTF-8"?>\n' + STORY.replace(b"<html>", b'<html xmlns="x">')
    page = read_page(xhtml, "application/xhtml+xml")
    assert page is not None and page.complete
    assert "closest vote in decades" in page.text and "Sport" not in page.text


def test_json_ld_date_and_text_after_the_article_element() -> None:
    body = (
        b"<html><head><title>Harbour reopens | Port Daily</title>"
        b'<meta property="og:site_name" content="Port Daily">'
        b'<script type="application/ld+json">{"@graph": [{"datePublished": "2021-03-01T08:00:00Z"}]}</script>'
        b"</head><body><article><p>The harbour reopened.</p></article>Comments: none yet.</body></html>"
    )
    page = read_page(body, "text/html")
    assert page is not None
    assert page.published is not None and page.published.isoformat() == "2021-03-01"
    assert page.headline == "Harbour reopens"
    assert page.text == "The harbour reopened."


async def test_a_copy_read_in_part_stays_so_in_the_cache(tmp_path: Path) -> None:
    """A cached look-up is judged again for each citation; its page must keep saying it was cut short."""
    store = Store(f"sqlite:///{tmp_path / 'cache.db'}")
    try:
        page = await read_archived_page(b"<title>Harbour</title>" + b"<p>x" * 200_000, "text/html")
        assert page is not None and not page.complete
        snapshot = Snapshot(url=URL, archive="web", found=True, page=page)
        store.save_snapshots(None, [("2020-03-15", snapshot)])
        cached = store.cached_snapshots([(URL, "2020-03-15")], timedelta(days=1))
        read_back = cached[(URL, "2020-03-15")][1].page
        assert read_back is not None and not read_back.complete and read_back.title == "Harbour"
    finally:
        store.close()
