"""Soft-404 rules that need no network: error titles, home paths, the probe comparison."""

from __future__ import annotations

import pytest

from citecheck.check.soft404 import fingerprint, is_home_path, looks_like_error_title, soft_404_reason
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


def ok(url: str, body: bytes, *, final: str | None = None, redirects: tuple[str, ...] = ()) -> FetchResult:
    return FetchResult(
        url=url,
        final_url=final or url,
        status_code=200,
        headers=(("Content-Type", "text/html"),),
        body=body,
        redirects=redirects,
    )


def test_page_like_the_random_path_is_soft_404() -> None:
    page = ok("https://blog.example/post/1", html("Blog", "Welcome to the blog."))
    probe = ok("https://blog.example/0123456789abcdef01234567", html("Blog", "Welcome to the blog."))
    reason = soft_404_reason(page.url, page, fingerprint(page.body, "text/html"), probe)
    assert reason is not None and "random path" in reason


def test_page_unlike_the_random_path_is_fine() -> None:
    page = ok("https://news.example/story", html("Budget passes", "Parliament passed the budget at dawn."))
    probe = ok(
        "https://news.example/0123456789abcdef01234567", html("News", "Front page with other stories.")
    )
    assert soft_404_reason(page.url, page, fingerprint(page.body, "text/html"), probe) is None


def test_probe_echoing_its_path_still_matches() -> None:
    token = "0123456789abcdef01234567"
    page = ok("https://shop.example/item/9", html("Shop", "Nothing at /item/9 - browse our catalogue."))
    probe = ok(f"https://shop.example/{token}", html("Shop", f"Nothing at /{token} - browse our catalogue."))
    assert soft_404_reason(page.url, page, fingerprint(page.body, "text/html"), probe) is not None


def test_redirect_to_home_is_soft_404_without_a_probe() -> None:
    page = ok(
        "https://news.example/old",
        html("Home", "Front"),
        final="https://news.example/",
        redirects=("https://news.example/",),
    )
    reason = soft_404_reason(page.url, page, None, None)
    assert reason is not None and "home page" in reason


def test_non_html_has_no_fingerprint() -> None:
    assert fingerprint(b"%PDF-1.4", "application/pdf") is None
