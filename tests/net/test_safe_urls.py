"""Credentials out of cited URLs, and cited URLs that stay inside an archive's replay prefix (#16)."""

from __future__ import annotations

import pytest

from citecheck.safe_urls import has_dot_segments, inside_prefix, redact_userinfo, without_userinfo


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://user:pw@ex.org/a", "https://ex.org/a"),
        ("https://tok@ex.org:8443/a@b?c=d@e", "https://ex.org:8443/a@b?c=d@e"),
        ("https://ex.org/a@b", "https://ex.org/a@b"),
        ("mailto:someone@ex.org", "mailto:someone@ex.org"),
    ],
)
def test_without_userinfo(url: str, expected: str) -> None:
    assert without_userinfo(url) == expected


def test_redaction_in_text() -> None:
    assert (
        redact_userinfo("see https://a:b@ex.org/x and mail me@ex.org")
        == "see https://***@ex.org/x and mail me@ex.org"
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://ex.org/a/../../admin", "https://ex.org/a/%2E%2E/%2E%2E/admin"),
        ("https://ex.org/./a/.%2e/b?x=../y", "https://ex.org/%2E/a/%2E%2E/b?x=../y"),
        ("https://ex.org/..\\..\\admin", "https://ex.org/..%5C..%5Cadmin"),
        ("https://u:p@ex.org/ok", "https://ex.org/ok"),
    ],
)
def test_inside_prefix(url: str, expected: str) -> None:
    assert inside_prefix(url) == expected


def test_dot_segments_a_client_would_resolve() -> None:
    assert has_dot_segments("https://archive.example/web/../admin")
    assert has_dot_segments("https://archive.example/web/.")
    assert not has_dot_segments("https://archive.example/web/%2E%2E/admin")
    assert not has_dot_segments("https://archive.example/web/2021/https://ex.org/a.b/..c")
