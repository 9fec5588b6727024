"""The HTML report without a browser: escaping, link schemes, self-containment, the CSP and the data."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import io
import json
import re
from typing import Any

import pytest

from citecheck.models import RunResult
from citecheck.report import html

from .conftest import BRIEFING, DEAD_URL, FAILED, HOSTILE_TEXT, LIVE_MEMENTO, LIVE_URL, PWNED_FLAG, TEXT


def _page(result: RunResult) -> str:
    stream = io.StringIO()
    html.render(result, stream)
    return stream.getvalue()


@pytest.fixture
def page(run_result: RunResult) -> str:
    return _page(run_result)


def _data(page: str) -> list[dict[str, Any]]:
    blocks = re.findall(
        r'<script type="application/json" class="document-data"[^>]*>(.*?)</script>', page, re.S
    )
    return [json.loads(block) for block in blocks]


def _hrefs(value: Any) -> list[str | None]:
    """Every "href" value anywhere in the data."""
    if isinstance(value, dict):
        found = [value["href"]] if "href" in value else []
        return found + [href for item in value.values() for href in _hrefs(item)]
    if isinstance(value, list):
        return [href for item in value for href in _hrefs(item)]
    return []


def test_document_markup_is_escaped(page: str) -> None:
    assert HOSTILE_TEXT not in page
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in page
    assert f'onerror="window.{PWNED_FLAG}' not in page
    assert "<b>briefing</b>" not in page  # the document title
    assert "<b>javascript</b>" not in page  # a verdict reason


def test_a_document_cannot_close_its_data_block(run_result: RunResult) -> None:
    """Text that closes the script element, or opens a comment, stays data."""
    hostile = "</script><script>alert(1)</script><!-- & ]]> Breaks Out Here"
    document = dataclasses.replace(BRIEFING.document, text=hostile + "\n" + TEXT[: -1] + hostile)  # type: ignore[arg-type]
    page = _page(
        dataclasses.replace(run_result, documents=(dataclasses.replace(BRIEFING, document=document),))
    )
    assert page.count("<script") == 3  # the data block, the index and our one script
    assert page.count("</script>") == 3
    [data] = _data(page)
    assert data["text"].endswith(hostile) and data["title"] == hostile  # the title is the first line


def test_only_http_links_in_the_data(page: str) -> None:
    hrefs = [href for href in _hrefs(_data(page)) if href is not None]
    assert hrefs and all(href.startswith(("http://", "https://")) for href in hrefs), hrefs
    assert set(hrefs) == {LIVE_URL, LIVE_MEMENTO, DEAD_URL}
    assert "javascript:alert(3)" in page  # the hostile archive address is there as text, never as a link
    assert not re.search(r'href="(?!#)[^"]*"', page)  # no static link at all: the script draws them


def test_one_script_pinned_by_the_content_security_policy(page: str) -> None:
    scripts = re.findall(r"<script>(.*?)</script>", page, flags=re.DOTALL)
    assert len(scripts) == 1 and page.count("<script>") == 1
    assert page.count('<script type="application/json"') == 3  # two documents and the index; never run
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)
    assert policy is not None
    assert f"script-src &#39;sha256-{digest}&#39;" in policy.group(1)
    assert "default-src &#39;none&#39;" in policy.group(1)


def test_self_contained(page: str) -> None:
    assert "<link" not in page
    assert not re.search(r'\ssrc="', page)
    assert "@import" not in page and "url(" not in page


def test_data_carries_the_grouped_sources_and_the_text(page: str) -> None:
    briefing, failed = _data(page)
    assert briefing["text"] == TEXT and briefing["citations"] == 8
    sources = briefing["sources"]
    assert [source["count"] for source in sources] == [1, 2, 2, 1, 1, 1]
    assert [source["mentioned"] for source in sources] == [False] * 5 + [True]
    dead = sources[1]
    assert [place[2] for place in dead["places"]] == [3, 7]
    assert TEXT[dead["places"][1][0] : dead["places"][1][1]] == DEAD_URL
    assert dead["link"]["status"] == "dead" and dead["flagged"] is True
    assert briefing["reasons"][0].startswith("vague or unverifiable")  # weightiest first
    assert failed["error"] == FAILED.error and failed["sources"] == []


def test_the_header_shows_local_times_without_microseconds(run_result: RunResult) -> None:
    moment = run_result.started_at.replace(microsecond=123456)
    page = _page(dataclasses.replace(run_result, started_at=moment))
    shown = re.search(r'started <time datetime="[^"]*">([^<]*)</time>', page)
    assert shown is not None
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d( \S+)?", shown.group(1)), shown.group(1)
    assert moment.astimezone().strftime("%H:%M:%S") in shown.group(1)


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


def test_an_archive_not_reached_is_not_called_empty(run_result: RunResult) -> None:
    from citecheck.models import Snapshot

    from .conftest import DEAD

    unreached = Snapshot(url=DEAD_URL, archive="wayback", found=False, error="archive not reached: timeout")
    document = dataclasses.replace(BRIEFING, citations=(dataclasses.replace(DEAD, snapshot=unreached),))
    [data] = _data(_page(dataclasses.replace(run_result, documents=(document,))))
    assert data["sources"][0]["archive"]["absence"] == "archive not reached"
    [data] = _data(_page(dataclasses.replace(run_result, documents=(BRIEFING,))))
    assert data["sources"][1]["archive"]["absence"] == "none in wayback"
