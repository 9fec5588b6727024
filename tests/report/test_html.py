"""The HTML report without a browser: escaping, link schemes, self-containment and the CSP."""

from __future__ import annotations

import base64
import hashlib
import io
import re

import pytest

from citecheck.models import RunResult
from citecheck.report import html

from .conftest import DEAD_URL, HOSTILE_TEXT, LIVE_MEMENTO, LIVE_URL, PWNED_FLAG


@pytest.fixture
def page(run_result: RunResult) -> str:
    stream = io.StringIO()
    html.render(run_result, stream)
    return stream.getvalue()


def test_document_markup_is_escaped(page: str) -> None:
    assert HOSTILE_TEXT not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert f'onerror="window.{PWNED_FLAG}' not in page
    assert "<b>briefing</b>" not in page  # the document title
    assert "<b>javascript</b>" not in page  # a verdict reason


def test_only_http_links(page: str) -> None:
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert hrefs, "expected links in the report"
    assert all(href.startswith(("http://", "https://", "#")) for href in hrefs), hrefs
    assert LIVE_MEMENTO in hrefs and LIVE_URL in hrefs
    assert DEAD_URL in hrefs
    assert "javascript:alert(3)" in page  # the hostile archive address is shown as text


def test_one_script_pinned_by_the_content_security_policy(page: str) -> None:
    scripts = re.findall(r"<script>(.*?)</script>", page, flags=re.DOTALL)
    assert len(scripts) == 1 and page.count("<script") == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)
    assert policy is not None
    assert f"script-src &#39;sha256-{digest}&#39;" in policy.group(1)
    assert "default-src &#39;none&#39;" in policy.group(1)


def test_self_contained(page: str) -> None:
    assert "<link" not in page
    assert not re.search(r'\ssrc="', page)
    assert "@import" not in page and "url(" not in page


def test_rows_carry_data_attributes_and_highlights(page: str) -> None:
    rows = re.findall(
        r'<tr class="citation ([^"]*)" data-citation="(\d+)" data-kind="(\w+)"\s+data-status="(\w+)"', page
    )
    assert [(number, kind, status) for _, number, kind, status in rows] == [
        ("1", "url", "alive"),
        ("2", "url", "dead"),
        ("3", "outlet", "none"),
        ("4", "vague", "none"),
        ("5", "url", "malformed"),
        ("6", "outlet", "none"),
        ("7", "outlet", "none"),
        ("8", "url", "dead"),
    ]
    classes = {number: set(css.split()) for css, number, _, _ in rows}
    assert "is-flagged" in classes["2"] and "is-unverifiable" in classes["2"]
    assert "is-flagged" in classes["8"]
    assert "is-vague" in classes["4"]
    assert "is-state-media" in classes["3"]
    assert "is-flagged" in classes["5"]
    assert "is-flagged" not in classes["1"]


def test_failed_document_shows_its_error(page: str) -> None:
    assert "<strong>Error:</strong> reports/empty.txt: document is empty" in page


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "https://example.org/\tx",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//example.org/protocol-relative",
        "https:no-host",
        "ftp://example.org/file",
        "http://[::1",
        "",
        None,
    ],
)
def test_web_url_refuses(url: str | None) -> None:
    assert html.web_url(url) is None


@pytest.mark.parametrize(
    "url", ["http://example.org/", "https://example.org/a?b=c|d#e", "HTTPS://EXAMPLE.ORG"]
)
def test_web_url_accepts(url: str) -> None:
    assert html.web_url(url) == url


def test_passage_marks_the_cited_words() -> None:
    assert html.Passage.of("According to RT, talks resumed.", "RT") == html.Passage(
        "According to ", "RT", ", talks resumed."
    )
    assert html.Passage.of("said SOURCES close to", "sources") == html.Passage(
        "said ", "SOURCES", " close to"
    )
    assert html.Passage.of("", "RT") == html.Passage("", "RT", "")
    assert html.Passage.of("no match here", "RT") == html.Passage("no match here", "", "")
