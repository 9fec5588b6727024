"""Soft-404 rules that need no network: error titles, home and section redirects, the page comparisons."""

from __future__ import annotations

import pytest

from citecheck.check.page import PARSE_BYTES, PageContent, page_content, page_title
from citecheck.check.soft404 import (
    content_reason,
    is_home_path,
    looks_like_error_title,
    mentions_slug,
    redirect_reason,
    section_above,
)
from citecheck.net import FetchResult


@pytest.mark.parametrize(
    "title",
    [
        "Page not found | The Daily Example",
        "404",
        "Error 404 - Not Found",
        "Oops! That page can't be found.",
        "The page you requested does not exist",
        "410 Gone",
        "Sorry, this page is no longer available",
        "Seite nicht gefunden – Beispiel",
        "Página no encontrada",
    ],
)
def test_error_titles(title: str) -> None:
    assert looks_like_error_title(title)


@pytest.mark.parametrize(
    "title",
    [
        "Missing plane not found after ten days",
        "Parliament passes budget after all-night session",
        "Errors in the budget | Daily Example",
        "Found: a new planet",
        "",
    ],
)
def test_article_titles_are_not_errors(title: str) -> None:
    assert not looks_like_error_title(title)


@pytest.mark.parametrize(
    ("url", "home"),
    [
        ("https://example.com/", True),
        ("https://example.com", True),
        ("https://example.com/index.html", True),
        ("https://example.com/en/", True),
        ("https://example.com/2020/story", False),
    ],
)
def test_home_paths(url: str, home: bool) -> None:
    assert is_home_path(url) is home


def html(title: str, text: str) -> bytes:
    return f"<html><head><title>{title}</title></head><body><p>{text}</p></body></html>".encode()


def content(title: str, text: str) -> PageContent:
    return page_content(html(title, text))


def ok(url: str, body: bytes, *, final: str | None = None, redirects: tuple[str, ...] = ()) -> FetchResult:
    return FetchResult(
        url=url,
        final_url=final or url,
        status_code=200,
        headers=(("Content-Type", "text/html"),),
        body=body,
        redirects=redirects,
    )


PROBE = "https://blog.example/0123456789abcdef01234567"


def test_page_like_the_random_path_is_soft_404() -> None:
    page = content("Blog", "Welcome to the blog.")
    reason = content_reason(
        "https://blog.example/post/1", page, content("Blog", "Welcome to the blog."), PROBE, True
    )
    assert reason is not None and "random path" in reason


def test_page_unlike_the_random_path_is_fine() -> None:
    page = content("Budget passes", "Parliament passed the budget at dawn.")
    probe = content("News", "Front page with other stories.")
    assert content_reason("https://news.example/story", page, probe, PROBE, True) is None


def test_probe_echoing_its_path_still_matches() -> None:
    token = "0123456789abcdef01234567"
    page = content("Shop", "Nothing at /item/9 - browse our catalogue.")
    probe = content("Shop", f"Nothing at /{token} - browse our catalogue.")
    assert content_reason("https://shop.example/item/9", page, probe, f"https://shop.example/{token}", True)


def _templated(title: str, main: str) -> PageContent:
    nav = "".join(f"<li><a href='/t/{n}'>Topic {n} coverage and analysis</a></li>" for n in range(300))
    return page_content(
        f"<html><head><title>{title}</title></head><body><nav><ul>{nav}</ul></nav>"
        f"<main>{main}</main><footer><p>Published by Example Media.</p></footer></body></html>".encode()
    )


ARTICLE = "".join(
    f"<p>Sentence {n} of the report on the harbour bridge, which reopened to traffic this week.</p>"
    for n in range(6)
)


def test_heavy_template_is_not_the_content() -> None:
    """6,000 characters of navigation before the article must not make it the site's "not found" page."""
    page = _templated("Bridge reopens | Example", f"<h1>Bridge reopens</h1>{ARTICLE}")
    probe = _templated("Example", "<h1>Sorry</h1><p>We could not find that page.</p>")
    assert content_reason("https://example.org/news/bridge-reopens", page, probe, PROBE, True) is None
    missing = _templated("Example", "<h1>Sorry</h1><p>We could not find that page.</p>")
    assert content_reason("https://example.org/news/gone", missing, probe, PROBE, True)


def test_an_error_headline_over_an_article_is_an_article() -> None:
    review = _templated("Page Not Found | Example", f"<h1>Page Not Found</h1>{ARTICLE}")
    probe = _templated("Example", "<h1>Sorry</h1><p>We could not find that page.</p>")
    assert content_reason("https://example.org/reviews/exhibition", review, probe, PROBE, False) is None
    error_page = _templated("Page Not Found | Example", "<h1>Page Not Found</h1><p>Try the search.</p>")
    reason = content_reason("https://example.org/reviews/gone", error_page, probe, PROBE, False)
    assert reason is not None and "title reads as an error" in reason


def test_section_page_served_for_an_article() -> None:
    listing = "<ul>" + "".join(f"<li><a href='/world/{n}'>Headline {n}</a></li>" for n in range(15)) + "</ul>"
    section = _templated("World | Example", f"<h1>World</h1>{listing}")
    cited = "https://example.org/world/2021/border-talks-resume"
    assert section_above(cited) == "https://example.org/world/"
    assert not mentions_slug(cited, section.title, section.headings)
    reason = content_reason(cited, section, None, section=section, section_url="https://example.org/world/")
    assert reason is not None and "section page" in reason
    article = _templated("Border talks resume | Example", f"<h1>Border talks resume</h1>{ARTICLE}")
    assert mentions_slug(cited, article.title, article.headings)
    assert (
        content_reason(cited, article, None, section=section, section_url="https://example.org/world/")
        is None
    )


def test_redirect_to_home_is_soft_404() -> None:
    page = ok(
        "https://news.example/old",
        html("Home", "Front"),
        final="https://news.example/",
        redirects=("https://news.example/",),
    )
    reason = redirect_reason(page.url, page)
    assert reason is not None and "home page" in reason


@pytest.mark.parametrize(
    ("cited", "final", "section"),
    [
        ("https://news.example/politics/old-story", "https://news.example/politics/", True),
        ("https://news.example/2020/05/12/budget-vote-delayed", "https://news.example/politics", True),
        ("https://news.example/story?id=5", "https://news.example/news/budget-vote-delayed", False),
        ("https://news.example/world", "https://news.example/world/", False),
        ("https://news.example/amp/budget-vote-delayed", "https://news.example/budget-vote-delayed", False),
    ],
)
def test_redirect_to_a_section(cited: str, final: str, section: bool) -> None:
    page = ok(cited, b"", final=final, redirects=(final,))
    reason = redirect_reason(cited, page)
    assert (reason is not None and "section page" in reason) is section


def test_titles_are_found_in_linear_time_and_tags_dropped() -> None:
    assert page_title(b"<html><head><title>A &amp; <b>B</b></title>") == "A & B"
    assert page_title(b"<TITLE lang=en>Caps</TITLE >") == "Caps"
    assert page_title(b"<titles>no</titles><title>yes</title>") == "yes"
    assert (
        page_title(b"<title>" * 40_000) == ""
    )  # never closes: no title (a backtracking pattern took minutes)
    assert page_title(b"<title>" + b"<" * 100_000 + b"</title>").startswith("<")
    assert (
        page_title(
            '<meta charset="windows-1251"><title>\u041d\u043e\u0432\u043e\u0441\u0442\u0438</title>'.encode(
                "cp1251"
            )
        )
        == "\u041d\u043e\u0432\u043e\u0441\u0442\u0438"
    )


def test_reading_a_page_is_capped() -> None:
    soup = b"<html><body>" + b"<li><a><b>x" * 400_000  # 4.4 MB, far past the parse cap
    read = page_content(soup)
    assert not read.complete
    assert len(read.blocks) <= 2 * PARSE_BYTES // 11
