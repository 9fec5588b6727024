"""URLs: boundaries, normalisation and named damage."""

from __future__ import annotations

import pytest

from citecheck.extract.urls import diagnose, find_urls, normalise_url


@pytest.mark.parametrize(
    ("text", "raw"),
    [
        ("See https://example.org/a.", "https://example.org/a"),
        ("(https://example.org/a)", "https://example.org/a"),
        ("https://en.wikipedia.org/wiki/Foo_(bar), next", "https://en.wikipedia.org/wiki/Foo_(bar)"),
        ("“https://example.org/q?x=1”", "https://example.org/q?x=1"),
        ("visit www.example.com/page;", "www.example.com/page"),
        ("<https://example.org/x>", "https://example.org/x"),
        ("[text](https://example.org/md)", "https://example.org/md"),
    ],
)
def test_boundaries(text: str, raw: str) -> None:
    [found] = find_urls(text)
    assert found.raw == raw
    assert text[found.start : found.end] == raw


def test_normalisation_keeps_the_path_as_written() -> None:
    assert normalise_url("HTTPS://Example.ORG:443/Path%2Fx?q=1#frag") == "https://example.org/Path%2Fx?q=1"
    assert normalise_url("http://example.org:8080") == "http://example.org:8080/"
    assert normalise_url("www.example.com/a") == "http://www.example.com/a"
    assert normalise_url("https://bücher.example/") == "https://xn--bcher-kva.example/"


@pytest.mark.parametrize(
    ("raw", "damage"),
    [
        ("https://www.rfi.fr/cn/%E4%B8%93%E5%91", "cut inside a percent-encoded UTF-8 character (%E5%91)"),
        ("https://example.org/a%E", "incomplete percent escape"),
        ("https://example.org/story...", "ellipsis"),
        ("https://example.org:99999/", "impossible port"),
        ("https://exa_mple.org/", "invalid host"),
        ("https://localhost.123/", "invalid host"),
        ("javascript:alert(1)", "unsupported scheme"),
    ],
)
def test_damage_is_named(raw: str, damage: str) -> None:
    assert damage in (diagnose(raw) or "")


def test_complete_percent_encoding_is_fine() -> None:
    assert diagnose("https://www.rfi.fr/cn/%E4%B8%93%E6%A0%8F") is None


def test_url_broken_by_a_line_break() -> None:
    text = "Source: https://example.org/news/2021/03/\nstory-about-things.html\n"
    [found] = find_urls(text)
    assert found.malformed is not None and "line break" in found.malformed


def test_url_slug_cut_at_a_hyphen_by_a_line_break() -> None:
    text = "Available at: https://www.scmp.com/news/china/article/3250000/china-\nsays-talks-stalled\n"
    [found] = find_urls(text)
    assert found.malformed is not None and "line break" in found.malformed
    # A hyphen at a line end before ordinary prose is not a cut address.
    [whole] = find_urls("See https://example.org/a-\nThe next paragraph starts here.\n")
    assert whole.malformed is None


def test_document_date_from_a_dateline() -> None:
    from citecheck.extract.dates import document_date

    assert document_date("35.1 C\nTuesday, April 23, 2024\n\nTitle\n").iso() == "2024-04-23"
    assert document_date("Title\n\nOn June 11, the magazine published it.") is None  # no year: not a dateline
    assert document_date("a\nb\nc\nd\ne\nf\nMarch 3, 2021") is None  # too far down to be the document's own


def test_hidden_direction_controls_are_damage_and_show_in_the_address() -> None:
    # "fdp.exe" after U+202E displays as "exe.pdf": a spoof, never fetched, visible once normalised
    [found] = find_urls("Download https://example.org/files/\u202efdp.exe today")
    assert found.malformed is not None and "U+202E" in found.malformed
    assert found.url == "https://example.org/files/%E2%80%AEfdp.exe"
    assert diagnose("https://example.org/a\u200bb") is not None  # zero-width space
    assert diagnose("https://example.org/\u0645\u062b\u0627\u0644") is None  # right-to-left letters are fine
