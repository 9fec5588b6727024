"""Status classes from fetch results: the mapping table, without the network."""

from __future__ import annotations

import pytest

from citecheck.check.classify import classify_fetch, is_equivalent_address, malformed_reason
from citecheck.models import LinkStatus
from citecheck.net import FetchFailure, FetchResult

URL = "https://news.example.com/story"


def answered(code: int, *, final: str = URL, redirects: tuple[str, ...] = ()) -> FetchResult:
    return FetchResult(url=URL, final_url=final, status_code=code, redirects=redirects)


@pytest.mark.parametrize(
    ("code", "status"),
    [
        (200, LinkStatus.ALIVE),
        (204, LinkStatus.ALIVE),
        (404, LinkStatus.DEAD),
        (410, LinkStatus.DEAD),
        (400, LinkStatus.DEAD),
        (401, LinkStatus.BLOCKED),
        (403, LinkStatus.BLOCKED),
        (451, LinkStatus.BLOCKED),
        (429, LinkStatus.BLOCKED),
        (999, LinkStatus.BLOCKED),
        (500, LinkStatus.SERVER_ERROR),
        (503, LinkStatus.SERVER_ERROR),
        (304, LinkStatus.SERVER_ERROR),
    ],
)
def test_http_status_classes(code: int, status: LinkStatus) -> None:
    assert classify_fetch(answered(code)).status is status


@pytest.mark.parametrize(
    ("failure", "status"),
    [
        (FetchFailure.INVALID_URL, LinkStatus.MALFORMED),
        (FetchFailure.REFUSED, LinkStatus.REFUSED),
        (FetchFailure.DNS, LinkStatus.DNS_ERROR),
        (FetchFailure.CONNECT, LinkStatus.CONNECT_ERROR),
        (FetchFailure.TLS, LinkStatus.TLS_ERROR),
        (FetchFailure.TIMEOUT, LinkStatus.TIMEOUT),
        (FetchFailure.TOO_LARGE, LinkStatus.TOO_LARGE),
        (FetchFailure.PROTOCOL, LinkStatus.SERVER_ERROR),
        (FetchFailure.REDIRECT_LOOP, LinkStatus.SERVER_ERROR),
        (FetchFailure.TOO_MANY_REDIRECTS, LinkStatus.SERVER_ERROR),
    ],
)
def test_failure_classes(failure: FetchFailure, status: LinkStatus) -> None:
    result = FetchResult(url=URL, final_url=URL, failure=failure, detail="why")
    verdict = classify_fetch(result)
    assert verdict.status is status and verdict.error == "why"


def test_redirect_to_another_page_is_redirected() -> None:
    final = "https://news.example.com/2020/story"
    assert classify_fetch(answered(200, final=final, redirects=(final,))).status is LinkStatus.REDIRECTED


@pytest.mark.parametrize(
    "final",
    [
        "https://news.example.com/story/",
        "http://news.example.com/story",
        "https://www.news.example.com/story",
        "https://NEWS.example.com:443/story",
    ],
)
def test_trivial_redirects_keep_the_page_alive(final: str) -> None:
    assert is_equivalent_address(URL, final)
    assert classify_fetch(answered(200, final=final, redirects=(final,))).status is LinkStatus.ALIVE


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("", "empty"),
        ("http://", "no host"),
        ("https://exa mple.com/", "whitespace"),
        ("news.example.com/story", "no scheme"),
        ("http://[::1/", "cannot parse"),
        ("http://example.com:0/", "port 0"),
    ],
)
def test_malformed_urls(url: str, reason: str) -> None:
    found = malformed_reason(url)
    assert found is not None and reason in found


@pytest.mark.parametrize(
    "url", ["https://example.com/a?b=c#d", "ftp://files.example.com/x", "http://127.0.0.1:8080/"]
)
def test_well_formed_urls(url: str) -> None:
    assert malformed_reason(url) is None
